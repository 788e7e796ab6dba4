//! Bad input gets Dodo-shaped 4xx answers, never a 5xx or a panic — including a bounded,
//! seeded random-body sweep over every POST route.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use common::Api;
use dodo_sandbox::{SandboxOptions, SandboxState};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use tower::ServiceExt;

fn assert_dodo_error(status: u16, body: &Value, context: &str) {
    assert!(
        (400..500).contains(&status),
        "{context}: status {status} {body}"
    );
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{context}: {body}"
    );
}

#[tokio::test]
async fn missing_or_wrong_keys_are_401() {
    let sandbox = common::start(Duration::ZERO).await;
    let http = reqwest::Client::new();
    let url = format!("{}/customers/cus_demo_alice", sandbox.base_url());
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("sandbox_sk_test"),
        Some("Basic abc"),
    ] {
        let mut req = http.get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.expect("json");
        assert_eq!(status, 401, "{auth:?}");
        assert_eq!(body["code"], "UNAUTHORIZED");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn malformed_wrong_typed_and_unknown_are_4xx() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    for (path, raw, status) in [
        ("/checkouts", "{not json", 400),
        ("/checkouts", "[1,2]", 422),
        ("/checkouts", r#"{"product_cart": "pdt_demo_course"}"#, 422),
        (
            "/checkouts",
            r#"{"product_cart": [{"product_id": 7, "quantity": 1}]}"#,
            422,
        ),
        (
            "/checkouts",
            r#"{"product_cart": [{"product_id": "pdt_demo_course", "quantity": 1.5}]}"#,
            422,
        ),
        ("/checkouts", r#"{"product_cart": []}"#, 422),
        (
            "/checkouts",
            r#"{"product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}], "metadata": {"a": 1}}"#,
            422,
        ),
        (
            "/checkouts",
            r#"{"product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}], "return_url": "javascript:alert(1)"}"#,
            422,
        ),
        (
            "/payments",
            r#"{"product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}]}"#,
            422,
        ),
        (
            "/payments",
            r#"{"product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}], "customer": {"customer_id": "cus_demo_alice"}, "billing": {"country": "usa"}}"#,
            422,
        ),
        ("/customers", r#"{"email": "x"}"#, 422),
        ("/subscriptions/sub_demo_alice_basic/change-plan", "", 422),
        (
            "/subscriptions/sub_demo_alice_basic/change-plan",
            r#"{"product_id": true}"#,
            422,
        ),
        (
            "/subscriptions/sub_demo_alice_basic/update-payment-method",
            r#"{"type": "magic"}"#,
            422,
        ),
        ("/_sandbox/clock/advance", r#"{"days": -1}"#, 422),
        (
            "/_sandbox/faults",
            r#"{"path": "/x", "fault": "status", "status": 99}"#,
            422,
        ),
    ] {
        let (got, body) = api.post_raw(path, raw).await;
        assert_eq!(got, status, "{path} {raw}: {body}");
        assert_dodo_error(got, &body, path);
    }
    for path in [
        "/customers/cus_nope",
        "/customers/cus_nope/payment-methods",
        "/products/pdt_nope",
        "/product-collections/pcol_nope",
        "/checkouts/cks_nope",
        "/payments/pay_nope",
        "/subscriptions/sub_nope",
        "/no/such/route",
    ] {
        let (got, body) = api.get(path).await;
        assert_eq!(got, 404, "{path}");
        assert_eq!(body["code"], "NOT_FOUND");
    }
    for query in [
        "page_size=0",
        "page_size=101",
        "page_number=-1",
        "page_size=abc",
    ] {
        let (got, body) = api.get(&format!("/products?{query}")).await;
        assert_eq!(got, 422, "{query}");
        assert_dodo_error(got, &body, query);
    }
    let (got, body) = api.get("/products?page_number=50").await;
    assert_eq!(
        (got, body),
        (200, json!({"items": []})),
        "empty page past the end"
    );
    let (got, body) = api.delete("/products/pdt_demo_course").await;
    assert_eq!(got, 405);
    assert_dodo_error(got, &body, "method");
    let (got, body) = api
        .delete("/customers/cus_demo_alice/payment-methods/pm_demo_carol_declines")
        .await;
    assert_eq!(got, 404, "someone else's card: {body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_router_works_with_oneshot() {
    let state = SandboxState::new(SandboxOptions::default()).expect("state");
    let response = dodo_sandbox::router(state)
        .oneshot(
            Request::get("/products/pdt_demo_course")
                .header("authorization", "Bearer sandbox_sk_test")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(response.status().as_u16(), 200);
}

const KEYS: [&str; 24] = [
    "product_cart",
    "product_id",
    "quantity",
    "customer",
    "customer_id",
    "email",
    "name",
    "payment_method_id",
    "confirm",
    "return_url",
    "billing",
    "billing_address",
    "country",
    "metadata",
    "feature_flags",
    "proration_billing_mode",
    "effective_at",
    "on_payment_failure",
    "type",
    "amount",
    "addons",
    "status",
    "cancel_at_next_billing_date",
    "payment_link",
];
const STRINGS: [&str; 14] = [
    "",
    "pdt_demo_course",
    "pdt_demo_pro",
    "pdt_demo_starter",
    "cus_demo_alice",
    "cus_demo_carol",
    "pm_demo_alice_visa",
    "pm_demo_carol_declines",
    "prorated_immediately",
    "next_billing_date",
    "apply_change",
    "US",
    "https://x.example/r",
    "\u{0}\u{ffff}/../%2F",
];

fn random_value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.r#gen::<bool>()),
        2 => json!(rng.gen_range(-3i64..5)),
        3 => json!(rng.r#gen::<i64>()),
        4 => json!(rng.r#gen::<f64>() * 100.0),
        5 => json!(STRINGS[rng.gen_range(0..STRINGS.len())]),
        6 => Value::Array(
            (0..rng.gen_range(0..3))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => random_object(rng, depth - 1),
    }
}

fn random_object(rng: &mut StdRng, depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.gen_range(0..6) {
        let key = KEYS[rng.gen_range(0..KEYS.len())];
        map.insert(key.to_owned(), random_value(rng, depth));
    }
    Value::Object(map)
}

/// Mostly-valid bodies with one part replaced, to get past the first checks.
fn mutated(rng: &mut StdRng, valid: &Value) -> Value {
    let mut body = valid.clone();
    if let Some(map) = body.as_object_mut() {
        let keys: Vec<String> = map.keys().cloned().collect();
        if !keys.is_empty() {
            let key = &keys[rng.gen_range(0..keys.len())];
            map.insert(key.clone(), random_value(rng, 2));
        }
    }
    body
}

#[tokio::test]
async fn random_bodies_never_get_a_5xx() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let sub = "/subscriptions/sub_demo_alice_basic";
    let routes: Vec<(&str, String, Value)> = vec![
        (
            "POST",
            "/customers".into(),
            json!({"email": "f@example.com", "name": "F"}),
        ),
        (
            "POST",
            "/checkouts".into(),
            json!({"product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}], "customer": {"customer_id": "cus_demo_alice"}, "payment_method_id": "pm_demo_alice_visa", "confirm": true}),
        ),
        (
            "POST",
            "/payments".into(),
            json!({"product_cart": [{"product_id": "pdt_demo_addon", "quantity": 1}], "customer": {"customer_id": "cus_demo_alice"}, "billing": {"country": "US"}, "payment_method_id": "pm_demo_alice_visa"}),
        ),
        (
            "POST",
            format!("{sub}/change-plan/preview"),
            json!({"product_id": "pdt_demo_pro", "quantity": 1, "proration_billing_mode": "prorated_immediately"}),
        ),
        (
            "POST",
            format!("{sub}/change-plan"),
            json!({"product_id": "pdt_demo_pro", "quantity": 1, "proration_billing_mode": "do_not_bill"}),
        ),
        (
            "POST",
            format!("{sub}/update-payment-method"),
            json!({"type": "existing", "payment_method_id": "pm_demo_alice_visa"}),
        ),
        (
            "POST",
            "/customers/cus_demo_alice/customer-portal/session".into(),
            json!({}),
        ),
        (
            "PATCH",
            sub.into(),
            json!({"cancel_at_next_billing_date": false}),
        ),
    ];
    let mut rng = StdRng::seed_from_u64(0x5eed_d0d0);
    for (method, path, valid) in &routes {
        for i in 0..120 {
            let body = match i % 3 {
                0 => random_object(&mut rng, 3),
                1 => mutated(&mut rng, valid),
                _ => random_value(&mut rng, 3),
            };
            let resp = api
                .http
                .request(
                    method.parse().expect("method"),
                    format!("{}{path}", api.base),
                )
                .bearer_auth("sandbox_sk_test")
                .body(body.to_string())
                .send()
                .await
                .expect("request");
            let status = resp.status().as_u16();
            let text = resp.text().await.expect("body");
            assert!(status < 500, "{method} {path} {body} → {status} {text}");
            if status >= 400 {
                let err: Value = serde_json::from_str(&text).expect("error is JSON");
                assert_dodo_error(status, &err, &format!("{method} {path} {body}"));
            }
        }
        // Undo plan changes and cancellations so later routes still have an active sub.
        sandbox.state().reset();
    }
    sandbox.shutdown().await;
}
