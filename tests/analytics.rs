//! The dashboard's numbers from real webhooks: Alice's accepted add-on is revenue once Dodo's
//! `payment.succeeded` arrives; the merchant refunds part of it in Dodo's dashboard (the
//! sandbox's `POST /_sandbox/refunds`, no attempt of ours involved), and the revenue is netted
//! — once, however often `refund.succeeded` is delivered. On SQLite, and on PostgreSQL when
//! `TEST_POSTGRES_URL` is set.

use crate::support;

use dodo_upsell::server::analytics::{self, AnalyticsFilter, Funnel, OfferRow};
use dodo_upsell::server::store::now_millis;
use serde_json::json;
use std::time::Duration;
use support::shop::{accept, browser, land_on_offer, payments_of, purchase, wait_for_offer_state};
use support::{Db, Options, TestApp, WEBHOOK_SECRET, eventually};

const WAIT: Duration = Duration::from_secs(20);

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(bind)
        .fetch_one(app.state.store.pool())
        .await
        .expect(sql)
}

async fn post_webhook(app: &TestApp, body: &str, id: &str) -> (u16, serde_json::Value) {
    let timestamp = now_millis() / 1000;
    let signature = standardwebhooks::Webhook::new(WEBHOOK_SECRET)
        .expect("secret")
        .sign(id, timestamp, body.as_bytes())
        .expect("sign");
    let res = app
        .http
        .post(format!("{}/webhooks/dodo", app.url))
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("webhook");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

async fn a_merchant_refund_is_netted_once(app: TestApp) {
    let client = browser();
    let purchase_id = purchase(&app).await;
    let (offer, cookie) = land_on_offer(&app, &client, &purchase_id).await;
    let answer = accept(&app, &client, &offer, &cookie, 2900).await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    wait_for_offer_state(&app, &client, &offer, &cookie, "succeeded").await;
    let addon = payments_of(&app, "pdt_demo_addon", Some("cus_demo_alice")).await;
    let paid = addon[0]["payment_id"]
        .as_str()
        .expect("payment id")
        .to_owned();
    // The attempt may have settled from Dodo's answer before the webhook: revenue waits for it.
    eventually(WAIT, || async {
        let n = count(
            &app,
            "SELECT COUNT(*) FROM confirmed_payments WHERE payment_id = $1",
            &paid,
        )
        .await;
        (n == 1).then_some(())
    })
    .await;

    // 10.00 of the 29.00 refunded in Dodo's dashboard.
    app.sandbox_post(
        "/_sandbox/refunds",
        json!({"payment_id": paid, "items": [{"item_id": "pdt_demo_addon", "amount": 1000}]}),
    )
    .await;
    let seen = "SELECT COUNT(*) FROM refunds_seen WHERE payment_id = $1";
    eventually(WAIT, || async {
        (count(&app, seen, &paid).await == 1).then_some(())
    })
    .await;

    // Delivered again: under a new webhook-id (stored and processed as a new event, but the
    // refund is known), and under the same one (a duplicate).
    let body: String = sqlx::query_scalar(
        "SELECT body FROM webhook_events WHERE event_type = 'refund.succeeded' ORDER BY received_at LIMIT 1",
    )
    .fetch_one(app.state.store.pool())
    .await
    .expect("stored refund webhook");
    let (status, answer) = post_webhook(&app, &body, "msg_redelivered").await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("processed"))
    );
    let (status, answer) = post_webhook(&app, &body, "msg_redelivered").await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate"))
    );
    assert_eq!(count(&app, seen, &paid).await, 1);

    let filter = AnalyticsFilter::from_query(None, None, None, None, now_millis()).expect("filter");
    let dashboard = analytics::dashboard(&app.state.store, &filter)
        .await
        .expect("dashboard");
    let rows: Vec<&OfferRow> = dashboard
        .offers
        .iter()
        .filter(|r| r.key.product_id == "pdt_demo_addon")
        .collect();
    assert_eq!(rows.len(), 1, "{:?}", dashboard.offers);
    let row = rows[0];
    assert_eq!(
        (row.key.kind.as_str(), row.key.currency.as_str()),
        ("upsell", "USD")
    );
    assert_eq!(row.impressions, 1, "the offer page was shown once");
    assert_eq!(row.accepts, 1);
    assert_eq!((row.payments, row.revenue_minor), (1, 2900));
    assert_eq!((row.refunds, row.refunded_minor), (1, 1000));
    assert_eq!(
        (row.undone, row.undone_minor),
        (0, 0),
        "the merchant's refund, not an undo"
    );
    assert_eq!(row.net_revenue_minor(), 1900);
    assert_eq!(
        dashboard.funnel,
        Funnel {
            shown: 1,
            accepted: 1,
            paid: 1,
            kept: 1
        }
    );
    let csv = analytics::csv::offers_csv(&dashboard.offers).expect("csv");
    assert!(
        csv.contains(",USD,1,1,0,0,0,1.0000,1,29.00,10.00,0,0.00,19.00,19.00\n"),
        "{csv}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_merchant_refund_is_netted_once() {
    a_merchant_refund_is_netted_once(TestApp::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_merchant_refund_is_netted_once() {
    let Some((url, name)) = support::pg::fresh_database().await else {
        eprintln!("TEST_POSTGRES_URL not set: skipped");
        return;
    };
    let app = TestApp::start_with(Options {
        db: Db::Url(url),
        ..Options::default()
    })
    .await;
    a_merchant_refund_is_netted_once(app).await;
    support::pg::drop_database(&name).await;
}
