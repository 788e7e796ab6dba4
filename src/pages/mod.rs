//! One file (or folder) per page.

pub mod cross_sell;
pub mod home;
pub mod not_found;
pub mod offer;
pub mod plan_change;
