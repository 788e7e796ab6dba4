//! The axum router: Leptos pages and server functions, health check, static files, and the
//! middleware every response passes through (request log, compression, security headers).

use super::state::AppState;
use crate::app::App;
use crate::context::current_locale;
use crate::error::AppError;
use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_meta::MetaTags;
use std::time::Instant;
use tower_http::{
    CompressionLevel, compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer,
};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Brotli/gzip quality for responses compressed per request (chosen by `make bench`: 0 cost
/// the least CPU per offer page of brotli 0 and 1 and gzip 1, for 50 B more than 1).
const DYNAMIC_COMPRESSION_QUALITY: i32 = 0;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let hsts = state.config.behind_tls().then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/webhooks/dodo", post(super::webhooks::receive))
        .route("/api/links", post(super::links_api::mint))
        .route("/offer/landing", get(super::offer::landing::land))
        .route("/offer/{id}/result", get(super::offer::landing::result))
        .merge(crate::pages::merchant::router(&state))
        .leptos_routes_with_context(
            &state,
            routes,
            // Runs per request, pages and server functions alike, after leptos_axum provided
            // the request's parts.
            super::context::provide,
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Before the pages render: the customer's language at Dodo for pages that know the
        // customer, and the `lang` cookie that keeps a choice (`server::locale`).
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::locale::customer_locale,
        ))
        // Dynamic responses (HTML, server-function JSON) are compressed on the fly at quality 0:
        // the brotli crate's default is 11, which costs more CPU than rendering the page; 0
        // cost the least of the low settings measured (see the README's benchmark, which also
        // says what is left: tables zeroed for every answer). The release WASM, JS and CSS are
        // precompressed at 11 by `cargo leptos --precompress` and served as they are.
        .layer(
            CompressionLayer::new().quality(CompressionLevel::Precise(DYNAMIC_COMPRESSION_QUALITY)),
        )
        // Our forms and Dodo's webhooks are a few kilobytes; anything far larger is refused
        // (413) before a handler reads it.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(super::private_pages::no_store))
        // Payment ids travel in our URLs (Dodo's return_url); they must not leak through
        // Referer (token pages go further: `private_pages`).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::request_guard::same_site_only,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::request_guard::rate_limit,
        ))
        .layer(middleware::from_fn(server_fn_status))
        // Outside the others, so nothing can relax a merchant page's framing or caching.
        .layer(middleware::from_fn(
            super::merchant_auth::headers::never_framed,
        ))
        .layer(middleware::from_fn(log_request));
    let router = match hsts {
        Some(layer) => router.layer(layer),
        None => router,
    };
    router.with_state(state)
}

/// The whole document around the app. Runs on the server for every page request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    super::context::provide();
    let locale = current_locale();
    super::security_headers::set_document_headers();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag() dir=locale.dir()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// `GET /healthz`: 200 when the store answers, 503 otherwise. For load balancers and `make run`.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({"status": "ok", "store": state.store.backend()})),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: store unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                axum::Json(
                    serde_json::json!({"status": "unavailable", "store": state.store.backend()}),
                ),
            )
                .into_response()
        }
    }
}

/// The one place that gives a server function's error its HTTP status: the function answered
/// an [`AppError`] (marked by the `serverfnerror` header, the error JSON as body), and the
/// status is that error's — 400 for arguments that do not parse, 401/403 for links, 422 for a
/// request without consent… A plain form post that came from one of our pages keeps the
/// redirect back to that page (the page shows the error); anything else gets the status.
async fn server_fn_status(req: Request, next: Next) -> Response {
    let from_our_form = req.headers().contains_key(header::REFERER)
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let response = next.run(req).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    if from_our_form && response.status().is_redirection() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_ERROR_BODY)
        .await
        .unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        parts.headers.remove(header::LOCATION);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Sends the browser to `location`: a page or URL this server built. A value that cannot be a
/// header (it never should) is an internal error, not a panic (`leptos_axum::redirect` panics).
pub fn redirect(location: &str) -> Result<(), AppError> {
    if HeaderValue::from_str(location).is_err() {
        tracing::error!("refusing to redirect to an address that is not a valid header value");
        return Err(AppError::Internal);
    }
    leptos_axum::redirect(location);
    Ok(())
}

/// A page (not a server function) that answers with a redirect: 302 to `location`, whatever
/// the request accepts.
pub fn redirect_page(location: &str) -> Result<(), AppError> {
    let value = HeaderValue::from_str(location).map_err(|_| AppError::Internal)?;
    let response = use_context::<leptos_axum::ResponseOptions>().ok_or(AppError::Internal)?;
    response.insert_header(header::LOCATION, value);
    response.set_status(StatusCode::FOUND);
    Ok(())
}

/// What server_fn marks its error answers with.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// An encoded [`AppError`] is a few bytes; a larger body is not one of ours.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// One log line per request with method, path, status and latency. The query string is left
/// out on purpose: it carries payment ids and signed tokens.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    tracing::info!(
        target: "http",
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
