//! Recording an attempt: the one transaction that also records the customer's decision on the
//! offer and their claim on the product, or refuses.

use super::{
    AttemptKind, Decision, NewAttempt, RESUME_RECORDED_MILLIS, Recorded, Refusal, claim_holder,
    fetch_one_where, open_of,
};
use crate::server::store::{Backend, Store, StoreError, new_id, now_millis};
use sqlx::Row;

impl Store {
    /// Records `new` unless the same request was recorded before, together with what it
    /// implies, all in one transaction:
    /// - for an offer: the customer's decision to accept it (refused if they declined);
    /// - for an exclusive product: the customer's claim on it (refused if they own it or
    ///   another attempt of another offer is buying it);
    /// - for a plan change: refused while another change of the subscription is in flight.
    pub async fn record_attempt(&self, new: &NewAttempt) -> Result<Recorded, StoreError> {
        let mut tx = self.pool().begin().await?;
        // The first statement writes, so SQLite takes its write lock here and a concurrent
        // writer waits (busy timeout) instead of failing the snapshot later.
        if let Some(offer_id) = &new.offer_id {
            // An upsert, not DO NOTHING: it locks the decision row (PostgreSQL), so a "No
            // thanks" for this offer waits for this transaction and then sees its attempt.
            sqlx::query(
                "INSERT INTO decisions (offer_id, decision, decided_at) VALUES ($1, 'accepted', $2) \
                 ON CONFLICT (offer_id) DO UPDATE SET decision = decisions.decision",
            )
            .bind(offer_id)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        } else if self.backend == Backend::Sqlite {
            sqlx::query("UPDATE app_meta SET value = value WHERE key = 'created_at'")
                .execute(&mut *tx)
                .await?;
        }
        // Read once the write lock is held (SQLite may have waited for it): the attempt's
        // times are when it was recorded, not when it asked to be.
        let now = now_millis();
        if let Some(existing) =
            fetch_one_where(&mut tx, "idempotency_key = $1", &new.idempotency_key).await?
        {
            tx.rollback().await?;
            return Ok(Recorded::Existing(existing));
        }
        if let Some(offer_id) = &new.offer_id {
            let row = sqlx::query("SELECT decision FROM decisions WHERE offer_id = $1")
                .bind(offer_id)
                .fetch_one(&mut *tx)
                .await?;
            let decision = Decision::parse(&row.try_get::<String, _>("decision")?);
            if let Some(other) = decision.filter(|d| *d != Decision::Accepted) {
                tx.rollback().await?;
                return Ok(Recorded::Refused(Refusal::Decided(other)));
            }
        }
        let id = new_id(match new.kind {
            AttemptKind::PlanChange => "pca",
            AttemptKind::Refund => "rfa",
            _ => "att",
        });
        if new.exclusive {
            let claimed = sqlx::query(
                "INSERT INTO product_claims (customer_id, product_id, attempt_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&new.customer_id)
            .bind(&new.product_id)
            .bind(&id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !claimed {
                let holder = claim_holder(&mut tx, &new.customer_id, &new.product_id).await?;
                tx.rollback().await?;
                // The holder buys this very offer (a checkout after a charge, say): show it.
                return Ok(match holder {
                    Some(h) if h.offer_id.is_some() && h.offer_id == new.offer_id => {
                        Recorded::Existing(h)
                    }
                    holder => Recorded::Refused(Refusal::Owned { holder }),
                });
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, \
             subscription_id, from_product_id, amount_minor, currency, exclusive, order_json, status, \
             created_at, updated_at, next_check_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'recorded', $14, $14, $15) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(new.kind.as_str())
        .bind(&new.idempotency_key)
        .bind(&new.customer_id)
        .bind(&new.offer_id)
        .bind(&new.product_id)
        .bind(new.quantity)
        .bind(&new.subscription_id)
        .bind(&new.from_product_id)
        .bind(new.amount_minor)
        .bind(&new.currency)
        .bind(i64::from(new.exclusive))
        .bind(&new.order_json)
        .bind(now)
        // Should the recording server die before it claims the attempt, the reconciler sends
        // it (inside its window) after this.
        .bind(now + RESUME_RECORDED_MILLIS)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !inserted {
            // The same key, recorded by a transaction that committed while this one waited
            // (PostgreSQL reads committed rows per statement): that attempt.
            if let Some(existing) =
                fetch_one_where(&mut tx, "idempotency_key = $1", &new.idempotency_key).await?
            {
                tx.rollback().await?;
                return Ok(Recorded::Existing(existing));
            }
            // Else a one-open-per-… index refused it.
            let open = match (new.kind, &new.subscription_id, &new.offer_id) {
                (AttemptKind::PlanChange, Some(sub), _) => {
                    open_of(
                        &mut tx,
                        "kind = 'plan_change' AND subscription_id = $1",
                        sub,
                    )
                    .await?
                }
                (AttemptKind::Checkout, _, Some(offer)) => {
                    open_of(&mut tx, "kind = 'checkout' AND offer_id = $1", offer).await?
                }
                _ => None,
            };
            tx.rollback().await?;
            return match (new.kind, open) {
                (AttemptKind::PlanChange, Some(open)) => {
                    Ok(Recorded::Refused(Refusal::ChangeInFlight(open)))
                }
                (_, Some(open)) => Ok(Recorded::Existing(open)),
                // Raced with a transaction that has settled since: the caller may try again.
                (_, None) => Err(StoreError::Query(sqlx::Error::RowNotFound)),
            };
        }
        let attempt = fetch_one_where(&mut tx, "id = $1", &id)
            .await?
            .ok_or(StoreError::Query(sqlx::Error::RowNotFound))?;
        tx.commit().await?;
        Ok(Recorded::New(attempt))
    }
}
