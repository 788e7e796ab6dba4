//! What the start page shows: the server's status and the sandbox's demo products.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// What the start page's "Check the server" button shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    /// `sandbox`, `test mode` or `live mode`.
    pub dodo_mode: String,
    /// `healthy` or `unavailable`.
    pub store: String,
}

/// A demo product the start page sells (sandbox mode).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoProduct {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub price: Money,
}
