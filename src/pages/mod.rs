//! One file (or folder) per page.

pub mod demo_store;
pub mod home;
pub mod not_found;
pub mod offer;
