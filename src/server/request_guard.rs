//! Request forgery protection and rate limits.
//!
//! Server functions (`/api/...`) change state with the customer's cookie, so a page on another
//! site must not be able to call them. Browsers say where a request comes from
//! (`Sec-Fetch-Site`, and `Origin` on every POST); a request from another site is refused.
//! This still works for pages embedded in a merchant's iframe: the frame's document is ours,
//! so its requests are same-origin. Clients that send neither header (curl, servers) carry no
//! customer's cookies, so they cannot forge anything a customer did not.

use super::state::AppState;
use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Paths that authenticate with a bearer key or a signature instead of cookies.
const NOT_COOKIE_AUTHENTICATED: &[&str] = &["/api/links"];

pub async fn same_site_only(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let guarded = req.uri().path().starts_with("/api/")
        && !NOT_COOKIE_AUTHENTICATED.contains(&req.uri().path())
        && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if guarded && !is_same_site(req.headers(), &state.config.public_url) {
        tracing::warn!(path = req.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({"error": "cross-site requests are not allowed"})),
        )
            .into_response();
    }
    next.run(req).await
}

/// Whether a state-changing request comes from our own pages.
pub fn is_same_site(headers: &HeaderMap, public_url: &str) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        // "none" = typed in the address bar or a bookmark; never a forged sub-request.
        return matches!(site, "same-origin" | "none");
    }
    match get(header::ORIGIN.as_str()) {
        None => true,
        Some(origin) => {
            let host_origin =
                get(header::HOST.as_str()).map(|h| (format!("http://{h}"), format!("https://{h}")));
            origin == public_url
                || host_origin.is_some_and(|(http, https)| origin == http || origin == https)
        }
    }
}

/// Per-client request budgets for the routes that move money, mint links or take webhooks.
/// Generous for people and for Dodo's bursts, tight enough to stop a script hammering them.
pub struct RateLimits {
    server_functions: DefaultKeyedRateLimiter<IpAddr>,
    links: DefaultKeyedRateLimiter<IpAddr>,
    webhooks: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(per_second: u32, burst: u32) -> Quota {
    let per_second = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(per_second).allow_burst(burst)
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            server_functions: RateLimiter::keyed(quota(20, 60)),
            links: RateLimiter::keyed(quota(2, 20)),
            webhooks: RateLimiter::keyed(quota(50, 200)),
        }
    }
}

impl RateLimits {
    /// Limits with the given server-function budget, for tests.
    pub fn with_server_function_quota(per_second: u32, burst: u32) -> Self {
        RateLimits {
            server_functions: RateLimiter::keyed(quota(per_second, burst)),
            ..RateLimits::default()
        }
    }

    fn limiter_for(&self, path: &str) -> Option<&DefaultKeyedRateLimiter<IpAddr>> {
        if path == "/api/links" {
            Some(&self.links)
        } else if path.starts_with("/api/") {
            Some(&self.server_functions)
        } else if path.starts_with("/webhooks/") {
            Some(&self.webhooks)
        } else {
            None
        }
    }
}

/// The client's address: the peer, or — when the peer is a proxy on this machine or a private
/// network — the first `X-Forwarded-For` entry it added.
fn client_ip(req: &Request) -> IpAddr {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let behind_proxy = match peer {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        IpAddr::V6(v6) => v6.is_loopback(),
    };
    if behind_proxy
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return forwarded;
    }
    peer
}

pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(limiter) = state.rate_limits.limiter_for(req.uri().path()) else {
        return next.run(req).await;
    };
    let ip = client_ip(&req);
    match limiter.check_key(&ip) {
        Ok(()) => next.run(req).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            tracing::warn!(path = req.uri().path(), %ip, "rate limited");
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(serde_json::json!({"error": "too many requests; please wait a moment"})),
            )
                .into_response();
            if let Ok(v) = axum::http::HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
    }
}

/// Shared by the router and the state.
pub type SharedRateLimits = Arc<RateLimits>;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn refuses_other_sites_and_accepts_our_own_pages() {
        let url = "https://offers.example.com";
        assert!(is_same_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            url
        ));
        assert!(!is_same_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            url
        ));
        assert!(!is_same_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            url
        ));
        assert!(is_same_site(
            &headers(&[("origin", "https://offers.example.com")]),
            url
        ));
        assert!(!is_same_site(
            &headers(&[("origin", "https://evil.example")]),
            url
        ));
        assert!(is_same_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            url
        ));
        assert!(is_same_site(&headers(&[]), url));
    }
}
