//! `POST /webhooks/dodo`: Dodo's webhooks, verified per Standard Webhooks, stored once by their
//! `webhook-id`, and applied to our attempts in the same transaction as that insert.
//!
//! Order does not matter: every event carries the object's latest state, and attempts never
//! leave a final state, so duplicate and shuffled deliveries end where in-order delivery ends.
//! Unknown event types are stored and acknowledged; a verified body our types cannot read is
//! stored raw (type `unreadable`, with why) and acknowledged too — never dropped. Answers: 200
//! processed, duplicate or stored unread; 401 bad signature or timestamp (429 after many from
//! one sender); 503 when no webhook key is configured; 500 when the store failed (Dodo retries).

use super::request_guard::{client_of, too_many};
use super::state::AppState;
use super::store::{WebhookInsert, insert_webhook_event, mark_webhook_processed};
use axum::{
    Extension, Json,
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use dodo_client::WebhookEvent;
use serde_json::json;

pub async fn receive(
    State(state): State<AppState>,
    // Optional so the router also answers without a socket (tests drive it with `oneshot`).
    peer: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(verifier) = state.webhook_verifier.as_deref() else {
        tracing::warn!("webhook refused: DODO_PAYMENTS_WEBHOOK_KEY is not configured");
        return answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhooks are not configured",
        );
    };
    // Verify the raw bytes before anything else reads them.
    if let Err(e) = verifier.verify(&body, &headers) {
        // Only what does not verify counts against its sender: Dodo's own bursts never do.
        let sender = client_of(
            &headers,
            peer.map(|Extension(ConnectInfo(p))| p),
            &state.config.trusted_proxies,
        );
        if !state.rate_limits.unverified_webhook(sender) {
            return too_many(std::time::Duration::from_secs(1));
        }
        tracing::warn!(error = %e, "webhook refused: signature or timestamp");
        return answer(StatusCode::UNAUTHORIZED, "invalid signature");
    }
    let Some(webhook_id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) else {
        return answer(StatusCode::BAD_REQUEST, "missing webhook-id");
    };
    // Signed by Dodo, so it is Dodo's word even when our types cannot read it: keep it (raw,
    // with why, for the merchant and for replay) and acknowledge, rather than answer 400
    // until Dodo gives up.
    let unreadable = |problem: String| {
        let state = state.clone();
        let (webhook_id, raw) = (
            webhook_id.to_owned(),
            String::from_utf8_lossy(&body).into_owned(),
        );
        async move {
            tracing::warn!(%webhook_id, %problem, "verified webhook we cannot read; stored raw");
            match store_unreadable(&state, &webhook_id, &raw, &problem).await {
                Ok(_) => answer(StatusCode::OK, "stored unread"),
                Err(e) => {
                    tracing::error!(%webhook_id, error = %e, "webhook not stored; Dodo will retry");
                    answer(StatusCode::INTERNAL_SERVER_ERROR, "try again later")
                }
            }
        }
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return unreadable("the body is not UTF-8".into()).await;
    };
    let event = match dodo_client::parse_webhook(&body) {
        Ok(event) => event,
        Err(e) => return unreadable(e.to_string()).await,
    };
    // A signed payment is Dodo's word on it, as good as reading it: the customer's landing,
    // which usually follows the webhook, then verifies the purchase without a round trip.
    // Kept before it is stored, so whoever sees the stored event finds the payment kept.
    if let dodo_client::WebhookData::Payment(payment) = &event.data {
        state.dodo_reads.remember_payment(payment);
    }

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

/// Stores a verified event our types cannot read, with why; `Ok(false)`: already stored.
async fn store_unreadable(
    state: &AppState,
    webhook_id: &str,
    body: &str,
    problem: &str,
) -> Result<bool, super::store::StoreError> {
    let mut tx = state.store.pool().begin().await?;
    let insert = WebhookInsert {
        webhook_id,
        event_type: UNREADABLE,
        body,
    };
    let stored = insert_webhook_event(&mut tx, &insert).await?;
    if stored {
        mark_webhook_processed(&mut tx, webhook_id, Some(problem)).await?;
    }
    tx.commit().await?;
    Ok(stored)
}

/// The event type a stored event we could not read is listed under.
pub const UNREADABLE: &str = "unreadable";

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
