//! The merchant pages under `/merchant`. They are not Leptos routes: axum handlers
//! ([`handlers`]) render these views to HTML strings on the server. So they are not in the
//! app's route table, this module is compiled for the server only (`ssr`), and the customers'
//! WASM does not grow by a byte; the pages need no script (their Content-Security-Policy
//! allows none, `server::merchant_auth::headers`).
//!
//! A new merchant page: a handler taking `SignedInMerchant` (it requires a sign-in) that
//! answers with [`handlers::signed_in_page`], its route added in [`router`]; its POST forms
//! carry `csrf::hidden_field(&merchant.csrf)` and check it with `merchant.verify_csrf(..)`,
//! answering [`handlers::forbidden`] on `Err`.

pub mod handlers;
pub mod home;
pub mod layout;
pub mod login;
pub mod text;

use crate::server::merchant_auth::{self, HOME_PATH, LOGIN_PATH, LOGOUT_PATH};
use crate::server::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Every merchant route, inside the merchant session layer.
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = Router::new()
        .route(HOME_PATH, get(handlers::home))
        .route(LOGIN_PATH, get(handlers::login_page).post(handlers::login))
        .route(LOGOUT_PATH, post(handlers::logout));
    merchant_auth::with_sessions(routes, state)
}
