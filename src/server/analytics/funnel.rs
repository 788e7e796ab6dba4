//! The funnel: of the offers shown in the period (on the filter's surface, in its locale), how
//! many were accepted, paid (a payment Dodo's webhook confirmed) and kept (paid and not
//! refunded in full) — whenever those came. Counts offers, not impressions, so a reload does
//! not widen the top.

use super::filter::{AnalyticsFilter, impression_conditions};
use super::offers::bind_period;
use super::{Ratio, sum};
use crate::server::store::{Store, StoreError};
use sqlx::Row;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Funnel {
    pub shown: i64,
    pub accepted: i64,
    pub paid: i64,
    pub kept: i64,
}

impl Funnel {
    /// The stages, top to bottom, with their names as the CSV and the chart write them.
    pub fn stages(&self) -> [(&'static str, i64); 4] {
        [
            ("shown", self.shown),
            ("accepted", self.accepted),
            ("paid", self.paid),
            ("kept", self.kept),
        ]
    }

    /// Kept offers per offer shown.
    pub fn kept_rate(&self) -> Ratio {
        Ratio::new(self.kept, self.shown)
    }
}

pub async fn funnel(store: &Store, filter: &AnalyticsFilter) -> Result<Funnel, StoreError> {
    // Per offer: what its confirmed payments came to and what of them was refunded. An offer's
    // payments are in its one currency, so comparing the two sums compares like with like.
    let sql = format!(
        "SELECT COUNT(*) AS shown, \
           CAST(SUM(CASE WHEN d.decision = 'accepted' THEN 1 ELSE 0 END) AS BIGINT) AS accepted, \
           CAST(SUM(CASE WHEN pay.paid IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS paid, \
           CAST(SUM(CASE WHEN pay.paid IS NOT NULL AND pay.refunded < pay.paid THEN 1 ELSE 0 END) AS BIGINT) AS kept \
         FROM (SELECT DISTINCT i.offer_id FROM impressions i \
               WHERE i.shown_at >= $1 AND i.shown_at < $2{}) s \
         LEFT JOIN decisions d ON d.offer_id = s.offer_id \
         LEFT JOIN (SELECT p.offer_id, CAST(SUM(p.amount_minor) AS BIGINT) AS paid, \
                      CAST(SUM(COALESCE(r.refunded, 0)) AS BIGINT) AS refunded \
                    FROM confirmed_payments p \
                    LEFT JOIN (SELECT payment_id, CAST(SUM(amount_minor) AS BIGINT) AS refunded \
                               FROM refunds_seen GROUP BY payment_id) r ON r.payment_id = p.payment_id \
                    WHERE p.offer_id IS NOT NULL GROUP BY p.offer_id) pay ON pay.offer_id = s.offer_id",
        impression_conditions(filter, "i")
    );
    let row = bind_period(&sql, filter).fetch_one(store.reads()).await?;
    Ok(Funnel {
        shown: row.try_get("shown")?,
        accepted: sum(&row, "accepted")?,
        paid: sum(&row, "paid")?,
        kept: sum(&row, "kept")?,
    })
}
