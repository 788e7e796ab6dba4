//! The post-purchase offer over HTTP, as browsers use it: the purchase binds the first browser
//! only, a payment id alone charges nobody, and an accepted offer leads to the next one.

mod support;

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
