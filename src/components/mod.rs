//! Small reusable pieces of the pages.

pub mod embed_frame;
pub mod link_error;
pub mod server_status_check;
