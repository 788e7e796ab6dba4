//! Fidelity: the official Rust SDK (`dodopayments` 1.127.0) runs every call the app uses
//! against the sandbox and decodes every response into its strict models.

mod common;

use std::time::Duration;

use dodo_sandbox::SandboxOptions;
use dodopayments::models::{
    AttachExistingCustomer, BillingAddress, CheckoutSessionFlags, CheckoutSessionsCreateParams,
    CountryCode, Currency, CustomerRequest, IntentStatus, NewCustomer, OneTimeProductCartItem,
    Payment, PaymentsCreateParams, Price, ProductItemReq, Subscription, SubscriptionStatus,
    SubscriptionsChangePlanParams, TimeInterval, WebhookEventType, WebhookPayload,
};
use serde_json::json;

fn cart(product_id: &str) -> Vec<ProductItemReq> {
    vec![ProductItemReq {
        product_id: product_id.to_owned(),
        quantity: 1,
        addons: None,
        amount: None,
        credit_entitlements: None,
    }]
}

fn existing(customer_id: &str) -> Box<CustomerRequest> {
    Box::new(CustomerRequest::AttachExistingCustomer(Box::new(
        AttachExistingCustomer {
            customer_id: customer_id.to_owned(),
        },
    )))
}

fn change(product_id: &str, mode: &str) -> SubscriptionsChangePlanParams {
    SubscriptionsChangePlanParams {
        product_id: Some(product_id.to_owned()),
        proration_billing_mode: Some(mode.to_owned()),
        quantity: Some(1),
        addons: Some(Vec::new()),
        ..Default::default()
    }
}

#[tokio::test]
async fn customers_products_and_collections_decode() {
    let sandbox = common::start(Duration::ZERO).await;
    let client = common::sdk(&sandbox.base_url());

    let alice = client
        .customers()
        .retrieve()
        .customer_id("cus_demo_alice")
        .await
        .expect("Customer");
    assert_eq!(alice.email, "alice@example.com");
    assert_eq!(alice.business_id, "bus_demo");

    let customers = client.customers().list().await.expect("customer page");
    assert!(
        customers
            .items
            .iter()
            .any(|c| c.customer_id == "cus_demo_frank")
    );

    let methods = client
        .customers()
        .retrieve_payment_methods()
        .customer_id("cus_demo_alice")
        .await
        .expect("payment methods");
    assert_eq!(methods.items.len(), 1);
    assert_eq!(methods.items[0]["payment_method_id"], "pm_demo_alice_visa");
    assert_eq!(methods.items[0]["card"]["last4_digits"], "4242");
    assert_eq!(methods.items[0]["card"]["expiry_year"], "2030");

    let portal = client
        .customers()
        .customer_portal()
        .create()
        .customer_id("cus_demo_alice")
        .query(json!({"send_email": false}))
        .await
        .expect("portal session");
    assert!(portal.link.starts_with(&sandbox.base_url()));

    let course = client
        .products()
        .retrieve()
        .id("pdt_demo_course")
        .await
        .expect("Product");
    assert!(!course.is_recurring);
    let Price::Variant0(price) = *course.price else {
        panic!("the SDK's untagged Price always lands in Variant0");
    };
    assert_eq!(price["type"], "one_time_price");
    assert_eq!(price["price"], 4900);
    assert_eq!(price["currency"], "USD");

    let basic = client
        .products()
        .retrieve()
        .id("pdt_demo_basic")
        .await
        .expect("Product");
    assert_eq!(
        basic.product_collection_id.as_deref(),
        Some("pcol_demo_plans")
    );

    let page = client
        .products()
        .list()
        .query(json!({"page_size": 100}))
        .await
        .expect("product page");
    assert!(page.items.iter().any(|p| p.product_id == "pdt_demo_pro"));
    assert!(page.items.iter().all(|p| p.product_id != "pdt_demo_legacy"));
    assert!(matches!(
        page.items[0].currency.as_deref(),
        Some(Currency::Usd)
    ));
    // The SDK pages until an empty page: the sandbox must answer one, not 404.
    let next = page.get_next_page().await.expect("next page");
    assert!(next.is_some_and(|p| p.items.is_empty()));

    let one_time = client
        .products()
        .list()
        .query(json!({"recurring": false}))
        .await
        .expect("one-time products");
    assert!(one_time.items.iter().all(|p| !p.is_recurring));
    // Course, add-on, downsell (USD); the INR course, add-on and mentoring; the IDR course,
    // add-on and downsell.
    assert_eq!(one_time.items.len(), 9);

    let collections = client
        .product_collections()
        .list()
        .await
        .expect("collection page");
    assert_eq!(collections.items[0].id, "pcol_demo_plans");
    // Free, Starter, Basic, Pro, Legacy (inactive) monthly; Pro yearly.
    assert_eq!(collections.items[0].products_count, 6);

    let plans = client
        .product_collections()
        .retrieve()
        .id("pcol_demo_plans")
        .await
        .expect("ProductCollection");
    assert_eq!(
        plans.proration_billing_mode_on_upgrade.as_deref(),
        Some("prorated_immediately")
    );
    assert_eq!(
        plans.effective_at_on_downgrade.as_deref(),
        Some("next_billing_date")
    );
    assert_eq!(plans.on_payment_failure, None);
    let monthly = &plans.groups[0];
    let active: Vec<&str> = monthly
        .products
        .iter()
        .filter(|p| p.status)
        .map(|p| p.product_id.as_str())
        .collect();
    assert_eq!(
        active,
        [
            "pdt_demo_free",
            "pdt_demo_starter",
            "pdt_demo_basic",
            "pdt_demo_pro"
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn checkouts_and_payments_decode() {
    let sandbox = common::start(Duration::ZERO).await;
    let client = common::sdk(&sandbox.base_url());

    // Hosted checkout; the SDK sends every flag as an explicit null.
    let flags: CheckoutSessionFlags = serde_json::from_value(json!({})).expect("flags");
    let hosted = client
        .checkout_sessions()
        .create()
        .body(CheckoutSessionsCreateParams {
            product_cart: Some(cart("pdt_demo_course")),
            customer: Some(Box::new(CustomerRequest::NewCustomer(Box::new(
                NewCustomer {
                    email: "new@example.com".to_owned(),
                    name: None,
                    phone_number: None,
                },
            )))),
            return_url: Some("https://shop.example/thanks".to_owned()),
            feature_flags: Some(Box::new(flags)),
            ..Default::default()
        })
        .await
        .expect("CheckoutSessionResponse");
    assert!(hosted.session_id.starts_with("cks_"));
    assert!(hosted.checkout_url.is_some());
    assert!(hosted.payment_id.is_none());
    let status = client
        .checkout_sessions()
        .retrieve()
        .id(&hosted.session_id)
        .await
        .expect("CheckoutSessionStatus");
    assert!(status.payment_id.is_none());
    assert_eq!(status.customer_email.as_deref(), Some("new@example.com"));

    // One-click purchase with a saved card.
    let one_click = client
        .checkout_sessions()
        .create()
        .body(CheckoutSessionsCreateParams {
            product_cart: Some(cart("pdt_demo_addon")),
            customer: Some(existing("cus_demo_alice")),
            payment_method_id: Some("pm_demo_alice_visa".to_owned()),
            confirm: Some(true),
            return_url: Some("https://shop.example/thanks".to_owned()),
            ..Default::default()
        })
        .await
        .expect("confirmed CheckoutSessionResponse");
    assert!(one_click.checkout_url.is_none());
    let payment_id = one_click.payment_id.expect("payment_id");
    let status = client
        .checkout_sessions()
        .retrieve()
        .id(&one_click.session_id)
        .await
        .expect("CheckoutSessionStatus");
    assert!(matches!(
        status.payment_status.as_deref(),
        Some(IntentStatus::Succeeded)
    ));

    let payment = client
        .payments()
        .retrieve()
        .payment_id(&payment_id)
        .await
        .expect("Payment");
    assert_eq!(payment.total_amount, 2900);
    assert!(matches!(*payment.currency, Currency::Usd));
    assert_eq!(payment.card_last_four.as_deref(), Some("4242"));
    assert_eq!(
        payment.payment_method_id.as_deref(),
        Some("pm_demo_alice_visa")
    );
    assert_eq!(
        payment.checkout_session_id.as_deref(),
        Some(one_click.session_id.as_str())
    );

    // Cross-sell through /payments.
    let created = client
        .payments()
        .create()
        .body(PaymentsCreateParams {
            billing: Some(Box::new(BillingAddress {
                country: Box::new(CountryCode::Us),
                city: None,
                state: None,
                street: None,
                zipcode: None,
            })),
            customer: Some(existing("cus_demo_alice")),
            product_cart: Some(vec![OneTimeProductCartItem {
                product_id: "pdt_demo_downsell".to_owned(),
                quantity: 1,
                amount: None,
            }]),
            payment_method_id: Some("pm_demo_alice_visa".to_owned()),
            ..Default::default()
        })
        .await
        .expect("PaymentCreateResponse");
    assert_eq!(created.total_amount, 1900);
    assert_eq!(created.customer.customer_id, "cus_demo_alice");

    let listed = client
        .payments()
        .list()
        .query(json!({"customer_id": "cus_demo_alice", "status": "succeeded"}))
        .await
        .expect("payment page");
    let ids: Vec<&str> = listed.items.iter().map(|p| p.payment_id.as_str()).collect();
    assert_eq!(ids, [created.payment_id.as_str(), payment_id.as_str()]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn subscriptions_and_plan_changes_decode() {
    let sandbox = common::start(Duration::ZERO).await;
    let client = common::sdk(&sandbox.base_url());

    let sub = client
        .subscriptions()
        .retrieve()
        .subscription_id("sub_demo_alice_basic")
        .await
        .expect("Subscription");
    assert!(matches!(
        *sub.payment_frequency_interval,
        TimeInterval::Month
    ));
    assert!(matches!(*sub.status, SubscriptionStatus::Active));
    assert_eq!(sub.recurring_pre_tax_amount, 3000);
    assert!(sub.has_payment_method);

    let subs = client
        .subscriptions()
        .list()
        .query(json!({"customer_id": "cus_demo_alice"}))
        .await
        .expect("subscription page");
    assert_eq!(subs.items.len(), 1);

    let preview = client
        .subscriptions()
        .preview_change_plan()
        .subscription_id("sub_demo_alice_basic")
        .body(change("pdt_demo_pro", "prorated_immediately"))
        .await
        .expect("SubscriptionPreviewChangePlanResponse");
    assert_eq!(preview.new_plan.product_id, "pdt_demo_pro");
    assert_eq!(preview.immediate_charge["summary"]["total_amount"], 2500);

    // Nothing scheduled yet: 404. Then schedule one and cancel it (empty 2xx).
    let none = client
        .subscriptions()
        .cancel_change_plan()
        .subscription_id("sub_demo_alice_basic")
        .await;
    assert!(matches!(
        none,
        Err(dodopayments::Error::Api { status: 404, .. })
    ));
    let mut scheduled = change("pdt_demo_starter", "difference_immediately");
    scheduled.effective_at = Some("next_billing_date".to_owned());
    client
        .subscriptions()
        .change_plan()
        .subscription_id("sub_demo_alice_basic")
        .body(scheduled)
        .await
        .expect("scheduled change");
    let with_schedule = client
        .subscriptions()
        .retrieve()
        .subscription_id("sub_demo_alice_basic")
        .await
        .expect("Subscription");
    let change_at = with_schedule.scheduled_change.expect("scheduled_change");
    assert_eq!(change_at.product_id, "pdt_demo_starter");
    assert_eq!(change_at.effective_at, with_schedule.next_billing_date);
    client
        .subscriptions()
        .cancel_change_plan()
        .subscription_id("sub_demo_alice_basic")
        .await
        .expect("cancel scheduled change");

    let changed = client
        .subscriptions()
        .change_plan()
        .subscription_id("sub_demo_alice_basic")
        .body(change("pdt_demo_pro", "prorated_immediately_keep_cycle"))
        .await
        .expect("SubscriptionChangePlanResponse");
    assert!(changed.payment_link.is_none());
    let after = client
        .subscriptions()
        .retrieve()
        .subscription_id("sub_demo_alice_basic")
        .await
        .expect("Subscription");
    assert_eq!(after.product_id, "pdt_demo_pro");

    let updated = client
        .subscriptions()
        .update_payment_method()
        .subscription_id("sub_demo_alice_basic")
        .body(json!({"type": "existing", "payment_method_id": "pm_demo_alice_visa"}))
        .await
        .expect("SubscriptionUpdatePaymentMethodResponse");
    assert!(
        updated.payment_id.is_none(),
        "an active subscription owes nothing"
    );

    client
        .customers()
        .delete_payment_method()
        .customer_id("cus_demo_erin")
        .payment_method_id("pm_demo_erin_nofunds")
        .await
        .expect("delete payment method");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn delivered_webhooks_decode_as_webhook_payload_and_payment() {
    let receiver = common::receiver(0).await;
    let sandbox = common::start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![receiver.endpoint()],
        ..SandboxOptions::default()
    })
    .await;
    let client = common::sdk(&sandbox.base_url());
    let checkout = client
        .checkout_sessions()
        .create()
        .body(CheckoutSessionsCreateParams {
            product_cart: Some(cart("pdt_demo_course")),
            customer: Some(existing("cus_demo_alice")),
            payment_method_id: Some("pm_demo_alice_visa".to_owned()),
            confirm: Some(true),
            ..Default::default()
        })
        .await
        .expect("checkout");
    let payment_id = checkout.payment_id.expect("payment id");
    common::wait_until("payment.succeeded delivered", || async {
        !receiver.of_type("payment.succeeded").is_empty()
    })
    .await;
    let delivered = &receiver.of_type("payment.succeeded")[0];
    let envelope: WebhookPayload = serde_json::from_str(&delivered.body).expect("WebhookPayload");
    assert!(matches!(
        *envelope.r#type,
        WebhookEventType::PaymentSucceeded
    ));
    assert_eq!(envelope.business_id, "bus_demo");
    assert_eq!(envelope.data["payload_type"], "Payment");
    let payment: Payment = serde_json::from_value(envelope.data).expect("Payment");
    assert_eq!(payment.payment_id, payment_id);
    assert!(matches!(
        payment.status.as_deref(),
        Some(IntentStatus::Succeeded)
    ));
    assert!(receiver.rejected.lock().expect("lock").is_empty());

    // Subscription events carry a full Subscription.
    client
        .subscriptions()
        .change_plan()
        .subscription_id("sub_demo_alice_basic")
        .body(change("pdt_demo_pro", "difference_immediately"))
        .await
        .expect("change plan");
    common::wait_until("subscription.plan_changed delivered", || async {
        !receiver.of_type("subscription.plan_changed").is_empty()
    })
    .await;
    let changed = &receiver.of_type("subscription.plan_changed")[0];
    let sub: Subscription =
        serde_json::from_value(changed.json["data"].clone()).expect("Subscription");
    assert_eq!(sub.product_id, "pdt_demo_pro");
    sandbox.shutdown().await;
}
