//! Wire and view types: what the server hands the pages and what islands receive as props or
//! from server functions. Plain data (serde only) — no components, no server code — so both
//! sides depend on this module and it depends on nothing of theirs.

pub mod link;
pub mod offer;
pub mod plan_change;
pub mod status;
