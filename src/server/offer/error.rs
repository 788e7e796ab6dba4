//! What can go wrong in the offer use cases (landing, choosing, showing, the buttons).

use crate::server::attempts::EngineError;
use crate::server::store::StoreError;
use crate::types::offer::UndoRefusal;
use dodo_client::DodoError;

#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    #[error("no such offer")]
    NotFound,
    /// The offer follows a purchase another browser made (or a link of another customer).
    #[error("this offer is not available in this browser")]
    NotYours,
    /// Dodo no longer knows the purchase the offer follows (it answered 404 for the payment).
    #[error("the purchase this offer follows is unknown to Dodo")]
    PurchaseGone,
    #[error("the offer's rule is no longer configured")]
    RuleGone,
    #[error("the product no longer has a fixed price")]
    NoFixedPrice,
    #[error("undo refused: {0:?}")]
    Undo(UndoRefusal),
    #[error("cannot sign the offer session: {0}")]
    Session(crate::server::links::SignError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Dodo(#[from] DodoError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The task running a button's work ended without an answer (it panicked).
    #[error("the action stopped: {0}")]
    Interrupted(String),
}
