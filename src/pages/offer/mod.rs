//! The post-purchase offer pages.

pub mod api;
mod card;
pub mod islands;
pub mod link;
pub mod page;
pub mod states;
pub mod unavailable;
