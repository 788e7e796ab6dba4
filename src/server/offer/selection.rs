//! Which offer follows a purchase: the merchant's rules for the purchased products, in file
//! order, skipping what the customer suppressed, declined within the cool-off, already bought,
//! or was already offered after this purchase.

use super::super::merchant::{OfferCopy, UpsellRule};
use super::super::state::AppState;
use super::super::store::{NewOffer, Offer};
use super::eligibility::{NotOffered, why_not_offered};
use super::error::OfferError;
use dodo_client::{Payment, Price, Product};

pub const KIND_UPSELL: &str = "upsell";
pub const KIND_DOWNSELL: &str = "downsell";

/// When offers made after `purchase` close (unix millis).
pub fn window_end(state: &AppState, purchase: &Payment) -> i64 {
    let created = purchase.created_at.unix_timestamp() * 1000;
    created + i64::from(state.merchant.upsell.offer_window_minutes) * 60_000
}

/// The amount and currency Dodo charges for a product, if it is a plain price we can offer.
pub fn offer_price(product: &Product) -> Option<(i64, String)> {
    match &product.price {
        Price::OneTime {
            amount, currency, ..
        }
        | Price::Recurring {
            amount, currency, ..
        } => Some((*amount, currency.clone())),
        _ => None,
    }
}

/// The offer for `step` (1-based) of this purchase, made now if it does not exist yet.
pub async fn offer_for_step(
    state: &AppState,
    purchase: &Payment,
    step: i64,
) -> Result<Option<Offer>, OfferError> {
    Ok(choose_for_step(state, purchase, step).await?.offer)
}

/// What [`choose_for_step`] found: the offer, and the rules it passed over on the way.
#[derive(Debug, Default)]
pub struct Choice {
    pub offer: Option<Offer>,
    /// Whether any rule is triggered by what was bought (none: "no rule matched").
    pub rule_matched: bool,
    /// The triggered rules skipped before the offer (or all of them, when there is none).
    pub skipped: Vec<(String, NotOffered)>,
}

/// [`offer_for_step`], keeping why each triggered rule was skipped (the landing's trace).
pub async fn choose_for_step(
    state: &AppState,
    purchase: &Payment,
    step: i64,
) -> Result<Choice, OfferError> {
    let mut choice = Choice::default();
    if step < 1 || step > i64::from(state.merchant.upsell.max_offers_per_purchase) {
        return Ok(choice);
    }
    let made = state.store.offers_for_purchase(&purchase.id).await?;
    if let Some(existing) = made
        .iter()
        .find(|o| o.step == step && o.kind == KIND_UPSELL)
    {
        choice.rule_matched = true;
        choice.offer = Some(existing.clone());
        return Ok(choice);
    }
    for product_id in &purchase.product_ids {
        for rule in state.merchant.upsell.rules_for(product_id) {
            choice.rule_matched = true;
            if made.iter().any(|o| o.rule_id == rule.id) {
                continue;
            }
            match make_offer(state, purchase, rule, &rule.offer, KIND_UPSELL, step).await? {
                Ok(offer) => {
                    choice.offer = Some(offer);
                    return Ok(choice);
                }
                Err(why) => choice.skipped.push((rule.id.clone(), why)),
            }
        }
    }
    Ok(choice)
}

/// The downsell that follows a "No thanks" on `declined`, if its rule has one the customer may
/// be offered.
pub async fn downsell_after(
    state: &AppState,
    purchase: &Payment,
    declined: &Offer,
) -> Result<Option<Offer>, OfferError> {
    if declined.kind != KIND_UPSELL {
        return Ok(None);
    }
    let Some(rule) = rule(state, &declined.rule_id) else {
        return Ok(None);
    };
    let Some(copy) = &rule.downsell else {
        return Ok(None);
    };
    Ok(
        make_offer(state, purchase, rule, copy, KIND_DOWNSELL, declined.step)
            .await?
            .ok(),
    )
}

pub fn rule<'a>(state: &'a AppState, rule_id: &str) -> Option<&'a UpsellRule> {
    state.merchant.upsell.rules.iter().find(|r| r.id == rule_id)
}

/// The copy an offer shows: its rule's offer or downsell, or the cross-sell's related product.
pub fn copy_for<'a>(state: &'a AppState, offer: &Offer) -> Option<&'a OfferCopy> {
    if offer.kind == super::cross_sell::KIND_CROSS_SELL {
        return state
            .merchant
            .cross_sell
            .rules
            .iter()
            .find(|r| r.id == offer.rule_id)?
            .related
            .iter()
            .find(|r| r.product == offer.product_id);
    }
    let rule = rule(state, &offer.rule_id)?;
    if offer.kind == KIND_DOWNSELL {
        rule.downsell.as_ref()
    } else {
        Some(&rule.offer)
    }
}

/// The offer of `copy` after `purchase`, made now if it does not exist yet — or why the
/// customer cannot be offered its product.
async fn make_offer(
    state: &AppState,
    purchase: &Payment,
    rule: &UpsellRule,
    copy: &OfferCopy,
    kind: &str,
    step: i64,
) -> Result<Result<Offer, NotOffered>, OfferError> {
    if let Some(why) = why_not_offerable(state, purchase, &copy.product).await? {
        return Ok(Err(why));
    }
    let product = match state.dodo_reads.product(&copy.product).await {
        Ok(product) => product,
        Err(e) => {
            tracing::warn!(rule = %rule.id, product = %copy.product, error = %e, "offer product unavailable; skipped");
            return Ok(Err(NotOffered::ProductUnavailable));
        }
    };
    let Some((price_minor, currency)) = offer_price(&product) else {
        tracing::warn!(rule = %rule.id, product = %copy.product, "offer product has no fixed price; skipped");
        return Ok(Err(NotOffered::ProductUnavailable));
    };
    let offer = state
        .store
        .create_or_get_offer(&NewOffer {
            kind: kind.to_string(),
            customer_id: purchase.customer_id.clone(),
            product_id: copy.product.clone(),
            price_minor,
            currency,
            source_payment_id: Some(purchase.id.clone()),
            rule_id: rule.id.clone(),
            step,
            expires_at: window_end(state, purchase),
        })
        .await?;
    Ok(Ok(offer))
}

/// Why `product_id` may not be offered to the buyer of `purchase`, if it may not: one of the
/// products just bought, or the customer may not be offered it.
async fn why_not_offerable(
    state: &AppState,
    purchase: &Payment,
    product_id: &str,
) -> Result<Option<NotOffered>, OfferError> {
    if purchase.product_ids.iter().any(|p| p == product_id) {
        return Ok(Some(NotOffered::AlreadyBought));
    }
    Ok(why_not_offered(state, &purchase.customer_id, product_id).await?)
}
