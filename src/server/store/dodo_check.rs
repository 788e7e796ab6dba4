//! Our side of "check against Dodo": the money-moving attempts of a period (or named by id),
//! with what the refund ledger says was refunded of each payment.

use super::{Store, StoreError};
use sqlx::Row;

/// An attempt as the check compares it.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedAttempt {
    pub attempt_id: String,
    pub payment_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    /// The stored status (`AttemptStatus` text).
    pub status: String,
    /// The sum of the `refund.succeeded` webhooks of its payment.
    pub refunded_minor: i64,
}

const SELECT: &str = "SELECT a.id, a.dodo_payment_id, a.amount_minor, a.currency, a.status, \
    COALESCE(SUM(r.amount_minor), 0) AS refunded_minor \
    FROM attempts a LEFT JOIN refunds_seen r ON r.payment_id = a.dodo_payment_id \
    WHERE a.kind IN ('charge', 'checkout', 'plan_change')";
const GROUP: &str =
    "GROUP BY a.id, a.dodo_payment_id, a.amount_minor, a.currency, a.status ORDER BY a.id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<CheckedAttempt, sqlx::Error> {
    Ok(CheckedAttempt {
        attempt_id: row.try_get("id")?,
        payment_id: row.try_get("dodo_payment_id")?,
        amount_minor: row.try_get("amount_minor")?,
        currency: row.try_get("currency")?,
        status: row.try_get("status")?,
        refunded_minor: row.try_get("refunded_minor")?,
    })
}

/// The most attempts one check names by id (a longer list is checked in slices).
const IDS_PER_QUERY: usize = 500;

impl Store {
    /// The charge, checkout and plan-change attempts recorded in `[from, to)` (unix ms).
    pub async fn attempts_for_check(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<CheckedAttempt>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT} AND a.created_at >= $1 AND a.created_at < $2 {GROUP}"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The attempts with these ids (those that exist).
    pub async fn attempts_for_check_by_id(
        &self,
        ids: &[String],
    ) -> Result<Vec<CheckedAttempt>, StoreError> {
        let mut found = Vec::new();
        for slice in ids.chunks(IDS_PER_QUERY) {
            let placeholders: Vec<String> = (1..=slice.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{SELECT} AND a.id IN ({}) {GROUP}", placeholders.join(", "));
            let mut query = sqlx::query(&sql);
            for id in slice {
                query = query.bind(id);
            }
            let rows = query.fetch_all(self.pool()).await?;
            for row in &rows {
                found.push(from_row(row)?);
            }
        }
        Ok(found)
    }
}
