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
                let Some((url, name)) = crate::server::store::testing::fresh_postgres().await
                else {
                    eprintln!(
                        "TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)"
                    );
                    return;
                };
                let store = Store::open(&url).await.expect("open postgres");
                $body(store.clone()).await;
                store.close().await;
                crate::server::store::testing::drop_postgres(&name).await;
            }
        }
    };
}

/// An offer row with a known id (decisions refer to offers).
async fn offer(store: &Store, id: &str) {
    sqlx::query(
        "INSERT INTO offers (id, kind, customer_id, product_id, price_minor, currency, rule_id, step, created_at, expires_at) \
         VALUES ($1, 'upsell', 'cus_1', 'pdt_x', 4900, 'USD', 'rule', 1, 0, 0) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .execute(store.pool())
    .await
    .expect("offer");
}

async fn offers(store: &Store, ids: &[&str]) {
    for id in ids {
        offer(store, id).await;
    }
}

fn charge(key: &str, offer: &str, product: &str) -> NewAttempt {
    NewAttempt {
        kind: AttemptKind::Charge,
        idempotency_key: key.to_string(),
        customer_id: "cus_1".into(),
        offer_id: Some(offer.into()),
        product_id: product.into(),
        quantity: 1,
        subscription_id: None,
        from_product_id: None,
        amount_minor: 4900,
        currency: "USD".into(),
        exclusive: true,
        order_json: "{}".into(),
    }
}

fn plan_change(key: &str, subscription: &str) -> NewAttempt {
    NewAttempt {
        kind: AttemptKind::PlanChange,
        idempotency_key: key.to_string(),
        customer_id: "cus_1".into(),
        offer_id: None,
        product_id: "pdt_pro".into(),
        quantity: 1,
        subscription_id: Some(subscription.into()),
        from_product_id: Some("pdt_basic".into()),
        amount_minor: 2500,
        currency: "USD".into(),
        exclusive: false,
        order_json: "{}".into(),
    }
}

fn new_of(recorded: &Recorded) -> Option<&Attempt> {
    match recorded {
        Recorded::New(a) => Some(a),
        _ => None,
    }
}

async fn one_attempt_and_one_claim_under_concurrency(store: Store) {
    offer(&store, "off_1").await;
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let recorded = store
                .record_attempt(&charge("offer:off_1", "off_1", "pdt_1"))
                .await
                .expect("record");
            let (id, created) = match recorded {
                Recorded::New(a) => (a.id, true),
                Recorded::Existing(a) => (a.id, false),
                Recorded::Refused(r) => panic!("refused: {r:?}"),
            };
            let claimed = store.claim_attempt(&id).await.expect("claim");
            (id, created, claimed)
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

async fn two_offers_of_one_product_make_one_attempt(store: Store) {
    for i in 0..20 {
        offer(&store, &format!("off_{i}")).await;
    }
    offers(&store, &["off_c", "off_r1", "off_r2"]).await;
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let offer = format!("off_{i}");
            store
                .record_attempt(&charge(&format!("offer:{offer}"), &offer, "pdt_addon"))
                .await
                .expect("record")
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("task"));
    }
    let winners: Vec<&Attempt> = outcomes.iter().filter_map(new_of).collect();
    assert_eq!(winners.len(), 1, "one offer gets to charge the product");
    let winner = winners[0].id.clone();
    assert!(
        outcomes.iter().all(|o| match o {
            Recorded::New(_) => true,
            Recorded::Refused(Refusal::Owned { holder }) =>
                holder.as_ref().map(|h| h.id.as_str()) == Some(winner.as_str()),
            _ => false,
        }),
        "every other offer is refused, naming the holder: {outcomes:?}"
    );
    // The winner fails for sure: the product is free again; a known purchase holds it for good.
    assert!(store.claim_attempt(&winner).await.unwrap());
    let failed = Outcome::Failed {
        code: "CARD_DECLINED".into(),
        message: "declined".into(),
        provisional: false,
    };
    assert!(store.settle_attempt(&winner, &failed, None).await.unwrap());
    assert_eq!(
        store.product_claim("cus_1", "pdt_addon").await.unwrap(),
        None
    );
    let retry = store
        .record_attempt(&charge("checkout:off_0:0", "off_0", "pdt_addon"))
        .await
        .unwrap();
    assert!(
        new_of(&retry).is_some(),
        "after a failure it may be bought: {retry:?}"
    );
    store
        .record_known_purchase("cus_1", "pdt_course", "pay_outside")
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_attempt(&charge("offer:off_c", "off_c", "pdt_course"))
            .await
            .unwrap(),
        Recorded::Refused(Refusal::Owned { holder: None })
    ));
    // Repeatable products claim nothing.
    let mut repeat = charge("offer:off_r1", "off_r1", "pdt_credits");
    repeat.exclusive = false;
    assert!(new_of(&store.record_attempt(&repeat).await.unwrap()).is_some());
    let mut again = charge("offer:off_r2", "off_r2", "pdt_credits");
    again.exclusive = false;
    assert!(new_of(&store.record_attempt(&again).await.unwrap()).is_some());
}
store_test!(
    one_product_one_purchase,
    two_offers_of_one_product_make_one_attempt
);

async fn a_decline_and_an_accept_of_one_offer_exclude_each_other(store: Store) {
    for round in 0..10 {
        offer(&store, &format!("off_race_{round}")).await;
    }
    offer(&store, "off_x").await;
    let store = Arc::new(store);
    for round in 0..10 {
        let offer = format!("off_race_{round}");
        let (a, b) = (store.clone(), store.clone());
        let (o1, o2) = (offer.clone(), offer.clone());
        let accept = tokio::spawn(async move {
            a.record_attempt(&charge(&format!("offer:{o1}"), &o1, &format!("pdt_{o1}")))
                .await
                .expect("record")
        });
        let decline = tokio::spawn(async move { b.decline_offer(&o2).await.expect("decline") });
        let (recorded, declined) = (accept.await.unwrap(), decline.await.unwrap());
        match (&recorded, declined) {
            (Recorded::New(_), Decision::Accepted) => {}
            (Recorded::Refused(Refusal::Decided(Decision::Declined)), Decision::Declined) => {}
            other => panic!("round {round}: both or neither won: {other:?}"),
        }
        assert_eq!(
            store.decision(&offer).await.unwrap(),
            Some(if new_of(&recorded).is_some() {
                Decision::Accepted
            } else {
                Decision::Declined
            })
        );
    }
    // After the only attempt failed, "No thanks" is allowed.
    let recorded = store
        .record_attempt(&charge("offer:off_x", "off_x", "pdt_x"))
        .await
        .unwrap();
    let id = new_of(&recorded).expect("new").id.clone();
    assert_eq!(
        store.decline_offer("off_x").await.unwrap(),
        Decision::Accepted
    );
    store.claim_attempt(&id).await.unwrap();
    let failed = Outcome::Failed {
        code: "CARD_DECLINED".into(),
        message: "declined".into(),
        provisional: true,
    };
    store.settle_attempt(&id, &failed, None).await.unwrap();
    assert_eq!(
        store.decline_offer("off_x").await.unwrap(),
        Decision::Declined
    );
}
store_test!(
    decision_exclusive_with_attempt,
    a_decline_and_an_accept_of_one_offer_exclude_each_other
);

async fn one_open_plan_change_per_subscription(store: Store) {
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .record_attempt(&plan_change(&format!("plan:sub_1:first:{i}"), "sub_1"))
                .await
                .expect("record")
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("task"));
    }
    let winners: Vec<&Attempt> = outcomes.iter().filter_map(new_of).collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    let open = winners[0].id.clone();
    assert!(outcomes.iter().all(|o| match o {
        Recorded::New(_) => true,
        Recorded::Refused(Refusal::ChangeInFlight(a)) => a.id == open,
        _ => false,
    }));
    assert_eq!(
        store.open_plan_change("sub_1").await.unwrap().map(|a| a.id),
        Some(open.clone())
    );
    // Another subscription is not held up; once settled, a new change may start.
    assert!(
        new_of(
            &store
                .record_attempt(&plan_change("plan:sub_2:first", "sub_2"))
                .await
                .unwrap()
        )
        .is_some()
    );
    store.claim_attempt(&open).await.unwrap();
    store
        .mark_attempt_accepted(&open, &Accepted::default(), None)
        .await
        .unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        apply_plan_changed(&mut conn, "sub_1", "pdt_other", 1)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        apply_plan_changed(&mut conn, "sub_1", "pdt_pro", 1)
            .await
            .unwrap(),
        Some(open.clone())
    );
    drop(conn);
    assert_eq!(store.open_plan_change("sub_1").await.unwrap(), None);
    assert_eq!(
        store
            .latest_final_plan_change("sub_1")
            .await
            .unwrap()
            .map(|a| a.status),
        Some(AttemptStatus::Succeeded)
    );
    assert!(
        new_of(
            &store
                .record_attempt(&plan_change("plan:sub_1:next", "sub_1"))
                .await
                .unwrap()
        )
        .is_some()
    );
}
store_test!(plan_change_in_flight, one_open_plan_change_per_subscription);

async fn one_open_checkout_per_offer(store: Store) {
    offer(&store, "off_k").await;
    let mut first = charge("checkout:off_k:0", "off_k", "pdt_k");
    first.kind = AttemptKind::Checkout;
    let opened = store.record_attempt(&first).await.unwrap();
    let opened = new_of(&opened).expect("opened").id.clone();
    let mut second = first.clone();
    second.idempotency_key = "checkout:off_k:1".into();
    match store.record_attempt(&second).await.unwrap() {
        Recorded::Existing(a) => assert_eq!(a.id, opened),
        other => panic!("a second open checkout: {other:?}"),
    }
}
store_test!(checkout_per_offer, one_open_checkout_per_offer);

async fn final_states_never_regress(store: Store) {
    offer(&store, "off_2").await;
    let recorded = store
        .record_attempt(&charge("offer:off_2", "off_2", "pdt_2"))
        .await
        .expect("record");
    let attempt = new_of(&recorded).expect("new").clone();
    assert!(store.claim_attempt(&attempt.id).await.expect("claim"));
    store
        .mark_attempt_accepted(
            &attempt.id,
            &Accepted {
                payment_id: Some("pay_1".into()),
                ..Accepted::default()
            },
            None,
        )
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
    assert_eq!(
        apply_payment_state(
            &mut conn,
            Some(&attempt.id),
            &state(AttemptStatus::Succeeded)
        )
        .await
        .expect("apply"),
        Some(attempt.id.clone())
    );
    // A late `processing`, a duplicate `succeeded` and a late `failed` change nothing.
    for late in [
        AttemptStatus::Pending,
        AttemptStatus::Succeeded,
        AttemptStatus::Failed,
    ] {
        assert_eq!(
            apply_payment_state(&mut conn, None, &state(late))
                .await
                .expect("apply"),
            None
        );
    }
    drop(conn);
    let stored = store.attempt(&attempt.id).await.unwrap().unwrap();
    assert_eq!(stored.status, AttemptStatus::Succeeded);
    assert!(stored.settled_at.is_some());
    assert_eq!(stored.next_check_at, None, "nothing left to learn");
    // Dodo's late answer does not undo the webhook's outcome.
    store
        .mark_attempt_accepted(&attempt.id, &Accepted::default(), Some(1))
        .await
        .expect("accepted again");
    let stored = store.attempt(&attempt.id).await.unwrap().unwrap();
    assert_eq!(stored.status, AttemptStatus::Succeeded);
    assert_eq!(
        store
            .product_claim("cus_1", "pdt_2")
            .await
            .unwrap()
            .and_then(|c| c.attempt_id),
        Some(attempt.id)
    );
}
store_test!(no_regression, final_states_never_regress);

/// A `processing` webhook that overtakes the send's own answer (the attempt is still
/// `sending`, its check set for a stale send) brings the next look within a second: 3-D
/// Secure then asks for the customer without another webhook.
async fn an_early_webhook_brings_the_next_look_forward(store: Store) {
    offer(&store, "off_early").await;
    let recorded = store
        .record_attempt(&charge("offer:off_early", "off_early", "pdt_early"))
        .await
        .expect("record");
    let attempt = new_of(&recorded).expect("new").clone();
    assert!(store.claim_attempt(&attempt.id).await.expect("claim"));
    let far = now_millis() + 3_600_000;
    store
        .schedule_check(&attempt.id, Some(far))
        .await
        .expect("a check for a stale send");
    let processing = SettledState {
        status: AttemptStatus::Pending,
        dodo_payment_id: "pay_early".into(),
        payment_link: None,
        error_code: None,
        error_message: None,
    };
    let mut conn = store.pool().acquire().await.expect("conn");
    assert_eq!(
        apply_payment_state(&mut conn, Some(&attempt.id), &processing)
            .await
            .expect("apply"),
        Some(attempt.id.clone())
    );
    drop(conn);
    // Then the send's answer, which finds the attempt no longer `sending`.
    store
        .mark_attempt_accepted(&attempt.id, &Accepted::default(), Some(far))
        .await
        .expect("accepted");
    let stored = store.attempt(&attempt.id).await.unwrap().unwrap();
    assert_eq!(stored.status, AttemptStatus::Pending);
    let next = stored.next_check_at.expect("still watched");
    assert!(next <= now_millis() + 1_000, "next look at {next}");
}
store_test!(early_webhook, an_early_webhook_brings_the_next_look_forward);

async fn a_provisional_failure_gives_way_to_dodos_success(store: Store) {
    offers(&store, &["off_p", "off_q"]).await;
    let recorded = store
        .record_attempt(&charge("offer:off_p", "off_p", "pdt_p"))
        .await
        .unwrap();
    let attempt = new_of(&recorded).expect("new").clone();
    store.claim_attempt(&attempt.id).await.unwrap();
    let inferred = Outcome::Failed {
        code: "RATE_LIMITED".into(),
        message: "429".into(),
        provisional: true,
    };
    assert!(
        store
            .settle_attempt(&attempt.id, &inferred, Some(now_millis() + 5_000))
            .await
            .unwrap()
    );
    let failed = store.attempt(&attempt.id).await.unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.provisional),
        (AttemptStatus::Failed, true)
    );
    assert!(failed.next_check_at.is_some(), "looked at again");
    assert_eq!(store.product_claim("cus_1", "pdt_p").await.unwrap(), None);
    // Dodo's verified payment carrying the attempt id wins, and takes the claim back.
    let mut conn = store.pool().acquire().await.unwrap();
    let succeeded = SettledState {
        status: AttemptStatus::Succeeded,
        dodo_payment_id: "pay_p".into(),
        payment_link: None,
        error_code: None,
        error_message: None,
    };
    assert_eq!(
        apply_payment_state(&mut conn, Some(&attempt.id), &succeeded)
            .await
            .unwrap(),
        Some(attempt.id.clone())
    );
    drop(conn);
    let won = store.attempt(&attempt.id).await.unwrap().unwrap();
    assert_eq!(
        (won.status, won.provisional),
        (AttemptStatus::Succeeded, false)
    );
    assert_eq!(won.duplicate_of, None);
    assert_eq!(
        store
            .product_claim("cus_1", "pdt_p")
            .await
            .unwrap()
            .and_then(|c| c.attempt_id),
        Some(attempt.id.clone())
    );
    // A definitive failure is final: nothing replaces it.
    let recorded = store
        .record_attempt(&charge("offer:off_q", "off_q", "pdt_q"))
        .await
        .unwrap();
    let other = new_of(&recorded).expect("new").clone();
    store.claim_attempt(&other.id).await.unwrap();
    let declined = Outcome::Failed {
        code: "CARD_DECLINED".into(),
        message: "declined".into(),
        provisional: false,
    };
    store
        .settle_attempt(&other.id, &declined, None)
        .await
        .unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        apply_payment_state(
            &mut conn,
            Some(&other.id),
            &SettledState {
                dodo_payment_id: "pay_q".into(),
                ..succeeded.clone()
            }
        )
        .await
        .unwrap(),
        None
    );
}
store_test!(
    provisional_failures,
    a_provisional_failure_gives_way_to_dodos_success
);

async fn a_late_success_for_a_product_someone_holds_is_a_duplicate(store: Store) {
    offers(&store, &["off_d1", "off_d2"]).await;
    let first = store
        .record_attempt(&charge("offer:off_d1", "off_d1", "pdt_d"))
        .await
        .unwrap();
    let first = new_of(&first).expect("new").clone();
    store.claim_attempt(&first.id).await.unwrap();
    let inferred = Outcome::Failed {
        code: "NOT_CHARGED".into(),
        message: "no trace".into(),
        provisional: true,
    };
    store
        .settle_attempt(&first.id, &inferred, None)
        .await
        .unwrap();
    let second = store
        .record_attempt(&charge("checkout:off_d1:0", "off_d2", "pdt_d"))
        .await
        .unwrap();
    let second = new_of(&second).expect("new").clone();
    let mut conn = store.pool().acquire().await.unwrap();
    apply_payment_state(
        &mut conn,
        Some(&first.id),
        &SettledState {
            status: AttemptStatus::Succeeded,
            dodo_payment_id: "pay_late".into(),
            payment_link: None,
            error_code: None,
            error_message: None,
        },
    )
    .await
    .unwrap();
    drop(conn);
    let late = store.attempt(&first.id).await.unwrap().unwrap();
    assert_eq!(
        late.status,
        AttemptStatus::Succeeded,
        "Dodo's truth is recorded"
    );
    assert_eq!(late.duplicate_of.as_deref(), Some(second.id.as_str()));
}
store_test!(
    duplicates_are_marked,
    a_late_success_for_a_product_someone_holds_is_a_duplicate
);

async fn a_checkout_paid_after_no_thanks_counts_as_bought(store: Store) {
    offer(&store, "off_late").await;
    let mut open = charge("checkout:off_late:0", "off_late", "pdt_late");
    open.kind = AttemptKind::Checkout;
    let recorded = store.record_attempt(&open).await.unwrap();
    let checkout = new_of(&recorded).expect("new").clone();
    store.claim_attempt(&checkout.id).await.unwrap();
    store
        .mark_attempt_accepted(&checkout.id, &Accepted::default(), None)
        .await
        .unwrap();
    // Left the page (one tab), then "No thanks" (another tab): allowed, nothing is in flight.
    let left = Outcome::Failed {
        code: "CHECKOUT_CANCELLED".into(),
        message: "left".into(),
        provisional: true,
    };
    store
        .settle_attempt(&checkout.id, &left, None)
        .await
        .unwrap();
    assert_eq!(
        store.decline_offer("off_late").await.unwrap(),
        Decision::Declined
    );
    // The page was paid all the same (a third tab): the offer was bought.
    store
        .apply_payment(
            Some(&checkout.id),
            &SettledState {
                status: AttemptStatus::Succeeded,
                dodo_payment_id: "pay_late".into(),
                payment_link: None,
                error_code: None,
                error_message: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.decision("off_late").await.unwrap(),
        Some(Decision::Accepted)
    );
    assert_eq!(
        store
            .product_claim("cus_1", "pdt_late")
            .await
            .unwrap()
            .and_then(|c| c.attempt_id),
        Some(checkout.id)
    );
}
store_test!(
    bought_after_no_thanks,
    a_checkout_paid_after_no_thanks_counts_as_bought
);

async fn due_attempts_are_listed_for_reconciliation(store: Store) {
    offers(&store, &["off_3", "off_4"]).await;
    let recorded = store
        .record_attempt(&charge("offer:off_3", "off_3", "pdt_3"))
        .await
        .expect("record");
    let attempt = new_of(&recorded).expect("new").clone();
    store.claim_attempt(&attempt.id).await.expect("claim");
    store
        .mark_attempt_unknown(&attempt.id, "timeout", now_millis() + 1_000)
        .await
        .expect("unknown");
    assert!(
        store
            .due_attempts(now_millis(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = store
        .due_attempts(now_millis() + 2_000, 10)
        .await
        .expect("list");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].status, AttemptStatus::Unknown);
    store.schedule_check(&attempt.id, None).await.unwrap();
    assert!(
        store
            .due_attempts(now_millis() + 10_000_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // A never-sent attempt expires; a sent one cannot.
    let fresh = store
        .record_attempt(&charge("offer:off_4", "off_4", "pdt_4"))
        .await
        .expect("record");
    let fresh = new_of(&fresh).expect("new").clone();
    assert!(
        store
            .settle_attempt(&fresh.id, &Outcome::Expired, None)
            .await
            .expect("expire")
    );
    assert!(
        !store
            .claim_attempt(&fresh.id)
            .await
            .expect("claim after expiry")
    );
    assert!(
        !store
            .settle_attempt(&attempt.id, &Outcome::Expired, None)
            .await
            .unwrap()
    );
}
store_test!(
    reconciliation_listing,
    due_attempts_are_listed_for_reconciliation
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
    store.record_impression(&first.id, false);
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

async fn landings_are_kept_and_found_by_payment_or_customer(store: Store) {
    let offered = NewLanding {
        payment_id: "pay_1".into(),
        customer_id: Some("cus_1".into()),
        rule_id: Some("rule \"one\"\n".into()),
        offer_id: Some("off_1".into()),
        one_click_blocked: Some("card_expired".into()),
        owes_money: Some(false),
        embedded: true,
        skipped: vec!["rule-0: declined_recently".into()],
    };
    store
        .record_landing(LandingOutcome::Offered, &offered)
        .await
        .expect("record");
    let unknown = NewLanding {
        payment_id: "pay_2".into(),
        ..NewLanding::default()
    };
    store
        .record_landing(LandingOutcome::UnknownPayment, &unknown)
        .await
        .expect("record");

    let found = store
        .recent_landings(Some("cus_1"), 10)
        .await
        .expect("find");
    assert_eq!(found.len(), 1);
    let l = &found[0];
    assert_eq!(l.outcome, LandingOutcome::Offered);
    assert_eq!(
        l.rule_id.as_deref(),
        Some("rule \"one\"\n"),
        "any rule id survives"
    );
    assert_eq!(l.one_click_blocked.as_deref(), Some("card_expired"));
    assert_eq!(l.owes_money, Some(false));
    assert!(l.embedded);
    assert_eq!(l.skipped, ["rule-0: declined_recently"]);

    let by_payment = store
        .recent_landings(Some(" pay_2 "), 10)
        .await
        .expect("find");
    assert_eq!(by_payment.len(), 1);
    assert_eq!(by_payment[0].outcome, LandingOutcome::UnknownPayment);
    assert_eq!(by_payment[0].customer_id, None);
    assert_eq!(by_payment[0].owes_money, None);
    assert!(by_payment[0].skipped.is_empty());

    let all = store.recent_landings(None, 10).await.expect("all");
    assert_eq!(all.len(), 2);
    assert_eq!(
        store
            .recent_landings(Some("cus_other"), 10)
            .await
            .expect("none")
            .len(),
        0
    );
    assert_eq!(store.recent_landings(None, 1).await.expect("one").len(), 1);
}
store_test!(landings, landings_are_kept_and_found_by_payment_or_customer);

async fn unreadable_webhooks_are_listed_with_their_problem(store: Store) {
    let mut tx = store.pool().begin().await.expect("tx");
    for (id, kind) in [("msg_ok", "payment.succeeded"), ("msg_bad", "unreadable")] {
        let event = WebhookInsert {
            webhook_id: id,
            event_type: kind,
            body: "{\"type\":\"payment.succeeded\",\"data\":42}",
        };
        insert_webhook_event(&mut tx, &event).await.expect("insert");
        let problem = (kind == "unreadable").then_some("data: expected an object");
        mark_webhook_processed(&mut tx, id, problem)
            .await
            .expect("mark");
    }
    tx.commit().await.expect("commit");
    let listed = store
        .unreadable_webhooks("unreadable", 10)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].webhook_id, "msg_bad");
    assert_eq!(listed[0].problem, "data: expected an object");
    assert_eq!(
        listed[0].body_start,
        "{\"type\":\"payment.succeeded\",\"data\":42}"
    );
}
store_test!(
    unreadable_webhooks,
    unreadable_webhooks_are_listed_with_their_problem
);

async fn a_suppression_says_whether_it_covers_all_offers(store: Store) {
    assert_eq!(store.suppression("cus_s", "pdt_a").await.unwrap(), None);
    store.suppress("cus_s", "pdt_a").await.unwrap();
    assert_eq!(
        store.suppression("cus_s", "pdt_a").await.unwrap(),
        Some(Suppression::ThisProduct)
    );
    assert_eq!(store.suppression("cus_s", "pdt_b").await.unwrap(), None);
    store.suppress("cus_s", ALL_OFFERS).await.unwrap();
    assert_eq!(
        store.suppression("cus_s", "pdt_a").await.unwrap(),
        Some(Suppression::AllOffers),
        "the broader wish wins"
    );
    assert_eq!(
        store.suppression("cus_s", "pdt_b").await.unwrap(),
        Some(Suppression::AllOffers)
    );
}
store_test!(
    suppression_scope,
    a_suppression_says_whether_it_covers_all_offers
);

/// SQLite only (on PostgreSQL both sides are one pool): writes queue for one connection, the
/// dashboard's reads run beside them on connections that cannot write.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_writes_share_one_connection_and_dashboard_reads_cannot_write() {
    let (store, dir) = fresh_sqlite().await;
    assert_eq!(store.pool().options().get_max_connections(), 1);

    // A read transaction held open on the read side does not stop a write.
    let mut reader = store.reads().begin().await.expect("read transaction");
    sqlx::query("SELECT COUNT(*) AS n FROM offers")
        .fetch_one(&mut *reader)
        .await
        .expect("read");
    offer(&store, "off_written_beside_a_read").await;

    let refused = sqlx::query("INSERT INTO app_meta (key, value) VALUES ('through_reads', 'x')")
        .execute(&mut *reader)
        .await
        .expect_err("the read side must not write");
    assert!(refused.to_string().contains("readonly"), "{refused}");
    reader.rollback().await.expect("rollback");

    // Many writers at once all land, queued in the pool rather than on SQLite's lock.
    let writers: Vec<_> = (0..64)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.meta_get_or_insert(&format!("k{i}"), "v").await })
        })
        .collect();
    for writer in writers {
        assert_eq!(writer.await.expect("task").expect("write"), "v");
    }
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM app_meta WHERE key LIKE 'k%' OR key = 'through_reads'",
    )
    .fetch_one(store.reads())
    .await
    .expect("count");
    assert_eq!(sqlx::Row::try_get::<i64, _>(&row, "n").expect("n"), 64);

    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

/// A burst of views is queued and written in batches; waiting for the queue sees every one.
async fn impressions_are_queued_and_all_written(store: Store) {
    offer(&store, "off_viewed").await;
    for i in 0..1_200 {
        store.record_impression_in("off_viewed", i % 2 == 0, "id");
    }
    store.impressions_written().await;
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(SUM(embedded) AS BIGINT) AS embedded FROM impressions \
         WHERE offer_id = 'off_viewed' AND locale = 'id'",
    )
    .fetch_one(store.reads())
    .await
    .expect("count");
    assert_eq!(sqlx::Row::try_get::<i64, _>(&row, "n").expect("n"), 1_200);
    assert_eq!(
        sqlx::Row::try_get::<i64, _>(&row, "embedded").expect("embedded"),
        600
    );
}
store_test!(queued_impressions, impressions_are_queued_and_all_written);

/// A page's store calls are cancelled when its request is (the browser went away, a render
/// stopped early). On SQLite every write shares one connection, so a cancellation that kept it
/// would stall every page after it: after hundreds of calls cancelled at every point of their
/// work, the connection is back and the store answers at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_calls_cancelled_midway_give_the_connection_back() {
    let (store, dir) = fresh_sqlite().await;
    offers(&store, &["off_cancelled_a", "off_cancelled_b"]).await;
    let mut cancelled = 0;
    // In waves of 8 at once, so that the cuts fall everywhere: waiting for the connection,
    // inside a query, inside a transaction, after the work.
    for wave in 0..50u64 {
        let calls: Vec<_> = (0..8u64)
            .map(|n| {
                let i = wave * 8 + n;
                let store = store.clone();
                tokio::spawn(async move {
                    let cut = Duration::from_micros((i * 397) % 8_000);
                    let work = async {
                        match i % 4 {
                            0 => drop(store.meta_get_or_insert(&format!("c{i}"), "v").await),
                            1 => drop(store.decline_offer("off_cancelled_a").await),
                            2 => drop(store.decision("off_cancelled_b").await),
                            _ => drop(store.all_attempts().await),
                        }
                    };
                    tokio::time::timeout(cut, work).await.is_err()
                })
            })
            .collect();
        for call in calls {
            cancelled += usize::from(call.await.expect("task"));
        }
    }
    assert!(
        (1..400).contains(&cancelled),
        "{cancelled} of 400 cancelled"
    );
    let answered = tokio::time::timeout(
        Duration::from_secs(2),
        store.meta_get_or_insert("after", "v"),
    )
    .await
    .expect("the store answers within 2 s after the cancellations")
    .expect("write");
    assert_eq!(answered, "v");
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
