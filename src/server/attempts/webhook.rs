//! The one entry point for Dodo's events about our attempts. It runs inside the transaction
//! that stores the webhook, so the event is applied exactly when it is stored.

use super::status::{attempt_id_of, settled_state};
use crate::server::store::{
    AttemptStatus, StoreError, apply_payment_state, apply_plan_changed, record_offer_bought,
};
use dodo_client::{WebhookData, WebhookEvent};
use sqlx::AnyConnection;

/// Applies `event` to the attempt it concerns; returns that attempt's id when it changed.
/// Events we do not act on change nothing (they are stored by the caller all the same).
pub async fn apply_webhook(
    conn: &mut AnyConnection,
    event: &WebhookEvent,
) -> Result<Option<String>, StoreError> {
    match &event.data {
        WebhookData::Payment(payment) => {
            let Some(state) = settled_state(payment) else {
                return Ok(None);
            };
            let attempt_id = attempt_id_of(payment);
            if let Some(changed) = apply_payment_state(conn, attempt_id, &state).await? {
                return Ok(Some(changed));
            }
            // A payment for one of our offers that no attempt knows (paid on a checkout page
            // opened before checkouts were attempts, or one whose attempt id was lost): the
            // customer bought the offer all the same.
            if attempt_id.is_none() && state.status == AttemptStatus::Succeeded {
                let offer = payment
                    .metadata
                    .get("upsell_offer_id")
                    .or_else(|| payment.metadata.get("cross_sell_offer_id"));
                if let Some(offer_id) = offer {
                    record_offer_bought(conn, offer_id, &payment.customer_id, &payment.id).await?;
                }
            }
            Ok(None)
        }
        // An undo's refund (`refund.succeeded` / `refund.failed`); refunds made elsewhere (the
        // merchant's dashboard) carry no attempt id and change no attempt.
        WebhookData::Refund(refund) => {
            let Some(state) = super::refund::settled_state(refund) else {
                return Ok(None);
            };
            let Some(attempt_id) = refund.metadata.get("attempt_id") else {
                return Ok(None);
            };
            apply_payment_state(conn, Some(attempt_id), &state).await
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
            .await
        }
        _ => Ok(None),
    }
}
