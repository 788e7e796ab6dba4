//! The landing's trace: what each return from Dodo's checkout led to, recorded in the store for
//! the merchant dashboard ("why didn't my customer see the offer?"). Recording never changes
//! what the customer gets: a store failure is logged and the landing goes on.

use super::eligibility::{NotOffered, choose_card};
use super::selection::Choice;
use crate::server::dodo_reads::CustomerFacts;
use crate::server::state::AppState;
use crate::server::store::{LandingOutcome, NewLanding, Offer};
use crate::types::offer::FallbackReason;
use dodo_client::{Payment, PaymentMethod};
use time::OffsetDateTime;

/// Records a landing that ended before an offer could be chosen.
pub async fn record(state: &AppState, outcome: LandingOutcome, landing: NewLanding) {
    if let Err(e) = state.store.record_landing(outcome, &landing).await {
        tracing::warn!(error = %e, payment = %landing.payment_id, "landing: trace not recorded");
    }
}

/// The trace of a landing that got as far as choosing: the offer (and whether one click can
/// buy it), or why every triggered rule was skipped.
pub fn of_choice(
    purchase: &Payment,
    choice: &Choice,
    customer: Option<&CustomerFacts>,
    embedded: bool,
) -> (LandingOutcome, NewLanding) {
    let landing = NewLanding {
        payment_id: purchase.id.clone(),
        customer_id: Some(purchase.customer_id.clone()),
        rule_id: choice.offer.as_ref().map(|o| o.rule_id.clone()),
        offer_id: choice.offer.as_ref().map(|o| o.id.clone()),
        one_click_blocked: choice
            .offer
            .as_ref()
            .zip(customer)
            .and_then(|(offer, facts)| one_click_blocked(purchase, offer, facts))
            .map(|reason| fallback_code(reason).to_string()),
        owes_money: customer.map(|c| c.owed.is_some()),
        embedded,
        skipped: choice
            .skipped
            .iter()
            .map(|(rule, why)| format!("{rule}: {}", why.code()))
            .collect(),
    };
    (outcome_of(choice), landing)
}

/// The one outcome a merchant reads first: the offer, else the reason of the first rule the
/// purchase triggered (the one the merchant meant to show), else that no rule matched.
fn outcome_of(choice: &Choice) -> LandingOutcome {
    if choice.offer.is_some() {
        return LandingOutcome::Offered;
    }
    match choice.skipped.first().map(|(_, why)| *why) {
        Some(NotOffered::AskedForNoOffers) => LandingOutcome::AskedForNoOffers,
        Some(NotOffered::DontShowThisAgain) => LandingOutcome::DontShowThisAgain,
        Some(NotOffered::AlreadyBought) => LandingOutcome::AlreadyBought,
        Some(NotOffered::DeclinedRecently) => LandingOutcome::DeclinedRecently,
        Some(NotOffered::ProductUnavailable) => LandingOutcome::OfferProductUnavailable,
        // Nothing triggered (a rule whose offer was made already is no longer a candidate).
        None => LandingOutcome::NoRuleMatched,
    }
}

/// Why the offer page will offer a normal checkout instead of one click, judged the way the
/// page judges it (`view::chargeable`): the card just used first, in the purchase's currency.
fn one_click_blocked(
    purchase: &Payment,
    offer: &Offer,
    facts: &CustomerFacts,
) -> Option<FallbackReason> {
    let methods: Vec<PaymentMethod> = facts.methods.iter().map(|s| s.method.clone()).collect();
    choose_card(
        &methods,
        purchase.payment_method_id.as_deref(),
        &offer.currency,
        &purchase.currency,
        OffsetDateTime::now_utc(),
    )
    .err()
}

/// The stored code of a fallback reason (the dashboard words it).
pub fn fallback_code(reason: FallbackReason) -> &'static str {
    match reason {
        FallbackReason::NoSavedCard => "no_saved_card",
        FallbackReason::CardExpired => "card_expired",
        FallbackReason::NotACard => "not_a_card",
        FallbackReason::RecurringDisabled => "recurring_disabled",
        FallbackReason::CurrencyMismatch => "currency_mismatch",
        FallbackReason::CardNotAccepted => "card_not_accepted",
    }
}

/// The trace of a landing that stopped before choosing (the purchase is known or not).
pub fn before_choice(payment_id: &str, purchase: Option<&Payment>, embedded: bool) -> NewLanding {
    NewLanding {
        payment_id: payment_id.to_string(),
        customer_id: purchase.map(|p| p.customer_id.clone()),
        embedded,
        ..NewLanding::default()
    }
}
