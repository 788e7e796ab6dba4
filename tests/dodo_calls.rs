//! How many times a page asks Dodo: against real Dodo each call is an internet round trip. The
//! offer page's first view makes at most one call (the landing verified the purchase and asked
//! for the customer's methods meanwhile), a reload and each progress poll none; the cross-sell
//! and plan-change pages are bounded as the README says.

mod support;

use support::TestApp;
use support::hostile::{dodo_requests_since, last_dodo_request};
use support::shop::{browser, land_on_offer, offer_page, plan_token, purchase};

/// What a step asked Dodo, run as `step`.
macro_rules! calls_of {
    ($app:expr, $step:expr) => {{
        let before = last_dodo_request($app);
        let out = $step;
        (out, dodo_requests_since($app, before))
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offer_page_asks_dodo_once_at_most_and_never_on_reload_or_poll() {
    let app = TestApp::start().await;
    let client = browser();
    let payment = purchase(&app).await;
    let ((offer, cookie), landing) = calls_of!(&app, land_on_offer(&app, &client, &payment).await);
    // The purchase is verified; the customer's methods and subscriptions and the bought
    // product's name are read while the offer is chosen (its product is read for its price),
    // and the customer's preferred_locale beside them (for the pages' language).
    let mut landing = landing;
    landing.sort();
    assert_eq!(
        landing,
        [
            "GET /customers/cus_demo_alice".to_string(),
            "GET /customers/cus_demo_alice/payment-methods".to_string(),
            format!("GET /payments/{payment}"),
            "GET /products/pdt_demo_addon".to_string(),
            "GET /products/pdt_demo_course".to_string(),
            "GET /subscriptions".to_string(),
        ]
    );

    let ((status, _, state), first) =
        calls_of!(&app, offer_page(&app, &client, &offer, &cookie).await);
    assert_eq!((status.as_u16(), state.as_str()), (200, "open"));
    assert_eq!(
        first,
        Vec::<String>::new(),
        "the first view asks Dodo nothing more"
    );

    let (_, reload) = calls_of!(&app, offer_page(&app, &client, &offer, &cookie).await);
    assert_eq!(reload, Vec::<String>::new(), "a reload asks Dodo nothing");

    let (res, poll) = calls_of!(
        &app,
        client
            .post(format!("{}/api/offer_status", app.url))
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &cookie)
            .form(&[("offer_id", offer.as_str()), ("access", "")])
            .send()
            .await
            .unwrap()
    );
    assert_eq!(res.status(), 200);
    assert_eq!(
        poll,
        Vec::<String>::new(),
        "a progress poll asks Dodo nothing"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cross_sell_and_plan_change_pages_are_bounded() {
    let app = TestApp::start().await;
    let client = browser();
    let payment = purchase(&app).await;
    land_on_offer(&app, &client, &payment).await;
    let token = support::shop::cross_sell_token(&app, "cus_demo_alice");
    let url = format!("{}/cross-sell?token={token}", app.url);
    let (res, first) = calls_of!(&app, client.get(&url).send().await.unwrap());
    assert_eq!(res.status(), 200);
    assert!(first.len() <= 3, "cross-sell first view: {first:?}");
    let (_, reload) = calls_of!(&app, client.get(&url).send().await.unwrap());
    assert_eq!(
        reload,
        Vec::<String>::new(),
        "a cross-sell reload asks Dodo nothing"
    );

    let plan = format!(
        "{}/plan-change?token={}",
        app.url,
        plan_token(&app, "cus_demo_alice", "sub_demo_alice_basic")
    );
    let (res, first) = calls_of!(&app, client.get(&plan).send().await.unwrap());
    assert_eq!(res.status(), 200);
    // The subscription, its product, the collections (the list and its own), each of the
    // family's 4 other plans, the product lists (archived and not): 10.
    assert!(first.len() <= 10, "plan change first view: {first:?}");
    // The subscription itself is read on every view: its plan and schedule are what the page
    // is about. The catalogue comes from the cache.
    let (_, reload) = calls_of!(&app, client.get(&plan).send().await.unwrap());
    assert_eq!(reload, ["GET /subscriptions/sub_demo_alice_basic"]);
    app.stop().await;
}
