//! The money engine: every call that can move money goes through here, exactly once and only
//! after the customer's consent — one-click charges (upsell, downsell, cross-sell), the hosted
//! fallback checkouts of offers, and plan changes.
//!
//! From outside it is small (the shape of zero-to-production's idempotency module):
//! 1. [`Engine::start`] records the attempt — with the customer's decision on the offer and
//!    the claim on the product, in one transaction — and answers [`Started::Sent`] (this call
//!    recorded it and sent it once), [`Started::Existing`] (the same request was recorded
//!    before: here it is, nothing sent) or [`Started::Refused`] (nothing recorded, nothing
//!    sent: the customer owns the product, declined the offer, or another plan change is in
//!    flight).
//! 2. The call to Dodo runs in its own task: a browser that reloads or loses its connection
//!    does not cancel it, and the request that started it just waits for its end.
//! 3. Dodo's answer, webhooks ([`apply_webhook`], the one entry point for payment and plan
//!    events) and the reconciler ([`Engine::spawn_reconciler`]) settle it. A lost answer is
//!    looked up by the attempt id in the payment's metadata — never sent again.
//!
//! Each kind of call is a small adapter ([`charge`], [`checkout`], [`plan_change`], [`refund`]):
//! how it is sent, how its outcome is found, and when there is nothing left to wait for.

pub mod charge;
pub mod checkout;
mod engine;
pub mod plan_change;
mod reconcile;
pub mod refund;
pub mod status;
mod webhook;

pub use engine::{Engine, EngineError, Started};
pub use webhook::apply_webhook;

use super::store::{Accepted, Attempt, AttemptKind, Outcome, SettledState};
use dodo_client::{DodoClient, DodoError, Payment, PaymentFilter};
use serde::{Deserialize, Serialize};

/// Everything the server decided about one money-moving call, stored with the attempt so a
/// server that died before sending can send it later, exactly as decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    Charge(charge::ChargeOrder),
    Checkout(checkout::CheckoutOrder),
    PlanChange(plan_change::PlanChangeOrder),
    Refund(refund::RefundOrder),
}

fn exclusive_by_default() -> bool {
    true
}

/// What a charge and a checkout both buy: one offer's product, for one customer, at the price
/// the customer agreed to. (Stored flat inside each order, as the orders always were.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Purchase {
    pub idempotency_key: String,
    pub offer_id: Option<String>,
    pub customer_id: String,
    pub product_id: String,
    pub quantity: i64,
    /// The price the customer agreed to, as Dodo reported it just before sending.
    pub amount_minor: i64,
    pub currency: String,
    /// Unix millis (wall clock) after which it must not be sent any more: the offer window,
    /// for resuming an attempt a crashed server recorded.
    pub send_before: i64,
    /// The product may be bought once per customer (not marked `repeatable`).
    #[serde(default = "exclusive_by_default")]
    pub exclusive: bool,
}

/// What sending produced.
pub(crate) struct Sent {
    pub accepted: Accepted,
    /// Set when Dodo's acceptance already is the outcome (a scheduled plan change).
    pub settled: Option<Outcome>,
}

impl Order {
    pub fn kind(&self) -> AttemptKind {
        match self {
            Order::Charge(_) => AttemptKind::Charge,
            Order::Checkout(_) => AttemptKind::Checkout,
            Order::PlanChange(_) => AttemptKind::PlanChange,
            Order::Refund(_) => AttemptKind::Refund,
        }
    }

    pub fn of(attempt: &Attempt) -> Result<Order, EngineError> {
        serde_json::from_str(&attempt.order_json)
            .map_err(|e| EngineError::Corrupt(format!("attempt {}: {e}", attempt.id)))
    }

    /// Unix millis (wall clock) after which a recorded order is not sent any more.
    pub fn send_before(&self) -> i64 {
        match self {
            Order::Charge(o) => o.purchase.send_before,
            Order::Checkout(o) => o.purchase.send_before,
            Order::PlanChange(o) => o.send_before,
            Order::Refund(o) => o.send_before,
        }
    }

    async fn send(&self, dodo: &DodoClient, attempt_id: &str) -> Result<Sent, DodoError> {
        match self {
            Order::Charge(o) => charge::send(dodo, o, attempt_id).await,
            Order::Checkout(o) => checkout::send(dodo, o, attempt_id).await,
            Order::PlanChange(o) => plan_change::send(dodo, o, attempt_id).await,
            Order::Refund(o) => refund::send(dodo, o, attempt_id).await,
        }
    }

    /// What Dodo holds for the attempt, as an attempt state: its payment (by id once known,
    /// else found by the attempt id in its metadata), or its refund. `None`: nothing (yet), or
    /// nothing that says anything new.
    async fn lookup(
        &self,
        dodo: &DodoClient,
        attempt: &Attempt,
    ) -> Result<Option<SettledState>, DodoError> {
        if let Order::Refund(_) = self {
            return Ok(refund::find(dodo, attempt)
                .await?
                .as_ref()
                .and_then(refund::settled_state));
        }
        let payment = match &attempt.dodo_payment_id {
            Some(id) => match dodo.payment(id).await {
                Ok(p) => Some(p),
                Err(DodoError::NotFound { .. }) => None,
                Err(e) => return Err(e),
            },
            None => self.find_payment(dodo, attempt).await?,
        };
        Ok(payment.as_ref().and_then(status::settled_state))
    }

    /// The payment Dodo made for the attempt, found by the attempt id in its metadata: among
    /// the customer's payments (a charge, or a payment on the checkout page), or the
    /// subscription's (a plan change).
    async fn find_payment(
        &self,
        dodo: &DodoClient,
        attempt: &Attempt,
    ) -> Result<Option<Payment>, DodoError> {
        match self {
            Order::Charge(_) | Order::Checkout(_) => {
                let filter = PaymentFilter {
                    customer_id: Some(attempt.customer_id.clone()),
                    ..PaymentFilter::default()
                };
                find_by_metadata(dodo, attempt, filter).await
            }
            Order::PlanChange(_) => plan_change::find_payment(dodo, attempt).await,
            Order::Refund(_) => Ok(None),
        }
    }
}

/// Where to start looking for what an attempt made at Dodo: shortly before it was recorded.
fn find_since(attempt: &Attempt) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp((attempt.created_at / 1000) - 300)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// One of the payments `filter` lists since shortly before the attempt, carrying its id.
async fn find_by_metadata(
    dodo: &DodoClient,
    attempt: &Attempt,
    filter: PaymentFilter,
) -> Result<Option<Payment>, DodoError> {
    let payments = dodo
        .payments(&PaymentFilter {
            created_at_gte: Some(find_since(attempt)),
            ..filter
        })
        .await?;
    Ok(payments
        .into_iter()
        .find(|p| status::attempt_id_of(p) == Some(attempt.id.as_str())))
}

/// A short operator-facing text of why Dodo refused (never shown to customers: pages choose
/// their words from the error code).
pub fn refusal_detail(e: &DodoError) -> String {
    match e {
        DodoError::NotFound { message, .. }
        | DodoError::InvalidRequest { message, .. }
        | DodoError::Declined { message, .. }
        | DodoError::Conflict { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// The error code an attempt Dodo refused is stored with.
pub fn refusal_code(e: &DodoError) -> String {
    match e {
        DodoError::RateLimited { .. } => "RATE_LIMITED".to_owned(),
        DodoError::Unauthorized => "UNAUTHORIZED".to_owned(),
        other => other.code().unwrap_or("REFUSED").to_owned(),
    }
}
