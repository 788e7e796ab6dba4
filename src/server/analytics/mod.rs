//! The merchant dashboard's numbers (issue 15): what each offer and each plan-change direction
//! earned, confirmed by Dodo's webhooks and net of refunds, per day, as a funnel, as SVG
//! charts and as CSV. Server-only; pages call [`dashboard`] and hand its parts to [`chart`]
//! and [`csv`].
//!
//! What counts when (the README's "Merchant dashboard: the numbers" says it for merchants):
//! every event counts in the period and on the UTC day it happened — an impression when it
//! was shown, a decision when it was made, revenue when Dodo's `payment.succeeded` webhook
//! says the payment succeeded, a refund when its `refund.succeeded` webhook does. So the daily
//! series add up to the table. The funnel instead follows the offers shown in the period to
//! wherever they went since. Money is never summed across currencies: every money figure is
//! per currency.

pub mod chart;
pub mod csv;
pub mod filter;
pub mod funnel;
pub mod offers;
pub mod plan_changes;
pub mod series;

#[cfg(test)]
mod tests;

pub use filter::{AnalyticsFilter, FilterError, LocaleFilter, Surface};
pub use funnel::Funnel;
pub use offers::{OfferKey, OfferRow};
pub use plan_changes::{PlanChangeRow, PlanDirection};
pub use series::{DailyPoint, DailySeries};

use crate::server::store::{Store, StoreError};

/// `numerator / denominator`, kept as integers so nothing is rounded until it is shown;
/// `None` when the denominator is zero (no impressions: no conversion, not 0 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    pub fn new(numerator: i64, denominator: i64) -> Ratio {
        Ratio {
            numerator,
            denominator,
        }
    }

    pub fn value(self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// As a percentage with `decimals` places (`"12.5%"`), or `"–"` without a denominator.
    pub fn percent(self, decimals: usize) -> String {
        match self.value() {
            Some(v) => format!("{:.*}%", decimals, v * 100.0),
            None => "–".to_owned(),
        }
    }
}

/// Everything the dashboard's main page shows for one filter.
#[derive(Clone, Debug, PartialEq)]
pub struct Dashboard {
    pub filter: AnalyticsFilter,
    /// One row per (kind, rule, product, currency), ordered by kind, rule, product, currency.
    pub offers: Vec<OfferRow>,
    /// One row per (direction, currency).
    pub plan_changes: Vec<PlanChangeRow>,
    pub daily: DailySeries,
    pub funnel: Funnel,
}

/// The dashboard's main query set for `filter`. The four parts read independently, each on a
/// read-only connection of its own ([`Store::reads`]; SQLite's readers do not block each other
/// or the writer in WAL mode), so the page waits for the slowest part, not for their sum.
pub async fn dashboard(store: &Store, filter: &AnalyticsFilter) -> Result<Dashboard, StoreError> {
    // Every view this instance has served is counted, not only those already flushed.
    store.impressions_written().await;
    let (offers, plan_changes, daily, funnel) = tokio::try_join!(
        offers::offer_rows(store, filter),
        plan_changes::plan_change_rows(store, filter),
        series::daily(store, filter),
        funnel::funnel(store, filter),
    )?;
    Ok(Dashboard {
        filter: *filter,
        offers,
        plan_changes,
        daily,
        funnel,
    })
}

/// Decodes a `CAST(SUM(…) AS BIGINT)` column: `NULL` (nothing summed) is 0.
fn sum(row: &sqlx::any::AnyRow, column: &str) -> Result<i64, sqlx::Error> {
    use sqlx::Row;
    Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0))
}
