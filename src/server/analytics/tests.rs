//! The dashboard's numbers on a known record, on SQLite and (with `TEST_POSTGRES_URL`)
//! PostgreSQL: every test runs once per backend on a fresh store.

use super::*;
use crate::i18n::Locale;
use crate::server::attempts::Order;
use crate::server::attempts::plan_change::{
    EffectiveAt, OnPaymentFailure, PlanChangeOrder, PlanPrice, RecurringChange,
};
use crate::server::store::{
    ConfirmedPayment, SeenRefund, Store, new_id, record_confirmed_payment, record_refund_seen,
};
use dodo_client::Interval;
use filter::DAY_MS;

/// 2025-11-08T00:00Z; the period of most tests is its three days.
const BASE: i64 = 20_400 * DAY_MS;
const H: i64 = 3_600_000;
const M: i64 = 60_000;

macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let dir = std::env::temp_dir().join(format!(
                    "dodo-upsell-analytics-{}",
                    crate::server::store::new_id("db")
                ));
                let url = format!("sqlite://{}/app.db", dir.display());
                let store = crate::server::store::Store::open(&url)
                    .await
                    .expect("open sqlite");
                super::$name(store.clone()).await;
                store.close().await;
                let _ = std::fs::remove_dir_all(dir);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some((url, name)) = crate::server::store::testing::fresh_postgres().await
                else {
                    eprintln!("TEST_POSTGRES_URL not set: skipped");
                    return;
                };
                let store = crate::server::store::Store::open(&url)
                    .await
                    .expect("open postgres");
                super::$name(store.clone()).await;
                store.close().await;
                crate::server::store::testing::drop_postgres(&name).await;
            }
        }
    };
}

async fn exec(store: &Store, sql: &str, binds: &[&dyn Bind]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = b.bind(q);
    }
    q.execute(store.pool()).await.expect(sql);
}

/// A value a fixture binds.
trait Bind: Sync {
    fn bind<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;
}
impl Bind for i64 {
    fn bind<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        q.bind(*self)
    }
}
impl Bind for &str {
    fn bind<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        q.bind(self.to_string())
    }
}

async fn offer(store: &Store, id: &str, kind: &str, rule: &str, product: &str, currency: &str) {
    exec(
        store,
        "INSERT INTO offers (id, kind, customer_id, product_id, price_minor, currency, rule_id, step, created_at, expires_at) \
         VALUES ($1, $2, 'cus_1', $3, 1000, $4, $5, 1, 0, 0)",
        &[&id, &kind, &product, &currency, &rule],
    )
    .await;
}

async fn shown(store: &Store, offer: &str, at: i64, embedded: i64, locale: &str) {
    exec(
        store,
        "INSERT INTO impressions (id, offer_id, shown_at, embedded, locale) VALUES ($1, $2, $3, $4, $5)",
        &[&new_id("imp").as_str(), &offer, &at, &embedded, &locale],
    )
    .await;
}

async fn decided(store: &Store, offer: &str, decision: &str, at: i64) {
    exec(
        store,
        "INSERT INTO decisions (offer_id, decision, decided_at) VALUES ($1, $2, $3)",
        &[&offer, &decision, &at],
    )
    .await;
}

/// An attempt row: `offer` for a charge, `subscription` + `order` for a plan change.
#[allow(clippy::too_many_arguments)]
async fn attempt(
    store: &Store,
    id: &str,
    kind: &str,
    offer: Option<&str>,
    status: &str,
    payment: Option<&str>,
    order_json: &str,
    created_at: i64,
) {
    sqlx::query(
        "INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, \
         subscription_id, amount_minor, currency, exclusive, order_json, status, dodo_payment_id, created_at, updated_at) \
         VALUES ($1, $2, $1, 'cus_1', $3, 'pdt', 1, $4, 0, 'USD', 0, $5, $6, $7, $8, $8)",
    )
    .bind(id)
    .bind(kind)
    .bind(offer)
    .bind((kind == "plan_change").then(|| format!("sub_{id}")))
    .bind(order_json)
    .bind(status)
    .bind(payment)
    .bind(created_at)
    .execute(store.pool())
    .await
    .expect("attempt");
}

/// The refund attempt of `offer`'s undo, as the engine records it (key `undo:<offer>`, no
/// offer_id, the refund's id where a charge keeps its payment's).
async fn undo_sent(store: &Store, offer: &str, refund: &str) {
    sqlx::query(
        "INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, \
         subscription_id, amount_minor, currency, exclusive, order_json, status, dodo_payment_id, created_at, updated_at) \
         VALUES ($1, 'refund', $2, 'cus_1', NULL, 'pdt', 1, NULL, 0, 'USD', 0, '{}', 'succeeded', $3, $4, $4)",
    )
    .bind(new_id("att"))
    .bind(crate::server::attempts::refund::key_for(offer))
    .bind(refund)
    .bind(BASE)
    .execute(store.pool())
    .await
    .expect("undo attempt");
}

/// A verified payment.succeeded, as the webhook hook records it; returns whether it was new.
async fn paid(
    store: &Store,
    payment: &str,
    attempt_id: Option<&str>,
    amount: i64,
    currency: &str,
    at: i64,
) -> bool {
    let mut conn = store.pool().acquire().await.expect("conn");
    record_confirmed_payment(
        &mut conn,
        &ConfirmedPayment {
            payment_id: payment,
            attempt_id,
            offer_id: None,
            amount_minor: amount,
            currency,
            at,
        },
    )
    .await
    .expect("confirmed payment")
}

/// A verified refund.succeeded; `amount` `None`: Dodo gave none (a full refund).
async fn refunded(
    store: &Store,
    refund: &str,
    payment: &str,
    amount: Option<i64>,
    at: i64,
) -> bool {
    let mut conn = store.pool().acquire().await.expect("conn");
    record_refund_seen(
        &mut conn,
        &SeenRefund {
            refund_id: refund,
            payment_id: payment,
            amount_minor: amount,
            currency: amount.map(|_| "USD"),
            is_partial: amount.is_some(),
            at,
        },
    )
    .await
    .expect("refund seen")
}

fn usd(amount: i64, interval: Interval) -> PlanPrice {
    PlanPrice {
        amount_minor: amount,
        currency: "USD".into(),
        interval,
        interval_count: 1,
    }
}

fn plan_order(
    from: (&str, i64),
    to: (&str, i64),
    recurring: Option<(&str, PlanPrice, PlanPrice)>,
) -> String {
    let order = Order::PlanChange(PlanChangeOrder {
        idempotency_key: new_id("key"),
        subscription_id: "sub".into(),
        customer_id: "cus_1".into(),
        from_product_id: from.0.into(),
        from_quantity: from.1,
        to_product_id: to.0.into(),
        quantity: to.1,
        proration_billing_mode: "prorated_immediately".into(),
        effective_at: EffectiveAt::Immediately,
        on_payment_failure: OnPaymentFailure::PreventChange,
        addons: Vec::new(),
        previewed_total_minor: 0,
        previewed_credits_minor: 0,
        currency: "USD".into(),
        send_before: 0,
        recurring: recurring.map(|(direction, from, to)| RecurringChange {
            direction: direction.into(),
            from,
            to,
        }),
    });
    serde_json::to_string(&order).expect("order json")
}

/// The known record (see each test for what it implies).
async fn fixture(store: &Store) {
    let rule_with_comma = "cs,\"quoted\"";
    for (id, kind, rule, product, currency) in [
        ("o1", "upsell", "r_addon", "pdt_addon", "USD"),
        ("o2", "upsell", "r_addon", "pdt_addon", "USD"),
        ("o3", "downsell", "r_down", "pdt_lite", "USD"),
        ("o4", "cross_sell", rule_with_comma, "pdt_ebook", "INR"),
        ("o5", "upsell", "r_addon", "pdt_addon", "USD"),
        ("o6", "upsell", "r_addon", "pdt_addon", "USD"),
        ("o7", "upsell", "r_addon", "pdt_addon", "USD"),
        ("o8", "upsell", "r_addon", "pdt_addon", "USD"),
    ] {
        offer(store, id, kind, rule, product, currency).await;
    }
    // o1 is shown twice (a reload); o6 a millisecond before the period, o7 exactly at its end.
    shown(store, "o1", BASE + H, 0, "en").await;
    shown(store, "o1", BASE + 2 * H, 0, "en").await;
    shown(store, "o8", BASE + 3 * H, 0, "en").await;
    shown(store, "o2", BASE + DAY_MS + H, 0, "en-IN").await;
    shown(store, "o3", BASE + DAY_MS + 2 * H, 0, "en").await;
    shown(store, "o4", BASE + 2 * DAY_MS, 1, "hi").await;
    shown(store, "o5", BASE + 2 * DAY_MS + 5 * H, 1, "id").await;
    shown(store, "o6", BASE - 1, 0, "en").await;
    shown(store, "o7", BASE + 3 * DAY_MS, 0, "en").await;

    decided(store, "o1", "accepted", BASE + H + M).await;
    decided(store, "o8", "accepted", BASE + 3 * H + M).await;
    decided(store, "o2", "declined", BASE + DAY_MS + H + M).await;
    decided(store, "o3", "accepted", BASE + DAY_MS + 2 * H + M).await;
    decided(store, "o4", "accepted", BASE + 2 * DAY_MS + M).await;
    decided(store, "o5", "suppressed", BASE + 2 * DAY_MS + 5 * H + M).await;
    // o6 was shown before the period but expires inside it.
    decided(store, "o6", "expired", BASE + 10).await;
    decided(store, "o7", "declined", BASE + 3 * DAY_MS + 1).await;

    for (id, offer, payment) in [
        ("att_1", "o1", Some("pay_1")),
        ("att_3", "o3", Some("pay_3")),
        ("att_4", "o4", Some("pay_4")),
        // Succeeded as far as our own read of the payment went; no webhook confirmed it.
        ("att_8", "o8", Some("pay_8")),
    ] {
        attempt(
            store,
            id,
            "charge",
            Some(offer),
            "succeeded",
            payment,
            "{}",
            BASE,
        )
        .await;
    }
    // By the attempt id in the metadata; pay_4 by the payment id the attempt knows.
    assert!(paid(store, "pay_1", Some("att_1"), 2900, "USD", BASE + H + 2 * M).await);
    assert!(
        paid(
            store,
            "pay_3",
            Some("att_3"),
            1500,
            "USD",
            BASE + DAY_MS + 2 * H + 2 * M
        )
        .await
    );
    assert!(paid(store, "pay_4", None, 1000, "INR", BASE + 2 * DAY_MS + 2 * M).await);
    // The purchase that led to the offers: not ours, counted nowhere.
    assert!(paid(store, "pay_first", None, 9900, "USD", BASE).await);
    // A redelivered payment.succeeded adds nothing.
    assert!(!paid(store, "pay_1", Some("att_1"), 2900, "USD", BASE + H + 2 * M).await);

    // o1 undone by its customer (the undo's refund attempt knows ref_1), refunded in full
    // (Dodo gave no amount: the payment's); o3 refunded in part by the merchant, redelivered.
    undo_sent(store, "o1", "ref_1").await;
    // An undo Dodo has not confirmed (no refund.succeeded yet): not undone.
    undo_sent(store, "o3", "ref_3_undo_pending").await;
    assert!(refunded(store, "ref_1", "pay_1", None, BASE + DAY_MS + 5 * H).await);
    assert!(refunded(store, "ref_3", "pay_3", Some(500), BASE + 2 * DAY_MS + H).await);
    assert!(!refunded(store, "ref_3", "pay_3", Some(500), BASE + 2 * DAY_MS + H).await);
    assert!(refunded(store, "ref_first", "pay_first", Some(100), BASE + H).await);

    // Plan changes: an upgrade charged 50.00 (10.00 refunded) for +50.00 a month; a
    // scheduled downgrade from 800.00 a year to 30.00 a month; a failed upgrade; two orders
    // from before directions were kept (a seat change, and a switch between plans); and one
    // confirmed before the period.
    let up = plan_order(
        ("basic", 1),
        ("pro", 1),
        Some((
            "upgrade",
            usd(3000, Interval::Month),
            usd(8000, Interval::Month),
        )),
    );
    let down = plan_order(
        ("pro_yearly", 1),
        ("basic", 1),
        Some((
            "downgrade",
            usd(80000, Interval::Year),
            usd(3000, Interval::Month),
        )),
    );
    let seats = plan_order(("pro", 1), ("pro", 3), None);
    let switch = plan_order(("basic", 1), ("pro", 1), None);
    attempt(
        store,
        "pca_up",
        "plan_change",
        None,
        "succeeded",
        Some("pay_up"),
        &up,
        BASE + H,
    )
    .await;
    attempt(
        store,
        "pca_down",
        "plan_change",
        None,
        "succeeded",
        None,
        &down,
        BASE + 2 * H,
    )
    .await;
    attempt(
        store,
        "pca_fail",
        "plan_change",
        None,
        "failed",
        None,
        &up,
        BASE + 3 * H,
    )
    .await;
    attempt(
        store,
        "pca_seats",
        "plan_change",
        None,
        "succeeded",
        None,
        &seats,
        BASE + 4 * H,
    )
    .await;
    attempt(
        store,
        "pca_switch",
        "plan_change",
        None,
        "succeeded",
        None,
        &switch,
        BASE + 5 * H,
    )
    .await;
    attempt(
        store,
        "pca_before",
        "plan_change",
        None,
        "succeeded",
        Some("pay_before"),
        &up,
        BASE - 1,
    )
    .await;
    assert!(paid(store, "pay_up", Some("pca_up"), 5000, "USD", BASE + H + M).await);
    assert!(
        paid(
            store,
            "pay_before",
            Some("pca_before"),
            5000,
            "USD",
            BASE + M
        )
        .await
    );
    assert!(refunded(store, "ref_up", "pay_up", Some(1000), BASE + 2 * H).await);
}

fn period(days: i64) -> AnalyticsFilter {
    AnalyticsFilter::new(BASE, BASE + days * DAY_MS, Surface::All, LocaleFilter::All)
        .expect("filter")
}

fn key(kind: &str, rule: &str, product: &str, currency: &str) -> OfferKey {
    OfferKey {
        kind: kind.into(),
        rule_id: rule.into(),
        product_id: product.into(),
        currency: currency.into(),
    }
}

async fn offer_table(store: Store) {
    fixture(&store).await;
    let rows = offers::offer_rows(&store, &period(3)).await.expect("rows");
    let expected = vec![
        OfferRow {
            key: key("cross_sell", "cs,\"quoted\"", "pdt_ebook", "INR"),
            impressions: 1,
            accepts: 1,
            payments: 1,
            revenue_minor: 1000,
            ..OfferRow::default()
        },
        OfferRow {
            key: key("downsell", "r_down", "pdt_lite", "USD"),
            impressions: 1,
            accepts: 1,
            payments: 1,
            revenue_minor: 1500,
            refunds: 1,
            refunded_minor: 500,
            ..OfferRow::default()
        },
        OfferRow {
            key: key("upsell", "r_addon", "pdt_addon", "USD"),
            // o1 twice, o8, o2, o5; not o6 (before) nor o7 (at the end).
            impressions: 5,
            accepts: 2,
            declines: 1,
            suppressed: 1,
            expiries: 1,
            // o8's success was never confirmed by a webhook: not revenue.
            payments: 1,
            revenue_minor: 2900,
            refunds: 1,
            refunded_minor: 2900,
            // ref_1 was o1's undo; ref_3 (the downsell's) the merchant's.
            undone: 1,
            undone_minor: 2900,
        },
    ];
    assert_eq!(rows, expected);
    let upsell = &rows[2];
    assert_eq!(upsell.conversion(), Ratio::new(2, 5));
    assert_eq!(upsell.conversion().percent(1), "40.0%");
    assert_eq!(upsell.net_revenue_minor(), 0);
    assert_eq!(rows[1].net_revenue_minor(), 1000);
    assert_eq!(rows[1].net_per_impression().value(), Some(1000.0));
    assert_eq!(OfferRow::default().conversion().value(), None);
    assert_eq!(OfferRow::default().conversion().percent(1), "–");

    assert_eq!(
        csv::offers_csv(&rows).expect("csv"),
        "kind,rule_id,product_id,currency,impressions,accepts,declines,dont_show_again,expiries,conversion,payments,revenue,refunded,undone,undone_amount,net_revenue,net_revenue_per_impression\n\
         cross_sell,\"cs,\"\"quoted\"\"\",pdt_ebook,INR,1,1,0,0,0,1.0000,1,10.00,0.00,0,0.00,10.00,10.00\n\
         downsell,r_down,pdt_lite,USD,1,1,0,0,0,1.0000,1,15.00,5.00,0,0.00,10.00,10.00\n\
         upsell,r_addon,pdt_addon,USD,5,2,1,1,1,0.4000,1,29.00,29.00,1,29.00,0.00,0.00\n"
    );
}
both_backends!(offer_table);

async fn filters(store: Store) {
    fixture(&store).await;
    let with = |surface, locale| {
        AnalyticsFilter::new(BASE, BASE + 3 * DAY_MS, surface, locale).expect("filter")
    };
    // Embedded: o4 and o5, with their decisions and o4's payment.
    let rows = offers::offer_rows(&store, &with(Surface::Embedded, LocaleFilter::All))
        .await
        .expect("rows");
    assert_eq!(
        rows,
        vec![
            OfferRow {
                key: key("cross_sell", "cs,\"quoted\"", "pdt_ebook", "INR"),
                impressions: 1,
                accepts: 1,
                payments: 1,
                revenue_minor: 1000,
                ..OfferRow::default()
            },
            OfferRow {
                key: key("upsell", "r_addon", "pdt_addon", "USD"),
                impressions: 1,
                suppressed: 1,
                ..OfferRow::default()
            },
        ]
    );
    // Standalone: everything else, o6's expiry included (it was shown standalone).
    let rows = offers::offer_rows(&store, &with(Surface::Standalone, LocaleFilter::All))
        .await
        .expect("rows");
    let kinds: Vec<(&str, i64, i64, i64)> = rows
        .iter()
        .map(|r| (r.key.kind.as_str(), r.impressions, r.accepts, r.expiries))
        .collect();
    assert_eq!(kinds, vec![("downsell", 1, 1, 0), ("upsell", 4, 2, 1)]);
    // en-IN: only o2, declined.
    let rows = offers::offer_rows(
        &store,
        &with(Surface::All, LocaleFilter::Only(Locale::EnIn)),
    )
    .await
    .expect("rows");
    assert_eq!(
        rows,
        vec![OfferRow {
            key: key("upsell", "r_addon", "pdt_addon", "USD"),
            impressions: 1,
            declines: 1,
            ..OfferRow::default()
        }]
    );
    // Standalone in Hindi: nothing (o4 was shown in Hindi, embedded).
    let none = offers::offer_rows(
        &store,
        &with(Surface::Standalone, LocaleFilter::Only(Locale::Hi)),
    )
    .await
    .expect("rows");
    assert_eq!(none, Vec::new());

    // The end is exclusive: o7 (shown at BASE + 3 days) is in the next period, not this one.
    let next = AnalyticsFilter::new(
        BASE + 3 * DAY_MS,
        BASE + 4 * DAY_MS,
        Surface::All,
        LocaleFilter::All,
    )
    .expect("filter");
    let rows = offers::offer_rows(&store, &next).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].impressions, rows[0].declines), (1, 1));
    // The start is inclusive: o6 (shown at BASE − 1) is in a period starting then.
    let before =
        AnalyticsFilter::new(BASE - 1, BASE, Surface::All, LocaleFilter::All).expect("filter");
    let rows = offers::offer_rows(&store, &before).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].impressions, rows[0].expiries), (1, 0));
}
both_backends!(filters);

async fn daily_series_and_funnel(store: Store) {
    fixture(&store).await;
    let filter = period(3);
    let series = series::daily(&store, &filter).await.expect("series");
    assert_eq!(series.currencies, vec!["INR".to_owned(), "USD".to_owned()]);
    let days: Vec<(String, i64, i64, i64, i64)> = series
        .days
        .iter()
        .map(|d| {
            (
                d.date(),
                d.impressions,
                d.accepts,
                d.net_minor["INR"],
                d.net_minor["USD"],
            )
        })
        .collect();
    assert_eq!(
        days,
        vec![
            ("2025-11-08".to_owned(), 3, 2, 0, 2900),
            // pay_3 confirmed, o1's 29.00 refunded.
            ("2025-11-09".to_owned(), 2, 1, 0, 1500 - 2900),
            ("2025-11-10".to_owned(), 2, 1, 1000, -500),
        ]
    );
    // The series add up to the table.
    let rows = offers::offer_rows(&store, &filter).await.expect("rows");
    let usd_net: i64 = rows
        .iter()
        .filter(|r| r.key.currency == "USD")
        .map(OfferRow::net_revenue_minor)
        .sum();
    assert_eq!(
        series.days.iter().map(|d| d.net_minor["USD"]).sum::<i64>(),
        usd_net
    );
    assert_eq!(
        series.days.iter().map(|d| d.impressions).sum::<i64>(),
        rows.iter().map(|r| r.impressions).sum::<i64>()
    );
    assert_eq!(
        csv::daily_csv(&series).expect("csv"),
        "date,impressions,accepts,net_revenue_INR,net_revenue_USD\n\
         2025-11-08,3,2,0.00,29.00\n\
         2025-11-09,2,1,0.00,-14.00\n\
         2025-11-10,2,1,10.00,-5.00\n"
    );
    // A day without events is there, with zeros.
    let longer = series::daily(&store, &period(4)).await.expect("series");
    assert_eq!(longer.days.len(), 4);
    assert_eq!(longer.days[3].date(), "2025-11-11");
    assert_eq!((longer.days[3].impressions, longer.days[3].accepts), (1, 0));

    // Shown: o1, o8, o2, o3, o4, o5; accepted o1, o8, o3, o4; paid o1, o3, o4 (o8 never
    // confirmed); kept o3 (refunded in part) and o4 (o1 was refunded in full).
    let f = funnel::funnel(&store, &filter).await.expect("funnel");
    assert_eq!(
        f,
        Funnel {
            shown: 6,
            accepted: 4,
            paid: 3,
            kept: 2
        }
    );
    let embedded = AnalyticsFilter::new(
        BASE,
        BASE + 3 * DAY_MS,
        Surface::Embedded,
        LocaleFilter::All,
    )
    .expect("filter");
    let f = funnel::funnel(&store, &embedded).await.expect("funnel");
    assert_eq!(
        f,
        Funnel {
            shown: 2,
            accepted: 1,
            paid: 1,
            kept: 1
        }
    );
    // An empty period: zeros, no division.
    let empty = AnalyticsFilter::new(0, DAY_MS, Surface::All, LocaleFilter::All).expect("filter");
    assert_eq!(
        funnel::funnel(&store, &empty).await.expect("funnel"),
        Funnel::default()
    );
    assert_eq!(Funnel::default().kept_rate().value(), None);
}
both_backends!(daily_series_and_funnel);

async fn plan_change_directions(store: Store) {
    fixture(&store).await;
    let rows = plan_changes::plan_change_rows(&store, &period(3))
        .await
        .expect("rows");
    let row = |direction, confirmed, succeeded, charged, refunded, recurring| PlanChangeRow {
        direction,
        currency: "USD".into(),
        confirmed,
        succeeded,
        charged_minor: charged,
        refunded_minor: refunded,
        recurring_change_minor: recurring,
    };
    assert_eq!(
        rows,
        vec![
            // pca_up (+50.00 a month), pca_fail, pca_seats (no prices kept: no recurring).
            row(PlanDirection::Upgrade, 3, 2, 5000, 1000, 5000),
            // 30.00 a month instead of 800.00 a year (66.67 a month).
            row(PlanDirection::Downgrade, 1, 1, 0, 0, 3000 - 6667),
            row(PlanDirection::Unknown, 1, 1, 0, 0, 0),
        ]
    );
    assert_eq!(rows[0].charged_net_minor(), 4000);
}
both_backends!(plan_change_directions);

async fn the_dashboard_and_its_charts(store: Store) {
    fixture(&store).await;
    let d = dashboard(&store, &period(3)).await.expect("dashboard");
    assert_eq!(d.offers.len(), 3);
    assert_eq!(d.plan_changes.len(), 3);
    assert_eq!(d.daily.days.len(), 3);
    assert_eq!(d.funnel.shown, 6);

    let c =
        chart::daily_svg(&d.daily, &chart::DailyMetric::NetRevenue("USD".into())).expect("chart");
    assert_eq!(
        c.caption,
        "Net revenue per day (USD, confirmed by Dodo, net of refunds), 2025-11-08 to 2025-11-10 \
         (UTC days): 10.00 USD in total; the highest on 2025-11-08 (29.00 USD)."
    );
    assert!(c.svg.starts_with("<svg role=\"img\" aria-label=\"Net revenue per day (USD, confirmed by Dodo, net of refunds)\""), "{}", c.svg);
    assert!(c.svg.contains(
        "<title>Net revenue per day (USD, confirmed by Dodo, net of refunds)</title><desc>"
    ));
    assert!(c.svg.trim_end().ends_with("</svg>"));
    // Three bars: one above the axis, two below it (days when refunds exceeded revenue).
    assert_eq!(c.svg.matches("fill=\"#2563EB\"").count(), 1, "{}", c.svg);
    assert_eq!(c.svg.matches("fill=\"#DC2626\"").count(), 2, "{}", c.svg);

    let c = chart::daily_svg(&d.daily, &chart::DailyMetric::Impressions).expect("chart");
    assert_eq!(
        c.caption,
        "Impressions per day, 2025-11-08 to 2025-11-10 (UTC days): 7 in total; the highest on 2025-11-08 (3)."
    );
    let f = chart::funnel_svg(&d.funnel).expect("funnel chart");
    assert_eq!(
        f.caption,
        "Of 6 offers shown, 4 were accepted, 3 paid (confirmed by Dodo) and 2 kept (not refunded in full)."
    );
    assert!(f.svg.contains("role=\"img\""));
    for label in ["shown", "accepted", "paid", "kept", "6", "4", "3", "2"] {
        let text = format!(">\n{label}\n</text>");
        assert!(f.svg.contains(&text), "{label} in {}", f.svg);
    }
}
both_backends!(the_dashboard_and_its_charts);

async fn impressions_keep_the_request_locale(store: Store) {
    offer(&store, "o1", "upsell", "r", "p", "USD").await;
    // Outside a request the context is the default: English.
    store.record_impression("o1", true);
    store.record_impression_in("o1", false, Locale::Hi.tag());
    store.impressions_written().await;
    let rows = sqlx::query("SELECT locale, embedded FROM impressions ORDER BY embedded")
        .fetch_all(store.pool())
        .await
        .expect("rows");
    let got: Vec<(String, i64)> = rows
        .iter()
        .map(|r| {
            use sqlx::Row;
            (r.get("locale"), r.get("embedded"))
        })
        .collect();
    assert_eq!(got, vec![("hi".to_owned(), 0), ("en".to_owned(), 1)]);
}
both_backends!(impressions_keep_the_request_locale);
