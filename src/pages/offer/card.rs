//! The offer itself: what it is, what it costs, which card pays, how long it is open.

use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::money::Money;
use crate::types::offer::{CardView, OfferState, OfferView, RecurringTerms};
use leptos::prelude::*;

fn recurring_text(price: &Money, terms: &RecurringTerms, locale: Locale) -> String {
    let amount = price.format(locale);
    // One key per interval and count, so the interval word is the customer's language too
    // (the server sends Dodo's `Day`/`Week`/`Month`/`Year`).
    let key = match (terms.interval.as_str(), terms.count) {
        ("Day", 1) => OfferText::ThenEveryDay,
        ("Week", 1) => OfferText::ThenEveryWeek,
        ("Year", 1) => OfferText::ThenEveryYear,
        ("Day", _) => OfferText::ThenEveryNDays,
        ("Week", _) => OfferText::ThenEveryNWeeks,
        ("Year", _) => OfferText::ThenEveryNYears,
        (_, 1) => OfferText::ThenEveryMonth,
        _ => OfferText::ThenEveryNMonths,
    };
    tf(
        locale,
        key,
        &[("amount", &amount), ("count", &terms.count.to_string())],
    )
}

#[component]
pub fn OfferCard(view: OfferView, locale: Locale) -> impl IntoView {
    // A cross-sell is a recommendation to an existing customer, not a one-time offer after a
    // purchase.
    let label = if view.is_cross_sell {
        t(locale, crate::i18n::cross_sell::CrossSellText::Title)
    } else {
        t(locale, OfferText::SpecialOffer)
    };
    let price = view.price.format(locale);
    let compare = view.compare_at.as_ref().map(|c: &Money| c.format(locale));
    let tax = match view.tax_inclusive {
        Some(true) => t(locale, OfferText::TaxIncluded),
        _ => t(locale, OfferText::TaxExtra),
    };
    let recurring = view
        .recurring
        .as_ref()
        .map(|terms| recurring_text(&view.price, terms, locale));
    let open = matches!(view.state, OfferState::Open | OfferState::CheckoutOnly(_));
    let price_changed = view.price_was.as_ref().filter(|_| open).map(|was| {
        tf(
            locale,
            OfferText::PriceChanged,
            &[("was", &was.format(locale)), ("now", &price)],
        )
    });
    let expiry = (open).then(|| {
        if view.minutes_left >= 1 {
            tf(
                locale,
                OfferText::ExpiresIn,
                &[("minutes", &view.minutes_left.to_string())],
            )
        } else {
            t(locale, OfferText::ExpiresSoon).to_string()
        }
    });
    let expires_iso = view.expires_at_iso.clone();
    view! {
        <article class="overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm" aria-labelledby="offer-headline">
            {view.image.clone().map(|src| view! { <img src=src alt="" class="h-48 w-full object-cover"/> })}
            <div class="p-4 sm:p-6">
                <p class="text-sm font-medium uppercase tracking-wide text-indigo-800" data-testid="offer-label">{label}</p>
                {view.badge.clone().map(|b| view! {
                    <p data-testid="badge" class="mt-2 inline-block rounded-full bg-amber-100 px-3 py-1 text-sm font-semibold text-amber-900">{b}</p>
                })}
                <h1 id="offer-headline" class="mt-2 text-xl font-bold leading-tight sm:text-3xl">{view.headline.clone()}</h1>
                <p class="mt-1 text-slate-800 sm:text-lg" data-testid="product-name">{view.product_name.clone()}</p>
                {view.description.clone().map(|d| view! { <p class="mt-1 text-sm text-slate-700 sm:mt-2 sm:text-base">{d}</p> })}
                {(!view.value_points.is_empty()).then(|| view! {
                    <h2 class="sr-only">{t(locale, OfferText::ValuePointsHeading)}</h2>
                    <ul class="mt-3 space-y-1 sm:mt-4 sm:space-y-2">
                        {view.value_points.iter().map(|p| view! {
                            <li class="flex gap-2"><span aria-hidden="true" class="text-emerald-700">"✓"</span><span>{p.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                })}
                <p class="mt-3 flex items-baseline gap-3 sm:mt-5" data-testid="price">
                    {compare.map(|c| view! {
                        <span class="text-lg text-slate-600 line-through">
                            <span class="sr-only">{t(locale, OfferText::OriginalPrice)} " "</span>{c}
                        </span>
                    })}
                    <span class="text-3xl font-bold">
                        <span class="sr-only">{t(locale, OfferText::OfferPrice)} " "</span>{price}
                    </span>
                </p>
                {price_changed.map(|line| view! {
                    <p data-testid="price-changed" role="status" class="mt-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950">{line}</p>
                })}
                {recurring.map(|r| view! { <p class="mt-1 text-slate-700" data-testid="recurring-terms">{r}</p> })}
                <p class="mt-1 text-sm text-slate-600">{tax}</p>
                {view.card.clone().map(|card| {
                    let line = card_line(locale, &card);
                    view! { <p id="card-line" data-testid="card-line" class="mt-3 rounded-lg bg-slate-100 px-3 py-2 text-slate-800 sm:mt-4">{line}</p> }
                })}
                {expiry.map(|e| view! {
                    <p data-testid="expiry" class="mt-2 text-sm text-slate-700 sm:mt-3"><time datetime=expires_iso>{e}</time></p>
                })}
            </div>
        </article>
    }
}

/// "We'll charge your saved Visa •••• 4242, expires 08/27." (or "… your saved PayPal.").
pub fn card_line(locale: Locale, card: &CardView) -> String {
    if let Some(method) = &card.method {
        tf(locale, OfferText::CardLineMethod, &[("method", method)])
    } else if card.expiry.is_empty() {
        tf(
            locale,
            OfferText::CardLineNoExpiry,
            &[("network", &card.network), ("last4", &card.last4)],
        )
    } else {
        tf(
            locale,
            OfferText::CardLine,
            &[
                ("network", &card.network),
                ("last4", &card.last4),
                ("expiry", &card.expiry),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(interval: &str, count: i64, locale: Locale) -> String {
        let terms = RecurringTerms {
            interval: interval.into(),
            count,
        };
        recurring_text(&Money::new(9000, "USD"), &terms, locale)
    }

    #[test]
    fn the_interval_is_in_the_customers_language() {
        assert_eq!(
            every("Month", 3, Locale::En),
            "$90.00 every 3 months, until you cancel."
        );
        assert_eq!(
            every("Month", 3, Locale::Id),
            "US$90,00 setiap 3 bulan, sampai Anda berhenti berlangganan."
        );
        assert_eq!(
            every("Year", 2, Locale::Hi),
            "हर 2 साल में $90.00, जब तक आप रद्द न करें।"
        );
        assert_eq!(
            every("Week", 1, Locale::Id),
            "US$90,00 per minggu, ditagih setiap minggu sampai Anda berhenti berlangganan."
        );
        assert!(every("Day", 2, Locale::Hi).starts_with("हर 2 दिन में"));
    }
}
