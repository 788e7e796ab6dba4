//! The demo store, the first step of the start page's tour (sandbox mode only): the demo
//! products with "Buy" buttons that open the sandbox's hosted checkout, returning to our offer
//! landing page — so a newcomer can click through the whole journey.

use super::api::{DemoBuy, demo_products};
use crate::context::current_locale;
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::types::status::DemoProduct;
use leptos::prelude::*;

#[component]
pub fn DemoStore() -> impl IntoView {
    let locale = current_locale();
    let products = Resource::new_blocking(|| (), |_| demo_products());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let products = products.await.unwrap_or_default();
                (!products.is_empty()).then(|| view! { <DemoList products locale/> })
            })}
        </Suspense>
    }
}

#[component]
fn DemoList(products: Vec<DemoProduct>, locale: Locale) -> impl IntoView {
    // What leads to an offer first; the other prices and currencies one click away, so the
    // tour's next steps stay in sight on a phone.
    let (mut first, mut more): (Vec<_>, Vec<_>) = products.into_iter().partition(|p| p.featured);
    if first.is_empty() {
        std::mem::swap(&mut first, &mut more);
    }
    view! {
        <div class="mt-4" data-testid="demo-store">
            <h4 class="sr-only">{t(locale, OfferText::DemoStoreTitle)}</h4>
            <ul class="grid gap-4 sm:grid-cols-2">
                {first.into_iter().map(|p| view! { <DemoItem p locale/> }).collect_view()}
            </ul>
            {(!more.is_empty()).then(|| view! {
                <details class="mt-4" data-testid="demo-more">
                    <summary class="cursor-pointer text-indigo-800 underline underline-offset-2">{t(locale, OfferText::DemoStoreMore)}</summary>
                    <ul class="mt-3 grid gap-4 sm:grid-cols-2">
                        {more.into_iter().map(|p| view! { <DemoItem p locale/> }).collect_view()}
                    </ul>
                </details>
            })}
        </div>
    }
}

#[component]
fn DemoItem(p: DemoProduct, locale: Locale) -> impl IntoView {
    let buy = ServerAction::<DemoBuy>::new();
    let label = tf(
        locale,
        OfferText::BuyFor,
        &[("amount", &p.price.format(locale))],
    );
    let DemoProduct {
        id,
        name,
        description,
        ..
    } = p;
    let field = id.clone();
    view! {
        <li class="rounded-xl border border-slate-200 bg-slate-50 p-4" data-testid="demo-product" data-product=id>
            <h5 class="font-semibold">{name}</h5>
            {description.map(|d| view! { <p class="mt-1 text-sm text-slate-700">{d}</p> })}
            <ActionForm action=buy attr:class="mt-3">
                <input type="hidden" name="product_id" value=field/>
                <button type="submit" class="rounded-lg bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700">
                    {label}
                </button>
            </ActionForm>
        </li>
    }
}
