//! Middleware of the Dodo API routes: request recording (outermost), injected faults and
//! latency, then bearer auth.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::clock::fmt;
use crate::error::ApiError;
use crate::faults::{FaultKind, FaultSpec};
use crate::recorder::{RecordedRequest, body_value};
use crate::state::{SandboxState, lock};

const MAX_BODY: usize = 1024 * 1024;
/// Status recorded for a connection dropped on purpose.
const DROPPED: u16 = 0;

pub async fn auth(State(state): State<SandboxState>, req: Request, next: Next) -> Response {
    let key = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match key {
        Some(k) if state.inner.api_keys.iter().any(|accepted| accepted == k) => next.run(req).await,
        _ => ApiError::unauthorized().into_response(),
    }
}

/// The control API answers loopback peers only, unless the sandbox was started with
/// `allow_remote_control`. A request without a known peer (a router served without
/// `into_make_service_with_connect_info`) is refused too: fail closed.
pub async fn loopback_only(
    State(state): State<SandboxState>,
    req: Request,
    next: Next,
) -> Response {
    if state.inner.allow_remote_control {
        return next.run(req).await;
    }
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    match peer {
        Some(ip) if ip.is_loopback() || ip.to_canonical().is_loopback() => next.run(req).await,
        other => ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!(
                "the /_sandbox control API only answers loopback callers (this one: {}); start the sandbox with --allow-remote-control to open it",
                other.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
            ),
        )
        .into_response(),
    }
}

pub async fn record(State(state): State<SandboxState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "INVALID_REQUEST_BODY",
                "The request body is larger than 1 MiB",
            )
            .into_response();
        }
    };
    let mut entry = RecordedRequest {
        seq: 0,
        at: fmt(time::OffsetDateTime::now_utc()),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        body: body_value(&bytes),
        status: 0,
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    entry.status = if response.extensions().get::<Dropped>().is_some() {
        DROPPED
    } else {
        response.status().as_u16()
    };
    lock(&state.inner.requests).push(entry);
    response
}

/// Marks a response whose connection is dropped on purpose.
#[derive(Clone, Copy)]
struct Dropped;

pub async fn faults(State(state): State<SandboxState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let (fault, latency) = {
        let mut faults = lock(&state.inner.faults);
        (faults.take(&method, &path), faults.random_latency())
    };
    if let Some(delay) = latency {
        tokio::time::sleep(delay).await;
    }
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    let mut response = match &fault.kind {
        FaultKind::Latency { latency_ms } => {
            tokio::time::sleep(std::time::Duration::from_millis(*latency_ms)).await;
            return next.run(req).await;
        }
        FaultKind::Status { status } => status_response(*status),
        FaultKind::Drop => dropped(),
        FaultKind::ResponseLost { status } => {
            // The work happens; only the answer is lost.
            let _done = next.run(req).await;
            match status {
                Some(s) => status_response(*s),
                None => dropped(),
            }
        }
    };
    add_retry_hint(&mut response, &fault);
    response
}

fn status_response(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match status.as_u16() {
        429 => "TOO_MANY_REQUESTS",
        409 => "CONFLICT",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        s if s >= 500 => "INTERNAL_SERVER_ERROR",
        _ => "INJECTED_FAULT",
    };
    ApiError::new(status, code, "Injected by the sandbox fault API").into_response()
}

/// A response whose body fails at once: hyper aborts the connection, so the client sees a
/// closed connection instead of an answer.
fn dropped() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "dropped by the sandbox fault API",
        ))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response.extensions_mut().insert(Dropped);
    response
}

fn add_retry_hint(response: &mut Response, fault: &FaultSpec) {
    if let Some(retry) = fault.should_retry {
        let value = HeaderValue::from_static(if retry { "true" } else { "false" });
        response.headers_mut().insert("x-should-retry", value);
    }
}
