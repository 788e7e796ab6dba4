//! Every `DodoClient` method, once, with the demo data: the app reaches Dodo only through
//! these, so this is every request the app sends. Run plainly it talks to an in-process
//! sandbox; `crates/dodo-sandbox/conformance/requests.sh` runs it through Prism in front
//! of a sandbox (`DODO_CLIENT_BASE_URL` = the proxy, `DODO_SANDBOX_URL` = the sandbox, for
//! its control API), so a request Dodo's OpenAPI description refuses fails here.

mod common;

use std::time::Duration;

use dodo_client::{
    BillingAddress, CartItem, DodoClient, HostedCheckout, OneClickPayment, PaymentFilter,
    PlanChangeRequest, RefundFilter, RefundRequest, UpdatePaymentMethod,
};
use serde_json::json;

/// (client, control, the in-process sandbox if one was started).
async fn target() -> (
    DodoClient,
    common::Control,
    Option<dodo_sandbox::SandboxHandle>,
) {
    match (
        std::env::var("DODO_CLIENT_BASE_URL"),
        std::env::var("DODO_SANDBOX_URL"),
    ) {
        (Ok(base), Ok(sandbox)) => {
            let control = common::Control::new(&sandbox);
            control.post("/reset", json!({})).await;
            let client = common::client(
                &base,
                dodo_sandbox::DEFAULT_API_KEY,
                Duration::from_secs(20),
            );
            (client, control, None)
        }
        _ => {
            let env = common::start().await;
            (env.client, env.control, Some(env.sandbox))
        }
    }
}

#[tokio::test]
async fn every_client_call_once() {
    let (dodo, control, sandbox) = target().await;
    let mut calls = 0;
    let mut ok = |what: &str| {
        calls += 1;
        eprintln!("ok {calls:2} {what}");
    };

    assert_eq!(
        dodo.customer("cus_demo_priya")
            .await
            .expect("customer")
            .preferred_locale
            .as_deref(),
        Some("hi")
    );
    ok("customer");
    assert_eq!(
        dodo.payment_methods("cus_demo_alice")
            .await
            .expect("payment_methods")
            .len(),
        1
    );
    ok("payment_methods");
    assert_eq!(
        dodo.saved_payment_methods("cus_demo_wendy")
            .await
            .expect("saved")[0]
            .display_name(),
        "PayPal"
    );
    ok("saved_payment_methods");
    assert_eq!(
        dodo.product("pdt_demo_course").await.expect("product").id,
        "pdt_demo_course"
    );
    ok("product");
    assert!(dodo.products().await.expect("products").len() >= 12);
    ok("products");
    assert!(
        dodo.product_translation("pdt_demo_course_idr", "id")
            .await
            .expect("translation")
            .is_some()
    );
    ok("product_translation");
    let ids = dodo
        .product_collection_ids(false)
        .await
        .expect("collection ids");
    assert_eq!(
        ids,
        [
            "pcol_demo_plans",
            "pcol_demo_plans_inr",
            "pcol_demo_plans_idr"
        ]
    );
    ok("product_collection_ids");
    assert_eq!(
        dodo.product_collection("pcol_demo_plans")
            .await
            .expect("collection")
            .id,
        "pcol_demo_plans"
    );
    ok("product_collection");
    assert_eq!(
        dodo.subscription("sub_demo_alice_basic")
            .await
            .expect("subscription")
            .id,
        "sub_demo_alice_basic"
    );
    ok("subscription");
    let link = dodo
        .customer_portal_link("cus_demo_alice", Some("https://shop.example/account"))
        .await
        .expect("portal");
    assert!(link.contains("return_url="));
    ok("customer_portal_link");

    let hosted = dodo
        .create_hosted_checkout(&HostedCheckout {
            product_cart: common::cart("pdt_demo_course"),
            customer_id: Some("cus_demo_alice".into()),
            show_saved_payment_methods: true,
            return_url: Some("https://shop.example/thanks".into()),
            cancel_url: Some("https://shop.example/".into()),
            redirect_immediately: true,
            metadata: [("offer_id".to_owned(), "o1".to_owned())].into(),
        })
        .await
        .expect("hosted checkout");
    ok("create_hosted_checkout");
    assert!(
        dodo.checkout_status(&hosted.session_id)
            .await
            .expect("status")
            .payment_id
            .is_none()
    );
    ok("checkout_status");

    let one_click = dodo
        .create_one_click_checkout(&common::alice_course("every-call"))
        .await
        .expect("one-click");
    ok("create_one_click_checkout");
    let paid = one_click.payment_id.expect("payment id");
    let payment = dodo
        .create_one_click_payment(&OneClickPayment {
            customer_id: "cus_demo_alice".into(),
            payment_method_id: "pm_demo_alice_visa".into(),
            product_cart: vec![CartItem {
                product_id: "pdt_demo_addon".into(),
                quantity: 1,
            }],
            billing: BillingAddress {
                country: "US".into(),
                city: Some("Boston".into()),
                state: None,
                street: None,
                zipcode: Some("02110".into()),
            },
            return_url: Some("https://shop.example/thanks".into()),
            metadata: [("attempt_id".to_owned(), "att_1".to_owned())].into(),
        })
        .await
        .expect("one-click payment");
    ok("create_one_click_payment");
    common::wait_until("both charges settle", || async {
        control
            .payments_of("cus_demo_alice")
            .await
            .iter()
            .filter(|p| p["status"] == "succeeded")
            .count()
            == 2
    })
    .await;
    assert_eq!(
        dodo.payment(&payment.payment_id)
            .await
            .expect("payment")
            .total_amount,
        2900
    );
    ok("payment");
    let listed = dodo
        .payments(&PaymentFilter {
            customer_id: Some("cus_demo_alice".into()),
            created_at_gte: Some(time::OffsetDateTime::now_utc() - time::Duration::hours(1)),
            ..PaymentFilter::default()
        })
        .await
        .expect("payments");
    assert_eq!(listed.len(), 2);
    ok("payments");
    assert!(dodo.invoice_url(&paid).await.expect("invoice").is_some());
    ok("invoice_url");
    let refund = dodo
        .create_refund(&RefundRequest {
            payment_id: paid.clone(),
            reason: Some("test".into()),
            ..RefundRequest::default()
        })
        .await
        .expect("refund");
    ok("create_refund");
    assert_eq!(
        dodo.refund(&refund.id).await.expect("refund").payment_id,
        paid
    );
    ok("refund");
    assert_eq!(
        dodo.refunds(&RefundFilter {
            customer_id: Some("cus_demo_alice".into()),
            ..RefundFilter::default()
        })
        .await
        .expect("refunds")
        .len(),
        1
    );
    ok("refunds");

    let preview = dodo
        .preview_change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately_keep_cycle"),
        )
        .await
        .expect("preview");
    assert_eq!(preview.total_amount, 2500);
    ok("preview_change_plan");
    let mut scheduled = PlanChangeRequest::new("pdt_demo_starter", 1, "difference_immediately");
    scheduled.effective_at = Some("next_billing_date".into());
    scheduled.on_payment_failure = Some("prevent_change".into());
    dodo.change_plan("sub_demo_alice_basic", &scheduled)
        .await
        .expect("change plan");
    ok("change_plan");
    dodo.cancel_scheduled_change("sub_demo_alice_basic")
        .await
        .expect("cancel scheduled");
    ok("cancel_scheduled_change");
    dodo.update_payment_method(
        "sub_demo_henry_basic",
        &UpdatePaymentMethod::Existing {
            payment_method_id: "pm_demo_henry_visa".into(),
        },
    )
    .await
    .expect("existing");
    dodo.update_payment_method(
        "sub_demo_carol_basic",
        &UpdatePaymentMethod::New {
            return_url: Some("https://shop.example/card".into()),
        },
    )
    .await
    .expect("new");
    ok("update_payment_method");

    // The 24 `pub async fn`s of DodoClient (grep them in src/ when adding one).
    assert_eq!(calls, 24, "every public DodoClient call");
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
}
