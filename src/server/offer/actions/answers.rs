//! "No thanks", "Don't show me offers like this again", and its undo.

use super::{page_for, page_noting};
use crate::server::offer::error::OfferError;
use crate::server::offer::selection::{downsell_after, offer_for_step};
use crate::server::offer::session::OfferSession;
use crate::server::offer::view::{authorized_offer, is_cross_sell};
use crate::server::state::AppState;
use crate::server::store::{ALL_OFFERS, Decision};
use crate::types::offer::OfferNotice;

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
    let purchase = state.dodo_reads.payment(&purchase_id).await?;
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
