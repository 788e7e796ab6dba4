//! The life-cycle steps the engine takes (claim, Dodo's answer, settling, the reconciler's
//! schedule), each keeping the product claim and the offer's decision in step.

use super::{Accepted, OPEN_SQL, Outcome, STALE_SENDING_MILLIS, SettledState, apply_payment_state};
use crate::server::store::{Store, StoreError, now_millis};
use sqlx::AnyConnection;

impl Store {
    /// Moves `recorded` → `sending`. Only the caller that gets `true` may call Dodo: this is
    /// the step that keeps concurrent requests, tabs and server instances from sending twice.
    pub async fn claim_attempt(&self, id: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE attempts SET status = 'sending', sent_at = $2, updated_at = $2, next_check_at = $3 \
             WHERE id = $1 AND status = 'recorded'",
        )
        .bind(id)
        .bind(now_millis())
        // A caller that dies mid-call leaves `sending`; the reconciler looks after this.
        .bind(now_millis() + STALE_SENDING_MILLIS)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Dodo accepted the request: remember what it gave back and wait for the outcome. A
    /// webhook may have settled the attempt already; then only the ids are filled in.
    pub async fn mark_attempt_accepted(
        &self,
        id: &str,
        accepted: &Accepted,
        next_check_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        sqlx::query(
            "UPDATE attempts SET dodo_session_id = COALESCE(dodo_session_id, $2), \
             dodo_payment_id = COALESCE(dodo_payment_id, $3), payment_link = COALESCE(payment_link, $4), \
             answered_at = COALESCE(answered_at, $5), updated_at = $5, \
             next_check_at = CASE WHEN status IN ('sending', 'unknown') THEN $6 ELSE next_check_at END, \
             status = CASE WHEN status IN ('sending', 'unknown') THEN 'pending' ELSE status END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(&accepted.session_id)
        .bind(&accepted.payment_id)
        .bind(&accepted.link)
        .bind(now)
        .bind(next_check_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The request may or may not have reached Dodo: only a lookup or a webhook settles it.
    pub async fn mark_attempt_unknown(
        &self,
        id: &str,
        detail: &str,
        next_check_at: i64,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        sqlx::query(
            "UPDATE attempts SET status = 'unknown', error_message = $2, answered_at = $3, updated_at = $3, \
             next_check_at = $4 WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(detail)
        .bind(now)
        .bind(next_check_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Settles an open attempt (or a provisional failure) with an outcome we decided; keeps the
    /// product claim in step. `next_check_at`: when a provisional failure is looked at again.
    /// Returns whether the attempt changed.
    pub async fn settle_attempt(
        &self,
        id: &str,
        outcome: &Outcome,
        next_check_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let now = now_millis();
        let mut tx = self.pool().begin().await?;
        let n = match outcome {
            Outcome::Succeeded => sqlx::query(&format!(
                "UPDATE attempts SET status = 'succeeded', provisional = 0, updated_at = $2, \
                 settled_at = COALESCE(settled_at, $2), next_check_at = NULL \
                 WHERE id = $1 AND (status IN {OPEN_SQL} OR (status = 'failed' AND provisional = 1))"
            ))
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Outcome::Failed {
                code,
                message,
                provisional,
            } => sqlx::query(&format!(
                "UPDATE attempts SET status = 'failed', provisional = $2, error_code = $3, error_message = $4, \
                 updated_at = $5, settled_at = COALESCE(settled_at, $5), answered_at = COALESCE(answered_at, $5), \
                 next_check_at = $6 \
                 WHERE id = $1 AND (status IN {OPEN_SQL} OR (status = 'failed' AND provisional = 1 AND $2 = 0))"
            ))
            .bind(id)
            .bind(i64::from(*provisional))
            .bind(code)
            .bind(message)
            .bind(now)
            .bind(next_check_at.filter(|_| *provisional))
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Outcome::Expired => sqlx::query(
                "UPDATE attempts SET status = 'expired', updated_at = $2, settled_at = $2, next_check_at = NULL \
                 WHERE id = $1 AND status = 'recorded'",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        if n > 0 {
            sync_claim(&mut tx, id).await?;
        }
        tx.commit().await?;
        Ok(n > 0)
    }

    /// [`apply_payment_state`] on a connection of its own (outside a webhook's transaction).
    pub async fn apply_payment(
        &self,
        attempt_id: Option<&str>,
        state: &SettledState,
    ) -> Result<Option<String>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        apply_payment_state(&mut conn, attempt_id, state).await
    }

    /// When the reconciler looks at an attempt again (`None`: nothing left to learn; webhooks
    /// still apply).
    pub async fn schedule_check(
        &self,
        id: &str,
        next_check_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE attempts SET next_check_at = $2, checks = checks + 1 WHERE id = $1")
            .bind(id)
            .bind(next_check_at)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// Keeps what follows from an attempt's status in step with it, in the caller's transaction:
/// - the product claim: a failed or expired attempt gives its claim back; an attempt that
///   (again) is in flight or succeeded takes it if it is free. A success that finds the claim
///   held by someone else is a duplicate charge: it is marked, so it can be refunded.
/// - the offer's decision: an offer whose attempt succeeded was bought, whatever the customer
///   clicked meanwhile (a checkout page paid after "No thanks" in another tab): it is accepted.
pub async fn sync_claim(conn: &mut AnyConnection, attempt_id: &str) -> Result<(), StoreError> {
    let now = now_millis();
    sqlx::query(
        "UPDATE decisions SET decision = 'accepted', decided_at = $2 \
         WHERE offer_id = (SELECT offer_id FROM attempts WHERE id = $1 AND status = 'succeeded') \
           AND decision <> 'accepted'",
    )
    .bind(attempt_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM product_claims WHERE attempt_id = $1 \
         AND EXISTS (SELECT 1 FROM attempts WHERE id = $1 AND status IN ('failed', 'expired'))",
    )
    .bind(attempt_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO product_claims (customer_id, product_id, attempt_id, payment_id, created_at) \
         SELECT customer_id, product_id, id, dodo_payment_id, $2 FROM attempts \
         WHERE id = $1 AND exclusive = 1 AND status NOT IN ('failed', 'expired') \
         ON CONFLICT DO NOTHING",
    )
    .bind(attempt_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE attempts SET duplicate_of = (SELECT COALESCE(c.attempt_id, c.payment_id, 'purchase') \
             FROM product_claims c WHERE c.customer_id = attempts.customer_id AND c.product_id = attempts.product_id) \
         WHERE id = $1 AND status = 'succeeded' AND exclusive = 1 AND duplicate_of IS NULL \
           AND NOT EXISTS (SELECT 1 FROM product_claims c WHERE c.attempt_id = $1)",
    )
    .bind(attempt_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
