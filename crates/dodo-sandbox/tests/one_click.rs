//! One-click charges with saved cards: Dodo's documented validation, then `processing` →
//! settled by the card's behaviour, with webhooks.

mod common;

use std::time::Duration;

use common::Api;
use dodo_sandbox::{Fixtures, SandboxOptions};
use serde_json::{Value, json};

fn one_click(customer: &str, pm: &str, product: &str) -> Value {
    json!({
        "product_cart": [{"product_id": product, "quantity": 1, "addons": null, "amount": null}],
        "customer": {"customer_id": customer},
        "payment_method_id": pm,
        "confirm": true,
        "return_url": "https://shop.example/thanks",
        "feature_flags": {"redirect_immediately": true, "allow_discount_code": null},
        "metadata": {"offer": "upsell-1"},
    })
}

#[tokio::test]
async fn the_documented_rules_are_enforced() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let mut no_confirm = one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_addon");
    no_confirm["confirm"] = json!(false);
    let mut new_customer = one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_addon");
    new_customer["customer"] = json!({"email": "alice@example.com"});
    let (got, err) = api.post("/checkouts", no_confirm).await;
    assert_eq!(
        (got, err["code"].as_str()),
        (422, Some("INVALID_REQUEST_PARAMETERS"))
    );
    // `/payments` takes no `confirm`; the other rules apply to both endpoints.
    let cases = [
        (new_customer, 422, "INVALID_REQUEST_PARAMETERS"),
        (
            one_click("cus_nobody", "pm_demo_alice_visa", "pdt_demo_addon"),
            404,
            "NOT_FOUND",
        ),
        (
            one_click("cus_demo_carol", "pm_demo_alice_visa", "pdt_demo_addon"),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            one_click("cus_demo_alice", "pm_nope", "pdt_demo_addon"),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            one_click("cus_demo_bob", "pm_demo_bob_expired", "pdt_demo_addon"),
            422,
            "EXPIRED_CARD",
        ),
        (
            one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_nope"),
            404,
            "NOT_FOUND",
        ),
        (
            one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_legacy"),
            422,
            "PRODUCT_IS_DELETED",
        ),
    ];
    for (body, status, code) in cases {
        let (got, err) = api.post("/checkouts", body.clone()).await;
        assert_eq!((got, err["code"].as_str()), (status, Some(code)), "{body}");
        assert!(err["message"].is_string());
        let mut payment = body.clone();
        payment["billing"] = json!({"country": "US"});
        let (got, err) = api.post("/payments", payment).await;
        assert_eq!(got / 100, 4, "/payments refuses it too: {err}");
    }
    // (The fixtures' payments are Henry's failed renewal and Grace's earlier course.)
    let (_, payments) = api.get("/_sandbox/payments?status=processing").await;
    assert_eq!(payments["items"], json!([]), "nothing was charged");
    let (_, payments) = api.get("/_sandbox/payments?status=succeeded").await;
    let ids: Vec<&str> = payments["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|p| p["payment_id"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(ids, ["pay_demo_grace_course"], "nothing was charged");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn methods_are_only_charged_in_their_currencies() {
    let fixtures = Fixtures::from_toml_str(
        r#"
        [business]
        business_id = "bus_x"
        brand_id = "brd_x"
        [[products]]
        product_id = "pdt_usd"
        name = "USD thing"
        price = 1000
        [[customers]]
        customer_id = "cus_eu"
        email = "eu@example.com"
        name = "Euro Only"
        [[customers.payment_methods]]
        payment_method_id = "pm_eur_only"
        card_number = "4242424242424242"
        expiry = "12/2030"
        currencies = ["EUR"]
        "#,
    )
    .expect("fixtures");
    let sandbox = common::start_with(SandboxOptions {
        fixtures,
        settle_delay: Duration::ZERO,
        ..SandboxOptions::default()
    })
    .await;
    let api = Api::new(&sandbox.base_url());
    let (status, err) = api
        .post("/checkouts", one_click("cus_eu", "pm_eur_only", "pdt_usd"))
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("NO_ELIGIBLE_PAYMENT_METHODS"))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_charge_is_processing_then_settles_with_webhooks() {
    let receiver = common::receiver(0).await;
    let sandbox = common::start_with(SandboxOptions {
        settle_delay: Duration::from_millis(1500),
        webhooks: vec![receiver.endpoint()],
        ..SandboxOptions::default()
    })
    .await;
    let api = Api::new(&sandbox.base_url());
    let (status, created) = api
        .post(
            "/checkouts",
            one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_addon"),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert!(created["checkout_url"].is_null());
    assert!(created["client_secret"].is_string());
    let payment_id = created["payment_id"]
        .as_str()
        .expect("payment_id")
        .to_owned();
    assert_eq!(api.payment_status(&payment_id).await, "processing");
    common::wait_until("the charge settles", || async {
        api.payment_status(&payment_id).await == "succeeded"
    })
    .await;
    let (_, payment) = api.get(&format!("/payments/{payment_id}")).await;
    assert_eq!(payment["metadata"], json!({"offer": "upsell-1"}));
    assert_eq!(payment["total_amount"], 2900);
    common::wait_until("processing and succeeded webhooks", || async {
        receiver.received().len() >= 2
    })
    .await;
    let types: Vec<Value> = receiver
        .received()
        .iter()
        .map(|r| r.json["type"].clone())
        .collect();
    assert_eq!(
        types,
        [json!("payment.processing"), json!("payment.succeeded")]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn each_saved_card_settles_its_own_way() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    for (customer, pm, status, code) in [
        (
            "cus_demo_alice",
            "pm_demo_alice_visa",
            "succeeded",
            Value::Null,
        ),
        (
            "cus_demo_carol",
            "pm_demo_carol_declines",
            "failed",
            json!("CARD_DECLINED"),
        ),
        (
            "cus_demo_erin",
            "pm_demo_erin_nofunds",
            "failed",
            json!("INSUFFICIENT_FUNDS"),
        ),
        (
            "cus_demo_dave",
            "pm_demo_dave_3ds",
            "requires_customer_action",
            Value::Null,
        ),
    ] {
        let mut body = one_click(customer, pm, "pdt_demo_downsell");
        body["billing"] = json!({"country": "US"});
        let (got, created) = api.post("/payments", body).await;
        assert_eq!(got, 200, "{created}");
        assert_eq!(created["total_amount"], 1900);
        assert_eq!(created["customer"]["customer_id"], customer);
        let (_, payment) = api
            .get(&format!(
                "/payments/{}",
                created["payment_id"].as_str().expect("id")
            ))
            .await;
        assert_eq!(payment["status"], status, "{pm}");
        assert_eq!(payment["error_code"], code, "{pm}");
        if status == "requires_customer_action" {
            let link = payment["payment_link"].as_str().expect("3DS link");
            assert!(link.contains("/sandbox/3ds/"));
            let resp = api
                .http
                .post(link)
                .form(&[("outcome", "complete")])
                .send()
                .await
                .expect("3ds");
            assert_eq!(resp.status().as_u16(), 303);
            let location = resp.headers()["location"].to_str().expect("location");
            assert!(location.starts_with("https://shop.example/thanks?payment_id=pay_"));
            assert!(location.ends_with("&status=succeeded"));
            assert_eq!(
                api.payment_status(created["payment_id"].as_str().expect("id"))
                    .await,
                "succeeded"
            );
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_one_click_subscription_starts_pending_and_activates() {
    let sandbox = common::start(Duration::from_millis(100)).await;
    let api = Api::new(&sandbox.base_url());
    let (status, created) = api
        .post(
            "/checkouts",
            one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_team"),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let payment_id = created["payment_id"]
        .as_str()
        .expect("payment id")
        .to_owned();
    common::wait_until("the subscription is active", || async {
        let (_, subs) = api
            .get("/subscriptions?customer_id=cus_demo_alice&status=active")
            .await;
        subs["items"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["product_id"] == "pdt_demo_team"))
    })
    .await;
    let (_, payment) = api.get(&format!("/payments/{payment_id}")).await;
    assert_eq!(payment["charge_type"], "new");
    assert_eq!(
        payment["subscription_ids"].as_array().map(Vec::len),
        Some(1)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_payment_link_is_paid_on_the_hosted_page() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, created) = api
        .post(
            "/payments",
            json!({
                "product_cart": [{"product_id": "pdt_demo_course", "quantity": 2}],
                "customer": {"email": "linkbuyer@example.com", "name": "Link Buyer"},
                "billing": {"country": "DE", "city": null},
                "payment_link": true,
                "return_url": "https://shop.example/done",
            }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["total_amount"], 9800);
    let payment_id = created["payment_id"].as_str().expect("id").to_owned();
    assert_eq!(
        api.payment_status(&payment_id).await,
        "requires_payment_method"
    );
    let link = created["payment_link"].as_str().expect("payment_link");
    let resp = api
        .http
        .post(link)
        .form(&[
            ("email", "linkbuyer@example.com"),
            ("name", "Link Buyer"),
            ("card_number", "5555 5555 5555 4444"),
            ("expiry", "06/32"),
            ("cvc", "123"),
            ("country", "DE"),
        ])
        .send()
        .await
        .expect("pay");
    assert_eq!(resp.status().as_u16(), 303);
    let location = resp.headers()["location"].to_str().expect("location");
    assert_eq!(
        location,
        format!("https://shop.example/done?payment_id={payment_id}&status=succeeded")
    );
    let (_, payment) = api.get(&format!("/payments/{payment_id}")).await;
    assert_eq!(payment["status"], "succeeded");
    assert_eq!(payment["card_network"], "MASTERCARD");
    assert_eq!(payment["billing"]["country"], "DE");
    sandbox.shutdown().await;
}
