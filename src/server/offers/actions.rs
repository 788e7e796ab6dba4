//! What the offer page's buttons do. Each takes only the offer id, the browser's session and —
//! for the buttons that pay — the amount the customer was shown; everything else (customer,
//! card, product, price) the server looks up itself. Each returns where the browser goes next.
//!
//! Money moves only through the engine (`server::attempts`): a charge or a fallback checkout is
//! recorded together with the customer's decision and their claim on the product, so a second
//! tab, a second offer of the same product, or "No thanks" while paying cannot get past it.

use super::super::attempts::charge::{self, ChargeKind, ChargeOrder};
use super::super::attempts::checkout::{self, CheckoutOrder};
use super::super::attempts::{Order, Purchase, Started};
use super::super::state::AppState;
use super::super::store::{
    ALL_OFFERS, AttemptKind, AttemptStatus, Decision, Offer, Outcome, Refusal, now_millis,
};
use super::absolute;
use super::error::OfferError;
use super::selection::{downsell_after, offer_for_step, offer_price};
use super::session::OfferSession;
use super::view::{authorized_offer, card_for, is_cross_sell, reference_payment};
use crate::routes;
use crate::types::offer::OfferNotice;
use std::collections::BTreeMap;

/// The amount the customer was shown on the button they pressed. A consent check only: the
/// server charges what Dodo prices, and refuses when that is not what the customer saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreed {
    pub amount_minor: i64,
    pub currency: String,
}

/// The offer page, keeping the session (and the embed layout) across the redirect.
fn page_for(session: Option<&OfferSession>, offer_id: &str) -> String {
    page_with(session, &routes::offer(offer_id))
}

fn page_with(session: Option<&OfferSession>, path: &str) -> String {
    match session {
        Some(s) => s.location(path),
        None => path.to_owned(),
    }
}

/// The offer page with a notice saying why nothing happened.
fn page_noting(session: Option<&OfferSession>, offer_id: &str, notice: OfferNotice) -> String {
    page_with(
        session,
        &format!("{}?notice={}", routes::offer(offer_id), notice.as_str()),
    )
}

/// Whether the customer agreed to what the offer costs now; if Dodo's price moved since the
/// page showed it, the offer is repriced (nothing is sent) and the page explains the change.
async fn price_still_agreed(
    state: &AppState,
    offer: &Offer,
    agreed: &Agreed,
) -> Result<bool, OfferError> {
    if agreed.amount_minor != offer.price_minor
        || !agreed.currency.eq_ignore_ascii_case(&offer.currency)
    {
        // The page was older than the offer (another tab saw a new price): show it again.
        return Ok(false);
    }
    // Fresh from Dodo, never from a cache: this is the price the customer is about to pay.
    let product = state.dodo_client.product(&offer.product_id).await?;
    let Some((price, currency)) = offer_price(&product) else {
        return Err(OfferError::NoFixedPrice);
    };
    if price == offer.price_minor && currency.eq_ignore_ascii_case(&offer.currency) {
        return Ok(true);
    }
    tracing::info!(offer = %offer.id, was = offer.price_minor, now = price, "Dodo's price moved; asking the customer again");
    state
        .store
        .reprice_offer(&offer.id, price, &currency)
        .await?;
    Ok(false)
}

/// How long an unpaid fallback checkout page holds the offer's product for the customer.
const CHECKOUT_HOLD_MILLIS: i64 = 45 * 60_000;

/// One of the offer's product, at the offer's price, within the offer's window (in wall-clock
/// time: Dodo's clock may run ahead in the sandbox).
fn purchase_of(state: &AppState, offer: &Offer, idempotency_key: String) -> Purchase {
    Purchase {
        idempotency_key,
        offer_id: Some(offer.id.clone()),
        customer_id: offer.customer_id.clone(),
        product_id: offer.product_id.clone(),
        quantity: 1,
        amount_minor: offer.price_minor,
        currency: offer.currency.clone(),
        send_before: now_millis() + (offer.expires_at - state.clock.now_millis()),
        exclusive: !state.merchant.is_repeatable(&offer.product_id),
    }
}

/// Where the browser goes when the engine refused to record anything.
fn refused_page(session: Option<&OfferSession>, offer: &Offer, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Decided(Decision::Accepted) => {
            page_noting(session, &offer.id, OfferNotice::PaymentInProgress)
        }
        Refusal::Decided(_) => page_noting(session, &offer.id, OfferNotice::AlreadyDeclined),
        Refusal::Owned { .. } | Refusal::ChangeInFlight(_) => {
            page_noting(session, &offer.id, OfferNotice::AlreadyOwned)
        }
    }
}

/// "Pay now": charges the saved method once. A repeat (double click, second tab, reload, back
/// button) finds the first attempt and shows its state instead.
pub async fn accept(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
    agreed: &Agreed,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let store = &state.store;
    if store
        .attempt_by_key(&charge::key_for(&offer.id))
        .await?
        .is_some()
    {
        tracing::info!(offer = %offer.id, "accept repeated; showing the first attempt");
        return Ok(page_for(session, &offer.id));
    }
    // The same checks the page made, again: the window, the customer's wishes, the card.
    if state.clock.now_millis() >= offer.expires_at
        || store
            .is_suppressed(&offer.customer_id, &offer.product_id)
            .await?
    {
        return Ok(page_for(session, &offer.id));
    }
    let card = match card_for(state, &offer).await? {
        Ok(card) => card,
        Err(_) => return Ok(page_for(session, &offer.id)),
    };
    if !price_still_agreed(state, &offer, agreed).await? {
        return Ok(page_for(session, &offer.id));
    }
    let (kind, mut metadata, billing) = if is_cross_sell(&offer) {
        // `POST /payments` needs a billing address: the one from the customer's last payment.
        let reference = reference_payment(state, &offer).await?;
        (
            ChargeKind::CrossSell,
            BTreeMap::from([("cross_sell_offer_id".to_string(), offer.id.clone())]),
            reference.and_then(|p| p.billing),
        )
    } else {
        let purchase_id = offer.source_payment_id.clone().unwrap_or_default();
        (
            ChargeKind::Upsell,
            BTreeMap::from([
                ("upsell_offer_id".to_string(), offer.id.clone()),
                ("original_payment_id".to_string(), purchase_id),
            ]),
            None,
        )
    };
    metadata.insert("offer_kind".into(), offer.kind.clone());
    let order = ChargeOrder {
        purchase: purchase_of(state, &offer, charge::key_for(&offer.id)),
        kind,
        payment_method_id: card.id.clone(),
        // Where a 3-D Secure confirmation returns to.
        return_url: Some(absolute(
            state,
            &page_with(session, &routes::offer_result(&offer.id)),
        )),
        billing,
        metadata,
    };
    match state.engine.start(&Order::Charge(order)).await? {
        Started::Sent(_) | Started::Existing(_) => Ok(page_for(session, &offer.id)),
        Started::Refused(refusal) => {
            tracing::info!(offer = %offer.id, ?refusal, "accept refused; nothing sent");
            Ok(refused_page(session, &offer, &refusal))
        }
    }
}

/// "No thanks": recorded unless a payment for the offer is in flight or made; then the
/// downsell, the next offer, or the merchant's continue page.
pub async fn decline(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let stored = state.store.decline_offer(&offer.id).await?;
    match stored {
        Decision::Declined => {}
        Decision::Accepted => {
            tracing::info!(offer = %offer.id, "No thanks refused: the offer is being paid or was bought");
            return Ok(page_noting(
                session,
                &offer.id,
                OfferNotice::PaymentInProgress,
            ));
        }
        // Suppressed or expired: nothing to decline.
        _ => return Ok(page_for(session, &offer.id)),
    }
    if is_cross_sell(&offer) {
        return Ok(page_for(session, &offer.id));
    }
    let purchase_id = offer.source_payment_id.clone().unwrap_or_default();
    let purchase = state.dodo_client.payment(&purchase_id).await?;
    if state.clock.now_millis() < offer.expires_at {
        if let Some(downsell) = downsell_after(state, &purchase, &offer).await? {
            return Ok(page_for(session, &downsell.id));
        }
        if let Some(next) = offer_for_step(state, &purchase, offer.step + 1).await? {
            return Ok(page_for(session, &next.id));
        }
    }
    Ok(state.merchant.upsell.continue_url.clone())
}

/// "Don't show me offers like this again": no offer for this customer, from now on. An offer
/// being paid right now stays paid for.
pub async fn suppress(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    state.store.suppress(&offer.customer_id, ALL_OFFERS).await?;
    state
        .store
        .record_decision(&offer.id, Decision::Suppressed)
        .await?;
    Ok(page_for(session, &offer.id))
}

/// Undo of [`suppress`].
pub async fn unsuppress(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    state
        .store
        .unsuppress(&offer.customer_id, ALL_OFFERS)
        .await?;
    state.store.clear_suppressed_decision(&offer.id).await?;
    Ok(page_for(session, &offer.id))
}

/// The normal-checkout fallback: Dodo's hosted checkout for the offered product, listing the
/// customer's saved methods, returning to this offer. One open checkout per offer: asking
/// again returns the same page; a bought offer gets none.
pub async fn checkout(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
    agreed: &Agreed,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let attempts = state.store.attempts_for_offer(&offer.id).await?;
    if attempts
        .iter()
        .any(|a| a.status == AttemptStatus::Succeeded)
    {
        return Ok(page_noting(session, &offer.id, OfferNotice::AlreadyOwned));
    }
    if let Some(open) = attempts
        .iter()
        .find(|a| a.kind == AttemptKind::Checkout && !a.status.is_final())
    {
        return Ok(match &open.payment_link {
            Some(link) => link.clone(),
            None => page_for(session, &offer.id),
        });
    }
    if state.clock.now_millis() >= offer.expires_at {
        return Ok(page_for(session, &offer.id));
    }
    if !price_still_agreed(state, &offer, agreed).await? {
        return Ok(page_for(session, &offer.id));
    }
    let opened = attempts
        .iter()
        .filter(|a| a.kind == AttemptKind::Checkout)
        .count();
    let result = routes::offer_result(&offer.id);
    let purchase = purchase_of(state, &offer, checkout::key_for(&offer.id, opened));
    let order = CheckoutOrder {
        // An unpaid checkout page holds the product for the customer this long (it is given
        // up then, so a page left behind blocks nothing); a payment made later still counts.
        pay_before: now_millis() + CHECKOUT_HOLD_MILLIS,
        purchase,
        return_url: absolute(state, &page_with(session, &result)),
        cancel_url: absolute(state, &page_with(session, &format!("{result}?cancelled=1"))),
        metadata: BTreeMap::from([
            (
                if is_cross_sell(&offer) {
                    "cross_sell_offer_id"
                } else {
                    "upsell_offer_id"
                }
                .to_string(),
                offer.id.clone(),
            ),
            ("source".to_string(), format!("{}_checkout", offer.kind)),
        ]),
    };
    match state.engine.start(&Order::Checkout(order)).await? {
        Started::Sent(a) | Started::Existing(a) => Ok(match a.payment_link {
            Some(link) if !a.status.is_final() => link,
            _ => page_for(session, &offer.id),
        }),
        Started::Refused(refusal) => Ok(refused_page(session, &offer, &refusal)),
    }
}

/// "Update your payment method": Dodo's customer portal for this customer.
pub async fn portal(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let return_url = absolute(state, &page_for(session, &offer.id));
    Ok(state
        .dodo_client
        .customer_portal_link(&offer.customer_id, Some(&return_url))
        .await?)
}

/// `/offer/{id}/result`: back from a 3-D Secure confirmation or the fallback checkout. Looks
/// at what Dodo now knows of the offer's attempts (a cancelled checkout is given up); the
/// offer page then shows it. The payment id Dodo appends is not needed: attempts are found by
/// their own id in the payment's metadata.
pub async fn result(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
    cancelled: bool,
) -> Result<String, OfferError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let attempts = state.store.attempts_for_offer(&offer.id).await?;
    for attempt in attempts.into_iter().filter(|a| !a.status.is_final()) {
        let attempt = state.engine.reconcile(attempt).await?;
        if cancelled && attempt.kind == AttemptKind::Checkout && !attempt.status.is_final() {
            // The customer came back without paying. Should they pay that page after all, its
            // payment still wins over this (provisional) outcome.
            state
                .store
                .settle_attempt(
                    &attempt.id,
                    &Outcome::Failed {
                        code: "CHECKOUT_CANCELLED".into(),
                        message: "The customer left the checkout page.".into(),
                        provisional: true,
                    },
                    Some(now_millis() + 60_000),
                )
                .await?;
        }
    }
    Ok(page_for(session, &offer.id))
}
