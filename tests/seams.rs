//! The seams between money flows (issue 11's table, one test per row): a fallback checkout
//! after a failed one-click, two offers of one product, a 4xx that hid a charge, "No thanks"
//! while paying, a price that moved, two plan changes at once, a reload while paying, a call
//! that never reached Dodo, and money requests without the amount the customer agreed to.
//! Rows with concurrency also run on PostgreSQL with two app instances.

use crate::support;

use dodo_upsell::error::AppError;
use dodo_upsell::pages::plan_change::present;
use dodo_upsell::server::plan_change::{self, Confirmed, Drift};
use dodo_upsell::server::store::{AttemptKind, AttemptStatus, Decision};
use dodo_upsell::types::plan_change::AgreedFacts;
use serde_json::json;
use std::time::Duration;
use support::shop::{
    accept, accept_with, browser, land, land_on_offer, offer_page, pay_hosted, payments_of,
    post_offer, purchase, purchase_hosted, sandbox_requests, wait_for_offer_state,
};
use support::{Options, TestApp, eventually};

/// A seam tested on one SQLite instance, and on two PostgreSQL instances sharing a database
/// (`a` and `b`: the two tabs' servers).
macro_rules! both_backends {
    ($sqlite:ident, $postgres:ident, $body:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $sqlite() {
            let app = TestApp::start().await;
            $body(&app, &app).await;
            app.stop().await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $postgres() {
            let Some(pair) = support::PostgresPair::start(Options::default()).await else {
                return;
            };
            $body(&pair.a, &pair.b).await;
            pair.stop().await;
        }
    };
}

const ADDON: &str = "pdt_demo_addon";
const ADDON_PRICE: i64 = 2900;
const DOWNSELL: &str = "pdt_demo_downsell";

async fn fault(app: &TestApp, spec: serde_json::Value) {
    app.sandbox_post("/_sandbox/faults", spec).await;
}

/// The attempts made to buy `offer_id`, oldest first.
async fn attempts(app: &TestApp, offer_id: &str) -> Vec<dodo_upsell::server::store::Attempt> {
    app.state
        .store
        .attempts_for_offer(offer_id)
        .await
        .expect("attempts")
}

async fn wait_for_attempt(app: &TestApp, offer_id: &str, status: AttemptStatus) {
    eventually(Duration::from_secs(15), || async {
        attempts(app, offer_id)
            .await
            .iter()
            .any(|a| a.status == status)
            .then_some(())
    })
    .await
}

// --- 1: a fallback checkout after a failed one-click -------------------------------------------

/// Carol buys the course on the checkout with a good card, then that card is removed: her only
/// saved card now declines, so the offer's one-click fails for real (a failed Dodo payment).
async fn carol_with_a_declining_card(app: &TestApp) -> String {
    let payment = purchase_hosted(app, "pdt_demo_course", "carol@example.com").await;
    let used = app
        .state
        .dodo_client
        .payment(&payment)
        .await
        .expect("payment")
        .payment_method_id
        .expect("card used");
    let res = app
        .http
        .delete(app.sandbox_url(&format!("/customers/cus_demo_carol/payment-methods/{used}")))
        .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
        .send()
        .await
        .expect("delete card");
    assert!(res.status().is_success(), "{}", res.status());
    payment
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row1_a_fallback_checkout_after_a_declined_one_click_settles_the_offer_as_bought() {
    let app = TestApp::start().await;
    let purchase = carol_with_a_declining_card(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &purchase).await;
    let answer = accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "failed").await;
    assert!(html.contains("Your bank declined the card."), "{html}");

    // "Pay with another method": Dodo's checkout for the same offer, paid with a good card.
    let amount = ADDON_PRICE.to_string();
    let agreed = [
        ("agreed_amount", amount.as_str()),
        ("agreed_currency", "USD"),
    ];
    let opened = post_offer(&app, &client, "offer_checkout", &offer, &cookie, &agreed).await;
    let checkout = opened.location.expect("to the checkout page");
    assert!(checkout.contains("/checkout/cks_"), "{checkout}");
    // Asking again while it is open gives the same page, not a second checkout.
    let again = post_offer(&app, &client, "offer_checkout", &offer, &cookie, &agreed).await;
    assert_eq!(again.location.as_deref(), Some(checkout.as_str()));
    let back = pay_hosted(&checkout, "carol@example.com", "4242 4242 4242 4242").await;
    assert!(back.contains(&format!("/offer/{offer}/result")), "{back}");

    // Back on the page (the webhook may or may not have come yet): bought, not "nothing
    // was charged".
    let res = client
        .get(&back)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("back");
    assert_eq!(res.status(), 303);
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    assert!(!html.contains("Nothing was charged"), "{html}");
    let all = attempts(&app, &offer).await;
    assert_eq!(
        all.iter().map(|a| (a.kind, a.status)).collect::<Vec<_>>(),
        vec![
            (AttemptKind::Charge, AttemptStatus::Failed),
            (AttemptKind::Checkout, AttemptStatus::Succeeded)
        ]
    );
    let paid = payments_of(&app, ADDON, Some("cus_demo_carol")).await;
    let mut statuses: Vec<&str> = paid.iter().filter_map(|p| p["status"].as_str()).collect();
    statuses.sort();
    assert_eq!(statuses, vec!["failed", "succeeded"]);
    let checkout_payment = paid.iter().find(|p| p["status"] == "succeeded").unwrap();
    assert_eq!(
        checkout_payment["metadata"]["attempt_id"],
        all[1].id.as_str()
    );
    assert_eq!(
        checkout_payment["metadata"]["upsell_offer_id"],
        offer.as_str()
    );

    // A second checkout for the bought offer is refused: nothing new at Dodo.
    let hosted_before = sandbox_requests(&app, "POST", "/checkouts").await.len();
    let refused = post_offer(&app, &client, "offer_checkout", &offer, &cookie, &agreed).await;
    assert_eq!(
        refused.location.as_deref(),
        Some(format!("/offer/{offer}?notice=owned").as_str())
    );
    assert_eq!(
        sandbox_requests(&app, "POST", "/checkouts").await.len(),
        hosted_before
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row1_the_checkouts_webhook_alone_settles_the_offer() {
    let app = TestApp::start_with(Options {
        reconciler: false,
        ..Options::default()
    })
    .await;
    let purchase = carol_with_a_declining_card(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &purchase).await;
    accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    wait_for_attempt(&app, &offer, AttemptStatus::Failed).await;
    let amount = ADDON_PRICE.to_string();
    let agreed = [
        ("agreed_amount", amount.as_str()),
        ("agreed_currency", "USD"),
    ];
    let opened = post_offer(&app, &client, "offer_checkout", &offer, &cookie, &agreed).await;
    pay_hosted(
        &opened.location.expect("checkout"),
        "carol@example.com",
        "4242 4242 4242 4242",
    )
    .await;
    // The customer never comes back; `payment.succeeded` (carrying the attempt id) settles it.
    wait_for_attempt(&app, &offer, AttemptStatus::Succeeded).await;
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    app.stop().await;
}

// --- 2: two offers of one product ------------------------------------------------------------

async fn two_offers_of_the_addon(a: &TestApp, b: &TestApp) {
    let (first, second) = (purchase(a).await, purchase(a).await);
    let (tab_a, tab_b) = (browser(), browser());
    let (offer_a, cookie_a) = land_on_offer(a, &tab_a, &first).await;
    let (offer_b, cookie_b) = land_on_offer(b, &tab_b, &second).await;
    assert_ne!(offer_a, offer_b);
    let (ra, rb) = tokio::join!(
        accept(a, &tab_a, &offer_a, &cookie_a, ADDON_PRICE),
        accept(b, &tab_b, &offer_b, &cookie_b, ADDON_PRICE),
    );
    assert_eq!(
        (ra.status, rb.status),
        (reqwest::StatusCode::FOUND, reqwest::StatusCode::FOUND)
    );
    let refused: Vec<String> = [&ra, &rb]
        .iter()
        .filter_map(|r| r.location.clone())
        .filter(|l| l.ends_with("?notice=owned"))
        .collect();
    assert_eq!(
        refused.len(),
        1,
        "one of the two is refused: {ra:?} {rb:?}",
        ra = ra.location,
        rb = rb.location
    );
    let paid = eventually(Duration::from_secs(10), || async {
        let paid = payments_of(a, ADDON, Some("cus_demo_alice")).await;
        paid.iter()
            .all(|p| p["status"] == "succeeded")
            .then_some(paid)
    })
    .await;
    assert_eq!(paid.len(), 1, "the add-on is charged once");
    // The refused offer's page says the customer has it, with no Pay button.
    let (loser, client, cookie) = if refused[0].contains(&offer_a) {
        (&offer_a, &tab_a, &cookie_a)
    } else {
        (&offer_b, &tab_b, &cookie_b)
    };
    let (_, html, state) = offer_page(a, client, loser, cookie).await;
    assert_eq!(state, "owned", "{html}");
    assert!(!html.contains(r#"data-testid="accept""#));
    // A later purchase offers no add-on at all; a cross-sell link does not either.
    let third = purchase(a).await;
    let (next, _) = land(a, &browser(), &third).await;
    assert_eq!(next, "/thanks", "no offer of a product the customer owns");
    let token = support::shop::cross_sell_token(a, "cus_demo_alice");
    let html = b
        .http
        .get(format!("{}/cross-sell?token={token}", b.url))
        .send()
        .await
        .expect("cross-sell")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Course Workbook"),
        "the other product is offered: {html}"
    );
    assert!(
        !html.contains("Instructor code reviews"),
        "the owned one is not: {html}"
    );
}

both_backends!(
    row2_two_purchases_two_add_on_offers_one_charge,
    postgres_row2_two_instances_two_add_on_offers_one_charge,
    two_offers_of_the_addon
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn row2_a_repeatable_product_may_be_bought_twice() {
    let path = std::env::temp_dir().join(format!(
        "merchant-repeatable-{}.toml",
        dodo_upsell::server::store::new_id("r")
    ));
    let rules = std::fs::read_to_string("merchant.toml").expect("merchant.toml")
        + "\n[products]\nrepeatable = [\"pdt_demo_addon\"]\n";
    std::fs::write(&path, rules).expect("write");
    let app = TestApp::start_with(Options {
        merchant_config: path.display().to_string(),
        ..Options::default()
    })
    .await;
    for _ in 0..2 {
        let payment = purchase(&app).await;
        let client = browser();
        let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
        accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
        wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    }
    assert_eq!(
        payments_of(&app, ADDON, Some("cus_demo_alice")).await.len(),
        2
    );
    app.stop().await;
}

// --- 3: a 4xx that hid a charge ----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row3_a_charge_whose_answer_became_a_429_counts_as_bought() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    // Dodo charges, but the answer on the way back is a 429.
    fault(
        &app,
        json!({"method": "POST", "path": "/checkouts", "fault": "response_lost", "status": 429}),
    )
    .await;
    accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    assert!(!html.contains("Nothing was charged"), "{html}");
    let charged = payments_of(&app, ADDON, Some("cus_demo_alice")).await;
    assert_eq!(charged.len(), 1);
    assert_eq!(charged[0]["status"], "succeeded");
    let attempt = &attempts(&app, &offer).await[0];
    assert_eq!(
        (attempt.status, attempt.provisional),
        (AttemptStatus::Succeeded, false)
    );
    assert_eq!(
        attempt.dodo_payment_id.as_deref(),
        charged[0]["payment_id"].as_str()
    );
    // The product counts as bought: no new offer of it.
    let (next, _) = land(&app, &browser(), &purchase(&app).await).await;
    assert_eq!(next, "/thanks");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row3_a_late_verified_payment_replaces_an_inferred_failure() {
    // No reconciler: the webhook alone must turn the provisional failure into a success.
    let app = TestApp::start_with(Options {
        reconciler: false,
        ..Options::default()
    })
    .await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    // Hold the webhooks and make the payment's listing lag: the 429's lookup finds nothing.
    app.sandbox_put("/_sandbox/webhooks/config", json!({"hold": true}))
        .await;
    fault(
        &app,
        json!({"method": "POST", "path": "/checkouts", "fault": "response_lost", "status": 429}),
    )
    .await;
    fault(
        &app,
        json!({"method": "GET", "path": "/payments", "fault": "status", "status": 503, "count": 5}),
    )
    .await;
    accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    let failed = &attempts(&app, &offer).await[0];
    assert_eq!(
        (failed.status, failed.provisional),
        (AttemptStatus::Failed, true)
    );
    app.sandbox_post("/_sandbox/webhooks/flush", json!({}))
        .await;
    wait_for_attempt(&app, &offer, AttemptStatus::Succeeded).await;
    let settled = &attempts(&app, &offer).await[0];
    assert!(!settled.provisional);
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    app.stop().await;
}

// --- 4: "No thanks" while paying ---------------------------------------------------------------

async fn no_thanks_while_paying(a: &TestApp, b: &TestApp) {
    let payment = purchase(a).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(a, &client, &payment).await;
    fault(
        a,
        json!({"method": "POST", "path": "/checkouts", "fault": "latency", "latency_ms": 6000}),
    )
    .await;
    let paying = {
        let (client, offer, cookie) = (client.clone(), offer.clone(), cookie.clone());
        let url = a.url.clone();
        tokio::spawn(async move {
            client
                .post(format!("{url}/api/offer_accept"))
                .header("sec-fetch-site", "same-origin")
                .header("accept", "text/html")
                .header("cookie", &cookie)
                .form(&[
                    ("offer_id", offer.as_str()),
                    ("access", ""),
                    ("agreed_amount", "2900"),
                    ("agreed_currency", "USD"),
                    ("agreed_method", "pm_demo_alice_visa"),
                ])
                .send()
                .await
                .expect("accept")
                .status()
        })
    };
    wait_for_attempt(a, &offer, AttemptStatus::Sending).await;
    // The second tab (or the no-JavaScript form during "Processing…") on the other instance.
    let declined = post_offer(b, &client, "offer_decline", &offer, &cookie, &[]).await;
    assert_eq!(
        declined.location.as_deref(),
        Some(format!("/offer/{offer}?notice=in_progress").as_str())
    );
    let (_, html, _) = offer_page(b, &client, &offer, &cookie).await;
    let notice = page_notice(&offer, &cookie, b, &client).await;
    assert_eq!(
        notice,
        "Your payment for this offer is being processed, so it can't be declined now."
    );
    assert!(!html.contains("Workbook"), "no downsell is shown: {html}");
    assert_eq!(paying.await.expect("task"), 302);
    wait_for_offer_state(a, &client, &offer, &cookie, "succeeded").await;
    assert_eq!(
        a.state.store.decision(&offer).await.unwrap(),
        Some(Decision::Accepted)
    );
    let offers = a.state.store.offers_for_purchase(&payment).await.unwrap();
    assert_eq!(offers.len(), 1, "no downsell was made");
    assert_eq!(payments_of(a, ADDON, None).await.len(), 1);
    assert!(payments_of(a, DOWNSELL, None).await.is_empty());
}

/// The notice line the offer page shows with `?notice=in_progress`.
async fn page_notice(offer: &str, cookie: &str, app: &TestApp, client: &reqwest::Client) -> String {
    let html = client
        .get(format!("{}/offer/{offer}?notice=in_progress", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    html.split(r#"data-testid="offer-notice-line""#)
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
        .replace("&#x27;", "'")
        .trim()
        .to_owned()
}

both_backends!(
    row4_no_thanks_while_the_charge_is_in_flight_is_refused,
    postgres_row4_no_thanks_on_another_instance_while_paying_is_refused,
    no_thanks_while_paying
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row4_pay_after_no_thanks_is_refused() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    // A second tab keeps the open offer's Pay form.
    let shown = support::shop::shown_method(&app, &client, &offer, &cookie)
        .await
        .expect("the open offer names a method");
    let declined = post_offer(&app, &client, "offer_decline", &offer, &cookie, &[]).await;
    let downsell = declined.location.expect("to the downsell");
    assert!(downsell.starts_with("/offer/off_") && !downsell.contains(&offer));
    let amount = ADDON_PRICE.to_string();
    let late = accept_with(&app, &client, &offer, &cookie, &amount, &shown).await;
    assert_eq!(
        late.location.as_deref(),
        Some(format!("/offer/{offer}?notice=declined").as_str())
    );
    assert!(payments_of(&app, ADDON, None).await.is_empty());
    assert!(attempts(&app, &offer).await.is_empty());
    app.stop().await;
}

// --- 5: the price moved while the offer was open -----------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row5_a_price_raised_at_dodo_is_explained_before_anything_is_charged() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    let (_, html, _) = offer_page(&app, &client, &offer, &cookie).await;
    assert!(html.contains("Pay $29.00 now"), "{html}");
    // The merchant raises the price in Dodo while the page is open.
    let res = app
        .http
        .patch(app.sandbox_url(&format!("/products/{ADDON}")))
        .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
        .json(
            &json!({"price": {"type": "one_time_price", "price": 3900, "currency": "USD",
            "discount": 0, "purchasing_power_parity": false}}),
        )
        .send()
        .await
        .expect("patch");
    assert!(res.status().is_success(), "{}", res.status());
    // Pay $29.00: Dodo's price is re-read before sending; nothing is sent.
    let answer = accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/offer/{offer}").as_str())
    );
    assert!(
        sandbox_requests(&app, "POST", "/checkouts")
            .await
            .is_empty()
    );
    let (_, html, state) = offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(state, "open");
    assert!(
        html.contains("The price changed from $29.00 to $39.00."),
        "the page explains the change: {html}"
    );
    assert!(html.contains("Pay $39.00 now"), "and asks again: {html}");
    // The customer agrees to the new price: charged exactly that, once.
    accept(&app, &client, &offer, &cookie, 3900).await;
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    let charged = payments_of(&app, ADDON, Some("cus_demo_alice")).await;
    assert_eq!(charged.len(), 1);
    assert_eq!(charged[0]["total_amount"], 3900);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row5_a_stale_amount_sends_nothing() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    // The page showed $29.00; a form claiming another amount is not consent to $29.00.
    let answer = accept(&app, &client, &offer, &cookie, 1900).await;
    assert_eq!(
        answer.location.as_deref(),
        Some(format!("/offer/{offer}").as_str())
    );
    assert!(payments_of(&app, ADDON, None).await.is_empty());
    assert!(attempts(&app, &offer).await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row5_a_plan_change_whose_preview_moved_is_refused_with_the_difference() {
    let app = TestApp::start().await;
    let token = plan_token(&app);
    let loaded = plan_change::load(&app.state, Some(&token))
        .await
        .expect("load");
    let seen = plan_change::agreed_facts(
        &plan_change::preview(
            &app.state,
            &loaded,
            "pdt_demo_pro",
            1,
            plan_change::Timing::AsConfigured,
        )
        .await
        .expect("preview"),
    );
    // The customer leaves the dialog open for a day: the proration moves.
    app.sandbox_post("/_sandbox/clock/advance", json!({"days": 1}))
        .await;
    match plan_change::confirm(
        &app.state,
        &token,
        "pdt_demo_pro",
        1,
        plan_change::Timing::AsConfigured,
        &seen,
    )
    .await
    .expect("confirm")
    {
        Confirmed::Drifted(Drift::Total { was, now, .. }) => {
            assert_eq!(was, seen.total_minor);
            assert!(now < was, "one day less of Pro costs less: {now} vs {was}");
            let text = present::drift_text(
                dodo_upsell::i18n::Locale::En,
                &Drift::Total {
                    was,
                    now,
                    currency: "USD".into(),
                },
            );
            assert!(
                text.starts_with("The amount due today changed from $25.00 to $"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        sandbox_requests(&app, "POST", "/subscriptions/*/change-plan")
            .await
            .is_empty(),
        "nothing was sent"
    );
    app.stop().await;
}

// --- 6: two plan changes at once --------------------------------------------------------------

fn plan_token(app: &TestApp) -> String {
    support::shop::plan_token(app, "cus_demo_alice", "sub_demo_alice_basic")
}

async fn facts(app: &TestApp, token: &str, product: &str) -> AgreedFacts {
    let loaded = plan_change::load(&app.state, Some(token))
        .await
        .expect("load");
    plan_change::agreed_facts(
        &plan_change::preview(
            &app.state,
            &loaded,
            product,
            1,
            plan_change::Timing::AsConfigured,
        )
        .await
        .expect("preview"),
    )
}

async fn two_tabs_two_changes(a: &TestApp, b: &TestApp) {
    let token = plan_token(a);
    let (up, down) = (
        facts(a, &token, "pdt_demo_pro").await,
        facts(a, &token, "pdt_demo_starter").await,
    );
    fault(
        a,
        json!({"method": "POST", "path": "/subscriptions/*/change-plan", "fault": "latency", "latency_ms": 8000}),
    )
    .await;
    let first = {
        let (state, token) = (a.state.clone(), token.clone());
        tokio::spawn(async move {
            plan_change::confirm(
                &state,
                &token,
                "pdt_demo_pro",
                1,
                plan_change::Timing::AsConfigured,
                &up,
            )
            .await
        })
    };
    eventually(Duration::from_secs(10), || async {
        let open = a
            .state
            .store
            .open_plan_change("sub_demo_alice_basic")
            .await
            .ok()??;
        (open.status == AttemptStatus::Sending).then_some(())
    })
    .await;
    let open = a
        .state
        .store
        .open_plan_change("sub_demo_alice_basic")
        .await
        .unwrap()
        .expect("in flight");
    match plan_change::confirm(
        &b.state,
        &token,
        "pdt_demo_starter",
        1,
        plan_change::Timing::AsConfigured,
        &down,
    )
    .await
    .expect("second")
    {
        Confirmed::InFlight(id) => assert_eq!(id, open.id),
        other => panic!("a second change while one is in flight: {other:?}"),
    }
    match first.await.expect("task").expect("first") {
        Confirmed::Attempt(id) => assert_eq!(id, open.id),
        other => panic!("{other:?}"),
    }
    let sent = sandbox_requests(a, "POST", "/subscriptions/*/change-plan").await;
    assert_eq!(sent.len(), 1, "one change-plan reached Dodo");
    assert_eq!(sent[0]["body"]["product_id"], "pdt_demo_pro");
}

both_backends!(
    row6_a_second_plan_change_while_one_is_in_flight_is_refused,
    postgres_row6_two_instances_two_plan_changes_one_sent,
    two_tabs_two_changes
);

// --- 7: a reload while paying -----------------------------------------------------------------

/// Alice presses Pay (the no-JavaScript form) and her browser leaves after `patience`,
/// before the server answers.
async fn pay_and_leave(app: &TestApp, offer: &str, cookie: &str, patience: Duration) {
    let impatient = reqwest::Client::builder()
        .timeout(patience)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let gone = impatient
        .post(format!("{}/api/offer_accept", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("cookie", cookie)
        .form(&[
            ("offer_id", offer),
            ("access", ""),
            ("agreed_amount", "2900"),
            ("agreed_currency", "USD"),
            ("agreed_method", "pm_demo_alice_visa"),
        ])
        .send()
        .await;
    assert!(gone.is_err_and(|e| e.is_timeout()), "the browser left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row7_a_reload_while_paying_does_not_cancel_the_charge() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    fault(
        &app,
        json!({"method": "POST", "path": "/checkouts", "fault": "latency", "latency_ms": 4000}),
    )
    .await;
    // The browser gives up on the request (a reload, a lost connection) long before Dodo answers.
    pay_and_leave(&app, &offer, &cookie, Duration::from_millis(500)).await;
    // The reload shows the live state, then the outcome.
    let (_, _, state) = offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(state, "processing");
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    let charged = payments_of(&app, ADDON, Some("cus_demo_alice")).await;
    assert_eq!(charged.len(), 1);
    assert_eq!(
        sandbox_requests(&app, "POST", "/checkouts").await.len(),
        1,
        "the call reached Dodo once"
    );
    app.stop().await;
}

/// The same while Pay is still checking Dodo's facts (before anything is recorded): the
/// checks run to their end and the reload shows the payment under way, not Pay again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row7_a_reload_while_pay_checks_dodo_shows_it_processing() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    fault(
        &app,
        json!({"method": "GET", "path": "/customers/*/payment-methods", "fault": "latency", "latency_ms": 1500}),
    )
    .await;
    pay_and_leave(&app, &offer, &cookie, Duration::from_millis(300)).await;
    assert!(
        sandbox_requests(&app, "POST", "/checkouts")
            .await
            .is_empty(),
        "still checking"
    );
    let (_, html, state) = offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(state, "processing", "{html}");
    assert!(!html.contains(r#"data-testid="accept""#));
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    assert_eq!(
        payments_of(&app, ADDON, Some("cus_demo_alice")).await.len(),
        1
    );
    assert_eq!(sandbox_requests(&app, "POST", "/checkouts").await.len(), 1);
    app.stop().await;
}

// --- 8: a call that never reached Dodo ----------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row8_a_dropped_call_says_so_at_once_and_settles_in_seconds() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    fault(
        &app,
        json!({"method": "POST", "path": "/checkouts", "fault": "drop"}),
    )
    .await;
    let started = tokio::time::Instant::now();
    accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    // Straight after the press: what is known, not "Processing…" for a minute.
    let (_, html, state) = offer_page(&app, &client, &offer, &cookie).await;
    assert_eq!(state, "confirming", "{html}");
    assert!(html.contains("Still confirming with Dodo Payments"));
    // As soon as Dodo's state allows (no trace of it), the page says nothing was charged: the
    // old fixed grace was 60 s; the engine settles after a few seconds of silence.
    let html = wait_for_offer_state(&app, &client, &offer, &cookie, "failed").await;
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(
        html.contains("We could not complete the payment."),
        "{html}"
    );
    assert!(html.contains("Nothing was charged."));
    let attempt = &attempts(&app, &offer).await[0];
    assert_eq!(attempt.error_code.as_deref(), Some("NOT_CHARGED"));
    assert!(
        attempt.provisional,
        "a Dodo payment showing up later would still win"
    );
    assert!(payments_of(&app, ADDON, None).await.is_empty());
    app.stop().await;
}

// --- 9: money requests without the agreed amount -----------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row9_money_requests_without_the_agreed_amount_are_refused() {
    let app = TestApp::start().await;
    let token = plan_token(&app);
    let res = app
        .http
        .post(format!("{}/api/plan_change_confirm", app.url))
        .form(&[
            ("token", token.as_str()),
            ("product_id", "pdt_demo_pro"),
            ("quantity", "1"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 422);
    // The typed reason, which the page words as "…nothing was charged".
    let error: AppError = res.json().await.expect("an AppError");
    assert_eq!(error, AppError::ConsentMissing);
    assert!(
        error
            .message(dodo_upsell::i18n::Locale::En)
            .contains("nothing was charged")
    );
    assert!(
        sandbox_requests(&app, "POST", "/subscriptions/*/change-plan")
            .await
            .is_empty()
    );
    // The same for the offer's Pay and checkout buttons.
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    for endpoint in ["offer_accept", "offer_checkout"] {
        let answer = post_offer(&app, &client, endpoint, &offer, &cookie, &[]).await;
        assert_eq!(answer.status, 422, "{endpoint}");
        assert_eq!(answer.body, "\"ConsentMissing\"", "{endpoint}");
    }
    assert!(payments_of(&app, ADDON, None).await.is_empty());
    assert_eq!(sandbox_requests(&app, "POST", "/checkouts").await.len(), 0);
    app.stop().await;
}

// --- the saved method changed between the page and the click -----------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pay_charges_only_the_method_the_page_named() {
    let app = TestApp::start().await;
    let payment = purchase(&app).await;
    let client = browser();
    let (offer, cookie) = land_on_offer(&app, &client, &payment).await;
    let shown = support::shop::shown_method(&app, &client, &offer, &cookie).await;
    assert_eq!(shown.as_deref(), Some("pm_demo_alice_visa"));
    // A Pay that names another method (the page was older than the customer's methods at
    // Dodo), or none: nothing is sent, the page shows what would be charged now.
    for method in ["pm_demo_alice_other", ""] {
        let amount = ADDON_PRICE.to_string();
        let answer = accept_with(&app, &client, &offer, &cookie, &amount, method).await;
        assert_eq!(answer.status, 302, "{}", answer.body);
        assert_eq!(
            answer.location.as_deref(),
            Some(format!("/offer/{offer}").as_str())
        );
    }
    assert!(
        sandbox_requests(&app, "POST", "/checkouts")
            .await
            .is_empty()
    );
    assert_eq!(
        sandbox_requests(&app, "POST", "/payments").await.len(),
        1,
        "only the purchase"
    );
    assert!(payments_of(&app, ADDON, None).await.is_empty());
    // The method it names is charged.
    let answer = accept(&app, &client, &offer, &cookie, ADDON_PRICE).await;
    assert_eq!(answer.status, 302);
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    app.stop().await;
}
