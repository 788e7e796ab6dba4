//! Undo of a scheduled change, and Dodo's page for a new card (which also pays the dues of a
//! subscription on hold).

use super::PlanChangeError;
use super::link;
use crate::server::state::AppState;
use dodo_client::{DodoClient, DodoError, UpdatePaymentMethod};

/// What Undo led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UndoOutcome {
    /// Nothing is scheduled any more: the subscription stays on its plan.
    Undone,
    /// Dodo still shows the change scheduled (or could not be asked).
    NotUndone,
}

/// Cancels the link's subscription's scheduled change.
pub async fn undo(state: &AppState, token: &str) -> Result<UndoOutcome, PlanChangeError> {
    let loaded = link::load(state, Some(token)).await?;
    let subscription = &loaded.subscription.id;
    Ok(
        match undo_scheduled(&state.dodo_client, subscription).await {
            Ok(true) => {
                tracing::info!(%subscription, "scheduled plan change undone");
                UndoOutcome::Undone
            }
            Ok(false) => UndoOutcome::NotUndone,
            Err(e) => {
                tracing::warn!(%subscription, error = %e, "undo of a scheduled plan change failed");
                UndoOutcome::NotUndone
            }
        },
    )
}

/// Cancels the subscription's scheduled change. Sent once; a lost answer or "nothing
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

/// A Dodo page where the subscriber enters a new card for this subscription (paying the dues
/// of an on-hold subscription); it returns to the plan-change page.
pub async fn update_payment_method_link(
    state: &AppState,
    token: &str,
) -> Result<String, PlanChangeError> {
    let loaded = link::load(state, Some(token)).await?;
    let return_url = format!(
        "{}{}",
        state.config.public_url,
        crate::routes::plan_change(token)
    );
    let outcome = state
        .dodo_client
        .update_payment_method(
            &loaded.subscription.id,
            &UpdatePaymentMethod::New {
                return_url: Some(return_url),
            },
        )
        .await?;
    outcome.payment_link.ok_or_else(|| {
        PlanChangeError::Dodo(DodoError::Decode {
            detail: "update-payment-method answered without a payment_link".into(),
        })
    })
}
