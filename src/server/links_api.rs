//! `POST /api/links`: the merchant's server mints signed customer links here, authenticated
//! with `Authorization: Bearer <ADMIN_API_KEY>`. Off (404) when no admin key is configured.
//!
//! Request: `{"audience": "plan-change" | "cross-sell" | "offer", "customer_id": "cus_…",
//! "subscription_id"?: "sub_…", "offer_id"?: "off_…", "ttl_seconds"?: 86400}`.
//! Answer 201: `{"url", "token", "audience", "expires_at"}` (unix seconds).

use super::links::{Audience, LinkSubject};
use super::state::AppState;
use axum::{
    Json,
    extract::{State, rejection::JsonRejection},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

/// Links live a day unless the merchant says otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintRequest {
    pub audience: String,
    pub customer_id: String,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub offer_id: Option<String>,
    #[serde(default)]
    pub ttl_seconds: Option<u64>,
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

pub async fn mint(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<MintRequest>, JsonRejection>,
) -> Response {
    let Some(admin_key) = state.config.admin_api_key.as_ref() else {
        return error(
            StatusCode::NOT_FOUND,
            "the link API is off: set ADMIN_API_KEY to turn it on",
        );
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !constant_time_eq(presented.as_bytes(), admin_key.expose().as_bytes()) {
        tracing::warn!("link API: wrong or missing admin key");
        return error(StatusCode::UNAUTHORIZED, "missing or wrong admin key");
    }
    let Json(request) = match body {
        Ok(body) => body,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("invalid request body: {}", e.body_text()),
            );
        }
    };
    match mint_link(&state.links, &state.config.public_url, &request) {
        Ok(answer) => (StatusCode::CREATED, Json(answer)).into_response(),
        Err(MintError::Sign(detail)) => {
            tracing::error!(%detail, "link API: cannot sign");
            error(StatusCode::INTERNAL_SERVER_ERROR, "cannot sign the link")
        }
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

/// Why a link was not minted: the request's mistake, named.
#[derive(Debug, thiserror::Error)]
pub enum MintError {
    #[error("audience `{0}` is not plan-change, cross-sell or offer")]
    Audience(String),
    #[error("customer_id must be a Dodo customer id (cus_…)")]
    Customer,
    #[error("a plan-change link needs subscription_id (sub_…)")]
    Subscription,
    #[error("an offer link needs offer_id (off_…)")]
    Offer,
    #[error("ttl_seconds must be between 1 and {} (30 days)", super::links::MAX_TTL.as_secs())]
    Ttl,
    #[error(transparent)]
    Sign(super::links::SignError),
}

/// Validates a mint request and signs the link. Shared by the API and the CLI.
pub fn mint_link(
    links: &super::links::LinkSigner,
    public_url: &str,
    request: &MintRequest,
) -> Result<serde_json::Value, MintError> {
    let audience = Audience::parse(&request.audience)
        .ok_or_else(|| MintError::Audience(request.audience.clone()))?;
    let id_ok = |id: &str, prefix: &str| {
        id.starts_with(prefix)
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    };
    if !id_ok(&request.customer_id, "cus_") {
        return Err(MintError::Customer);
    }
    match (audience, &request.subscription_id, &request.offer_id) {
        (Audience::PlanChange, Some(sub), _) if id_ok(sub, "sub_") => {}
        (Audience::PlanChange, _, _) => return Err(MintError::Subscription),
        (Audience::Offer, _, Some(offer)) if id_ok(offer, "off_") => {}
        (Audience::Offer, _, _) => return Err(MintError::Offer),
        (Audience::CrossSell, _, _) => {}
        (Audience::OfferSession, _, _) => {
            return Err(MintError::Audience(request.audience.clone()));
        }
    }
    let ttl = request
        .ttl_seconds
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_TTL);
    if ttl.is_zero() || ttl > super::links::MAX_TTL {
        return Err(MintError::Ttl);
    }
    let subject = LinkSubject {
        customer_id: request.customer_id.clone(),
        subscription_id: request.subscription_id.clone(),
        offer_id: request.offer_id.clone(),
        payment_id: None,
        embed: false,
    };
    let now = super::store::now_millis() / 1000;
    let (token, claims) = links
        .mint(audience, &subject, ttl, now)
        .map_err(MintError::Sign)?;
    Ok(json!({
        "url": format!("{public_url}{}?token={token}", audience.path()),
        "token": token,
        "audience": audience.as_str(),
        "expires_at": claims.exp,
    }))
}

/// Compares without leaking, through timing, how much of the key was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares_keys() {
        assert!(super::constant_time_eq(b"abc", b"abc"));
        assert!(!super::constant_time_eq(b"abc", b"abd"));
        assert!(!super::constant_time_eq(b"abc", b"ab"));
    }
}
