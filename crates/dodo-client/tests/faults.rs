//! Faults injected by the sandbox: money calls are sent exactly once and report an unknown
//! outcome; reads are retried.

mod common;

use std::time::Duration;

use dodo_client::{DodoError, IntentStatus, OneClickPayment, PlanChangeRequest};
use serde_json::json;

/// Every fault below is armed for three requests, so a client that retried would show up as
/// two or three requests in the sandbox's log.
const ARMED: u32 = 3;

#[tokio::test]
async fn a_money_call_answered_500_is_sent_once_and_outcome_is_unknown() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "POST", "path": "/checkouts", "fault": "status", "status": 500, "count": ARMED}))
        .await;
    let err = env
        .client
        .create_one_click_checkout(&common::alice_course("o-500"))
        .await
        .expect_err("500");
    assert_eq!(err, DodoError::Unavailable { status: Some(500) });
    assert!(err.outcome_unknown());
    let sent = env.control.requests("POST", "/checkouts").await;
    assert_eq!(sent.len(), 1, "sent exactly once: {sent:?}");
    assert_eq!(sent[0]["status"], 500);
    assert!(env.control.payments_of("cus_demo_alice").await.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn every_money_call_is_sent_once_on_5xx() {
    let env = common::start().await;
    env.control
        .fault(json!({"path": "*", "fault": "status", "status": 502, "count": 100}))
        .await;
    let results = [
        env.client
            .create_one_click_payment(&OneClickPayment {
                customer_id: "cus_demo_alice".into(),
                payment_method_id: "pm_demo_alice_visa".into(),
                product_cart: common::cart("pdt_demo_addon"),
                billing: dodo_client::BillingAddress {
                    country: "US".into(),
                    city: None,
                    state: None,
                    street: None,
                    zipcode: None,
                },
                return_url: None,
                metadata: Default::default(),
            })
            .await
            .map(|_| ()),
        env.client
            .change_plan(
                "sub_demo_alice_basic",
                &PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately"),
            )
            .await
            .map(|_| ()),
        env.client
            .cancel_scheduled_change("sub_demo_alice_basic")
            .await,
        env.client
            .update_payment_method(
                "sub_demo_alice_basic",
                &dodo_client::UpdatePaymentMethod::Existing {
                    payment_method_id: "pm_demo_alice_visa".into(),
                },
            )
            .await
            .map(|_| ()),
    ];
    for result in results {
        let err = result.expect_err("502");
        assert_eq!(err, DodoError::Unavailable { status: Some(502) });
        assert!(err.outcome_unknown());
    }
    let sent: Vec<String> = env
        .control
        .all_requests()
        .await
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap_or("?"),
                r["path"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            "POST /payments",
            "POST /subscriptions/sub_demo_alice_basic/change-plan",
            "DELETE /subscriptions/sub_demo_alice_basic/change-plan/scheduled",
            "POST /subscriptions/sub_demo_alice_basic/update-payment-method",
        ]
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_read_answered_500_once_is_retried() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "GET", "path": "/customers/cus_demo_alice", "fault": "status", "status": 500}))
        .await;
    let alice = env
        .client
        .customer("cus_demo_alice")
        .await
        .expect("retried to success");
    assert_eq!(alice.id, "cus_demo_alice");
    let sent = env
        .control
        .requests("GET", "/customers/cus_demo_alice")
        .await;
    let statuses: Vec<_> = sent.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, [json!(500), json!(200)]);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_lost_response_leaves_one_charge_and_an_unknown_outcome() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "POST", "path": "/checkouts", "fault": "response_lost", "count": ARMED}))
        .await;
    let err = env
        .client
        .create_one_click_checkout(&common::alice_course("o-lost"))
        .await
        .expect_err("the answer was lost");
    assert!(err.outcome_unknown(), "{err:?}");
    assert_eq!(env.control.requests("POST", "/checkouts").await.len(), 1);

    // The charge happened exactly once; the app finds it by its metadata, not by retrying.
    let charges = env.control.payments_of("cus_demo_alice").await;
    assert_eq!(charges.len(), 1);
    let found = env
        .client
        .payments(&dodo_client::PaymentFilter {
            customer_id: Some("cus_demo_alice".into()),
            ..Default::default()
        })
        .await
        .expect("reconcile");
    let ours: Vec<_> = found
        .iter()
        .filter(|p| p.metadata.get("offer_id").map(String::as_str) == Some("o-lost"))
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].status, Some(IntentStatus::Succeeded));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_lost_change_plan_answer_with_502_changed_the_plan_once() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "POST", "path": "/subscriptions/*/change-plan", "fault": "response_lost", "status": 502, "count": ARMED}))
        .await;
    let err = env
        .client
        .change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately"),
        )
        .await
        .expect_err("502");
    assert_eq!(err, DodoError::Unavailable { status: Some(502) });
    assert!(err.outcome_unknown());
    assert_eq!(
        env.control
            .requests("POST", "/subscriptions/*/change-plan")
            .await
            .len(),
        1
    );
    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(sub.product_id, "pdt_demo_pro", "the change did happen");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_is_unknown_and_nothing_was_done() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "POST", "path": "/checkouts", "fault": "drop", "count": ARMED}))
        .await;
    let err = env
        .client
        .create_one_click_checkout(&common::alice_course("o-drop"))
        .await
        .expect_err("dropped");
    // We cannot tell a drop before the work from one after it.
    assert!(err.outcome_unknown(), "{err:?}");
    assert_eq!(env.control.requests("POST", "/checkouts").await.len(), 1);
    assert!(env.control.payments_of("cus_demo_alice").await.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_slow_money_call_times_out_with_an_unknown_outcome() {
    let env = common::start().await;
    let impatient = common::client(
        &env.base_url(),
        dodo_sandbox::DEFAULT_API_KEY,
        Duration::from_millis(300),
    );
    env.control
        .fault(json!({"method": "POST", "path": "/checkouts", "fault": "latency", "latency_ms": 5000, "count": ARMED}))
        .await;
    let started = std::time::Instant::now();
    let err = impatient
        .create_one_click_checkout(&common::alice_course("o-slow"))
        .await
        .expect_err("timeout");
    assert_eq!(err, DodoError::Timeout);
    assert!(err.outcome_unknown());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "money_timeout applies: {:?}",
        started.elapsed()
    );
    env.sandbox.shutdown().await;
}
