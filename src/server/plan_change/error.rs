//! What can go wrong in the plan-change use cases (load, compare, preview, confirm, status,
//! undo). A switch the customer cannot make is not an error but an answer: [`SwitchProblem`].
//!
//! [`SwitchProblem`]: super::SwitchProblem

use crate::server::attempts::EngineError;
use crate::server::links::LinkError;
use crate::server::store::StoreError;
use dodo_client::DodoError;

#[derive(Debug, thiserror::Error)]
pub enum PlanChangeError {
    /// The link is missing, expired, forged, or names a subscription that is not its
    /// customer's (or that Dodo does not know).
    #[error("link: {0}")]
    Link(#[from] LinkError),
    #[error("Dodo: {0}")]
    Dodo(#[from] DodoError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("plan change: {0}")]
    Engine(#[from] EngineError),
}
