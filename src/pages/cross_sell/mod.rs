//! `/cross-sell?token=…`: products related to what an existing customer owns, each bought with
//! one click on the saved card — or through a normal checkout, with the reason, when no saved
//! card is usable. Reached through a signed link (audience `cross-sell`) or embedded.

pub mod api;
pub mod page;

pub use page::CrossSellPage;
