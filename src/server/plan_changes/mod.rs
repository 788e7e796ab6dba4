//! Exactly-once subscription plan changes, mirroring `charges.rs`.
//!
//! 1. [`change_once`] writes the attempt (unique per idempotency key) **before** Dodo is
//!    called. The key is the subscription, the change (from plan × seats → to plan × seats)
//!    and the last settled attempt of that subscription: a double click, a second tab or a
//!    reload of the confirm form finds the same row; a new change after the previous one
//!    settled gets a new key.
//! 2. Exactly one caller claims the attempt (`recorded` → `sending`) and calls
//!    `POST /subscriptions/{id}/change-plan` once (SDK retries off), with the attempt id in the
//!    change's payment `metadata`.
//! 3. Dodo's answer settles it: a scheduled change succeeds at once; an immediate change waits
//!    (`pending`) for `subscription.plan_changed` / `payment.*` (webhooks, see `webhooks.rs`) or
//!    a lookup; a refusal (decline, 409 pending change, validation) fails it. A lost answer
//!    leaves it `unknown`: [`reconcile`] looks at the subscription's payments and at the
//!    subscription itself — and never sends again.

pub mod catalog;
pub mod family;
pub mod page;

use super::store::{
    AttemptStatus, AttemptTable, NewPlanChangeAttempt, PlanChangeAttempt, SettledState, Store,
    StoreError, apply_plan_change_payment, now_millis,
};
use super::webhooks::{attempt_status, settled_state};
use dodo_client::{Addon, DodoClient, DodoError, PaymentFilter, PlanChangeRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// The error code of an attempt Dodo refused because another change awaits its payment (409).
pub const PENDING_CHANGE_EXISTS: &str = "PendingPlanChangeExists";

/// A recorded change that no server sent (crash between record and send) is sent later only
/// within this window after the customer confirmed; after it, it expires unsent.
pub const SEND_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Everything the server decided about a change. The browser supplied only the plan and seats.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChangeOrder {
    pub idempotency_key: String,
    pub subscription_id: String,
    pub customer_id: String,
    pub from_product_id: String,
    pub from_quantity: i64,
    pub to_product_id: String,
    pub quantity: i64,
    /// Passed to Dodo as written (unknown future modes included).
    pub proration_billing_mode: String,
    /// `immediately` or `next_billing_date`.
    pub effective_at: String,
    /// `prevent_change` or `apply_change`.
    pub on_payment_failure: String,
    /// The subscription's addons, kept (Dodo drops addons a change does not list).
    pub addons: Vec<Addon>,
    /// What Dodo's preview said would be charged now, as the customer saw it.
    pub previewed_total_minor: i64,
    pub currency: String,
    /// Unix millis after which an unsent change is not sent any more.
    pub send_before: i64,
}

impl PlanChangeOrder {
    pub fn scheduled(&self) -> bool {
        self.effective_at == "next_billing_date"
    }

    /// The idempotency key of a change: one per subscription, previous settled attempt and
    /// change.
    pub fn key_for(
        subscription_id: &str,
        base_attempt: Option<&str>,
        from: (&str, i64),
        to: (&str, i64),
    ) -> String {
        format!(
            "plan:{subscription_id}:{}:{}x{}:{}x{}",
            base_attempt.unwrap_or("first"),
            from.0,
            from.1,
            to.0,
            to.1
        )
    }

    fn request(&self, attempt_id: &str) -> PlanChangeRequest {
        let mut metadata = BTreeMap::new();
        metadata.insert("attempt_id".to_owned(), attempt_id.to_owned());
        metadata.insert("source".to_owned(), "plan_change".to_owned());
        PlanChangeRequest {
            product_id: self.to_product_id.clone(),
            quantity: self.quantity,
            proration_billing_mode: self.proration_billing_mode.clone(),
            effective_at: Some(self.effective_at.clone()),
            on_payment_failure: Some(self.on_payment_failure.clone()),
            metadata,
            addons: self.addons.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PlanChangeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored plan-change request is unreadable: {0}")]
    Corrupt(String),
}

/// Records the order and sends it unless it was already recorded; returns the attempt as it
/// stands afterwards. Never sends twice for one idempotency key.
pub async fn change_once(
    store: &Store,
    dodo: &DodoClient,
    order: &PlanChangeOrder,
) -> Result<PlanChangeAttempt, PlanChangeError> {
    let request_json =
        serde_json::to_string(order).map_err(|e| PlanChangeError::Corrupt(e.to_string()))?;
    let (attempt, created) = store
        .record_plan_change_attempt(&NewPlanChangeAttempt {
            idempotency_key: order.idempotency_key.clone(),
            subscription_id: order.subscription_id.clone(),
            customer_id: order.customer_id.clone(),
            from_product_id: order.from_product_id.clone(),
            to_product_id: order.to_product_id.clone(),
            quantity: order.quantity,
            request_json,
            previewed_total_minor: order.previewed_total_minor,
            currency: order.currency.clone(),
        })
        .await?;
    if !created {
        tracing::info!(attempt = %attempt.id, status = attempt.status.as_str(), "plan change already recorded; not sending again");
        return Ok(attempt);
    }
    send_recorded(store, dodo, attempt).await
}

fn order_of(attempt: &PlanChangeAttempt) -> Result<PlanChangeOrder, PlanChangeError> {
    serde_json::from_str(&attempt.request_json).map_err(|e| PlanChangeError::Corrupt(e.to_string()))
}

/// Sends a `recorded` attempt if this caller wins the claim and the window is still open.
async fn send_recorded(
    store: &Store,
    dodo: &DodoClient,
    attempt: PlanChangeAttempt,
) -> Result<PlanChangeAttempt, PlanChangeError> {
    let order = order_of(&attempt)?;
    if now_millis() > order.send_before {
        store
            .mark_attempt_expired(AttemptTable::PlanChange, &attempt.id)
            .await?;
        return reload(store, &attempt.id).await;
    }
    if !store
        .claim_attempt(AttemptTable::PlanChange, &attempt.id)
        .await?
    {
        return reload(store, &attempt.id).await;
    }
    let request = order.request(&attempt.id);
    match dodo.change_plan(&order.subscription_id, &request).await {
        Ok(accepted) => {
            if order.scheduled() {
                // Nothing is charged now; the scheduled change is the outcome.
                store.mark_plan_change_succeeded(&attempt.id).await?;
                tracing::info!(attempt = %attempt.id, "plan change scheduled by Dodo");
            } else {
                store
                    .mark_attempt_accepted(
                        AttemptTable::PlanChange,
                        &attempt.id,
                        accepted.payment_id.as_deref(),
                        accepted.payment_link.as_deref(),
                    )
                    .await?;
                tracing::info!(attempt = %attempt.id, payment = ?accepted.payment_id, "plan change accepted by Dodo");
                if order.previewed_total_minor == 0 {
                    // No payment to wait for: the switch is done when the subscription shows it.
                    settle_by_subscription(store, dodo, &attempt.id, &order).await;
                }
            }
        }
        Err(e) if e.outcome_unknown() => {
            tracing::warn!(attempt = %attempt.id, error = %e, "plan change outcome unknown; will reconcile, never resend");
            store
                .mark_attempt_unknown(AttemptTable::PlanChange, &attempt.id, &e.to_string())
                .await?;
        }
        Err(e) => {
            // Dodo answers change-plan with 409 only for "a change is already waiting for its
            // payment"; whatever code it sends, the page shows that change as pending.
            let code = match &e {
                DodoError::Conflict { .. } => PENDING_CHANGE_EXISTS.to_string(),
                _ => e.code().unwrap_or("REFUSED").to_string(),
            };
            tracing::info!(attempt = %attempt.id, %code, "plan change refused by Dodo");
            store
                .mark_attempt_refused(
                    AttemptTable::PlanChange,
                    &attempt.id,
                    &code,
                    &super::charges::refusal_message(&e, "Dodo is busy; nothing was changed."),
                )
                .await?;
        }
    }
    reload(store, &attempt.id).await
}

async fn reload(store: &Store, id: &str) -> Result<PlanChangeAttempt, PlanChangeError> {
    store
        .plan_change_attempt(id)
        .await?
        .ok_or_else(|| PlanChangeError::Corrupt(format!("attempt {id} vanished")))
}

/// Whether the subscription at Dodo shows the change: on the new plan (immediate) or with it
/// scheduled. `None` when Dodo could not be asked.
async fn subscription_shows(dodo: &DodoClient, order: &PlanChangeOrder) -> Option<bool> {
    let sub = dodo.subscription(&order.subscription_id).await.ok()?;
    Some(if order.scheduled() {
        sub.scheduled_change
            .as_ref()
            .is_some_and(|c| c.product_id == order.to_product_id && c.quantity == order.quantity)
    } else {
        sub.product_id == order.to_product_id && sub.quantity == order.quantity
    })
}

async fn settle_by_subscription(
    store: &Store,
    dodo: &DodoClient,
    attempt_id: &str,
    order: &PlanChangeOrder,
) -> bool {
    if subscription_shows(dodo, order).await == Some(true) {
        match store.mark_plan_change_succeeded(attempt_id).await {
            Ok(changed) => {
                if changed {
                    tracing::info!(attempt = %attempt_id, "plan change confirmed by the subscription");
                }
                return true;
            }
            Err(e) => {
                tracing::warn!(attempt = %attempt_id, error = %e, "cannot settle plan change")
            }
        }
    }
    false
}

/// How long after sending an attempt with no trace at Dodo (no payment, subscription not
/// changed) is declared not carried out.
pub const NOT_FOUND_GRACE: Duration = super::charges::NOT_FOUND_GRACE;

/// How long an accepted (`pending`) change may show neither a payment nor the switch at Dodo
/// before it is declared not carried out.
pub const PENDING_NOT_FOUND_GRACE: Duration = Duration::from_secs(15 * 60);

/// A `sending` attempt older than this belongs to a caller that died mid-call.
pub const STALE_SENDING: Duration = super::charges::STALE_SENDING;

/// Brings one attempt closer to its final state without ever sending twice: `recorded` → sent
/// (resumed after a crash, inside the window, if the subscription is still on the old plan) or
/// expired; `sending` (stale), `unknown`, `pending`, `requires_action` → the change's payment
/// (found by the attempt id in its metadata) or the subscription itself.
pub async fn reconcile(
    store: &Store,
    dodo: &DodoClient,
    attempt: PlanChangeAttempt,
) -> Result<PlanChangeAttempt, PlanChangeError> {
    let now = now_millis();
    let order = order_of(&attempt)?;
    match attempt.status {
        AttemptStatus::Recorded => {
            // Resume only if nothing moved since the customer confirmed.
            match dodo.subscription(&order.subscription_id).await {
                Ok(sub)
                    if sub.product_id == order.from_product_id
                        && sub.quantity == order.from_quantity =>
                {
                    send_recorded(store, dodo, attempt).await
                }
                Ok(_) => {
                    tracing::warn!(attempt = %attempt.id, "recorded plan change is out of date; not sending");
                    store
                        .mark_attempt_expired(AttemptTable::PlanChange, &attempt.id)
                        .await?;
                    reload(store, &attempt.id).await
                }
                Err(e) => {
                    tracing::info!(attempt = %attempt.id, error = %e, "reconcile: Dodo unavailable, later");
                    Ok(attempt)
                }
            }
        }
        AttemptStatus::Sending if now - attempt.updated_at < STALE_SENDING.as_millis() as i64 => {
            Ok(attempt)
        }
        AttemptStatus::Sending
        | AttemptStatus::Unknown
        | AttemptStatus::Pending
        | AttemptStatus::RequiresAction => {
            let payment = match &attempt.dodo_payment_id {
                Some(id) => match dodo.payment(id).await {
                    Ok(p) => Some(p),
                    Err(DodoError::NotFound { .. }) => None,
                    Err(e) => {
                        tracing::info!(attempt = %attempt.id, error = %e, "reconcile: Dodo unavailable, later");
                        return Ok(attempt);
                    }
                },
                None => match find_payment(dodo, &attempt).await {
                    Ok(found) => found,
                    Err(e) => {
                        tracing::info!(attempt = %attempt.id, error = %e, "reconcile: Dodo unavailable, later");
                        return Ok(attempt);
                    }
                },
            };
            if let Some(payment) = payment
                && let Some(status) = payment.status.as_ref().and_then(attempt_status)
            {
                let state: SettledState = settled_state(&payment, status);
                let mut conn = store.pool().acquire().await.map_err(StoreError::from)?;
                apply_plan_change_payment(&mut conn, Some(&attempt.id), &state).await?;
                return reload(store, &attempt.id).await;
            }
            if settle_by_subscription(store, dodo, &attempt.id, &order).await {
                return reload(store, &attempt.id).await;
            }
            let age = now - attempt.created_at;
            let grace = match attempt.status {
                // Dodo accepted it: its payment or the switch must show up; allow much longer.
                AttemptStatus::Pending => PENDING_NOT_FOUND_GRACE,
                AttemptStatus::Sending | AttemptStatus::Unknown => NOT_FOUND_GRACE,
                _ => return reload(store, &attempt.id).await,
            };
            if age > grace.as_millis() as i64 {
                tracing::warn!(attempt = %attempt.id, "reconcile: no trace of the plan change at Dodo; settling as not changed");
                store.mark_plan_change_not_found(&attempt.id).await?;
            }
            reload(store, &attempt.id).await
        }
        _ => Ok(attempt),
    }
}

/// The change's payment: the subscription's payments created since shortly before the
/// attempt, with our attempt id in their metadata.
pub async fn find_payment(
    dodo: &DodoClient,
    attempt: &PlanChangeAttempt,
) -> Result<Option<dodo_client::Payment>, DodoError> {
    let since = time::OffsetDateTime::from_unix_timestamp((attempt.created_at / 1000) - 300)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let payments = dodo
        .payments(&PaymentFilter {
            subscription_id: Some(attempt.subscription_id.clone()),
            created_at_gte: Some(since),
            ..PaymentFilter::default()
        })
        .await?;
    Ok(payments
        .into_iter()
        .find(|p| p.metadata.get("attempt_id").map(String::as_str) == Some(attempt.id.as_str())))
}

/// Reconciles every unsettled plan-change attempt once.
pub async fn reconcile_all(store: &Store, dodo: &DodoClient) -> Result<usize, PlanChangeError> {
    let open = store
        .unsettled_plan_change_attempts(now_millis() - 1000)
        .await?;
    let count = open.len();
    for attempt in open {
        if let Err(e) = reconcile(store, dodo, attempt).await {
            tracing::warn!(error = %e, "plan-change reconcile failed for one attempt");
        }
    }
    Ok(count)
}

/// Runs [`reconcile_all`] now and then every `every`, until the process ends.
pub fn spawn_reconciler(
    store: Store,
    dodo: DodoClient,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match reconcile_all(&store, &dodo).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("reconciled {n} open plan-change attempt(s)"),
                Err(e) => tracing::warn!(error = %e, "plan-change reconciler pass failed"),
            }
            tokio::time::sleep(every).await;
        }
    })
}

/// Cancels the subscription's scheduled change (Undo). Sent once; a lost answer or "nothing
/// scheduled" is settled by looking at the subscription. `Ok(true)`: nothing is scheduled now.
pub async fn undo_scheduled(dodo: &DodoClient, subscription_id: &str) -> Result<bool, DodoError> {
    match dodo.cancel_scheduled_change(subscription_id).await {
        Ok(()) => Ok(true),
        Err(DodoError::NotFound { .. }) => Ok(true),
        Err(e) if e.outcome_unknown() => {
            let sub = dodo.subscription(subscription_id).await?;
            Ok(sub.scheduled_change.is_none())
        }
        Err(e) => Err(e),
    }
}

/// Checks the configured plan families against Dodo in the background and logs a warning
/// naming each misconfigured item (the page already leaves such items out).
pub fn spawn_startup_check(state: &super::state::AppState) -> tokio::task::JoinHandle<()> {
    let catalog = state.plan_catalog.clone();
    let merchant = state.merchant.clone();
    tokio::spawn(async move {
        let problems = catalog::check_at_startup(&catalog, &merchant).await;
        if problems.is_empty() {
            tracing::info!("plan families: configuration matches Dodo");
        }
    })
}
