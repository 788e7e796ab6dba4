//! What the merchant dashboard shows beyond the offer numbers (`server::analytics`): the live
//! configuration, and (with the store) the landings' trace.

pub mod live_config;
