//! The post-purchase offer over HTTP, as browsers use it: the purchase binds the first browser
//! only, a payment id alone charges nobody, and an accepted offer leads to the next one.

mod support;

use dodo_client::{BillingAddress, CartItem, OneClickPayment};
use std::collections::BTreeMap;
use support::{Options, TestApp};

/// A purchase of the demo course by Alice, paid with her saved card.
async fn purchase(app: &TestApp) -> String {
    let created = app
        .state
        .dodo_client
        .create_one_click_payment(&OneClickPayment {
            customer_id: "cus_demo_alice".into(),
            payment_method_id: "pm_demo_alice_visa".into(),
            product_cart: vec![CartItem {
                product_id: "pdt_demo_course".into(),
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
        .expect("purchase");
    created.payment_id
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Lands from the checkout; returns where it redirects and the session cookie it set.
async fn land(
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

async fn accept(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: Option<&str>,
) -> reqwest::StatusCode {
    let mut req = client
        .post(format!("{}/api/offer_accept", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .form(&[("offer_id", offer_id), ("access", "")]);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.send().await.expect("accept").status()
}

async fn charges_of(app: &TestApp, product: &str) -> usize {
    app.sandbox_payments()
        .await
        .iter()
        .filter(|p| {
            p["product_cart"]
                .as_array()
                .is_some_and(|c| c.iter().any(|i| i["product_id"] == product))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_id_alone_charges_nobody() {
    let app = TestApp::start().await;
    let payment_id = purchase(&app).await;
    let (location, cookie) = land(&app, &browser(), &payment_id).await;
    let offer_id = location.trim_start_matches("/offer/").to_string();
    assert!(offer_id.starts_with("off_"), "{location}");
    assert!(cookie.is_some(), "the first browser is bound with a cookie");

    // Someone else with the same payment id: not bound, cannot accept.
    let other = browser();
    let (elsewhere, _) = land(&app, &other, &payment_id).await;
    assert_eq!(elsewhere, "/offer/unavailable?reason=other-browser");
    assert_eq!(accept(&app, &other, &offer_id, None).await, 403);
    let page = other
        .get(format!("{}/offer/{offer_id}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
    assert_eq!(
        charges_of(&app, "pdt_demo_addon").await,
        0,
        "nothing was charged"
    );

    // The customer's own browser can.
    let status = accept(&app, &browser(), &offer_id, cookie.as_deref()).await;
    assert!(status.is_redirection() || status.is_success(), "{status}");
    assert_eq!(charges_of(&app, "pdt_demo_addon").await, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_offer_leads_to_the_next_one() {
    let app = TestApp::start_with(Options {
        merchant_config: "tests/fixtures/merchant-two-offers.toml".into(),
        ..Options::default()
    })
    .await;
    let payment_id = purchase(&app).await;
    let client = browser();
    let (location, cookie) = land(&app, &client, &payment_id).await;
    let offer_id = location.trim_start_matches("/offer/").to_string();
    let cookie = cookie.expect("cookie");
    let status = accept(&app, &client, &offer_id, Some(&cookie)).await;
    assert!(status.is_redirection() || status.is_success(), "{status}");
    // Once the first charge settled, its page links to the second offer.
    let html = support::eventually(std::time::Duration::from_secs(10), || async {
        let html = client
            .get(format!("{}/offer/{offer_id}", app.url))
            .header("cookie", &cookie)
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        html.contains(r#"data-state="succeeded""#).then_some(html)
    })
    .await;
    assert!(
        html.contains(r#"data-testid="next-offer""#),
        "no link to a second offer"
    );
    let offers = app
        .state
        .store
        .offers_for_purchase(&payment_id)
        .await
        .unwrap();
    assert_eq!(
        offers
            .iter()
            .map(|o| (o.step, o.product_id.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "pdt_demo_addon"), (2, "pdt_demo_downsell")]
    );
    app.stop().await;
}
