//! Verified webhook events, stored once by their `webhook-id`.

use super::{StoreError, now_millis};
use sqlx::AnyConnection;

pub struct WebhookInsert<'a> {
    pub webhook_id: &'a str,
    pub event_type: &'a str,
    pub body: &'a str,
}

/// Stores the event; `false` when this `webhook-id` was already stored (a duplicate delivery).
/// Runs inside the caller's transaction, so processing and dedupe commit together.
pub async fn insert_webhook_event(
    conn: &mut AnyConnection,
    event: &WebhookInsert<'_>,
) -> Result<bool, StoreError> {
    let n = sqlx::query(
        "INSERT INTO webhook_events (webhook_id, event_type, body, received_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (webhook_id) DO NOTHING",
    )
    .bind(event.webhook_id)
    .bind(event.event_type)
    .bind(event.body)
    .bind(now_millis())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn mark_webhook_processed(
    conn: &mut AnyConnection,
    webhook_id: &str,
    error: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE webhook_events SET processed_at = $2, error = $3 WHERE webhook_id = $1")
        .bind(webhook_id)
        .bind(now_millis())
        .bind(error)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
