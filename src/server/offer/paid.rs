//! After a one-click purchase: the receipt, and the undo window — whether the customer may still
//! take the purchase back (a full refund), decided on Dodo's clock from Dodo's payment.

use super::super::attempts::refund;
use super::super::state::AppState;
use super::super::store::{Attempt, AttemptKind, AttemptStatus, Offer, StoreError};
use super::error::OfferError;
use crate::money::Money;
use crate::types::offer::{OfferState, OfferStateKind, Receipt, Undo, UndoRefusal};
use dodo_client::Payment;

/// The one-click charge that bought `offer`, if one did.
pub async fn succeeded_charge(
    state: &AppState,
    offer: &Offer,
) -> Result<Option<Attempt>, StoreError> {
    Ok(state
        .store
        .attempts_for_offer(&offer.id)
        .await?
        .into_iter()
        .find(|a| a.kind == AttemptKind::Charge && a.status == AttemptStatus::Succeeded))
}

/// The undo of `offer`, once asked for.
pub async fn undo_attempt(state: &AppState, offer: &Offer) -> Result<Option<Attempt>, StoreError> {
    state
        .store
        .attempt_by_key(&refund::key_for(&offer.id))
        .await
}

/// Until when (unix seconds, Dodo's clock) `payment`, made by the one-click `charge`, may be
/// undone — or why it may not be.
pub fn undo_until(
    state: &AppState,
    charge: &Attempt,
    payment: &Payment,
) -> Result<i64, UndoRefusal> {
    let minutes = i64::from(state.merchant.upsell.undo_minutes);
    let paid = payment.status == Some(dodo_client::IntentStatus::Succeeded);
    if minutes == 0 || charge.kind != AttemptKind::Charge || !paid {
        return Err(UndoRefusal::NotUndoable);
    }
    if payment.refund_status.is_some() {
        return Err(UndoRefusal::AlreadyRefunded);
    }
    let until = payment.created_at.unix_timestamp() + minutes * 60;
    if state.clock.now_millis() / 1000 >= until {
        return Err(UndoRefusal::WindowPassed);
    }
    Ok(until)
}

/// What the page says was bought.
fn receipt_of(payment: &Payment, product_name: &str) -> Receipt {
    let method = match (&payment.card_network, &payment.card_last4) {
        (Some(network), Some(last4)) => format!("{} •••• {last4}", network.to_ascii_uppercase()),
        _ => payment
            .payment_method_type
            .as_deref()
            .map(dodo_client::method_type_name)
            .unwrap_or_default(),
    };
    Receipt {
        product_name: product_name.to_owned(),
        amount: Money::new(payment.total_amount, payment.currency.clone()),
        method,
        invoice_url: payment
            .invoice_url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
    }
}

/// The state of a paid offer: paid (with its receipt and undo window), being undone, or undone.
/// `next`: the next offer's address. One read of Dodo's payment, when there is a charge.
pub async fn paid_state(
    state: &AppState,
    offer: &Offer,
    product_name: &str,
    next: Option<String>,
) -> Result<OfferState, OfferError> {
    let charge = succeeded_charge(state, offer).await?;
    let payment = match charge.as_ref().and_then(|c| c.dodo_payment_id.as_deref()) {
        Some(id) => match state.dodo_reads.payment(id).await {
            Ok(p) => Some(p),
            // The receipt is a courtesy: the purchase stands without it.
            Err(e) => {
                tracing::warn!(offer = %offer.id, error = %e, "receipt: cannot read the payment");
                None
            }
        },
        None => None,
    };
    let receipt = payment.as_ref().map(|p| receipt_of(p, product_name));
    let undo = undo_attempt(state, offer).await?;
    Ok(match undo.map(|u| u.status) {
        Some(AttemptStatus::Succeeded) => OfferState::Undone { receipt },
        Some(AttemptStatus::Failed | AttemptStatus::Expired) => OfferState::Succeeded {
            next,
            receipt,
            undo: Undo::Failed,
        },
        Some(_) => OfferState::Undoing { receipt },
        None => {
            let window = match (&charge, &payment) {
                (Some(c), Some(p)) => undo_until(state, c, p).ok(),
                _ => None,
            };
            let undo = match window {
                Some(until) => Undo::Available {
                    until,
                    minutes_left: (until - state.clock.now_millis() / 1000) / 60,
                },
                None => Undo::Unavailable,
            };
            OfferState::Succeeded {
                next,
                receipt,
                undo,
            }
        }
    })
}

/// For the progress poller: a paid offer's kind, from the store only.
pub async fn paid_kind(state: &AppState, offer: &Offer) -> Result<OfferStateKind, StoreError> {
    Ok(match undo_attempt(state, offer).await?.map(|u| u.status) {
        Some(AttemptStatus::Succeeded) => OfferStateKind::Undone,
        Some(s) if !s.is_final() => OfferStateKind::Undoing,
        _ => OfferStateKind::Succeeded,
    })
}
