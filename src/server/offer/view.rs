//! Builds what the offer page shows from the store, the merchant's copy and Dodo — checking
//! eligibility again on every render.

use super::super::state::AppState;
use super::super::store::{Attempt, AttemptKind, AttemptStatus, Decision, Offer, StoreError};
use super::cross_sell::{KIND_CROSS_SELL, purchases};
use super::eligibility::{card_view, choose_card};
use super::error::OfferError;
use super::selection::{KIND_DOWNSELL, copy_for, offer_for_step};
use super::session::OfferSession;
use crate::money::Money;
use crate::types::offer::{
    FallbackReason, OfferState, OfferStateKind, OfferView, RecurringTerms, Undo,
};
use dodo_client::{PaymentMethod, Price, SavedPaymentMethod};
use time::OffsetDateTime;

/// Loads the offer and checks that `session` is the browser that bought the purchase it
/// follows.
pub async fn authorized_offer(
    state: &AppState,
    offer_id: &str,
    session: Option<&OfferSession>,
) -> Result<Offer, OfferError> {
    let offer = state
        .store
        .offer(offer_id)
        .await?
        .ok_or(OfferError::NotFound)?;
    let session = session.ok_or(OfferError::NotYours)?;
    let owns = session.customer_id == offer.customer_id
        && offer.source_payment_id.as_deref() == Some(session.payment_id.as_str());
    if owns {
        Ok(offer)
    } else {
        Err(OfferError::NotYours)
    }
}

pub fn is_cross_sell(offer: &Offer) -> bool {
    offer.kind == KIND_CROSS_SELL
}

/// The payment an offer builds on: the purchase it follows (verified at the landing, kept by
/// the shared reads), or — for a cross-sell — the customer's latest successful payment (its
/// card, currency and billing address).
pub async fn reference_payment(
    state: &AppState,
    offer: &Offer,
) -> Result<Option<dodo_client::Payment>, OfferError> {
    if is_cross_sell(offer) {
        Ok(purchases(state, &offer.customer_id).await?.1)
    } else {
        let purchase_id = offer.source_payment_id.as_deref().unwrap_or_default();
        Ok(Some(state.dodo_reads.payment(purchase_id).await?))
    }
}

/// Whether `offer` can be charged with one click: a subscription payment owed stops it; else
/// the saved method a charge would use (a card, or a wallet Dodo marks chargeable without the
/// customer), or why there is none.
pub struct Chargeable {
    pub owed: Option<dodo_client::SubscriptionSummary>,
    pub method: Result<SavedPaymentMethod, FallbackReason>,
}

/// How current the customer's facts must be: a page may show what was read a minute ago; a
/// charge reads them from Dodo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    Page,
    Charge,
}

pub async fn chargeable(
    state: &AppState,
    offer: &Offer,
    freshness: Freshness,
) -> Result<Chargeable, OfferError> {
    let reference = reference_payment(state, offer).await?;
    let facts = match freshness {
        Freshness::Page => state.dodo_reads.customer(&offer.customer_id).await?,
        Freshness::Charge => state.dodo_reads.fresh_customer(&offer.customer_id).await?,
    };
    let methods: Vec<PaymentMethod> = facts.methods.iter().map(|s| s.method.clone()).collect();
    let (preferred, currency) = match &reference {
        Some(p) => (p.payment_method_id.as_deref(), p.currency.as_str()),
        None => (None, offer.currency.as_str()),
    };
    let chosen = choose_card(
        &methods,
        preferred,
        &offer.currency,
        currency,
        OffsetDateTime::now_utc(),
    );
    Ok(Chargeable {
        owed: facts.owed.clone(),
        method: chosen.map(|pm| {
            facts
                .methods
                .iter()
                .find(|s| s.method.id == pm.id)
                .cloned()
                .unwrap_or(SavedPaymentMethod {
                    method: pm,
                    payment_method_type: None,
                })
        }),
    })
}

/// The page's state for `offer`, in order of precedence: what happened to its charge, what
/// the customer decided, the window, suppression, then whether one click is possible.
pub async fn build(
    state: &AppState,
    offer: &Offer,
    session: &OfferSession,
) -> Result<OfferView, OfferError> {
    // The customer's language: the merchant's copy in it, and Dodo's translation of the
    // product's name and description where Dodo has one.
    let locale = crate::context::current_locale();
    let copy = copy_for(state, offer)
        .ok_or(OfferError::RuleGone)?
        .in_locale(locale);
    let mut product = state.dodo_reads.product(&offer.product_id).await?;
    state.dodo_reads.translate(&mut product, locale).await;
    let cross_sell = is_cross_sell(offer);
    // The purchase a post-purchase offer follows (cross-sells follow no particular one).
    let purchase = if cross_sell {
        None
    } else {
        let purchase_id = offer.source_payment_id.clone().unwrap_or_default();
        let payment = state
            .dodo_reads
            .payment(&purchase_id)
            .await
            .map_err(|e| match e {
                // An old offer whose purchase Dodo forgot (or never had): no longer available,
                // not an outage.
                dodo_client::DodoError::NotFound { .. } => OfferError::PurchaseGone,
                other => other.into(),
            })?;
        Some(payment)
    };
    let purchased = match purchase.as_ref().and_then(|p| p.product_ids.first()) {
        Some(id) => state
            .dodo_reads
            .product(id)
            .await
            .ok()
            .and_then(|p| p.name)
            .unwrap_or_default(),
        None => String::new(),
    };

    let stored = stored_state(state, offer).await?;
    let mut card = None;
    let view_state = match stored {
        Some(stored) => match stored.into_view(None) {
            // Only a bought offer leads on (asking makes the next offer).
            OfferState::Succeeded { .. } => {
                let next = next_offer_url(state, purchase.as_ref(), offer, session).await;
                let name = product
                    .name
                    .clone()
                    .unwrap_or_else(|| copy.headline.clone());
                super::paid::paid_state(state, offer, &name, next).await?
            }
            other => other,
        },
        None if state.clock.now_millis() >= offer.expires_at => OfferState::Expired,
        None => {
            let can = chargeable(state, offer, Freshness::Page).await?;
            match (can.owed, can.method) {
                (Some(owed), _) => OfferState::OwesMoney {
                    plan: super::owed::plan_name(&owed),
                },
                (None, Ok(pm)) => {
                    card = Some(card_view(&pm));
                    OfferState::Open
                }
                (None, Err(reason)) => OfferState::CheckoutOnly(reason),
            }
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
        page_url: session.location(&crate::routes::offer(&offer.id)),
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
        price_was: offer
            .previous_price_minor
            .filter(|was| *was != offer.price_minor)
            .map(|was| Money::new(was, offer.currency.clone())),
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
            super::cross_sell::link_page(state, offer)
                .unwrap_or_else(|| state.merchant.cross_sell.continue_url.clone())
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
    session: &OfferSession,
) -> Option<String> {
    let purchase = purchase?;
    if state.clock.now_millis() >= offer.expires_at {
        return None;
    }
    match offer_for_step(state, purchase, offer.step + 1).await {
        Ok(Some(next)) if next.id != offer.id => {
            Some(session.location(&crate::routes::offer(&next.id)))
        }
        _ => None,
    }
}

/// The state name of an offer (`processing`, `succeeded`, …) for the page's progress poller:
/// read from the store only, never from Dodo — the engine's reconciler and webhooks move the
/// attempt along, the poller just watches.
pub async fn progress(state: &AppState, offer: &Offer) -> Result<OfferStateKind, OfferError> {
    Ok(match stored_state(state, offer).await? {
        Some(stored) => match stored.into_view(None).kind() {
            OfferStateKind::Succeeded => super::paid::paid_kind(state, offer).await?,
            kind => kind,
        },
        None => OfferStateKind::Open,
    })
}

/// What the store says about an offer, before anything is asked of Dodo.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredState {
    /// The offer's attempts say how buying it went.
    Attempt {
        status: AttemptStatus,
        kind: AttemptKind,
        code: Option<String>,
        link: Option<String>,
    },
    Decided(Decision),
    /// Another offer (or a purchase Dodo reported) holds the customer's claim on the product.
    OwnedElsewhere,
    Suppressed,
}

impl StoredState {
    pub fn into_view(self, next: Option<String>) -> OfferState {
        match self {
            StoredState::Attempt {
                status,
                kind,
                code,
                link,
            } => match status {
                AttemptStatus::Succeeded => OfferState::Succeeded {
                    next,
                    receipt: None,
                    undo: Undo::Unavailable,
                },
                AttemptStatus::Failed => OfferState::Failed {
                    code: code.unwrap_or_else(|| "PAYMENT_FAILED".into()),
                },
                AttemptStatus::Expired => OfferState::Expired,
                AttemptStatus::Unknown => OfferState::Confirming,
                AttemptStatus::RequiresAction | AttemptStatus::Pending
                    if kind == AttemptKind::Checkout && link.is_some() =>
                {
                    OfferState::CheckoutOpen {
                        link: link.unwrap_or_default(),
                    }
                }
                AttemptStatus::RequiresAction if link.is_some() => OfferState::NeedsAction {
                    link: link.unwrap_or_default(),
                },
                _ => OfferState::Processing,
            },
            // Bought through a payment no attempt knows (see `attempts::apply_webhook`).
            StoredState::Decided(Decision::Accepted) => OfferState::Succeeded {
                next,
                receipt: None,
                undo: Undo::Unavailable,
            },
            StoredState::OwnedElsewhere => OfferState::Owned,
            StoredState::Decided(Decision::Declined) => OfferState::Declined,
            StoredState::Decided(Decision::Expired) => OfferState::Expired,
            StoredState::Decided(Decision::Suppressed) | StoredState::Suppressed => {
                OfferState::Suppressed
            }
        }
    }
}

/// The attempt that speaks for an offer: a succeeded one, else one in flight, else the
/// latest. A checkout the customer left (failed) after a failed one-click charge leaves the
/// charge's failure on show, which offers the checkout again.
pub fn speaking_attempt(attempts: &[Attempt]) -> Option<&Attempt> {
    attempts
        .iter()
        .find(|a| a.status == AttemptStatus::Succeeded)
        .or_else(|| attempts.iter().rev().find(|a| !a.status.is_final()))
        .or_else(|| {
            attempts
                .iter()
                .rev()
                .find(|a| a.kind == AttemptKind::Charge)
        })
        .or_else(|| attempts.last())
}

/// The offer's state as far as the store knows it; `None`: still open (window and card are
/// for the caller to check).
pub async fn stored_state(
    state: &AppState,
    offer: &Offer,
) -> Result<Option<StoredState>, StoreError> {
    let store = &state.store;
    let attempts = store.attempts_for_offer(&offer.id).await?;
    let decision = store.decision(&offer.id).await?;
    if let Some(a) = speaking_attempt(&attempts) {
        // A checkout the customer left, with no charge before it: the offer is open again
        // (unless they declined it since).
        let left_checkout = a.kind == AttemptKind::Checkout
            && a.status == AttemptStatus::Failed
            && decision != Some(Decision::Declined);
        if !left_checkout {
            return Ok(Some(StoredState::Attempt {
                status: a.status,
                kind: a.kind,
                code: a.error_code.clone(),
                link: a.payment_link.clone(),
            }));
        }
    }
    // Pay was pressed and its checks are running (nothing recorded yet): a reload meanwhile
    // shows the payment under way, not the Pay button again.
    if attempts.is_empty() && decision.is_none() && state.accepting.contains(&offer.id) {
        return Ok(Some(StoredState::Attempt {
            status: AttemptStatus::Sending,
            kind: AttemptKind::Charge,
            code: None,
            link: None,
        }));
    }
    match decision {
        Some(Decision::Accepted) if attempts.is_empty() => {
            return Ok(Some(StoredState::Decided(Decision::Accepted)));
        }
        Some(d) if d != Decision::Accepted => return Ok(Some(StoredState::Decided(d))),
        _ => {}
    }
    if !state.merchant.is_repeatable(&offer.product_id)
        && let Some(claim) = store
            .product_claim(&offer.customer_id, &offer.product_id)
            .await?
        && !attempts
            .iter()
            .any(|a| claim.attempt_id.as_deref() == Some(a.id.as_str()))
    {
        return Ok(Some(StoredState::OwnedElsewhere));
    }
    if store
        .is_suppressed(&offer.customer_id, &offer.product_id)
        .await?
    {
        return Ok(Some(StoredState::Suppressed));
    }
    Ok(None)
}
