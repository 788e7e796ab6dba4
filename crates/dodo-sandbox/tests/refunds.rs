//! Refunds: full and partial, Dodo's refusals, `refund.*` webhooks, the payment's
//! `refunds`/`refund_status`, lists with filters, and the control API's failing and
//! silent ("missed") refunds.

mod common;

use std::time::Duration;

use common::{Api, Receiver};
use dodo_sandbox::{SandboxHandle, SandboxOptions};
use serde_json::{Value, json};

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

/// Alice buys the course ($49.00) one-click; returns the payment id once it succeeded.
async fn paid_course(api: &Api) -> String {
    let (status, created) = api
        .one_click("cus_demo_alice", "pm_demo_alice_visa", "pdt_demo_course")
        .await;
    assert_eq!(status, 200, "{created}");
    let id = created["payment_id"]
        .as_str()
        .expect("payment id")
        .to_owned();
    assert_eq!(api.payment_status(&id).await, "succeeded");
    id
}

#[tokio::test]
async fn a_full_refund_succeeds_notifies_and_marks_the_payment() {
    let (sandbox, api, receiver) = env().await;
    let payment = paid_course(&api).await;
    let (status, refund) = api
        .post(
            "/refunds",
            json!({"payment_id": payment, "reason": "changed my mind"}),
        )
        .await;
    assert_eq!(status, 200, "{refund}");
    assert_eq!(refund["status"], "pending");
    assert_eq!(refund["amount"], 4900);
    assert_eq!(refund["currency"], "USD");
    assert_eq!(refund["is_partial"], false);
    assert_eq!(refund["customer"]["customer_id"], "cus_demo_alice");
    let id = refund["refund_id"].as_str().expect("id").to_owned();
    assert!(id.starts_with("ref_"));

    let (_, got) = api.get(&format!("/refunds/{id}")).await;
    assert_eq!(got["status"], "succeeded");
    assert_eq!(got["reason"], "changed my mind");
    common::wait_until("refund.succeeded", || async {
        !receiver.of_type("refund.succeeded").is_empty()
    })
    .await;
    let data = &receiver.of_type("refund.succeeded")[0].json["data"];
    assert_eq!(data["payload_type"], "Refund");
    assert_eq!(data["refund_id"], id.as_str());
    assert_eq!(data["status"], "succeeded");

    let (_, p) = api.get(&format!("/payments/{payment}")).await;
    assert_eq!(
        p["status"], "succeeded",
        "a refunded payment stays succeeded"
    );
    assert_eq!(p["refund_status"], "full");
    assert_eq!(p["refunds"][0]["refund_id"], id.as_str());
    assert_eq!(p["refunds"][0]["amount"], 4900);

    let (status, again) = api.post("/refunds", json!({"payment_id": payment})).await;
    assert_eq!(
        (status, again["code"].as_str()),
        (422, Some("INVALID_REQUEST_PARAMETERS"))
    );

    // The official SDK reads all three shapes.
    let sdk = common::sdk(&sandbox.base_url());
    let r = sdk
        .refunds()
        .retrieve()
        .refund_id(&id)
        .await
        .expect("Refund decodes");
    assert_eq!(r.amount, Some(4900));
    let list = sdk
        .refunds()
        .list()
        .query(json!({"customer_id": "cus_demo_alice"}))
        .await
        .expect("refund page decodes");
    assert_eq!(list.items.len(), 1);
    let paid = sdk
        .payments()
        .retrieve()
        .payment_id(&payment)
        .await
        .expect("Payment decodes");
    assert_eq!(paid.refunds.len(), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn partial_refunds_add_up_and_cannot_exceed_what_was_paid() {
    let (sandbox, api, _receiver) = env().await;
    let payment = paid_course(&api).await;
    let item = |amount: Value| json!({"payment_id": payment, "items": [{"item_id": "pdt_demo_course", "amount": amount}]});
    let (status, err) = api.post("/refunds", item(json!(5000))).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (422, Some("INVALID_REQUEST_PARAMETERS")),
        "more than paid: {err}"
    );
    let (status, err) = api.post("/refunds", item(json!(0))).await;
    assert_eq!(status, 422, "zero: {err}");
    let (status, first) = api.post("/refunds", item(json!(1000))).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["amount"].as_i64(), first["is_partial"].as_bool()),
        (Some(1000), Some(true))
    );
    let (_, p) = api.get(&format!("/payments/{payment}")).await;
    assert_eq!(p["refund_status"], "partial");
    let (status, err) = api.post("/refunds", item(json!(3901))).await;
    assert_eq!(status, 422, "only 3900 left: {err}");
    let (status, rest) = api.post("/refunds", json!({"payment_id": payment})).await;
    assert_eq!((status, rest["amount"].as_i64()), (200, Some(3900)));
    let (_, p) = api.get(&format!("/payments/{payment}")).await;
    assert_eq!(p["refund_status"], "full");
    assert_eq!(p["refunds"].as_array().map(Vec::len), Some(2));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn refunds_dodo_refuses() {
    let (sandbox, api, _receiver) = env().await;
    let payment = paid_course(&api).await;
    let cases = [
        (json!({}), 422, "INVALID_REQUEST_BODY"),
        (json!({"payment_id": "pay_nope"}), 404, "NOT_FOUND"),
        // Henry's failed renewal (fixtures): nothing was paid.
        (
            json!({"payment_id": "pay_demo_henry_failed_renewal"}),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            json!({"payment_id": payment, "items": [{"item_id": "pdt_demo_addon"}]}),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            json!({"payment_id": payment, "items": []}),
            422,
            "INVALID_REQUEST_PARAMETERS",
        ),
        (
            json!({"payment_id": payment, "reason": "x".repeat(3001)}),
            422,
            "INVALID_REQUEST_BODY",
        ),
        (
            json!({"payment_id": payment, "metadata": {"a": 1}}),
            422,
            "INVALID_REQUEST_BODY",
        ),
    ];
    for (body, status, code) in cases {
        let (got, err) = api.post("/refunds", body.clone()).await;
        assert_eq!(
            (got, err["code"].as_str()),
            (status, Some(code)),
            "{body}: {err}"
        );
    }
    let (got, err) = api.post_raw("/refunds", "").await;
    assert_eq!(
        (got, err["code"].as_str()),
        (422, Some("INVALID_REQUEST_BODY")),
        "no body"
    );
    // Dodo allows refunds for 30 days only.
    api.post("/_sandbox/clock/advance", json!({"days": 31}))
        .await;
    let (got, err) = api.post("/refunds", json!({"payment_id": payment})).await;
    assert_eq!(got, 422, "too old: {err}");
    let (_, list) = api.get("/refunds").await;
    assert_eq!(list["items"], json!([]), "nothing was refunded");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_failing_refund_and_a_refund_the_app_never_hears_of() {
    let (sandbox, api, receiver) = env().await;
    let first = paid_course(&api).await;
    let (status, _) = api.post("/_sandbox/refunds/fail-next", json!({})).await;
    assert_eq!(status, 200);
    let (_, refund) = api.post("/refunds", json!({"payment_id": first})).await;
    let id = refund["refund_id"].as_str().expect("id").to_owned();
    common::wait_until("refund.failed", || async {
        !receiver.of_type("refund.failed").is_empty()
    })
    .await;
    assert_eq!(
        receiver.of_type("refund.failed")[0].json["data"]["refund_id"],
        id.as_str()
    );
    let (_, p) = api.get(&format!("/payments/{first}")).await;
    assert_eq!(
        p["refund_status"],
        Value::Null,
        "a failed refund refunds nothing"
    );
    assert_eq!(p["refunds"][0]["status"], "failed");
    // Only the next one failed: this one succeeds.
    let (_, retried) = api.post("/refunds", json!({"payment_id": first})).await;
    let (_, retried) = api
        .get(&format!(
            "/refunds/{}",
            retried["refund_id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(retried["status"], "succeeded");

    // Refunded in "the dashboard", no webhook.
    let second = paid_course(&api).await;
    let (status, silent) = api
        .post(
            "/_sandbox/refunds",
            json!({"payment_id": second, "notify": false, "reason": "dashboard"}),
        )
        .await;
    assert_eq!(
        (status, silent["status"].as_str()),
        (200, Some("succeeded")),
        "{silent}"
    );
    let silent_id = silent["refund_id"].as_str().expect("id").to_owned();
    let (_, listed) = api
        .get("/refunds?status=succeeded&customer_id=cus_demo_alice")
        .await;
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["refund_id"].as_str())
        .collect();
    assert_eq!(
        ids.first().copied(),
        Some(silent_id.as_str()),
        "newest first: {ids:?}"
    );
    assert_eq!(ids.len(), 2);
    // A delivery for the retried refund proves webhooks flow; none names the silent one.
    common::wait_until("refund.succeeded of the retry", || async {
        !receiver.of_type("refund.succeeded").is_empty()
    })
    .await;
    let (_, log) = api
        .get(&format!(
            "/_sandbox/webhooks/deliveries?object_id={silent_id}"
        ))
        .await;
    assert_eq!(log["items"], json!([]));
    assert!(
        receiver
            .received()
            .iter()
            .all(|r| r.json["data"]["refund_id"] != silent_id.as_str())
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn list_filters_are_checked_like_dodo() {
    let (sandbox, api, _receiver) = env().await;
    let payment = paid_course(&api).await;
    api.post("/refunds", json!({"payment_id": payment})).await;
    for bad in [
        "status=AAA",
        "page_number=2147483648",
        "page_size=101",
        "created_at_gte=yesterday",
    ] {
        let (status, err) = api.get(&format!("/refunds?{bad}")).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (422, Some("INVALID_REQUEST_PARAMETERS")),
            "{bad}"
        );
    }
    let (_, none) = api.get("/refunds?status=failed").await;
    assert_eq!(none["items"], json!([]));
    let (_, other) = api.get("/refunds?customer_id=cus_demo_bob").await;
    assert_eq!(other["items"], json!([]));
    let (_, page) = api.get("/refunds?page_size=1&page_number=1").await;
    assert_eq!(page["items"], json!([]), "past the end: an empty page");
    let (_, all) = api
        .get("/refunds?created_at_gte=2000-01-01T00:00:00Z")
        .await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(1));
    sandbox.shutdown().await;
}
