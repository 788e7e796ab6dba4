//! Translations, preferred locales, saved non-card methods, invoices and the portal's
//! `return_url`, read through `DodoClient` from the sandbox's demo data.

mod common;

use dodo_client::DodoError;

#[tokio::test]
async fn translations_by_locale() {
    let env = common::start().await;
    let hi = env
        .client
        .product_translation("pdt_demo_addon_inr", "hi")
        .await
        .expect("read")
        .expect("hi");
    assert_eq!(
        hi.locale, "hi",
        "kept although the SDK's Locale enum has no hi"
    );
    assert_eq!(
        hi.name.as_deref(),
        Some("प्रीमियम ऐड-ऑन: कोड समीक्षा सत्र (भारत)")
    );
    let id = env
        .client
        .product_translation("pdt_demo_course", "ID")
        .await
        .expect("read")
        .expect("id");
    assert_eq!(
        id.name.as_deref(),
        Some("Rust untuk Pengembang Web (kursus video)")
    );
    assert_eq!(
        env.client
            .product_translation("pdt_demo_addon_inr", "id")
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        env.client
            .product_translation("pdt_demo_downsell", "hi")
            .await
            .expect("read"),
        None
    );
    assert!(matches!(
        env.client.product_translation("pdt_nope", "hi").await,
        Err(DodoError::NotFound { .. })
    ));
    assert!(
        matches!(env.client.product_translation("pdt_demo_course", "h/i").await, Err(DodoError::InvalidRequest { ref code, .. }) if code == "INVALID_LOCALE")
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn customers_preferred_locale() {
    let env = common::start().await;
    let priya = env.client.customer("cus_demo_priya").await.expect("priya");
    assert_eq!(priya.preferred_locale.as_deref(), Some("hi"));
    let budi = env.client.customer("cus_demo_budi").await.expect("budi");
    assert_eq!(budi.preferred_locale.as_deref(), Some("id"));
    assert_eq!(
        env.client
            .customer("cus_demo_alice")
            .await
            .expect("alice")
            .preferred_locale,
        None
    );
    assert!(matches!(
        env.client.customer("cus_nope").await,
        Err(DodoError::NotFound { .. })
    ));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn saved_methods_are_named() {
    let env = common::start().await;
    let wendy = env
        .client
        .saved_payment_methods("cus_demo_wendy")
        .await
        .expect("wendy");
    assert_eq!(wendy.len(), 1);
    assert_eq!(
        (
            wendy[0].method.kind.as_str(),
            wendy[0].payment_method_type.as_deref()
        ),
        ("wallet", Some("paypal"))
    );
    assert_eq!(wendy[0].display_name(), "PayPal");
    assert_eq!(wendy[0].method.card, None);
    let priya = env
        .client
        .saved_payment_methods("cus_demo_priya")
        .await
        .expect("priya");
    let names: Vec<String> = priya.iter().map(|m| m.display_name()).collect();
    assert_eq!(names, ["VISA •••• 4242", "UPI"]);
    assert_eq!(priya[1].method.recurring_enabled, Some(false));
    // The wallet is charged one-click; the payment names its kind.
    let mut offer = common::alice_course("wallet");
    offer.customer_id = "cus_demo_wendy".into();
    offer.payment_method_id = "pm_demo_wendy_paypal".into();
    let created = env
        .client
        .create_one_click_checkout(&offer)
        .await
        .expect("charge");
    let payment = env
        .client
        .payment(&created.payment_id.expect("id"))
        .await
        .expect("payment");
    assert_eq!(
        (
            payment.payment_method.as_deref(),
            payment.payment_method_type.as_deref()
        ),
        (Some("wallet"), Some("paypal"))
    );
    // UPI collect is not for merchant-initiated charges: refused, nothing charged.
    let mut upi = offer.clone();
    upi.customer_id = "cus_demo_priya".into();
    upi.payment_method_id = "pm_demo_priya_upi".into();
    upi.product_cart = common::cart("pdt_demo_addon_inr");
    let err = env
        .client
        .create_one_click_checkout(&upi)
        .await
        .expect_err("refused");
    assert!(
        matches!(err, DodoError::InvalidRequest { ref code, .. } if code == "NO_ELIGIBLE_PAYMENT_METHODS"),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn invoice_url_of_a_payment() {
    let env = common::start().await;
    let created = env
        .client
        .create_one_click_checkout(&common::alice_course("invoice"))
        .await
        .expect("charge");
    let payment_id = created.payment_id.expect("id");
    let url = env
        .client
        .invoice_url(&payment_id)
        .await
        .expect("read")
        .expect("an invoice");
    assert_eq!(
        url,
        format!("{}/invoices/payments/{payment_id}", env.base_url())
    );
    let pdf = reqwest::get(&url)
        .await
        .expect("get")
        .bytes()
        .await
        .expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(
        env.client
            .invoice_url("pay_demo_henry_failed_renewal")
            .await
            .expect("read"),
        None
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn the_portal_link_carries_return_url_as_a_query_parameter() {
    let env = common::start().await;
    let link = env
        .client
        .customer_portal_link("cus_demo_alice", Some("https://shop.example/account"))
        .await
        .expect("link");
    let sent = env
        .control
        .requests("POST", "/customers/cus_demo_alice/customer-portal/session")
        .await;
    let query = sent[0]["query"].as_str().expect("query");
    assert!(
        query.contains("return_url=https%3A%2F%2Fshop.example%2Faccount"),
        "{query}"
    );
    assert!(query.contains("send_email=false"));
    assert_eq!(
        sent[0]["body"],
        serde_json::Value::Null,
        "nothing in the body"
    );
    let page = reqwest::get(&link)
        .await
        .expect("portal")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("href=\"https://shop.example/account\""),
        "{page}"
    );
    env.sandbox.shutdown().await;
}
