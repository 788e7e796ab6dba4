//! The one entry point for Dodo's events about our attempts. It runs inside the transaction
//! that stores the webhook, so the event is applied exactly when it is stored.

use super::status::{attempt_id_of, settled_state};
use crate::server::store::{
    AttemptStatus, ConfirmedPayment, SeenRefund, StoreError, apply_payment_state,
    apply_plan_changed, record_confirmed_payment, record_offer_bought, record_refund_seen,
};
use dodo_client::{WebhookData, WebhookEvent};
use sqlx::AnyConnection;

/// Applies `event` to the attempt it concerns; returns that attempt's id when it changed.
/// Events we do not act on change nothing (they are stored by the caller all the same).
pub async fn apply_webhook(
    conn: &mut AnyConnection,
    event: &WebhookEvent,
) -> Result<Option<String>, StoreError> {
    record_for_analytics(conn, event).await?;
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

/// The merchant dashboard's ledgers (`store::ledgers`): every verified succeeded payment and
/// every verified succeeded refund — ours or made in Dodo's dashboard — once per Dodo object.
/// Kept apart from the attempts because an attempt's `succeeded` may also come from our own
/// read of the payment, and revenue on the dashboard is what Dodo's webhooks confirmed.
async fn record_for_analytics(
    conn: &mut AnyConnection,
    event: &WebhookEvent,
) -> Result<(), StoreError> {
    let at = (event.timestamp.unix_timestamp_nanos() / 1_000_000) as i64;
    match &event.data {
        WebhookData::Payment(payment)
            if payment
                .status
                .as_ref()
                .and_then(super::status::attempt_status)
                == Some(AttemptStatus::Succeeded) =>
        {
            let offer_id = payment
                .metadata
                .get("upsell_offer_id")
                .or_else(|| payment.metadata.get("cross_sell_offer_id"));
            record_confirmed_payment(
                conn,
                &ConfirmedPayment {
                    payment_id: &payment.id,
                    attempt_id: attempt_id_of(payment),
                    offer_id: offer_id.map(String::as_str),
                    amount_minor: payment.total_amount,
                    currency: &payment.currency,
                    at,
                },
            )
            .await?;
        }
        WebhookData::Refund(refund) if refund.status == dodo_client::RefundStatus::Succeeded => {
            let seen = SeenRefund {
                refund_id: &refund.id,
                payment_id: &refund.payment_id,
                amount_minor: refund.amount,
                currency: refund.currency.as_deref(),
                is_partial: refund.is_partial,
                at,
            };
            if !record_refund_seen(conn, &seen).await?
                && refund.amount.is_none()
                && refund.is_partial
            {
                tracing::warn!(refund = %refund.id, "partial refund without an amount: not counted");
            }
        }
        _ => {}
    }
    Ok(())
}
