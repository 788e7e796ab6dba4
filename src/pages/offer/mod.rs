//! The post-purchase offer pages.

pub mod actions;
pub mod islands;
pub mod page;
pub mod unavailable;
