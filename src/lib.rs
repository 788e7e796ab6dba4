//! Dodo Upsell: customer-facing pages for revenue after the first sale.
//!
//! The crate is compiled twice: with `ssr` it is the axum server (see [`server`]), with
//! `hydrate` it is the WASM that brings the interactive islands to life in the browser.
//! Everything outside `server` is shared by both builds.

pub mod app;
pub mod components;
pub mod context;
#[cfg(feature = "ssr")]
pub mod dates;
pub mod error;
pub mod i18n;
pub mod money;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;

/// Entry point of the browser bundle, called by Leptos' island loader once the WASM is in.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Readable panics in development; release builds leave the formatting machinery out of
    // the WASM customers download (they abort on panic anyway).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Each island's code arrives in its own lazily loaded chunk after this returns; the
    // `data-hydrated` marker waits for all of them (components/hydrated.rs).
    components::hydrated::page_ready();
}
