//! Subscription plan change: compare plans, see Dodo's preview of what a switch costs now,
//! confirm it in a dialog that names the amount, follow it to its outcome.
//!
//! - `api.rs`: the server functions; `islands.rs` (with `dialog.rs`): what runs in the browser.
//! - One file per page — `comparison.rs` (with `plan_card.rs`), `review.rs`, `status.rs`,
//!   `demo_links.rs` — and `preview_parts.rs` for what the dialog and the review page share.
//! - `present/` turns the facts of `server::plan_change` into the pages' words; `urls.rs`
//!   holds what the pages' addresses carry.
//!
//! Pages render on the server only (islands mode): everything but the server functions'
//! declarations and the islands is `ssr`-only, so none of it reaches the WASM.

pub mod api;
mod dialog;
pub mod islands;

#[cfg(feature = "ssr")]
mod common;
#[cfg(feature = "ssr")]
mod comparison;
#[cfg(feature = "ssr")]
mod demo_links;
#[cfg(feature = "ssr")]
mod plan_card;
#[cfg(feature = "ssr")]
pub mod present;
#[cfg(feature = "ssr")]
mod preview_parts;
#[cfg(feature = "ssr")]
mod review;
#[cfg(feature = "ssr")]
mod status;
#[cfg(feature = "ssr")]
mod urls;

#[cfg(feature = "ssr")]
pub use {
    comparison::PlanChangePage,
    demo_links::DemoLinksPage,
    preview_parts::{fragment, problem_fragment},
    review::ReviewPage,
    status::StatusPage,
};

/// The browser never renders a page (islands mode), but the route table, compiled in both
/// builds, names them: in the WASM they are empty.
#[cfg(not(feature = "ssr"))]
mod route_names {
    use leptos::prelude::*;

    #[component]
    pub fn PlanChangePage() -> impl IntoView {}
    #[component]
    pub fn ReviewPage() -> impl IntoView {}
    #[component]
    pub fn StatusPage() -> impl IntoView {}
    #[component]
    pub fn DemoLinksPage() -> impl IntoView {}
}
#[cfg(not(feature = "ssr"))]
pub use route_names::{DemoLinksPage, PlanChangePage, ReviewPage, StatusPage};
