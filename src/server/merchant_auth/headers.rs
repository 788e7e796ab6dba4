//! Headers for every `/merchant` response, whatever produced it (our pages, a redirect, the
//! app's 404): never framed by anyone (`X-Frame-Options: DENY`, `frame-ancestors 'none'`; the
//! customers' policy lets merchant origins frame customer pages, `security_headers`, and this
//! replaces it here), never cached, never named in a `Referer`. The pages run no script, so
//! the policy allows none; a merchant page that needs one changes `POLICY` here.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn never_framed(req: Request, next: Next) -> Response {
    let merchant = super::is_merchant_path(req.uri().path());
    let mut response = next.run(req).await;
    if merchant {
        let headers = response.headers_mut();
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}
