//! Small reusable pieces of the pages.

pub mod browser;
pub mod buttons;
pub mod embed_frame;
pub mod error_page;
pub mod hydrated;
pub mod language_switcher;
