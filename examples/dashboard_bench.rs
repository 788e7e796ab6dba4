//! The merchant dashboard's main query set (`analytics::dashboard`) on a large record, for
//! `make bench` (scripts/bench.sh, scenario e): 100,000 impressions of 20,000 offers and
//! 10,000 attempts (9,000 charges, 1,000 plan changes) over 30 days, with decisions,
//! webhook-confirmed payments and refunds; then the dashboard for the last 30 days (all, and
//! embedded in Indonesian) and for a year, each run several times. Prints one line per case:
//! `dashboard <backend> <case>: median=…ms max=…ms`.
//!
//! ```sh
//! cargo run --release --example dashboard_bench --features ssr -- sqlite://target/bench/dash.db
//! cargo run --release --example dashboard_bench --features ssr -- postgres://postgres@127.0.0.1:5432/dash
//! ```
//! The store must be new (the SQLite file is created; the PostgreSQL database must exist and
//! be empty).

use dodo_upsell::server::analytics::{self, AnalyticsFilter, LocaleFilter, Surface};
use dodo_upsell::server::store::Store;
use std::time::Instant;

const DAY: i64 = 86_400_000;
const OFFERS: i64 = 20_000;
const IMPRESSIONS: i64 = 100_000;
const CHARGES: i64 = 9_000;
const PLAN_CHANGES: i64 = 1_000;
const RUNS: usize = 7;
/// Rows per INSERT (PostgreSQL takes at most 65,535 bound values per statement).
const BATCH: i64 = 1_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: dashboard_bench DATABASE_URL");
        std::process::exit(2);
    };
    let store = match Store::open(&url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dashboard_bench: {e}");
            std::process::exit(1);
        }
    };
    let now = dodo_upsell::server::store::now_millis();
    let start = (now / DAY - 30) * DAY;
    let filled = Instant::now();
    if let Err(e) = fill(&store, start).await {
        eprintln!("dashboard_bench: filling the store failed: {e}");
        std::process::exit(1);
    }
    println!(
        "dashboard {}: {IMPRESSIONS} impressions, {OFFERS} offers, {} attempts written in {:.1} s",
        store.backend(),
        CHARGES + PLAN_CHANGES,
        filled.elapsed().as_secs_f64()
    );
    let month = |surface, locale| {
        AnalyticsFilter::new(start, start + 31 * DAY, surface, locale).expect("filter")
    };
    let cases = [
        ("last 30 days, all", month(Surface::All, LocaleFilter::All)),
        (
            "last 30 days, embedded, id",
            month(
                Surface::Embedded,
                LocaleFilter::Only(dodo_upsell::i18n::Locale::Id),
            ),
        ),
        (
            "a year, all",
            AnalyticsFilter::new(
                start + 31 * DAY - 366 * DAY,
                start + 31 * DAY,
                Surface::All,
                LocaleFilter::All,
            )
            .expect("filter"),
        ),
    ];
    for (name, filter) in cases {
        let mut times = Vec::with_capacity(RUNS);
        let mut shown = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            match analytics::dashboard(&store, &filter).await {
                Ok(d) => shown = d.funnel.shown,
                Err(e) => {
                    eprintln!("dashboard_bench: {e}");
                    std::process::exit(1);
                }
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        // Where the time goes, once per case.
        let t = Instant::now();
        let _ = analytics::offers::offer_rows(&store, &filter).await;
        let offers = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let _ = analytics::plan_changes::plan_change_rows(&store, &filter).await;
        let plans = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let _ = analytics::series::daily(&store, &filter).await;
        let daily = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let _ = analytics::funnel::funnel(&store, &filter).await;
        let funnel = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "dashboard {} {name}: median={:.1}ms max={:.1}ms ({shown} offers shown; \
             offers {offers:.0} ms, plan changes {plans:.0} ms, daily {daily:.0} ms, funnel {funnel:.0} ms)",
            store.backend(),
            times[RUNS / 2],
            times[RUNS - 1]
        );
    }
    store.close().await;
}

/// Writes the record in batches, each a multi-row INSERT inside one transaction.
async fn fill(store: &Store, start: i64) -> Result<(), sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    let kinds = ["upsell", "downsell", "cross_sell"];
    let locales = ["en", "en-IN", "id", "hi"];
    let decisions = ["accepted", "declined", "declined", "expired", "suppressed"];
    let offer_at = |i: i64| start + (i * 30 * DAY) / OFFERS;
    for chunk in (0..OFFERS).step_by(BATCH as usize) {
        let rows: Vec<String> = (chunk..(chunk + BATCH).min(OFFERS))
            .map(|i| {
                format!(
                    "('off_{i}', '{}', 'cus_{}', 'pdt_{}', 2900, '{}', 'rule_{}', 1, {}, {})",
                    kinds[(i % 3) as usize],
                    i % 5000,
                    i % 20,
                    if i % 5 == 0 { "INR" } else { "USD" },
                    i % 10,
                    offer_at(i),
                    offer_at(i) + DAY
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO offers (id, kind, customer_id, product_id, price_minor, currency, rule_id, step, created_at, expires_at) VALUES {}",
            rows.join(",")
        ))
        .execute(&mut *tx)
        .await?;
        let rows: Vec<String> = (chunk..(chunk + BATCH).min(OFFERS))
            .map(|i| {
                format!(
                    "('off_{i}', '{}', {})",
                    decisions[(i % 5) as usize],
                    offer_at(i) + 60_000
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO decisions (offer_id, decision, decided_at) VALUES {}",
            rows.join(",")
        ))
        .execute(&mut *tx)
        .await?;
    }
    for chunk in (0..IMPRESSIONS).step_by(BATCH as usize) {
        let rows: Vec<String> = (chunk..(chunk + BATCH).min(IMPRESSIONS))
            .map(|i| {
                let offer = i % OFFERS;
                format!(
                    "('imp_{i}', 'off_{offer}', {}, {}, '{}')",
                    offer_at(offer) + (i / OFFERS) * 1000,
                    i64::from(i % 3 == 0),
                    locales[(i % 4) as usize]
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO impressions (id, offer_id, shown_at, embedded, locale) VALUES {}",
            rows.join(",")
        ))
        .execute(&mut *tx)
        .await?;
    }
    // Charges: the accepted offers (every fifth) succeed and are confirmed; the others are
    // earlier failed attempts on declined offers. Every tenth confirmed payment is refunded.
    let attempts = CHARGES + PLAN_CHANGES;
    for chunk in (0..attempts).step_by(BATCH as usize) {
        let mut rows = Vec::new();
        let mut paid = Vec::new();
        let mut refunds = Vec::new();
        for i in chunk..(chunk + BATCH).min(attempts) {
            let (kind, offer, sub, order) = if i < CHARGES {
                (
                    "charge",
                    format!("'off_{}'", (i * 2) % OFFERS),
                    "NULL".to_owned(),
                    "{}".to_owned(),
                )
            } else {
                (
                    "plan_change",
                    "NULL".to_owned(),
                    format!("'sub_{i}'"),
                    PLAN_ORDER.replace("{dir}", if i % 3 == 0 { "downgrade" } else { "upgrade" }),
                )
            };
            let at = start + (i * 30 * DAY) / attempts;
            let succeeded = i >= CHARGES || (i * 2) % 5 == 0;
            rows.push(format!(
                "('att_{i}', '{kind}', 'key_{i}', 'cus_{}', {offer}, 'pdt_1', 1, {sub}, 2900, 'USD', 0, '{order}', '{}', 'pay_{i}', {at}, {at})",
                i % 5000,
                if succeeded { "succeeded" } else { "failed" }
            ));
            if succeeded {
                let offer_col = if i < CHARGES {
                    offer.clone()
                } else {
                    "NULL".to_owned()
                };
                paid.push(format!(
                    "('pay_{i}', 'att_{i}', {offer_col}, 2900, 'USD', {})",
                    at + 1000
                ));
                if i % 10 == 0 {
                    refunds.push(format!("('ref_{i}', 'pay_{i}', 1000, 'USD', {})", at + DAY));
                }
            }
        }
        sqlx::query(&format!(
            "INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, subscription_id, \
             amount_minor, currency, exclusive, order_json, status, dodo_payment_id, created_at, updated_at) VALUES {}",
            rows.join(",")
        ))
        .execute(&mut *tx)
        .await?;
        for (table, values) in [
            (
                "confirmed_payments (payment_id, attempt_id, offer_id, amount_minor, currency, confirmed_at)",
                paid,
            ),
            (
                "refunds_seen (refund_id, payment_id, amount_minor, currency, succeeded_at)",
                refunds,
            ),
        ] {
            if !values.is_empty() {
                sqlx::query(&format!("INSERT INTO {table} VALUES {}", values.join(",")))
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    // Fresh statistics, as a store that has been running has.
    sqlx::query("ANALYZE").execute(store.pool()).await?;
    Ok(())
}

/// A plan change's order as the engine records it (direction and prices kept).
const PLAN_ORDER: &str = r#"{"plan_change":{"idempotency_key":"k","subscription_id":"s","customer_id":"c","from_product_id":"basic","from_quantity":1,"to_product_id":"pro","quantity":1,"proration_billing_mode":"prorated_immediately","effective_at":"immediately","on_payment_failure":"prevent_change","addons":[],"previewed_total_minor":2900,"previewed_credits_minor":0,"currency":"USD","send_before":0,"recurring":{"direction":"{dir}","from":{"amount_minor":3000,"currency":"USD","interval":"Month","interval_count":1},"to":{"amount_minor":8000,"currency":"USD","interval":"Month","interval_count":1}}}}"#;
