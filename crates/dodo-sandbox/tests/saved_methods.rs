//! Non-card saved methods (a PayPal wallet, UPI collect), `recurring_enabled`, and payments
//! created "behind the app's back" with arbitrary metadata.

mod common;

use std::time::Duration;

use common::Api;
use serde_json::{Value, json};

#[tokio::test]
async fn wallets_and_upi_are_listed_with_their_kinds() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (_, wendy) = api.get("/customers/cus_demo_wendy/payment-methods").await;
    assert_eq!(
        wendy["items"],
        json!([{"payment_method_id": "pm_demo_wendy_paypal", "payment_method": "wallet",
                "payment_method_type": "paypal", "card": null, "last_used_at": null, "recurring_enabled": true}])
    );
    let (_, priya) = api.get("/customers/cus_demo_priya/payment-methods").await;
    let upi = &priya["items"][1];
    assert_eq!(
        (
            upi["payment_method"].as_str(),
            upi["payment_method_type"].as_str()
        ),
        (Some("upi"), Some("upi_collect"))
    );
    assert_eq!(upi["recurring_enabled"], false);
    // Dodo's item has no field for the VPA: it never appears in the API.
    assert!(!priya.to_string().contains("priya@okaxis"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_recurring_enabled_wallet_is_charged_one_click() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, created) = api
        .one_click("cus_demo_wendy", "pm_demo_wendy_paypal", "pdt_demo_addon")
        .await;
    assert_eq!(status, 200, "{created}");
    let (_, p) = api
        .get(&format!(
            "/payments/{}",
            created["payment_id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(p["status"], "succeeded");
    assert_eq!(
        (
            p["payment_method"].as_str(),
            p["payment_method_type"].as_str()
        ),
        (Some("wallet"), Some("paypal"))
    );
    assert_eq!(
        (p["card_last_four"].clone(), p["card_network"].clone()),
        (Value::Null, Value::Null)
    );
    let (_, methods) = api.get("/customers/cus_demo_wendy/payment-methods").await;
    assert!(methods["items"][0]["last_used_at"].is_string());
    // The SDK decodes such a payment.
    let sdk = common::sdk(&sandbox.base_url());
    sdk.payments()
        .retrieve()
        .payment_id(p["payment_id"].as_str().expect("id"))
        .await
        .expect("decodes");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_method_without_recurring_is_refused_for_merchant_initiated_charges() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, err) = api
        .one_click("cus_demo_priya", "pm_demo_priya_upi", "pdt_demo_addon_inr")
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("NO_ELIGIBLE_PAYMENT_METHODS")),
        "{err}"
    );
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("recurring_enabled"))
    );
    let (status, err) = api
        .post(
            "/payments",
            json!({
                "product_cart": [{"product_id": "pdt_demo_addon_inr", "quantity": 1}],
                "customer": {"customer_id": "cus_demo_priya"},
                "billing": {"country": "IN"},
                "payment_method_id": "pm_demo_priya_upi",
            }),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("NO_ELIGIBLE_PAYMENT_METHODS"))
    );
    let (_, payments) = api
        .get("/_sandbox/payments?customer_id=cus_demo_priya")
        .await;
    assert_eq!(payments["items"], json!([]), "nothing was charged");
    sandbox.shutdown().await;
}

/// A payment made outside the app (the reconciliation "check against Dodo" needs one):
/// `POST /payments` with a saved method and any metadata creates and settles it.
#[tokio::test]
async fn a_payment_behind_the_apps_back_carries_its_metadata() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, created) = api
        .post(
            "/payments",
            json!({
                "product_cart": [{"product_id": "pdt_demo_course", "quantity": 1}],
                "customer": {"customer_id": "cus_demo_alice"},
                "billing": {"country": "US"},
                "payment_method_id": "pm_demo_alice_visa",
                "metadata": {"attempt_id": "att_forged", "offer_id": "off_42"},
            }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        created["metadata"],
        json!({"attempt_id": "att_forged", "offer_id": "off_42"})
    );
    let (_, listed) = api
        .get("/payments?customer_id=cus_demo_alice&status=succeeded")
        .await;
    assert_eq!(listed["items"][0]["metadata"]["attempt_id"], "att_forged");
    sandbox.shutdown().await;
}
