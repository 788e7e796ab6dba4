//! "Don't show me offers like this again": honoured by every eligibility check.

use super::{Store, StoreError, now_millis};
use sqlx::Row;

/// What a customer asked for: no offers at all, or not this product again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suppression {
    AllOffers,
    ThisProduct,
}

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
        Ok(self.suppression(customer_id, product_id).await?.is_some())
    }

    /// Which suppression stops offers of `product_id` to this customer, if any ("no offers at
    /// all" wins over "not this product": it is the broader wish).
    pub async fn suppression(
        &self,
        customer_id: &str,
        product_id: &str,
    ) -> Result<Option<Suppression>, StoreError> {
        let rows = sqlx::query(
            "SELECT scope FROM suppressions WHERE customer_id = $1 AND (scope = $2 OR scope = $3)",
        )
        .bind(customer_id)
        .bind(ALL_OFFERS)
        .bind(product_id)
        .fetch_all(self.pool())
        .await?;
        let scopes: Vec<String> = rows
            .iter()
            .map(|r| r.try_get("scope"))
            .collect::<Result<_, _>>()?;
        Ok(if scopes.iter().any(|s| s == ALL_OFFERS) {
            Some(Suppression::AllOffers)
        } else if scopes.is_empty() {
            None
        } else {
            Some(Suppression::ThisProduct)
        })
    }
}
