//! Post-purchase offers: the landing page Dodo's checkout returns to, the choice of offer for a
//! purchase, eligibility, the page's view, and what Accept / No thanks / Don't show again do.

pub mod accepting;
pub mod actions;
pub mod cross_sell;
pub mod eligibility;
pub mod error;
pub mod landing;
pub mod link;
pub mod owed;
pub mod paid;
pub mod selection;
pub mod session;
pub mod trace;
pub mod view;

use super::state::AppState;

/// Unix seconds now.
pub fn now_secs() -> i64 {
    super::store::now_millis() / 1000
}

/// `{public_url}{path}`.
pub fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.public_url)
}
