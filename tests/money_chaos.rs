//! The money engine under a randomised storm: several customers, offers and subscriptions;
//! more than a thousand concurrent accepts, declines, suppressions, fallback checkouts (paid,
//! left, cancelled), page reloads, returns and plan-change confirms, spread over two app
//! instances sharing one store, while the sandbox injects latency, 5xx answers, lost answers
//! (dropped or replaced by a 429), dropped calls, and duplicate, held and shuffled webhooks.
//!
//! Afterwards every invariant is checked against the sandbox's own records: at most one
//! successful charge per customer and exclusive product; one decision per offer and never a
//! decline of a bought offer; one open checkout per offer and one open plan change per
//! subscription; every call sent once; and what the store says matches what Dodo charged.
//! The counts it ran are printed, so a reader sees it did real work.

use crate::support;

use dodo_upsell::server::offer::actions::{self, Agreed};
use dodo_upsell::server::offer::session::{self, OfferSession};
use dodo_upsell::server::offer::view;
use dodo_upsell::server::plan_change;
use dodo_upsell::server::store::{Attempt, AttemptKind, AttemptStatus};
use dodo_upsell::types::plan_change::AgreedFacts;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::shop::{browser, land, plan_token, purchase_hosted, purchase_with, shown_method};
use support::{Db, Options, TestApp, eventually};

const ROUNDS: usize = 80;
const CONCURRENT: usize = 16;
const ADDON_PRICE: i64 = 2900;

/// One offer a customer can act on, with the browser session that landed on it.
#[derive(Clone)]
struct OfferTab {
    offer_id: String,
    session: OfferSession,
    email: String,
    method_id: Option<String>,
}

#[derive(Default)]
struct Counts {
    actions: AtomicUsize,
    faults: AtomicUsize,
    accepts: AtomicUsize,
    declines: AtomicUsize,
    suppressions: AtomicUsize,
    checkouts: AtomicUsize,
    checkouts_paid: AtomicUsize,
    reloads: AtomicUsize,
    returns: AtomicUsize,
    plan_confirms: AtomicUsize,
}

fn bump(counter: &AtomicUsize) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Buys the course and lands on its add-on offer in a fresh browser.
async fn offer_after_purchase(app: &TestApp, payment: &str, email: &str) -> Option<OfferTab> {
    let (location, cookie) = land(app, &browser(), payment).await;
    let offer_id = location.strip_prefix("/offer/")?.to_owned();
    let cookie = cookie?;
    let token = cookie.split_once('=')?.1.to_owned();
    // The method its Pay button names (what a tab sends back as consent).
    let method_id = shown_method(app, &browser(), &offer_id, &cookie).await;
    Some(OfferTab {
        offer_id,
        session: session::verify(&app.state, &token)?,
        email: email.to_owned(),
        method_id,
    })
}

/// A random fault on one of the money-moving endpoints (or extra latency), as Dodo and the
/// network produce them.
fn random_fault(rng: &mut StdRng) -> Value {
    let path = ["/checkouts", "/payments", "/subscriptions/*/change-plan"][rng.gen_range(0..3)];
    let mut spec = json!({"method": "POST", "path": path, "count": 1});
    let fault = match rng.gen_range(0..6) {
        0 => json!({"fault": "latency", "latency_ms": rng.gen_range(50..400)}),
        1 => json!({"fault": "status", "status": 500}),
        2 => json!({"fault": "status", "status": 429}),
        3 => json!({"fault": "response_lost"}),
        4 => json!({"fault": "response_lost", "status": 429}),
        _ => json!({"fault": "drop"}),
    };
    for (k, v) in fault.as_object().expect("object") {
        spec[k] = v.clone();
    }
    spec
}

/// When an action leads to another offer (the downsell after "No thanks", the next offer after
/// a purchase), the customer's tab follows it: it joins the pool.
fn follow(
    pool: &Mutex<Vec<OfferTab>>,
    from: &OfferTab,
    answer: Result<String, dodo_upsell::server::offer::error::OfferError>,
) {
    let Ok(go_to) = answer else {
        return;
    };
    let Some(next) = go_to
        .strip_prefix("/offer/")
        .map(|rest| rest.split(['?', '/']).next().unwrap_or_default())
        .filter(|id| id.starts_with("off_"))
    else {
        return;
    };
    let mut tabs = pool.lock().expect("pool");
    if !tabs.iter().any(|t| t.offer_id == next) {
        tabs.push(OfferTab {
            offer_id: next.to_owned(),
            ..from.clone()
        });
    }
}

async fn act(
    app: &TestApp,
    rng: &mut StdRng,
    pool: &Mutex<Vec<OfferTab>>,
    plans: &[String],
    counts: &Counts,
) {
    let state = &app.state;
    let tab = {
        let tabs = pool.lock().expect("pool");
        tabs[rng.gen_range(0..tabs.len())].clone()
    };
    let tab = &tab;
    let offer = tab.offer_id.as_str();
    let session = Some(&tab.session);
    // Mostly what the page showed; sometimes a stale amount from an old tab.
    let agreed = Agreed {
        amount_minor: if rng.gen_bool(0.9) { ADDON_PRICE } else { 1900 },
        currency: "USD".into(),
        method_id: tab.method_id.clone(),
    };
    bump(&counts.actions);
    match rng.gen_range(0..100) {
        0..30 => {
            bump(&counts.accepts);
            let _ = actions::accept(state, offer, session, &agreed).await;
        }
        30..37 => {
            bump(&counts.declines);
            follow(pool, tab, actions::decline(state, offer, session).await);
        }
        37..40 => {
            bump(&counts.suppressions);
            let _ = actions::suppress(state, offer, session).await;
        }
        40..48 => {
            bump(&counts.suppressions);
            let _ = actions::unsuppress(state, offer, session).await;
        }
        48..60 => {
            bump(&counts.checkouts);
            if let Ok(go_to) = actions::checkout(state, offer, session, &agreed).await
                && go_to.contains("/checkout/cks_")
            {
                match rng.gen_range(0..4) {
                    0 | 1 => {
                        let card = if rng.gen_bool(0.8) {
                            "4242 4242 4242 4242"
                        } else {
                            "4000 0000 0000 0002"
                        };
                        let page = browser()
                            .post(&go_to)
                            .form(&[
                                ("email", tab.email.as_str()),
                                ("name", "Chaos Buyer"),
                                ("card_number", card),
                                ("expiry", "12/34"),
                                ("cvc", "123"),
                                ("country", "US"),
                            ])
                            .send()
                            .await;
                        if page.is_ok_and(|p| p.status() == 303) {
                            bump(&counts.checkouts_paid);
                        }
                    }
                    2 => {
                        // Back through the checkout's cancel link without paying.
                        let _ = actions::result(state, offer, session, true).await;
                    }
                    _ => {}
                }
            }
        }
        60..80 => {
            bump(&counts.reloads);
            if let Ok(Some(o)) = state.store.offer(offer).await
                && let Ok(shown) = view::build(state, &o, &tab.session).await
                && let dodo_upsell::types::offer::OfferState::Succeeded {
                    next: Some(next), ..
                } = shown.state
            {
                follow(pool, tab, Ok(next));
            }
        }
        80..85 => {
            bump(&counts.returns);
            let _ = actions::result(state, offer, session, false).await;
        }
        _ => {
            bump(&counts.plan_confirms);
            let token = &plans[rng.gen_range(0..plans.len())];
            let target = [
                "pdt_demo_starter",
                "pdt_demo_basic",
                "pdt_demo_pro",
                "pdt_demo_pro_yearly",
            ][rng.gen_range(0..4)];
            let Ok(loaded) = plan_change::load(state, Some(token)).await else {
                return;
            };
            let facts = match plan_change::preview(
                state,
                &loaded,
                target,
                1,
                plan_change::Timing::AsConfigured,
            )
            .await
            {
                Ok(p) => plan_change::agreed_facts(&p),
                // The switch is not possible now (same plan, in flight, on hold…): a stale form.
                Err(_) => AgreedFacts {
                    total_minor: 2500,
                    currency: "USD".into(),
                    ..AgreedFacts::default()
                },
            };
            let _ = plan_change::confirm(
                state,
                token,
                target,
                1,
                plan_change::Timing::AsConfigured,
                &facts,
            )
            .await;
        }
    }
}

async fn storm(a: &TestApp, b: &TestApp) {
    let seed: u64 = rand::thread_rng().r#gen();
    println!("money chaos: seed {seed}");
    // Customers: Alice and Erin with saved cards (Erin's has no funds), Bob whose card expired
    // (checkout only), and new customers who paid on the checkout (a good card saved). Each
    // buys the course twice: two purchases, two offers of the same add-on.
    let mut tabs = Vec::new();
    let mut customers: Vec<String> = ["alice", "erin", "bob"]
        .iter()
        .map(|n| format!("{n}@example.com"))
        .collect();
    customers.extend((0..10).map(|i| format!("chaos-{i}-{seed}@example.com")));
    for email in &customers {
        for _ in 0..2 {
            let payment = if email == "alice@example.com" {
                purchase_with(a, "cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_course").await
            } else {
                purchase_hosted(a, "pdt_demo_course", email).await
            };
            tabs.extend(offer_after_purchase(a, &payment, email).await);
        }
    }
    assert!(tabs.len() >= 24, "offers made: {}", tabs.len());
    // Subscribers: the two demo subscriptions and four new ones on Basic.
    let mut plans = vec![
        plan_token(a, "cus_demo_alice", "sub_demo_alice_basic"),
        plan_token(a, "cus_demo_carol", "sub_demo_carol_basic"),
    ];
    for i in 0..4 {
        let (customer, subscription) =
            subscribe_hosted(a, "pdt_demo_basic", &format!("plan-{i}-{seed}@example.com")).await;
        plans.push(plan_token(a, &customer, &subscription));
    }
    let counts = Arc::new(Counts::default());
    let tabs = Arc::new(Mutex::new(tabs));
    let plans = Arc::new(plans);
    let mut rng = StdRng::seed_from_u64(seed);
    for round in 0..ROUNDS {
        // The network and Dodo misbehave.
        for _ in 0..rng.gen_range(0..4) {
            a.sandbox_post("/_sandbox/faults", random_fault(&mut rng))
                .await;
            bump(&counts.faults);
        }
        if round % 10 == 3 {
            a.sandbox_put(
                "/_sandbox/webhooks/config",
                json!({"duplicates": rng.gen_range(0..3), "hold": rng.gen_bool(0.5)}),
            )
            .await;
        }
        if round % 10 == 7 {
            a.sandbox_post(
                "/_sandbox/webhooks/flush",
                json!({"reverse": rng.gen_bool(0.5)}),
            )
            .await;
        }
        let mut wave = Vec::new();
        for _ in 0..CONCURRENT {
            let app_seed: u64 = rng.r#gen();
            let (tabs, plans, counts) = (tabs.clone(), plans.clone(), counts.clone());
            let app = if rng.gen_bool(0.5) { a } else { b };
            wave.push(async move {
                let mut rng = StdRng::seed_from_u64(app_seed);
                act(app, &mut rng, &tabs, &plans, &counts).await;
            });
        }
        futures_join_all(wave).await;
    }

    // Calm: no more faults, every held webhook delivered, the reconcilers catch up.
    a.http
        .delete(a.sandbox_url("/_sandbox/faults"))
        .send()
        .await
        .expect("clear faults");
    a.sandbox_put(
        "/_sandbox/webhooks/config",
        json!({"duplicates": 0, "hold": false}),
    )
    .await;
    a.sandbox_post("/_sandbox/webhooks/flush", json!({})).await;
    eventually(Duration::from_secs(90), || async {
        let open = a.state.store.open_attempts().await.ok()?;
        // Checkout pages left open stay open (the customer may still pay them); nothing else.
        open.iter()
            .all(|at| at.kind == AttemptKind::Checkout && at.status == AttemptStatus::Pending)
            .then_some(())
    })
    .await;
    // Webhooks still on their way.
    eventually(Duration::from_secs(30), || async {
        let body: Value = a
            .http
            .get(a.sandbox_url("/_sandbox/webhooks/deliveries"))
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        body["items"]
            .as_array()?
            .iter()
            .all(|d| d["status"] == "delivered")
            .then_some(())
    })
    .await;

    check_invariants(a, &counts).await;
}

/// `futures::future::join_all` without the dependency: runs the futures concurrently.
async fn futures_join_all<F: std::future::Future<Output = ()> + Send>(futures: Vec<F>) {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    // Poll them all on this task: each waits on I/O, so they overlap.
    let mut pending = set;
    std::future::poll_fn(|cx| {
        pending.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if pending.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

async fn check_invariants(app: &TestApp, counts: &Counts) {
    let store = &app.state.store;
    let attempts: Vec<Attempt> = store.all_attempts().await.expect("attempts");
    let by_id: HashMap<&str, &Attempt> = attempts.iter().map(|a| (a.id.as_str(), a)).collect();
    let payments = app.sandbox_payments().await;
    let ours: Vec<&Value> = payments
        .iter()
        .filter(|p| p["metadata"]["attempt_id"].as_str().is_some())
        .collect();

    // Every payment carrying one of our attempt ids belongs to one of our attempts; a one-click
    // charge made one payment (sent once); a checkout page at most one successful payment (the
    // customer may retry a declined card on it).
    let mut per_attempt: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in &ours {
        let id = p["metadata"]["attempt_id"].as_str().unwrap_or_default();
        assert!(
            by_id.contains_key(id),
            "a payment for an unknown attempt: {p}"
        );
        let entry = per_attempt.entry(id).or_default();
        entry.0 += 1;
        entry.1 += usize::from(p["status"] == "succeeded");
    }
    for (id, (all, succeeded)) in &per_attempt {
        assert!(*succeeded <= 1, "{id} was charged twice");
        if by_id[id].kind == AttemptKind::Charge {
            assert_eq!(*all, 1, "{id} was sent twice");
        }
    }

    // At most one successful charge per customer and (exclusive) product, and no duplicate.
    let mut bought: HashMap<(String, String), usize> = HashMap::new();
    for p in &payments {
        if p["status"] != "succeeded" || p["metadata"]["attempt_id"].as_str().is_none() {
            continue;
        }
        let kind = by_id[p["metadata"]["attempt_id"].as_str().unwrap_or_default()].kind;
        if kind == AttemptKind::PlanChange {
            continue;
        }
        for item in p["product_cart"].as_array().into_iter().flatten() {
            let key = (
                p["customer"]["customer_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                item["product_id"].as_str().unwrap_or_default().to_owned(),
            );
            *bought.entry(key).or_default() += 1;
        }
    }
    assert!(
        bought.values().all(|n| *n == 1),
        "a product was bought twice: {bought:?}"
    );
    assert!(
        attempts.iter().all(|a| a.duplicate_of.is_none()),
        "a duplicate charge"
    );

    // What the store says matches what Dodo charged.
    for attempt in attempts
        .iter()
        .filter(|a| a.kind != AttemptKind::PlanChange)
    {
        let of_attempt: Vec<&&Value> = ours
            .iter()
            .filter(|p| p["metadata"]["attempt_id"] == attempt.id.as_str())
            .collect();
        let paid = of_attempt
            .iter()
            .find(|p| p["status"] == "succeeded")
            .or(of_attempt.first());
        let dodo_status = paid.and_then(|p| p["status"].as_str());
        match attempt.status {
            AttemptStatus::Succeeded => assert_eq!(
                dodo_status,
                Some("succeeded"),
                "{} says succeeded",
                attempt.id
            ),
            AttemptStatus::Failed => assert_ne!(
                dodo_status,
                Some("succeeded"),
                "{} says failed but Dodo charged it",
                attempt.id
            ),
            AttemptStatus::Expired | AttemptStatus::Recorded => {
                assert!(paid.is_none(), "{} was never sent", attempt.id)
            }
            // An open checkout page nobody paid.
            AttemptStatus::Pending => assert!(dodo_status.is_none_or(|s| s != "succeeded")),
            other => panic!("{} still {other:?}", attempt.id),
        }
        if attempt.status == AttemptStatus::Succeeded && attempt.exclusive {
            let claim = store
                .product_claim(&attempt.customer_id, &attempt.product_id)
                .await
                .expect("claim");
            assert_eq!(
                claim.and_then(|c| c.attempt_id).as_deref(),
                Some(attempt.id.as_str()),
                "the bought product is claimed by its attempt"
            );
        }
    }

    // One decision per offer (the table's key), never "declined" for a bought offer; at most
    // one open checkout per offer.
    let offers: HashSet<&str> = attempts
        .iter()
        .filter_map(|a| a.offer_id.as_deref())
        .collect();
    for offer in offers {
        let of_offer: Vec<&Attempt> = attempts
            .iter()
            .filter(|a| a.offer_id.as_deref() == Some(offer))
            .collect();
        let decision = store.decision(offer).await.expect("decision");
        if of_offer
            .iter()
            .any(|a| a.status == AttemptStatus::Succeeded)
        {
            assert_eq!(
                decision,
                Some(dodo_upsell::server::store::Decision::Accepted),
                "{offer} was bought: {of_offer:#?}"
            );
        }
        assert!(
            of_offer
                .iter()
                .filter(|a| a.kind == AttemptKind::Checkout && !a.status.is_final())
                .count()
                <= 1
        );
    }

    // Plan changes: every change-plan Dodo received is one of our attempts, sent once, and
    // never two in flight for one subscription (their send → settle spans do not overlap).
    let sent: Value = app
        .http
        .get(app.sandbox_url("/_sandbox/requests"))
        .query(&[("method", "POST"), ("path", "/subscriptions/*/change-plan")])
        .send()
        .await
        .expect("requests")
        .json()
        .await
        .expect("json");
    let sent_ids: Vec<&str> = sent["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["body"]["metadata"]["attempt_id"].as_str())
        .collect();
    let unique: HashSet<&str> = sent_ids.iter().copied().collect();
    assert_eq!(unique.len(), sent_ids.len(), "a plan change was sent twice");
    for id in &unique {
        assert_eq!(by_id[id].kind, AttemptKind::PlanChange);
    }
    let subscriptions: HashSet<&str> = attempts
        .iter()
        .filter_map(|a| a.subscription_id.as_deref())
        .collect();
    for sub in subscriptions {
        let mut spans: Vec<(i64, i64)> = attempts
            .iter()
            .filter(|a| a.subscription_id.as_deref() == Some(sub) && a.sent_at.is_some())
            .filter(|a| !a.provisional)
            .map(|a| (a.created_at, a.settled_at.unwrap_or(i64::MAX)))
            .collect();
        spans.sort();
        for pair in spans.windows(2) {
            assert!(
                pair[1].0 >= pair[0].1,
                "two plan changes of {sub} in flight at once: {:#?}",
                attempts
                    .iter()
                    .filter(|a| a.subscription_id.as_deref() == Some(sub))
                    .map(|a| (
                        &a.id,
                        a.status,
                        a.provisional,
                        a.created_at,
                        a.sent_at,
                        a.answered_at,
                        a.settled_at,
                        &a.error_code,
                        &a.dodo_payment_id
                    ))
                    .collect::<Vec<_>>()
            );
        }
    }

    let charges = ours.iter().filter(|p| p["status"] == "succeeded").count();
    println!(
        "money chaos: {} actions ({} accepts, {} declines, {} suppressions, {} checkouts of which {} paid, {} reloads, {} returns, {} plan confirms), {} faults injected; {} attempts, {} payments at Dodo carrying our attempt ids, {} succeeded; {} change-plan calls",
        counts.actions.load(Ordering::Relaxed),
        counts.accepts.load(Ordering::Relaxed),
        counts.declines.load(Ordering::Relaxed),
        counts.suppressions.load(Ordering::Relaxed),
        counts.checkouts.load(Ordering::Relaxed),
        counts.checkouts_paid.load(Ordering::Relaxed),
        counts.reloads.load(Ordering::Relaxed),
        counts.returns.load(Ordering::Relaxed),
        counts.plan_confirms.load(Ordering::Relaxed),
        counts.faults.load(Ordering::Relaxed),
        attempts.len(),
        ours.len(),
        charges,
        sent_ids.len(),
    );
    assert!(counts.actions.load(Ordering::Relaxed) >= 1000);
    assert!(charges > 0, "some offers were bought");
}

/// A new customer subscribing to `plan` on Dodo's checkout: `(customer, subscription)`.
async fn subscribe_hosted(app: &TestApp, plan: &str, email: &str) -> (String, String) {
    let created = app
        .state
        .dodo_client
        .create_hosted_checkout(&dodo_client::HostedCheckout {
            product_cart: vec![dodo_client::CartItem {
                product_id: plan.into(),
                quantity: 1,
            }],
            customer_id: None,
            show_saved_payment_methods: false,
            return_url: Some(format!("{}/thanks", app.url)),
            cancel_url: None,
            redirect_immediately: true,
            metadata: Default::default(),
        })
        .await
        .expect("checkout");
    let back = support::shop::pay_hosted(
        &created.checkout_url.expect("url"),
        email,
        "4242 4242 4242 4242",
    )
    .await;
    let subscription = support::shop::query_value(&back, "subscription_id").expect("subscription");
    let customer = app
        .state
        .dodo_client
        .subscription(&subscription)
        .await
        .expect("subscription")
        .customer_id;
    (customer, subscription)
}

/// Two app instances sharing one store and one sandbox. Two offers follow each purchase (the
/// add-on, then the workbook), and "No thanks" on either leads on.
async fn two_instances(db_a: Db, db_b: Db) -> (TestApp, TestApp) {
    let rules = "tests/fixtures/merchant-two-offers.toml".to_string();
    let a = TestApp::start_with(Options {
        db: db_a,
        settle_delay: Duration::from_millis(20),
        merchant_config: rules.clone(),
        ..Options::default()
    })
    .await;
    let b = TestApp::start_with(Options {
        db: db_b,
        sandbox_url: Some(a.sandbox.base_url()),
        merchant_config: rules,
        ..Options::default()
    })
    .await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_a_thousand_concurrent_money_actions_keep_every_invariant() {
    let dir = std::env::temp_dir().join(format!(
        "dodo-upsell-chaos-{}",
        dodo_upsell::server::store::new_id("db")
    ));
    let url = format!("sqlite://{}/app.db", dir.display());
    let (a, b) = two_instances(Db::Url(url.clone()), Db::Url(url)).await;
    storm(&a, &b).await;
    b.stop().await;
    a.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_thousand_concurrent_money_actions_keep_every_invariant() {
    let Some((url, name)) = support::pg::fresh_database().await else {
        eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
        return;
    };
    let (a, b) = two_instances(Db::Url(url.clone()), Db::Url(url)).await;
    storm(&a, &b).await;
    b.stop().await;
    a.stop().await;
    support::pg::drop_database(&name).await;
}
