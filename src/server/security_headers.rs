//! Security headers for every document: a Content-Security-Policy with a fresh nonce per
//! response (Leptos puts the same nonce on its hydration scripts, so no inline script needs
//! `unsafe-inline`), and `frame-ancestors` limited to the merchant origins in the configuration.

use super::state::AppState;
use axum::http::{HeaderValue, header};
use leptos::prelude::use_context;

/// Sets the CSP header of the document being rendered. Called from the shell.
pub fn set_document_headers() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let origins = AppState::from_context()
        .map(|s| s.config.merchant_origins.clone())
        .unwrap_or_default();
    let production = AppState::from_context()
        .map(|s| s.config.production)
        .unwrap_or(true);
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(
        &nonce.to_string(),
        &origins,
        production,
    )) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The policy text. `ws:` is allowed in development only, for `cargo leptos watch` live reload.
pub fn content_security_policy(
    nonce: &str,
    merchant_origins: &[String],
    production: bool,
) -> String {
    let mut ancestors = vec!["'self'".to_string()];
    ancestors.extend(merchant_origins.iter().cloned());
    let connect = if production { "'self'" } else { "'self' ws:" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: https:; connect-src {connect}; object-src 'none'; base-uri 'none'; \
         form-action 'self' http: https:; frame-ancestors {}",
        ancestors.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_only_self_and_merchants() {
        let csp = content_security_policy("abc", &["https://shop.example".into()], true);
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'self' https://shop.example"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("ws:"));
    }
}
