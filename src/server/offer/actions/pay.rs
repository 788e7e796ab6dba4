//! "Pay now": the one-click charge, and what every paying button checks first — the amount
//! the customer agreed to against Dodo's price now.

use super::{Agreed, page_for, page_noting, page_with};
use crate::routes;
use crate::server::attempts::charge::{self, ChargeKind, ChargeOrder};
use crate::server::attempts::{Order, Purchase, Started};
use crate::server::offer::absolute;
use crate::server::offer::error::OfferError;
use crate::server::offer::selection::offer_price;
use crate::server::offer::session::OfferSession;
use crate::server::offer::view::{
    Freshness, authorized_offer, chargeable, is_cross_sell, reference_payment,
};
use crate::server::state::AppState;
use crate::server::store::{Decision, Offer, Refusal, now_millis};
use crate::types::offer::OfferNotice;
use std::collections::BTreeMap;

/// Whether the customer agreed to what the offer costs now; if Dodo's price moved since the
/// page showed it, the offer is repriced (nothing is sent) and the page explains the change.
pub(super) async fn price_still_agreed(
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

/// One of the offer's product, at the offer's price, within the offer's window (in wall-clock
/// time: Dodo's clock may run ahead in the sandbox).
pub(super) fn purchase_of(state: &AppState, offer: &Offer, idempotency_key: String) -> Purchase {
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
pub(super) fn refused_page(
    session: Option<&OfferSession>,
    offer: &Offer,
    refusal: &Refusal,
) -> String {
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

/// [`accept`] in a task of its own, so a reload or a dropped connection while it checks Dodo's
/// facts cannot cancel it halfway (between the checks and the recorded attempt).
pub async fn accept_to_the_end(
    state: AppState,
    offer_id: String,
    session: Option<OfferSession>,
    agreed: Agreed,
) -> Result<String, OfferError> {
    tokio::spawn(async move {
        let _checking = state.accepting.start(&offer_id);
        accept(&state, &offer_id, session.as_ref(), &agreed).await
    })
    .await
    .map_err(|e| OfferError::Interrupted(e.to_string()))?
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
    // Read from Dodo now, not from the page's minute-old view: no charge while the customer
    // owes money on a subscription (the page then says so), and only a usable method.
    let can = chargeable(state, &offer, Freshness::Charge).await?;
    let card = match (can.owed, can.method) {
        (None, Ok(card)) => card,
        _ => return Ok(page_for(session, &offer.id)),
    };
    // Only the method the page named: if the customer's methods changed at Dodo since the page
    // showed them, nothing is sent and the page shows the method that would be charged now.
    if agreed.method_id.as_deref() != Some(card.method.id.as_str()) {
        tracing::info!(offer = %offer.id, agreed = ?agreed.method_id, now = %card.method.id, "the method to charge is not the one shown; asking again");
        return Ok(page_for(session, &offer.id));
    }
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
        payment_method_id: card.method.id.clone(),
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
