//! The life cycle shared by charge attempts and plan-change attempts: both are written before
//! Dodo is called, claimed by exactly one caller, then settled by Dodo's answer, a lookup or a
//! webhook. The SQL is the same for both tables.

use super::{Store, StoreError, now_millis};

/// Which attempt table a life-cycle step applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptTable {
    Charge,
    PlanChange,
}

impl AttemptTable {
    fn name(self) -> &'static str {
        match self {
            AttemptTable::Charge => "charge_attempts",
            AttemptTable::PlanChange => "plan_change_attempts",
        }
    }
}

impl Store {
    /// Moves `recorded` → `sending`. Only the caller that gets `true` may call Dodo: this is
    /// the step that keeps concurrent requests, tabs and server instances from charging twice.
    pub async fn claim_attempt(&self, table: AttemptTable, id: &str) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE {} SET status = 'sending', sent_at = $2, updated_at = $2 WHERE id = $1 AND status = 'recorded'",
            table.name()
        );
        let n = sqlx::query(&sql)
            .bind(id)
            .bind(now_millis())
            .execute(self.pool())
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// Dodo accepted the request: remember the payment id (when Dodo gave one) and wait for the
    /// outcome. A webhook may already have settled the attempt; then only the id is filled in.
    pub async fn mark_attempt_accepted(
        &self,
        table: AttemptTable,
        id: &str,
        payment_id: Option<&str>,
        payment_link: Option<&str>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {} SET dodo_payment_id = COALESCE(dodo_payment_id, $2), payment_link = COALESCE(payment_link, $3), \
             status = CASE WHEN status IN ('sending', 'unknown') THEN 'pending' ELSE status END, updated_at = $4 \
             WHERE id = $1",
            table.name()
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(payment_id)
            .bind(payment_link)
            .bind(now_millis())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Dodo refused the request outright (validation, decline, conflict): nothing moved.
    pub async fn mark_attempt_refused(
        &self,
        table: AttemptTable,
        id: &str,
        code: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {} SET status = 'failed', error_code = $2, error_message = $3, updated_at = $4, settled_at = $4 \
             WHERE id = $1 AND status IN ('recorded', 'sending', 'unknown')",
            table.name()
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(code)
            .bind(message)
            .bind(now_millis())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The request may or may not have reached Dodo: only reconciliation may settle it now.
    pub async fn mark_attempt_unknown(
        &self,
        table: AttemptTable,
        id: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {} SET status = 'unknown', error_message = $2, updated_at = $3 WHERE id = $1 AND status = 'sending'",
            table.name()
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(detail)
            .bind(now_millis())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Never sent, and now too late to send: nothing was charged. `true` when it changed.
    pub async fn mark_attempt_expired(
        &self,
        table: AttemptTable,
        id: &str,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE {} SET status = 'expired', updated_at = $2, settled_at = $2 WHERE id = $1 AND status = 'recorded'",
            table.name()
        );
        let n = sqlx::query(&sql)
            .bind(id)
            .bind(now_millis())
            .execute(self.pool())
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// Reconciliation found nothing at Dodo for an attempt whose answer was lost: it was not
    /// charged. Settles it as failed with `NOT_CHARGED` so the customer can use the fallback.
    pub async fn mark_attempt_not_found(
        &self,
        table: AttemptTable,
        id: &str,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {} SET status = 'failed', error_code = 'NOT_CHARGED', \
             error_message = 'Dodo has no record of this charge; nothing was charged.', updated_at = $2, settled_at = $2 \
             WHERE id = $1 AND status IN ('sending', 'unknown')",
            table.name()
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(now_millis())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
