//! A customer's side of the shop, over HTTP as a browser does it: buying on Dodo's checkout,
//! landing on the offer, pressing its buttons. Every helper returns what the browser got, so
//! tests assert on statuses and redirects, not on internals.

use super::TestApp;
use dodo_client::{BillingAddress, CartItem, HostedCheckout, OneClickPayment};
use serde_json::Value;
use std::collections::BTreeMap;

/// A browser: its own cookie, redirects left to the test.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A request the app never answers fails the test (naming the request) instead of
        // hanging the whole run: CI once saw a seams test wait on one for 20 minutes.
        .timeout(super::REQUEST_TIMEOUT)
        .build()
        .expect("client")
}

/// A purchase of `product` by `customer`, paid with the saved `payment_method`.
pub async fn purchase_with(
    app: &TestApp,
    customer: &str,
    payment_method: &str,
    product: &str,
) -> String {
    app.state
        .dodo_client
        .create_one_click_payment(&OneClickPayment {
            customer_id: customer.into(),
            payment_method_id: payment_method.into(),
            product_cart: vec![CartItem {
                product_id: product.into(),
                quantity: 1,
            }],
            billing: BillingAddress {
                country: "US".into(),
                city: None,
                state: None,
                street: None,
                zipcode: None,
            },
            return_url: None,
            metadata: BTreeMap::new(),
        })
        .await
        .expect("purchase")
        .payment_id
}

/// A purchase of the demo course by Alice, paid with her saved card.
pub async fn purchase(app: &TestApp) -> String {
    purchase_with(
        app,
        "cus_demo_alice",
        "pm_demo_alice_visa",
        "pdt_demo_course",
    )
    .await
}

/// Pays Dodo's (the sandbox's) hosted checkout page at `checkout_url` with a typed card, as a
/// customer would; returns where the page sends the browser afterwards.
pub async fn pay_hosted(checkout_url: &str, email: &str, card: &str) -> String {
    let res = browser()
        .post(checkout_url)
        .form(&[
            ("email", email),
            ("name", "Test Buyer"),
            ("card_number", card),
            ("expiry", "12/34"),
            ("cvc", "123"),
            ("country", "US"),
        ])
        .send()
        .await
        .expect("pay");
    assert_eq!(res.status(), 303, "the checkout page took the payment");
    res.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

/// A purchase of `product` on Dodo's hosted checkout by the customer with `email` (an existing
/// demo customer, or a new one), returning to the app's landing page. Returns the payment id.
pub async fn purchase_hosted(app: &TestApp, product: &str, email: &str) -> String {
    let created = app
        .state
        .dodo_client
        .create_hosted_checkout(&HostedCheckout {
            product_cart: vec![CartItem {
                product_id: product.into(),
                quantity: 1,
            }],
            customer_id: None,
            show_saved_payment_methods: false,
            return_url: Some(format!("{}/offer/landing", app.url)),
            cancel_url: None,
            redirect_immediately: true,
            metadata: BTreeMap::new(),
        })
        .await
        .expect("checkout");
    let url = created.checkout_url.expect("checkout url");
    let back = pay_hosted(&url, email, "4242 4242 4242 4242").await;
    query_value(&back, "payment_id").expect("payment id in the return address")
}

/// The value of `name` in the query of `url`.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Lands from the checkout; returns where it redirects and the session cookie it set.
pub async fn land(
    app: &TestApp,
    client: &reqwest::Client,
    payment_id: &str,
) -> (String, Option<String>) {
    let res = client
        .get(format!(
            "{}/offer/landing?payment_id={payment_id}&status=succeeded",
            app.url
        ))
        .send()
        .await
        .expect("landing");
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let cookie = res
        .headers()
        .get("set-cookie")
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string());
    (location, cookie)
}

/// Lands and returns the offer id and the session cookie (panics if no offer was made).
pub async fn land_on_offer(
    app: &TestApp,
    client: &reqwest::Client,
    payment_id: &str,
) -> (String, String) {
    let (location, cookie) = land(app, client, payment_id).await;
    let offer = location
        .strip_prefix("/offer/")
        .unwrap_or_else(|| panic!("no offer after the purchase: {location}"))
        .to_string();
    (offer, cookie.expect("session cookie"))
}

/// What a plain HTML form post of an offer button (no JavaScript) answered.
pub struct Answer {
    pub status: reqwest::StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// Posts the offer form `endpoint` (`offer_accept`, `offer_decline`, …) as the page's form
/// does, with the session cookie and `extra` fields.
pub async fn post_offer(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    offer_id: &str,
    cookie: &str,
    extra: &[(&str, &str)],
) -> Answer {
    let mut fields = vec![("offer_id", offer_id), ("access", "")];
    fields.extend_from_slice(extra);
    let res = client
        .post(format!("{}/api/{endpoint}", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("cookie", cookie)
        .form(&fields)
        .send()
        .await
        .expect("post");
    Answer {
        status: res.status(),
        location: res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned),
        body: res.text().await.unwrap_or_default(),
    }
}

/// "Pay $29.00 now" on the offer, agreeing to `amount` USD minor units.
pub async fn accept(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: &str,
    amount: i64,
) -> Answer {
    let amount = amount.to_string();
    // The method the page names, as its Pay form sends it (none when it shows no Pay button).
    let method = shown_method(app, client, offer_id, cookie)
        .await
        .unwrap_or_default();
    accept_with(app, client, offer_id, cookie, &amount, &method).await
}

/// Pay as a form that names `amount` (minor units, USD) and the saved `method` posts it.
pub async fn accept_with(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: &str,
    amount: &str,
    method: &str,
) -> Answer {
    post_offer(
        app,
        client,
        "offer_accept",
        offer_id,
        cookie,
        &[
            ("agreed_amount", amount),
            ("agreed_currency", "USD"),
            ("agreed_method", method),
        ],
    )
    .await
}

/// The saved method the offer page's Pay form names (`agreed_method`), if it has one.
pub async fn shown_method(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: &str,
) -> Option<String> {
    let (_, html, _) = offer_page(app, client, offer_id, cookie).await;
    let (_, rest) = html.split_once(r#"name="agreed_method" value=""#)?;
    Some(rest.split('"').next()?.to_owned())
}

/// The offer page's HTML and its `data-state`.
pub async fn offer_page(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: &str,
) -> (reqwest::StatusCode, String, String) {
    let res = client
        .get(format!("{}/offer/{offer_id}", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .expect("offer page");
    let status = res.status();
    let html = res.text().await.unwrap_or_default();
    let state = html
        .split("data-state=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    (status, html, state)
}

/// Waits until the offer page shows `state`.
pub async fn wait_for_offer_state(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: &str,
    state: &str,
) -> String {
    super::eventually(std::time::Duration::from_secs(15), || async {
        let (_, html, shown) = offer_page(app, client, offer_id, cookie).await;
        (shown == state).then_some(html)
    })
    .await
}

/// The sandbox's payments of `product` (any customer unless `customer` is given).
pub async fn payments_of(app: &TestApp, product: &str, customer: Option<&str>) -> Vec<Value> {
    app.sandbox_payments()
        .await
        .into_iter()
        .filter(|p| {
            p["product_cart"]
                .as_array()
                .is_some_and(|c| c.iter().any(|i| i["product_id"] == product))
                && customer.is_none_or(|c| p["customer"]["customer_id"] == c)
        })
        .collect()
}

/// The API requests the sandbox received with `method` on paths matching `path` (a glob).
pub async fn sandbox_requests(app: &TestApp, method: &str, path: &str) -> Vec<Value> {
    let body: Value = app
        .http
        .get(app.sandbox_url("/_sandbox/requests"))
        .query(&[("method", method), ("path", path)])
        .send()
        .await
        .expect("requests")
        .json()
        .await
        .expect("json");
    body["items"].as_array().cloned().unwrap_or_default()
}

/// A signed plan-change link's token for `subscription` of `customer`, valid an hour.
pub fn plan_token(app: &TestApp, customer: &str, subscription: &str) -> String {
    use dodo_upsell::server::links::{Audience, LinkSubject};
    token_for(
        app,
        Audience::PlanChange,
        &LinkSubject {
            customer_id: customer.into(),
            subscription_id: Some(subscription.into()),
            ..LinkSubject::default()
        },
    )
}

/// A signed cross-sell link's token for `customer`, valid an hour.
pub fn cross_sell_token(app: &TestApp, customer: &str) -> String {
    use dodo_upsell::server::links::{Audience, LinkSubject};
    token_for(
        app,
        Audience::CrossSell,
        &LinkSubject {
            customer_id: customer.into(),
            ..LinkSubject::default()
        },
    )
}

fn token_for(
    app: &TestApp,
    audience: dodo_upsell::server::links::Audience,
    subject: &dodo_upsell::server::links::LinkSubject,
) -> String {
    app.state
        .links
        .mint(
            audience,
            subject,
            std::time::Duration::from_secs(3600),
            dodo_upsell::server::store::now_millis() / 1000,
        )
        .expect("mint")
        .0
}
