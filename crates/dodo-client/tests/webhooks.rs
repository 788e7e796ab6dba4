//! `parse_webhook` on real sandbox deliveries (raw bodies, as the app's endpoint gets them).

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use dodo_client::{
    DodoError, IntentStatus, PlanChangeRequest, SubscriptionStatus, WebhookData, WebhookEvent,
    parse_webhook,
};
use dodo_sandbox::{SandboxOptions, WebhookEndpoint};
use serde_json::Value;

type Bodies = Arc<Mutex<Vec<Vec<u8>>>>;

/// A receiver on 127.0.0.1:0 keeping every raw body; returns its URL.
async fn receiver(bodies: Bodies) -> String {
    async fn receive(State(bodies): State<Bodies>, body: Bytes) -> StatusCode {
        if let Ok(mut all) = bodies.lock() {
            all.push(body.to_vec());
        }
        StatusCode::NO_CONTENT
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = axum::Router::new()
        .route("/webhooks/dodo", axum::routing::post(receive))
        .with_state(bodies);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/webhooks/dodo")
}

/// The raw body of the first delivery of `event_type` about `object_id`.
fn find(bodies: &Bodies, event_type: &str, id_key: &str, object_id: &str) -> Option<Vec<u8>> {
    let all = bodies.lock().ok()?;
    all.iter()
        .find(|raw| {
            serde_json::from_slice::<Value>(raw).is_ok_and(|v| {
                v["type"] == event_type && v["data"][id_key].as_str() == Some(object_id)
            })
        })
        .cloned()
}

async fn delivered(
    bodies: &Bodies,
    event_type: &str,
    id_key: &str,
    object_id: &str,
) -> WebhookEvent {
    common::wait_until(&format!("{event_type} for {object_id}"), || async {
        find(bodies, event_type, id_key, object_id).is_some()
    })
    .await;
    let raw = find(bodies, event_type, id_key, object_id).expect("delivered");
    parse_webhook(&raw).expect("a real delivery parses")
}

#[tokio::test]
async fn payment_and_subscription_events_parse() {
    let bodies = Bodies::default();
    let url = receiver(bodies.clone()).await;
    let env = common::start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![WebhookEndpoint {
            url,
            secret: "whsec_c2VjcmV0Cg==".into(),
        }],
        ..SandboxOptions::default()
    })
    .await;

    let created = env
        .client
        .create_one_click_checkout(&common::alice_course("o-hook"))
        .await
        .expect("one-click");
    let payment_id = created.payment_id.expect("payment id");
    let event = delivered(&bodies, "payment.succeeded", "payment_id", &payment_id).await;
    assert_eq!(event.event_type, "payment.succeeded");
    assert_eq!(event.business_id, "bus_demo");
    let WebhookData::Payment(payment) = event.data else {
        panic!("not a payment: {:?}", event.data);
    };
    assert_eq!(payment.id, payment_id);
    assert_eq!(payment.status, Some(IntentStatus::Succeeded));
    assert_eq!(payment.total_amount, 4900);
    assert_eq!(
        payment.metadata.get("offer_id").map(String::as_str),
        Some("o-hook")
    );
    // The webhook's payment equals the API's.
    assert_eq!(
        env.client.payment(&payment_id).await.expect("payment"),
        payment
    );

    env.client
        .change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately"),
        )
        .await
        .expect("change plan");
    let event = delivered(
        &bodies,
        "subscription.plan_changed",
        "subscription_id",
        "sub_demo_alice_basic",
    )
    .await;
    let WebhookData::Subscription(sub) = event.data else {
        panic!("not a subscription: {:?}", event.data);
    };
    assert_eq!(sub.product_id, "pdt_demo_pro");
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.recurring_pre_tax_amount, 8000);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_failed_charge_arrives_with_its_reason() {
    let bodies = Bodies::default();
    let url = receiver(bodies.clone()).await;
    let env = common::start().await;
    // Added at run time through the control API this time.
    env.control
        .post(
            "/webhooks/endpoints",
            serde_json::json!({"url": url, "secret": "whsec_c2VjcmV0Cg=="}),
        )
        .await;
    let created = env
        .client
        .create_one_click_checkout(&dodo_client::OneClickCheckout {
            customer_id: "cus_demo_erin".into(),
            payment_method_id: "pm_demo_erin_nofunds".into(),
            ..common::alice_course("o-nofunds")
        })
        .await
        .expect("accepted");
    let payment_id = created.payment_id.expect("payment id");
    let event = delivered(&bodies, "payment.failed", "payment_id", &payment_id).await;
    let WebhookData::Payment(payment) = event.data else {
        panic!("not a payment: {:?}", event.data);
    };
    assert_eq!(payment.status, Some(IntentStatus::Failed));
    assert_eq!(payment.error_code.as_deref(), Some("INSUFFICIENT_FUNDS"));
    env.sandbox.shutdown().await;
}

#[test]
fn garbage_is_a_decode_error() {
    for body in [
        &b"\x00\xff garbage"[..],
        b"{\"type\": \"payment.succeeded\"",
        b"{\"business_id\":\"bus\",\"type\":\"payment.succeeded\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"payment_id\":\"pay_1\"}}",
    ] {
        assert!(
            matches!(parse_webhook(body), Err(DodoError::Decode { .. })),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}
