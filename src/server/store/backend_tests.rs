//! Store tests, run on both backends: every `store_test!` makes a `sqlite_*` test (a fresh
//! temporary file) and a `postgres_*` test (a fresh database, when `TEST_POSTGRES_URL` is set;
//! `scripts/test-postgres.sh` runs those).

use super::*;
use std::sync::Arc;

pub(crate) async fn fresh_sqlite() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("dodo-upsell-test-{}", new_id("db")));
    let url = format!("sqlite://{}/app.db", dir.display());
    (Store::open(&url).await.expect("open sqlite"), dir)
}

macro_rules! store_test {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let (store, dir) = fresh_sqlite().await;
                $body(store.clone()).await;
                store.close().await;
                let _ = std::fs::remove_dir_all(dir);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some((url, name)) = crate::server::store::tests::fresh_postgres().await else {
                    eprintln!(
                        "TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)"
                    );
                    return;
                };
                let store = Store::open(&url).await.expect("open postgres");
                $body(store.clone()).await;
                store.close().await;
                crate::server::store::tests::drop_postgres(&name).await;
            }
        }
    };
}

fn new_attempt(key: &str) -> NewChargeAttempt {
    NewChargeAttempt {
        idempotency_key: key.to_string(),
        kind: "upsell".into(),
        offer_id: Some("off_1".into()),
        customer_id: "cus_1".into(),
        product_id: "pdt_1".into(),
        amount_minor: 4900,
        currency: "USD".into(),
        request_json: "{}".into(),
    }
}

async fn one_attempt_and_one_claim_under_concurrency(store: Store) {
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let (attempt, created) = store
                .record_charge_attempt(&new_attempt("offer:off_1"))
                .await
                .expect("record");
            let claimed = store
                .claim_attempt(AttemptTable::Charge, &attempt.id)
                .await
                .expect("claim");
            (attempt.id, created, claimed)
        }));
    }
    let mut ids = std::collections::HashSet::new();
    let (mut created, mut claimed) = (0, 0);
    for task in tasks {
        let (id, c, k) = task.await.expect("task");
        ids.insert(id);
        created += usize::from(c);
        claimed += usize::from(k);
    }
    assert_eq!(ids.len(), 1, "every caller sees the same attempt");
    assert_eq!(created, 1, "exactly one caller created it");
    assert_eq!(claimed, 1, "exactly one caller may send it");
}
store_test!(
    concurrent_accepts,
    one_attempt_and_one_claim_under_concurrency
);

async fn final_states_never_regress(store: Store) {
    let (attempt, _) = store
        .record_charge_attempt(&new_attempt("offer:off_2"))
        .await
        .expect("record");
    assert!(
        store
            .claim_attempt(AttemptTable::Charge, &attempt.id)
            .await
            .expect("claim")
    );
    store
        .mark_attempt_accepted(AttemptTable::Charge, &attempt.id, Some("pay_1"), None)
        .await
        .expect("accepted");
    let state = |status| SettledState {
        status,
        dodo_payment_id: "pay_1".into(),
        payment_link: None,
        error_code: None,
        error_message: None,
    };
    let mut conn = store.pool().acquire().await.expect("conn");
    assert!(
        apply_payment_state(
            &mut conn,
            Some(&attempt.id),
            &state(AttemptStatus::Succeeded)
        )
        .await
        .expect("apply")
    );
    // A late `processing` and a duplicate `succeeded` change nothing.
    assert!(
        !apply_payment_state(&mut conn, Some(&attempt.id), &state(AttemptStatus::Pending))
            .await
            .expect("apply")
    );
    assert!(
        !apply_payment_state(&mut conn, None, &state(AttemptStatus::Failed))
            .await
            .expect("apply")
    );
    drop(conn);
    let stored = store
        .charge_attempt(&attempt.id)
        .await
        .expect("load")
        .expect("exists");
    assert_eq!(stored.status, AttemptStatus::Succeeded);
    assert!(stored.settled_at.is_some());
    // Dodo's late answer does not undo the webhook's outcome.
    store
        .mark_attempt_accepted(AttemptTable::Charge, &attempt.id, Some("pay_1"), None)
        .await
        .expect("accepted again");
    assert_eq!(
        store
            .charge_attempt(&attempt.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        AttemptStatus::Succeeded
    );
}
store_test!(no_regression, final_states_never_regress);

async fn unknown_attempts_are_listed_for_reconciliation(store: Store) {
    let (attempt, _) = store
        .record_charge_attempt(&new_attempt("offer:off_3"))
        .await
        .expect("record");
    store
        .claim_attempt(AttemptTable::Charge, &attempt.id)
        .await
        .expect("claim");
    store
        .mark_attempt_unknown(AttemptTable::Charge, &attempt.id, "timeout")
        .await
        .expect("unknown");
    let open = store
        .unsettled_charge_attempts(now_millis() + 1)
        .await
        .expect("list");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].status, AttemptStatus::Unknown);
    store
        .mark_attempt_not_found(AttemptTable::Charge, &attempt.id)
        .await
        .expect("not found");
    assert!(
        store
            .unsettled_charge_attempts(now_millis() + 1)
            .await
            .expect("list")
            .is_empty()
    );
    // A never-sent attempt expires; a sent one cannot.
    let (fresh, _) = store
        .record_charge_attempt(&new_attempt("offer:off_4"))
        .await
        .expect("record");
    assert!(
        store
            .mark_attempt_expired(AttemptTable::Charge, &fresh.id)
            .await
            .expect("expire")
    );
    assert!(
        !store
            .claim_attempt(AttemptTable::Charge, &fresh.id)
            .await
            .expect("claim after expiry")
    );
}
store_test!(
    reconciliation_listing,
    unknown_attempts_are_listed_for_reconciliation
);

async fn offers_decisions_and_suppressions(store: Store) {
    let new = NewOffer {
        kind: "upsell".into(),
        customer_id: "cus_9".into(),
        product_id: "pdt_9".into(),
        price_minor: 2900,
        currency: "USD".into(),
        source_payment_id: Some("pay_src".into()),
        rule_id: "rule".into(),
        step: 1,
        expires_at: now_millis() + 60_000,
    };
    let first = store.create_or_get_offer(&new).await.expect("offer");
    let again = store.create_or_get_offer(&new).await.expect("offer again");
    assert_eq!(first, again, "a reload shows the same offer");
    store
        .record_impression(&first.id, false)
        .await
        .expect("impression");
    assert_eq!(
        store
            .record_decision(&first.id, Decision::Declined)
            .await
            .unwrap(),
        Decision::Declined
    );
    assert_eq!(
        store
            .record_decision(&first.id, Decision::Accepted)
            .await
            .unwrap(),
        Decision::Declined
    );
    let (latest, _) = store
        .latest_decision_for_product("cus_9", "pdt_9")
        .await
        .unwrap()
        .expect("decision");
    assert_eq!(latest, Decision::Declined);

    assert!(!store.is_suppressed("cus_9", "pdt_9").await.unwrap());
    store.suppress("cus_9", ALL_OFFERS).await.unwrap();
    store.suppress("cus_9", ALL_OFFERS).await.unwrap();
    assert!(store.is_suppressed("cus_9", "pdt_anything").await.unwrap());
    store.unsuppress("cus_9", ALL_OFFERS).await.unwrap();
    assert!(!store.is_suppressed("cus_9", "pdt_9").await.unwrap());
}
store_test!(offers, offers_decisions_and_suppressions);

async fn webhook_events_are_stored_once(store: Store) {
    let event = WebhookInsert {
        webhook_id: "msg_1",
        event_type: "payment.succeeded",
        body: "{}",
    };
    let mut tx = store.pool().begin().await.expect("tx");
    assert!(insert_webhook_event(&mut tx, &event).await.expect("insert"));
    mark_webhook_processed(&mut tx, "msg_1", None)
        .await
        .expect("processed");
    tx.commit().await.expect("commit");
    let mut tx = store.pool().begin().await.expect("tx");
    assert!(
        !insert_webhook_event(&mut tx, &event)
            .await
            .expect("duplicate")
    );
    tx.commit().await.expect("commit");
}
store_test!(webhook_dedupe, webhook_events_are_stored_once);

async fn plan_change_attempts_settle_on_plan_changed(store: Store) {
    let new = NewPlanChangeAttempt {
        idempotency_key: "pc:1".into(),
        subscription_id: "sub_1".into(),
        customer_id: "cus_1".into(),
        from_product_id: "pdt_basic".into(),
        to_product_id: "pdt_pro".into(),
        quantity: 1,
        request_json: "{}".into(),
        previewed_total_minor: 2500,
        currency: "USD".into(),
    };
    let (attempt, created) = store
        .record_plan_change_attempt(&new)
        .await
        .expect("record");
    assert!(created);
    let (same, created_again) = store
        .record_plan_change_attempt(&new)
        .await
        .expect("record again");
    assert_eq!(same.id, attempt.id);
    assert!(!created_again);
    assert!(
        store
            .claim_attempt(AttemptTable::PlanChange, &attempt.id)
            .await
            .unwrap()
    );
    store
        .mark_attempt_accepted(AttemptTable::PlanChange, &attempt.id, None, None)
        .await
        .unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(
        !apply_plan_changed(&mut conn, "sub_1", "pdt_other", 1)
            .await
            .unwrap()
    );
    assert!(
        apply_plan_changed(&mut conn, "sub_1", "pdt_pro", 1)
            .await
            .unwrap()
    );
    drop(conn);
    let latest = store
        .latest_plan_change_attempt("sub_1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.status, AttemptStatus::Succeeded);
}
store_test!(plan_changes, plan_change_attempts_settle_on_plan_changed);

async fn a_purchase_binds_its_first_session_only(store: Store) {
    assert!(
        store
            .bind_purchase("pay_1", "ses_a", "cus_1")
            .await
            .unwrap()
    );
    assert!(
        store
            .bind_purchase("pay_1", "ses_a", "cus_1")
            .await
            .unwrap(),
        "a reload keeps it"
    );
    assert!(
        !store
            .bind_purchase("pay_1", "ses_b", "cus_1")
            .await
            .unwrap(),
        "a second browser does not"
    );
}
store_test!(bindings, a_purchase_binds_its_first_session_only);
