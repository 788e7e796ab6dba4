//! Subscription plan changes against the sandbox (issues 6 and 8): families from Dodo's product
//! collections, the defaults sent to change-plan, configuration overrides, configured families,
//! every proration mode, exactly-once changes, pending and failed changes, and the pages and
//! server functions that carry them.

use crate::support;

use dodo_client::PlanChangeRequest;
use dodo_upsell::i18n::Locale;
use dodo_upsell::money::Money;
use dodo_upsell::pages::plan_change::present;
use dodo_upsell::server::analytics::{self, AnalyticsFilter, PlanDirection};
use dodo_upsell::server::plan_change::catalog::check_at_startup;
use dodo_upsell::server::plan_change::family::{Direction, FamilySource, Layer};
use dodo_upsell::server::plan_change::{
    self, BannerFact, Confirmed, Drift, Outcome, PlanRef, StatusFacts, SwitchProblem,
};
use dodo_upsell::server::store::{AttemptStatus, now_millis};
use dodo_upsell::types::plan_change::AgreedFacts;
use serde_json::{Value, json};
use std::time::Duration;
use support::{Options, TestApp, eventually, rules_file};

const ALICE: (&str, &str) = ("cus_demo_alice", "sub_demo_alice_basic");
const CAROL: (&str, &str) = ("cus_demo_carol", "sub_demo_carol_basic");

fn token(app: &TestApp, (customer, subscription): (&str, &str)) -> String {
    support::shop::plan_token(app, customer, subscription)
}

/// A merchant rules file with the demo collection's family and `extra` TOML for that family.
fn rules(extra: &str) -> String {
    let text = format!(
        r#"
[plan_change.business_defaults]
on_payment_failure = "prevent_change"

[[plan_change.families]]
id = "demo-plans"
collection = "pcol_demo_plans"
{extra}
[[plan_change.families.tiers]]
name = "Starter"
plans = ["pdt_demo_starter"]
[[plan_change.families.tiers]]
name = "Basic"
plans = ["pdt_demo_basic"]
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_demo_pro", "pdt_demo_pro_yearly"]

[[plan_change.families]]
id = "teams"
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_demo_pro"]
[[plan_change.families.tiers]]
name = "Team"
plans = ["pdt_demo_team"]
max_quantity = 25
"#
    );
    rules_file("rules", &text)
}

async fn start_with_rules(extra: &str) -> TestApp {
    TestApp::start_with(Options {
        merchant_config: rules(extra),
        ..Options::default()
    })
    .await
}

/// Bodies of the change-plan requests the sandbox received (not previews), in order.
async fn change_plan_requests(app: &TestApp) -> Vec<Value> {
    app.sandbox_posts("/subscriptions/*/change-plan").await
}

/// The money facts the customer sees for a switch (what the dialog shows and sends back).
async fn agreed(app: &TestApp, who: (&str, &str), product: &str, quantity: i64) -> AgreedFacts {
    agreed_with(&app.state, &token(app, who), product, quantity).await
}

async fn agreed_with(
    state: &dodo_upsell::server::state::AppState,
    token: &str,
    product: &str,
    quantity: i64,
) -> AgreedFacts {
    let loaded = plan_change::load(state, Some(token)).await.expect("load");
    let previewed = plan_change::preview(
        state,
        &loaded,
        product,
        quantity,
        plan_change::Timing::AsConfigured,
    )
    .await
    .expect("preview");
    plan_change::agreed_facts(&previewed)
}

async fn confirm(app: &TestApp, who: (&str, &str), product: &str, quantity: i64) -> String {
    let facts = agreed(app, who, product, quantity).await;
    match plan_change::confirm(
        &app.state,
        &token(app, who),
        product,
        quantity,
        plan_change::Timing::AsConfigured,
        &facts,
    )
    .await
    .expect("confirm")
    {
        Confirmed::Attempt(id) => id,
        other => panic!("not confirmed: {other:?}"),
    }
}

/// What the status page of change `id` reports.
async fn status(app: &TestApp, who: (&str, &str), id: &str) -> StatusFacts {
    plan_change::status(&app.state, &token(app, who), id)
        .await
        .expect("status")
        .expect("an attempt of this subscription")
}

/// The demo subscriptions' plan before any change.
fn basic() -> PlanRef {
    PlanRef {
        product_id: "pdt_demo_basic".into(),
        name: "Basic".into(),
    }
}

async fn settled(app: &TestApp, id: &str) -> AttemptStatus {
    eventually(Duration::from_secs(10), || async {
        let a = app.state.store.attempt(id).await.ok()??;
        a.status.is_final().then_some(a.status)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collection_member_is_offered_exactly_the_collections_other_active_plans() {
    let app = TestApp::start().await;
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    assert_eq!(
        loaded.family.source,
        FamilySource::Collection("pcol_demo_plans".into())
    );
    let mut offered: Vec<_> = loaded
        .family
        .options
        .iter()
        .map(|o| o.plan.product.id.clone())
        .collect();
    offered.sort();
    // Not the current plan, not the inactive legacy plan, not Team (in no collection).
    assert_eq!(
        offered,
        [
            "pdt_demo_free",
            "pdt_demo_pro",
            "pdt_demo_pro_yearly",
            "pdt_demo_starter"
        ]
    );

    // The page shows the same, as radios of a plain form.
    let html = app
        .http
        .get(format!(
            "{}/plan-change?token={}",
            app.url,
            token(&app, ALICE)
        ))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    for id in ["pdt_demo_starter", "pdt_demo_pro", "pdt_demo_pro_yearly"] {
        assert!(
            html.contains(&format!("type=\"radio\" name=\"plan\" id=\"plan-{id}\"")),
            "{id}"
        );
    }
    assert!(!html.contains("plan-pdt_demo_legacy"));
    assert!(!html.contains("plan-pdt_demo_team"));
    // Dodo's prices give the yearly plan its saving, and the page shows it.
    let facts = plan_change::comparison(&app.state, &loaded).await;
    let saving = facts
        .options
        .iter()
        .find(|o| o.plan.plan.id() == "pdt_demo_pro_yearly")
        .and_then(|o| o.plan.yearly_savings_percent);
    assert_eq!(saving, Some(17));
    assert!(html.contains("data-testid=\"savings\""));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_collections_upgrade_and_downgrade_defaults_are_sent_to_change_plan() {
    let app = TestApp::start().await;
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    assert_eq!(
        loaded.family.upgrade.layers,
        [Layer::Collection, Layer::Collection, Layer::Business]
    );
    let up = confirm(&app, ALICE, "pdt_demo_pro", 1).await;
    assert_eq!(settled(&app, &up).await, AttemptStatus::Succeeded);
    let down = confirm(&app, ALICE, "pdt_demo_starter", 1).await;
    assert_eq!(settled(&app, &down).await, AttemptStatus::Succeeded);
    let sent = change_plan_requests(&app).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0]["product_id"], "pdt_demo_pro");
    assert_eq!(sent[0]["proration_billing_mode"], "prorated_immediately");
    assert_eq!(sent[0]["effective_at"], "immediately");
    // The collection leaves on_payment_failure null: the business default.
    assert_eq!(sent[0]["on_payment_failure"], "prevent_change");
    assert_eq!(sent[0]["metadata"]["attempt_id"], up.as_str());
    assert_eq!(sent[1]["product_id"], "pdt_demo_starter");
    assert_eq!(sent[1]["proration_billing_mode"], "difference_immediately");
    assert_eq!(sent[1]["effective_at"], "next_billing_date");
    let state = app.sandbox_subscription(ALICE.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_pro");
    assert_eq!(
        state["subscription"]["scheduled_change"]["product_id"],
        "pdt_demo_starter"
    );
    // The merchant dashboard counts them per direction, the upgrade's charge once Dodo's
    // webhook confirmed it (what Alice agreed to pay), and the monthly recurring revenue
    // moving basic $30 → pro $80 (+$50) and pro → starter $20 (−$60).
    let agreed_now = app
        .state
        .store
        .attempt(&up)
        .await
        .expect("attempt")
        .expect("up")
        .amount_minor;
    let filter = AnalyticsFilter::from_query(None, None, None, None, now_millis()).expect("filter");
    let rows = eventually(Duration::from_secs(20), || async {
        let rows = analytics::plan_changes::plan_change_rows(&app.state.store, &filter)
            .await
            .expect("rows");
        rows.iter().any(|r| r.charged_minor > 0).then_some(rows)
    })
    .await;
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.direction,
                r.currency.as_str(),
                r.confirmed,
                r.succeeded,
                r.charged_net_minor(),
                r.recurring_change_minor,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (PlanDirection::Upgrade, "USD", 1, 1, agreed_now, 5000),
            (PlanDirection::Downgrade, "USD", 1, 1, 0, -6000),
        ]
    );
    assert!(agreed_now > 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configuration_override_wins_over_the_collection() {
    let app = start_with_rules(
        "[plan_change.families.overrides]\non_payment_failure = \"apply_change\"\n\
         [plan_change.families.overrides.downgrade]\nproration_billing_mode = \"prorated_immediately\"\neffective_at = \"immediately\"\n",
    )
    .await;
    let down = confirm(&app, ALICE, "pdt_demo_starter", 1).await;
    assert_eq!(settled(&app, &down).await, AttemptStatus::Succeeded);
    let sent = change_plan_requests(&app).await;
    assert_eq!(sent[0]["proration_billing_mode"], "prorated_immediately");
    assert_eq!(sent[0]["effective_at"], "immediately");
    assert_eq!(sent[0]["on_payment_failure"], "apply_change");
    // Prorated downgrade on day 15: unused Basic $15 − Starter for 15 days $10 = $5 credit.
    let state = app.sandbox_subscription(ALICE.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_starter");
    assert_eq!(state["credit_balance"], 500);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_outside_any_collection_uses_the_configured_family() {
    let app = start_with_rules("").await;
    // Put Alice on Team (in no collection) without billing, as a merchant might have.
    app.state
        .dodo_client
        .change_plan(
            ALICE.1,
            &PlanChangeRequest::new("pdt_demo_team", 1, "do_not_bill"),
        )
        .await
        .expect("move to team");
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    assert_eq!(
        loaded.family.source,
        FamilySource::Configured("teams".into())
    );
    let offered: Vec<_> = loaded
        .family
        .options
        .iter()
        .map(|o| o.plan.product.id.as_str())
        .collect();
    assert_eq!(offered, ["pdt_demo_pro"]);
    assert_eq!(
        loaded.family.direction_to("pdt_demo_team", 3),
        Some(Direction::Upgrade)
    );
    // Seats on the current plan: no collection, no business proration → our upgrade default.
    let previewed = plan_change::preview(
        &app.state,
        &loaded,
        "pdt_demo_team",
        3,
        plan_change::Timing::AsConfigured,
    )
    .await
    .expect("preview");
    assert_eq!(previewed.quantity, 3);
    assert_eq!(
        previewed.request.proration_billing_mode,
        "prorated_immediately"
    );
    let id = confirm(&app, ALICE, "pdt_demo_team", 3).await;
    assert_eq!(settled(&app, &id).await, AttemptStatus::Succeeded);
    let sent = change_plan_requests(&app).await;
    let last = sent.last().expect("sent");
    assert_eq!(last["product_id"], "pdt_demo_team");
    assert_eq!(last["quantity"], 3);
    // More seats than the tier allows are capped, never sent.
    let capped = plan_change::preview(
        &app.state,
        &loaded,
        "pdt_demo_team",
        500,
        plan_change::Timing::AsConfigured,
    )
    .await
    .expect("preview");
    assert_eq!(capped.quantity, 25);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prorated_keep_cycle_previews_and_charges_as_the_sandbox_documents() {
    let app = start_with_rules(
        "[plan_change.families.overrides.upgrade]\nproration_billing_mode = \"prorated_immediately_keep_cycle\"\n",
    )
    .await;
    let before =
        app.sandbox_subscription(ALICE.1).await["subscription"]["next_billing_date"].clone();
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    let p = plan_change::preview(
        &app.state,
        &loaded,
        "pdt_demo_pro",
        1,
        plan_change::Timing::AsConfigured,
    )
    .await
    .expect("preview");
    // Day 15 of 30, Basic $30 → Pro $80: $40 for the rest of the cycle − $15 unused = $25.
    assert_eq!(p.preview.total_amount, 2500);
    assert_eq!(p.preview.customer_credits, -1500);
    assert!((p.preview.line_items[0].proration_factor - 0.5).abs() < 1e-9);
    let facts = plan_change::preview_facts(&app.state, &loaded, &p).await;
    assert_eq!(
        (facts.direction, facts.scheduled),
        (Direction::Upgrade, false),
        "an upgrade, now"
    );
    assert_eq!(facts.total, Money::new(2500, "USD"));
    assert_eq!(facts.credits, Money::new(-1500, "USD"));
    assert_eq!(facts.next_bill.amount, Money::new(8000, "USD"));
    assert_eq!(facts.lines[0].period_percent, 50);
    assert_eq!(
        facts.card.map(|c| (c.network, c.last4)),
        Some(("Visa".to_owned(), "4242".to_owned()))
    );
    let id = confirm(&app, ALICE, "pdt_demo_pro", 1).await;
    assert_eq!(settled(&app, &id).await, AttemptStatus::Succeeded);
    let charged: Vec<i64> = app
        .sandbox_payments()
        .await
        .iter()
        .filter(|p| p["metadata"]["attempt_id"] == id.as_str())
        .filter_map(|p| p["total_amount"].as_i64())
        .collect();
    assert_eq!(charged, [2500]);
    let after = app.sandbox_subscription(ALICE.1).await;
    assert_eq!(
        after["subscription"]["next_billing_date"], before,
        "the cycle is kept"
    );
    assert_eq!(
        change_plan_requests(&app).await[0]["proration_billing_mode"],
        "prorated_immediately_keep_cycle"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_future_mode_is_passed_through_to_dodo() {
    let app = start_with_rules(
        "[plan_change.families.overrides.upgrade]\nproration_billing_mode = \"prorated_next_tuesday\"\n",
    )
    .await;
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    // The sandbox does not know it (422): the page says it cannot preview; nothing is sent.
    let result = plan_change::preview(
        &app.state,
        &loaded,
        "pdt_demo_pro",
        1,
        plan_change::Timing::AsConfigured,
    )
    .await;
    assert!(matches!(result, Err(SwitchProblem::Dodo(_))), "{result:?}");
    let previews = app
        .sandbox_posts("/subscriptions/*/change-plan/preview")
        .await;
    assert_eq!(
        previews[0]["proration_billing_mode"],
        "prorated_next_tuesday"
    );
    assert!(change_plan_requests(&app).await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_double_confirm_makes_one_change() {
    let app = TestApp::start().await;
    let token = token(&app, ALICE);
    let facts = agreed(&app, ALICE, "pdt_demo_pro", 1).await;
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (state, token, facts) = (app.state.clone(), token.clone(), facts.clone());
        tasks.push(tokio::spawn(async move {
            plan_change::confirm(
                &state,
                &token,
                "pdt_demo_pro",
                1,
                plan_change::Timing::AsConfigured,
                &facts,
            )
            .await
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        match task.await.expect("task").expect("confirm") {
            Confirmed::Attempt(id) => {
                ids.insert(id);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(ids.len(), 1, "every confirm shows the same change: {ids:?}");
    assert_eq!(
        change_plan_requests(&app).await.len(),
        1,
        "one change at Dodo"
    );
    let id = ids.into_iter().next().expect("id");
    assert_eq!(settled(&app, &id).await, AttemptStatus::Succeeded);
    // Confirming again after it happened (a resubmitted form) shows it and sends nothing.
    match plan_change::confirm(
        &app.state,
        &token,
        "pdt_demo_pro",
        1,
        plan_change::Timing::AsConfigured,
        &facts,
    )
    .await
    .expect("again")
    {
        Confirmed::Attempt(again) => assert_eq!(again, id),
        other => panic!("{other:?}"),
    }
    assert_eq!(change_plan_requests(&app).await.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_change_is_shown_as_pending_not_as_an_error() {
    let app = TestApp::start_with(Options {
        settle_delay: Duration::from_secs(3),
        ..Options::default()
    })
    .await;
    // A change made elsewhere (Dodo's portal, another integration) waits for its payment
    // (prevent_change); meanwhile Dodo refuses another change: 409.
    app.state
        .dodo_client
        .change_plan(
            ALICE.1,
            &PlanChangeRequest {
                product_id: "pdt_demo_pro".into(),
                quantity: 1,
                proration_billing_mode: "prorated_immediately".into(),
                effective_at: Some("immediately".into()),
                on_payment_failure: Some("prevent_change".into()),
                metadata: Default::default(),
                addons: Vec::new(),
            },
        )
        .await
        .expect("change elsewhere");
    let second = confirm(&app, ALICE, "pdt_demo_pro_yearly", 1).await;
    let attempt = app
        .state
        .store
        .attempt(&second)
        .await
        .expect("store")
        .expect("attempt");
    assert_eq!(attempt.status, AttemptStatus::Failed);
    assert_eq!(
        attempt.error_code.as_deref(),
        Some("PendingPlanChangeExists")
    );
    // Refused for the change waiting for its payment, which Dodo shows with its amount.
    assert_eq!(
        status(&app, ALICE, &second).await.outcome,
        Outcome::PendingExists {
            payment_in_flight: Some(Money::new(2500, "USD"))
        }
    );
    // The comparison page shows the change in progress.
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    let comparison = plan_change::comparison(&app.state, &loaded).await;
    // Our own attempt failed (nothing of ours is in flight), so no "in progress" banner of ours.
    assert!(
        !comparison
            .banners
            .iter()
            .any(|b| matches!(b, BannerFact::Pending { .. })),
        "{:?}",
        comparison.banners
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_charge_leaves_the_plan_and_an_on_hold_subscription_is_explained() {
    // prevent_change (the demo business default): the plan stays.
    let app = TestApp::start().await;
    let id = confirm(&app, CAROL, "pdt_demo_pro", 1).await;
    assert_eq!(settled(&app, &id).await, AttemptStatus::Failed);
    assert_eq!(
        status(&app, CAROL, &id).await.outcome,
        Outcome::Declined { current: basic() }
    );
    let state = app.sandbox_subscription(CAROL.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_basic");
    assert_eq!(state["subscription"]["status"], "active");
    // A way to update the card: Dodo's hosted page for this subscription.
    let link = plan_change::update_payment_method_link(&app.state, &token(&app, CAROL))
        .await
        .expect("link");
    assert!(link.starts_with(&app.sandbox.base_url()), "{link}");
    app.stop().await;

    // apply_change: the plan changes, the charge fails, the subscription goes on hold.
    let app = start_with_rules(
        "[plan_change.families.overrides]\non_payment_failure = \"apply_change\"\n",
    )
    .await;
    let id = confirm(&app, CAROL, "pdt_demo_pro", 1).await;
    settled(&app, &id).await;
    let on_hold = eventually(Duration::from_secs(10), || async {
        let facts = plan_change::status(&app.state, &token(&app, CAROL), &id)
            .await
            .ok()??;
        matches!(facts.outcome, Outcome::OnHold { .. }).then_some(facts.outcome)
    })
    .await;
    // The plan did change: it is the paid-for plan that is on hold.
    assert_eq!(
        on_hold,
        Outcome::OnHold {
            current: PlanRef {
                product_id: "pdt_demo_pro".into(),
                name: "Pro".into()
            }
        }
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_reconciled_and_never_resent() {
    let app = TestApp::start().await;
    app.sandbox_post(
        "/_sandbox/faults",
        json!({"method": "POST", "path": "/subscriptions/*/change-plan", "count": 1, "fault": "response_lost"}),
    )
    .await;
    let id = confirm(&app, ALICE, "pdt_demo_pro", 1).await;
    let attempt = app
        .state
        .store
        .attempt(&id)
        .await
        .expect("store")
        .expect("attempt");
    // The answer was lost: unknown, unless a webhook already told the outcome.
    assert!(
        matches!(
            attempt.status,
            AttemptStatus::Unknown | AttemptStatus::Succeeded
        ),
        "{:?}",
        attempt.status
    );
    let after = app
        .state
        .engine
        .reconcile(attempt)
        .await
        .expect("reconcile");
    assert!(
        matches!(
            after.status,
            AttemptStatus::Succeeded | AttemptStatus::Pending
        ),
        "{:?}",
        after.status
    );
    app.state.engine.reconcile_due().await.expect("due");
    assert_eq!(settled(&app, &id).await, AttemptStatus::Succeeded);
    assert_eq!(change_plan_requests(&app).await.len(), 1, "never resent");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_change_can_be_undone() {
    let app = TestApp::start().await;
    let id = confirm(&app, ALICE, "pdt_demo_starter", 1).await;
    assert_eq!(settled(&app, &id).await, AttemptStatus::Succeeded);
    match status(&app, ALICE, &id).await.outcome {
        Outcome::Scheduled { target, .. } => assert_eq!(target.product_id, "pdt_demo_starter"),
        other => panic!("not scheduled: {other:?}"),
    }
    // Through the server function, as the Undo form posts it.
    let res = app
        .http
        .post(format!("{}/api/plan_change_undo", app.url))
        .header("accept", "text/html")
        .form(&[("token", token(&app, ALICE))])
        .send()
        .await
        .expect("undo");
    assert!(
        res.url().as_str().contains("notice=undone"),
        "{}",
        res.url()
    );
    let state = app.sandbox_subscription(ALICE.1).await;
    assert!(state["subscription"]["scheduled_change"].is_null());
    // The change's status page now says so.
    assert_eq!(
        status(&app, ALICE, &id).await.outcome,
        Outcome::Undone { current: basic() }
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_take_only_the_token_and_refuse_forgeries() {
    let app = TestApp::start().await;
    let facts = agreed(&app, ALICE, "pdt_demo_pro", 1).await;
    let fields = |token: &str, product: &str, total: i64| {
        vec![
            ("token", token.to_string()),
            ("product_id", product.to_string()),
            ("quantity", "1".to_string()),
            ("agreed_total", total.to_string()),
            ("agreed_currency", facts.currency.clone()),
            ("agreed_tax", facts.tax_minor.to_string()),
            ("agreed_credits", facts.credits_minor.to_string()),
            ("agreed_next_billing", facts.next_billing.to_string()),
        ]
    };
    let form = |token: &str| fields(token, "pdt_demo_pro", facts.total_minor);
    // Another site cannot post the confirm form.
    let res = app
        .http
        .post(format!("{}/api/plan_change_confirm", app.url))
        .header("sec-fetch-site", "cross-site")
        .form(&form(&token(&app, ALICE)))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    // A tampered token changes nothing.
    let mut bad = token(&app, ALICE);
    bad.push('x');
    let res = app
        .http
        .post(format!("{}/api/plan_change_confirm", app.url))
        .form(&form(&bad))
        .send()
        .await
        .expect("post");
    assert!(res.status().is_server_error() || res.status().is_client_error());
    // A link for Carol's subscription minted for Alice is not Alice's subscription.
    let crossed = token(&app, ("cus_demo_alice", "sub_demo_carol_basic"));
    let res = app
        .http
        .post(format!("{}/api/plan_change_confirm", app.url))
        .form(&form(&crossed))
        .send()
        .await
        .expect("post");
    assert!(!res.status().is_success());
    // The agreed amount is only a consent check: a different one sends nothing.
    let res: Value = app
        .http
        .post(format!("{}/api/plan_change_confirm", app.url))
        .form(&fields(&token(&app, ALICE), "pdt_demo_pro", 1))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    // A JSON client gets the presenter's words for what moved: from 1 to the real total.
    assert_eq!(res["repreview"], true, "{res}");
    let moved = Drift::Total {
        was: 1,
        now: facts.total_minor,
        currency: facts.currency.clone(),
    };
    assert_eq!(res["problem"], present::drift_text(Locale::En, &moved));
    assert!(change_plan_requests(&app).await.is_empty());
    // A plan outside the family is refused.
    let res: Value = app
        .http
        .post(format!("{}/api/plan_change_confirm", app.url))
        .form(&fields(&token(&app, ALICE), "pdt_demo_team", 0))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(
        res["problem"],
        present::switch_problem(Locale::En, &SwitchProblem::NotOffered)
    );
    assert!(change_plan_requests(&app).await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misconfigured_families_are_named_at_startup_and_collections_are_cached() {
    let app = TestApp::start_with(Options {
        merchant_config: rules_file(
            "bad",
            r#"
[[plan_change.families]]
id = "demo-plans"
collection = "pcol_demo_plans"
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_demo_pro", "pdt_does_not_exist"]

[[plan_change.families]]
id = "lonely"
[[plan_change.families.tiers]]
name = "Team"
plans = ["pdt_demo_team"]

[[plan_change.families]]
id = "ghost"
collection = "pcol_nowhere"
"#,
        ),
        ..Options::default()
    })
    .await;
    let problems = check_at_startup(&app.state.plan_catalog, &app.state.merchant).await;
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(
        has(
            "plan_change.families[0].tiers[0].plans[1]: product `pdt_does_not_exist` is not known to Dodo"
        ),
        "{problems:#?}"
    );
    assert!(
        has("plan_change.families[1] (`lonely`): the family has one plan"),
        "{problems:#?}"
    );
    assert!(
        has("plan_change.families[2].collection: collection `pcol_nowhere` is not known to Dodo"),
        "{problems:#?}"
    );
    // The page still works and offers only valid switches.
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    // Free, Starter, Pro, Pro yearly.
    assert_eq!(loaded.family.options.len(), 4);
    // A second view within the cache time asks Dodo for no collection or product again.
    let fetched = app.state.plan_catalog.fetches();
    plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load again");
    assert_eq!(app.state.plan_catalog.fetches(), fetched);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_instances_change_the_plan_once() {
    let Some(pair) = support::PostgresPair::start(Options::default()).await else {
        return;
    };
    let (a, b) = (&pair.a, &pair.b);
    // Both instances keep the link key in the shared store, so one link works on both.
    let token = token(a, ALICE);
    let facts = agreed(a, ALICE, "pdt_demo_pro", 1).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (state, token, facts) = (
            if i % 2 == 0 { a } else { b }.state.clone(),
            token.clone(),
            facts.clone(),
        );
        tasks.push(tokio::spawn(async move {
            plan_change::confirm(
                &state,
                &token,
                "pdt_demo_pro",
                1,
                plan_change::Timing::AsConfigured,
                &facts,
            )
            .await
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        if let Confirmed::Attempt(id) = task.await.expect("task").expect("confirm") {
            ids.insert(id);
        }
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(change_plan_requests(a).await.len(), 1, "one change at Dodo");
    let id = ids.into_iter().next().expect("id");
    assert_eq!(settled(a, &id).await, AttemptStatus::Succeeded);
    // The next change of the same subscription gets its own key (the last settled attempt).
    let down = confirm(b, ALICE, "pdt_demo_starter", 1).await;
    assert_ne!(down, id);
    assert_eq!(settled(b, &down).await, AttemptStatus::Succeeded);
    assert_eq!(change_plan_requests(a).await.len(), 2);
    pair.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fewer_seats_is_a_downgrade_the_merchant_can_turn_off() {
    let app = TestApp::start_with(Options {
        merchant_config: rules_file(
            "no-downgrades",
            r#"
[[plan_change.families]]
id = "teams"
allow_downgrades = false
[[plan_change.families.tiers]]
name = "Team"
plans = ["pdt_demo_team"]
max_quantity = 25
"#,
        ),
        ..Options::default()
    })
    .await;
    app.state
        .dodo_client
        .change_plan(
            ALICE.1,
            &PlanChangeRequest::new("pdt_demo_team", 5, "do_not_bill"),
        )
        .await
        .expect("move to team with 5 seats");
    let loaded = plan_change::load(&app.state, Some(&token(&app, ALICE)))
        .await
        .expect("load");
    let before = change_plan_requests(&app).await.len();

    // Two seats fewer is a downgrade: refused before Dodo is asked, preview or change.
    let fewer = plan_change::preview(
        &app.state,
        &loaded,
        "pdt_demo_team",
        3,
        plan_change::Timing::AsConfigured,
    )
    .await;
    assert!(matches!(fewer, Err(SwitchProblem::NotOffered)), "{fewer:?}");
    let agreed = AgreedFacts {
        total_minor: 0,
        currency: "USD".into(),
        tax_minor: 0,
        credits_minor: 0,
        next_billing: 0,
    };
    let confirmed = plan_change::confirm(
        &app.state,
        &token(&app, ALICE),
        "pdt_demo_team",
        3,
        plan_change::Timing::AsConfigured,
        &agreed,
    )
    .await;
    assert!(
        matches!(confirmed, Ok(Confirmed::Problem(SwitchProblem::NotOffered))),
        "{confirmed:?}"
    );
    assert_eq!(change_plan_requests(&app).await.len(), before);

    // More seats is still an upgrade.
    let more = plan_change::preview(
        &app.state,
        &loaded,
        "pdt_demo_team",
        7,
        plan_change::Timing::AsConfigured,
    )
    .await
    .expect("more seats are offered");
    assert_eq!(more.direction, Direction::Upgrade);
    app.stop().await;
}

/// The live preview's answer, as the island asks for it: a JSON string of HTML, in the
/// language of the `lang` cookie the page set.
async fn preview_html(app: &TestApp, who: (&str, &str), product: &str, lang: &str) -> String {
    let res = app
        .http
        .post(format!("{}/api/plan_change_preview", app.url))
        .header("accept", "application/json")
        .header("cookie", format!("lang={lang}"))
        .form(&[
            ("token", token(app, who).as_str()),
            ("product_id", product),
            ("quantity", "1"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 200);
    res.json().await.expect("a JSON string")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_answers_with_html_to_place_or_the_sentence_for_why_not() {
    let app = TestApp::start().await;
    // A preview: the panel, and the dialog's content with a confirm form carrying the figures
    // shown (Alice's upgrade: $25.00 due today).
    let html = preview_html(&app, ALICE, "pdt_demo_pro", "en").await;
    assert!(html.contains("data-preview"), "{html}");
    assert!(html.contains("<template data-dialog-content"), "{html}");
    assert!(html.contains(r#"data-testid="dialog-form""#), "{html}");
    assert!(
        html.contains(r#"name="agreed_total" value="2500""#),
        "{html}"
    );
    assert!(html.contains("$25.00"), "{html}");
    assert!(!html.contains("preview-problem"), "{html}");
    // No preview: the customer's sentence, and no dialog content (Continue stays off).
    let html = preview_html(&app, ALICE, "pdt_demo_basic", "en").await;
    assert!(html.contains(r#"data-testid="preview-problem""#), "{html}");
    assert!(html.contains("You are already on this plan."), "{html}");
    assert!(!html.contains("data-dialog-content"), "{html}");
    // In Hindi (the language Priya's page chose from her `preferred_locale`), the plan named as
    // Dodo translates it.
    let priya = ("cus_demo_priya", "sub_demo_priya_basic_inr");
    let html = preview_html(&app, priya, "pdt_demo_pro_inr", "hi").await;
    assert!(html.contains("प्रो (भारत)"), "{html}");
    assert!(html.contains("₹1,250.00"), "{html}");
    assert!(change_plan_requests(&app).await.is_empty());
    app.stop().await;
}
