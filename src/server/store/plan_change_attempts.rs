//! Plan-change attempts: a subscriber's confirmed switch, recorded before `change-plan` is
//! called. The life cycle is the one in `attempts.rs`; `pending` waits for
//! `subscription.plan_changed` / `payment.*`.

use super::charge_attempts::{AttemptStatus, SettledState};
use super::{Store, StoreError, new_id, now_millis};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug)]
pub struct NewPlanChangeAttempt {
    pub idempotency_key: String,
    pub subscription_id: String,
    pub customer_id: String,
    pub from_product_id: String,
    pub to_product_id: String,
    pub quantity: i64,
    pub request_json: String,
    pub previewed_total_minor: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanChangeAttempt {
    pub id: String,
    pub idempotency_key: String,
    pub subscription_id: String,
    pub customer_id: String,
    pub from_product_id: String,
    pub to_product_id: String,
    pub quantity: i64,
    pub request_json: String,
    pub previewed_total_minor: i64,
    pub currency: String,
    pub status: AttemptStatus,
    pub dodo_payment_id: Option<String>,
    pub payment_link: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, idempotency_key, subscription_id, customer_id, from_product_id, to_product_id, quantity, \
    request_json, previewed_total_minor, currency, status, dodo_payment_id, payment_link, error_code, error_message, \
    created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<PlanChangeAttempt, sqlx::Error> {
    Ok(PlanChangeAttempt {
        id: row.try_get("id")?,
        idempotency_key: row.try_get("idempotency_key")?,
        subscription_id: row.try_get("subscription_id")?,
        customer_id: row.try_get("customer_id")?,
        from_product_id: row.try_get("from_product_id")?,
        to_product_id: row.try_get("to_product_id")?,
        quantity: row.try_get("quantity")?,
        request_json: row.try_get("request_json")?,
        previewed_total_minor: row.try_get("previewed_total_minor")?,
        currency: row.try_get("currency")?,
        status: AttemptStatus::parse(&row.try_get::<String, _>("status")?),
        dodo_payment_id: row.try_get("dodo_payment_id")?,
        payment_link: row.try_get("payment_link")?,
        error_code: row.try_get("error_code")?,
        error_message: row.try_get("error_message")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Store {
    /// Writes the attempt unless its idempotency key exists; returns the stored row and whether
    /// this call created it.
    pub async fn record_plan_change_attempt(
        &self,
        new: &NewPlanChangeAttempt,
    ) -> Result<(PlanChangeAttempt, bool), StoreError> {
        let now = now_millis();
        let inserted = sqlx::query(
            "INSERT INTO plan_change_attempts (id, idempotency_key, subscription_id, customer_id, from_product_id, \
             to_product_id, quantity, request_json, previewed_total_minor, currency, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'recorded', $11, $11) \
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(new_id("pca"))
        .bind(&new.idempotency_key)
        .bind(&new.subscription_id)
        .bind(&new.customer_id)
        .bind(&new.from_product_id)
        .bind(&new.to_product_id)
        .bind(new.quantity)
        .bind(&new.request_json)
        .bind(new.previewed_total_minor)
        .bind(&new.currency)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1;
        let sql = format!("SELECT {COLUMNS} FROM plan_change_attempts WHERE idempotency_key = $1");
        let row = sqlx::query(&sql)
            .bind(&new.idempotency_key)
            .fetch_one(self.pool())
            .await?;
        Ok((from_row(&row)?, inserted))
    }

    pub async fn plan_change_attempt(
        &self,
        id: &str,
    ) -> Result<Option<PlanChangeAttempt>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM plan_change_attempts WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn plan_change_attempt_by_key(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<PlanChangeAttempt>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM plan_change_attempts WHERE idempotency_key = $1");
        let row = sqlx::query(&sql)
            .bind(idempotency_key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The most recent attempt for a subscription, for "a change is already in progress".
    pub async fn latest_plan_change_attempt(
        &self,
        subscription_id: &str,
    ) -> Result<Option<PlanChangeAttempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_change_attempts WHERE subscription_id = $1 ORDER BY created_at DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(subscription_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The most recent attempt for a subscription that reached a final state: the base of the
    /// next change's idempotency key (a new change may start once the previous one settled).
    pub async fn latest_final_plan_change_attempt(
        &self,
        subscription_id: &str,
    ) -> Result<Option<PlanChangeAttempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_change_attempts \
             WHERE subscription_id = $1 AND status IN ('succeeded', 'failed', 'expired') \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(subscription_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The most recent attempt for a subscription that has not settled yet, if any.
    pub async fn open_plan_change_attempt(
        &self,
        subscription_id: &str,
    ) -> Result<Option<PlanChangeAttempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_change_attempts \
             WHERE subscription_id = $1 AND status IN ('recorded', 'sending', 'pending', 'unknown', 'requires_action') \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(subscription_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The most recent attempt for a subscription that asked for `product_id` × `quantity`.
    pub async fn latest_plan_change_attempt_to(
        &self,
        subscription_id: &str,
        product_id: &str,
        quantity: i64,
    ) -> Result<Option<PlanChangeAttempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_change_attempts \
             WHERE subscription_id = $1 AND to_product_id = $2 AND quantity = $3 \
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

    /// Reconciliation found no trace of the change at Dodo long after it was sent (no
    /// payment, subscription unchanged): nothing happened. Settles it as failed `NOT_CHARGED`.
    pub async fn mark_plan_change_not_found(&self, id: &str) -> Result<bool, StoreError> {
        let now = now_millis();
        let n = sqlx::query(
            "UPDATE plan_change_attempts SET status = 'failed', error_code = 'NOT_CHARGED', \
             error_message = 'Dodo has no record of this change; nothing was charged.', updated_at = $2, settled_at = $2 \
             WHERE id = $1 AND status IN ('sending', 'unknown', 'pending')",
        )
        .bind(id)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Dodo carried the change out (a scheduled change is stored, or the subscription is on
    /// the new plan): the attempt succeeded. `true` when it changed.
    pub async fn mark_plan_change_succeeded(&self, id: &str) -> Result<bool, StoreError> {
        let now = now_millis();
        let n = sqlx::query(
            "UPDATE plan_change_attempts SET status = 'succeeded', updated_at = $2, settled_at = COALESCE(settled_at, $2) \
             WHERE id = $1 AND status IN ('sending', 'pending', 'unknown', 'requires_action')",
        )
        .bind(id)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    pub async fn unsettled_plan_change_attempts(
        &self,
        before: i64,
    ) -> Result<Vec<PlanChangeAttempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM plan_change_attempts \
             WHERE status IN ('recorded', 'sending', 'pending', 'unknown', 'requires_action') AND updated_at < $1 \
             ORDER BY created_at"
        );
        let rows = sqlx::query(&sql)
            .bind(before)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }
}

/// Applies the plan-change payment's state (from `payment.*`) to its attempt; final states
/// never regress.
pub async fn apply_plan_change_payment(
    conn: &mut AnyConnection,
    attempt_id: Option<&str>,
    state: &SettledState,
) -> Result<bool, StoreError> {
    let now = now_millis();
    let n = sqlx::query(
        "UPDATE plan_change_attempts SET status = $3, dodo_payment_id = $2, payment_link = COALESCE($4, payment_link), \
         error_code = $5, error_message = $6, updated_at = $7, settled_at = COALESCE(settled_at, $8) \
         WHERE (id = $1 OR (dodo_payment_id = $2 AND $1 IS NULL)) AND status NOT IN ('succeeded', 'failed', 'expired')",
    )
    .bind(attempt_id)
    .bind(&state.dodo_payment_id)
    .bind(state.status.as_str())
    .bind(&state.payment_link)
    .bind(&state.error_code)
    .bind(&state.error_message)
    .bind(now)
    .bind(state.status.is_final().then_some(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// `subscription.plan_changed`: the subscription now is on `product_id` × `quantity`; the
/// open attempt that asked for exactly that succeeded.
pub async fn apply_plan_changed(
    conn: &mut AnyConnection,
    subscription_id: &str,
    product_id: &str,
    quantity: i64,
) -> Result<bool, StoreError> {
    let now = now_millis();
    let n = sqlx::query(
        "UPDATE plan_change_attempts SET status = 'succeeded', updated_at = $4, settled_at = COALESCE(settled_at, $4) \
         WHERE subscription_id = $1 AND to_product_id = $2 AND quantity = $3 \
           AND status IN ('sending', 'pending', 'unknown', 'requires_action')",
    )
    .bind(subscription_id)
    .bind(product_id)
    .bind(quantity)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n > 0)
}
