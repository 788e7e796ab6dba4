//! The `/_sandbox` control API: faults, latency, request log, reset, clock, and webhook
//! retries, duplicates and out-of-order delivery.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Api, Receiver};
use dodo_sandbox::{SandboxHandle, SandboxOptions};
use serde_json::{Value, json};

fn one_click() -> Value {
    json!({
        "product_cart": [{"product_id": "pdt_demo_addon", "quantity": 1}],
        "customer": {"customer_id": "cus_demo_alice"},
        "payment_method_id": "pm_demo_alice_visa",
        "confirm": true,
    })
}

/// Alice's payments (the fixtures' own failed renewal of Henry's is not counted).
async fn payment_count(api: &Api) -> usize {
    let (_, page) = api
        .get("/_sandbox/payments?customer_id=cus_demo_alice")
        .await;
    page["items"].as_array().map(Vec::len).unwrap_or(0)
}

async fn with_receiver(fail_first: usize) -> (SandboxHandle, Api, Receiver) {
    let receiver = common::receiver(fail_first).await;
    let sandbox = common::start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![receiver.endpoint()],
        webhook_retry_scale: 0.0002,
        ..SandboxOptions::default()
    })
    .await;
    let api = Api::new(&sandbox.base_url());
    (sandbox, api, receiver)
}

#[tokio::test]
async fn status_faults_hit_the_next_matching_requests_only() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, _) = api
        .post("/_sandbox/faults", json!({"method": "POST", "path": "/checkouts", "count": 2, "fault": "status", "status": 500}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = api
        .post(
            "/_sandbox/faults",
            json!({"path": "/payments/*", "fault": "status", "status": 429, "should_retry": false}),
        )
        .await;
    assert_eq!(status, 200);
    for _ in 0..2 {
        let (status, err) = api.post("/checkouts", one_click()).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (500, Some("INTERNAL_SERVER_ERROR"))
        );
    }
    assert_eq!(
        payment_count(&api).await,
        0,
        "a faulted request does nothing"
    );
    let (status, created) = api.post("/checkouts", one_click()).await;
    assert_eq!(status, 200);
    let url = format!(
        "{}/payments/{}",
        api.base,
        created["payment_id"].as_str().expect("id")
    );
    let resp = api
        .http
        .get(&url)
        .bearer_auth("sandbox_sk_test")
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["x-should-retry"], "false");
    let (status, _) = api
        .get(&format!(
            "/payments/{}",
            created["payment_id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(status, 200);
    let (_, faults) = api.get("/_sandbox/faults").await;
    assert_eq!(faults["items"], json!([]));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn dropped_and_lost_responses() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    api.post(
        "/_sandbox/faults",
        json!({"method": "POST", "path": "/checkouts", "fault": "drop"}),
    )
    .await;
    let dropped = api
        .http
        .post(format!("{}/checkouts", api.base))
        .bearer_auth("sandbox_sk_test")
        .json(&one_click())
        .send()
        .await;
    let failed = match dropped {
        Err(_) => true,
        Ok(resp) => resp.text().await.is_err(),
    };
    assert!(failed, "the client sees a broken connection");
    assert_eq!(
        payment_count(&api).await,
        0,
        "a dropped request does nothing"
    );

    // Accepted but the answer is lost: the charge happens anyway.
    api.post(
        "/_sandbox/faults",
        json!({"method": "POST", "path": "/checkouts", "fault": "response_lost", "status": 502}),
    )
    .await;
    let (status, _) = api.post("/checkouts", one_click()).await;
    assert_eq!(status, 502);
    assert_eq!(payment_count(&api).await, 1);
    api.post(
        "/_sandbox/faults",
        json!({"method": "POST", "path": "/checkouts", "fault": "response_lost"}),
    )
    .await;
    let lost = api
        .http
        .post(format!("{}/checkouts", api.base))
        .bearer_auth("sandbox_sk_test")
        .json(&one_click())
        .send()
        .await;
    assert!(match lost {
        Err(_) => true,
        Ok(resp) => resp.text().await.is_err(),
    });
    assert_eq!(payment_count(&api).await, 2);

    let (_, log) = api
        .get("/_sandbox/requests?method=POST&path=/checkouts")
        .await;
    let statuses: Vec<Value> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(0), json!(502), json!(0)]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn latency_can_be_injected() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    api.post(
        "/_sandbox/faults",
        json!({"path": "/products", "fault": "latency", "latency_ms": 300}),
    )
    .await;
    let started = Instant::now();
    let (status, _) = api.get("/products").await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let (status, _) = api
        .put("/_sandbox/latency", json!({"min_ms": 150, "max_ms": 150}))
        .await;
    assert_eq!(status, 200);
    let started = Instant::now();
    api.get("/products/pdt_demo_course").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn requests_are_recorded_with_their_bodies() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    api.post(
        "/subscriptions/sub_demo_alice_basic/change-plan",
        json!({"product_id": "pdt_demo_pro", "quantity": 1, "proration_billing_mode": "prorated_immediately_keep_cycle", "on_payment_failure": "prevent_change"}),
    )
    .await;
    api.get("/products").await;
    let (_, log) = api
        .get("/_sandbox/requests?method=POST&path=/subscriptions/*/change-plan")
        .await;
    let items = log["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["body"]["proration_billing_mode"],
        "prorated_immediately_keep_cycle"
    );
    assert_eq!(items[0]["status"], 200);
    let (_, all) = api.get("/_sandbox/requests").await;
    assert_eq!(
        all["items"].as_array().map(Vec::len),
        Some(2),
        "control calls are not recorded"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn reset_returns_to_the_fixtures_with_fresh_ids() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (_, first) = api.post("/checkouts", one_click()).await;
    api.post("/subscriptions/sub_demo_alice_basic/change-plan", json!({"product_id": "pdt_demo_pro", "quantity": 1, "proration_billing_mode": "do_not_bill"})).await;
    api.post("/_sandbox/clock/advance", json!({"days": 3}))
        .await;
    let (status, _) = api.post("/_sandbox/reset", json!({})).await;
    assert_eq!(status, 200);
    let (_, sub) = api.get("/subscriptions/sub_demo_alice_basic").await;
    assert_eq!(sub["product_id"], "pdt_demo_basic");
    assert_eq!(payment_count(&api).await, 0);
    let (_, clock) = api.get("/_sandbox/clock").await;
    assert_eq!(clock["offset_seconds"], 0);
    let (_, second) = api.post("/checkouts", one_click()).await;
    assert_ne!(
        first["payment_id"], second["payment_id"],
        "ids never repeat across resets"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_clock_drives_renewals_and_failures() {
    let (sandbox, api, receiver) = with_receiver(0).await;
    let (_, before) = api.get("/subscriptions/sub_demo_alice_basic").await;
    let (status, clock) = api
        .post("/_sandbox/clock/advance", json!({"days": 16}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(clock["offset_seconds"], 16 * 86_400);
    let (_, alice) = api.get("/subscriptions/sub_demo_alice_basic").await;
    assert_eq!(alice["previous_billing_date"], before["next_billing_date"]);
    let (_, renewals) = api
        .get("/payments?subscription_id=sub_demo_alice_basic")
        .await;
    assert_eq!(renewals["items"][0]["charge_type"], "renewal");
    assert_eq!(renewals["items"][0]["total_amount"], 3000);
    assert_eq!(renewals["items"][0]["status"], "succeeded");
    let (_, carol) = api.get("/subscriptions/sub_demo_carol_basic").await;
    assert_eq!(carol["status"], "on_hold");
    common::wait_until("renewed and on_hold webhooks", || async {
        !receiver.of_type("subscription.renewed").is_empty()
            && !receiver.of_type("subscription.on_hold").is_empty()
    })
    .await;
    // Cancel at the next billing date: the next renewal cancels instead of charging.
    let (status, sub) = api
        .http
        .patch(format!("{}/subscriptions/sub_demo_alice_basic", api.base))
        .bearer_auth("sandbox_sk_test")
        .json(&json!({"cancel_at_next_billing_date": true}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .expect("patch");
    assert_eq!(status, 200);
    let sub: Value = sub.json().await.expect("json");
    assert_eq!(sub["cancel_at_next_billing_date"], true);
    api.post("/_sandbox/clock/advance", json!({"days": 32}))
        .await;
    let (_, alice) = api.get("/subscriptions/sub_demo_alice_basic").await;
    assert_eq!(alice["status"], "cancelled");
    common::wait_until("subscription.cancelled", || async {
        !receiver.of_type("subscription.cancelled").is_empty()
    })
    .await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_the_same_webhook_id() {
    let (sandbox, api, receiver) = with_receiver(2).await;
    // One event only (subscription.updated), so the two failures hit the same message.
    let resp = api
        .http
        .patch(format!("{}/subscriptions/sub_demo_alice_basic", api.base))
        .bearer_auth("sandbox_sk_test")
        .json(&json!({"metadata": {"plan_note": "x"}}))
        .send()
        .await
        .expect("patch");
    assert_eq!(resp.status().as_u16(), 200);
    common::wait_until("the event is delivered", || async {
        receiver.received().len() == 1
    })
    .await;
    let (_, deliveries) = api.get("/_sandbox/webhooks/deliveries").await;
    let only = &deliveries["items"][0];
    assert_eq!(only["event_type"], "subscription.updated");
    assert_eq!(only["status"], "delivered");
    let statuses: Vec<Value> = only["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| a["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(500), json!(500), json!(204)]);
    assert_eq!(
        receiver.attempts.load(std::sync::atomic::Ordering::SeqCst),
        3
    );
    assert_eq!(
        receiver.received()[0].webhook_id,
        only["webhook_id"].as_str().expect("id")
    );
    assert_eq!(
        receiver.received()[0].json["data"]["metadata"]["plan_note"],
        "x"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn duplicates_and_out_of_order_delivery() {
    let (sandbox, api, receiver) = with_receiver(0).await;
    let (status, _) = api
        .put("/_sandbox/webhooks/config", json!({"duplicates": 1}))
        .await;
    assert_eq!(status, 200);
    api.post("/checkouts", one_click()).await;
    common::wait_until("two copies of each event", || async {
        receiver.received().len() == 4
    })
    .await;
    let ids: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| r.webhook_id.clone())
        .collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        2,
        "copies share a webhook-id"
    );

    api.post("/_sandbox/reset", json!({})).await;
    let (_, config) = api.get("/_sandbox/webhooks/config").await;
    assert_eq!(
        config,
        json!({"duplicates": 0, "hold": false}),
        "reset clears the options"
    );
    let before = receiver.received().len();
    api.put("/_sandbox/webhooks/config", json!({"hold": true}))
        .await;
    api.post("/checkouts", one_click()).await;
    let (_, held) = api.get("/_sandbox/webhooks/deliveries?status=held").await;
    assert_eq!(held["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        receiver.received().len(),
        before,
        "held messages are not sent"
    );
    api.put("/_sandbox/webhooks/config", json!({"hold": false}))
        .await;
    let (_, flushed) = api
        .post("/_sandbox/webhooks/flush", json!({"reverse": true}))
        .await;
    assert_eq!(flushed["released"], 2);
    common::wait_until("held messages arrive", || async {
        receiver.received().len() == before + 2
    })
    .await;
    let late = &receiver.received()[before..];
    assert_eq!(late[0].json["type"], "payment.succeeded");
    assert_eq!(late[1].json["type"], "payment.processing");
    // Bodies carry the latest state: the processing event already shows success.
    assert_eq!(late[1].json["data"]["status"], "succeeded");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn endpoints_can_be_added_at_run_time() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let receiver = common::receiver(0).await;
    let (status, err) = api
        .post(
            "/_sandbox/webhooks/endpoints",
            json!({"url": receiver.url, "secret": "nope"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, _) = api
        .post(
            "/_sandbox/webhooks/endpoints",
            json!({"url": receiver.url, "secret": common::SECRET}),
        )
        .await;
    assert_eq!(status, 200);
    api.post("/checkouts", one_click()).await;
    common::wait_until("delivery to the new endpoint", || async {
        receiver.received().len() == 2
    })
    .await;
    sandbox.shutdown().await;
}
