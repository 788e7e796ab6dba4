//! Verified webhook events, stored once by their `webhook-id`.

use super::{Store, StoreError, now_millis};
use sqlx::{AnyConnection, Row};

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

/// A stored event we could not read (its body kept as it came), for the merchant to see.
#[derive(Clone, Debug, PartialEq)]
pub struct UnreadableWebhook {
    pub webhook_id: String,
    pub received_at: i64,
    pub problem: String,
    /// The start of the body as received (the whole body can be large).
    pub body_start: String,
}

/// How much of an unreadable body the dashboard shows.
const BODY_START_CHARS: usize = 300;

impl Store {
    /// The latest verified events we stored without being able to read them, newest first.
    pub async fn unreadable_webhooks(
        &self,
        event_type: &str,
        limit: i64,
    ) -> Result<Vec<UnreadableWebhook>, StoreError> {
        let rows = sqlx::query(
            "SELECT webhook_id, received_at, error, body FROM webhook_events WHERE event_type = $1 \
             ORDER BY received_at DESC, webhook_id DESC LIMIT $2",
        )
        .bind(event_type)
        .bind(limit.clamp(1, 200))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let body: String = row.try_get("body")?;
                let problem: Option<String> = row.try_get("error")?;
                Ok(UnreadableWebhook {
                    webhook_id: row.try_get("webhook_id")?,
                    received_at: row.try_get("received_at")?,
                    problem: problem.unwrap_or_default(),
                    body_start: body.chars().take(BODY_START_CHARS).collect(),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
