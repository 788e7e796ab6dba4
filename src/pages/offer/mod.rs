//! The post-purchase offer pages.

pub mod api;
pub mod islands;
pub mod page;
pub mod unavailable;
