//! Which saved card a one-click charge would use, and whether the customer may be offered a
//! product at all. Checked on the server every time the page renders and again on accept.

use super::super::state::AppState;
use super::super::store::{Decision, StoreError, Suppression, now_millis};
use crate::types::offer::{CardView, FallbackReason};
use dodo_client::{PaymentMethod, SavedPaymentMethod, Unusable, one_click_usability};
use time::OffsetDateTime;

/// Why a product is not offered to a customer (the landing records it for the merchant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotOffered {
    /// The customer asked to see no offers at all.
    AskedForNoOffers,
    /// The customer asked not to be shown this product again.
    DontShowThisAgain,
    /// They own it already (and the merchant did not mark it repeatable), or just bought it.
    AlreadyBought,
    /// They said "No thanks" to it within the cool-off.
    DeclinedRecently,
    /// Dodo does not have the product, or it has no fixed price we can offer.
    ProductUnavailable,
}

impl NotOffered {
    pub fn code(self) -> &'static str {
        match self {
            NotOffered::AskedForNoOffers => "asked_for_no_offers",
            NotOffered::DontShowThisAgain => "dont_show_this_again",
            NotOffered::AlreadyBought => "already_bought",
            NotOffered::DeclinedRecently => "declined_recently",
            NotOffered::ProductUnavailable => "offer_product_unavailable",
        }
    }
}

/// Whether `product_id` may be offered to `customer_id` at all: they have not asked to see no
/// offers, do not own it (through any offer, cross-sell, checkout or a purchase Dodo reported —
/// unless the merchant marked it repeatable), and did not decline it within the cool-off.
pub async fn may_offer(
    state: &AppState,
    customer_id: &str,
    product_id: &str,
) -> Result<bool, StoreError> {
    Ok(why_not_offered(state, customer_id, product_id)
        .await?
        .is_none())
}

/// [`may_offer`], saying why not.
pub async fn why_not_offered(
    state: &AppState,
    customer_id: &str,
    product_id: &str,
) -> Result<Option<NotOffered>, StoreError> {
    let store = &state.store;
    match store.suppression(customer_id, product_id).await? {
        Some(Suppression::AllOffers) => return Ok(Some(NotOffered::AskedForNoOffers)),
        Some(Suppression::ThisProduct) => return Ok(Some(NotOffered::DontShowThisAgain)),
        None => {}
    }
    if !state.merchant.is_repeatable(product_id)
        && store
            .product_claim(customer_id, product_id)
            .await?
            .is_some()
    {
        return Ok(Some(NotOffered::AlreadyBought));
    }
    let declined_recently = matches!(
        store.latest_decision_for_product(customer_id, product_id).await?,
        Some((Decision::Declined, at))
            if within_cooloff(at, state.merchant.upsell.cooloff_days, now_millis())
    );
    Ok(declined_recently.then_some(NotOffered::DeclinedRecently))
}

/// The card to charge, or why there is none.
pub fn choose_card(
    methods: &[PaymentMethod],
    preferred: Option<&str>,
    offer_currency: &str,
    purchase_currency: &str,
    now: OffsetDateTime,
) -> Result<PaymentMethod, FallbackReason> {
    // The card just used is known to work in the purchase's currency; an offer in another
    // currency goes through a normal checkout rather than risk a refused one-click charge.
    if !offer_currency.eq_ignore_ascii_case(purchase_currency) {
        return Err(FallbackReason::CurrencyMismatch);
    }
    let mut ordered: Vec<&PaymentMethod> = methods.iter().collect();
    ordered.sort_by_key(|pm| preferred != Some(pm.id.as_str()));
    let mut first_problem = None;
    for pm in ordered {
        match one_click_usability(pm, offer_currency, now) {
            Ok(()) => return Ok(pm.clone()),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    Err(match first_problem {
        None => FallbackReason::NoSavedCard,
        Some(Unusable::Expired) => FallbackReason::CardExpired,
        Some(Unusable::NotACard) => FallbackReason::NotACard,
        Some(Unusable::RecurringDisabled) => FallbackReason::RecurringDisabled,
        Some(Unusable::BadCurrency) => FallbackReason::CurrencyMismatch,
    })
}

/// How the page names a saved method: a card by network, last four and expiry; anything else
/// by what people call it ("PayPal", "UPI").
pub fn card_view(saved: &SavedPaymentMethod) -> CardView {
    let pm = &saved.method;
    if !pm.kind.eq_ignore_ascii_case("card") {
        return CardView {
            id: pm.id.clone(),
            network: String::new(),
            last4: String::new(),
            expiry: String::new(),
            method: Some(saved.display_name()),
        };
    }
    let card = pm.card.as_ref();
    let network = card
        .and_then(|c| c.network.clone())
        .map(|n| title_case(&n))
        .unwrap_or_else(|| "Card".to_string());
    let last4 = card.and_then(|c| c.last4.clone()).unwrap_or_default();
    let expiry = match card.and_then(|c| c.expiry_month.zip(c.expiry_year)) {
        Some((m, y)) => format!("{m:02}/{:02}", y % 100),
        None => String::new(),
    };
    CardView {
        id: pm.id.clone(),
        network,
        last4,
        expiry,
        method: None,
    }
}

fn title_case(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Whether a decline of this product is still within its cool-off (millis).
pub fn within_cooloff(declined_at: i64, cooloff_days: u32, now: i64) -> bool {
    now - declined_at < i64::from(cooloff_days) * 86_400_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use dodo_client::CardSummary;
    use time::macros::datetime;

    fn card(id: &str, month: u8, year: u16) -> PaymentMethod {
        PaymentMethod {
            id: id.into(),
            kind: "card".into(),
            card: Some(CardSummary {
                network: Some("VISA".into()),
                last4: Some("4242".into()),
                expiry_month: Some(month),
                expiry_year: Some(year),
            }),
            recurring_enabled: Some(true),
            last_used_at: None,
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-21 12:00 UTC);

    #[test]
    fn prefers_the_card_just_used_when_it_is_usable() {
        let methods = [card("pm_a", 1, 2030), card("pm_b", 2, 2031)];
        assert_eq!(
            choose_card(&methods, Some("pm_b"), "USD", "USD", NOW)
                .unwrap()
                .id,
            "pm_b"
        );
        assert_eq!(
            choose_card(&methods, None, "USD", "USD", NOW).unwrap().id,
            "pm_a"
        );
    }

    #[test]
    fn says_why_one_click_is_not_possible() {
        assert_eq!(
            choose_card(&[], None, "USD", "USD", NOW),
            Err(FallbackReason::NoSavedCard)
        );
        assert_eq!(
            choose_card(&[card("pm_old", 1, 2024)], None, "USD", "USD", NOW),
            Err(FallbackReason::CardExpired)
        );
        assert_eq!(
            choose_card(&[card("pm_a", 1, 2030)], None, "EUR", "USD", NOW),
            Err(FallbackReason::CurrencyMismatch)
        );
        let mut wallet = card("pm_w", 1, 2030);
        wallet.kind = "wallet".into();
        wallet.recurring_enabled = None;
        assert_eq!(
            choose_card(&[wallet.clone()], None, "USD", "USD", NOW),
            Err(FallbackReason::NotACard)
        );
        // A wallet Dodo marks chargeable without the customer is one-click.
        wallet.recurring_enabled = Some(true);
        assert_eq!(
            choose_card(&[wallet], None, "USD", "USD", NOW).unwrap().id,
            "pm_w"
        );
        // An expired card does not hide a good one.
        assert_eq!(
            choose_card(
                &[card("pm_old", 1, 2024), card("pm_ok", 1, 2030)],
                None,
                "USD",
                "USD",
                NOW
            )
            .unwrap()
            .id,
            "pm_ok"
        );
    }

    #[test]
    fn names_the_card() {
        let saved = |method| SavedPaymentMethod {
            method,
            payment_method_type: Some("credit".into()),
        };
        let view = card_view(&saved(card("pm", 8, 2027)));
        assert_eq!(
            (
                view.network.as_str(),
                view.last4.as_str(),
                view.expiry.as_str()
            ),
            ("Visa", "4242", "08/27")
        );
        assert_eq!(view.method, None);
        let mut paypal = card("pm_pp", 1, 2030);
        paypal.kind = "wallet".into();
        paypal.card = None;
        let view = card_view(&SavedPaymentMethod {
            method: paypal,
            payment_method_type: Some("paypal".into()),
        });
        assert_eq!(view.method.as_deref(), Some("PayPal"));
    }

    #[test]
    fn cooloff_counts_days() {
        let day = 86_400_000;
        assert!(within_cooloff(0, 30, 29 * day));
        assert!(!within_cooloff(0, 30, 31 * day));
        assert!(!within_cooloff(0, 0, 1));
    }
}
