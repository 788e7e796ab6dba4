//! Cross-sells: a signed link (audience `cross-sell`) shows a customer the products related to
//! what they own, each bought with one click on the saved card (`POST /payments`), or through
//! a normal checkout when no saved card is usable.
//!
//! Each related product becomes an offer whose source is the link (`link:{jti}`), so a reload
//! of the same link shows the same offers — and the same charges — instead of new ones.

use super::super::links::{Audience, LinkClaims};
use super::super::state::AppState;
use super::super::store::{NewOffer, Offer};
use super::eligibility::may_offer;
use super::error::OfferError;
use super::selection::offer_price;
use dodo_client::Payment;

pub const KIND_CROSS_SELL: &str = "cross_sell";

pub fn source_for_link(jti: &str) -> String {
    format!("link:{jti}")
}

/// What the customer owns (products of their recent successful payments) and their latest
/// successful payment in full (its billing address and currency are reused for one-click).
/// Read through the shared cache; a fresh read also remembers each purchase as owned.
pub async fn purchases(
    state: &AppState,
    customer_id: &str,
) -> Result<(Vec<String>, Option<Payment>), OfferError> {
    let (found, fresh) = state.dodo_reads.purchases(customer_id).await?;
    if fresh {
        for (payment_id, products) in &found.paid {
            remember_products(state, customer_id, payment_id, products).await;
        }
    }
    Ok((found.owned.clone(), found.latest.clone()))
}

/// The cross-sell offers for the customer of `claims`, made now if this link has none yet.
pub async fn offers_for_link(
    state: &AppState,
    claims: &LinkClaims,
) -> Result<Vec<Offer>, OfferError> {
    let customer = &claims.sub;
    let source = source_for_link(&claims.jti);
    let made = state.store.offers_for_purchase(&source).await?;
    let (mut owned, _) = purchases(state, customer).await?;
    // What was bought through this very link stays on the page (as purchased).
    owned.retain(|p| !made.iter().any(|o| &o.product_id == p));
    let mut offers = Vec::new();
    for (rule, related) in state.merchant.cross_sell.related_for(&owned) {
        if let Some(existing) = made.iter().find(|o| o.product_id == related.product) {
            offers.push(existing.clone());
            continue;
        }
        if !may_offer(state, customer, &related.product).await? {
            continue;
        }
        let product = match state.dodo_reads.product(&related.product).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(product = %related.product, error = %e, "cross-sell product unavailable; skipped");
                continue;
            }
        };
        let Some((price_minor, currency)) = offer_price(&product) else {
            continue;
        };
        let offer = state
            .store
            .create_or_get_offer(&NewOffer {
                kind: KIND_CROSS_SELL.to_string(),
                customer_id: customer.clone(),
                product_id: related.product.clone(),
                price_minor,
                currency,
                source_payment_id: Some(source.clone()),
                rule_id: rule.id.clone(),
                step: stable_step(state, &rule.id, &related.product),
                expires_at: claims.exp * 1000,
            })
            .await?;
        offers.push(offer);
    }
    Ok(offers)
}

/// The cross-sell page of the link `offer` was made for — the same link (id, customer, expiry)
/// signed again, so it shows that link's offers: the one just bought as purchased, and the
/// remaining recommendations. `None` for an offer that follows a purchase, or once the link
/// has expired.
pub fn link_page(state: &AppState, offer: &Offer) -> Option<String> {
    let jti = offer.source_payment_id.as_deref()?.strip_prefix("link:")?;
    let now = super::now_secs();
    let exp = offer.expires_at / 1000;
    if exp <= now {
        return None;
    }
    let claims = LinkClaims {
        sub: offer.customer_id.clone(),
        aud: Audience::CrossSell.as_str().to_string(),
        exp,
        iat: now,
        jti: jti.to_string(),
        subscription_id: None,
        offer_id: None,
        payment_id: None,
        embed: false,
    };
    match state.links.sign(&claims) {
        Ok(token) => Some(crate::routes::cross_sell(&token)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot sign the way back to a cross-sell link");
            None
        }
    }
}

/// A product's place in the merchant's cross-sell rules: the same product always gets the same
/// step for a link, however many of the others are shown.
fn stable_step(state: &AppState, rule_id: &str, product: &str) -> i64 {
    let mut step = 0;
    for rule in &state.merchant.cross_sell.rules {
        for related in &rule.related {
            step += 1;
            if rule.id == rule_id && related.product == product {
                return step;
            }
        }
    }
    step + 1
}

/// Remembers the products of a succeeded purchase as owned, so no offer, link or checkout
/// sells them to the customer again (repeatable products aside). A store hiccup only costs
/// the reminder: the purchase is read again next time.
pub async fn remember_purchase(state: &AppState, payment: &Payment) {
    remember_products(
        state,
        &payment.customer_id,
        &payment.id,
        &payment.product_ids,
    )
    .await;
}

async fn remember_products(
    state: &AppState,
    customer_id: &str,
    payment_id: &str,
    products: &[String],
) {
    for product in products {
        if state.merchant.is_repeatable(product) {
            continue;
        }
        if let Err(e) = state
            .store
            .record_known_purchase(customer_id, product, payment_id)
            .await
        {
            tracing::warn!(payment = %payment_id, error = %e, "cannot remember a purchase");
        }
    }
}

/// What the cross-sell page of `claims`' link shows: its offers (made now if the link has none
/// yet), each as the offer page would show it, with an impression for each one on offer.
pub async fn page(
    state: &AppState,
    claims: &LinkClaims,
    embedded: bool,
) -> Result<Vec<crate::types::offer::OfferView>, OfferError> {
    use crate::types::offer::OfferState;
    let offers = offers_for_link(state, claims).await?;
    let session = super::session::issue(
        state,
        &claims.sub,
        &source_for_link(&claims.jti),
        claims.exp,
        embedded,
    )?;
    // While the customer owes money, one offer is enough to carry the notice (its page state
    // is `OwesMoney`); nothing is pitched.
    let owed = match offers.first() {
        Some(first) => state
            .dodo_reads
            .customer(&first.customer_id)
            .await?
            .owed
            .is_some(),
        None => false,
    };
    let shown = if owed { &offers[..1] } else { &offers[..] };
    let mut views = Vec::with_capacity(shown.len());
    for offer in shown {
        let view = super::view::build(state, offer, &session).await?;
        if matches!(view.state, OfferState::Open | OfferState::CheckoutOnly(_)) {
            state.store.record_impression(&offer.id, embedded);
        }
        views.push(view);
    }
    Ok(views)
}
