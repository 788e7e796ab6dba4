//! The merchant pages under `/merchant`. They are not Leptos routes: axum handlers
//! ([`handlers`]) render these views to HTML strings on the server. So they are not in the
//! app's route table, this module is compiled for the server only (`ssr`), and the customers'
//! WASM does not grow by a byte; the pages need no script (their Content-Security-Policy
//! allows none, `server::merchant_auth::headers`).
//!
//! A new merchant page: a handler taking `SignedInMerchant` (it requires a sign-in) that
//! answers with [`layout::document`] around a [`layout::MerchantLayout`], its route added in
//! [`router`]; its POST forms
//! carry `csrf::hidden_field(&merchant.csrf)` and check it with `merchant.verify_csrf(..)`,
//! answering [`handlers::forbidden`] on `Err`.

pub mod check;
pub mod dashboard;
pub mod exports;
pub mod handlers;
pub mod layout;
pub mod live_config;
pub mod login;
pub mod text;
pub mod why_no_offer;

use crate::server::merchant_auth::{self, HOME_PATH, LOGIN_PATH, LOGOUT_PATH};
use crate::server::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Every merchant route, inside the merchant session layer.
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route(HOME_PATH, get(dashboard::page))
        .route("/merchant/landings", get(why_no_offer::page))
        .route("/merchant/config", get(live_config::page))
        .route("/merchant/check", get(check::form_page).post(check::run))
        .route("/merchant/export/offers.csv", get(exports::offers))
        .route("/merchant/export/daily.csv", get(exports::daily))
        .route(LOGIN_PATH, get(handlers::login_page).post(handlers::login))
        .route(LOGOUT_PATH, post(handlers::logout));
    merchant_auth::with_sessions(routes, state)
}
