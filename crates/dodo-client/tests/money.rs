//! Money-moving calls against the sandbox: each creates exactly one charge and settles.

mod common;

use dodo_client::{
    BillingAddress, DodoError, IntentStatus, OneClickCheckout, OneClickPayment, PaymentFilter,
    PlanChangeAccepted, PlanChangeRequest, UpdatePaymentMethod,
};
use serde_json::Value;

#[tokio::test]
async fn one_click_checkout_charges_once_and_settles() {
    let env = common::start().await;
    assert!(env.control.payments_of("cus_demo_alice").await.is_empty());

    let created = env
        .client
        .create_one_click_checkout(&common::alice_course("offer-1"))
        .await
        .expect("one-click checkout");
    assert_eq!(created.checkout_url, None);
    let payment_id = created.payment_id.clone().expect("payment id");

    let sent = env.control.requests("POST", "/checkouts").await;
    assert_eq!(sent.len(), 1);
    let body = &sent[0]["body"];
    assert_eq!(body["confirm"], true);
    assert_eq!(body["payment_method_id"], "pm_demo_alice_visa");
    assert_eq!(body["customer"]["customer_id"], "cus_demo_alice");
    assert_eq!(body["metadata"]["offer_id"], "offer-1");
    let flags = body["feature_flags"].as_object().expect("feature flags");
    assert_eq!(flags["redirect_immediately"], true);
    assert!(
        flags.values().all(Value::is_boolean),
        "no null flags: {flags:?}"
    );

    let charges = env.control.payments_of("cus_demo_alice").await;
    assert_eq!(charges.len(), 1, "exactly one payment");
    assert_eq!(charges[0]["payment_id"], payment_id.as_str());

    let payment = env.client.payment(&payment_id).await.expect("payment");
    assert_eq!(payment.status, Some(IntentStatus::Succeeded));
    assert_eq!(
        (payment.total_amount, payment.currency.as_str()),
        (4900, "USD")
    );
    assert_eq!(payment.customer_id, "cus_demo_alice");
    assert_eq!(payment.customer_email, "alice@example.com");
    assert_eq!(payment.product_ids, ["pdt_demo_course"]);
    assert_eq!(
        payment.payment_method_id.as_deref(),
        Some("pm_demo_alice_visa")
    );
    assert_eq!(payment.card_last4.as_deref(), Some("4242"));
    assert_eq!(payment.card_network.as_deref(), Some("VISA"));
    assert_eq!(
        payment.checkout_session_id.as_deref(),
        Some(created.session_id.as_str())
    );
    assert_eq!(
        payment.metadata.get("offer_id").map(String::as_str),
        Some("offer-1")
    );
    assert_eq!(payment.error_code, None);

    let status = env
        .client
        .checkout_status(&created.session_id)
        .await
        .expect("session");
    assert_eq!(status.payment_id.as_deref(), Some(payment_id.as_str()));
    assert_eq!(status.payment_status, Some(IntentStatus::Succeeded));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn one_click_payment_charges_once_and_settles() {
    let env = common::start().await;
    let created = env
        .client
        .create_one_click_payment(&OneClickPayment {
            customer_id: "cus_demo_alice".into(),
            payment_method_id: "pm_demo_alice_visa".into(),
            product_cart: common::cart("pdt_demo_addon"),
            billing: BillingAddress {
                country: "us".into(),
                city: None,
                state: None,
                street: None,
                zipcode: Some("94102".into()),
            },
            return_url: None,
            metadata: [("offer_id".to_owned(), "offer-2".to_owned())].into(),
        })
        .await
        .expect("one-click payment");
    assert_eq!(created.customer_id, "cus_demo_alice");
    assert_eq!(created.total_amount, 2900);
    assert_eq!(
        created.metadata.get("offer_id").map(String::as_str),
        Some("offer-2")
    );

    assert_eq!(env.control.requests("POST", "/payments").await.len(), 1);
    let sent = &env.control.requests("POST", "/payments").await[0]["body"];
    assert_eq!(sent["billing"]["country"], "US");
    let charges = env.control.payments_of("cus_demo_alice").await;
    assert_eq!(charges.len(), 1);
    assert_eq!(charges[0]["payment_id"], created.payment_id.as_str());

    let payment = env
        .client
        .payment(&created.payment_id)
        .await
        .expect("payment");
    assert_eq!(payment.status, Some(IntentStatus::Succeeded));
    assert_eq!(payment.product_ids, ["pdt_demo_addon"]);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_declining_card_fails_with_its_reason() {
    let env = common::start().await;
    let created = env
        .client
        .create_one_click_checkout(&OneClickCheckout {
            customer_id: "cus_demo_carol".into(),
            payment_method_id: "pm_demo_carol_declines".into(),
            ..common::alice_course("offer-3")
        })
        .await
        .expect("accepted; the decline comes with settlement");
    let payment = env
        .client
        .payment(created.payment_id.as_deref().expect("payment id"))
        .await
        .expect("payment");
    assert_eq!(payment.status, Some(IntentStatus::Failed));
    assert_eq!(payment.error_code.as_deref(), Some("CARD_DECLINED"));
    assert_eq!(env.control.payments_of("cus_demo_carol").await.len(), 1);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn change_plan_charges_the_prorated_difference_once() {
    let env = common::start().await;
    let accepted = env
        .client
        .change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately"),
        )
        .await
        .expect("change plan");
    assert_eq!(
        accepted,
        PlanChangeAccepted::default(),
        "charged to the saved card: no handles"
    );
    assert_eq!(
        env.control
            .requests("POST", "/subscriptions/*/change-plan")
            .await
            .len(),
        1
    );
    let sent = &env
        .control
        .requests("POST", "/subscriptions/*/change-plan")
        .await[0]["body"];
    assert_eq!(sent["addons"], serde_json::json!([]));

    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(sub.product_id, "pdt_demo_pro");
    assert_eq!(sub.recurring_pre_tax_amount, 8000);

    let charges = env
        .client
        .payments(&PaymentFilter {
            subscription_id: Some("sub_demo_alice_basic".into()),
            ..PaymentFilter::default()
        })
        .await
        .expect("payments");
    let plan_changes: Vec<_> = charges
        .iter()
        .filter(|p| p.charge_type.as_deref() == Some("plan_change"))
        .collect();
    assert_eq!(plan_changes.len(), 1, "{charges:?}");
    assert_eq!(plan_changes[0].total_amount, 2500);
    assert_eq!(plan_changes[0].status, Some(IntentStatus::Succeeded));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn scheduled_change_and_its_cancellation() {
    let env = common::start().await;
    let mut downgrade = PlanChangeRequest::new("pdt_demo_starter", 1, "difference_immediately");
    downgrade.effective_at = Some("next_billing_date".into());
    env.client
        .change_plan("sub_demo_alice_basic", &downgrade)
        .await
        .expect("scheduled");
    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(
        sub.product_id, "pdt_demo_basic",
        "nothing changes before the date"
    );
    let scheduled = sub.scheduled_change.expect("scheduled change");
    assert_eq!(
        (scheduled.product_id.as_str(), scheduled.quantity),
        ("pdt_demo_starter", 1)
    );
    assert_eq!(scheduled.effective_at, sub.next_billing_date);
    assert_eq!(scheduled.product_name.as_deref(), Some("Starter"));

    env.client
        .cancel_scheduled_change("sub_demo_alice_basic")
        .await
        .expect("cancelled");
    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(sub.scheduled_change, None);

    let again = env
        .client
        .cancel_scheduled_change("sub_demo_alice_basic")
        .await
        .expect_err("nothing left to cancel");
    assert!(matches!(again, DodoError::NotFound { .. }), "{again:?}");
    assert_eq!(
        env.control
            .requests("DELETE", "/subscriptions/*/change-plan/scheduled")
            .await
            .len(),
        2,
        "one request per call, no retries"
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn update_payment_method_existing_and_new() {
    let env = common::start().await;
    let existing = env
        .client
        .update_payment_method(
            "sub_demo_alice_basic",
            &UpdatePaymentMethod::Existing {
                payment_method_id: "pm_demo_alice_visa".into(),
            },
        )
        .await
        .expect("existing method");
    assert_eq!(
        existing.payment_id, None,
        "an active subscription has no dues"
    );

    let new = env
        .client
        .update_payment_method(
            "sub_demo_alice_basic",
            &UpdatePaymentMethod::New {
                return_url: Some("https://shop.example/card-updated".into()),
            },
        )
        .await
        .expect("new method");
    assert!(new.payment_link.is_some_and(|l| l.starts_with("http")));

    let not_hers = env
        .client
        .update_payment_method(
            "sub_demo_alice_basic",
            &UpdatePaymentMethod::Existing {
                payment_method_id: "pm_demo_carol_declines".into(),
            },
        )
        .await
        .expect_err("not alice's card");
    assert!(
        matches!(not_hers, DodoError::InvalidRequest { .. }),
        "{not_hers:?}"
    );
    env.sandbox.shutdown().await;
}
