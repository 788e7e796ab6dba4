//! Offer analytics: per (kind, rule, product) and currency, what was shown, decided, paid
//! (confirmed by Dodo's webhooks) and refunded in the period.

use super::filter::{AnalyticsFilter, impression_conditions, offer_shown_condition};
use super::{Ratio, sum};
use crate::server::store::{Store, StoreError};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

/// What a row is about. `kind` is `upsell`, `downsell` or `cross_sell`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OfferKey {
    pub kind: String,
    pub rule_id: String,
    pub product_id: String,
    /// The currency of the row's money: the offer's price currency for impressions and
    /// decisions, the payment's and refund's for money.
    pub currency: String,
}

/// One row of the offers table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfferRow {
    pub key: OfferKey,
    pub impressions: i64,
    pub accepts: i64,
    pub declines: i64,
    /// "Don't show me offers like this again".
    pub suppressed: i64,
    pub expiries: i64,
    /// Payments Dodo's `payment.succeeded` webhooks confirmed, and their sum (minor units).
    pub payments: i64,
    pub revenue_minor: i64,
    /// Refunds Dodo's `refund.succeeded` webhooks confirmed for these offers' payments.
    pub refunds: i64,
    pub refunded_minor: i64,
    /// Of those refunds, the customer's own undos (a refund our undo sent, idempotency key
    /// `undo:<offer>`), and their sum: purchases taken back in the undo window, shown apart
    /// from refunds the merchant made in Dodo's dashboard.
    pub undone: i64,
    pub undone_minor: i64,
}

impl OfferRow {
    /// Accepts per impression.
    pub fn conversion(&self) -> Ratio {
        Ratio::new(self.accepts, self.impressions)
    }

    pub fn net_revenue_minor(&self) -> i64 {
        self.revenue_minor - self.refunded_minor
    }

    /// Net revenue (minor units) per impression.
    pub fn net_per_impression(&self) -> Ratio {
        Ratio::new(self.net_revenue_minor(), self.impressions)
    }
}

const KEY: &str = "o.kind, o.rule_id, o.product_id";

fn key(row: &AnyRow, currency: &str) -> Result<OfferKey, sqlx::Error> {
    Ok(OfferKey {
        kind: row.try_get("kind")?,
        rule_id: row.try_get("rule_id")?,
        product_id: row.try_get("product_id")?,
        currency: row.try_get(currency)?,
    })
}

/// The offers table for `filter`, ordered by its key.
pub async fn offer_rows(
    store: &Store,
    filter: &AnalyticsFilter,
) -> Result<Vec<OfferRow>, StoreError> {
    let mut rows: BTreeMap<OfferKey, OfferRow> = BTreeMap::new();
    let shown = offer_shown_condition(filter, "o");
    let pool = store.reads();

    // Counted per offer first (an index-only scan of `impressions`), then per key: joining
    // every impression to its offer and sorting by four text columns costs twice as much.
    let impressions = format!(
        "SELECT {KEY}, o.currency, CAST(SUM(i.n) AS BIGINT) AS n \
         FROM (SELECT i.offer_id, COUNT(*) AS n FROM impressions i \
               WHERE i.shown_at >= $1 AND i.shown_at < $2{} GROUP BY i.offer_id) i \
         JOIN offers o ON o.id = i.offer_id GROUP BY {KEY}, o.currency",
        impression_conditions(filter, "i")
    );
    let decisions = format!(
        "SELECT {KEY}, o.currency, d.decision, COUNT(*) AS n FROM decisions d JOIN offers o ON o.id = d.offer_id \
         WHERE d.decided_at >= $1 AND d.decided_at < $2{shown} GROUP BY {KEY}, o.currency, d.decision"
    );
    // `confirmed_payments.offer_id` is set only for charges and checkouts of an offer (a plan
    // change has no offer), so joining on it is the "charge/checkout of this offer" rule.
    let payments = format!(
        "SELECT {KEY}, p.currency AS money_currency, COUNT(*) AS n, CAST(SUM(p.amount_minor) AS BIGINT) AS total \
         FROM confirmed_payments p JOIN offers o ON o.id = p.offer_id \
         WHERE p.confirmed_at >= $1 AND p.confirmed_at < $2{shown} GROUP BY {KEY}, p.currency"
    );
    let refunds = format!(
        "SELECT {KEY}, r.currency AS money_currency, COUNT(*) AS n, CAST(SUM(r.amount_minor) AS BIGINT) AS total \
         FROM refunds_seen r JOIN confirmed_payments p ON p.payment_id = r.payment_id \
         JOIN offers o ON o.id = p.offer_id \
         WHERE r.succeeded_at >= $1 AND r.succeeded_at < $2{shown} GROUP BY {KEY}, r.currency"
    );
    // An undo's refund attempt keeps the refund's id where other attempts keep a payment's,
    // and its key (`undo:<offer id>`, attempts::refund::key_for) names the offer; the attempt
    // has no offer_id (an undo claims nothing). Only a refund an undo sent counts.
    let undos = format!(
        "SELECT {KEY}, r.currency AS money_currency, COUNT(*) AS n, CAST(SUM(r.amount_minor) AS BIGINT) AS total \
         FROM refunds_seen r JOIN attempts a ON a.dodo_payment_id = r.refund_id \
         JOIN offers o ON o.id = SUBSTR(a.idempotency_key, 6) \
         WHERE a.kind = 'refund' AND a.idempotency_key LIKE 'undo:%' AND r.succeeded_at >= $1 AND r.succeeded_at < $2{shown} \
         GROUP BY {KEY}, r.currency"
    );
    // Independent reads, each on its own connection.
    let (impressions, decisions, payments, refunds, undos) = tokio::try_join!(
        bind_period(&impressions, filter).fetch_all(pool),
        bind_period(&decisions, filter).fetch_all(pool),
        bind_period(&payments, filter).fetch_all(pool),
        bind_period(&refunds, filter).fetch_all(pool),
        bind_period(&undos, filter).fetch_all(pool),
    )?;

    for row in impressions {
        at(&mut rows, key(&row, "currency")?).impressions = sum(&row, "n")?;
    }
    for row in decisions {
        let n: i64 = row.try_get("n")?;
        let entry = at(&mut rows, key(&row, "currency")?);
        match row.try_get::<String, _>("decision")?.as_str() {
            "accepted" => entry.accepts += n,
            "declined" => entry.declines += n,
            "suppressed" => entry.suppressed += n,
            "expired" => entry.expiries += n,
            // A decision a newer version wrote: counted nowhere rather than somewhere wrong.
            _ => {}
        }
    }
    for row in payments {
        let entry = at(&mut rows, key(&row, "money_currency")?);
        entry.payments = row.try_get("n")?;
        entry.revenue_minor = sum(&row, "total")?;
    }
    for row in refunds {
        let entry = at(&mut rows, key(&row, "money_currency")?);
        entry.refunds = row.try_get("n")?;
        entry.refunded_minor = sum(&row, "total")?;
    }
    for row in undos {
        let entry = at(&mut rows, key(&row, "money_currency")?);
        entry.undone = row.try_get("n")?;
        entry.undone_minor = sum(&row, "total")?;
    }
    Ok(rows.into_values().collect())
}

fn at(rows: &mut BTreeMap<OfferKey, OfferRow>, key: OfferKey) -> &mut OfferRow {
    rows.entry(key.clone()).or_insert_with(|| OfferRow {
        key,
        ..OfferRow::default()
    })
}

/// `sql` with the period bound as `$1` (from, inclusive) and `$2` (to, exclusive).
pub(super) fn bind_period<'q>(
    sql: &'q str,
    filter: &AnalyticsFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql).bind(filter.from_ms).bind(filter.to_ms)
}
