//! Post-purchase offers: the landing page Dodo's checkout returns to, the choice of offer for a
//! purchase, eligibility, the page's view, and what Accept / No thanks / Don't show again do.

pub mod actions;
pub mod cross_sell;
pub mod eligibility;
pub mod landing;
pub mod selection;
pub mod session;
pub mod view;

use super::state::AppState;

/// The idempotency key of an offer's one-click charge: one offer, one charge.
pub fn charge_key(offer_id: &str) -> String {
    format!("offer:{offer_id}")
}

/// Unix seconds now.
pub fn now_secs() -> i64 {
    super::store::now_millis() / 1000
}

/// `{public_url}{path}`.
pub fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.public_url)
}
