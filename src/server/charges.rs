//! Exactly-once one-click charges.
//!
//! 1. [`charge_once`] writes the attempt (unique per idempotency key: one offer, one charge)
//!    **before** Dodo is called. A second accept of the same offer — double click, second tab,
//!    reload, another server instance — finds that row and returns its state.
//! 2. Exactly one caller claims the attempt (`recorded` → `sending`) and calls Dodo once, with
//!    the SDK's retries off and the attempt id in the payment's metadata.
//! 3. Dodo's answer settles it as `pending` (then webhooks or polling finish it) or `failed`.
//!    A lost answer leaves it `unknown`: [`reconcile`] looks the payment up at Dodo by that
//!    metadata — and never sends again.
//!
//! The stored `request_json` is the whole order, so an attempt recorded by a server that died
//! before sending is sent by the next one ([`reconcile`] on a `recorded` attempt), inside the
//! offer window only.

use super::store::{
    AttemptStatus, AttemptTable, ChargeAttempt, NewChargeAttempt, SettledState, Store, StoreError,
    apply_payment_state, now_millis,
};
use super::webhooks::{attempt_status, settled_state};
use dodo_client::{
    BillingAddress, CartItem, DodoClient, DodoError, OneClickCheckout, OneClickPayment,
    PaymentFilter,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// How a one-click charge reaches Dodo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// Post-purchase upsell: `POST /checkouts` with `confirm: true` and the saved method.
    Upsell,
    /// Cross-sell to an existing customer: `POST /payments` with the saved method.
    CrossSell,
}

impl ChargeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Upsell => "upsell",
            ChargeKind::CrossSell => "cross_sell",
        }
    }
}

/// Everything the server decided about a charge. The browser supplies none of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChargeOrder {
    pub idempotency_key: String,
    pub kind: ChargeKind,
    pub offer_id: Option<String>,
    pub customer_id: String,
    pub payment_method_id: String,
    pub product_id: String,
    pub quantity: i64,
    /// The price the customer agreed to, as Dodo reported it when the offer was shown.
    pub amount_minor: i64,
    pub currency: String,
    pub return_url: Option<String>,
    pub billing: Option<BillingAddress>,
    pub metadata: BTreeMap<String, String>,
    /// Unix millis (wall clock) after which the charge must not be sent any more: the offer
    /// window, for resuming an attempt a crashed server recorded.
    pub send_before: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChargeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored charge request is unreadable: {0}")]
    Corrupt(String),
}

/// Records the order and sends it unless it was already recorded; returns the attempt as it
/// stands afterwards. Never sends twice for one idempotency key.
pub async fn charge_once(
    store: &Store,
    dodo: &DodoClient,
    order: &ChargeOrder,
) -> Result<ChargeAttempt, ChargeError> {
    let request_json =
        serde_json::to_string(order).map_err(|e| ChargeError::Corrupt(e.to_string()))?;
    let (attempt, created) = store
        .record_charge_attempt(&NewChargeAttempt {
            idempotency_key: order.idempotency_key.clone(),
            kind: order.kind.as_str().to_string(),
            offer_id: order.offer_id.clone(),
            customer_id: order.customer_id.clone(),
            product_id: order.product_id.clone(),
            amount_minor: order.amount_minor,
            currency: order.currency.clone(),
            request_json,
        })
        .await?;
    if !created {
        tracing::info!(attempt = %attempt.id, status = attempt.status.as_str(), "charge already recorded; not sending again");
        return Ok(attempt);
    }
    send_recorded(store, dodo, attempt).await
}

/// Sends a `recorded` attempt if this caller wins the claim and the window is still open.
async fn send_recorded(
    store: &Store,
    dodo: &DodoClient,
    attempt: ChargeAttempt,
) -> Result<ChargeAttempt, ChargeError> {
    let order: ChargeOrder = serde_json::from_str(&attempt.request_json)
        .map_err(|e| ChargeError::Corrupt(e.to_string()))?;
    if now_millis() > order.send_before {
        store
            .mark_attempt_expired(AttemptTable::Charge, &attempt.id)
            .await?;
        return reload(store, &attempt.id).await;
    }
    if !store
        .claim_attempt(AttemptTable::Charge, &attempt.id)
        .await?
    {
        return reload(store, &attempt.id).await;
    }
    let mut metadata = order.metadata.clone();
    metadata.insert("attempt_id".into(), attempt.id.clone());
    metadata.insert("source".into(), order.kind.as_str().into());
    let cart = vec![CartItem {
        product_id: order.product_id.clone(),
        quantity: order.quantity,
    }];
    let sent = match order.kind {
        ChargeKind::Upsell => dodo
            .create_one_click_checkout(&OneClickCheckout {
                customer_id: order.customer_id.clone(),
                payment_method_id: order.payment_method_id.clone(),
                product_cart: cart,
                billing: order.billing.clone(),
                return_url: order.return_url.clone(),
                metadata,
            })
            .await
            .map(|c| (Some(c.session_id), c.payment_id, None)),
        ChargeKind::CrossSell => {
            let Some(billing) = order.billing.clone() else {
                store
                    .mark_attempt_refused(
                        AttemptTable::Charge,
                        &attempt.id,
                        "NO_BILLING_ADDRESS",
                        "no billing address is known for this customer",
                    )
                    .await?;
                return reload(store, &attempt.id).await;
            };
            dodo.create_one_click_payment(&OneClickPayment {
                customer_id: order.customer_id.clone(),
                payment_method_id: order.payment_method_id.clone(),
                product_cart: cart,
                billing,
                return_url: order.return_url.clone(),
                metadata,
            })
            .await
            .map(|p| (None, Some(p.payment_id), p.payment_link))
        }
    };
    match sent {
        Ok((session_id, payment_id, link)) => {
            if let Some(session_id) = &session_id {
                store.mark_charge_session(&attempt.id, session_id).await?;
            }
            store
                .mark_attempt_accepted(
                    AttemptTable::Charge,
                    &attempt.id,
                    payment_id.as_deref(),
                    link.as_deref(),
                )
                .await?;
            tracing::info!(attempt = %attempt.id, payment = ?payment_id, "charge accepted by Dodo");
        }
        Err(e) if e.outcome_unknown() => {
            tracing::warn!(attempt = %attempt.id, error = %e, "charge outcome unknown; will reconcile, never resend");
            store
                .mark_attempt_unknown(AttemptTable::Charge, &attempt.id, &e.to_string())
                .await?;
        }
        Err(e) => {
            let code = e.code().unwrap_or("REFUSED").to_string();
            tracing::info!(attempt = %attempt.id, %code, "charge refused by Dodo");
            store
                .mark_attempt_refused(
                    AttemptTable::Charge,
                    &attempt.id,
                    &code,
                    &refusal_message(&e, "Dodo is busy; nothing was charged."),
                )
                .await?;
        }
    }
    reload(store, &attempt.id).await
}

/// A sentence about why Dodo refused, without internals. `when_busy` says what did not happen
/// when Dodo only asked us to slow down.
pub fn refusal_message(e: &DodoError, when_busy: &str) -> String {
    match e {
        DodoError::NotFound { message, .. }
        | DodoError::InvalidRequest { message, .. }
        | DodoError::Declined { message, .. }
        | DodoError::Conflict { message, .. } => message.clone(),
        DodoError::RateLimited { .. } => when_busy.into(),
        other => other.to_string(),
    }
}

async fn reload(store: &Store, id: &str) -> Result<ChargeAttempt, ChargeError> {
    store
        .charge_attempt(id)
        .await?
        .ok_or_else(|| ChargeError::Corrupt(format!("attempt {id} vanished")))
}

/// How long after sending an attempt whose payment cannot be found at Dodo is declared not
/// charged. Dodo lists a payment as soon as it exists; this covers clock skew and slow lists.
pub const NOT_FOUND_GRACE: Duration = Duration::from_secs(60);

/// A `sending` attempt older than this belongs to a caller that died mid-call.
pub const STALE_SENDING: Duration = Duration::from_secs(45);

/// Brings one attempt closer to its final state without ever charging twice:
/// `recorded` → sent (resumed after a crash, inside the window) or expired; `sending` (stale)
/// and `unknown` → looked up at Dodo by the attempt id in the payment's metadata; `pending`
/// and `requires_action` → the payment's current status.
pub async fn reconcile(
    store: &Store,
    dodo: &DodoClient,
    attempt: ChargeAttempt,
) -> Result<ChargeAttempt, ChargeError> {
    let now = now_millis();
    match attempt.status {
        AttemptStatus::Recorded => send_recorded(store, dodo, attempt).await,
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
                None => match find_by_metadata(dodo, &attempt).await {
                    Ok(found) => found,
                    Err(e) => {
                        tracing::info!(attempt = %attempt.id, error = %e, "reconcile: Dodo unavailable, later");
                        return Ok(attempt);
                    }
                },
            };
            match payment {
                Some(payment) => {
                    if let Some(status) = payment.status.as_ref().and_then(attempt_status) {
                        let state: SettledState = settled_state(&payment, status);
                        let mut conn = store.pool().acquire().await.map_err(StoreError::from)?;
                        apply_payment_state(&mut conn, Some(&attempt.id), &state).await?;
                    }
                }
                None => {
                    let sent_at = attempt.sent_at.unwrap_or(attempt.created_at);
                    if matches!(
                        attempt.status,
                        AttemptStatus::Sending | AttemptStatus::Unknown
                    ) && now - sent_at > NOT_FOUND_GRACE.as_millis() as i64
                    {
                        tracing::warn!(attempt = %attempt.id, "reconcile: no payment at Dodo; settling as not charged");
                        store
                            .mark_attempt_not_found(AttemptTable::Charge, &attempt.id)
                            .await?;
                    }
                }
            }
            reload(store, &attempt.id).await
        }
        _ => Ok(attempt),
    }
}

/// Finds the payment Dodo made for an attempt whose answer was lost: the customer's payments
/// created since shortly before the attempt, with our attempt id in their metadata.
async fn find_by_metadata(
    dodo: &DodoClient,
    attempt: &ChargeAttempt,
) -> Result<Option<dodo_client::Payment>, DodoError> {
    let since = time::OffsetDateTime::from_unix_timestamp((attempt.created_at / 1000) - 300)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let payments = dodo
        .payments(&PaymentFilter {
            customer_id: Some(attempt.customer_id.clone()),
            created_at_gte: Some(since),
            ..PaymentFilter::default()
        })
        .await?;
    Ok(payments
        .into_iter()
        .find(|p| p.metadata.get("attempt_id").map(String::as_str) == Some(attempt.id.as_str())))
}

/// Reconciles every unsettled attempt once. Run at startup (resuming what a dead server left)
/// and then periodically.
/// Returns how many attempts changed state.
pub async fn reconcile_all(store: &Store, dodo: &DodoClient) -> Result<usize, ChargeError> {
    let open = store.unsettled_charge_attempts(now_millis() - 1000).await?;
    let mut changed = 0;
    for attempt in open {
        let before = attempt.status;
        match reconcile(store, dodo, attempt).await {
            Ok(after) if after.status != before => changed += 1,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reconcile failed for one attempt"),
        }
    }
    Ok(changed)
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
                Ok(n) => tracing::info!("reconciliation settled {n} charge attempt(s)"),
                Err(e) => tracing::warn!(error = %e, "reconciler pass failed"),
            }
            tokio::time::sleep(every).await;
        }
    })
}
