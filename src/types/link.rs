//! What a page says about a signed link it cannot use.

/// Why a signed link cannot be used, as the page states it. Mirrors the server's link errors
/// without depending on server code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkProblem {
    Missing,
    Expired,
    /// Tampered, foreign, unreadable, or for another page: the customer cannot fix any of these
    /// and the page must not say which (that would help someone probing links).
    Invalid,
}
