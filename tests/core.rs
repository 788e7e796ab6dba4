//! The trusted core against the sandbox: exactly-once charges (concurrency, lost answers,
//! crashes, two instances), webhooks (forged, stale, replayed, malformed, duplicated,
//! shuffled), signed-link minting and request security.

use crate::support;

use dodo_client::BillingAddress;
use dodo_upsell::server::attempts::charge::{ChargeKind, ChargeOrder};
use dodo_upsell::server::attempts::{Order, Purchase, Started};
use dodo_upsell::server::links::Audience;
use dodo_upsell::server::store::{Attempt, AttemptStatus, Recorded, Store, now_millis};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;
use support::{Options, TestApp, WEBHOOK_SECRET, eventually};

fn order(app: &TestApp, key: &str, customer: &str, payment_method: &str) -> ChargeOrder {
    ChargeOrder {
        purchase: Purchase {
            idempotency_key: key.to_string(),
            // Engine-level tests: no offer row (the offer pages have their own tests).
            offer_id: None,
            customer_id: customer.to_string(),
            product_id: "pdt_demo_addon".to_string(),
            quantity: 1,
            amount_minor: 2900,
            currency: "USD".to_string(),
            send_before: now_millis() + 15 * 60 * 1000,
            // These tests are about one charge at a time; claims have their own tests.
            exclusive: false,
        },
        kind: ChargeKind::Upsell,
        payment_method_id: payment_method.to_string(),
        return_url: Some(format!("{}/offer/result", app.url)),
        billing: Some(BillingAddress {
            country: "US".into(),
            city: None,
            state: None,
            street: None,
            zipcode: None,
        }),
        metadata: BTreeMap::new(),
    }
}

/// Records and sends `order` through the engine, as an accept does; the attempt afterwards.
async fn charge_once(app: &TestApp, order: &ChargeOrder) -> Attempt {
    match app
        .state
        .engine
        .start(&Order::Charge(order.clone()))
        .await
        .expect("engine")
    {
        Started::Sent(a) | Started::Existing(a) => a,
        Started::Refused(r) => panic!("refused: {r:?}"),
    }
}

async fn payments_for_attempt(app: &TestApp, attempt_id: &str) -> usize {
    app.sandbox_payments()
        .await
        .iter()
        .filter(|p| p["metadata"]["attempt_id"] == attempt_id)
        .count()
}

async fn wait_for_status(store: &Store, id: &str, status: AttemptStatus) {
    eventually(Duration::from_secs(10), || async {
        let attempt = store.attempt(id).await.ok().flatten()?;
        (attempt.status == status).then_some(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_accepts_of_one_offer_charge_once() {
    let app = TestApp::start().await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (engine, order) = (
            app.state.engine.clone(),
            Order::Charge(order(
                &app,
                "offer:concurrent",
                "cus_demo_alice",
                "pm_demo_alice_visa",
            )),
        );
        tasks.push(tokio::spawn(async move {
            engine
                .start(&order)
                .await
                .expect("charge")
                .attempt()
                .cloned()
                .expect("attempt")
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        ids.insert(task.await.expect("task").id);
    }
    assert_eq!(ids.len(), 1, "every accept sees the same attempt");
    let id = ids.into_iter().next().unwrap();
    assert_eq!(
        payments_for_attempt(&app, &id).await,
        1,
        "exactly one charge at Dodo"
    );
    wait_for_status(&app.state.store, &id, AttemptStatus::Succeeded).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_instances_charge_once() {
    let Some(pair) = support::PostgresPair::start(Options::default()).await else {
        return;
    };
    let (a, b) = (&pair.a, &pair.b);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let app = if i % 2 == 0 { &a } else { &b };
        let (engine, order) = (
            app.state.engine.clone(),
            Order::Charge(order(
                app,
                "offer:two-instances",
                "cus_demo_alice",
                "pm_demo_alice_visa",
            )),
        );
        tasks.push(tokio::spawn(async move {
            engine
                .start(&order)
                .await
                .expect("charge")
                .attempt()
                .cloned()
                .expect("attempt")
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        ids.insert(task.await.expect("task").id);
    }
    assert_eq!(ids.len(), 1);
    let id = ids.into_iter().next().unwrap();
    assert_eq!(
        payments_for_attempt(a, &id).await,
        1,
        "one charge across both instances"
    );
    pair.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_reconciled_and_never_recharged() {
    let app = TestApp::start().await;
    app.sandbox_post(
        "/_sandbox/faults",
        json!({"method": "POST", "path": "/checkouts", "count": 1, "fault": "response_lost"}),
    )
    .await;
    let attempt = charge_once(
        &app,
        &order(&app, "offer:lost", "cus_demo_alice", "pm_demo_alice_visa"),
    )
    .await;
    // A lost answer is never a failure: the attempt is `unknown` — or already settled, when the
    // payment's webhook beat the client's error (the sandbox settles instantly here).
    assert!(
        matches!(
            attempt.status,
            AttemptStatus::Unknown | AttemptStatus::Pending | AttemptStatus::Succeeded
        ),
        "{:?}",
        attempt.status
    );
    assert_eq!(
        payments_for_attempt(&app, &attempt.id).await,
        1,
        "Dodo charged once"
    );

    let settled = app
        .state
        .engine
        .reconcile(attempt.clone())
        .await
        .expect("reconcile");
    assert!(
        matches!(
            settled.status,
            AttemptStatus::Succeeded | AttemptStatus::Pending
        ),
        "{:?}",
        settled.status
    );
    assert!(settled.dodo_payment_id.is_some(), "found by its metadata");
    // Accepting again, or reconciling again, sends nothing new.
    charge_once(
        &app,
        &order(&app, "offer:lost", "cus_demo_alice", "pm_demo_alice_visa"),
    )
    .await;
    app.state
        .engine
        .reconcile(settled)
        .await
        .expect("reconcile again");
    assert_eq!(payments_for_attempt(&app, &attempt.id).await, 1);
    wait_for_status(&app.state.store, &attempt.id, AttemptStatus::Succeeded).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_recorded_before_a_crash_is_sent_once_after_restart() {
    let app = TestApp::start().await;
    let order = order(&app, "offer:crash", "cus_demo_alice", "pm_demo_alice_visa");
    // The server died right after recording: the row exists, Dodo was never called.
    let recorded = app
        .state
        .store
        .record_attempt(&Order::Charge(order).new_attempt().expect("attempt"))
        .await
        .expect("record");
    let Recorded::New(attempt) = recorded else {
        panic!("not recorded: {recorded:?}");
    };
    assert_eq!(payments_for_attempt(&app, &attempt.id).await, 0);
    // The next start reconciles what is open (here, as its reconciler would).
    let resumed = app
        .state
        .engine
        .reconcile(attempt.clone())
        .await
        .expect("resume");
    assert_ne!(resumed.status, AttemptStatus::Recorded);
    assert_eq!(payments_for_attempt(&app, &attempt.id).await, 1);
    app.state
        .engine
        .reconcile(attempt.clone())
        .await
        .expect("again");
    assert_eq!(
        payments_for_attempt(&app, &attempt.id).await,
        1,
        "resumed once, not twice"
    );
    wait_for_status(&app.state.store, &attempt.id, AttemptStatus::Succeeded).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_customers_card_and_a_closed_window_charge_nothing() {
    let app = TestApp::start().await;
    let foreign = charge_once(
        &app,
        &order(
            &app,
            "offer:foreign",
            "cus_demo_alice",
            "pm_demo_carol_declines",
        ),
    )
    .await;
    assert_eq!(foreign.status, AttemptStatus::Failed);
    assert!(foreign.error_code.is_some());
    assert_eq!(payments_for_attempt(&app, &foreign.id).await, 0);

    let mut late = order(&app, "offer:late", "cus_demo_alice", "pm_demo_alice_visa");
    late.purchase.send_before = now_millis() - 1;
    let expired = charge_once(&app, &late).await;
    assert_eq!(expired.status, AttemptStatus::Expired);
    assert_eq!(payments_for_attempt(&app, &expired.id).await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_settles_failed_through_the_webhook() {
    let app = TestApp::start().await;
    let attempt = charge_once(
        &app,
        &order(
            &app,
            "offer:decline",
            "cus_demo_carol",
            "pm_demo_carol_declines",
        ),
    )
    .await;
    wait_for_status(&app.state.store, &attempt.id, AttemptStatus::Failed).await;
    let failed = app.state.store.attempt(&attempt.id).await.unwrap().unwrap();
    assert_eq!(failed.error_code.as_deref(), Some("CARD_DECLINED"));
    app.stop().await;
}

fn signed(body: &str, id: &str, timestamp: i64) -> reqwest::header::HeaderMap {
    let signature = standardwebhooks::Webhook::new(WEBHOOK_SECRET)
        .unwrap()
        .sign(id, timestamp, body.as_bytes())
        .unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("webhook-id", id.parse().unwrap());
    headers.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    headers.insert("content-type", "application/json".parse().unwrap());
    headers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_stale_replayed_and_malformed_webhooks() {
    let app = TestApp::start().await;
    let url = format!("{}/webhooks/dodo", app.url);
    let now = now_millis() / 1000;
    let body = json!({"business_id": "bus_demo", "type": "subscription.active", "timestamp": "2026-11-21T00:00:00Z",
                      "data": {"payload_type": "Unknown"}})
    .to_string();

    // Forged: signed with another key.
    let mut forged = signed(&body, "msg_forged", now);
    forged.insert(
        "webhook-signature",
        "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
            .parse()
            .unwrap(),
    );
    let res = app
        .http
        .post(&url)
        .headers(forged)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // No signature at all.
    let res = app.http.post(&url).body(body.clone()).send().await.unwrap();
    assert_eq!(res.status(), 401);
    // Stale: correctly signed ten minutes ago.
    let res = app
        .http
        .post(&url)
        .headers(signed(&body, "msg_stale", now - 600))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // Malformed JSON, correctly signed: Dodo's word all the same, so it is kept (raw, with
    // why) and acknowledged — a 400 would have Dodo retry it until it gives up, and lose it.
    let res = app
        .http
        .post(&url)
        .headers(signed("{not json", "msg_bad", now))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "stored unread"
    );
    let (kind, raw, error): (String, String, Option<String>) = sqlx::query_as(
        "SELECT event_type, body, error FROM webhook_events WHERE webhook_id = 'msg_bad'",
    )
    .fetch_one(app.state.store.pool())
    .await
    .unwrap();
    assert_eq!((kind.as_str(), raw.as_str()), ("unreadable", "{not json"));
    assert!(
        error.is_some_and(|e| !e.is_empty()),
        "why it could not be read"
    );
    // Accepted, then replayed.
    let res = app
        .http
        .post(&url)
        .headers(signed(&body, "msg_ok", now))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "processed"
    );
    let res = app
        .http
        .post(&url)
        .headers(signed(&body, "msg_ok", now))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "duplicate"
    );

    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_events")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 2, "only the verified events were stored, each once");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_and_shuffled_deliveries_converge() {
    // Webhooks alone settle it here: no reconciler looks the payment up meanwhile.
    let app = TestApp::start_with(Options {
        settle_delay: Duration::from_millis(50),
        reconciler: false,
        ..Options::default()
    })
    .await;
    app.sandbox_put(
        "/_sandbox/webhooks/config",
        json!({"duplicates": 2, "hold": true}),
    )
    .await;
    let attempt = charge_once(
        &app,
        &order(
            &app,
            "offer:shuffled",
            "cus_demo_alice",
            "pm_demo_alice_visa",
        ),
    )
    .await;
    // Wait until the payment settled at Dodo (its events are held), then release them newest first.
    eventually(Duration::from_secs(10), || async {
        let payments = app.sandbox_payments().await;
        payments
            .iter()
            .any(|p| {
                p["metadata"]["attempt_id"] == attempt.id.as_str() && p["status"] == "succeeded"
            })
            .then_some(())
    })
    .await;
    app.sandbox_post("/_sandbox/webhooks/flush", json!({"reverse": true}))
        .await;
    wait_for_status(&app.state.store, &attempt.id, AttemptStatus::Succeeded).await;
    // Every copy was answered 2xx, and each message id was stored once.
    eventually(Duration::from_secs(10), || async {
        let deliveries: serde_json::Value = app
            .http
            .get(app.sandbox_url("/_sandbox/webhooks/deliveries"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        let items = deliveries["items"].as_array()?.clone();
        (!items.is_empty() && items.iter().all(|d| d["status"] == "delivered")).then_some(())
    })
    .await;
    let (rows, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT webhook_id) FROM webhook_events")
            .fetch_one(app.state.store.pool())
            .await
            .unwrap();
    assert_eq!(rows, distinct);
    assert_eq!(
        app.state
            .store
            .attempt(&attempt.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        AttemptStatus::Succeeded
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_api_needs_the_admin_key_and_mints_verifiable_links() {
    let app = TestApp::start().await;
    let url = format!("{}/api/links", app.url);
    let body = json!({"audience": "plan-change", "customer_id": "cus_demo_alice", "subscription_id": "sub_demo_alice_basic"});
    let res = app.http.post(&url).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = app
        .http
        .post(&url)
        .bearer_auth("wrong-key-wrong-key-wrong")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = app
        .http
        .post(&url)
        .bearer_auth("admin-key-for-integration-tests")
        .json(&json!({"audience": "plan-change", "customer_id": "cus_demo_alice"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        422,
        "a plan-change link needs its subscription"
    );
    let res = app
        .http
        .post(&url)
        .bearer_auth("admin-key-for-integration-tests")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let minted: serde_json::Value = res.json().await.unwrap();
    let link = minted["url"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/plan-change?token=", app.url)));
    let claims = app
        .state
        .links
        .verify(minted["token"].as_str(), Audience::PlanChange)
        .unwrap();
    assert_eq!(claims.sub, "cus_demo_alice");
    assert_eq!(
        claims.subscription_id.as_deref(),
        Some("sub_demo_alice_basic")
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_refuse_other_sites_and_rate_limit() {
    let app = TestApp::start().await;
    let url = format!("{}/api/server_status", app.url);
    let res = app
        .http
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .http
        .post(&url)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .http
        .post(&url)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    // Server functions answer with customer data: never named in a Referer.
    assert_eq!(headers["referrer-policy"], "no-referrer");
    // A script hammering a server function is slowed down.
    let mut limited = false;
    for _ in 0..200 {
        let res = app
            .http
            .post(&url)
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            limited = true;
            break;
        }
    }
    assert!(limited, "no 429 after 200 rapid calls");
    app.stop().await;
}
