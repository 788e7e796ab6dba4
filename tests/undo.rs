//! Undoing a one-click purchase: a full refund, sent once whatever is clicked, confirmed by
//! Dodo's webhook; refused (nothing sent) outside the window, for a payment refunded already
//! (in full or in part), for another browser, and where the merchant turned undo off. Also:
//! no pitch while the customer owes money, and one click on a saved wallet.

use crate::support;

use dodo_upsell::server::analytics::{self, AnalyticsFilter};
use dodo_upsell::server::store::now_millis;
use serde_json::{Value, json};
use std::time::Duration;
use support::shop::{
    Answer, accept, browser, land_on_offer, offer_page, post_offer, purchase, purchase_with,
    sandbox_requests, wait_for_offer_state,
};
use support::{Options, TestApp, eventually};

/// Alice buys the course, lands on the add-on offer and accepts it; returns the offer, her
/// session cookie and the add-on's payment id.
async fn bought(app: &TestApp) -> (String, String, String) {
    let client = browser();
    let payment = purchase(app).await;
    let (offer, cookie) = land_on_offer(app, &client, &payment).await;
    let answer = accept(app, &client, &offer, &cookie, 2900).await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    let html = wait_for_offer_state(app, &client, &offer, &cookie, "succeeded").await;
    assert!(
        html.contains(r#"data-testid="undo""#),
        "the undo link is shown: {html}"
    );
    let addon = support::shop::payments_of(app, "pdt_demo_addon", Some("cus_demo_alice")).await;
    assert_eq!(addon.len(), 1);
    let paid = addon[0]["payment_id"]
        .as_str()
        .expect("payment id")
        .to_owned();
    (offer, cookie, paid)
}

/// "Yes, refund it", as the island posts it (a JSON answer, no redirect).
async fn undo(app: &TestApp, offer: &str, cookie: &str) -> (u16, Value) {
    let res = browser()
        .post(format!("{}/api/offer_undo", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .form(&[("offer_id", offer), ("access", "")])
        .send()
        .await
        .expect("undo");
    let status = res.status().as_u16();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn refunds_of(app: &TestApp, payment: &str) -> Vec<Value> {
    let body: Value = app
        .http
        .get(app.sandbox_url("/refunds"))
        .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
        .query(&[("page_size", "100")])
        .send()
        .await
        .expect("refunds")
        .json()
        .await
        .expect("json");
    body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r["payment_id"] == payment)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_refunds_in_full_once_and_the_page_says_refunded() {
    let app = TestApp::start().await;
    let (offer, cookie, paid) = bought(&app).await;
    let client = browser();

    // The receipt: what, how much, which card.
    let (_, html, _) = offer_page(&app, &client, &offer, &cookie).await;
    assert!(html.contains(r#"data-testid="receipt""#), "{html}");
    assert!(html.contains("$29.00"), "{html}");
    assert!(html.contains("VISA •••• 4242"), "{html}");
    // The confirmation step refunds nothing by itself.
    let confirm = client
        .get(format!("{}/offer/{offer}?undo=confirm", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        confirm.contains(r#"data-testid="undo-confirm""#),
        "{confirm}"
    );
    assert!(refunds_of(&app, &paid).await.is_empty());

    // A double click and a second tab: three posts, one refund.
    let (a, b) = tokio::join!(undo(&app, &offer, &cookie), undo(&app, &offer, &cookie));
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
    assert_eq!(undo(&app, &offer, &cookie).await.0, 200);
    let refunds = refunds_of(&app, &paid).await;
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0]["amount"], 2900);
    assert_eq!(refunds[0]["is_partial"], false);
    assert_eq!(
        sandbox_requests(&app, "POST", "/refunds").await.len(),
        1,
        "one refund request reached Dodo"
    );

    // Dodo's webhook confirms it; the page says so and offers nothing more.
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "undone").await;
    assert!(html.contains(r#"data-testid="undone""#), "{html}");
    assert!(!html.contains(r#"data-testid="undo""#));
    // Once undone, a further undo refunds nothing.
    assert_eq!(undo(&app, &offer, &cookie).await.0, 200);
    assert_eq!(refunds_of(&app, &paid).await.len(), 1);

    // The merchant's numbers, once both webhooks are in: paid, then undone; nothing of it is
    // net revenue.
    let row = eventually(Duration::from_secs(5), || async {
        let filter =
            AnalyticsFilter::from_query(None, None, None, None, now_millis()).expect("filter");
        let rows = analytics::offers::offer_rows(&app.state.store, &filter)
            .await
            .expect("offer rows");
        rows.into_iter()
            .find(|r| r.key.product_id == "pdt_demo_addon" && r.refunds == 1 && r.payments == 1)
    })
    .await;
    assert_eq!((row.payments, row.revenue_minor), (1, 2900), "{row:?}");
    assert_eq!((row.refunds, row.refunded_minor), (1, 2900), "{row:?}");
    assert_eq!((row.undone, row.undone_minor), (1, 2900), "{row:?}");
    assert_eq!(row.net_revenue_minor(), 0);
    app.stop().await;
}

/// The race behind a double click: the second request looks for an undo before the first has
/// recorded one, and reads Dodo's payment after the first one's refund went through. It is the
/// customer's own undo, so the answer is the page (200), not "already refunded".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_undo_that_reads_the_payment_after_the_first_refund_is_not_refused() {
    let app = TestApp::start().await;
    let (offer, cookie, paid) = bought(&app).await;
    // The next read of the payment is slow: it is the second request's.
    app.sandbox_post(
        "/_sandbox/faults",
        json!({"method": "GET", "path": format!("/payments/{paid}"), "count": 1, "fault": "latency", "latency_ms": 1500}),
    )
    .await;
    // The slow request goes first; the other undo runs once the sandbox took the fault (the slow
    // request has looked for an undo and is reading the payment) and completes meanwhile.
    let slow = undo(&app, &offer, &cookie);
    let fast = async {
        eventually(Duration::from_secs(5), || async {
            let faults = app.sandbox_get("/_sandbox/faults").await;
            faults["items"]
                .as_array()
                .is_some_and(Vec::is_empty)
                .then_some(())
        })
        .await;
        let answer = undo(&app, &offer, &cookie).await;
        wait_for_offer_state(&app, &browser(), &offer, &cookie, "undone").await;
        answer
    };
    let (slow, fast) = tokio::join!(slow, fast);
    assert_eq!((fast.0, slow.0), (200, 200), "{fast:?} {slow:?}");
    assert_eq!(refunds_of(&app, &paid).await.len(), 1);
    assert_eq!(sandbox_requests(&app, "POST", "/refunds").await.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_refund_answer_is_found_not_resent() {
    let app = TestApp::start().await;
    let (offer, cookie, paid) = bought(&app).await;
    app.sandbox_post(
        "/_sandbox/faults",
        json!({"method": "POST", "path": "/refunds", "count": 1, "fault": "response_lost"}),
    )
    .await;
    assert_eq!(undo(&app, &offer, &cookie).await.0, 200);
    wait_for_offer_state(&app, &browser(), &offer, &cookie, "undone").await;
    assert_eq!(refunds_of(&app, &paid).await.len(), 1);
    assert_eq!(sandbox_requests(&app, "POST", "/refunds").await.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_is_refused_after_the_window_on_dodos_clock() {
    let app = TestApp::start_with(Options {
        sandbox_clock: true,
        ..Options::default()
    })
    .await;
    let (offer, cookie, paid) = bought(&app).await;
    app.sandbox_post("/_sandbox/clock/advance", json!({"minutes": 11}))
        .await;
    let (_, html, _) = offer_page(&app, &browser(), &offer, &cookie).await;
    assert!(
        !html.contains(r#"data-testid="undo""#),
        "the button is gone"
    );
    let (status, body) = undo(&app, &offer, &cookie).await;
    assert_eq!(status, 409);
    assert_eq!(body, json!({"Undo": "WindowPassed"}));
    assert!(refunds_of(&app, &paid).await.is_empty());
    assert!(sandbox_requests(&app, "POST", "/refunds").await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_is_refused_for_a_payment_refunded_in_full_or_in_part() {
    for items in [
        json!(null),
        json!([{"item_id": "pdt_demo_addon", "amount": 500}]),
    ] {
        let app = TestApp::start().await;
        let (offer, cookie, paid) = bought(&app).await;
        // The merchant refunded it from Dodo's dashboard first (all of it, or a part).
        let mut body = json!({"payment_id": paid, "reason": "merchant"});
        if !items.is_null() {
            body["items"] = items.clone();
        }
        let res = app
            .http
            .post(app.sandbox_url("/refunds"))
            .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
        let (status, answer) = undo(&app, &offer, &cookie).await;
        assert_eq!(status, 409, "{answer}");
        assert_eq!(answer, json!({"Undo": "AlreadyRefunded"}));
        assert_eq!(
            refunds_of(&app, &paid).await.len(),
            1,
            "only the merchant's"
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_is_refused_to_another_browser_and_where_it_is_off() {
    let app = TestApp::start().await;
    let (offer, _cookie, paid) = bought(&app).await;
    let (status, body) = undo(&app, &offer, "").await;
    assert_eq!(status, 403);
    assert_eq!(body, json!("NotYours"));
    assert!(refunds_of(&app, &paid).await.is_empty());
    app.stop().await;

    let app = TestApp::start_with(Options {
        merchant_config: "tests/fixtures/merchant-no-undo.toml".into(),
        ..Options::default()
    })
    .await;
    let client = browser();
    let payment = purchase(&app).await;
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    accept(&app, &client, &offer, &cookie, 2900).await;
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    assert!(
        !html.contains(r#"data-testid="undo""#),
        "no undo when it is off"
    );
    let (status, body) = undo(&app, &offer, &cookie).await;
    assert_eq!(status, 409);
    assert_eq!(body, json!({"Undo": "NotUndoable"}));
    assert!(sandbox_requests(&app, "POST", "/refunds").await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_offer_while_a_subscription_payment_is_owed() {
    let app = TestApp::start().await;
    let client = browser();
    // Henry's Basic subscription is on hold (its renewal failed); he buys the course.
    let payment = purchase_with(
        &app,
        "cus_demo_henry",
        "pm_demo_henry_visa",
        "pdt_demo_course",
    )
    .await;
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    let (status, html, state) = offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(status, 200);
    assert_eq!(state, "owes-money", "{html}");
    assert!(!html.contains(r#"data-testid="accept""#));
    assert!(html.contains(r#"data-testid="fix-payment""#));
    // A Pay posted anyway charges nothing.
    let before = sandbox_requests(&app, "POST", "/checkouts").await.len();
    let answer: Answer = accept(&app, &client, &offer, &cookie, 2900).await;
    assert_eq!(answer.status, 302);
    assert_eq!(
        sandbox_requests(&app, "POST", "/checkouts").await.len(),
        before
    );
    // "Update your payment method" goes to Dodo's page for the subscription.
    let fix = post_offer(&app, &client, "offer_fix_payment", &offer, &cookie, &[]).await;
    assert_eq!(fix.status, 302, "{}", fix.body);
    let requests = sandbox_requests(&app, "POST", "/subscriptions/*/update-payment-method").await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0]["path"],
        "/subscriptions/sub_demo_henry_basic/update-payment-method"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_wallet_is_one_click_and_named() {
    let app = TestApp::start().await;
    let client = browser();
    let payment = purchase_with(
        &app,
        "cus_demo_wendy",
        "pm_demo_wendy_paypal",
        "pdt_demo_course",
    )
    .await;
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    let (_, html, state) = offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(state, "open", "{html}");
    assert!(html.contains("your saved PayPal"), "{html}");
    let answer = accept(&app, &client, &offer, &cookie, 2900).await;
    assert_eq!(answer.status, 302);
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    assert!(
        html.contains("PayPal"),
        "the receipt names the wallet: {html}"
    );
    eventually(Duration::from_secs(5), || async {
        let paid = support::shop::payments_of(&app, "pdt_demo_addon", Some("cus_demo_wendy")).await;
        (paid.len() == 1).then_some(())
    })
    .await;
    app.stop().await;
}
