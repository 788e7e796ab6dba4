//! The server's status (`/api/server_status`) and the sandbox's demo products (the start page).

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// What `POST /api/server_status` answers: which Dodo the server talks to, and the store.
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
    /// Buying it triggers a post-purchase offer of the merchant's rules: the tour shows it
    /// first, the others under "More demo products".
    pub featured: bool,
}
