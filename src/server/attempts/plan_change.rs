//! Subscription plan changes: `POST /subscriptions/{id}/change-plan`, sent once with the
//! attempt id in the change's payment metadata.
//!
//! A scheduled change (`next_billing_date`) is done when Dodo accepts it. An immediate one
//! waits for its payment (`payment.*`) or `subscription.plan_changed`; one that charges nothing
//! is done when the subscription shows the new plan. Dodo answers 409 only when another change
//! is waiting for its payment; whatever its code, the page shows that change as pending.

use super::{Sent, find_by_metadata};
use crate::server::store::{Accepted, Attempt, Outcome};
use dodo_client::{Addon, DodoClient, DodoError, Payment, PaymentFilter, PlanChangeRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The error code of an attempt Dodo refused because another change awaits its payment (409).
pub const PENDING_CHANGE_EXISTS: &str = "PendingPlanChangeExists";

/// When a change takes effect, as Dodo names it; any value Dodo may add is kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectiveAt {
    Immediately,
    NextBillingDate,
    #[serde(untagged)]
    Other(String),
}

impl EffectiveAt {
    pub fn parse(s: &str) -> EffectiveAt {
        match s {
            "immediately" => EffectiveAt::Immediately,
            "next_billing_date" => EffectiveAt::NextBillingDate,
            other => EffectiveAt::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            EffectiveAt::Immediately => "immediately",
            EffectiveAt::NextBillingDate => "next_billing_date",
            EffectiveAt::Other(s) => s,
        }
    }
}

/// What Dodo does when an immediate change's charge fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnPaymentFailure {
    /// Keep the old plan until the charge succeeds.
    PreventChange,
    /// Switch now; a failed charge puts the subscription on hold.
    ApplyChange,
    #[serde(untagged)]
    Other(String),
}

impl OnPaymentFailure {
    pub fn parse(s: &str) -> OnPaymentFailure {
        match s {
            "prevent_change" => OnPaymentFailure::PreventChange,
            "apply_change" => OnPaymentFailure::ApplyChange,
            other => OnPaymentFailure::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            OnPaymentFailure::PreventChange => "prevent_change",
            OnPaymentFailure::ApplyChange => "apply_change",
            OnPaymentFailure::Other(s) => s,
        }
    }
}

/// Everything the server decided about a change. The browser supplied only the plan and seats
/// (and the amounts it was shown, checked against a fresh preview before this was made).
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
    pub effective_at: EffectiveAt,
    pub on_payment_failure: OnPaymentFailure,
    /// The subscription's addons, kept (Dodo drops addons a change does not list).
    pub addons: Vec<Addon>,
    /// What Dodo's preview said would be charged now, as the customer saw it.
    pub previewed_total_minor: i64,
    /// The credit Dodo's preview added (positive) or used (negative); absent from orders
    /// recorded before it was kept.
    #[serde(default)]
    pub previewed_credits_minor: i64,
    pub currency: String,
    /// Unix millis after which an unsent change is not sent any more.
    pub send_before: i64,
    /// For the merchant's numbers only (never sent to Dodo): which way the switch goes and
    /// both plans' recurring prices, as the page compared them when the customer confirmed.
    /// Dodo's change request carries neither, and the catalogue may change later. Absent from
    /// orders recorded before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<RecurringChange>,
}

/// Which way a plan change goes and the two plans' prices per billing period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecurringChange {
    /// `upgrade` or `downgrade` (`plan_change::family::direction`).
    pub direction: String,
    pub from: PlanPrice,
    pub to: PlanPrice,
}

/// One plan's recurring price: `amount_minor` per `interval_count` × `interval`, per seat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanPrice {
    pub amount_minor: i64,
    pub currency: String,
    pub interval: dodo_client::Interval,
    pub interval_count: i64,
}

impl PlanChangeOrder {
    pub fn scheduled(&self) -> bool {
        self.effective_at == EffectiveAt::NextBillingDate
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
            effective_at: Some(self.effective_at.as_str().to_owned()),
            on_payment_failure: Some(self.on_payment_failure.as_str().to_owned()),
            metadata,
            addons: self.addons.clone(),
        }
    }
}

pub(super) async fn send(
    dodo: &DodoClient,
    order: &PlanChangeOrder,
    attempt_id: &str,
) -> Result<Sent, DodoError> {
    let accepted = dodo
        .change_plan(&order.subscription_id, &order.request(attempt_id))
        .await
        .map_err(|e| match e {
            // Whatever code Dodo gives its 409, it means "a change awaits its payment".
            DodoError::Conflict { message, .. } => DodoError::Conflict {
                code: PENDING_CHANGE_EXISTS.to_owned(),
                message,
            },
            other => other,
        })?;
    let settled = if order.scheduled() {
        // Nothing is charged now; the scheduled change is the outcome.
        Some(Outcome::Succeeded)
    } else if order.previewed_total_minor == 0 {
        // No payment to wait for: the switch is done when the subscription shows it.
        subscription_shows(dodo, order)
            .await
            .unwrap_or(false)
            .then_some(Outcome::Succeeded)
    } else {
        None
    };
    Ok(Sent {
        accepted: Accepted {
            session_id: None,
            payment_id: accepted.payment_id,
            link: accepted.payment_link,
        },
        settled,
    })
}

/// Whether the subscription at Dodo shows the change: on the new plan (immediate) or with it
/// scheduled. `None` when Dodo could not be asked.
pub(super) async fn subscription_shows(dodo: &DodoClient, order: &PlanChangeOrder) -> Option<bool> {
    let sub = dodo.subscription(&order.subscription_id).await.ok()?;
    Some(if order.scheduled() {
        sub.scheduled_change
            .as_ref()
            .is_some_and(|c| c.product_id == order.to_product_id && c.quantity == order.quantity)
    } else {
        sub.product_id == order.to_product_id && sub.quantity == order.quantity
    })
}

/// Whether a change recorded by a server that died before sending may still be sent: only if
/// nothing moved since the customer confirmed. `None` when Dodo could not be asked.
pub(super) async fn may_resume(dodo: &DodoClient, order: &PlanChangeOrder) -> Option<bool> {
    let sub = dodo.subscription(&order.subscription_id).await.ok()?;
    Some(sub.product_id == order.from_product_id && sub.quantity == order.from_quantity)
}

/// The change's payment: the subscription's payments since shortly before the attempt, with
/// the attempt id in their metadata.
pub async fn find_payment(
    dodo: &DodoClient,
    attempt: &Attempt,
) -> Result<Option<Payment>, DodoError> {
    let Some(subscription_id) = &attempt.subscription_id else {
        return Ok(None);
    };
    find_by_metadata(
        dodo,
        attempt,
        PaymentFilter {
            subscription_id: Some(subscription_id.clone()),
            ..PaymentFilter::default()
        },
    )
    .await
}
