//! The axum router: Leptos pages and server functions, health check, static files, and the
//! middleware every response passes through (request log, compression, security headers).

use super::state::AppState;
use crate::app::{App, shell};
use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Instant;
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

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
        .route("/offer/landing", get(super::offers::landing::land))
        .route("/offer/{id}/result", get(super::offers::landing::result))
        .leptos_routes_with_context(
            &state,
            routes,
            || provide_context(()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Payment ids travel in our URLs (Dodo's return_url); they must not leak through Referer.
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
        .layer(middleware::from_fn(log_request));
    let router = match hsts {
        Some(layer) => router.layer(layer),
        None => router,
    };
    router.with_state(state)
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
