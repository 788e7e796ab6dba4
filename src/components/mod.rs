//! Small reusable pieces of the pages.

pub mod embed_frame;
pub mod error_page;
