//! Our error kinds for everything Dodo (or the way to it) can answer.

use std::time::Duration;

/// What went wrong talking to Dodo. `code`s come from Dodo's error body
/// (`{"code","message"}`); when the body has none, the code is `HTTP_<status>`.
///
/// Display texts are safe to log: the API key is scrubbed from them. They are written for
/// operators; the app chooses what a customer sees.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DodoError {
    /// 404: no such customer, payment, subscription… (or nothing scheduled to cancel).
    #[error("Dodo: not found ({code}): {message}")]
    NotFound { code: String, message: String },
    /// 400/422 and other 4xx: Dodo refused the request as given; nothing happened. Also
    /// used for ids this client refuses to put into a URL.
    #[error("Dodo refused the request ({code}): {message}")]
    InvalidRequest { code: String, message: String },
    /// A payment failure reason (`CARD_DECLINED`, `INSUFFICIENT_FUNDS`, `EXPIRED_CARD`, …)
    /// returned as an error answer: nothing was charged.
    #[error("payment declined ({code}): {message}")]
    Declined { code: String, message: String },
    /// 409, e.g. `PendingPlanChangeExists`: nothing happened.
    #[error("Dodo reported a conflict ({code}): {message}")]
    Conflict { code: String, message: String },
    /// 401/403: the API key is wrong, revoked, or lacks write access.
    #[error("Dodo refused the API key")]
    Unauthorized,
    /// Too many requests (429). `retry_after` is known only for calls sent through the
    /// SDK's escape hatch (money calls, hosted checkout): the typed read methods drop the
    /// response headers, after having waited per `Retry-After` between their own attempts.
    #[error("rate limited by Dodo")]
    RateLimited { retry_after: Option<Duration> },
    /// 5xx (or 408). For a money call the request may have been carried out.
    #[error("Dodo is unavailable (HTTP {})", status.map_or_else(|| "?".to_owned(), |s| s.to_string()))]
    Unavailable { status: Option<u16> },
    /// No answer in time. For a money call the request may have been carried out.
    #[error("timed out waiting for Dodo")]
    Timeout,
    /// The connection failed. `maybe_sent` is false only when it failed while connecting,
    /// i.e. before any byte of the request left.
    #[error("could not talk to Dodo: {detail}")]
    Transport { detail: String, maybe_sent: bool },
    /// Dodo answered something we cannot read: an unreadable success body, or a field that
    /// breaks our types (bad timestamp, unknown price shape, …).
    #[error("unexpected answer from Dodo: {detail}")]
    Decode { detail: String },
}

impl DodoError {
    /// For a money-moving call: true when the request may have reached Dodo and been carried
    /// out, but we do not know the result (timeout, connection lost after sending, 5xx, an
    /// unreadable 2xx). The app must then reconcile — look the payment or subscription up,
    /// wait for webhooks — and never send the call again.
    ///
    /// False for answers that say nothing happened (4xx) and for failures before sending.
    /// Meaningless for reads, which can simply be repeated.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            DodoError::Timeout | DodoError::Unavailable { .. } | DodoError::Decode { .. } => true,
            DodoError::Transport { maybe_sent, .. } => *maybe_sent,
            DodoError::NotFound { .. }
            | DodoError::InvalidRequest { .. }
            | DodoError::Declined { .. }
            | DodoError::Conflict { .. }
            | DodoError::Unauthorized
            | DodoError::RateLimited { .. } => false,
        }
    }

    /// Dodo's error code, when the error carries one.
    pub fn code(&self) -> Option<&str> {
        match self {
            DodoError::NotFound { code, .. }
            | DodoError::InvalidRequest { code, .. }
            | DodoError::Declined { code, .. }
            | DodoError::Conflict { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Replaces every occurrence of `secret` in the texts of this error. Dodo should never
    /// echo the key, but an error body from a proxy might, and these texts get logged.
    pub(crate) fn scrubbed(self, secret: &str) -> DodoError {
        let scrub = |text: String| scrub(&text, secret);
        match self {
            DodoError::NotFound { code, message } => DodoError::NotFound {
                code: scrub(code),
                message: scrub(message),
            },
            DodoError::InvalidRequest { code, message } => DodoError::InvalidRequest {
                code: scrub(code),
                message: scrub(message),
            },
            DodoError::Declined { code, message } => DodoError::Declined {
                code: scrub(code),
                message: scrub(message),
            },
            DodoError::Conflict { code, message } => DodoError::Conflict {
                code: scrub(code),
                message: scrub(message),
            },
            DodoError::Transport { detail, maybe_sent } => DodoError::Transport {
                detail: scrub(detail),
                maybe_sent,
            },
            DodoError::Decode { detail } => DodoError::Decode {
                detail: scrub(detail),
            },
            other => other,
        }
    }
}

pub(crate) fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_owned();
    }
    text.replace(secret, "[redacted]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_outcomes() {
        assert!(DodoError::Timeout.outcome_unknown());
        assert!(DodoError::Unavailable { status: Some(500) }.outcome_unknown());
        assert!(DodoError::Decode { detail: "x".into() }.outcome_unknown());
        assert!(
            DodoError::Transport {
                detail: "reset".into(),
                maybe_sent: true
            }
            .outcome_unknown()
        );
        assert!(
            !DodoError::Transport {
                detail: "refused".into(),
                maybe_sent: false
            }
            .outcome_unknown()
        );
        assert!(
            !DodoError::Declined {
                code: "CARD_DECLINED".into(),
                message: String::new()
            }
            .outcome_unknown()
        );
        assert!(!DodoError::RateLimited { retry_after: None }.outcome_unknown());
        assert!(!DodoError::Unauthorized.outcome_unknown());
    }

    #[test]
    fn scrubbing_removes_the_key_everywhere() {
        let e = DodoError::InvalidRequest {
            code: "X".into(),
            message: "bad key sk_abc in header Bearer sk_abc".into(),
        }
        .scrubbed("sk_abc");
        assert!(!e.to_string().contains("sk_abc"), "{e}");
        assert!(e.to_string().contains("[redacted]"));
    }

    #[test]
    fn unavailable_display() {
        assert_eq!(
            DodoError::Unavailable { status: Some(502) }.to_string(),
            "Dodo is unavailable (HTTP 502)"
        );
    }
}
