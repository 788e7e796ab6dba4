//! Merchant sign-in for the `/merchant` dashboard: accounts with argon2id hashes (`users`,
//! `passwords`), server-side sessions in our store (`sessions`), CSRF tokens (`csrf`), login
//! rate limits (`rate_limit`), signing in and out (`login`) and the headers of every merchant
//! response (`headers`). The pages themselves are `pages::merchant`.
//!
//! Other merchant pages: add their routes in `pages::merchant::router` (so they get the
//! session layer), take a [`SignedInMerchant`] to require a sign-in, put
//! [`csrf::hidden_field`] in every POST form and check it with
//! [`SignedInMerchant::verify_csrf`].

pub mod cli;
pub mod csrf;
pub mod demo;
pub mod headers;
pub mod login;
pub mod passwords;
pub mod rate_limit;
pub mod sessions;
pub mod signed_in;
pub mod users;

pub use signed_in::{CsrfRefused, SignedInMerchant};

use super::state::AppState;
use axum::{Extension, Router};
use std::sync::Arc;

pub const HOME_PATH: &str = "/merchant";
pub const LOGIN_PATH: &str = "/merchant/login";
pub const LOGOUT_PATH: &str = "/merchant/logout";

/// Whether `path` is a merchant page (`/merchant` or below it; not `/merchants`).
pub fn is_merchant_path(path: &str) -> bool {
    path == HOME_PATH || path.starts_with("/merchant/")
}

/// `routes` (the merchant pages) inside the merchant session layer: only these routes see the
/// merchant cookie, and they share one set of login rate limits.
pub fn with_sessions(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    // The dummy hash for unknown emails, now rather than on the first one.
    passwords::prepare();
    routes
        .layer(Extension(Arc::new(rate_limit::LoginLimits::default())))
        .layer(sessions::layer(
            state.store.clone(),
            state.config.behind_tls(),
        ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn merchant_paths() {
        for path in ["/merchant", "/merchant/login", "/merchant/x/y"] {
            assert!(super::is_merchant_path(path), "{path}");
        }
        for path in ["/", "/merchants", "/merchantx", "/offer/merchant"] {
            assert!(!super::is_merchant_path(path), "{path}");
        }
    }
}
