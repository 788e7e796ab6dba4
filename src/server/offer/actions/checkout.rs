//! The normal-checkout fallback, the customer portal, and coming back from either (or from a
//! bank's 3-D Secure page).

use super::pay::{price_still_agreed, purchase_of, refused_page};
use super::{Agreed, page_for, page_noting, page_with};
use crate::routes;
use crate::server::attempts::checkout::{self, CheckoutOrder};
use crate::server::attempts::{Order, Started};
use crate::server::offer::absolute;
use crate::server::offer::error::OfferError;
use crate::server::offer::session::OfferSession;
use crate::server::offer::view::{authorized_offer, is_cross_sell};
use crate::server::state::AppState;
use crate::server::store::{AttemptKind, AttemptStatus, Outcome, now_millis};
use crate::types::offer::OfferNotice;
use std::collections::BTreeMap;

/// How long an unpaid fallback checkout page holds the offer's product for the customer.
const CHECKOUT_HOLD_MILLIS: i64 = 45 * 60_000;

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
    if state.clock.now_millis() >= offer.expires_at
        || state
            .dodo_reads
            .fresh_customer(&offer.customer_id)
            .await?
            .owed
            .is_some()
    {
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
    let link = state
        .dodo_client
        .customer_portal_link(&offer.customer_id, Some(&return_url))
        .await?;
    // Whatever they change there shows when they come back.
    state.dodo_reads.customer_may_change(&offer.customer_id);
    Ok(link)
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
