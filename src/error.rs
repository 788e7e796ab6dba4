//! The one error vocabulary of the pages and server functions.
//!
//! Policy (where each error type lives):
//! - Server use cases return their own `thiserror` enums (`OfferError`, `PlanChangeError`,
//!   `LinkError`, `StoreError`, `DodoError`, `EngineError`), with the detail operators need.
//! - What crosses to the browser is an [`AppError`]: a kind the customer can act on, never an
//!   internal detail. `server::error` converts (and logs, once, at the conversion).
//! - Server functions return `Result<T, AppError>`; islands match its variants, never strings.
//! - The HTTP status comes from [`AppError::status`], set in one place for server functions
//!   (`server::http`) and by the one error page for pages (`components::error_page`).

use crate::i18n::{Locale, Text, offer::OfferText, plan_change::PlanChangeText, t};
use crate::types::link::LinkProblem;
use crate::types::offer::UndoRefusal;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request is missing a field or has one of the wrong shape (names the field).
    #[error("malformed request: {0}")]
    Malformed(String),
    /// A money-moving request without the amount the customer agreed to: nothing was sent.
    #[error("the amount the customer agreed to is missing")]
    ConsentMissing,
    /// A signed link is missing, expired or not valid.
    #[error("link: {0:?}")]
    Link(LinkProblem),
    /// The purchase belongs to another browser.
    #[error("not this browser's")]
    NotYours,
    #[error("not found")]
    NotFound,
    /// The offer exists but can no longer be accepted: Dodo no longer knows its purchase.
    #[error("offer no longer available")]
    OfferGone,
    /// The switch asked for is the current plan.
    #[error("already on this plan")]
    AlreadyOnPlan,
    /// The switch asked for is not one the subscription may make.
    #[error("plan not offered")]
    PlanNotOffered,
    /// Dodo could not preview the switch; nothing changed.
    #[error("preview failed")]
    PreviewFailed,
    /// An undo the server refused (nothing was refunded).
    #[error("undo refused: {0:?}")]
    Undo(UndoRefusal),
    /// Too many requests from this client.
    #[error("rate limited")]
    RateLimited,
    /// Dodo or the store could not be reached; nothing was charged.
    #[error("temporarily unavailable")]
    Unavailable,
    /// A bug, or the request reached us broken (the detail is in the log).
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Malformed(_) => 400,
            AppError::Link(LinkProblem::Missing) => 401,
            AppError::Link(_) | AppError::NotYours => 403,
            AppError::NotFound => 404,
            AppError::OfferGone => 410,
            AppError::ConsentMissing
            | AppError::AlreadyOnPlan
            | AppError::PlanNotOffered
            | AppError::PreviewFailed => 422,
            AppError::Undo(_) => 409,
            AppError::RateLimited => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// A short machine name, for tests and merchants' scripts (`data-error`).
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Malformed(_) => "malformed",
            AppError::ConsentMissing => "consent-missing",
            AppError::Link(LinkProblem::Missing) => "link-missing",
            AppError::Link(LinkProblem::Expired) => "link-expired",
            AppError::Link(LinkProblem::Invalid) => "link-invalid",
            AppError::NotYours => "not-yours",
            AppError::NotFound => "not-found",
            AppError::OfferGone => "offer-gone",
            AppError::AlreadyOnPlan => "already-on-plan",
            AppError::PlanNotOffered => "plan-not-offered",
            AppError::PreviewFailed => "preview-failed",
            AppError::Undo(UndoRefusal::WindowPassed) => "undo-window-passed",
            AppError::Undo(UndoRefusal::AlreadyRefunded) => "already-refunded",
            AppError::Undo(UndoRefusal::NotUndoable) => "not-undoable",
            AppError::RateLimited => "rate-limited",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
        }
    }

    /// One error of every kind, for texts written ahead of time (the plan chooser's props).
    pub fn one_of_each() -> Vec<AppError> {
        vec![
            AppError::Malformed(String::new()),
            AppError::ConsentMissing,
            AppError::Link(LinkProblem::Missing),
            AppError::Link(LinkProblem::Expired),
            AppError::Link(LinkProblem::Invalid),
            AppError::NotYours,
            AppError::NotFound,
            AppError::OfferGone,
            AppError::AlreadyOnPlan,
            AppError::PlanNotOffered,
            AppError::PreviewFailed,
            AppError::Undo(UndoRefusal::WindowPassed),
            AppError::Undo(UndoRefusal::AlreadyRefunded),
            AppError::Undo(UndoRefusal::NotUndoable),
            AppError::RateLimited,
            AppError::Unavailable,
            AppError::Internal,
        ]
    }

    /// The error page's heading.
    pub fn title(&self, locale: Locale) -> &'static str {
        match self {
            AppError::Link(LinkProblem::Missing) => t(locale, Text::LinkMissingTitle),
            AppError::Link(LinkProblem::Expired) => t(locale, Text::LinkExpiredTitle),
            AppError::Link(LinkProblem::Invalid) => t(locale, Text::LinkInvalidTitle),
            AppError::NotYours => t(locale, OfferText::NotYoursTitle),
            AppError::NotFound => t(locale, Text::NotFoundTitle),
            AppError::OfferGone => t(locale, OfferText::GoneTitle),
            _ => t(locale, Text::ErrorTitle),
        }
    }

    /// The one sentence the customer reads.
    pub fn message(&self, locale: Locale) -> &'static str {
        match self {
            AppError::Malformed(_) => t(locale, Text::ErrorMalformed),
            AppError::ConsentMissing => t(locale, Text::ErrorConsentMissing),
            AppError::Link(LinkProblem::Missing) => t(locale, Text::LinkMissingBody),
            AppError::Link(LinkProblem::Expired) => t(locale, Text::LinkExpiredBody),
            AppError::Link(LinkProblem::Invalid) => t(locale, Text::LinkInvalidBody),
            AppError::NotYours => t(locale, OfferText::NotYoursBody),
            AppError::NotFound => t(locale, Text::NotFoundBody),
            AppError::OfferGone => t(locale, OfferText::GoneBody),
            AppError::AlreadyOnPlan => t(locale, PlanChangeText::AlreadyOnPlan),
            AppError::PlanNotOffered => t(locale, PlanChangeText::PlanNotOffered),
            AppError::PreviewFailed => t(locale, PlanChangeText::PreviewFailed),
            AppError::Undo(UndoRefusal::WindowPassed) => t(locale, OfferText::UndoWindowPassed),
            AppError::Undo(UndoRefusal::AlreadyRefunded) => {
                t(locale, OfferText::UndoAlreadyRefunded)
            }
            AppError::Undo(UndoRefusal::NotUndoable) => t(locale, OfferText::UndoNotPossible),
            AppError::RateLimited => t(locale, Text::ErrorRateLimited),
            AppError::Unavailable | AppError::Internal => t(locale, Text::SomethingWentWrong),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// What the server-function machinery itself reports: arguments that do not parse, or a
    /// body that is not text (on the server, `Deserialization` is the request's body), are the
    /// caller's mistake; a failed request on the client side means the server is unreachable.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) => AppError::Malformed(detail),
            ServerFnErrorErr::MissingArg(name) => AppError::Malformed(name),
            ServerFnErrorErr::Deserialization(detail) => {
                AppError::Malformed(format!("unreadable body: {detail}"))
            }
            ServerFnErrorErr::Request(_) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_fit_the_kind() {
        assert_eq!(AppError::Malformed("quantity".into()).status(), 400);
        assert_eq!(AppError::Link(LinkProblem::Missing).status(), 401);
        assert_eq!(AppError::Link(LinkProblem::Expired).status(), 403);
        assert_eq!(AppError::NotYours.status(), 403);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::OfferGone.status(), 410);
        assert_eq!(AppError::ConsentMissing.status(), 422);
        assert_eq!(AppError::Unavailable.status(), 503);
    }

    #[test]
    fn one_of_each_kind() {
        let kinds: std::collections::BTreeSet<&str> =
            AppError::one_of_each().iter().map(AppError::kind).collect();
        // kind() names 17 kinds; a new variant joins both lists.
        assert_eq!(kinds.len(), 17);
        assert_eq!(AppError::one_of_each().len(), 17);
    }

    #[test]
    fn round_trips_as_json() {
        let e = AppError::Link(LinkProblem::Invalid);
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
        // The machinery's own errors land on a kind.
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("quantity".into())),
            AppError::Malformed("quantity".into())
        );
    }
}
