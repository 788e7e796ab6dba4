//! `create_refund` (a money call: one attempt, outcome-unknown semantics), `refund`,
//! `refunds(filter)` and refund webhooks through `parse_webhook`, against the sandbox.

mod common;

use std::time::Duration;

use dodo_client::{
    DodoError, RefundFilter, RefundItem, RefundRequest, RefundStatus, WebhookData, parse_webhook,
};
use serde_json::{Value, json};

async fn paid_course(env: &common::Env) -> String {
    let created = env
        .client
        .create_one_click_checkout(&common::alice_course("refund-test"))
        .await
        .expect("charge");
    created.payment_id.expect("payment id")
}

fn whole(payment_id: &str) -> RefundRequest {
    RefundRequest {
        payment_id: payment_id.to_owned(),
        reason: Some("customer asked".into()),
        metadata: [("case".to_owned(), "c-1".to_owned())].into(),
        ..RefundRequest::default()
    }
}

#[tokio::test]
async fn a_refund_is_created_once_read_back_and_listed() {
    let env = common::start().await;
    let payment_id = paid_course(&env).await;
    let created = env
        .client
        .create_refund(&whole(&payment_id))
        .await
        .expect("refund");
    assert_eq!(created.payment_id, payment_id);
    assert_eq!(
        (created.amount, created.currency.as_deref()),
        (Some(4900), Some("USD"))
    );
    assert_eq!(created.customer_id.as_deref(), Some("cus_demo_alice"));
    assert_eq!(created.metadata["case"], "c-1");
    let sent = env.control.requests("POST", "/refunds").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0]["body"],
        json!({"payment_id": payment_id, "reason": "customer asked", "metadata": {"case": "c-1"}})
    );
    let got = env.client.refund(&created.id).await.expect("refund");
    assert_eq!(got.status, RefundStatus::Succeeded);
    let listed = env
        .client
        .refunds(&RefundFilter {
            customer_id: Some("cus_demo_alice".into()),
            status: Some(RefundStatus::Succeeded),
            ..RefundFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(
        listed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str()]
    );
    assert!(
        env.client
            .refunds(&RefundFilter {
                status: Some(RefundStatus::Failed),
                ..RefundFilter::default()
            })
            .await
            .expect("list")
            .is_empty()
    );
    let payment = env.client.payment(&payment_id).await.expect("payment");
    assert_eq!(payment.refund_status.as_deref(), Some("full"));
    // Partial items and Dodo's refusals come back as InvalidRequest, nothing refunded twice.
    let again = env.client.create_refund(&whole(&payment_id)).await;
    assert!(
        matches!(again, Err(DodoError::InvalidRequest { ref code, .. }) if code == "INVALID_REQUEST_PARAMETERS"),
        "{again:?}"
    );
    assert!(matches!(
        env.client.refund("ref_nope").await,
        Err(DodoError::NotFound { .. })
    ));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn partial_items_are_sent_as_dodo_takes_them() {
    let env = common::start().await;
    let payment_id = paid_course(&env).await;
    let mut req = whole(&payment_id);
    req.items = vec![RefundItem {
        item_id: "pdt_demo_course".into(),
        amount: Some(900),
    }];
    let partial = env.client.create_refund(&req).await.expect("partial");
    assert!(partial.is_partial);
    assert_eq!(partial.amount, Some(900));
    let sent = env.control.requests("POST", "/refunds").await;
    assert_eq!(
        sent[0]["body"]["items"],
        json!([{"item_id": "pdt_demo_course", "amount": 900}])
    );
    assert_eq!(
        env.client
            .payment(&payment_id)
            .await
            .expect("payment")
            .refund_status
            .as_deref(),
        Some("partial")
    );
    // Refused locally, nothing sent.
    req.items[0].amount = Some(0);
    assert!(matches!(
        env.client.create_refund(&req).await,
        Err(DodoError::InvalidRequest { .. })
    ));
    assert!(matches!(
        env.client.create_refund(&whole(" ")).await,
        Err(DodoError::InvalidRequest { .. })
    ));
    assert_eq!(env.control.requests("POST", "/refunds").await.len(), 1);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_refund_is_never_retried_and_a_lost_answer_is_outcome_unknown() {
    let env = common::start().await;
    let payment_id = paid_course(&env).await;
    env.control
        .fault(json!({"method": "POST", "path": "/refunds", "fault": "status", "status": 503}))
        .await;
    let err = env
        .client
        .create_refund(&whole(&payment_id))
        .await
        .expect_err("503");
    assert!(err.outcome_unknown(), "{err:?}");
    assert_eq!(
        env.control.requests("POST", "/refunds").await.len(),
        1,
        "sent exactly once"
    );
    // The work done but the answer lost: the refund exists; the app must look, not resend.
    env.control
        .fault(json!({"method": "POST", "path": "/refunds", "fault": "response_lost"}))
        .await;
    let err = env
        .client
        .create_refund(&whole(&payment_id))
        .await
        .expect_err("lost");
    assert!(err.outcome_unknown(), "{err:?}");
    let found = env
        .client
        .refunds(&RefundFilter {
            customer_id: Some("cus_demo_alice".into()),
            ..RefundFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(found.len(), 1);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn refund_webhooks_parse() {
    let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let url = common::body_receiver(bodies.clone()).await;
    let env = common::start_with(dodo_sandbox::SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![dodo_sandbox::WebhookEndpoint {
            url,
            secret: "whsec_c2VjcmV0Cg==".into(),
        }],
        ..dodo_sandbox::SandboxOptions::default()
    })
    .await;
    let payment_id = paid_course(&env).await;
    env.control.post("/refunds/fail-next", json!({})).await;
    let failed = env
        .client
        .create_refund(&whole(&payment_id))
        .await
        .expect("refund");
    let ok = env
        .client
        .create_refund(&whole(&payment_id))
        .await
        .expect("refund");
    let find = |kind: &str| -> Option<Vec<u8>> {
        bodies
            .lock()
            .ok()?
            .iter()
            .find(|b| serde_json::from_slice::<Value>(b).is_ok_and(|v| v["type"] == kind))
            .cloned()
    };
    common::wait_until("both refund webhooks", || async {
        find("refund.failed").is_some() && find("refund.succeeded").is_some()
    })
    .await;
    for (kind, id, status) in [
        ("refund.failed", &failed.id, RefundStatus::Failed),
        ("refund.succeeded", &ok.id, RefundStatus::Succeeded),
    ] {
        let event = parse_webhook(&find(kind).expect("body")).expect("parses");
        let WebhookData::Refund(refund) = event.data else {
            panic!("{kind}: not a Refund")
        };
        assert_eq!(
            (&refund.id, refund.status, refund.amount),
            (id, status, Some(4900))
        );
    }
    env.sandbox.shutdown().await;
}
