//! `/offer/unavailable?reason=…` and `/thanks`: what the customer sees when there is no offer.

use crate::context::current_locale;
use crate::i18n::offer::OfferText;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OfferUnavailablePage() -> impl IntoView {
    let locale = current_locale();
    let reason = use_query_map()
        .read_untracked()
        .get("reason")
        .unwrap_or_default();
    let body = match reason.as_str() {
        "missing" => OfferText::UnavailableMissing,
        "unknown" => OfferText::UnavailableUnknown,
        "not-paid" => OfferText::UnavailableNotPaid,
        "processing" => OfferText::UnavailableProcessing,
        "expired" => OfferText::UnavailableExpired,
        "other-browser" => OfferText::UnavailableOtherBrowser,
        _ => OfferText::UnavailableDown,
    };
    view! {
        <section data-testid="offer-unavailable" data-reason=reason class="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-6">
            <h1 class="text-xl font-bold">{t(locale, OfferText::UnavailableTitle)}</h1>
            <p class="mt-2 text-slate-700">{t(locale, body)}</p>
            <a href="/" class="mt-4 inline-block text-indigo-800 underline">{t(locale, OfferText::BackToShop)}</a>
        </section>
    }
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let locale = current_locale();
    view! {
        <section data-testid="thanks" class="mx-auto max-w-xl rounded-xl border border-emerald-200 bg-emerald-50 p-6">
            <h1 class="text-2xl font-bold text-emerald-900">{t(locale, OfferText::ThanksTitle)}</h1>
            <p class="mt-2 text-emerald-950">{t(locale, OfferText::ThanksBody)}</p>
            <a href="/" class="mt-4 inline-block text-indigo-800 underline">{t(locale, OfferText::BackToShop)}</a>
        </section>
    }
}
