//! Product translations, customers' `preferred_locale`, the INR/IDR demo products and their
//! one-click path, `PATCH /products/{id}`, invoices and the portal's `return_url`.

mod common;

use std::time::Duration;

use common::Api;
use dodopayments::models::Locale;
use serde_json::{Value, json};

#[tokio::test]
async fn translations_are_listed_per_product() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let locales = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|t| t["locale"].as_str().map(str::to_owned))
            .collect()
    };
    let (status, addon) = api.get("/products/pdt_demo_addon/translations").await;
    assert_eq!(status, 200);
    assert_eq!(locales(&addon), ["hi", "id"]);
    assert_eq!(
        addon["items"][1]["name"],
        "Add-on premium: sesi tinjauan kode"
    );
    assert!(addon["items"][1]["updated_at"].is_string());
    let (_, inr) = api.get("/products/pdt_demo_addon_inr/translations").await;
    assert_eq!(locales(&inr), ["hi"]);
    let (_, idr) = api.get("/products/pdt_demo_course_idr/translations").await;
    assert_eq!(locales(&idr), ["id"]);
    let (_, none) = api.get("/products/pdt_demo_downsell/translations").await;
    assert_eq!(none, json!({"items": []}));
    let (status, err) = api.get("/products/pdt_nope/translations").await;
    assert_eq!((status, err["code"].as_str()), (404, Some("NOT_FOUND")));

    // The official SDK decodes the list; its Locale enum knows `id` but not `hi`.
    let sdk = common::sdk(&sandbox.base_url());
    let list = sdk
        .products()
        .translations()
        .list()
        .id("pdt_demo_addon")
        .await
        .expect("decodes");
    assert!(
        matches!(*list.items[0].locale, Locale::Unknown),
        "hi is not in SDK 1.127's Locale"
    );
    assert!(matches!(*list.items[1].locale, Locale::ID));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn customers_carry_their_preferred_locale() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (_, priya) = api.get("/customers/cus_demo_priya").await;
    assert_eq!(priya["preferred_locale"], "hi");
    let (_, budi) = api.get("/customers/cus_demo_budi").await;
    assert_eq!(budi["preferred_locale"], "id");
    let (_, alice) = api.get("/customers/cus_demo_alice").await;
    assert_eq!(alice["preferred_locale"], Value::Null);
    let sdk = common::sdk(&sandbox.base_url());
    let budi = sdk
        .customers()
        .retrieve()
        .customer_id("cus_demo_budi")
        .await
        .expect("decodes");
    assert!(matches!(budi.preferred_locale.as_deref(), Some(Locale::ID)));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn inr_and_idr_purchases_charge_in_their_currency() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (_, course) = api.get("/products/pdt_demo_course_inr").await;
    assert_eq!(
        (
            course["price"]["price"].as_i64(),
            course["price"]["currency"].as_str()
        ),
        (Some(399900), Some("INR"))
    );
    for (customer, method, products, currency, amounts) in [
        (
            "cus_demo_priya",
            "pm_demo_priya_visa",
            ["pdt_demo_course_inr", "pdt_demo_addon_inr"],
            "INR",
            [399900, 149900],
        ),
        (
            "cus_demo_budi",
            "pm_demo_budi_mastercard",
            ["pdt_demo_course_idr", "pdt_demo_addon_idr"],
            "IDR",
            [74900000, 29900000],
        ),
    ] {
        for (product, amount) in products.iter().zip(amounts) {
            let (status, created) = api.one_click(customer, method, product).await;
            assert_eq!(status, 200, "{product}: {created}");
            let (_, p) = api
                .get(&format!(
                    "/payments/{}",
                    created["payment_id"].as_str().expect("id")
                ))
                .await;
            assert_eq!(
                (
                    p["status"].as_str(),
                    p["currency"].as_str(),
                    p["total_amount"].as_i64()
                ),
                (Some("succeeded"), Some(currency), Some(amount))
            );
        }
    }
    // Priya's card is kept for INR: a USD course is refused before anything is charged.
    let (status, err) = api
        .one_click("cus_demo_priya", "pm_demo_priya_visa", "pdt_demo_course")
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("NO_ELIGIBLE_PAYMENT_METHODS"))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_price_raised_while_an_offer_is_open_is_what_gets_charged() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, body) = api
        .patch(
            "/products/pdt_demo_addon",
            Some(json!({"name": "Premium add-on (new)", "price": {"type": "one_time_price", "price": 3900, "currency": "USD", "discount": 0, "purchasing_power_parity": false}})),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, Value::Null),
        "Dodo answers an empty 200"
    );
    let (_, p) = api.get("/products/pdt_demo_addon").await;
    assert_eq!(
        (p["price"]["price"].as_i64(), p["name"].as_str()),
        (Some(3900), Some("Premium add-on (new)"))
    );
    assert_ne!(p["updated_at"], p["created_at"]);
    let (_, created) = api
        .one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_addon")
        .await;
    let (_, pay) = api
        .get(&format!(
            "/payments/{}",
            created["payment_id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(pay["total_amount"], 3900);
    // The official SDK's update (an empty-body call) works against it.
    let sdk = common::sdk(&sandbox.base_url());
    sdk.products()
        .update()
        .id("pdt_demo_addon")
        .body(dodopayments::models::ProductsUpdateParams {
            name: Some("Renamed".into()),
            ..Default::default()
        })
        .await
        .expect("update");
    for (body, code) in [
        (None, "INVALID_REQUEST_BODY"),
        (
            Some(json!({"price": {"type": "recurring_price", "price": 1, "currency": "USD"}})),
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            Some(json!({"price": {"type": "one_time_price", "price": -1, "currency": "USD"}})),
            "INVALID_REQUEST_BODY",
        ),
        (Some(json!({"name": "  "})), "INVALID_REQUEST_PARAMETERS"),
    ] {
        let (status, err) = api.patch("/products/pdt_demo_addon", body.clone()).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (422, Some(code)),
            "{body:?}"
        );
    }
    let (status, _) = api
        .patch("/products/pdt_nope", Some(json!({"name": "x"})))
        .await;
    assert_eq!(status, 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn succeeded_payments_have_an_invoice_served_without_a_key() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (_, created) = api
        .one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_course")
        .await;
    let id = created["payment_id"].as_str().expect("id").to_owned();
    let (_, p) = api.get(&format!("/payments/{id}")).await;
    assert!(
        p["invoice_id"]
            .as_str()
            .is_some_and(|i| i.starts_with("inv_"))
    );
    let url = p["invoice_url"].as_str().expect("invoice_url").to_owned();
    assert_eq!(
        url,
        format!("{}/invoices/payments/{id}", sandbox.base_url())
    );
    let resp = reqwest::get(&url).await.expect("invoice");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(String::from_utf8_lossy(&pdf).contains("Total $49.00"));
    // No invoice for a failed payment.
    let (_, failed) = api.get("/payments/pay_demo_henry_failed_renewal").await;
    assert_eq!(
        (failed["invoice_id"].clone(), failed["invoice_url"].clone()),
        (Value::Null, Value::Null)
    );
    let missing = reqwest::get(format!(
        "{}/invoices/payments/pay_demo_henry_failed_renewal",
        sandbox.base_url()
    ))
    .await
    .expect("get");
    assert_eq!(missing.status().as_u16(), 404);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_portal_links_back_to_return_url() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (status, session) = api
        .post("/customers/cus_demo_wendy/customer-portal/session?send_email=false&return_url=https%3A%2F%2Fshop.example%2Faccount%3Fa%3D1", json!({}))
        .await;
    assert_eq!(status, 200, "{session}");
    let link = session["link"].as_str().expect("link");
    assert!(
        link.contains("return_url=https%3A%2F%2Fshop.example%2Faccount%3Fa%3D1"),
        "{link}"
    );
    let page = reqwest::get(link)
        .await
        .expect("portal")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(
            "<a id=\"return\" href=\"https://shop.example/account?a=1\">Return to Demo Academy</a>"
        ),
        "{page}"
    );
    assert!(
        page.contains("PayPal (wendy@example.com)"),
        "the sandbox's page names the wallet"
    );
    let (_, plain) = api
        .post(
            "/customers/cus_demo_wendy/customer-portal/session",
            json!({}),
        )
        .await;
    let page = reqwest::get(plain["link"].as_str().expect("link"))
        .await
        .expect("portal")
        .text()
        .await
        .expect("html");
    assert!(!page.contains("id=\"return\""));
    let (status, err) = api
        .post(
            "/customers/cus_demo_wendy/customer-portal/session?return_url=javascript:alert(1)",
            json!({}),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("INVALID_REQUEST_PARAMETERS"))
    );
    sandbox.shutdown().await;
}
