//! Product claims: which products a customer owns, or is buying right now, as far as we know.
//! Attempts take and give back their claims themselves (`attempts.rs`); this file adds what we
//! learn from Dodo (a purchase made elsewhere) and the question every offer asks first.

use super::{Store, StoreError, now_millis};
use sqlx::{AnyConnection, Row};

/// Who holds a customer's claim on a product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The attempt buying (or that bought) it; `None` for a purchase known from Dodo.
    pub attempt_id: Option<String>,
    pub payment_id: Option<String>,
}

impl Store {
    /// Remembers that the customer bought `product_id` (a purchase Dodo reported, made through
    /// any checkout). The claim is kept for good: the product is not offered or charged again.
    pub async fn record_known_purchase(
        &self,
        customer_id: &str,
        product_id: &str,
        payment_id: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO product_claims (customer_id, product_id, attempt_id, payment_id, created_at) \
             VALUES ($1, $2, NULL, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(customer_id)
        .bind(product_id)
        .bind(payment_id)
        .bind(now_millis())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Whether the customer owns `product_id`, or an attempt is buying it, and who holds it.
    pub async fn product_claim(
        &self,
        customer_id: &str,
        product_id: &str,
    ) -> Result<Option<Claim>, StoreError> {
        let row = sqlx::query(
            "SELECT attempt_id, payment_id FROM product_claims WHERE customer_id = $1 AND product_id = $2",
        )
        .bind(customer_id)
        .bind(product_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => Some(Claim {
                attempt_id: row.try_get("attempt_id")?,
                payment_id: row.try_get("payment_id")?,
            }),
            None => None,
        })
    }
}

/// A payment `payment_id` of `customer_id` bought offer `offer_id` outside any attempt: the
/// offer counts as accepted and its product as owned. Nothing happens for an offer of another
/// customer (a forged or mistaken metadata entry).
pub async fn record_offer_bought(
    conn: &mut AnyConnection,
    offer_id: &str,
    customer_id: &str,
    payment_id: &str,
) -> Result<bool, StoreError> {
    let now = now_millis();
    let row = sqlx::query("SELECT product_id FROM offers WHERE id = $1 AND customer_id = $2")
        .bind(offer_id)
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let product_id: String = row.try_get("product_id")?;
    sqlx::query(
        "INSERT INTO decisions (offer_id, decision, decided_at) VALUES ($1, 'accepted', $2) ON CONFLICT DO NOTHING",
    )
    .bind(offer_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO product_claims (customer_id, product_id, attempt_id, payment_id, created_at) \
         VALUES ($1, $2, NULL, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(customer_id)
    .bind(&product_id)
    .bind(payment_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
