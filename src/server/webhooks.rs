//! `POST /webhooks/dodo`: Dodo's webhooks, verified per Standard Webhooks, stored once by their
//! `webhook-id`, and applied to our attempts in the same transaction as that insert.
//!
//! Order does not matter: every event carries the object's latest state, and attempts never
//! leave a final state, so duplicate and shuffled deliveries end where in-order delivery ends.
//! Unknown event types are stored and acknowledged. Answers: 200 accepted or duplicate, 400
//! malformed, 401 bad signature or timestamp, 503 when no webhook key is configured, 500 when
//! the store failed (Dodo retries).

use super::state::AppState;
use super::store::{WebhookInsert, insert_webhook_event, mark_webhook_processed};
use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use dodo_client::WebhookEvent;
use serde_json::json;

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(verifier) = state.webhook_verifier.as_deref() else {
        tracing::warn!("webhook refused: DODO_PAYMENTS_WEBHOOK_KEY is not configured");
        return answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhooks are not configured",
        );
    };
    // Verify the raw bytes before anything else reads them.
    if let Err(e) = verifier.verify(&body, &headers) {
        tracing::warn!(error = %e, "webhook refused: signature or timestamp");
        return answer(StatusCode::UNAUTHORIZED, "invalid signature");
    }
    let Some(webhook_id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) else {
        return answer(StatusCode::BAD_REQUEST, "missing webhook-id");
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        tracing::warn!(webhook_id, "webhook refused: body is not UTF-8");
        return answer(StatusCode::BAD_REQUEST, "malformed body");
    };
    let event = match dodo_client::parse_webhook(&body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(webhook_id, error = %e, "webhook refused: malformed payload");
            return answer(StatusCode::BAD_REQUEST, "malformed payload");
        }
    };

    match store_and_apply(&state, webhook_id, text, &event).await {
        Ok(true) => {
            tracing::info!(webhook_id, event = %event.event_type, "webhook processed");
            answer(StatusCode::OK, "processed")
        }
        Ok(false) => {
            tracing::info!(webhook_id, event = %event.event_type, "webhook duplicate ignored");
            answer(StatusCode::OK, "duplicate")
        }
        Err(e) => {
            tracing::error!(webhook_id, error = %e, "webhook not stored; Dodo will retry");
            answer(StatusCode::INTERNAL_SERVER_ERROR, "try again later")
        }
    }
}

fn answer(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "status": message }))).into_response()
}

/// Inserts the event and applies it in one transaction. `Ok(false)`: already stored.
async fn store_and_apply(
    state: &AppState,
    webhook_id: &str,
    body: &str,
    event: &WebhookEvent,
) -> Result<bool, super::store::StoreError> {
    let mut tx = state.store.pool().begin().await?;
    let insert = WebhookInsert {
        webhook_id,
        event_type: &event.event_type,
        body,
    };
    if !insert_webhook_event(&mut tx, &insert).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    super::attempts::apply_webhook(&mut tx, event).await?;
    mark_webhook_processed(&mut tx, webhook_id, None).await?;
    tx.commit().await?;
    Ok(true)
}
