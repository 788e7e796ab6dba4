//! The landing's trace: every return from Dodo's checkout is recorded with what it led to — the
//! offer (and whether one click can buy it) or the reason there was none — so the merchant
//! dashboard can answer "why didn't my customer see the offer?".

use crate::support;

use dodo_upsell::server::store::{Landing, LandingOutcome};
use serde_json::json;
use support::shop::{browser, land, land_on_offer, post_offer, purchase, purchase_with};
use support::{Options, TestApp};

/// The landings recorded for `payment_id`, oldest first.
async fn landings_of(app: &TestApp, payment_id: &str) -> Vec<Landing> {
    let mut landings = app
        .state
        .store
        .recent_landings(Some(payment_id), 50)
        .await
        .expect("landings");
    landings.reverse();
    landings
}

async fn only_landing(app: &TestApp, payment_id: &str) -> Landing {
    let landings = landings_of(app, payment_id).await;
    assert_eq!(landings.len(), 1, "{landings:?}");
    landings.into_iter().next().expect("one")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_shown_and_a_second_browser_are_both_traced() {
    let app = TestApp::start().await;
    let payment_id = purchase(&app).await;
    let (offer_id, _cookie) = land_on_offer(&app, &browser(), &payment_id).await;
    let (elsewhere, _) = land(&app, &browser(), &payment_id).await;
    assert_eq!(elsewhere, "/offer/unavailable?reason=other-browser");

    let landings = landings_of(&app, &payment_id).await;
    assert_eq!(landings.len(), 2, "{landings:?}");
    let shown = &landings[0];
    assert_eq!(shown.outcome, LandingOutcome::Offered);
    assert_eq!(shown.customer_id.as_deref(), Some("cus_demo_alice"));
    assert_eq!(shown.rule_id.as_deref(), Some("course-to-code-reviews"));
    assert_eq!(shown.offer_id.as_deref(), Some(offer_id.as_str()));
    assert_eq!(shown.one_click_blocked, None, "Alice's card works");
    assert_eq!(shown.owes_money, Some(false));
    assert!(!shown.embedded);
    assert!(shown.skipped.is_empty(), "{:?}", shown.skipped);
    assert_eq!(landings[1].outcome, LandingOutcome::NotThisBrowser);
    assert_eq!(landings[1].offer_id, None);

    // The customer's id finds the same landings, newest first.
    let by_customer = app
        .state
        .store
        .recent_landings(Some("cus_demo_alice"), 50)
        .await
        .expect("landings");
    assert_eq!(
        by_customer.iter().map(|l| l.outcome).collect::<Vec<_>>(),
        [LandingOutcome::NotThisBrowser, LandingOutcome::Offered]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_saved_card_is_traced_as_checkout_only() {
    let app = TestApp::start().await;
    // Bob pays with a new card on Dodo's checkout; only his expired saved card is left when he
    // lands (as if the new one was not saved).
    let payment_id =
        support::shop::purchase_hosted(&app, "pdt_demo_course", "bob@example.com").await;
    let customer = app
        .sandbox_payments()
        .await
        .into_iter()
        .find(|p| p["payment_id"] == payment_id.as_str())
        .and_then(|p| p["customer"]["customer_id"].as_str().map(str::to_owned))
        .expect("the purchase's customer");
    assert_eq!(customer, "cus_demo_bob");
    let sandbox = reqwest::Client::new();
    let methods: serde_json::Value = sandbox
        .get(app.sandbox_url("/customers/cus_demo_bob/payment-methods"))
        .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
        .send()
        .await
        .expect("methods")
        .json()
        .await
        .expect("json");
    for pm in methods["items"].as_array().expect("items") {
        let id = pm["payment_method_id"].as_str().expect("id");
        if id != "pm_demo_bob_expired" {
            let res = sandbox
                .delete(app.sandbox_url(&format!("/customers/cus_demo_bob/payment-methods/{id}")))
                .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
                .send()
                .await
                .expect("delete");
            assert!(res.status().is_success(), "{}", res.status());
        }
    }

    land_on_offer(&app, &browser(), &payment_id).await;
    let landing = only_landing(&app, &payment_id).await;
    assert_eq!(landing.outcome, LandingOutcome::Offered);
    assert_eq!(landing.one_click_blocked.as_deref(), Some("card_expired"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_who_asked_for_no_offers_or_declined_is_traced_with_that_reason() {
    let app = TestApp::start().await;
    let first = purchase(&app).await;
    let client = browser();
    let (offer_id, cookie) = land_on_offer(&app, &client, &first).await;
    let answer = post_offer(&app, &client, "offer_decline", &offer_id, &cookie, &[]).await;
    // The plain form's answer: back to the offer page, which now shows the downsell.
    assert_eq!(answer.status, 302, "{}", answer.body);

    // Alice buys the course again at Dodo: the add-on she declined is inside its cool-off.
    let again = purchase(&app).await;
    land(&app, &browser(), &again).await;
    let landing = only_landing(&app, &again).await;
    assert_eq!(landing.outcome, LandingOutcome::DeclinedRecently);
    assert_eq!(
        landing.skipped,
        ["course-to-code-reviews: declined_recently"]
    );

    // She asks for no offers at all: that wins over the decline.
    app.state
        .store
        .suppress("cus_demo_alice", dodo_upsell::server::store::ALL_OFFERS)
        .await
        .expect("suppress");
    let third = purchase(&app).await;
    land(&app, &browser(), &third).await;
    assert_eq!(
        only_landing(&app, &third).await.outcome,
        LandingOutcome::AskedForNoOffers
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_without_a_rule_an_unknown_payment_and_a_failed_payment_are_traced() {
    let app = TestApp::start().await;
    // The add-on triggers no rule of the sample merchant.toml.
    let addon = purchase_with(&app, "cus_demo_tara", "pm_demo_tara_visa", "pdt_demo_addon").await;
    land(&app, &browser(), &addon).await;
    let landing = only_landing(&app, &addon).await;
    assert_eq!(landing.outcome, LandingOutcome::NoRuleMatched);
    assert!(landing.skipped.is_empty());

    let (unknown, _) = land(&app, &browser(), "pay_doesnotexist0000").await;
    assert_eq!(unknown, "/offer/unavailable?reason=unknown");
    let landing = only_landing(&app, "pay_doesnotexist0000").await;
    assert_eq!(landing.outcome, LandingOutcome::UnknownPayment);
    assert_eq!(landing.customer_id, None);

    // Carol's card is declined: Dodo's payment exists but did not succeed.
    let declined = app
        .state
        .dodo_client
        .create_one_click_payment(&dodo_client::OneClickPayment {
            customer_id: "cus_demo_carol".into(),
            payment_method_id: "pm_demo_carol_declines".into(),
            product_cart: vec![dodo_client::CartItem {
                product_id: "pdt_demo_course".into(),
                quantity: 1,
            }],
            billing: dodo_client::BillingAddress {
                country: "US".into(),
                city: None,
                state: None,
                street: None,
                zipcode: None,
            },
            return_url: None,
            metadata: Default::default(),
        })
        .await
        .expect("the payment is created (and fails)")
        .payment_id;
    let (not_paid, _) = land(&app, &browser(), &declined).await;
    assert_eq!(not_paid, "/offer/unavailable?reason=not-paid");
    let landing = only_landing(&app, &declined).await;
    assert_eq!(landing.outcome, LandingOutcome::PaymentNotSucceeded);
    assert_eq!(landing.customer_id.as_deref(), Some("cus_demo_carol"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_landing_after_the_window_is_traced_as_window_passed() {
    let app = TestApp::start_with(Options {
        sandbox_clock: true,
        ..Options::default()
    })
    .await;
    let payment_id = purchase(&app).await;
    app.sandbox_post("/_sandbox/clock/advance", json!({"minutes": 16}))
        .await;
    let (location, _) = land(&app, &browser(), &payment_id).await;
    assert_eq!(location, "/offer/unavailable?reason=expired");
    let landing = only_landing(&app, &payment_id).await;
    assert_eq!(landing.outcome, LandingOutcome::WindowPassed);
    assert_eq!(landing.customer_id.as_deref(), Some("cus_demo_alice"));
    app.stop().await;
}
