//! The post-purchase offer pages.

pub mod actions;
pub mod api;
pub mod card;
pub mod islands;
pub mod link;
pub mod page;
pub mod paid;
pub mod states;
pub mod unavailable;
