//! The merchant pages under `/merchant`. They are not Leptos routes: axum handlers
//! (`server::merchant_auth::handlers`) render these views to HTML strings on the server. So
//! they are not in the app's route table, this module is compiled for the server only
//! (`ssr`), and the customers' WASM does not grow by a byte; the pages need no script (their
//! Content-Security-Policy allows none, `server::merchant_auth::headers`).

pub mod home;
pub mod layout;
pub mod login;
pub mod text;
