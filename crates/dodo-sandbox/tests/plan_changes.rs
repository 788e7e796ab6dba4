//! Plan changes pinned to Dodo's worked example: day 15 of a 30-day cycle, Basic $30,
//! Pro $80, Starter $20.

mod common;

use std::time::Duration;

use common::Api;
use dodo_sandbox::SandboxOptions;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const ALICE: &str = "/subscriptions/sub_demo_alice_basic";
const CAROL: &str = "/subscriptions/sub_demo_carol_basic";

fn body(product: &str, mode: &str) -> Value {
    json!({"product_id": product, "quantity": 1, "proration_billing_mode": mode})
}

fn ts(v: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(v.as_str().expect("timestamp string"), &Rfc3339).expect("RFC 3339")
}

async fn plan_payments(api: &Api, sub: &str) -> Vec<Value> {
    let (_, page) = api
        .get(&format!("/_sandbox/payments?subscription_id={sub}"))
        .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

/// Moves the clock just past the subscription's next billing date.
async fn advance_past_renewal(api: &Api, path: &str) {
    let (_, sub) = api.get(path).await;
    let (_, clock) = api.get("/_sandbox/clock").await;
    let gap = ts(&sub["next_billing_date"]) - ts(&clock["now"]);
    let (status, _) = api
        .post(
            "/_sandbox/clock/advance",
            json!({"seconds": gap.whole_seconds() + 60}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn upgrade_previews_match_the_documented_numbers() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    for (mode, total, credits, factor) in [
        ("prorated_immediately", 2500, -1500, 0.5),
        ("prorated_immediately_keep_cycle", 2500, -1500, 0.5),
        ("difference_immediately", 5000, -3000, 1.0),
        ("full_immediately", 8000, 0, 1.0),
        ("do_not_bill", 0, 0, 0.0),
    ] {
        let (status, preview) = api
            .post(
                &format!("{ALICE}/change-plan/preview"),
                body("pdt_demo_pro", mode),
            )
            .await;
        assert_eq!(status, 200, "{mode}: {preview}");
        let summary = &preview["immediate_charge"]["summary"];
        assert_eq!(summary["total_amount"], total, "{mode}");
        assert_eq!(summary["customer_credits"], credits, "{mode}");
        assert_eq!(summary["currency"], "USD");
        assert_eq!(
            preview["immediate_charge"]["line_items"][0]["proration_factor"], factor,
            "{mode}"
        );
        assert_eq!(preview["new_plan"]["product_id"], "pdt_demo_pro");
        assert_eq!(preview["new_plan"]["recurring_pre_tax_amount"], 8000);
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn change_plan_charges_the_previewed_amount_and_keeps_or_resets_the_cycle() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    for (mode, charged, resets) in [
        ("prorated_immediately", Some(2500), false),
        ("prorated_immediately_keep_cycle", Some(2500), false),
        ("difference_immediately", Some(5000), false),
        ("full_immediately", Some(8000), true),
        ("do_not_bill", None, false),
    ] {
        sandbox.state().reset();
        let (_, before) = api.get(ALICE).await;
        let (status, answer) = api
            .post(&format!("{ALICE}/change-plan"), body("pdt_demo_pro", mode))
            .await;
        assert_eq!(status, 200, "{mode}: {answer}");
        assert!(answer.is_object(), "change-plan answers a JSON object");
        let (_, after) = api.get(ALICE).await;
        assert_eq!(after["product_id"], "pdt_demo_pro", "{mode}");
        let payments = plan_payments(&api, "sub_demo_alice_basic").await;
        match charged {
            Some(amount) => {
                assert_eq!(payments.len(), 1, "{mode}");
                assert_eq!(payments[0]["total_amount"], amount, "{mode}");
                assert_eq!(payments[0]["charge_type"], "plan_change");
                assert_eq!(payments[0]["status"], "succeeded");
            }
            None => assert!(payments.is_empty(), "{mode} charges nothing"),
        }
        let next_before = ts(&before["next_billing_date"]);
        let next_after = ts(&after["next_billing_date"]);
        if resets {
            let prev_after = ts(&after["previous_billing_date"]);
            assert!(next_after > next_before, "{mode} restarts the cycle today");
            assert!(next_after - prev_after >= time::Duration::days(28));
        } else {
            assert_eq!(next_after, next_before, "{mode} keeps the cycle");
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn preview_never_changes_state() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let (_, before) = api
        .get("/_sandbox/subscriptions/sub_demo_alice_basic")
        .await;
    for mode in [
        "prorated_immediately",
        "prorated_immediately_keep_cycle",
        "difference_immediately",
        "full_immediately",
        "do_not_bill",
    ] {
        for effective_at in ["immediately", "next_billing_date"] {
            let mut req = body("pdt_demo_starter", mode);
            req["effective_at"] = json!(effective_at);
            let (status, preview) = api.post(&format!("{ALICE}/change-plan/preview"), req).await;
            assert_eq!(status, 200);
            // new_plan is a complete Subscription.
            let plan = &preview["new_plan"];
            for key in [
                "subscription_id",
                "status",
                "customer",
                "billing",
                "metadata",
                "addons",
                "meters",
                "has_payment_method",
                "next_billing_date",
            ] {
                assert!(!plan[key].is_null(), "new_plan.{key} for {mode}");
            }
        }
    }
    let (_, after) = api
        .get("/_sandbox/subscriptions/sub_demo_alice_basic")
        .await;
    assert_eq!(before, after);
    assert!(plan_payments(&api, "sub_demo_alice_basic").await.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn downgrade_credit_pays_later_renewals() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    // Reach Pro without a charge, then downgrade Pro $80 → Starter $20 with difference.
    let (status, _) = api
        .post(
            &format!("{ALICE}/change-plan"),
            body("pdt_demo_pro", "do_not_bill"),
        )
        .await;
    assert_eq!(status, 200);
    let (_, preview) = api
        .post(
            &format!("{ALICE}/change-plan/preview"),
            body("pdt_demo_starter", "difference_immediately"),
        )
        .await;
    assert_eq!(preview["immediate_charge"]["summary"]["total_amount"], 0);
    assert_eq!(
        preview["immediate_charge"]["summary"]["customer_credits"],
        6000
    );
    let (status, _) = api
        .post(
            &format!("{ALICE}/change-plan"),
            body("pdt_demo_starter", "difference_immediately"),
        )
        .await;
    assert_eq!(status, 200);
    let (_, internal) = api
        .get("/_sandbox/subscriptions/sub_demo_alice_basic")
        .await;
    assert_eq!(internal["credit_balance"], 6000);

    // Three $20 renewals come out of the $60 credit; the fourth is charged.
    for (renewal, credit_left) in [(1, 4000), (2, 2000), (3, 0)] {
        advance_past_renewal(&api, ALICE).await;
        let (_, internal) = api
            .get("/_sandbox/subscriptions/sub_demo_alice_basic")
            .await;
        assert_eq!(
            internal["credit_balance"], credit_left,
            "after renewal {renewal}"
        );
        assert!(plan_payments(&api, "sub_demo_alice_basic").await.is_empty());
    }
    advance_past_renewal(&api, ALICE).await;
    let payments = plan_payments(&api, "sub_demo_alice_basic").await;
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0]["total_amount"], 2000);
    assert_eq!(payments[0]["charge_type"], "renewal");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn scheduled_changes_wait_for_the_renewal_and_can_be_cancelled() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let mut req = body("pdt_demo_starter", "prorated_immediately");
    req["effective_at"] = json!("next_billing_date");

    let (status, _) = api.post(&format!("{ALICE}/change-plan"), req.clone()).await;
    assert_eq!(status, 200);
    let (_, sub) = api.get(ALICE).await;
    assert_eq!(sub["product_id"], "pdt_demo_basic");
    assert_eq!(sub["scheduled_change"]["product_id"], "pdt_demo_starter");
    assert_eq!(
        sub["scheduled_change"]["effective_at"],
        sub["next_billing_date"]
    );

    let (status, _) = api.delete(&format!("{ALICE}/change-plan/scheduled")).await;
    assert_eq!(status, 204);
    let (_, sub) = api.get(ALICE).await;
    assert!(sub["scheduled_change"].is_null());
    let (status, err) = api.delete(&format!("{ALICE}/change-plan/scheduled")).await;
    assert_eq!(status, 404);
    assert_eq!(err["code"], "NOT_FOUND");

    let (status, _) = api.post(&format!("{ALICE}/change-plan"), req).await;
    assert_eq!(status, 200);
    advance_past_renewal(&api, ALICE).await;
    let (_, sub) = api.get(ALICE).await;
    assert_eq!(sub["product_id"], "pdt_demo_starter");
    assert!(sub["scheduled_change"].is_null());
    let payments = plan_payments(&api, "sub_demo_alice_basic").await;
    assert_eq!(payments.len(), 1);
    assert_eq!(
        payments[0]["total_amount"], 2000,
        "the renewal bills the new plan"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn prevent_change_is_409_while_the_charge_is_pending() {
    // A long settle delay keeps the charge `processing` for the whole test.
    let sandbox = common::start(Duration::from_secs(600)).await;
    let api = Api::new(&sandbox.base_url());
    let mut req = body("pdt_demo_pro", "prorated_immediately");
    req["on_payment_failure"] = json!("prevent_change");
    let (status, _) = api.post(&format!("{ALICE}/change-plan"), req.clone()).await;
    assert_eq!(status, 200);
    let (_, sub) = api.get(ALICE).await;
    assert_eq!(
        sub["product_id"], "pdt_demo_basic",
        "not switched before payment"
    );
    let (status, err) = api.post(&format!("{ALICE}/change-plan"), req).await;
    assert_eq!(status, 409);
    assert_eq!(err["code"], "PendingPlanChangeExists");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn prevent_change_applies_only_after_the_charge_succeeds() {
    let sandbox = common::start(Duration::from_millis(50)).await;
    let api = Api::new(&sandbox.base_url());
    let mut req = body("pdt_demo_pro", "difference_immediately");
    req["on_payment_failure"] = json!("prevent_change");
    let (status, _) = api.post(&format!("{ALICE}/change-plan"), req.clone()).await;
    assert_eq!(status, 200);
    common::wait_until("the upgrade is applied", || async {
        api.get(ALICE).await.1["product_id"] == "pdt_demo_pro"
    })
    .await;

    // Carol's card declines: the change is dropped and she stays on Basic, active.
    let (status, _) = api.post(&format!("{CAROL}/change-plan"), req.clone()).await;
    assert_eq!(status, 200);
    common::wait_until("carol's charge fails", || async {
        plan_payments(&api, "sub_demo_carol_basic")
            .await
            .first()
            .is_some_and(|p| p["status"] == "failed")
    })
    .await;
    let (_, sub) = api.get(CAROL).await;
    assert_eq!(sub["product_id"], "pdt_demo_basic");
    assert_eq!(sub["status"], "active");
    let (status, _) = api.post(&format!("{CAROL}/change-plan/preview"), req).await;
    assert_eq!(status, 200, "no pending change is left behind");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn apply_change_failure_goes_on_hold_and_a_new_card_recovers() {
    let receiver = common::receiver(0).await;
    let sandbox = common::start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        webhooks: vec![receiver.endpoint()],
        ..SandboxOptions::default()
    })
    .await;
    let api = Api::new(&sandbox.base_url());
    let mut req = body("pdt_demo_pro", "prorated_immediately");
    req["on_payment_failure"] = json!("apply_change");
    let (status, _) = api.post(&format!("{CAROL}/change-plan"), req).await;
    assert_eq!(status, 200);
    let (_, sub) = api.get(CAROL).await;
    assert_eq!(sub["product_id"], "pdt_demo_pro");
    assert_eq!(sub["status"], "on_hold");
    let failed = plan_payments(&api, "sub_demo_carol_basic").await;
    assert_eq!(failed[0]["error_code"], "CARD_DECLINED");
    common::wait_until("subscription.on_hold delivered", || async {
        !receiver.of_type("subscription.on_hold").is_empty()
    })
    .await;
    let (status, err) = api
        .post(
            &format!("{CAROL}/change-plan"),
            body("pdt_demo_starter", "do_not_bill"),
        )
        .await;
    assert_eq!(status, 422, "no plan change while on hold: {err}");

    // Another customer's card is refused; a new card on the hosted page pays the dues.
    let (status, err) = api
        .post(
            &format!("{CAROL}/update-payment-method"),
            json!({"type": "existing", "payment_method_id": "pm_demo_alice_visa"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, link) = api
        .post(
            &format!("{CAROL}/update-payment-method"),
            json!({"type": "new", "return_url": "https://shop.example/billing"}),
        )
        .await;
    assert_eq!(status, 200);
    let url = link["payment_link"].as_str().expect("payment_link");
    let page = api
        .http
        .get(url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Pay $25.00"), "the dues are the failed $25");
    let resp = api
        .http
        .post(url)
        .form(&[
            ("email", "carol@example.com"),
            ("name", "Carol Declined"),
            ("card_number", "4242 4242 4242 4242"),
            ("expiry", "12/34"),
            ("cvc", "123"),
            ("country", "US"),
        ])
        .send()
        .await
        .expect("submit");
    assert_eq!(resp.status().as_u16(), 303);
    let location = resp.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(
        location,
        "https://shop.example/billing?subscription_id=sub_demo_carol_basic&status=active"
    );
    let (_, sub) = api.get(CAROL).await;
    assert_eq!(sub["status"], "active");
    let paid = plan_payments(&api, "sub_demo_carol_basic").await;
    assert_eq!(paid[0]["status"], "succeeded");
    assert_eq!(paid[0]["total_amount"], 2500);
    common::wait_until("subscription.active delivered", || async {
        !receiver.of_type("subscription.active").is_empty()
    })
    .await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn invalid_changes_are_refused() {
    let sandbox = common::start(Duration::ZERO).await;
    let api = Api::new(&sandbox.base_url());
    let cases = [
        (
            body("pdt_demo_pro", "bill_twice"),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            json!({"product_id": "pdt_demo_pro", "quantity": 1}),
            422,
            "INVALID_REQUEST_BODY",
        ),
        (body("pdt_nope", "do_not_bill"), 404, "NOT_FOUND"),
        (
            body("pdt_demo_course", "do_not_bill"),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            body("pdt_demo_legacy", "do_not_bill"),
            422,
            "PRODUCT_IS_DELETED",
        ),
        (
            json!({"product_id": "pdt_demo_pro", "quantity": 0, "proration_billing_mode": "do_not_bill"}),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            json!({"product_id": "pdt_demo_pro", "quantity": 1, "proration_billing_mode": "do_not_bill", "effective_at": "tomorrow"}),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            json!({"product_id": "pdt_demo_pro", "quantity": 1, "proration_billing_mode": "do_not_bill", "on_payment_failure": "shrug"}),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
    ];
    for (req, status, code) in cases {
        for path in ["change-plan/preview", "change-plan"] {
            let (got, err) = api.post(&format!("{ALICE}/{path}"), req.clone()).await;
            assert_eq!(
                (got, err["code"].as_str()),
                (status, Some(code)),
                "{path} {req}"
            );
            assert!(err["message"].is_string());
        }
    }
    let (status, err) = api
        .post(
            "/subscriptions/sub_nope/change-plan",
            body("pdt_demo_pro", "do_not_bill"),
        )
        .await;
    assert_eq!((status, err["code"].as_str()), (404, Some("NOT_FOUND")));
    let (_, sub) = api.get(ALICE).await;
    assert_eq!(sub["product_id"], "pdt_demo_basic");
    sandbox.shutdown().await;
}
