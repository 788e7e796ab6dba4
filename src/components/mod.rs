//! Small reusable pieces of the pages.

pub mod server_status_check;
