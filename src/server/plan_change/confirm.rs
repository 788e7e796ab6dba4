//! Confirming a switch: a money-moving call, so it goes through the one engine in
//! `server::attempts` — recorded first under a key of its own, one open change per
//! subscription, sent once — and only when Dodo's fresh preview shows exactly the money facts
//! the customer agreed to.

use super::PlanChangeError;
use super::drift::{Drift, drift};
use super::link::{self, Loaded};
use super::preview::{SwitchProblem, agreed_facts, preview, target};
use super::timing::Timing;
use crate::server::attempts::plan_change::{PlanChangeOrder, PlanPrice, RecurringChange};
use crate::server::attempts::{Order, Started};
use crate::server::state::AppState;
use crate::server::store::{Refusal, now_millis};
use crate::types::plan_change::AgreedFacts;
use std::time::Duration;

/// A recorded change that no server sent (crash between record and send) is sent later only
/// within this window after the customer confirmed; after it, it expires unsent.
pub const SEND_WINDOW: Duration = Duration::from_secs(10 * 60);

/// What confirming led to.
#[derive(Debug)]
pub enum Confirmed {
    /// The attempt to show (new, or the one a double confirm already made).
    Attempt(String),
    /// Another change of the subscription is in flight: nothing was sent; this is that one.
    InFlight(String),
    /// A money fact of Dodo's fresh preview is not what the customer agreed to: nothing sent.
    Drifted(Drift),
    Problem(SwitchProblem),
}

/// Confirms a switch: re-derives everything from the token, previews again at Dodo, checks
/// the customer agreed to every money fact of that preview, and changes the plan exactly once
/// (one change in flight per subscription).
pub async fn confirm(
    state: &AppState,
    token: &str,
    product_id: &str,
    quantity: i64,
    timing: Timing,
    agreed: &AgreedFacts,
) -> Result<Confirmed, PlanChangeError> {
    let (_, subscription_id) = link::verify(state, Some(token))?;
    // The base of the key is read before the subscription, so a change settling in between
    // shows in the subscription (then "already on this plan") rather than in a new key.
    let base = state
        .store
        .latest_final_plan_change(&subscription_id)
        .await?;
    let loaded = link::load(state, Some(token)).await?;
    let sub = &loaded.subscription;
    let (plan, quantity) = match target(&loaded, product_id, quantity) {
        Ok(t) => t,
        Err(SwitchProblem::AlreadyOnPlan) => {
            // A repeated confirm of a change that already happened shows that change.
            return Ok(
                match state
                    .store
                    .latest_plan_change_to(&sub.id, product_id, sub.quantity)
                    .await?
                {
                    Some(a) => Confirmed::Attempt(a.id),
                    None => Confirmed::Problem(SwitchProblem::AlreadyOnPlan),
                },
            );
        }
        Err(problem) => return Ok(Confirmed::Problem(problem)),
    };
    // The same change is already scheduled (a repeated confirm): show it, send nothing.
    if let Some(c) = &sub.scheduled_change
        && c.product_id == plan.id()
        && c.quantity == quantity
        && let Some(a) = state
            .store
            .latest_plan_change_to(&sub.id, plan.id(), quantity)
            .await?
    {
        return Ok(Confirmed::Attempt(a.id));
    }
    let key = PlanChangeOrder::key_for(
        &sub.id,
        base.as_ref().map(|a| a.id.as_str()),
        (&sub.product_id, sub.quantity),
        (plan.id(), quantity),
    );
    if let Some(existing) = state.store.attempt_by_key(&key).await? {
        tracing::info!(attempt = %existing.id, "plan change confirmed again; showing the first");
        return Ok(Confirmed::Attempt(existing.id));
    }
    if let Some(open) = state.store.open_plan_change(&sub.id).await? {
        // This very change, recorded by a concurrent confirm since the key was looked up.
        if open.idempotency_key == key {
            return Ok(Confirmed::Attempt(open.id));
        }
        tracing::info!(attempt = %open.id, "another plan change is in flight; nothing sent");
        return Ok(Confirmed::InFlight(open.id));
    }
    let previewed = match preview(state, &loaded, plan.id(), quantity, timing).await {
        Ok(p) => p,
        Err(problem) => return Ok(Confirmed::Problem(problem)),
    };
    // A concurrent confirm of the same change may have recorded it meanwhile (and moved the
    // subscription, so this preview no longer matches): show that one.
    if let Some(existing) = state.store.attempt_by_key(&key).await? {
        return Ok(Confirmed::Attempt(existing.id));
    }
    if let Some(moved) = drift(agreed, &agreed_facts(&previewed)) {
        tracing::info!(subscription = %sub.id, ?moved, "plan-change preview moved since the customer saw it; not sent");
        return Ok(Confirmed::Drifted(moved));
    }
    let order = order(&loaded, key, &previewed);
    Ok(match state.engine.start(&Order::PlanChange(order)).await? {
        Started::Sent(a) | Started::Existing(a) => Confirmed::Attempt(a.id),
        Started::Refused(Refusal::ChangeInFlight(open)) => Confirmed::InFlight(open.id),
        Started::Refused(other) => {
            tracing::warn!(?other, "plan change refused by the store");
            Confirmed::Problem(SwitchProblem::NotOffered)
        }
    })
}

/// Everything the server decided about the change, as the engine records and sends it.
fn order(loaded: &Loaded, key: String, previewed: &super::Previewed) -> PlanChangeOrder {
    let sub = &loaded.subscription;
    let request = &previewed.request;
    PlanChangeOrder {
        idempotency_key: key,
        subscription_id: sub.id.clone(),
        customer_id: sub.customer_id.clone(),
        from_product_id: sub.product_id.clone(),
        from_quantity: sub.quantity,
        to_product_id: request.product_id.clone(),
        quantity: request.quantity,
        proration_billing_mode: request.proration_billing_mode.clone(),
        effective_at: previewed.settings.effective_at.clone(),
        on_payment_failure: previewed.settings.on_payment_failure.clone(),
        addons: request.addons.clone(),
        previewed_total_minor: previewed.preview.total_amount,
        previewed_credits_minor: previewed.preview.customer_credits,
        currency: previewed.preview.currency.clone(),
        send_before: now_millis() + SEND_WINDOW.as_millis() as i64,
        recurring: recurring(loaded, previewed),
    }
}

/// The direction and both plans' prices, kept with the order for the merchant's dashboard.
fn recurring(loaded: &Loaded, previewed: &super::Previewed) -> Option<RecurringChange> {
    let price = |p: &super::family::Plan| PlanPrice {
        amount_minor: p.amount,
        currency: p.currency.clone(),
        interval: p.interval.clone(),
        interval_count: p.interval_count,
    };
    let from = loaded.family.current.as_ref()?;
    Some(RecurringChange {
        direction: match previewed.direction {
            super::family::Direction::Upgrade => "upgrade",
            super::family::Direction::Downgrade => "downgrade",
        }
        .to_owned(),
        from: price(from),
        to: price(&previewed.target),
    })
}
