//! `/cross-sell?token=…`: products related to what an existing customer owns, each bought with
//! one click on the saved card — or through a normal checkout, with the reason, when no saved
//! card is usable. Reached through a signed link (audience `cross-sell`) or embedded.

use super::api::cross_sell_page;
use crate::components::buttons::PRIMARY;
use crate::components::error_page::ErrorPage;
use crate::context::current_locale;
use crate::i18n::cross_sell::CrossSellText;
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::pages::offer::api::{AcceptOffer, FixPayment, OfferCheckout};
use crate::types::offer::{OfferState, OfferView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CrossSellPage() -> impl IntoView {
    let locale = current_locale();
    let query = use_query_map().read_untracked().clone();
    let token = query.get("token");
    let embed = crate::context::is_embedded();
    let data = Resource::new_blocking(|| (), move |_| cross_sell_page(token.clone(), embed));
    view! {
        <Suspense fallback=move || view! { <p>{t(locale, crate::i18n::Text::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(offers) => view! { <CrossSellList offers locale/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CrossSellList(offers: Vec<OfferView>, locale: Locale) -> impl IntoView {
    view! {
        <section data-testid="cross-sell" class="mx-auto max-w-2xl">
            <h1 class="text-2xl font-bold">{t(locale, CrossSellText::Title)}</h1>
            {if let Some(owing) = offers.iter().find(|o| matches!(o.state, OfferState::OwesMoney { .. })) {
                view! { <OwesMoneyNotice offer=owing.clone() locale/> }.into_any()
            } else if offers.is_empty() {
                view! { <p data-testid="no-recommendations" class="mt-2 text-slate-700">{t(locale, CrossSellText::Nothing)}</p> }.into_any()
            } else {
                view! {
                    <p class="mt-1 text-slate-700">{t(locale, CrossSellText::Intro)}</p>
                    <ul class="mt-5 grid gap-4 sm:grid-cols-2">
                        {offers.into_iter().map(|offer| view! { <CrossSellCard offer locale/> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// No pitch while a subscription payment is owed: the notice, and the way to fix it.
#[component]
fn OwesMoneyNotice(offer: OfferView, locale: Locale) -> impl IntoView {
    let OfferState::OwesMoney { plan } = offer.state.clone() else {
        return ().into_any();
    };
    let fix = ServerAction::<FixPayment>::new();
    view! {
        <div data-testid="owes-money" class="mt-4 space-y-3">
            <div role="alert" class="rounded-xl border border-amber-300 bg-amber-50 p-5">
                <h2 class="text-lg font-bold text-amber-950">{tf(locale, OfferText::OwesMoneyTitle, &[("plan", &plan)])}</h2>
                <p class="mt-1 text-amber-950">{t(locale, OfferText::OwesMoneyBody)}</p>
            </div>
            <ActionForm action=fix>
                <input type="hidden" name="offer_id" value=offer.offer_id.clone()/>
                <input type="hidden" name="access" value=offer.access.clone()/>
                <button type="submit" data-testid="fix-payment" class=PRIMARY>{t(locale, OfferText::UpdatePaymentMethod)}</button>
            </ActionForm>
        </div>
    }
    .into_any()
}

#[component]
fn CrossSellCard(offer: OfferView, locale: Locale) -> impl IntoView {
    let price = offer.price.format(locale);
    let card_line = offer
        .card
        .as_ref()
        .map(|card| crate::pages::offer::card::card_line(locale, card));
    let details = format!("/offer/{}?access={}", offer.offer_id, offer.access);
    let (offer_id, access) = (offer.offer_id.clone(), offer.access.clone());
    // What the button names, sent back as the consent check.
    let (amount, currency) = (offer.price.minor.to_string(), offer.price.currency.clone());
    let method_id = offer
        .card
        .as_ref()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let action = match offer.state.clone() {
        OfferState::Open => {
            let buy = ServerAction::<AcceptOffer>::new();
            let label = tf(locale, OfferText::PayNow, &[("amount", &price)]);
            view! {
                <ActionForm action=buy attr:class="mt-4">
                    <input type="hidden" name="offer_id" value=offer_id/>
                    <input type="hidden" name="access" value=access/>
                    <input type="hidden" name="agreed_amount" value=amount/>
                    <input type="hidden" name="agreed_currency" value=currency/>
                    <input type="hidden" name="agreed_method" value=method_id/>
                    <button type="submit" data-testid="buy" class=PRIMARY>{label}</button>
                </ActionForm>
            }
            .into_any()
        }
        OfferState::CheckoutOnly(reason) => {
            let checkout = ServerAction::<OfferCheckout>::new();
            view! {
                <p data-testid="fallback-reason" class="mt-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
                    {t(locale, crate::pages::offer::states::fallback_text(reason))}
                </p>
                <ActionForm action=checkout attr:class="mt-3">
                    <input type="hidden" name="offer_id" value=offer_id/>
                    <input type="hidden" name="access" value=access/>
                    <input type="hidden" name="agreed_amount" value=amount/>
                    <input type="hidden" name="agreed_currency" value=currency/>
                    <button type="submit" data-testid="checkout-fallback" class=PRIMARY>{t(locale, OfferText::CheckoutInstead)}</button>
                </ActionForm>
            }
            .into_any()
        }
        OfferState::Succeeded { .. } => view! {
            <p data-testid="purchased" class="mt-4 font-semibold text-emerald-800">"✓ " {t(locale, CrossSellText::Purchased)}</p>
        }
        .into_any(),
        _ => view! {
            <a href=details data-testid="details" class="mt-4 inline-block text-indigo-800 underline">{t(locale, CrossSellText::ViewDetails)}</a>
        }
        .into_any(),
    };
    view! {
        <li class="rounded-2xl border border-slate-200 bg-white p-5" data-testid="cross-sell-item" data-state=offer.state.name() data-product=offer.product_name.clone()>
            <h2 class="text-lg font-bold">{offer.headline.clone()}</h2>
            <p class="text-slate-700">{offer.product_name.clone()}</p>
            <ul class="mt-3 space-y-1 text-sm">
                {offer.value_points.iter().map(|p| view! { <li>"✓ " {p.clone()}</li> }).collect_view()}
            </ul>
            <p class="mt-3 text-2xl font-bold">{price}</p>
            {card_line.map(|line| view! { <p class="mt-2 text-sm text-slate-700" data-testid="card-line">{line}</p> })}
            {action}
        </li>
    }
}
