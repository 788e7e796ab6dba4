//! Dodo's error answers mapped to our kinds, with the code from the body.

mod common;

use std::time::Duration;

use dodo_client::{DodoError, OneClickCheckout, PlanChangeRequest};
use dodo_sandbox::SandboxOptions;
use serde_json::json;

#[tokio::test]
async fn unknown_customer_is_not_found() {
    let env = common::start().await;
    let err = env
        .client
        .customer("cus_nobody")
        .await
        .expect_err("unknown");
    assert!(
        matches!(err, DodoError::NotFound { ref code, .. } if code == "NOT_FOUND"),
        "{err:?}"
    );
    let err = env
        .client
        .payment("pay_nothing")
        .await
        .expect_err("unknown");
    assert!(matches!(err, DodoError::NotFound { .. }), "{err:?}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn someone_elses_card_is_an_invalid_request_and_charges_nothing() {
    let env = common::start().await;
    let err = env
        .client
        .create_one_click_checkout(&OneClickCheckout {
            payment_method_id: "pm_demo_carol_declines".into(),
            ..common::alice_course("o-theft")
        })
        .await
        .expect_err("not alice's card");
    assert!(
        matches!(err, DodoError::InvalidRequest { ref code, .. } if code == "INVALID_REQUEST_PARAMETERS"),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    assert_eq!(env.control.requests("POST", "/checkouts").await.len(), 1);
    assert!(env.control.payments_of("cus_demo_alice").await.is_empty());
    assert!(env.control.payments_of("cus_demo_carol").await.is_empty());

    let unknown = env
        .client
        .create_one_click_checkout(&OneClickCheckout {
            customer_id: "cus_nobody".into(),
            ..common::alice_course("o-nobody")
        })
        .await
        .expect_err("unknown customer");
    assert!(matches!(unknown, DodoError::NotFound { .. }), "{unknown:?}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn an_expired_card_is_declined_with_its_code() {
    let env = common::start().await;
    let err = env
        .client
        .create_one_click_checkout(&OneClickCheckout {
            customer_id: "cus_demo_bob".into(),
            payment_method_id: "pm_demo_bob_expired".into(),
            ..common::alice_course("o-expired")
        })
        .await
        .expect_err("expired");
    assert!(
        matches!(err, DodoError::Declined { ref code, .. } if code == "EXPIRED_CARD"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("EXPIRED_CARD"));
    assert!(!err.outcome_unknown());
    assert!(env.control.payments_of("cus_demo_bob").await.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_pending_plan_change_is_a_conflict_and_not_retried() {
    // Charges stay `processing` for a minute, so the first prevent_change change is pending.
    let env = common::start_with(SandboxOptions {
        settle_delay: Duration::from_secs(60),
        ..SandboxOptions::default()
    })
    .await;
    let mut upgrade = PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately");
    upgrade.on_payment_failure = Some("prevent_change".into());
    env.client
        .change_plan("sub_demo_alice_basic", &upgrade)
        .await
        .expect("first change");
    let err = env
        .client
        .change_plan("sub_demo_alice_basic", &upgrade)
        .await
        .expect_err("pending");
    assert!(
        matches!(err, DodoError::Conflict { ref code, .. } if code == "PendingPlanChangeExists"),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    assert_eq!(
        env.control
            .requests("POST", "/subscriptions/*/change-plan")
            .await
            .len(),
        2,
        "the SDK would retry a 409 twice; the money client must not"
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn injected_409_and_429_on_money_calls() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "POST", "path": "/checkouts", "fault": "status", "status": 409, "count": 3}))
        .await;
    let conflict = env
        .client
        .create_one_click_checkout(&common::alice_course("o-409"))
        .await
        .expect_err("409");
    assert!(
        matches!(conflict, DodoError::Conflict { ref code, .. } if code == "CONFLICT"),
        "{conflict:?}"
    );
    env.control.post("/reset", json!({})).await;

    env.control
        .fault(json!({"method": "POST", "path": "/checkouts", "fault": "status", "status": 429, "count": 3}))
        .await;
    let limited = env
        .client
        .create_one_click_checkout(&common::alice_course("o-429"))
        .await
        .expect_err("429");
    assert_eq!(limited, DodoError::RateLimited { retry_after: None });
    assert!(!limited.outcome_unknown());
    assert_eq!(env.control.requests("POST", "/checkouts").await.len(), 1);
    assert!(env.control.payments_of("cus_demo_alice").await.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_read_rate_limited_every_time_gives_up_as_rate_limited() {
    let env = common::start().await;
    env.control
        .fault(json!({"method": "GET", "path": "/products/pdt_demo_course", "fault": "status", "status": 429, "count": 3}))
        .await;
    let err = env
        .client
        .product("pdt_demo_course")
        .await
        .expect_err("429 three times");
    assert!(matches!(err, DodoError::RateLimited { .. }), "{err:?}");
    assert_eq!(
        env.control
            .requests("GET", "/products/pdt_demo_course")
            .await
            .len(),
        3,
        "reads are attempted three times"
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bad_key_is_unauthorized_and_not_retried() {
    let env = common::start().await;
    let wrong = common::client(&env.base_url(), "sk_wrong_key", Duration::from_secs(5));
    let err = wrong.customer("cus_demo_alice").await.expect_err("401");
    assert_eq!(err, DodoError::Unauthorized);
    assert!(!err.to_string().contains("sk_wrong_key"));
    let err = wrong
        .create_one_click_checkout(&common::alice_course("o-401"))
        .await
        .expect_err("401");
    assert_eq!(err, DodoError::Unauthorized);
    assert!(!err.outcome_unknown());
    assert_eq!(env.control.all_requests().await.len(), 2);
    assert!(env.control.payments_of("cus_demo_alice").await.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_customer_without_that_card_and_invalid_plan_changes() {
    let env = common::start().await;
    let err = env
        .client
        .create_one_click_checkout(&OneClickCheckout {
            customer_id: "cus_demo_frank".into(),
            ..common::alice_course("o-frank")
        })
        .await
        .expect_err("frank has no card");
    assert!(matches!(err, DodoError::InvalidRequest { .. }), "{err:?}");

    let unknown_mode = env
        .client
        .change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "charge_double"),
        )
        .await
        .expect_err("unknown mode");
    assert!(
        matches!(unknown_mode, DodoError::InvalidRequest { .. }),
        "{unknown_mode:?}"
    );
    assert!(!unknown_mode.outcome_unknown());
    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(sub.product_id, "pdt_demo_basic");
    env.sandbox.shutdown().await;
}
