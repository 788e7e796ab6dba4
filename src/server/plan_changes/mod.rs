//! Subscription plan changes: the family of a subscription's plan (from Dodo's product
//! collections or `merchant.toml`), the pages' use cases (`page.rs`), and Undo of a scheduled
//! change. Confirming a change is a money-moving call and goes through the one engine in
//! `server::attempts` (adapter: `attempts::plan_change`): recorded first, one open change per
//! subscription, sent once, reconciled from the subscription and its payments.

pub mod catalog;
pub mod family;
pub mod page;

pub use super::attempts::plan_change::{
    EffectiveAt, OnPaymentFailure, PENDING_CHANGE_EXISTS, PlanChangeOrder,
};
use dodo_client::{DodoClient, DodoError};
use std::time::Duration;

/// A recorded change that no server sent (crash between record and send) is sent later only
/// within this window after the customer confirmed; after it, it expires unsent.
pub const SEND_WINDOW: Duration = Duration::from_secs(10 * 60);

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
