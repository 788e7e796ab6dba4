//! Builds what the offer page shows from the store, the merchant's copy and Dodo — checking
//! eligibility again on every render.

use super::super::charges;
use super::super::state::AppState;
use super::super::store::{AttemptStatus, Decision, Offer, now_millis};
use super::charge_key;
use super::cross_sell::{KIND_CROSS_SELL, purchases};
use super::eligibility::{card_view, choose_card};
use super::selection::{KIND_DOWNSELL, copy_for, offer_for_step};
use super::session::OfferSession;
use crate::money::Money;
use crate::pages::offer::model::{FallbackReason, OfferState, OfferView, RecurringTerms};
use dodo_client::{PaymentMethod, Price};
use time::OffsetDateTime;

/// Why the page cannot show an offer to this browser.
#[derive(Debug)]
pub enum ViewError {
    NotFound,
    NotYours,
    Unavailable(String),
}

/// Loads the offer and checks that `session` is the browser that bought the purchase it
/// follows.
pub async fn authorized_offer(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<Offer, ViewError> {
    let offer = state
        .store
        .offer(offer_id)
        .await
        .map_err(|e| ViewError::Unavailable(e.to_string()))?
        .ok_or(ViewError::NotFound)?;
    let session = session.ok_or(ViewError::NotYours)?;
    let owns = session.customer_id == offer.customer_id
        && offer.source_payment_id.as_deref() == Some(session.payment_id.as_str());
    if owns {
        Ok(offer)
    } else {
        Err(ViewError::NotYours)
    }
}

pub fn is_cross_sell(offer: &Offer) -> bool {
    offer.kind == KIND_CROSS_SELL
}

/// The payment an offer builds on: the purchase it follows, or — for a cross-sell — the
/// customer's latest successful payment (its card, currency and billing address).
pub async fn reference_payment(
    state: &AppState,
    offer: &Offer,
) -> Result<Option<dodo_client::Payment>, String> {
    if is_cross_sell(offer) {
        Ok(purchases(state, &offer.customer_id).await?.1)
    } else {
        let purchase_id = offer.source_payment_id.as_deref().unwrap_or_default();
        state
            .dodo_client
            .payment(purchase_id)
            .await
            .map(Some)
            .map_err(|e| e.to_string())
    }
}

/// The saved card a charge for `offer` would use right now, or why there is none.
pub async fn card_for(
    state: &AppState,
    offer: &Offer,
) -> Result<Result<PaymentMethod, FallbackReason>, String> {
    let reference = reference_payment(state, offer).await?;
    let methods = state
        .dodo_client
        .payment_methods(&offer.customer_id)
        .await
        .map_err(|e| e.to_string())?;
    let (preferred, currency) = match &reference {
        Some(p) => (p.payment_method_id.as_deref(), p.currency.as_str()),
        None => (None, offer.currency.as_str()),
    };
    Ok(choose_card(
        &methods,
        preferred,
        &offer.currency,
        currency,
        OffsetDateTime::now_utc(),
    ))
}

/// The page's state for `offer`, in order of precedence: what happened to its charge, what
/// the customer decided, the window, suppression, then whether one click is possible.
pub async fn build(
    state: &AppState,
    offer: &Offer,
    session: &OfferSession,
) -> Result<OfferView, String> {
    let store = &state.store;
    let copy = copy_for(state, offer).ok_or("the offer's rule is no longer configured")?;
    let product = state
        .dodo_client
        .product(&offer.product_id)
        .await
        .map_err(|e| e.to_string())?;
    let cross_sell = is_cross_sell(offer);
    // The purchase a post-purchase offer follows (cross-sells follow no particular one).
    let purchase = if cross_sell {
        None
    } else {
        let purchase_id = offer.source_payment_id.clone().unwrap_or_default();
        Some(
            state
                .dodo_client
                .payment(&purchase_id)
                .await
                .map_err(|e| e.to_string())?,
        )
    };
    let purchased = match purchase.as_ref().and_then(|p| p.product_ids.first()) {
        Some(id) => state
            .dodo_client
            .product(id)
            .await
            .ok()
            .and_then(|p| p.name)
            .unwrap_or_default(),
        None => String::new(),
    };

    let attempt = store
        .charge_attempt_by_key(&charge_key(&offer.id))
        .await
        .map_err(|e| e.to_string())?;
    // A page view is a good moment to settle a charge whose webhook is late.
    let attempt = match attempt {
        Some(a) if !a.status.is_final() && now_millis() - a.updated_at > 1500 => Some(
            charges::reconcile(store, &state.dodo_client, a)
                .await
                .map_err(|e| e.to_string())?,
        ),
        other => other,
    };
    let decision = store.decision(&offer.id).await.map_err(|e| e.to_string())?;
    let suppressed = store
        .is_suppressed(&offer.customer_id, &offer.product_id)
        .await
        .map_err(|e| e.to_string())?;

    let mut card = None;
    let view_state = if let Some(attempt) = &attempt {
        match attempt.status {
            AttemptStatus::Succeeded => OfferState::Succeeded {
                next: next_offer_url(state, purchase.as_ref(), offer).await,
            },
            AttemptStatus::Failed => OfferState::Failed {
                code: attempt
                    .error_code
                    .clone()
                    .unwrap_or_else(|| "PAYMENT_FAILED".into()),
            },
            AttemptStatus::RequiresAction => match &attempt.payment_link {
                Some(link) => OfferState::NeedsAction { link: link.clone() },
                None => OfferState::Processing,
            },
            AttemptStatus::Expired => OfferState::Expired,
            _ => OfferState::Processing,
        }
    } else if decision == Some(Decision::Accepted) {
        // Bought through the normal-checkout fallback.
        OfferState::Succeeded {
            next: next_offer_url(state, purchase.as_ref(), offer).await,
        }
    } else if decision == Some(Decision::Declined) {
        OfferState::Declined
    } else if suppressed {
        OfferState::Suppressed
    } else if state.clock.now_millis() >= offer.expires_at {
        OfferState::Expired
    } else {
        match card_for(state, offer).await? {
            Ok(pm) => {
                card = Some(card_view(&pm));
                OfferState::Open
            }
            Err(reason) => OfferState::CheckoutOnly(reason),
        }
    };

    let recurring = match &product.price {
        Price::Recurring {
            interval,
            interval_count,
            ..
        } => Some(RecurringTerms {
            interval: interval.as_str().to_string(),
            count: *interval_count,
        }),
        _ => None,
    };
    Ok(OfferView {
        offer_id: offer.id.clone(),
        access: session.token.clone(),
        is_downsell: offer.kind == KIND_DOWNSELL,
        is_cross_sell: cross_sell,
        purchased,
        product_name: product
            .name
            .clone()
            .unwrap_or_else(|| copy.headline.clone()),
        description: product.description.clone(),
        image: product.image.clone().filter(|i| i.starts_with("https://")),
        headline: copy.headline.clone(),
        value_points: copy.value_points.clone(),
        badge: copy.badge.clone(),
        price: Money::new(offer.price_minor, offer.currency.clone()),
        compare_at: copy
            .compare_at_minor
            .filter(|c| *c > offer.price_minor)
            .map(|c| Money::new(c, offer.currency.clone())),
        recurring,
        tax_inclusive: product.tax_inclusive,
        card,
        expires_at: offer.expires_at / 1000,
        expires_at_iso: OffsetDateTime::from_unix_timestamp(offer.expires_at / 1000)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default(),
        minutes_left: ((offer.expires_at - state.clock.now_millis()) / 60_000).max(0),
        state: view_state,
        continue_url: if cross_sell {
            state.merchant.cross_sell.continue_url.clone()
        } else {
            state.merchant.upsell.continue_url.clone()
        },
    })
}

/// The next offer after this one was bought, if the purchase allows another.
async fn next_offer_url(
    state: &AppState,
    purchase: Option<&dodo_client::Payment>,
    offer: &Offer,
) -> Option<String> {
    let purchase = purchase?;
    if state.clock.now_millis() >= offer.expires_at {
        return None;
    }
    match offer_for_step(state, purchase, offer.step + 1).await {
        Ok(Some(next)) if next.id != offer.id => Some(format!("/offer/{}", next.id)),
        _ => None,
    }
}

/// The state name of an offer whose charge is under way, settling it with Dodo when its
/// webhook is late. Cheap enough to poll: one store read, a Dodo read only when stale.
pub async fn progress(state: &AppState, offer: &Offer) -> Result<&'static str, String> {
    let Some(attempt) = state
        .store
        .charge_attempt_by_key(&charge_key(&offer.id))
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok("open");
    };
    let attempt = if !attempt.status.is_final() && now_millis() - attempt.updated_at > 1500 {
        charges::reconcile(&state.store, &state.dodo_client, attempt)
            .await
            .map_err(|e| e.to_string())?
    } else {
        attempt
    };
    Ok(match attempt.status {
        AttemptStatus::Succeeded => "succeeded",
        AttemptStatus::Failed => "failed",
        AttemptStatus::RequiresAction if attempt.payment_link.is_some() => "needs-action",
        AttemptStatus::Expired => "expired",
        _ => "processing",
    })
}
