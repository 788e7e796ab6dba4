//! Offers made to customers, each time one was shown, and what the customer decided — the
//! record a merchant analyses conversion from.

use super::{Store, StoreError, new_id, now_millis};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Clone, Debug)]
pub struct NewOffer {
    pub kind: String,
    pub customer_id: String,
    pub product_id: String,
    pub price_minor: i64,
    pub currency: String,
    pub source_payment_id: Option<String>,
    pub rule_id: String,
    pub step: i64,
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub id: String,
    pub kind: String,
    pub customer_id: String,
    pub product_id: String,
    pub price_minor: i64,
    pub currency: String,
    pub source_payment_id: Option<String>,
    pub rule_id: String,
    pub step: i64,
    pub created_at: i64,
    pub expires_at: i64,
    /// What the offer cost before Dodo's price moved (the page explains the change).
    pub previous_price_minor: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Accepted,
    Declined,
    Suppressed,
    Expired,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Declined => "declined",
            Decision::Suppressed => "suppressed",
            Decision::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        Some(match s {
            "accepted" => Decision::Accepted,
            "declined" => Decision::Declined,
            "suppressed" => Decision::Suppressed,
            "expired" => Decision::Expired,
            _ => return None,
        })
    }
}

const COLUMNS: &str = "id, kind, customer_id, product_id, price_minor, currency, source_payment_id, rule_id, step, \
    created_at, expires_at, previous_price_minor";

fn from_row(row: &AnyRow) -> Result<Offer, sqlx::Error> {
    Ok(Offer {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        customer_id: row.try_get("customer_id")?,
        product_id: row.try_get("product_id")?,
        price_minor: row.try_get("price_minor")?,
        currency: row.try_get("currency")?,
        source_payment_id: row.try_get("source_payment_id")?,
        rule_id: row.try_get("rule_id")?,
        step: row.try_get("step")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        previous_price_minor: row.try_get("previous_price_minor")?,
    })
}

impl Store {
    /// Creates the offer for a purchase step, or returns the one already made for it (a reload
    /// of the landing page must show the same offer, not make a new one).
    pub async fn create_or_get_offer(&self, new: &NewOffer) -> Result<Offer, StoreError> {
        let id = new_id("off");
        sqlx::query(
            "INSERT INTO offers (id, kind, customer_id, product_id, price_minor, currency, source_payment_id, \
             rule_id, step, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(&new.kind)
        .bind(&new.customer_id)
        .bind(&new.product_id)
        .bind(new.price_minor)
        .bind(&new.currency)
        .bind(&new.source_payment_id)
        .bind(&new.rule_id)
        .bind(new.step)
        .bind(now_millis())
        .bind(new.expires_at)
        .execute(self.pool())
        .await?;
        let sql = match &new.source_payment_id {
            Some(_) => format!(
                "SELECT {COLUMNS} FROM offers WHERE source_payment_id = $1 AND step = $2 AND kind = $3"
            ),
            None => format!("SELECT {COLUMNS} FROM offers WHERE id = $1"),
        };
        let query = sqlx::query(&sql);
        let query = match &new.source_payment_id {
            Some(payment) => query.bind(payment).bind(new.step).bind(&new.kind),
            None => query.bind(&id),
        };
        let row = query.fetch_one(self.pool()).await?;
        Ok(from_row(&row)?)
    }

    pub async fn offer(&self, id: &str) -> Result<Option<Offer>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM offers WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Every offer made after one purchase, in the order they were made.
    pub async fn offers_for_purchase(&self, payment_id: &str) -> Result<Vec<Offer>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM offers WHERE source_payment_id = $1 ORDER BY step, created_at"
        );
        let rows = sqlx::query(&sql)
            .bind(payment_id)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Dodo's price for the offer's product moved: the offer now costs `price_minor` in
    /// `currency`, and remembers what the page showed before. Returns the offer as stored.
    pub async fn reprice_offer(
        &self,
        id: &str,
        price_minor: i64,
        currency: &str,
    ) -> Result<Option<Offer>, StoreError> {
        sqlx::query(
            "UPDATE offers SET previous_price_minor = price_minor, price_minor = $2, currency = $3 \
             WHERE id = $1 AND (price_minor <> $2 OR currency <> $3)",
        )
        .bind(id)
        .bind(price_minor)
        .bind(currency)
        .execute(self.pool())
        .await?;
        self.offer(id).await
    }

    /// Undo of "don't show again": forget that decision so the offer can be answered again.
    pub async fn clear_suppressed_decision(&self, offer_id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM decisions WHERE offer_id = $1 AND decision = 'suppressed'")
            .bind(offer_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records the customer's decision. The first decision stands; returns the one stored.
    pub async fn record_decision(
        &self,
        offer_id: &str,
        decision: Decision,
    ) -> Result<Decision, StoreError> {
        sqlx::query(
            "INSERT INTO decisions (offer_id, decision, decided_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(offer_id)
        .bind(decision.as_str())
        .bind(now_millis())
        .execute(self.pool())
        .await?;
        Ok(self.decision(offer_id).await?.unwrap_or(decision))
    }

    /// "No thanks", decided against every attempt to buy the offer in one transaction: refused
    /// (the stored decision, `accepted`, is returned) while an attempt is in flight or after
    /// one succeeded; allowed after every attempt failed. Returns the decision that stands.
    pub async fn decline_offer(&self, offer_id: &str) -> Result<Decision, StoreError> {
        let now = now_millis();
        let mut tx = self.pool().begin().await?;
        // Locks the decision row, as recording an attempt does (see `record_attempt`).
        sqlx::query(
            "INSERT INTO decisions (offer_id, decision, decided_at) VALUES ($1, 'declined', $2) \
             ON CONFLICT (offer_id) DO UPDATE SET decision = decisions.decision",
        )
        .bind(offer_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query("SELECT decision FROM decisions WHERE offer_id = $1")
            .bind(offer_id)
            .fetch_one(&mut *tx)
            .await?;
        let stored = Decision::parse(&row.try_get::<String, _>("decision")?);
        let decision = match stored {
            Some(Decision::Accepted) => {
                let live = sqlx::query(
                    "SELECT 1 AS one FROM attempts WHERE offer_id = $1 AND status NOT IN ('failed', 'expired') LIMIT 1",
                )
                .bind(offer_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
                if live {
                    Decision::Accepted
                } else {
                    sqlx::query(
                        "UPDATE decisions SET decision = 'declined', decided_at = $2 WHERE offer_id = $1",
                    )
                    .bind(offer_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    Decision::Declined
                }
            }
            Some(other) => other,
            None => Decision::Declined,
        };
        tx.commit().await?;
        Ok(decision)
    }

    pub async fn decision(&self, offer_id: &str) -> Result<Option<Decision>, StoreError> {
        let row = sqlx::query("SELECT decision FROM decisions WHERE offer_id = $1")
            .bind(offer_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(row) => Decision::parse(&row.try_get::<String, _>("decision")?),
            None => None,
        })
    }

    /// The latest decision (with its time) this customer made on offers of `product_id`,
    /// for cool-off and "already bought" checks.
    pub async fn latest_decision_for_product(
        &self,
        customer_id: &str,
        product_id: &str,
    ) -> Result<Option<(Decision, i64)>, StoreError> {
        let row = sqlx::query(
            "SELECT d.decision, d.decided_at FROM decisions d JOIN offers o ON o.id = d.offer_id \
             WHERE o.customer_id = $1 AND o.product_id = $2 ORDER BY d.decided_at DESC LIMIT 1",
        )
        .bind(customer_id)
        .bind(product_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(row) => Decision::parse(&row.try_get::<String, _>("decision")?)
                .map(|d| (d, row.try_get::<i64, _>("decided_at").unwrap_or_default())),
            None => None,
        })
    }
}
