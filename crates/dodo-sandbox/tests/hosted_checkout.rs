//! The hosted checkout page: completing it with test cards, redirects to `return_url`, and
//! the signed webhooks that follow.

mod common;

use std::time::Duration;

use common::{Api, Receiver};
use dodo_sandbox::{SandboxHandle, SandboxOptions};
use serde_json::{Value, json};

async fn setup() -> (SandboxHandle, Api, Receiver) {
    let receiver = common::receiver(0).await;
    let sandbox = common::start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![receiver.endpoint()],
        ..SandboxOptions::default()
    })
    .await;
    let api = Api::new(&sandbox.base_url());
    (sandbox, api, receiver)
}

async fn session(api: &Api, product: &str, email: &str) -> (String, String) {
    let (status, created) = api
        .post(
            "/checkouts",
            json!({
                "product_cart": [{"product_id": product, "quantity": 1}],
                "customer": {"email": email, "name": null, "phone_number": null},
                "return_url": "https://shop.example/return?from=sandbox",
            }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    (
        created["session_id"]
            .as_str()
            .expect("session_id")
            .to_owned(),
        created["checkout_url"]
            .as_str()
            .expect("checkout_url")
            .to_owned(),
    )
}

async fn pay(api: &Api, url: &str, card: &str) -> reqwest::Response {
    api.http
        .post(url)
        .form(&[
            ("email", "buyer@example.com"),
            ("name", "Buyer One"),
            ("card_number", card),
            ("expiry", "12/34"),
            ("cvc", "123"),
            ("country", "US"),
        ])
        .send()
        .await
        .expect("form post")
}

fn query_param(location: &str, key: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| v.to_owned())
    })
}

#[tokio::test]
async fn a_4242_purchase_redirects_with_payment_id_and_sends_a_signed_webhook() {
    let (sandbox, api, receiver) = setup().await;
    let (session_id, url) = session(&api, "pdt_demo_course", "buyer@example.com").await;
    assert!(url.starts_with(&sandbox.base_url()));

    let page = api.http.get(&url).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    for label in [
        "<label for=\"email\">Email</label>",
        "<label for=\"name\">Name on card</label>",
        "<label for=\"card_number\">Card number</label>",
        "<label for=\"expiry\">Expiry (MM/YY)</label>",
        "<label for=\"cvc\">CVC</label>",
        "<label for=\"country\">Country</label>",
        "<button type=\"submit\">Pay $49.00</button>",
    ] {
        assert!(html.contains(label), "page lacks {label}");
    }
    assert!(
        html.contains("value=\"buyer@example.com\""),
        "e-mail is prefilled"
    );

    let resp = pay(&api, &url, "4242 4242 4242 4242").await;
    assert_eq!(resp.status().as_u16(), 303);
    let location = resp.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(location.starts_with("https://shop.example/return?from=sandbox&payment_id=pay_"));
    assert_eq!(
        query_param(&location, "status").as_deref(),
        Some("succeeded")
    );
    let payment_id = query_param(&location, "payment_id").expect("payment_id");

    let (_, status) = api.get(&format!("/checkouts/{session_id}")).await;
    assert_eq!(status["payment_id"], payment_id.as_str());
    assert_eq!(status["payment_status"], "succeeded");
    let (_, payment) = api.get(&format!("/payments/{payment_id}")).await;
    assert_eq!(payment["total_amount"], 4900);
    assert_eq!(payment["customer"]["email"], "buyer@example.com");

    // The customer was created and the card saved for later one-click charges.
    let (_, customers) = api.get("/customers?email=buyer@example.com").await;
    let customer_id = customers["items"][0]["customer_id"]
        .as_str()
        .expect("customer")
        .to_owned();
    let (_, methods) = api
        .get(&format!("/customers/{customer_id}/payment-methods"))
        .await;
    assert_eq!(methods["items"][0]["card"]["last4_digits"], "4242");

    common::wait_until("payment.succeeded reaches the receiver", || async {
        !receiver.of_type("payment.succeeded").is_empty()
    })
    .await;
    let webhook = &receiver.of_type("payment.succeeded")[0];
    assert_eq!(webhook.json["data"]["payment_id"], payment_id.as_str());
    assert_eq!(webhook.json["data"]["payload_type"], "Payment");
    assert!(webhook.webhook_id.starts_with("msg_"));
    assert!(
        receiver.rejected.lock().expect("lock").is_empty(),
        "every signature verified"
    );

    // A paid session cannot be paid twice.
    let again = pay(&api, &url, "4242 4242 4242 4242").await;
    assert_eq!(again.status().as_u16(), 200);
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains("already been paid")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn declined_cards_show_the_reason_and_the_buyer_can_retry() {
    let (sandbox, api, receiver) = setup().await;
    let (_, url) = session(&api, "pdt_demo_course", "buyer@example.com").await;
    for (card, code) in [
        ("4000 0000 0000 0002", "CARD_DECLINED"),
        ("4000 0000 0000 9995", "INSUFFICIENT_FUNDS"),
    ] {
        let resp = pay(&api, &url, card).await;
        assert_eq!(resp.status().as_u16(), 402);
        let html = resp.text().await.expect("html");
        assert!(html.contains(code), "{code} shown");
        assert!(html.contains("role=\"alert\""));
        assert!(
            html.contains("status=failed"),
            "link back with status=failed"
        );
    }
    let resp = pay(&api, &url, "4242424242424242").await;
    assert_eq!(resp.status().as_u16(), 303);
    common::wait_until("two payment.failed webhooks", || async {
        receiver.of_type("payment.failed").len() == 2
    })
    .await;
    let codes: Vec<Value> = receiver
        .of_type("payment.failed")
        .iter()
        .map(|r| r.json["data"]["error_code"].clone())
        .collect();
    assert_eq!(codes, [json!("CARD_DECLINED"), json!("INSUFFICIENT_FUNDS")]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn saved_cards_keep_their_behaviour_for_one_click_charges() {
    let (sandbox, api, _receiver) = setup().await;
    let (_, url) = session(&api, "pdt_demo_course", "funds@example.com").await;
    let resp = pay(&api, &url, "4000 0000 0000 9995").await;
    assert_eq!(resp.status().as_u16(), 402);
    let (_, customers) = api.get("/customers?email=buyer@example.com").await;
    let customer_id = customers["items"][0]["customer_id"]
        .as_str()
        .expect("customer")
        .to_owned();
    let (_, methods) = api
        .get(&format!("/customers/{customer_id}/payment-methods"))
        .await;
    let pm = methods["items"][0]["payment_method_id"]
        .as_str()
        .expect("pm")
        .to_owned();
    let (status, created) = api
        .post(
            "/checkouts",
            json!({
                "product_cart": [{"product_id": "pdt_demo_addon", "quantity": 1}],
                "customer": {"customer_id": customer_id},
                "payment_method_id": pm,
                "confirm": true,
            }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let (_, payment) = api
        .get(&format!(
            "/payments/{}",
            created["payment_id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(payment["status"], "failed");
    assert_eq!(payment["error_code"], "INSUFFICIENT_FUNDS");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_3ds_card_goes_through_the_challenge_page() {
    let (sandbox, api, _receiver) = setup().await;
    for (outcome, expected) in [("complete", "succeeded"), ("fail", "failed")] {
        let (_, url) = session(&api, "pdt_demo_course", "threeds@example.com").await;
        let resp = pay(&api, &url, "4000 0000 0000 3220").await;
        assert_eq!(resp.status().as_u16(), 303);
        let challenge = resp.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(challenge.starts_with("/sandbox/3ds/pay_"));
        let challenge_url = format!("{}{challenge}", sandbox.base_url());
        let html = api
            .http
            .get(&challenge_url)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(html.contains(">Complete</button>") && html.contains(">Fail</button>"));
        let payment_id = challenge.trim_start_matches("/sandbox/3ds/");
        assert_eq!(
            api.payment_status(payment_id).await,
            "requires_customer_action"
        );

        let resp = api
            .http
            .post(&challenge_url)
            .form(&[("outcome", outcome)])
            .send()
            .await
            .expect("challenge");
        assert_eq!(resp.status().as_u16(), 303);
        let location = resp.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert_eq!(query_param(&location, "status").as_deref(), Some(expected));
        assert_eq!(
            query_param(&location, "payment_id").as_deref(),
            Some(payment_id)
        );
        assert_eq!(api.payment_status(payment_id).await, expected);
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_subscription_purchase_redirects_with_subscription_id() {
    let (sandbox, api, receiver) = setup().await;
    let (_, url) = session(&api, "pdt_demo_pro", "subscriber@example.com").await;
    let html = api
        .http
        .get(&url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Pay $80.00") && html.contains("per month"));
    let resp = pay(&api, &url, "4242 4242 4242 4242").await;
    assert_eq!(resp.status().as_u16(), 303);
    let location = resp.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(query_param(&location, "status").as_deref(), Some("active"));
    let sub_id = query_param(&location, "subscription_id").expect("subscription_id");
    let (_, sub) = api.get(&format!("/subscriptions/{sub_id}")).await;
    assert_eq!(sub["status"], "active");
    assert_eq!(sub["product_id"], "pdt_demo_pro");
    assert_eq!(sub["payment_frequency_interval"], "Month");
    common::wait_until("subscription.active and payment.succeeded", || async {
        receiver.received().len() >= 2
    })
    .await;
    let types: Vec<Value> = receiver
        .received()
        .iter()
        .map(|r| r.json["type"].clone())
        .collect();
    assert_eq!(
        types[..2],
        [json!("subscription.active"), json!("payment.succeeded")]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_form_input_is_shown_not_charged() {
    let (sandbox, api, _receiver) = setup().await;
    let (_, url) = session(&api, "pdt_demo_course", "buyer@example.com").await;
    let resp = api
        .http
        .post(&url)
        .form(&[
            ("email", "nope"),
            ("card_number", "4242 4242 4242 4241"),
            ("expiry", "01/20"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status().as_u16(), 422);
    let html = resp.text().await.expect("html");
    for message in ["valid email", "valid card number", "expired", "CVC"] {
        assert!(html.contains(message), "{message}");
    }
    // Only the fixtures' own payments exist (Henry's failed renewal, Grace's earlier course
    // purchase): nothing was charged.
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
    assert_eq!(ids, ["pay_demo_grace_course"]);
    let (_, all) = api.get("/_sandbox/payments").await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    let missing = api
        .http
        .get(format!("{}/checkout/cks_nope", sandbox.base_url()))
        .send()
        .await
        .expect("get");
    assert_eq!(missing.status().as_u16(), 404);
    sandbox.shutdown().await;
}
