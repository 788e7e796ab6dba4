//! From the server's errors to the pages' [`AppError`] (the policy is in `crate::error`).
//!
//! These conversions are the one place that logs a failure the customer sees: a refusal the
//! customer caused (a bad link, another browser's offer) at `info`, a failure of Dodo or the
//! store at `warn`, a broken invariant at `error`. Handlers and server functions do not log
//! what they convert.

use super::attempts::EngineError;
use super::links::LinkError;
use super::offer::error::OfferError;
use super::plan_change::{PlanChangeError, SwitchProblem};
use super::store::StoreError;
use crate::error::AppError;
use crate::types::link::LinkProblem;
use dodo_client::DodoError;

impl From<LinkError> for AppError {
    fn from(e: LinkError) -> Self {
        tracing::info!(error = %e, "link refused");
        AppError::Link(LinkProblem::from(e))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        tracing::warn!(error = %e, "store unavailable");
        AppError::Unavailable
    }
}

impl From<DodoError> for AppError {
    fn from(e: DodoError) -> Self {
        tracing::warn!(error = %e, "Dodo call failed");
        AppError::Unavailable
    }
}

impl From<EngineError> for AppError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Store(e) => e.into(),
            other => {
                tracing::error!(error = %other, "money engine failed");
                AppError::Internal
            }
        }
    }
}

impl From<OfferError> for AppError {
    fn from(e: OfferError) -> Self {
        match e {
            OfferError::NotFound => AppError::NotFound,
            OfferError::NotYours => {
                tracing::info!("offer refused: not this browser's");
                AppError::NotYours
            }
            OfferError::PurchaseGone => {
                tracing::info!("offer refused: Dodo no longer knows its purchase");
                AppError::OfferGone
            }
            OfferError::Store(e) => e.into(),
            OfferError::Dodo(e) => e.into(),
            OfferError::Engine(e) => e.into(),
            other @ (OfferError::RuleGone | OfferError::NoFixedPrice) => {
                tracing::warn!(error = %other, "offer unavailable");
                AppError::Unavailable
            }
            OfferError::Undo(refusal) => {
                tracing::info!(?refusal, "undo refused");
                AppError::Undo(refusal)
            }
            OfferError::Interrupted(detail) => {
                tracing::error!(%detail, "an offer action stopped");
                AppError::Internal
            }
            OfferError::Session(detail) => {
                tracing::error!(%detail, "cannot sign an offer session");
                AppError::Internal
            }
        }
    }
}

impl From<PlanChangeError> for AppError {
    fn from(e: PlanChangeError) -> Self {
        match e {
            PlanChangeError::Link(e) => e.into(),
            PlanChangeError::Dodo(e) => e.into(),
            PlanChangeError::Store(e) => e.into(),
            PlanChangeError::Engine(e) => e.into(),
        }
    }
}

impl From<SwitchProblem> for AppError {
    fn from(e: SwitchProblem) -> Self {
        match e {
            SwitchProblem::AlreadyOnPlan => AppError::AlreadyOnPlan,
            SwitchProblem::NotOffered => AppError::PlanNotOffered,
            SwitchProblem::Dodo(e) => {
                tracing::warn!(error = %e, "plan-change preview failed");
                AppError::PreviewFailed
            }
        }
    }
}
