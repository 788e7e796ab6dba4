//! How many times a page asks Dodo: against real Dodo each call is an internet round trip. The
//! offer page's first view makes at most one call (the landing verified the purchase and asked
//! for the customer's methods meanwhile), a reload and each progress poll none; the cross-sell
//! and plan-change pages are bounded as the README says.

use crate::support;

use serde_json::json;
use std::time::Duration;
use support::hostile::{dodo_requests_since, last_dodo_request};
use support::shop::{browser, land_on_offer, offer_page, plan_token, purchase};
use support::{TestApp, eventually};

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
    // Dodo's signed payment.succeeded usually arrives before the customer does.
    webhook_stored(&app, &payment).await;
    let ((offer, cookie), landing) = calls_of!(&app, land_on_offer(&app, &client, &payment).await);
    // The purchase is verified by its webhook, so not read again; the customer's methods and
    // subscriptions and the bought product's name are read while the offer is chosen (its
    // product is read for its price), and the customer's preferred_locale beside them (for the
    // pages' language): one round trip.
    let mut landing = landing;
    landing.sort();
    assert_eq!(
        landing,
        [
            "GET /customers/cus_demo_alice",
            "GET /customers/cus_demo_alice/payment-methods",
            "GET /products/pdt_demo_addon",
            "GET /products/pdt_demo_course",
            "GET /subscriptions",
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

/// Waits until the app has stored the `payment.succeeded` webhook of `payment`.
async fn webhook_stored(app: &TestApp, payment: &str) {
    eventually(Duration::from_secs(5), || async {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM confirmed_payments WHERE payment_id = $1")
                .bind(payment)
                .fetch_one(app.state.store.pool())
                .await
                .expect("count");
        (n == 1).then_some(())
    })
    .await;
}

/// A customer who is back before Dodo's webhook: the landing reads the purchase itself, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_landing_before_the_webhook_reads_the_purchase_once() {
    let app = TestApp::start().await;
    app.sandbox_put("/_sandbox/webhooks/config", json!({"hold": true}))
        .await;
    let client = browser();
    let payment = purchase(&app).await;
    let (_, landing) = calls_of!(&app, land_on_offer(&app, &client, &payment).await);
    let reads = landing
        .iter()
        .filter(|c| **c == format!("GET /payments/{payment}"))
        .count();
    assert_eq!(reads, 1, "{landing:?}");
    assert_eq!(landing.len(), 6, "{landing:?}");
    // Landing again (a reload of the return address) asks nothing about the purchase.
    let (_, again) = calls_of!(&app, support::shop::land(&app, &client, &payment).await);
    assert!(
        !again.contains(&format!("GET /payments/{payment}")),
        "{again:?}"
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
    // A browser without a language choice: the subscription is read beside the customer's
    // preferred_locale (cached since the landing), before the page, and the page uses that
    // read rather than asking again.
    let (res, fresh) = calls_of!(&app, browser().get(&plan).send().await.unwrap());
    assert_eq!(res.status(), 200);
    assert_eq!(fresh, ["GET /subscriptions/sub_demo_alice_basic"]);
    // Dodo's refusal is kept as well: the page shows it without asking (and waiting) again.
    let unknown = format!(
        "{}/plan-change?token={}",
        app.url,
        plan_token(&app, "cus_demo_alice", "sub_not_at_dodo")
    );
    let (res, refused) = calls_of!(&app, browser().get(&unknown).send().await.unwrap());
    assert_eq!(res.status(), 403);
    assert_eq!(refused, ["GET /subscriptions/sub_not_at_dodo"]);
    app.stop().await;
}
