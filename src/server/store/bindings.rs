//! Which browser session owns a purchase's post-purchase offers.

use super::{Store, StoreError, now_millis};
use sqlx::Row;

impl Store {
    /// Binds `payment_id` to `session_id` unless another session already holds it. Returns
    /// whether `session_id` owns the purchase now.
    pub async fn bind_purchase(
        &self,
        payment_id: &str,
        session_id: &str,
        customer_id: &str,
    ) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO purchase_bindings (payment_id, session_id, customer_id, bound_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (payment_id) DO NOTHING",
        )
        .bind(payment_id)
        .bind(session_id)
        .bind(customer_id)
        .bind(now_millis())
        .execute(self.pool())
        .await?;
        let row = sqlx::query("SELECT session_id FROM purchase_bindings WHERE payment_id = $1")
            .bind(payment_id)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<String, _>("session_id")? == session_id)
    }
}
