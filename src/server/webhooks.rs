//! `POST /webhooks/dodo`: Dodo's webhooks, verified per Standard Webhooks, stored once by their
//! `webhook-id`, and applied to our attempts in the same transaction as that insert.
//!
//! Order does not matter: every event carries the object's latest state, and attempts never
//! leave a final state, so duplicate and shuffled deliveries end where in-order delivery ends.
//! Unknown event types are stored and acknowledged. Answers: 200 accepted or duplicate, 400
//! malformed, 401 bad signature or timestamp, 503 when no webhook key is configured, 500 when
//! the store failed (Dodo retries).

use super::state::AppState;
use super::store::{
    AttemptStatus, SettledState, WebhookInsert, apply_payment_state, apply_plan_change_payment,
    apply_plan_changed, insert_webhook_event, mark_webhook_processed,
};
use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use dodo_client::{IntentStatus, Payment, WebhookData, WebhookEvent};
use serde_json::json;
use sqlx::AnyConnection;

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
    apply(&mut tx, event).await?;
    mark_webhook_processed(&mut tx, webhook_id, None).await?;
    tx.commit().await?;
    Ok(true)
}

/// Applies one event to the attempts it concerns. Events we do not act on are only stored.
pub async fn apply(
    conn: &mut AnyConnection,
    event: &WebhookEvent,
) -> Result<(), super::store::StoreError> {
    match &event.data {
        WebhookData::Payment(payment) => {
            let Some(status) = payment.status.as_ref().and_then(attempt_status) else {
                return Ok(());
            };
            let state = settled_state(payment, status);
            let attempt_id = payment.metadata.get("attempt_id").map(String::as_str);
            match attempt_id {
                Some(id) if id.starts_with("pca_") => {
                    apply_plan_change_payment(conn, Some(id), &state).await?;
                }
                Some(id) => {
                    apply_payment_state(conn, Some(id), &state).await?;
                }
                None => {
                    // A payment we did not start through an attempt (e.g. a first purchase), or one
                    // whose metadata was lost: match by payment id, if any attempt knows it.
                    apply_payment_state(conn, None, &state).await?;
                    apply_plan_change_payment(conn, None, &state).await?;
                }
            }
        }
        WebhookData::Subscription(subscription)
            if event.event_type == "subscription.plan_changed" =>
        {
            apply_plan_changed(
                conn,
                &subscription.id,
                &subscription.product_id,
                subscription.quantity,
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// How a payment status maps onto an attempt; `None` for statuses that say nothing new.
pub fn attempt_status(status: &IntentStatus) -> Option<AttemptStatus> {
    Some(match status {
        IntentStatus::Succeeded => AttemptStatus::Succeeded,
        IntentStatus::Failed | IntentStatus::Cancelled => AttemptStatus::Failed,
        IntentStatus::Processing => AttemptStatus::Pending,
        IntentStatus::RequiresCustomerAction => AttemptStatus::RequiresAction,
        _ => return None,
    })
}

pub fn settled_state(payment: &Payment, status: AttemptStatus) -> SettledState {
    SettledState {
        status,
        dodo_payment_id: payment.id.clone(),
        payment_link: payment.payment_link.clone(),
        error_code: payment.error_code.clone(),
        error_message: payment.error_message.clone(),
    }
}
