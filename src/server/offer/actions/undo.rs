//! "Undo this purchase" (after its confirmation) and, while money is owed, "Update your payment
//! method".

use super::page_for;
use crate::server::attempts::refund::{self, RefundOrder};
use crate::server::attempts::{Order, Started};
use crate::server::offer::absolute;
use crate::server::offer::error::OfferError;
use crate::server::offer::owed::fix_payment_link;
use crate::server::offer::paid::{succeeded_charge, undo_attempt, undo_until};
use crate::server::offer::session::OfferSession;
use crate::server::offer::view::authorized_offer;
use crate::server::state::AppState;
use crate::server::store::now_millis;
use crate::types::offer::UndoRefusal;

/// Refunds the offer's one-click purchase in full, once: a repeat (double click, second tab,
/// resubmitted form) finds the first undo and sends nothing. Refused — nothing sent — outside
/// the undo window (Dodo's clock, from Dodo's payment), for a payment refunded already (in
/// full or in part), and for anything but a paid one-click charge.
pub async fn undo(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    if undo_attempt(state, &offer).await?.is_some() {
        return Ok(page_for(session, &offer.id));
    }
    let charge = succeeded_charge(state, &offer)
        .await?
        .ok_or(OfferError::Undo(UndoRefusal::NotUndoable))?;
    let payment_id = charge
        .dodo_payment_id
        .clone()
        .ok_or(OfferError::Undo(UndoRefusal::NotUndoable))?;
    // Fresh from Dodo: whether it is paid, refunded, and when it was made decide.
    let payment = state.dodo_client.payment(&payment_id).await?;
    if payment.customer_id != offer.customer_id {
        return Err(OfferError::Undo(UndoRefusal::NotUndoable));
    }
    let until = match undo_until(state, &charge, &payment) {
        Ok(until) => until,
        // A double click or a second tab: the other request's undo may have been recorded and
        // refunded between our look for it above and Dodo's answer. That refund is this
        // customer's own undo, not a refusal: the page shows it.
        Err(refusal) => {
            if undo_attempt(state, &offer).await?.is_some() {
                return Ok(page_for(session, &offer.id));
            }
            return Err(OfferError::Undo(refusal));
        }
    };
    let order = RefundOrder {
        idempotency_key: refund::key_for(&offer.id),
        offer_id: offer.id.clone(),
        charge_attempt_id: charge.id.clone(),
        payment_id,
        customer_id: offer.customer_id.clone(),
        product_id: offer.product_id.clone(),
        amount_minor: payment.total_amount,
        currency: payment.currency.clone(),
        // The window on the wall clock (Dodo's clock may run ahead in the sandbox).
        send_before: now_millis() + (until * 1000 - state.clock.now_millis()),
    };
    match state.engine.start(&Order::Refund(order)).await? {
        Started::Sent(attempt) => {
            tracing::info!(offer = %offer.id, attempt = %attempt.id, status = attempt.status.as_str(), "undo sent");
        }
        Started::Existing(attempt) => {
            tracing::info!(offer = %offer.id, attempt = %attempt.id, "undo repeated; not sending again");
        }
        Started::Refused(refusal) => {
            tracing::warn!(offer = %offer.id, ?refusal, "undo refused by the store");
        }
    }
    Ok(page_for(session, &offer.id))
}

/// Dodo's page for a new payment method on the subscription the customer owes money on; back
/// to the offer afterwards. Nothing owed: back to the offer.
pub async fn fix_payment(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let back = absolute(state, &page_for(session, &offer.id));
    let facts = state.dodo_reads.fresh_customer(&offer.customer_id).await?;
    let Some(owed) = &facts.owed else {
        return Ok(page_for(session, &offer.id));
    };
    let link = fix_payment_link(state, owed, &back).await?;
    state.dodo_reads.customer_may_change(&offer.customer_id);
    Ok(link.unwrap_or_else(|| page_for(session, &offer.id)))
}
