//! Subscription plan changes: the family of a subscription's plan (from Dodo's product
//! collections or `merchant.toml`) and the pages' use cases, one file each. Confirming a
//! change is a money-moving call and goes through the one engine in `server::attempts`
//! (adapter: `attempts::plan_change`): recorded first, one open change per subscription, sent
//! once, reconciled from the subscription and its payments.
//!
//! Every use case takes the link's token and at most a plan and a seat count; everything else
//! (customer, subscription, current plan, proration, timing, failure mode, amount) is
//! re-derived on each call. They answer with facts — plans, money in minor units, dates,
//! directions, outcomes — never with the customer's sentences: the presenter next to the
//! views (`pages::plan_change::present`) words them.

pub mod catalog;
pub mod comparison;
pub mod confirm;
pub mod credit;
pub mod drift;
pub mod error;
pub mod facts;
pub mod family;
pub mod link;
pub mod preview;
pub mod status;
pub mod timing;
pub mod undo;

pub use super::attempts::plan_change::{
    EffectiveAt, OnPaymentFailure, PENDING_CHANGE_EXISTS, PlanChangeOrder,
};
pub use comparison::{BannerFact, ComparisonFacts, comparison};
pub use confirm::{Confirmed, SEND_WINDOW, confirm};
pub use credit::{CreditTimeline, credit_timeline};
pub use drift::{Drift, drift};
pub use error::PlanChangeError;
pub use facts::{Bill, PlanRef};
pub use link::{Loaded, load};
pub use preview::{PreviewFacts, Previewed, SwitchProblem, agreed_facts, preview, preview_facts};
pub use status::{Outcome, StatusFacts, is_settled, status};
pub use timing::Timing;
pub use undo::{UndoOutcome, undo, update_payment_method_link};

/// Checks the configured plan families against Dodo in the background and logs a warning
/// naming each misconfigured item (the page already leaves such items out).
pub fn spawn_startup_check(state: &super::state::AppState) -> tokio::task::JoinHandle<()> {
    let catalog = state.plan_catalog.clone();
    let merchant = state.merchant.clone();
    let warnings = state.config_warnings.clone();
    tokio::spawn(async move {
        let problems = catalog::check_at_startup(&catalog, &merchant).await;
        if problems.is_empty() {
            tracing::info!("plan families: configuration matches Dodo");
        }
        warnings.set(super::merchant::Check::PlanFamilies, problems);
    })
}
