//! The daily series: impressions, accepts and net revenue per UTC day, grouped in SQL by
//! `time / 86400000` (integer division on both backends), days without events filled with
//! zeros here. They add up to the offers table's totals for the same filter.

use super::filter::{AnalyticsFilter, DAY_MS, impression_conditions, offer_shown_condition};
use super::offers::bind_period;
use super::sum;
use crate::server::store::{Store, StoreError};
use sqlx::Row;
use std::collections::BTreeMap;

/// One UTC day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DailyPoint {
    /// Unix ms of the day's start (00:00 UTC).
    pub day_start_ms: i64,
    pub impressions: i64,
    pub accepts: i64,
    /// Confirmed revenue minus confirmed refunds that day, per currency (every currency of
    /// the period is present on every day, 0 when nothing happened).
    pub net_minor: BTreeMap<String, i64>,
}

impl DailyPoint {
    /// The day as `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        time::OffsetDateTime::from_unix_timestamp(self.day_start_ms.div_euclid(1000))
            .map(|t| t.date().to_string())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DailySeries {
    /// Every day the period touches, in order.
    pub days: Vec<DailyPoint>,
    /// The currencies with money in the period, in order.
    pub currencies: Vec<String>,
}

/// The daily series for `filter`.
pub async fn daily(store: &Store, filter: &AnalyticsFilter) -> Result<DailySeries, StoreError> {
    let pool = store.reads();
    let shown = offer_shown_condition(filter, "o");
    let first_day = filter.from_ms.div_euclid(DAY_MS);
    let mut days: Vec<DailyPoint> = filter
        .days()
        .map(|d| DailyPoint {
            day_start_ms: d * DAY_MS,
            ..DailyPoint::default()
        })
        .collect();

    let sql = format!(
        "SELECT i.shown_at / {DAY_MS} AS day, COUNT(*) AS n FROM impressions i \
         WHERE i.shown_at >= $1 AND i.shown_at < $2{} GROUP BY i.shown_at / {DAY_MS}",
        impression_conditions(filter, "i")
    );
    for row in bind_period(&sql, filter).fetch_all(pool).await? {
        if let Some(point) = at(&mut days, first_day, row.try_get("day")?) {
            point.impressions = row.try_get("n")?;
        }
    }

    let sql = format!(
        "SELECT d.decided_at / {DAY_MS} AS day, COUNT(*) AS n FROM decisions d JOIN offers o ON o.id = d.offer_id \
         WHERE d.decision = 'accepted' AND d.decided_at >= $1 AND d.decided_at < $2{shown} \
         GROUP BY d.decided_at / {DAY_MS}"
    );
    for row in bind_period(&sql, filter).fetch_all(pool).await? {
        if let Some(point) = at(&mut days, first_day, row.try_get("day")?) {
            point.accepts = row.try_get("n")?;
        }
    }

    let money = [
        (
            format!(
                "SELECT p.confirmed_at / {DAY_MS} AS day, p.currency, CAST(SUM(p.amount_minor) AS BIGINT) AS total \
                 FROM confirmed_payments p JOIN offers o ON o.id = p.offer_id \
                 WHERE p.confirmed_at >= $1 AND p.confirmed_at < $2{shown} \
                 GROUP BY p.confirmed_at / {DAY_MS}, p.currency"
            ),
            1,
        ),
        (
            format!(
                "SELECT r.succeeded_at / {DAY_MS} AS day, r.currency, CAST(SUM(r.amount_minor) AS BIGINT) AS total \
                 FROM refunds_seen r JOIN confirmed_payments p ON p.payment_id = r.payment_id \
                 JOIN offers o ON o.id = p.offer_id \
                 WHERE r.succeeded_at >= $1 AND r.succeeded_at < $2{shown} \
                 GROUP BY r.succeeded_at / {DAY_MS}, r.currency"
            ),
            -1,
        ),
    ];
    let mut currencies = std::collections::BTreeSet::new();
    for (sql, sign) in &money {
        for row in bind_period(sql, filter).fetch_all(pool).await? {
            let currency: String = row.try_get("currency")?;
            let total = sum(&row, "total")?;
            currencies.insert(currency.clone());
            if let Some(point) = at(&mut days, first_day, row.try_get("day")?) {
                *point.net_minor.entry(currency).or_default() += sign * total;
            }
        }
    }
    for point in &mut days {
        for currency in &currencies {
            point.net_minor.entry(currency.clone()).or_default();
        }
    }
    Ok(DailySeries {
        days,
        currencies: currencies.into_iter().collect(),
    })
}

/// The point of day number `day`. Rows come from inside the period, so they index `days`; a
/// day outside it (none should be) is skipped.
fn at(days: &mut [DailyPoint], first_day: i64, day: i64) -> Option<&mut DailyPoint> {
    usize::try_from(day - first_day)
        .ok()
        .and_then(|i| days.get_mut(i))
}
