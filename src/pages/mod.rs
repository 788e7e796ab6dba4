//! One file (or folder) per page.

pub mod cross_sell;
pub mod home;
// Server-rendered only: never in the customers' WASM (see the module).
#[cfg(feature = "ssr")]
pub mod merchant;
pub mod not_found;
pub mod offer;
pub mod plan_change;
