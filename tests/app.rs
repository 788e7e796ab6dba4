//! Every integration test of the app in one test binary: one link of the server instead of one
//! per file (each was a 200 MB binary), and one copy of `support`. Each file is a module;
//! `cargo test --test app seams::` runs one of them.

mod support;

mod analytics;
#[path = "core.rs"]
mod core_journeys;
mod dodo_calls;
mod dodo_check;
mod hostile;
mod hostile_generated;
mod landing_trace;
mod locales;
mod merchant_auth;
mod money_chaos;
mod offers;
mod plan_change;
mod plan_change_edges;
mod seams;
mod tour;
mod undo;
