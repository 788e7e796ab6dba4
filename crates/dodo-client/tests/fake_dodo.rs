//! Answers the sandbox never gives, from a tiny axum server on 127.0.0.1:0: an empty 2xx
//! change-plan body, unreadable 2xx bodies, `Retry-After`, a body echoing the API key, a
//! refused connection, and paging.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use dodo_client::{DodoClient, DodoError, PlanChangeAccepted, PlanChangeRequest, Price};
use serde_json::{Value, json};

const KEY: &str = "sk_test_fake_dodo_key_123";

/// Serves `app` on a free port; returns a client for it.
async fn serve(app: Router) -> DodoClient {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    common::client(&format!("http://{addr}"), KEY, Duration::from_secs(5))
}

fn upgrade() -> PlanChangeRequest {
    PlanChangeRequest::new("pdt_pro", 1, "prorated_immediately")
}

#[tokio::test]
async fn change_plan_with_an_empty_200_body_is_accepted() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = serve(Router::new().route(
        "/subscriptions/{id}/change-plan",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                StatusCode::OK
            }
        }),
    ))
    .await;
    let accepted = client
        .change_plan("sub_1", &upgrade())
        .await
        .expect("an empty 2xx body is an accepted change");
    assert_eq!(accepted, PlanChangeAccepted::default());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn change_plan_with_handles_and_with_garbage() {
    let client = serve(
        Router::new()
            .route(
                "/subscriptions/sub_link/change-plan",
                post(|| async {
                    axum::Json(json!({"client_secret": null, "expires_on": "2026-12-01T10:00:00Z",
                                      "payment_id": "pay_1", "payment_link": "https://pay.example/pay_1"}))
                }),
            )
            .route(
                "/subscriptions/sub_html/change-plan",
                post(|| async { (StatusCode::OK, "<html>ok</html>") }),
            ),
    )
    .await;
    let accepted = client
        .change_plan("sub_link", &upgrade())
        .await
        .expect("handles");
    assert_eq!(accepted.payment_id.as_deref(), Some("pay_1"));
    assert_eq!(
        accepted.payment_link.as_deref(),
        Some("https://pay.example/pay_1")
    );
    assert!(accepted.expires_on.is_some());

    let err = client
        .change_plan("sub_html", &upgrade())
        .await
        .expect_err("unreadable");
    assert!(matches!(err, DodoError::Decode { .. }), "{err:?}");
    assert!(
        err.outcome_unknown(),
        "Dodo said yes; we do not know the details"
    );
}

#[tokio::test]
async fn an_unreadable_one_click_answer_is_an_unknown_outcome() {
    let client = serve(Router::new().route(
        "/checkouts",
        post(|| async { (StatusCode::OK, "{\"session_id\": ") }),
    ))
    .await;
    let err = client
        .create_one_click_checkout(&common::alice_course("o"))
        .await
        .expect_err("truncated JSON");
    assert!(matches!(err, DodoError::Decode { .. }), "{err:?}");
    assert!(err.outcome_unknown());
}

#[tokio::test]
async fn retry_after_is_reported_for_money_calls() {
    let client = serve(Router::new().route(
        "/checkouts",
        post(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "7")],
                axum::Json(json!({"code": "TOO_MANY_REQUESTS", "message": "slow down"})),
            )
        }),
    ))
    .await;
    let err = client
        .create_one_click_checkout(&common::alice_course("o"))
        .await
        .expect_err("429");
    assert_eq!(
        err,
        DodoError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
}

#[tokio::test]
async fn the_api_key_never_appears_in_error_texts() {
    // A (misbehaving) server that echoes the Authorization header into its error body.
    let echo = |headers: HeaderMap| async move {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(
                json!({"code": "INVALID_REQUEST_BODY", "message": format!("bad request with {auth}")}),
            ),
        )
    };
    let client = serve(
        Router::new()
            .route("/checkouts", post(echo))
            .route("/customers/{id}", get(echo)),
    )
    .await;
    let money = client
        .create_one_click_checkout(&common::alice_course("o"))
        .await
        .expect_err("422");
    let read = client.customer("cus_1").await.expect_err("422");
    for err in [money, read] {
        let shown = format!("{err} / {err:?}");
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.contains("[redacted]"), "the echo did arrive: {shown}");
    }
}

#[tokio::test]
async fn nested_error_bodies_and_html_error_pages() {
    let client = serve(
        Router::new()
            .route(
                "/subscriptions/sub_1/change-plan",
                post(|| async {
                    (
                        StatusCode::CONFLICT,
                        axum::Json(json!({"error": {"code": "PendingPlanChangeExists", "message": "pending", "details": {}}})),
                    )
                }),
            )
            .route(
                "/payments/{id}",
                get(|| async { (StatusCode::NOT_FOUND, "<html><body>Not here</body></html>") }),
            ),
    )
    .await;
    let conflict = client
        .change_plan("sub_1", &upgrade())
        .await
        .expect_err("409");
    assert!(
        matches!(conflict, DodoError::Conflict { ref code, .. } if code == "PendingPlanChangeExists"),
        "{conflict:?}"
    );
    let missing = client.payment("pay_1").await.expect_err("404");
    assert!(
        matches!(missing, DodoError::NotFound { ref code, ref message } if code == "HTTP_404" && message.contains("Not here")),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_means_nothing_was_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let client = common::client(&format!("http://{addr}"), KEY, Duration::from_secs(5));
    let err = client
        .create_one_click_checkout(&common::alice_course("o"))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            err,
            DodoError::Transport {
                maybe_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn products_follows_pages_until_an_empty_one() {
    let pages = Arc::new(AtomicUsize::new(0));
    let counter = pages.clone();
    let client = serve(Router::new().route(
        "/products",
        get(move |Query(q): Query<Vec<(String, String)>>| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let page = q
                    .iter()
                    .find(|(k, _)| k == "page_number")
                    .and_then(|(_, v)| v.parse::<u32>().ok())
                    .unwrap_or(0);
                // A server capping pages at two items: a short page is not the end.
                let ids: &[&str] = match page {
                    0 => &["pdt_a", "pdt_b"],
                    1 => &["pdt_c"],
                    2 => &["pdt_c"],
                    _ => &[],
                };
                let items: Vec<Value> = ids.iter().map(|id| product_item(id)).collect();
                axum::Json(json!({ "items": items })).into_response()
            }
        }),
    ))
    .await;
    let products = client.products().await.expect("products");
    let ids: Vec<&str> = products.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["pdt_a", "pdt_b", "pdt_c"],
        "all pages, duplicates dropped"
    );
    assert_eq!(pages.load(Ordering::SeqCst), 4);
    assert!(matches!(
        products[0].price,
        Price::OneTime { amount: 100, .. }
    ));
}

fn product_item(id: &str) -> Value {
    json!({
        "product_id": id, "business_id": "bus_1", "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z", "is_recurring": false, "metadata": {},
        "tax_category": "saas", "entitlements": [], "name": id, "price": 100, "currency": "USD",
        "price_detail": {"type": "one_time_price", "price": 100, "currency": "USD", "discount": 0,
                          "purchasing_power_parity": false}
    })
}
