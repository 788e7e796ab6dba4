//! Pages that carry a token (in the address or the cookie) or show card details: never kept
//! by a browser or proxy cache, and never named in a `Referer` to anyone — the address itself
//! can be a credential (`?token=…`, `?access=…`).

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Whether `path` is one of the customer pages (or their server functions) that carry a
/// token or show card details.
pub fn is_private(path: &str) -> bool {
    ["/offer", "/plan-change", "/cross-sell", "/api/", "/demo/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// Sets `Cache-Control: no-store` and `Referrer-Policy: no-referrer` on private pages.
pub async fn no_store(req: Request, next: Next) -> Response {
    let private = is_private(req.uri().path());
    let mut response = next.run(req).await;
    if private {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_private;

    #[test]
    fn token_pages_are_private_assets_are_not() {
        for path in [
            "/offer/off_1",
            "/offer/landing",
            "/plan-change/review",
            "/cross-sell",
            "/api/offer_status",
        ] {
            assert!(is_private(path), "{path}");
        }
        for path in [
            "/",
            "/pkg/dodo_upsell.wasm",
            "/embed.js",
            "/healthz",
            "/thanks",
        ] {
            assert!(!is_private(path), "{path}");
        }
    }
}
