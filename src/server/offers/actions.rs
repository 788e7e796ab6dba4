//! What the offer page's buttons do. Each takes only the offer id and the browser's session;
//! everything else — customer, card, product, amount — the server looks up itself. Each
//! returns where the browser goes next.

use super::super::charges::{self, ChargeKind, ChargeOrder};
use super::super::state::AppState;
use super::super::store::{ALL_OFFERS, Decision, now_millis};
use super::selection::{downsell_after, offer_for_step};
use super::session::OfferSession;
use super::view::{ViewError, authorized_offer, card_for, is_cross_sell, reference_payment};
use super::{absolute, charge_key};
use crate::pages::offer::model::FallbackReason;
use dodo_client::{CartItem, HostedCheckout};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("this offer is not available in this browser")]
    NotYours,
    #[error("no such offer")]
    NotFound,
    #[error("{0}")]
    Unavailable(String),
}

impl From<ViewError> for ActionError {
    fn from(e: ViewError) -> Self {
        match e {
            ViewError::NotFound => ActionError::NotFound,
            ViewError::NotYours => ActionError::NotYours,
            ViewError::Unavailable(m) => ActionError::Unavailable(m),
        }
    }
}

fn unavailable(e: impl ToString) -> ActionError {
    ActionError::Unavailable(e.to_string())
}

/// The offer page, keeping the session (and the embed layout) across the redirect.
fn page_for(session: Option<&OfferSession>, offer_id: &str) -> String {
    let path = format!("/offer/{offer_id}");
    match session {
        Some(s) => s.location(&path),
        None => path,
    }
}

/// "Pay now": charges the saved card once. A repeat (double click, second tab, reload, back
/// button) finds the first attempt and shows its state instead.
pub async fn accept(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let store = &state.store;
    if let Some(existing) = store
        .charge_attempt_by_key(&charge_key(&offer.id))
        .await
        .map_err(unavailable)?
    {
        tracing::info!(offer = %offer.id, attempt = %existing.id, "accept repeated; showing the first attempt");
        return Ok(page_for(session, &offer.id));
    }
    // The same checks the page made, again: the window, the customer's wishes, the card.
    if state.clock.now_millis() >= offer.expires_at
        || store
            .decision(&offer.id)
            .await
            .map_err(unavailable)?
            .is_some()
        || store
            .is_suppressed(&offer.customer_id, &offer.product_id)
            .await
            .map_err(unavailable)?
    {
        return Ok(page_for(session, &offer.id));
    }
    let card = match card_for(state, &offer).await.map_err(unavailable)? {
        Ok(card) => card,
        Err(_) => return Ok(page_for(session, &offer.id)),
    };
    let (kind, metadata, billing) = if is_cross_sell(&offer) {
        // `POST /payments` needs a billing address: the one from the customer's last payment.
        let reference = reference_payment(state, &offer)
            .await
            .map_err(unavailable)?;
        let metadata = BTreeMap::from([("cross_sell_offer_id".to_string(), offer.id.clone())]);
        (
            ChargeKind::CrossSell,
            metadata,
            reference.and_then(|p| p.billing),
        )
    } else {
        let purchase_id = offer.source_payment_id.clone().unwrap_or_default();
        let metadata = BTreeMap::from([
            ("upsell_offer_id".to_string(), offer.id.clone()),
            ("original_payment_id".to_string(), purchase_id),
        ]);
        (ChargeKind::Upsell, metadata, None)
    };
    let order = ChargeOrder {
        idempotency_key: charge_key(&offer.id),
        kind,
        offer_id: Some(offer.id.clone()),
        customer_id: offer.customer_id.clone(),
        payment_method_id: card.id.clone(),
        product_id: offer.product_id.clone(),
        quantity: 1,
        amount_minor: offer.price_minor,
        currency: offer.currency.clone(),
        // Where a 3-D Secure confirmation returns to.
        return_url: Some(absolute(
            state,
            &page_for(session, &format!("{}/result", offer.id)),
        )),
        billing,
        metadata,
        // The window in wall-clock time (Dodo's clock may run ahead in the sandbox).
        send_before: now_millis() + (offer.expires_at - state.clock.now_millis()),
    };
    // The attempt is recorded first: a page rendered in between never sees "accepted"
    // without the charge that goes with it.
    charges::charge_once(store, &state.dodo_client, &order)
        .await
        .map_err(unavailable)?;
    store
        .record_decision(&offer.id, Decision::Accepted)
        .await
        .map_err(unavailable)?;
    Ok(page_for(session, &offer.id))
}

/// "No thanks": recorded; then the downsell, the next offer, or the merchant's continue page.
pub async fn decline(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let stored = state
        .store
        .record_decision(&offer.id, Decision::Declined)
        .await
        .map_err(unavailable)?;
    if stored != Decision::Declined {
        // Already accepted or suppressed: nothing to decline.
        return Ok(page_for(session, &offer.id));
    }
    let purchase_id = offer.source_payment_id.clone().unwrap_or_default();
    let purchase = state
        .dodo_client
        .payment(&purchase_id)
        .await
        .map_err(unavailable)?;
    if state.clock.now_millis() < offer.expires_at {
        if let Some(downsell) = downsell_after(state, &purchase, &offer)
            .await
            .map_err(unavailable)?
        {
            return Ok(page_for(session, &downsell.id));
        }
        if let Some(next) = offer_for_step(state, &purchase, offer.step + 1)
            .await
            .map_err(unavailable)?
        {
            return Ok(page_for(session, &next.id));
        }
    }
    Ok(state.merchant.upsell.continue_url.clone())
}

/// "Don't show me offers like this again": no offer for this customer, from now on.
pub async fn suppress(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    state
        .store
        .suppress(&offer.customer_id, ALL_OFFERS)
        .await
        .map_err(unavailable)?;
    state
        .store
        .record_decision(&offer.id, Decision::Suppressed)
        .await
        .map_err(unavailable)?;
    Ok(page_for(session, &offer.id))
}

/// Undo of [`suppress`].
pub async fn unsuppress(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    state
        .store
        .unsuppress(&offer.customer_id, ALL_OFFERS)
        .await
        .map_err(unavailable)?;
    state
        .store
        .clear_suppressed_decision(&offer.id)
        .await
        .map_err(unavailable)?;
    Ok(page_for(session, &offer.id))
}

/// The normal-checkout fallback: Dodo's hosted checkout for the offered product, listing the
/// customer's saved methods, returning to this offer.
pub async fn checkout(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let created = state
        .dodo_client
        .create_hosted_checkout(&HostedCheckout {
            product_cart: vec![CartItem {
                product_id: offer.product_id.clone(),
                quantity: 1,
            }],
            customer_id: Some(offer.customer_id.clone()),
            show_saved_payment_methods: true,
            return_url: Some(absolute(
                state,
                &page_for(session, &format!("{}/result", offer.id)),
            )),
            cancel_url: Some(absolute(state, &page_for(session, &offer.id))),
            redirect_immediately: true,
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
        })
        .await
        .map_err(unavailable)?;
    created
        .checkout_url
        .ok_or_else(|| ActionError::Unavailable("Dodo returned no checkout page".into()))
}

/// "Update your payment method": Dodo's customer portal for this customer.
pub async fn portal(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    let return_url = absolute(state, &page_for(session, &offer.id));
    state
        .dodo_client
        .customer_portal_link(&offer.customer_id, Some(&return_url))
        .await
        .map_err(unavailable)
}

/// `/offer/{id}/result`: back from a 3-D Secure confirmation or the fallback checkout. Settles
/// what Dodo now knows; the offer page then shows it.
pub async fn result(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
    payment_id: Option<&str>,
) -> Result<String, ActionError> {
    let offer = authorized_offer(state, offer_id, session).await?;
    if let Some(attempt) = state
        .store
        .charge_attempt_by_key(&charge_key(&offer.id))
        .await
        .map_err(unavailable)?
    {
        charges::reconcile(&state.store, &state.dodo_client, attempt)
            .await
            .map_err(unavailable)?;
    } else if let Some(payment_id) = payment_id {
        // The fallback checkout: a payment for this offer by this customer counts as accepted.
        if let Ok(payment) = state.dodo_client.payment(payment_id).await {
            let for_this_offer = payment.customer_id == offer.customer_id
                && (payment.metadata.get("upsell_offer_id") == Some(&offer.id)
                    || payment.metadata.get("cross_sell_offer_id") == Some(&offer.id))
                && payment.status == Some(dodo_client::IntentStatus::Succeeded);
            if for_this_offer {
                state
                    .store
                    .record_decision(&offer.id, Decision::Accepted)
                    .await
                    .map_err(unavailable)?;
            }
        }
    }
    Ok(page_for(session, &offer.id))
}

/// Whether a failed one-click charge should point the customer to a normal checkout.
pub fn fallback_for_failure(code: &str) -> Option<FallbackReason> {
    match code {
        "NO_ELIGIBLE_PAYMENT_METHODS" | "INVALID_REQUEST_PARAMETERS" => {
            Some(FallbackReason::CardNotAccepted)
        }
        "EXPIRED_CARD" => Some(FallbackReason::CardExpired),
        _ => None,
    }
}
