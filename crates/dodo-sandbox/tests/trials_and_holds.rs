//! Subscriptions in trial (what each proration mode and `effective_at` does to one), on hold
//! after a failed renewal (fixture and control API), and the two readings of
//! `prorated_immediately`.

mod common;

use std::time::Duration;

use common::{Api, Receiver};
use dodo_sandbox::{SandboxHandle, SandboxOptions};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const TARA: &str = "sub_demo_tara_basic_trial";
const ALICE: &str = "sub_demo_alice_basic";

async fn env() -> (SandboxHandle, Api, Receiver) {
    let receiver = common::receiver(0).await;
    let sandbox = common::start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![receiver.endpoint()],
        ..SandboxOptions::default()
    })
    .await;
    let api = Api::new(&sandbox.base_url());
    (sandbox, api, receiver)
}

fn at(v: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(v.as_str().expect("timestamp"), &Rfc3339).expect("RFC 3339")
}

fn change(product: &str, mode: &str) -> Value {
    json!({"product_id": product, "quantity": 1, "proration_billing_mode": mode})
}

async fn now(api: &Api) -> OffsetDateTime {
    let (_, clock) = api.get("/_sandbox/clock").await;
    at(&clock["now"])
}

#[tokio::test]
async fn a_trialing_subscription_reads_as_active_until_its_first_charge() {
    let (sandbox, api, _rx) = env().await;
    let (_, sub) = api.get(&format!("/subscriptions/{TARA}")).await;
    assert_eq!(sub["status"], "active", "Dodo has no trialing status");
    assert_eq!(sub["trial_period_days"], 14);
    assert_eq!(
        at(&sub["next_billing_date"]) - at(&sub["previous_billing_date"]),
        time::Duration::days(14)
    );
    let (_, payments) = api.get(&format!("/payments?subscription_id={TARA}")).await;
    assert_eq!(
        payments["items"],
        json!([]),
        "nothing paid during the trial"
    );
    // The trial's end is the first renewal: Basic's full price.
    api.post("/_sandbox/clock/advance", json!({"days": 10, "minutes": 1}))
        .await;
    let (_, payments) = api.get(&format!("/payments?subscription_id={TARA}")).await;
    assert_eq!(payments["items"][0]["total_amount"], 3000);
    assert_eq!(payments["items"][0]["charge_type"], "renewal");
    common::sdk(&sandbox.base_url())
        .subscriptions()
        .retrieve()
        .subscription_id(TARA)
        .await
        .expect("decodes");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn billing_modes_end_a_trial_with_a_full_charge_and_the_preview_says_so() {
    for mode in [
        "prorated_immediately",
        "prorated_immediately_keep_cycle",
        "difference_immediately",
        "full_immediately",
    ] {
        let (sandbox, api, _rx) = env().await;
        let (_, preview) = api
            .post(
                &format!("/subscriptions/{TARA}/change-plan/preview"),
                change("pdt_demo_pro", mode),
            )
            .await;
        let summary = &preview["immediate_charge"]["summary"];
        assert_eq!(
            (
                summary["total_amount"].as_i64(),
                summary["customer_credits"].as_i64()
            ),
            (Some(8000), Some(0)),
            "{mode}"
        );
        assert_eq!(
            preview["immediate_charge"]["line_items"][0]["proration_factor"],
            1.0
        );
        let promised = at(&preview["new_plan"]["next_billing_date"]);
        let today = now(&api).await;
        assert!(
            promised - today > time::Duration::days(27),
            "{mode}: a month from today, not the trial end"
        );
        let (status, _) = api
            .post(
                &format!("/subscriptions/{TARA}/change-plan"),
                change("pdt_demo_pro", mode),
            )
            .await;
        assert_eq!(status, 200);
        let (_, sub) = api.get(&format!("/subscriptions/{TARA}")).await;
        assert_eq!(
            (sub["product_id"].as_str(), sub["next_billing_date"].clone()),
            (
                Some("pdt_demo_pro"),
                preview["new_plan"]["next_billing_date"].clone()
            ),
            "{mode}"
        );
        let (_, payments) = api.get(&format!("/payments?subscription_id={TARA}")).await;
        assert_eq!(payments["items"][0]["total_amount"], 8000, "{mode}");
        sandbox.shutdown().await;
    }
}

#[tokio::test]
async fn do_not_bill_and_a_scheduled_change_keep_the_trial() {
    let (sandbox, api, _rx) = env().await;
    let (_, before) = api.get(&format!("/subscriptions/{TARA}")).await;
    let (_, preview) = api
        .post(
            &format!("/subscriptions/{TARA}/change-plan/preview"),
            change("pdt_demo_pro", "do_not_bill"),
        )
        .await;
    assert_eq!(preview["immediate_charge"]["summary"]["total_amount"], 0);
    assert_eq!(
        preview["new_plan"]["next_billing_date"],
        before["next_billing_date"]
    );
    api.post(
        &format!("/subscriptions/{TARA}/change-plan"),
        change("pdt_demo_pro", "do_not_bill"),
    )
    .await;
    let (_, sub) = api.get(&format!("/subscriptions/{TARA}")).await;
    assert_eq!(
        (sub["product_id"].as_str(), sub["next_billing_date"].clone()),
        (Some("pdt_demo_pro"), before["next_billing_date"].clone())
    );
    // Scheduled for the trial's end: the first charge is the new plan.
    let mut scheduled = change("pdt_demo_starter", "prorated_immediately");
    scheduled["effective_at"] = json!("next_billing_date");
    let (_, preview) = api
        .post(
            &format!("/subscriptions/{TARA}/change-plan/preview"),
            scheduled.clone(),
        )
        .await;
    assert_eq!(preview["immediate_charge"]["summary"]["total_amount"], 0);
    assert_eq!(
        preview["new_plan"]["scheduled_change"]["effective_at"],
        before["next_billing_date"]
    );
    api.post(&format!("/subscriptions/{TARA}/change-plan"), scheduled)
        .await;
    api.post("/_sandbox/clock/advance", json!({"days": 10, "minutes": 1}))
        .await;
    let (_, payments) = api.get(&format!("/payments?subscription_id={TARA}")).await;
    assert_eq!(payments["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        payments["items"][0]["total_amount"], 2000,
        "Starter, charged at the trial's end"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn henry_starts_on_hold_with_a_usable_card_to_recover_with() {
    let (sandbox, api, rx) = env().await;
    let (_, sub) = api.get("/subscriptions/sub_demo_henry_basic").await;
    assert_eq!(sub["status"], "on_hold");
    let (_, failed) = api.get("/payments/pay_demo_henry_failed_renewal").await;
    assert_eq!(
        (
            failed["status"].as_str(),
            failed["error_code"].as_str(),
            failed["charge_type"].as_str()
        ),
        (Some("failed"), Some("CARD_DECLINED"), Some("renewal"))
    );
    assert_eq!(failed["total_amount"], 3000);
    let (_, methods) = api.get("/customers/cus_demo_henry/payment-methods").await;
    assert_eq!(
        methods["items"][1]["payment_method_id"],
        "pm_demo_henry_visa"
    );
    let (status, _) = api
        .post(
            "/subscriptions/sub_demo_henry_basic/change-plan",
            change("pdt_demo_pro", "prorated_immediately"),
        )
        .await;
    assert_eq!(status, 422, "no plan change while on hold");
    let (status, _) = api
        .post(
            "/subscriptions/sub_demo_henry_basic/update-payment-method",
            json!({"type": "existing", "payment_method_id": "pm_demo_henry_visa"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, sub) = api.get("/subscriptions/sub_demo_henry_basic").await;
    assert_eq!(sub["status"], "active");
    assert!(
        at(&sub["next_billing_date"]) > now(&api).await,
        "the paid renewal moved the cycle on"
    );
    common::wait_until("subscription.active", || async {
        !rx.of_type("subscription.active").is_empty()
    })
    .await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_control_api_puts_a_subscription_on_hold_like_a_failed_renewal() {
    let (sandbox, api, rx) = env().await;
    let (status, sub) = api
        .post(
            &format!("/_sandbox/subscriptions/{ALICE}/hold"),
            json!({"error_code": "INSUFFICIENT_FUNDS"}),
        )
        .await;
    assert_eq!(
        (status, sub["status"].as_str()),
        (200, Some("on_hold")),
        "{sub}"
    );
    let (_, payments) = api
        .get(&format!("/payments?subscription_id={ALICE}&status=failed"))
        .await;
    let failed = &payments["items"][0];
    assert_eq!(
        (
            failed["error_code"].as_str(),
            failed["total_amount"].as_i64(),
            failed["charge_type"].as_str()
        ),
        (Some("INSUFFICIENT_FUNDS"), Some(3000), Some("renewal"))
    );
    common::wait_until("on_hold and payment.failed", || async {
        !rx.of_type("subscription.on_hold").is_empty() && !rx.of_type("payment.failed").is_empty()
    })
    .await;
    assert_eq!(
        rx.of_type("subscription.on_hold")[0].json["data"]["subscription_id"],
        ALICE
    );
    let (_, state) = api.get(&format!("/_sandbox/subscriptions/{ALICE}")).await;
    assert_eq!(state["dues"], json!({"amount": 3000, "renewal": true}));
    let (status, _) = api
        .post(&format!("/_sandbox/subscriptions/{ALICE}/hold"), json!({}))
        .await;
    assert_eq!(status, 422, "already on hold");
    let (status, _) = api
        .post("/_sandbox/subscriptions/sub_nope/hold", json!({}))
        .await;
    assert_eq!(status, 404);
    let (status, _) = api
        .post(
            &format!("/_sandbox/subscriptions/{ALICE}/hold"),
            json!({"error_code": "nope lower"}),
        )
        .await;
    assert_eq!(status, 422);
    sandbox.shutdown().await;
}

/// Day 15 of 30 on Basic $30 → Pro $80. keep_cycle: $15 credit, $40 for the rest of the
/// cycle, $25 now, billing date kept. reset_cycle: $15 credit, a full $80 cycle from today,
/// $65 now, next billing a month from today.
#[tokio::test]
async fn the_two_readings_of_prorated_immediately() {
    let (sandbox, api, _rx) = env().await;
    let (_, settings) = api.get("/_sandbox/settings").await;
    assert_eq!(settings, json!({"prorated_immediately": "keep_cycle"}));
    let (_, before) = api.get(&format!("/subscriptions/{ALICE}")).await;
    let preview = |mode: &'static str| {
        let api = &api;
        async move {
            let (_, p) = api
                .post(
                    &format!("/subscriptions/{ALICE}/change-plan/preview"),
                    change("pdt_demo_pro", mode),
                )
                .await;
            p
        }
    };
    let kept = preview("prorated_immediately").await;
    assert_eq!(kept["immediate_charge"]["summary"]["total_amount"], 2500);
    assert_eq!(
        kept["new_plan"]["next_billing_date"],
        before["next_billing_date"]
    );

    let (status, _) = api
        .put(
            "/_sandbox/settings",
            json!({"prorated_immediately": "reset_cycle"}),
        )
        .await;
    assert_eq!(status, 200);
    let reset = preview("prorated_immediately").await;
    let summary = &reset["immediate_charge"]["summary"];
    assert_eq!(
        (
            summary["total_amount"].as_i64(),
            summary["customer_credits"].as_i64()
        ),
        (Some(6500), Some(-1500))
    );
    assert_eq!(
        reset["immediate_charge"]["line_items"][0]["proration_factor"],
        1.0
    );
    let next = at(&reset["new_plan"]["next_billing_date"]);
    let today = now(&api).await;
    assert!(
        (28..=31).contains(&(next - today).whole_days()),
        "a month from today: {next}"
    );
    let keep = preview("prorated_immediately_keep_cycle").await;
    assert_eq!(
        keep["immediate_charge"]["summary"]["total_amount"], 2500,
        "_keep_cycle always keeps it"
    );
    assert_eq!(
        keep["new_plan"]["next_billing_date"],
        before["next_billing_date"]
    );

    api.post(
        &format!("/subscriptions/{ALICE}/change-plan"),
        change("pdt_demo_pro", "prorated_immediately"),
    )
    .await;
    let (_, after) = api.get(&format!("/subscriptions/{ALICE}")).await;
    assert_eq!(
        after["next_billing_date"], reset["new_plan"]["next_billing_date"],
        "change-plan does what the preview said"
    );
    let (_, payments) = api.get(&format!("/payments?subscription_id={ALICE}")).await;
    assert_eq!(payments["items"][0]["total_amount"], 6500);

    let (status, _) = api
        .put(
            "/_sandbox/settings",
            json!({"prorated_immediately": "sometimes"}),
        )
        .await;
    assert_eq!(status, 422);
    api.post("/_sandbox/reset", json!({})).await;
    let (_, settings) = api.get("/_sandbox/settings").await;
    assert_eq!(
        settings["prorated_immediately"], "keep_cycle",
        "reset restores the fixtures' reading"
    );
    sandbox.shutdown().await;
}
