//! Turning what the SDK and HTTP give us into [`DodoError`].
//!
//! The SDK maps any non-2xx answer to `Error::Api { status, message }` where `message` is the
//! raw body, so the `code` has to be parsed here. Transport failures and unreadable 2xx
//! bodies both arrive as `Error::Http(reqwest::Error)`; reqwest's error kinds tell them apart.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::error::DodoError;

/// Longest error message kept from a body: an HTML error page from a proxy is noise.
const MAX_MESSAGE_CHARS: usize = 300;

/// Payment failure reasons (Dodo's transaction-failures list). When one comes back as an
/// error answer, nothing was charged and the customer should try another way.
const DECLINE_CODES: &[&str] = &[
    "AUTHENTICATION_FAILURE",
    "AUTHENTICATION_REQUIRED",
    "AUTHENTICATION_TIMEOUT",
    "CARD_DECLINED",
    "CARD_NOT_ACTIVATED",
    "CARD_VELOCITY_EXCEEDED",
    "DO_NOT_HONOR",
    "EXPIRED_CARD",
    "FRAUDULENT",
    "GENERIC_DECLINE",
    "INCORRECT_CVC",
    "INCORRECT_NUMBER",
    "INSUFFICIENT_FUNDS",
    "INVALID_ACCOUNT",
    "INVALID_CARD_NUMBER",
    "INVALID_CARD_OWNER",
    "INVALID_CVC",
    "INVALID_EXPIRY_YEAR",
    "INVALID_PIN",
    "LIMIT_EXCEEDED",
    "LIVE_MODE_TEST_CARD",
    "LOST_CARD",
    "MANDATE_INVALID",
    "MANDATE_REQUIRED",
    "PAYMENT_METHOD_PROVIDER_DECLINED",
    "PICKUP_CARD",
    "PROCESSING_ERROR",
    "STOLEN_CARD",
    "TRANSACTION_NOT_ALLOWED",
    "TRY_AGAIN_LATER",
];

/// An error from the SDK (typed methods, or `Client::send`).
pub(crate) fn from_sdk(err: dodopayments::Error) -> DodoError {
    match err {
        dodopayments::Error::Api { status, message } => from_status(status, None, &message),
        dodopayments::Error::Http(e) => from_reqwest(&e),
        dodopayments::Error::Json(e) => DodoError::Decode {
            detail: e.to_string(),
        },
        // Both only happen if this crate builds a request wrongly; nothing was sent.
        dodopayments::Error::MissingPathParam { .. } | dodopayments::Error::MissingBody { .. } => {
            DodoError::InvalidRequest {
                code: "CLIENT_BUG".to_owned(),
                message: err.to_string(),
            }
        }
        dodopayments::Error::Config(detail) => DodoError::InvalidRequest {
            code: "CLIENT_CONFIG".to_owned(),
            message: detail,
        },
    }
}

/// A failure of reqwest itself (no HTTP status to go by).
pub(crate) fn from_reqwest(e: &reqwest::Error) -> DodoError {
    if e.is_timeout() {
        return DodoError::Timeout;
    }
    if e.is_decode() {
        // The SDK only decodes bodies of 2xx answers, and reading the body of an answer is
        // also a "decode" error in reqwest: either way Dodo said yes and we lost the details.
        return DodoError::Decode {
            detail: error_chain(e),
        };
    }
    DodoError::Transport {
        detail: error_chain(e),
        // A request that could not be built, or a connection that could not be opened, means
        // no byte of the request left; anything later (reset, closed before the answer) may
        // have reached Dodo.
        maybe_sent: !(e.is_builder() || e.is_connect()),
    }
}

/// A non-2xx answer.
pub(crate) fn from_status(status: u16, headers: Option<&HeaderMap>, body: &str) -> DodoError {
    let (code, message) = parse_body(body);
    let code = code.unwrap_or_else(|| format!("HTTP_{status}"));
    let message = message.unwrap_or_else(|| {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_owned()
    });
    match status {
        401 | 403 => DodoError::Unauthorized,
        404 => DodoError::NotFound { code, message },
        409 => DodoError::Conflict { code, message },
        429 => DodoError::RateLimited {
            retry_after: headers.and_then(retry_after),
        },
        // 408: the server gave up waiting; through a proxy we cannot be sure nothing ran.
        408 | 500..=599 => DodoError::Unavailable {
            status: Some(status),
        },
        _ if status == 402 || is_decline(&code) => DodoError::Declined { code, message },
        _ => DodoError::InvalidRequest { code, message },
    }
}

fn is_decline(code: &str) -> bool {
    DECLINE_CODES.iter().any(|c| c.eq_ignore_ascii_case(code))
}

/// `(code, message)` from Dodo's flat `{"code","message"}`, the nested
/// `{"error":{"code","message"}}` some docs show, or a non-JSON body (message only).
pub(crate) fn parse_body(body: &str) -> (Option<String>, Option<String>) {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return (None, None);
    }
    let Ok(json) = serde_json::from_str::<Value>(trimmed) else {
        return (None, Some(shorten(trimmed)));
    };
    let flat = (text_field(&json, "code"), text_field(&json, "message"));
    if flat.0.is_some() || flat.1.is_some() {
        return flat;
    }
    match json.get("error") {
        Some(inner @ Value::Object(_)) => (text_field(inner, "code"), text_field(inner, "message")),
        Some(Value::String(message)) => (None, Some(shorten(message))),
        _ => (None, Some(shorten(trimmed))),
    }
}

fn text_field(json: &Value, key: &str) -> Option<String> {
    match json.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(shorten(s.trim())),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and ignored), or the
/// `retry-after-ms` Stainless SDKs also honour.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let seconds = |text: &str, scale: f64| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| Duration::from_secs_f64(v / scale))
    };
    header("retry-after-ms")
        .and_then(|v| seconds(v, 1000.0))
        .or_else(|| header("retry-after").and_then(|v| seconds(v, 1.0)))
}

/// The error and its sources in one line: reqwest's own text is often just
/// "error sending request".
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn flat_nested_and_raw_bodies() {
        assert_eq!(
            parse_body(r#"{"code":"NOT_FOUND","message":"Item not found"}"#),
            (Some("NOT_FOUND".into()), Some("Item not found".into()))
        );
        assert_eq!(
            parse_body(
                r#"{"error":{"code":"PendingPlanChangeExists","message":"pending","details":{}}}"#
            ),
            (
                Some("PendingPlanChangeExists".into()),
                Some("pending".into())
            )
        );
        assert_eq!(
            parse_body("<html>Bad gateway</html>"),
            (None, Some("<html>Bad gateway</html>".into()))
        );
        assert_eq!(parse_body("   "), (None, None));
        assert_eq!(
            parse_body(r#"{"error":"boom"}"#),
            (None, Some("boom".into()))
        );
    }

    #[test]
    fn long_bodies_are_cut() {
        let (_, message) = parse_body(&"x".repeat(5000));
        assert!(message.is_some_and(|m| m.chars().count() == MAX_MESSAGE_CHARS + 1));
    }

    #[test]
    fn statuses_map_to_kinds() {
        let body = r#"{"code":"INVALID_REQUEST_PARAMETERS","message":"nope"}"#;
        assert_eq!(
            from_status(422, None, body),
            DodoError::InvalidRequest {
                code: "INVALID_REQUEST_PARAMETERS".into(),
                message: "nope".into()
            }
        );
        assert!(matches!(
            from_status(422, None, r#"{"code":"EXPIRED_CARD","message":"expired"}"#),
            DodoError::Declined { code, .. } if code == "EXPIRED_CARD"
        ));
        assert!(matches!(
            from_status(404, None, ""),
            DodoError::NotFound { code, .. } if code == "HTTP_404"
        ));
        assert!(matches!(
            from_status(409, None, r#"{"code":"PendingPlanChangeExists","message":"x"}"#),
            DodoError::Conflict { code, .. } if code == "PendingPlanChangeExists"
        ));
        assert_eq!(from_status(401, None, ""), DodoError::Unauthorized);
        assert_eq!(from_status(403, None, ""), DodoError::Unauthorized);
        assert_eq!(
            from_status(502, None, "<html/>"),
            DodoError::Unavailable { status: Some(502) }
        );
        assert!(matches!(
            from_status(402, None, ""),
            DodoError::Declined { .. }
        ));
    }

    #[test]
    fn a_request_that_could_not_be_built_was_not_sent() {
        let Err(e) = reqwest::Client::new().get("http://[::1").build() else {
            panic!("a broken URL must not build");
        };
        let err = from_reqwest(&e);
        assert!(
            matches!(
                err,
                DodoError::Transport {
                    maybe_sent: false,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(!err.outcome_unknown());
    }

    #[test]
    fn retry_after_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(
            from_status(429, Some(&headers), ""),
            DodoError::RateLimited {
                retry_after: Some(Duration::from_secs(3))
            }
        );
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(
            from_status(429, Some(&headers), ""),
            DodoError::RateLimited {
                retry_after: Some(Duration::from_millis(250))
            }
        );
        let mut junk = HeaderMap::new();
        junk.insert("retry-after", HeaderValue::from_static("-1"));
        assert_eq!(
            from_status(429, Some(&junk), ""),
            DodoError::RateLimited { retry_after: None }
        );
    }
}
