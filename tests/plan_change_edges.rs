//! Plan changes at the edges (issue 18), against the sandbox: a switch during a trial (at its
//! end, or now), yearly → monthly billed as a downgrade, a free plan scheduled and never
//! refunded, the credit a downgrade leaves and the renewals it covers, and both readings of
//! `prorated_immediately` — with the page stating only what Dodo's preview returned.

use crate::support;

use dodo_upsell::i18n::Locale;
use dodo_upsell::money::Money;
use dodo_upsell::pages::plan_change::present;
use dodo_upsell::server::attempts::plan_change::EffectiveAt;
use dodo_upsell::server::plan_change::family::Direction;
use dodo_upsell::server::plan_change::{self, Confirmed, Outcome, SwitchProblem, Timing};
use dodo_upsell::server::store::AttemptStatus;
use serde_json::{Value, json};
use std::time::Duration;
use support::{Options, TestApp, eventually, rules_file};

const ALICE: (&str, &str) = ("cus_demo_alice", "sub_demo_alice_basic");
const TARA: (&str, &str) = ("cus_demo_tara", "sub_demo_tara_basic_trial");
const PAULA: (&str, &str) = ("cus_demo_paula", "sub_demo_paula_pro");
const YUKI: (&str, &str) = ("cus_demo_yuki", "sub_demo_yuki_pro_yearly");

fn token(app: &TestApp, (customer, subscription): (&str, &str)) -> String {
    support::shop::plan_token(app, customer, subscription)
}

/// The shipped rules with the demo family's `hide_free_plans` set, and `tables` (TOML tables of
/// that family, e.g. an override) added after its own.
async fn start_with_family(hide_free_plans: bool, tables: &str) -> TestApp {
    let shipped = std::fs::read_to_string("merchant.toml").expect("merchant.toml");
    let (key, end) = ("hide_free_plans = false", "# Team is in no Dodo collection");
    assert!(
        shipped.contains(key) && shipped.contains(end),
        "the demo family in merchant.toml"
    );
    let text = shipped
        .replacen(key, &format!("hide_free_plans = {hide_free_plans}"), 1)
        .replacen(end, &format!("{tables}\n{end}"), 1);
    TestApp::start_with(Options {
        merchant_config: rules_file("edges", &text),
        ..Options::default()
    })
    .await
}

/// Downgrades billed at once, the difference credited.
const DOWNGRADES_NOW: &str = "[plan_change.families.overrides.downgrade]\neffective_at = \"immediately\"\nproration_billing_mode = \"difference_immediately\"\n";

async fn previewed(
    app: &TestApp,
    who: (&str, &str),
    product: &str,
    timing: Timing,
) -> (plan_change::Previewed, plan_change::PreviewFacts) {
    let token = token(app, who);
    let loaded = plan_change::load(&app.state, Some(&token))
        .await
        .expect("load");
    let p = plan_change::preview(&app.state, &loaded, product, 1, timing)
        .await
        .expect("preview");
    let facts = plan_change::preview_facts(&app.state, &loaded, &p).await;
    (p, facts)
}

/// Confirms what the customer was shown for `product` at `timing`; the attempt's id once it
/// settled as succeeded.
async fn confirm(app: &TestApp, who: (&str, &str), product: &str, timing: Timing) -> String {
    let (p, _) = previewed(app, who, product, timing).await;
    let agreed = plan_change::agreed_facts(&p);
    let id = match plan_change::confirm(&app.state, &token(app, who), product, 1, timing, &agreed)
        .await
        .expect("confirm")
    {
        Confirmed::Attempt(id) => id,
        other => panic!("not confirmed: {other:?}"),
    };
    let status = eventually(Duration::from_secs(10), || async {
        let a = app.state.store.attempt(&id).await.ok()??;
        a.status.is_final().then_some(a.status)
    })
    .await;
    assert_eq!(status, AttemptStatus::Succeeded);
    id
}

/// Payments of `subscription` in the sandbox.
async fn payments_of(app: &TestApp, subscription: &str) -> Vec<Value> {
    app.sandbox_payments()
        .await
        .into_iter()
        .filter(|p| p["subscription_id"] == subscription)
        .collect()
}

#[tokio::test]
async fn in_a_trial_both_choices_are_previewed_and_the_default_never_ends_it() {
    let app = TestApp::start().await;
    let (p, facts) = previewed(&app, TARA, "pdt_demo_pro", Timing::AsConfigured).await;
    // Unasked, the switch waits for the trial's end, whatever the upgrade setting says.
    assert_eq!(p.timing, Timing::TrialEnd);
    assert_eq!(p.settings.effective_at, EffectiveAt::NextBillingDate);
    assert_eq!(p.preview.total_amount, 0);
    let choices = facts.trial.clone().expect("trial choices");
    assert_eq!(choices.at_trial_end, Some(Money::new(0, "USD")));
    // Now: the trial ends and Pro is charged in full (nothing was paid to credit).
    assert_eq!(choices.now, Some(Money::new(8000, "USD")));
    let sub = app
        .state
        .dodo_client
        .subscription(TARA.1)
        .await
        .expect("subscription");
    assert_eq!(choices.ends_on, sub.next_billing_date);
    let view = present::preview(Locale::En, &facts);
    assert!(
        view.title
            .starts_with("Switch to Pro when your trial ends on "),
        "{}",
        view.title
    );
    app.stop().await;
}

#[tokio::test]
async fn a_trial_switch_at_its_end_is_scheduled_and_charges_nothing() {
    let app = TestApp::start().await;
    confirm(&app, TARA, "pdt_demo_pro", Timing::TrialEnd).await;
    let state = app.sandbox_subscription(TARA.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_basic");
    assert_eq!(
        state["subscription"]["scheduled_change"]["product_id"],
        "pdt_demo_pro"
    );
    assert_eq!(payments_of(&app, TARA.1).await.len(), 0);
    assert_eq!(
        app.sandbox_posts("/subscriptions/*/change-plan").await[0]["effective_at"],
        "next_billing_date"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_trial_switch_now_ends_the_trial_and_charges_what_was_previewed() {
    let app = TestApp::start().await;
    let id = confirm(&app, TARA, "pdt_demo_pro", Timing::Now).await;
    let state = app.sandbox_subscription(TARA.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_pro");
    let paid = payments_of(&app, TARA.1).await;
    assert_eq!(paid.len(), 1, "{paid:?}");
    assert_eq!(paid[0]["total_amount"], 8000);
    assert_eq!(paid[0]["status"], "succeeded");
    assert_eq!(
        app.sandbox_posts("/subscriptions/*/change-plan").await[0]["effective_at"],
        "immediately"
    );
    // The trial is over: the page offers no trial choice any more.
    let sub = app
        .state
        .dodo_client
        .subscription(TARA.1)
        .await
        .expect("subscription");
    assert_eq!(sub.trial_ends_at(), None);
    let status = plan_change::status(&app.state, &token(&app, TARA), &id)
        .await
        .expect("status")
        .expect("attempt");
    assert!(
        matches!(status.outcome, Outcome::Succeeded { .. }),
        "{status:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn yearly_to_monthly_is_a_downgrade_and_billed_as_one() {
    let app = TestApp::start().await;
    let token = token(&app, YUKI);
    let loaded = plan_change::load(&app.state, Some(&token))
        .await
        .expect("load");
    assert_eq!(
        loaded.family.direction_to("pdt_demo_pro", 1),
        Some(Direction::Downgrade)
    );
    // The demo collection schedules downgrades: the yearly plan runs its course.
    confirm(&app, YUKI, "pdt_demo_pro", Timing::AsConfigured).await;
    let state = app.sandbox_subscription(YUKI.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_pro_yearly");
    assert_eq!(
        state["subscription"]["scheduled_change"]["product_id"],
        "pdt_demo_pro"
    );
    assert_eq!(payments_of(&app, YUKI.1).await.len(), 0);
    let sent = app.sandbox_posts("/subscriptions/*/change-plan").await;
    assert_eq!(sent[0]["proration_billing_mode"], "difference_immediately");
    assert_eq!(sent[0]["effective_at"], "next_billing_date");
    app.stop().await;
}

#[tokio::test]
async fn a_free_plan_is_scheduled_for_the_billing_date_even_when_downgrades_are_immediate() {
    let app = start_with_family(false, DOWNGRADES_NOW).await;
    let (p, facts) = previewed(&app, ALICE, "pdt_demo_free", Timing::AsConfigured).await;
    assert_eq!(p.settings.effective_at, EffectiveAt::NextBillingDate);
    assert_eq!((p.preview.total_amount, p.preview.customer_credits), (0, 0));
    assert!(facts.scheduled);
    assert_eq!(facts.credit_timeline, None);
    confirm(&app, ALICE, "pdt_demo_free", Timing::AsConfigured).await;
    let state = app.sandbox_subscription(ALICE.1).await;
    assert_eq!(state["subscription"]["product_id"], "pdt_demo_basic");
    assert_eq!(
        state["subscription"]["scheduled_change"]["product_id"],
        "pdt_demo_free"
    );
    // No refund, no credit: Alice keeps Basic until the billing date.
    assert_eq!(state["credit_balance"], 0);
    assert_eq!(payments_of(&app, ALICE.1).await.len(), 0);
    app.stop().await;
}

#[tokio::test]
async fn a_family_that_hides_free_plans_does_not_offer_them() {
    let app = start_with_family(true, "").await;
    let token = token(&app, ALICE);
    let loaded = plan_change::load(&app.state, Some(&token))
        .await
        .expect("load");
    assert!(loaded.family.option("pdt_demo_free").is_none());
    assert!(matches!(
        plan_change::preview(
            &app.state,
            &loaded,
            "pdt_demo_free",
            1,
            Timing::AsConfigured
        )
        .await,
        Err(SwitchProblem::NotOffered)
    ));
    app.stop().await;
}

#[tokio::test]
async fn a_downgrade_credit_says_which_renewals_it_covers_before_and_after() {
    let app = start_with_family(false, DOWNGRADES_NOW).await;
    // Pro $80 → Starter $20 with the difference credited: $60, three renewals of $20.
    let (p, facts) = previewed(&app, PAULA, "pdt_demo_starter", Timing::AsConfigured).await;
    assert_eq!(p.preview.customer_credits, 6000);
    // The old plan's value is credit, not a line: line amounts would not add up to $0.00, so
    // only their arithmetic is shown.
    assert!(
        facts.lines.iter().all(|l| l.amount.is_none()),
        "{:?}",
        facts.lines
    );
    let timeline = facts.credit_timeline.clone().expect("credit timeline");
    assert_eq!(timeline.covered, 3);
    assert_eq!(timeline.renewal, Money::new(2000, "USD"));
    let first = p.preview.new_plan.next_billing_date;
    assert_eq!(timeline.pay_again_on.date(), add_months(first, 3).date());
    let view = present::preview(Locale::En, &facts);
    let covers = view.credit_covers.expect("sentence");
    assert!(
        covers.starts_with(
            "$60.00 credit: your next 3 renewals of $20.00 are covered; you pay again on "
        ),
        "{covers}"
    );
    let id = confirm(&app, PAULA, "pdt_demo_starter", Timing::AsConfigured).await;
    assert_eq!(
        app.sandbox_subscription(PAULA.1).await["credit_balance"],
        6000
    );
    let status = plan_change::status(&app.state, &token(&app, PAULA), &id)
        .await
        .expect("status")
        .expect("attempt");
    match status.outcome {
        Outcome::Succeeded {
            credit: Some(c), ..
        } => assert_eq!((c.covered, c.credit), (3, Money::new(6000, "USD"))),
        other => panic!("no credit on the status page: {other:?}"),
    }
    app.stop().await;
}

fn add_months(at: time::OffsetDateTime, months: u8) -> time::OffsetDateTime {
    let mut month = at.month();
    let mut year = at.year();
    for _ in 0..months {
        if month == time::Month::December {
            year += 1;
        }
        month = month.next();
    }
    let day = at.day().min(month.length(year));
    at.replace_date(time::Date::from_calendar_date(year, month, day).expect("date"))
}

#[tokio::test]
async fn both_readings_of_prorated_immediately_are_shown_as_dodo_previews_them() {
    let app = TestApp::start().await;
    // Keep-cycle reading (the docs' worked example): Basic → Pro on day 15 of 30 is $25 now,
    // and the billing date stays.
    let (kept, facts) = previewed(&app, ALICE, "pdt_demo_pro", Timing::AsConfigured).await;
    assert_eq!(kept.request.proration_billing_mode, "prorated_immediately");
    assert_eq!(kept.preview.total_amount, 2500);
    assert_eq!(facts.billing_moves_to, None);
    // Pro for half the cycle, $40.00, less $15.00 of credit: the line amounts add up.
    let amounts: Vec<_> = facts.lines.iter().map(|l| l.amount.clone()).collect();
    assert_eq!(amounts, [Some(Money::new(4000, "USD"))]);
    let view = present::preview(Locale::En, &facts);
    assert_eq!(view.total, "$25.00");
    assert_eq!(view.billing_moves, None);

    // Reset-cycle reading: a full new cycle from today, less the unused $15.
    app.sandbox_put(
        "/_sandbox/settings",
        json!({ "prorated_immediately": "reset_cycle" }),
    )
    .await;
    let (reset, facts) = previewed(&app, ALICE, "pdt_demo_pro", Timing::AsConfigured).await;
    assert_eq!(reset.preview.total_amount, 6500);
    let amounts: Vec<_> = facts.lines.iter().map(|l| l.amount.clone()).collect();
    assert_eq!(amounts, [Some(Money::new(8000, "USD"))]);
    let moved = facts.billing_moves_to.expect("the billing date moves");
    assert_eq!(moved, reset.preview.new_plan.next_billing_date);
    let view = present::preview(Locale::En, &facts);
    assert_eq!(view.total, "$65.00");
    assert_eq!(view.button, "Pay $65.00 now");
    let moves = view.billing_moves.expect("the line");
    assert!(moves.starts_with("Your billing date moves to "), "{moves}");
    // What the customer agrees to is that preview: the confirm charges it.
    confirm(&app, ALICE, "pdt_demo_pro", Timing::AsConfigured).await;
    let paid = payments_of(&app, ALICE.1).await;
    assert_eq!(paid[0]["total_amount"], 6500);
    app.stop().await;
}
