//! Errors: the Dodo-shaped API error (`{"code","message"}`) and the library's start-up error.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error answered to an API client, always as Dodo's flat `{"code","message"}` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// 404 `NOT_FOUND`, the generic code Dodo uses for unknown ids.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what} {id} not found"),
        )
    }

    /// 400: the body is not JSON at all.
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_REQUEST_BODY", message)
    }

    /// 422: the body is JSON but not the shape the endpoint takes.
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_REQUEST_BODY",
            message,
        )
    }

    /// 422: well-formed request whose values break a rule of the endpoint.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_REQUEST_PARAMETERS",
            message,
        )
    }

    /// 422 with a specific Dodo code.
    pub fn unprocessable(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Missing or invalid API key: send `Authorization: Bearer <key>`",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "code": self.code, "message": self.message });
        (self.status, Json(body)).into_response()
    }
}

/// Why the sandbox could not be built or started.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read fixtures file {path}: {source}")]
    FixturesIo {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid fixtures: {0}")]
    Fixtures(String),
    #[error("invalid webhook secret for {url}: {reason} (expected whsec_<base64>)")]
    WebhookSecret { url: String, reason: String },
    #[error("cannot build the webhook HTTP client: {0}")]
    HttpClient(String),
}
