//! The HTTP surface: Dodo's API (bearer auth, recorded, fault-injectable), the hosted pages
//! and the `/_sandbox` control API.

mod checkouts;
mod collections;
mod control;
mod customers;
mod hosted;
mod invoices;
mod middleware;
mod payments;
mod products;
mod refunds;
mod subscriptions;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::error::ApiError;
use crate::state::SandboxState;

/// The sandbox's whole HTTP app, for `axum::serve` or `tower::ServiceExt::oneshot`.
pub fn router(state: SandboxState) -> Router {
    let api = Router::new()
        .route("/customers", get(customers::list).post(customers::create))
        .route("/customers/{id}", get(customers::retrieve))
        .route(
            "/customers/{id}/payment-methods",
            get(customers::payment_methods),
        )
        .route(
            "/customers/{id}/payment-methods/{pm}",
            delete(customers::delete_payment_method),
        )
        .route(
            "/customers/{id}/customer-portal/session",
            post(customers::portal_session),
        )
        .route("/products", get(products::list))
        .route(
            "/products/{id}",
            get(products::retrieve).patch(products::update),
        )
        .route("/products/{id}/translations", get(products::translations))
        .route("/refunds", get(refunds::list).post(refunds::create))
        .route("/refunds/{id}", get(refunds::retrieve))
        .route("/product-collections", get(collections::list))
        .route("/product-collections/{id}", get(collections::retrieve))
        .route("/checkouts", post(checkouts::create))
        .route("/checkouts/{id}", get(checkouts::retrieve))
        .route("/payments", get(payments::list).post(payments::create))
        .route("/payments/{id}", get(payments::retrieve))
        .route("/subscriptions", get(subscriptions::list))
        .route(
            "/subscriptions/{id}",
            get(subscriptions::retrieve).patch(subscriptions::update),
        )
        .route(
            "/subscriptions/{id}/change-plan/preview",
            post(subscriptions::preview_change_plan),
        )
        .route(
            "/subscriptions/{id}/change-plan",
            post(subscriptions::change_plan),
        )
        .route(
            "/subscriptions/{id}/change-plan/scheduled",
            delete(subscriptions::cancel_scheduled_change),
        )
        .route(
            "/subscriptions/{id}/update-payment-method",
            post(subscriptions::update_payment_method),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::auth,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::faults,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::record,
        ));

    // Dodo serves invoices without an API key; they are still recorded and take faults.
    let invoices = Router::new()
        .route("/invoices/payments/{id}", get(invoices::payment_invoice))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::faults,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::record,
        ));

    let control = control::routes().route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::loopback_only,
    ));

    Router::new()
        .merge(api)
        .merge(invoices)
        .merge(hosted::routes())
        .nest("/_sandbox", control)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "No such endpoint",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "This endpoint does not take that HTTP method",
    )
}
