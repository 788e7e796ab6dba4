//! "Check against Dodo": the store's payments of a period next to the payments Dodo holds with
//! our metadata. A one-click purchase confirmed by its webhook (and a refund Dodo told us of)
//! agree; a payment made behind our back and a refund whose webhook never came are named.

use crate::support;

use dodo_upsell::server::dodo_check::compare::{Difference, Standing};
use dodo_upsell::server::dodo_check::{CheckReport, check};
use dodo_upsell::server::store::now_millis;
use serde_json::json;
use std::time::Duration;
use support::TestApp;
use support::shop::{accept, browser, land_on_offer, payments_of, purchase};

/// Alice buys the course and accepts the add-on; returns the add-on's payment id once its
/// `payment.succeeded` webhook has been applied.
async fn bought_addon(app: &TestApp) -> String {
    let client = browser();
    let (offer_id, cookie) = land_on_offer(app, &client, &purchase(app).await).await;
    let answer = accept(app, &client, &offer_id, &cookie, 2900).await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    support::eventually(Duration::from_secs(15), || async {
        let paid = payments_of(app, "pdt_demo_addon", Some("cus_demo_alice")).await;
        let id = paid.first()?["payment_id"].as_str()?.to_owned();
        let confirmed =
            sqlx::query("SELECT 1 AS one FROM confirmed_payments WHERE payment_id = $1")
                .bind(&id)
                .fetch_optional(app.state.store.pool())
                .await
                .expect("query");
        confirmed.map(|_| id)
    })
    .await
}

async fn check_now(app: &TestApp, from: i64) -> CheckReport {
    check(&app.state, from, now_millis() + 60_000)
        .await
        .expect("the check runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_purchase_agrees_and_a_payment_behind_our_back_does_not() {
    let app = TestApp::start().await;
    let from = now_millis() - 1000;
    let payment_id = bought_addon(&app).await;

    let report = check_now(&app, from).await;
    assert_eq!(report.differences, []);
    assert_eq!((report.ours_count, report.theirs_count), (1, 1));

    // Someone charges Alice through Dodo's API with our metadata, not through the app.
    let behind: serde_json::Value = app
        .http
        .post(app.sandbox_url("/payments"))
        .bearer_auth(dodo_sandbox::DEFAULT_API_KEY)
        .json(&json!({
                "customer": {"customer_id": "cus_demo_alice"},
                "payment_method_id": "pm_demo_alice_visa",
                "payment_link": false,
                "product_cart": [{"product_id": "pdt_demo_downsell", "quantity": 1}],
                "billing": {"country": "US"},
                "metadata": {"attempt_id": "att_made_behind_our_back"},
        }))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let behind_id = behind["payment_id"]
        .as_str()
        .expect("payment id")
        .to_owned();
    let report = check_now(&app, from).await;
    assert_eq!(report.differences.len(), 1, "{:?}", report.differences);
    match &report.differences[0] {
        Difference::OnlyAtDodo(theirs) => {
            assert_eq!(theirs.payment_id, behind_id);
            assert_eq!(theirs.attempt_id, "att_made_behind_our_back");
            assert_eq!(theirs.amount_minor, 1900);
        }
        other => panic!("expected only-at-Dodo, got {other:?}"),
    }
    assert_ne!(behind_id, payment_id);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_we_heard_of_agrees_and_one_we_missed_is_named() {
    let app = TestApp::start().await;
    let from = now_millis() - 1000;
    let payment_id = bought_addon(&app).await;

    // A partial refund in Dodo's dashboard, with its webhook: the ledger has it.
    app.sandbox_post(
        "/_sandbox/refunds",
        json!({"payment_id": payment_id, "items": [{"item_id": "pdt_demo_addon", "amount": 1000}]}),
    )
    .await;
    support::eventually(Duration::from_secs(15), || async {
        let report = check_now(&app, from).await;
        report.differences.is_empty().then_some(())
    })
    .await;

    // Another, whose webhook never comes.
    app.sandbox_post(
        "/_sandbox/refunds",
        json!({"payment_id": payment_id, "items": [{"item_id": "pdt_demo_addon", "amount": 500}], "notify": false}),
    )
    .await;
    let report = check_now(&app, from).await;
    assert_eq!(report.differences.len(), 1, "{:?}", report.differences);
    match &report.differences[0] {
        Difference::OtherRefunds { ours, theirs } => {
            assert_eq!(theirs.payment_id, payment_id);
            assert_eq!(ours.refunded_minor, 1000);
            assert_eq!(theirs.refunded_minor, 1500);
            assert_eq!(ours.standing, Standing::Succeeded);
        }
        other => panic!("expected other refunds, got {other:?}"),
    }
    app.stop().await;
}
