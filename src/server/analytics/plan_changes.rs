//! Plan changes per direction: how many subscribers confirmed a switch in the period, how many
//! went through, what Dodo's webhooks confirmed they were charged (net of refunds), and how
//! the recurring revenue moved.
//!
//! The direction and both plans' prices come from the order recorded with the attempt
//! (`PlanChangeOrder::recurring`, kept since the dashboard). For older orders the direction
//! is derived from what the attempt stored: a seat change on the same plan (more seats up,
//! fewer down); any other is `unknown`, with no recurring change.
//! Not counted: previews. Dodo's previews are not recorded, only confirmed changes.

use super::filter::AnalyticsFilter;
use super::offers::bind_period;
use super::sum;
use crate::server::attempts::plan_change::{PlanPrice, RecurringChange};
use crate::server::store::{Store, StoreError};
use dodo_client::Interval;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlanDirection {
    Upgrade,
    Downgrade,
    /// An older change between two plans, recorded before directions were kept.
    Unknown,
}

impl PlanDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanDirection::Upgrade => "upgrade",
            PlanDirection::Downgrade => "downgrade",
            PlanDirection::Unknown => "unknown",
        }
    }
}

/// One row per direction and currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanChangeRow {
    pub direction: PlanDirection,
    pub currency: String,
    /// Changes subscribers confirmed in the period (recorded attempts).
    pub confirmed: i64,
    /// Of those, the ones that went through (Dodo switched the plan).
    pub succeeded: i64,
    /// Charged now for them, as Dodo's `payment.succeeded` webhooks confirmed (minor units).
    pub charged_minor: i64,
    /// Refunded of those charges (`refund.succeeded`).
    pub refunded_minor: i64,
    /// Recurring revenue per month after minus before, over the succeeded changes whose
    /// prices are known (minor units; a month is a twelfth of a year).
    pub recurring_change_minor: i64,
}

impl PlanChangeRow {
    pub fn charged_net_minor(&self) -> i64 {
        self.charged_minor - self.refunded_minor
    }
}

/// The plan-change table for `filter` (its period only: a plan change has no offer, surface
/// or locale of its own), ordered by direction and currency.
pub async fn plan_change_rows(
    store: &Store,
    filter: &AnalyticsFilter,
) -> Result<Vec<PlanChangeRow>, StoreError> {
    let pool = store.reads();
    let attempts = bind_period(
        "SELECT id, status, currency, order_json FROM attempts \
         WHERE kind = 'plan_change' AND created_at >= $1 AND created_at < $2",
        filter,
    )
    .fetch_all(pool)
    .await?;
    let mut rows: BTreeMap<(PlanDirection, String), PlanChangeRow> = BTreeMap::new();
    let mut direction_of: HashMap<String, PlanDirection> = HashMap::new();
    for row in &attempts {
        let id: String = row.try_get("id")?;
        let currency: String = row.try_get("currency")?;
        let order = order_of(&row.try_get::<String, _>("order_json")?);
        let direction = order.as_ref().map_or(PlanDirection::Unknown, direction);
        let succeeded = row.try_get::<String, _>("status")? == "succeeded";
        let row = entry(&mut rows, direction, &currency);
        row.confirmed += 1;
        if succeeded {
            row.succeeded += 1;
            if let Some(change) = order.as_ref().and_then(recurring_change) {
                // Prices in another currency than the charge would be a mixed sum: their own row.
                entry(&mut rows, direction, &change.1).recurring_change_minor += change.0;
            }
        }
        direction_of.insert(id, direction);
    }

    let money = [
        (
            "SELECT p.attempt_id, p.currency, CAST(SUM(p.amount_minor) AS BIGINT) AS total \
             FROM confirmed_payments p JOIN attempts a ON a.id = p.attempt_id \
             WHERE a.kind = 'plan_change' AND a.created_at >= $1 AND a.created_at < $2 \
             GROUP BY p.attempt_id, p.currency",
            false,
        ),
        (
            "SELECT p.attempt_id, r.currency, CAST(SUM(r.amount_minor) AS BIGINT) AS total \
             FROM refunds_seen r JOIN confirmed_payments p ON p.payment_id = r.payment_id \
             JOIN attempts a ON a.id = p.attempt_id \
             WHERE a.kind = 'plan_change' AND a.created_at >= $1 AND a.created_at < $2 \
             GROUP BY p.attempt_id, r.currency",
            true,
        ),
    ];
    for (sql, refunds) in money {
        for row in bind_period(sql, filter).fetch_all(pool).await? {
            let attempt: String = row.try_get("attempt_id")?;
            let currency: String = row.try_get("currency")?;
            let direction = direction_of
                .get(&attempt)
                .copied()
                .unwrap_or(PlanDirection::Unknown);
            let total = sum(&row, "total")?;
            let at = entry(&mut rows, direction, &currency);
            if refunds {
                at.refunded_minor += total;
            } else {
                at.charged_minor += total;
            }
        }
    }
    Ok(rows.into_values().collect())
}

fn entry<'a>(
    rows: &'a mut BTreeMap<(PlanDirection, String), PlanChangeRow>,
    direction: PlanDirection,
    currency: &str,
) -> &'a mut PlanChangeRow {
    rows.entry((direction, currency.to_owned()))
        .or_insert_with(|| PlanChangeRow {
            direction,
            currency: currency.to_owned(),
            confirmed: 0,
            succeeded: 0,
            charged_minor: 0,
            refunded_minor: 0,
            recurring_change_minor: 0,
        })
}

/// What the numbers need of a stored plan-change order (`attempts::Order::PlanChange`, whose
/// field names these are); the rest of the order is skipped unread, which keeps a year of
/// changes quick to read.
#[derive(Debug, serde::Deserialize)]
struct Facts {
    from_product_id: String,
    from_quantity: i64,
    to_product_id: String,
    quantity: i64,
    #[serde(default)]
    recurring: Option<RecurringChange>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum StoredOrder {
    PlanChange(Facts),
}

/// The stored order, when it is a readable plan change (a corrupt one counts as `unknown`).
fn order_of(json: &str) -> Option<Facts> {
    match serde_json::from_str::<StoredOrder>(json) {
        Ok(StoredOrder::PlanChange(facts)) => Some(facts),
        Err(_) => None,
    }
}

fn direction(order: &Facts) -> PlanDirection {
    match order.recurring.as_ref().map(|r| r.direction.as_str()) {
        Some("upgrade") => PlanDirection::Upgrade,
        Some("downgrade") => PlanDirection::Downgrade,
        Some(_) => PlanDirection::Unknown,
        // Recorded before directions were kept: a seat change says which way it goes.
        None if order.from_product_id == order.to_product_id => {
            match order.quantity.cmp(&order.from_quantity) {
                std::cmp::Ordering::Less => PlanDirection::Downgrade,
                _ => PlanDirection::Upgrade,
            }
        }
        None => PlanDirection::Unknown,
    }
}

/// Recurring revenue per month after minus before, with its currency; `None` when the prices
/// are unknown or in two currencies.
fn recurring_change(order: &Facts) -> Option<(i64, String)> {
    let r = order.recurring.as_ref()?;
    if r.from.currency != r.to.currency {
        return None;
    }
    let after = per_month(&r.to, order.quantity);
    let before = per_month(&r.from, order.from_quantity);
    Some((after - before, r.to.currency.clone()))
}

/// `price` × `quantity` per month, rounded to the nearest minor unit (a month is a twelfth of
/// a 365-day year: 730 hours, as `plan_change::family::direction` counts it).
pub(super) fn per_month(price: &PlanPrice, quantity: i64) -> i64 {
    let hours: i128 = match price.interval {
        Interval::Day => 24,
        Interval::Week => 168,
        Interval::Year => 8760,
        _ => 730,
    } * i128::from(price.interval_count.max(1));
    let total = i128::from(price.amount_minor) * i128::from(quantity) * 730;
    let rounded = (2 * total + hours).div_euclid(2 * hours);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(amount_minor: i64, interval: Interval, interval_count: i64) -> PlanPrice {
        PlanPrice {
            amount_minor,
            currency: "USD".into(),
            interval,
            interval_count,
        }
    }

    #[test]
    fn prices_per_month() {
        assert_eq!(per_month(&price(3000, Interval::Month, 1), 2), 6000);
        // 80000 a year is 6666.67 a month.
        assert_eq!(per_month(&price(80000, Interval::Year, 1), 1), 6667);
        assert_eq!(per_month(&price(20000, Interval::Month, 3), 1), 6667);
        assert_eq!(per_month(&price(1000, Interval::Week, 1), 1), 4345);
    }
}
