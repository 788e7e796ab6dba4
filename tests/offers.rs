//! The post-purchase offer over HTTP, as browsers use it: the purchase binds the first browser
//! only, a payment id alone charges nobody, and an accepted offer leads to the next one.

use crate::support;

use support::shop::{browser, land, purchase};
use support::{Options, TestApp};

async fn accept(
    app: &TestApp,
    client: &reqwest::Client,
    offer_id: &str,
    cookie: Option<&str>,
) -> reqwest::StatusCode {
    support::shop::accept(app, client, offer_id, cookie.unwrap_or(""), 2900)
        .await
        .status
}

async fn charges_of(app: &TestApp, product: &str) -> usize {
    support::shop::payments_of(app, product, None).await.len()
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

/// Mints a link through the merchant's API.
async fn mint(app: &TestApp, body: serde_json::Value) -> reqwest::Response {
    app.http
        .post(format!("{}/api/links", app.url))
        .bearer_auth("admin-key-for-integration-tests")
        .json(&body)
        .send()
        .await
        .expect("mint")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_link_opens_the_offer_for_its_customer_only() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let (location, _) = land(&app, &browser(), &payment).await;
    let offer = location.trim_start_matches("/offer/").to_string();
    let res = mint(
        &app,
        serde_json::json!({"audience": "offer", "customer_id": "cus_demo_alice", "offer_id": offer}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let minted: serde_json::Value = res.json().await.unwrap();
    let url = minted["url"].as_str().unwrap().to_string();
    assert!(url.contains("/offer/link?token="), "{url}");

    // Another browser, no cookie: the link alone opens the offer, with a session of its own.
    let client = browser();
    let opened = client.get(&url).send().await.unwrap();
    assert_eq!(opened.status(), 302);
    let to = opened.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("/offer/{offer}")), "{to}");
    let cookie = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (_, html, state) = support::shop::offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(state, "open", "{html}");
    assert_eq!(
        support::shop::accept(&app, &client, &offer, &cookie, 2900)
            .await
            .status,
        302
    );
    support::shop::wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;

    // The same offer in a link minted for another customer opens nothing.
    let foreign = mint(
        &app,
        serde_json::json!({"audience": "offer", "customer_id": "cus_demo_bob", "offer_id": offer}),
    )
    .await
    .json::<serde_json::Value>()
    .await
    .unwrap();
    let refused = browser()
        .get(foreign["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains(r#"data-error="link-invalid""#)
    );
    // No token, or a token for another page.
    let missing = browser()
        .get(format!("{}/offer/link", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    let cross = mint(
        &app,
        serde_json::json!({"audience": "cross-sell", "customer_id": "cus_demo_alice"}),
    )
    .await
    .json::<serde_json::Value>()
    .await
    .unwrap();
    let wrong = browser()
        .get(format!(
            "{}/offer/link?token={}",
            app.url,
            cross["token"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_api_refuses_links_longer_than_thirty_days_and_offer_links_without_an_offer() {
    let app = TestApp::start().await;
    let too_long = mint(
        &app,
        serde_json::json!({"audience": "cross-sell", "customer_id": "cus_demo_alice",
            "ttl_seconds": 30 * 86_400 + 1}),
    )
    .await;
    assert_eq!(too_long.status(), 422);
    assert_eq!(
        too_long.json::<serde_json::Value>().await.unwrap()["error"],
        "ttl_seconds must be between 1 and 2592000 (30 days)"
    );
    let thirty = mint(
        &app,
        serde_json::json!({"audience": "cross-sell", "customer_id": "cus_demo_alice",
            "ttl_seconds": 30 * 86_400}),
    )
    .await;
    assert_eq!(thirty.status(), 201);
    let no_offer = mint(
        &app,
        serde_json::json!({"audience": "offer", "customer_id": "cus_demo_alice"}),
    )
    .await;
    assert_eq!(no_offer.status(), 422);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_embedded_offer_survives_a_reload_without_cookies() {
    let app = TestApp::start().await;
    let payment_id = purchase(&app).await;
    // Inside a merchant's frame on another site the cookie never comes back: every request
    // here is made without one.
    let landing = |access: Option<&str>| {
        let mut url = format!(
            "{}/offer/landing?payment_id={payment_id}&status=succeeded&embed=1",
            app.url
        );
        if let Some(a) = access {
            url.push_str(&format!("&access={a}"));
        }
        url
    };
    let first = browser().get(landing(None)).send().await.unwrap();
    assert_eq!(first.status(), 303);
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    let access =
        support::shop::query_value(&location, "access").expect("the session in the address");
    assert!(
        location.starts_with("/offer/off_") && location.contains("embed=1"),
        "{location}"
    );

    // The merchant page reloads; embed.js hands the kept session back.
    let again = browser().get(landing(Some(&access))).send().await.unwrap();
    assert_eq!(again.status(), 303);
    assert_eq!(again.headers()["location"].to_str().unwrap(), location);
    // Without it the purchase is another browser's, as before.
    let stranger = browser().get(landing(None)).send().await.unwrap();
    assert_eq!(
        stranger.headers()["location"],
        "/offer/unavailable?reason=other-browser"
    );
    // A forged session is no session.
    let forged = browser()
        .get(landing(Some("e30.e30.x")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.headers()["location"],
        "/offer/unavailable?reason=other-browser"
    );

    // The page's own links keep the session and the embed layout.
    let page = browser()
        .get(format!("{}{location}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("access={access}")),
        "forms and links carry the session"
    );
    app.stop().await;
}
