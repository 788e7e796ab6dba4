//! "Don't show me offers like this again": honoured by every eligibility check.

use super::{Store, StoreError, now_millis};

/// The scope that suppresses every offer for a customer.
pub const ALL_OFFERS: &str = "*";

impl Store {
    pub async fn suppress(&self, customer_id: &str, scope: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO suppressions (customer_id, scope, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(customer_id)
            .bind(scope)
            .bind(now_millis())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Undo: the customer wants offers again.
    pub async fn unsuppress(&self, customer_id: &str, scope: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM suppressions WHERE customer_id = $1 AND scope = $2")
            .bind(customer_id)
            .bind(scope)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether offers of `product_id` (or all offers) are suppressed for this customer.
    pub async fn is_suppressed(
        &self,
        customer_id: &str,
        product_id: &str,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 AS one FROM suppressions WHERE customer_id = $1 AND (scope = $2 OR scope = $3)")
            .bind(customer_id)
            .bind(ALL_OFFERS)
            .bind(product_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }
}
