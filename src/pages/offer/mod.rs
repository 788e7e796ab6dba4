//! The post-purchase offer pages.

pub mod actions;
pub mod islands;
pub mod model;
pub mod page;
pub mod text;
pub mod unavailable;
