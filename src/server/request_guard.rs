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
    let path = req.uri().path();
    // The merchant pages' forms carry a CSRF token too (`merchant_auth::csrf`); this is the
    // second line.
    let cookie_authenticated = (path.starts_with("/api/")
        && !NOT_COOKIE_AUTHENTICATED.contains(&path))
        || super::merchant_auth::is_merchant_path(path);
    let guarded = cookie_authenticated
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

/// Per-client request budgets for the routes that move money, mint links, call Dodo on every
/// view, or take unverified webhooks. Generous for people, tight enough to stop a script
/// hammering them. Limits are per server instance: behind a load balancer with N instances a
/// client gets up to N times the budget.
pub struct RateLimits {
    server_functions: DefaultKeyedRateLimiter<IpAddr>,
    links: DefaultKeyedRateLimiter<IpAddr>,
    /// Pages that ask Dodo on every view: the checkout's landing, offer and cross-sell links.
    dodo_pages: DefaultKeyedRateLimiter<IpAddr>,
    /// Webhooks whose signature does not verify (verified ones are never limited: Dodo sends
    /// bursts from few addresses).
    unverified_webhooks: DefaultKeyedRateLimiter<IpAddr>,
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
            dodo_pages: RateLimiter::keyed(quota(5, 30)),
            unverified_webhooks: RateLimiter::keyed(quota(5, 20)),
        }
    }
}

impl RateLimits {
    /// Limits where each client may call server functions `calls` times an hour, for tests
    /// that count exactly (the default budget refills every second).
    pub fn with_server_function_budget(calls: u32) -> Self {
        let calls = NonZeroU32::new(calls).unwrap_or(NonZeroU32::MIN);
        let hourly = Quota::with_period(std::time::Duration::from_secs(3600) / calls.get())
            .map_or_else(|| quota(1, calls.get()), |q| q.allow_burst(calls));
        RateLimits {
            server_functions: RateLimiter::keyed(hourly),
            ..RateLimits::default()
        }
    }

    fn limiter_for(&self, method: &Method, path: &str) -> Option<&DefaultKeyedRateLimiter<IpAddr>> {
        if path == "/api/links" {
            Some(&self.links)
        } else if path.starts_with("/api/") {
            Some(&self.server_functions)
        } else if *method == Method::GET
            && matches!(path, "/offer/landing" | "/offer/link" | "/cross-sell")
        {
            Some(&self.dodo_pages)
        } else {
            None
        }
    }

    /// Counts a webhook that failed verification against its sender; `false` once the sender
    /// has sent too many.
    pub fn unverified_webhook(&self, ip: IpAddr) -> bool {
        self.unverified_webhooks.check_key(&ip).is_ok()
    }

    /// Forgets clients whose budget is full again, so the limiters' memory stays bounded by the
    /// clients of the last few seconds, however many addresses a flood uses.
    pub fn prune(&self) {
        for limiter in [
            &self.server_functions,
            &self.links,
            &self.dodo_pages,
            &self.unverified_webhooks,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How many clients the limiters remember (for tests and metrics).
    pub fn remembered(&self) -> usize {
        self.server_functions.len()
            + self.links.len()
            + self.dodo_pages.len()
            + self.unverified_webhooks.len()
    }

    /// Prunes every `every` until the process ends.
    pub fn spawn_pruner(
        limits: SharedRateLimits,
        every: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                limits.prune();
            }
        })
    }
}

/// The client's address. A request straight from a client: the peer. A request through a
/// proxy we trust (`TRUSTED_PROXIES`): the right-most `X-Forwarded-For` address that is not one
/// of our proxies — every address to its right was added by our proxies, everything to its
/// left came from the client and may be forged. From any other peer the header is ignored.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// [`client_ip`] of a request.
pub fn client_of(
    req_headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let peer = peer.map(|p| p.ip()).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let forwarded: Vec<&str> = req_headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    client_ip(peer, &forwarded, trusted)
}

fn peer_of(req: &Request) -> Option<SocketAddr> {
    req.extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(limiter) = state
        .rate_limits
        .limiter_for(req.method(), req.uri().path())
    else {
        return next.run(req).await;
    };
    let ip = client_of(req.headers(), peer_of(&req), &state.config.trusted_proxies);
    match limiter.check_key(&ip) {
        Ok(()) => next.run(req).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            tracing::warn!(path = req.uri().path(), %ip, "rate limited");
            too_many(wait)
        }
    }
}

/// 429 with how long to wait.
pub fn too_many(wait: std::time::Duration) -> Response {
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

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_for_counts_only_through_our_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // Nobody trusted (the default): the header is the client's word and ignored.
        assert_eq!(client_ip(ip("10.0.0.5"), &["1.2.3.4"], &[]), ip("10.0.0.5"));
        let ours = nets(&["10.0.0.0/8"]);
        // Through our proxy: the address the proxy appended, not what the client wrote first.
        assert_eq!(
            client_ip(ip("10.0.0.5"), &["6.6.6.6, 203.0.113.7"], &ours),
            ip("203.0.113.7")
        );
        // Two of our proxies in a row are skipped; several headers read as one list.
        assert_eq!(
            client_ip(ip("10.0.0.5"), &["6.6.6.6", "203.0.113.7, 10.0.0.9"], &ours),
            ip("203.0.113.7")
        );
        // A peer that is not our proxy cannot name anyone.
        assert_eq!(
            client_ip(ip("198.51.100.1"), &["203.0.113.7"], &ours),
            ip("198.51.100.1")
        );
        // Garbage in the header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.5"), &["not an ip"], &ours),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn pruning_forgets_clients_whose_budget_is_full() {
        let limits = RateLimits::default();
        for i in 0..200u8 {
            let _ = limits
                .server_functions
                .check_key(&IpAddr::from([192, 0, 2, i]));
        }
        assert_eq!(limits.remembered(), 200);
        // A used budget refills (20/s): once it has, pruning forgets the key. Wait for that
        // condition (at most a few seconds), not for a fixed time.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            limits.prune();
            if limits.remembered() == 0 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "never pruned");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
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
