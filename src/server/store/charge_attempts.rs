//! Charge attempts: the record that makes a one-click charge happen at most once.
//!
//! Life cycle: `recorded` (row written, Dodo not called yet) → `sending` (one caller claimed
//! it and is calling Dodo) → `pending` (Dodo accepted; the payment settles asynchronously) →
//! `succeeded` | `failed` | `requires_action`. A lost answer leaves `unknown`; only a lookup at
//! Dodo or a webhook settles it — never a second charge. `expired` is an attempt that was
//! never sent and is now past its offer window.

use super::{Store, StoreError, new_id, now_millis};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AttemptStatus {
    Recorded,
    Sending,
    Pending,
    Succeeded,
    Failed,
    RequiresAction,
    Unknown,
    Expired,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::Recorded => "recorded",
            AttemptStatus::Sending => "sending",
            AttemptStatus::Pending => "pending",
            AttemptStatus::Succeeded => "succeeded",
            AttemptStatus::Failed => "failed",
            AttemptStatus::RequiresAction => "requires_action",
            AttemptStatus::Unknown => "unknown",
            AttemptStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> AttemptStatus {
        match s {
            "recorded" => AttemptStatus::Recorded,
            "sending" => AttemptStatus::Sending,
            "pending" => AttemptStatus::Pending,
            "succeeded" => AttemptStatus::Succeeded,
            "failed" => AttemptStatus::Failed,
            "requires_action" => AttemptStatus::RequiresAction,
            "expired" => AttemptStatus::Expired,
            _ => AttemptStatus::Unknown,
        }
    }

    /// Final states never change again, whatever arrives later.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AttemptStatus::Succeeded | AttemptStatus::Failed | AttemptStatus::Expired
        )
    }
}

/// What to record before calling Dodo.
#[derive(Clone, Debug)]
pub struct NewChargeAttempt {
    pub idempotency_key: String,
    pub kind: String,
    pub offer_id: Option<String>,
    pub customer_id: String,
    pub product_id: String,
    pub amount_minor: i64,
    pub currency: String,
    pub request_json: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChargeAttempt {
    pub id: String,
    pub idempotency_key: String,
    pub kind: String,
    pub offer_id: Option<String>,
    pub customer_id: String,
    pub product_id: String,
    pub amount_minor: i64,
    pub currency: String,
    pub request_json: String,
    pub status: AttemptStatus,
    pub dodo_session_id: Option<String>,
    pub dodo_payment_id: Option<String>,
    pub payment_link: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    pub settled_at: Option<i64>,
}

/// A payment's state as Dodo reports it, applied to the attempt it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct SettledState {
    pub status: AttemptStatus,
    pub dodo_payment_id: String,
    pub payment_link: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

const COLUMNS: &str = "id, idempotency_key, kind, offer_id, customer_id, product_id, amount_minor, currency, \
    request_json, status, dodo_session_id, dodo_payment_id, payment_link, error_code, error_message, \
    created_at, updated_at, sent_at, settled_at";

fn from_row(row: &AnyRow) -> Result<ChargeAttempt, sqlx::Error> {
    Ok(ChargeAttempt {
        id: row.try_get("id")?,
        idempotency_key: row.try_get("idempotency_key")?,
        kind: row.try_get("kind")?,
        offer_id: row.try_get("offer_id")?,
        customer_id: row.try_get("customer_id")?,
        product_id: row.try_get("product_id")?,
        amount_minor: row.try_get("amount_minor")?,
        currency: row.try_get("currency")?,
        request_json: row.try_get("request_json")?,
        status: AttemptStatus::parse(&row.try_get::<String, _>("status")?),
        dodo_session_id: row.try_get("dodo_session_id")?,
        dodo_payment_id: row.try_get("dodo_payment_id")?,
        payment_link: row.try_get("payment_link")?,
        error_code: row.try_get("error_code")?,
        error_message: row.try_get("error_message")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        sent_at: row.try_get("sent_at")?,
        settled_at: row.try_get("settled_at")?,
    })
}

impl Store {
    /// Writes the attempt unless one with the same idempotency key exists, and returns the
    /// stored row with `true` when this call created it. Concurrent callers with one key all
    /// get the same row; exactly one of them gets `true`.
    pub async fn record_charge_attempt(
        &self,
        new: &NewChargeAttempt,
    ) -> Result<(ChargeAttempt, bool), StoreError> {
        let now = now_millis();
        let inserted = sqlx::query(
            "INSERT INTO charge_attempts (id, idempotency_key, kind, offer_id, customer_id, product_id, \
             amount_minor, currency, request_json, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'recorded', $10, $10) \
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(new_id("att"))
        .bind(&new.idempotency_key)
        .bind(&new.kind)
        .bind(&new.offer_id)
        .bind(&new.customer_id)
        .bind(&new.product_id)
        .bind(new.amount_minor)
        .bind(&new.currency)
        .bind(&new.request_json)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1;
        let attempt = self
            .charge_attempt_by_key(&new.idempotency_key)
            .await?
            .ok_or(StoreError::Query(sqlx::Error::RowNotFound))?;
        Ok((attempt, inserted))
    }

    pub async fn charge_attempt(&self, id: &str) -> Result<Option<ChargeAttempt>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM charge_attempts WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn charge_attempt_by_key(
        &self,
        key: &str,
    ) -> Result<Option<ChargeAttempt>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM charge_attempts WHERE idempotency_key = $1");
        let row = sqlx::query(&sql)
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Dodo accepted the one-click checkout: remember its session id too.
    pub async fn mark_charge_session(&self, id: &str, session_id: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE charge_attempts SET dodo_session_id = COALESCE(dodo_session_id, $2) WHERE id = $1")
            .bind(id)
            .bind(session_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether this customer already bought `product_id` through one of our one-click charges.
    pub async fn customer_bought(
        &self,
        customer_id: &str,
        product_id: &str,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 AS one FROM charge_attempts WHERE customer_id = $1 AND product_id = $2 AND status = 'succeeded'",
        )
        .bind(customer_id)
        .bind(product_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Attempts that are not settled yet and were last touched before `before` (millis).
    pub async fn unsettled_charge_attempts(
        &self,
        before: i64,
    ) -> Result<Vec<ChargeAttempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM charge_attempts \
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

/// Applies Dodo's view of a payment to the attempt `attempt_id` (from the payment's metadata)
/// or, failing that, to the attempt that knows `payment_id`. Final states never regress, so
/// duplicate and out-of-order deliveries converge on the same row. Returns whether a row
/// changed.
pub async fn apply_payment_state(
    conn: &mut AnyConnection,
    attempt_id: Option<&str>,
    state: &SettledState,
) -> Result<bool, StoreError> {
    let now = now_millis();
    let settled_at = state.status.is_final().then_some(now);
    let n = sqlx::query(
        "UPDATE charge_attempts SET \
           status = $3, dodo_payment_id = $2, \
           payment_link = COALESCE($4, payment_link), \
           error_code = $5, error_message = $6, updated_at = $7, settled_at = COALESCE(settled_at, $8) \
         WHERE (id = $1 OR (dodo_payment_id = $2 AND $1 IS NULL)) \
           AND status NOT IN ('succeeded', 'failed', 'expired')",
    )
    .bind(attempt_id)
    .bind(&state.dodo_payment_id)
    .bind(state.status.as_str())
    .bind(&state.payment_link)
    .bind(&state.error_code)
    .bind(&state.error_message)
    .bind(now)
    .bind(settled_at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n > 0)
}
