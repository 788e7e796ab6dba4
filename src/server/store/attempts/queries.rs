//! Reading attempts: by id, key, offer or subscription, and the reconciler's due list.

use super::{Attempt, COLUMNS, OPEN_SQL, fetch_one_where, from_row, open_of};
use crate::server::store::{Store, StoreError};

impl Store {
    pub async fn attempt(&self, id: &str) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch_one_where(&mut conn, "id = $1", id).await
    }

    pub async fn attempt_by_key(&self, key: &str) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch_one_where(&mut conn, "idempotency_key = $1", key).await
    }

    /// Every attempt to buy `offer_id` (its one-click charge, its fallback checkouts), oldest
    /// first.
    pub async fn attempts_for_offer(&self, offer_id: &str) -> Result<Vec<Attempt>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM attempts WHERE offer_id = $1 ORDER BY created_at, id");
        let rows = sqlx::query(&sql)
            .bind(offer_id)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Attempts whose next check is due at `now` (millis), the longest waiting first.
    pub async fn due_attempts(&self, now: i64, limit: i64) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attempts WHERE next_check_at IS NOT NULL AND next_check_at <= $1 \
             ORDER BY next_check_at LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Attempts that are not final (or only provisionally failed), oldest first: what the
    /// engine's tests and the startup log look at.
    pub async fn open_attempts(&self) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attempts WHERE status IN {OPEN_SQL} ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Every attempt (for the invariant checks of the randomised test and for merchants'
    /// reports), oldest first.
    pub async fn all_attempts(&self) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM attempts ORDER BY created_at, id");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The plan change of `subscription_id` in flight, if any.
    pub async fn open_plan_change(
        &self,
        subscription_id: &str,
    ) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        open_of(
            &mut conn,
            "kind = 'plan_change' AND subscription_id = $1",
            subscription_id,
        )
        .await
    }

    /// The most recent plan change of a subscription that reached a final state: the base of
    /// the next change's idempotency key (a new change may start once the previous settled).
    pub async fn latest_final_plan_change(
        &self,
        subscription_id: &str,
    ) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch_one_where(
            &mut conn,
            "kind = 'plan_change' AND subscription_id = $1 AND status IN ('succeeded', 'failed', 'expired') \
             ORDER BY created_at DESC, id DESC LIMIT 1",
            subscription_id,
        )
        .await
    }

    /// The most recent plan change of a subscription that asked for `product_id` × `quantity`.
    pub async fn latest_plan_change_to(
        &self,
        subscription_id: &str,
        product_id: &str,
        quantity: i64,
    ) -> Result<Option<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attempts \
             WHERE kind = 'plan_change' AND subscription_id = $1 AND product_id = $2 AND quantity = $3 \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(subscription_id)
            .bind(product_id)
            .bind(quantity)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }
}
