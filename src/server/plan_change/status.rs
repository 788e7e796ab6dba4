//! Where a confirmed change stands: the outcome the status page reports (with the plans,
//! amounts and dates it needs), and whether it has settled (for the page's watcher).

use super::PlanChangeError;
use super::credit::{CreditTimeline, credit_timeline};
use super::facts::{Bill, PlanRef};
use super::link::{self, Loaded};
use crate::money::Money;
use crate::server::attempts::Order;
use crate::server::attempts::plan_change::{
    OnPaymentFailure, PENDING_CHANGE_EXISTS, PlanChangeOrder, find_payment,
};
use crate::server::links::{Audience, LinkError};
use crate::server::state::AppState;
use crate::server::store::{Attempt, AttemptStatus};
use crate::types::plan_change::StatusKind;
use dodo_client::{IntentStatus, PaymentFilter, Subscription, SubscriptionStatus};
use time::OffsetDateTime;

/// Refusals of the card (rather than of the change itself): the customer can fix them with
/// another card.
const DECLINE_CODES: &[&str] = &[
    "CARD_DECLINED",
    "INSUFFICIENT_FUNDS",
    "EXPIRED_CARD",
    "AUTHENTICATION_FAILURE",
    "AUTHENTICATION_REQUIRED",
    "DO_NOT_HONOR",
    "PAYMENT_FAILED",
];

/// How a confirmed change ended (or that it has not yet), with what the page says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting for Dodo (or, with `apply_change`, for the payment of a change already applied).
    Processing,
    /// The subscription is on `current` now; `credit`: what the credit the change added covers.
    Succeeded {
        current: PlanRef,
        next_bill: Bill,
        credit: Option<CreditTimeline>,
    },
    /// Dodo switches to `target` on `on`.
    Scheduled { target: PlanRef, on: OffsetDateTime },
    /// A scheduled change undone before it took effect: the subscription stays on `current`.
    Undone { current: PlanRef },
    /// The card was declined; the plan did not change.
    Declined { current: PlanRef },
    /// The plan changed to `current` but its payment failed: the subscription is on hold.
    OnHold { current: PlanRef },
    /// Dodo refused: another change awaits its payment (the one in flight, when Dodo shows it).
    PendingExists { payment_in_flight: Option<Money> },
    /// The bank wants the customer to confirm the payment (3-D Secure), at `payment_link`.
    RequiresAction { payment_link: Option<String> },
    /// Nothing changed and nothing was charged.
    Failed,
}

impl Outcome {
    pub fn kind(&self) -> StatusKind {
        match self {
            Outcome::Processing => StatusKind::Processing,
            Outcome::Succeeded { .. } => StatusKind::Succeeded,
            Outcome::Scheduled { .. } => StatusKind::Scheduled,
            Outcome::Undone { .. } => StatusKind::Undone,
            Outcome::Declined { .. } => StatusKind::Declined,
            Outcome::OnHold { .. } => StatusKind::OnHold,
            Outcome::PendingExists { .. } => StatusKind::PendingExists,
            Outcome::RequiresAction { .. } => StatusKind::RequiresAction,
            Outcome::Failed => StatusKind::Failed,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusFacts {
    pub attempt_id: String,
    pub outcome: Outcome,
}

/// The status of attempt `attempt_id` of the link's subscription; `None` when it is not one.
pub async fn status(
    state: &AppState,
    token: &str,
    attempt_id: &str,
) -> Result<Option<StatusFacts>, PlanChangeError> {
    let loaded = link::load(state, Some(token)).await?;
    let Some(attempt) = attempt_for(state, &loaded, attempt_id).await? else {
        return Ok(None);
    };
    // The subscription as it is now (after the change, if any).
    let sub = state
        .dodo_client
        .subscription(&loaded.subscription.id)
        .await
        .unwrap_or_else(|_| loaded.subscription.clone());
    let plan = |id: &str| {
        let scheduled_name = sub
            .scheduled_change
            .as_ref()
            .filter(|c| c.product_id == id)
            .and_then(|c| c.product_name.as_deref());
        PlanRef::in_family(&loaded.family, id, scheduled_name)
    };
    let current = plan(&sub.product_id);
    let charge_open = !charge_settled(state, &attempt).await;
    let order = plan_change_order(&attempt);
    let scheduled = order.as_ref().is_some_and(|o| o.scheduled());
    let switched_elsewhere = sub.product_id != attempt.product_id;
    let outcome = match attempt.status {
        AttemptStatus::Succeeded if charge_open => Outcome::Processing,
        AttemptStatus::Succeeded
            if scheduled
                && switched_elsewhere
                && sub
                    .scheduled_change
                    .as_ref()
                    .is_none_or(|c| c.product_id != attempt.product_id) =>
        {
            Outcome::Undone { current }
        }
        AttemptStatus::Succeeded if scheduled && switched_elsewhere => Outcome::Scheduled {
            target: plan(&attempt.product_id),
            on: sub
                .scheduled_change
                .as_ref()
                .map(|c| c.effective_at)
                .unwrap_or(sub.next_billing_date),
        },
        AttemptStatus::Succeeded | AttemptStatus::Failed
            if sub.status == SubscriptionStatus::OnHold =>
        {
            Outcome::OnHold { current }
        }
        AttemptStatus::Succeeded => {
            let next_bill = Bill {
                amount: Money::new(sub.recurring_pre_tax_amount, &sub.currency),
                on: sub.next_billing_date,
            };
            // The credit Dodo's preview said the change adds, against the plan's renewals.
            let credit = order.as_ref().and_then(|o| {
                credit_timeline(
                    &Money::new(o.previewed_credits_minor, &o.currency),
                    &next_bill.amount,
                    next_bill.on,
                    &sub.interval,
                    sub.interval_count,
                )
            });
            Outcome::Succeeded {
                current,
                next_bill,
                credit,
            }
        }
        AttemptStatus::Failed if attempt.error_code.as_deref() == Some(PENDING_CHANGE_EXISTS) => {
            Outcome::PendingExists {
                payment_in_flight: payment_in_flight(state, &sub).await,
            }
        }
        AttemptStatus::Failed
            if attempt.dodo_payment_id.is_some()
                || attempt
                    .error_code
                    .as_deref()
                    .is_some_and(|c| DECLINE_CODES.contains(&c)) =>
        {
            Outcome::Declined { current }
        }
        AttemptStatus::Failed | AttemptStatus::Expired => Outcome::Failed,
        AttemptStatus::RequiresAction => Outcome::RequiresAction {
            payment_link: attempt.payment_link.clone(),
        },
        _ => Outcome::Processing,
    };
    Ok(Some(StatusFacts {
        attempt_id: attempt.id,
        outcome,
    }))
}

/// The attempt `attempt_id` of the link's subscription, moved along if it is still open.
pub async fn attempt_for(
    state: &AppState,
    loaded: &Loaded,
    attempt_id: &str,
) -> Result<Option<Attempt>, PlanChangeError> {
    let Some(attempt) = state.store.attempt(attempt_id).await? else {
        return Ok(None);
    };
    if attempt.subscription_id.as_deref() != Some(loaded.subscription.id.as_str()) {
        return Ok(None);
    }
    if attempt.status.is_final() {
        return Ok(Some(attempt));
    }
    // Webhooks settle most attempts; a lookup covers late or lost ones.
    match state.engine.reconcile(attempt.clone()).await {
        Ok(a) => Ok(Some(a)),
        Err(e) => {
            tracing::info!(attempt = %attempt.id, error = %e, "status: reconcile failed; showing the stored state");
            Ok(Some(attempt))
        }
    }
}

/// Whether the attempt is settled, for the status page's watcher.
pub async fn is_settled(
    state: &AppState,
    token: &str,
    attempt_id: &str,
) -> Result<bool, PlanChangeError> {
    let claims = state.links.verify(Some(token), Audience::PlanChange)?;
    let Some(attempt) = state.store.attempt(attempt_id).await? else {
        return Ok(true);
    };
    if claims.subscription_id.is_none() || claims.subscription_id != attempt.subscription_id {
        return Err(LinkError::Invalid.into());
    }
    // The store only: webhooks and the engine's reconciler move the attempt along.
    Ok(attempt.status.is_final() && charge_settled(state, &attempt).await)
}

/// With `apply_change` the plan switches before its charge settles, so the attempt succeeds
/// (`subscription.plan_changed`) while the payment may still fail and put the subscription on
/// hold. The outcome is known only once that payment is final.
async fn charge_settled(state: &AppState, attempt: &Attempt) -> bool {
    let Some(order) = plan_change_order(attempt) else {
        return true;
    };
    if attempt.status != AttemptStatus::Succeeded
        || order.scheduled()
        || order.previewed_total_minor == 0
        || order.on_payment_failure != OnPaymentFailure::ApplyChange
    {
        return true;
    }
    let payment = match &attempt.dodo_payment_id {
        Some(id) => state.dodo_client.payment(id).await.ok(),
        None => find_payment(&state.dodo_client, attempt)
            .await
            .ok()
            .flatten(),
    };
    payment.and_then(|p| p.status).is_none_or(|s| s.is_final())
}

/// The plan-change order an attempt carries, if it is one.
fn plan_change_order(attempt: &Attempt) -> Option<PlanChangeOrder> {
    match Order::of(attempt).ok()? {
        Order::PlanChange(order) => Some(order),
        _ => None,
    }
}

/// The subscription's plan-change payment Dodo is still processing, if it shows one.
async fn payment_in_flight(state: &AppState, sub: &Subscription) -> Option<Money> {
    let payments = state
        .dodo_client
        .payments(&PaymentFilter {
            subscription_id: Some(sub.id.clone()),
            status: Some(IntentStatus::Processing),
            ..PaymentFilter::default()
        })
        .await
        .ok()?;
    let p = payments.first()?;
    Some(Money::new(p.total_amount, &p.currency))
}
