//! Subscription plan change: compare plans, see Dodo's preview of what a switch costs now,
//! confirm it in a dialog that names the amount, follow it to its outcome. See `views.rs` for
//! the routes, `islands.rs` for what runs in the browser, `api.rs` for the server functions.

pub mod api;
pub mod islands;
mod views;

#[cfg(feature = "ssr")]
pub use views::fragment;
pub use views::{DemoLinksPage, PlanChangePage, ReviewPage, StatusPage};
