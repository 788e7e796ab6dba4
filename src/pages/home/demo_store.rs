//! The demo store on the start page (sandbox mode only): the demo products with "Buy" buttons
//! that open the sandbox's hosted checkout, returning to our offer landing page — so a newcomer
//! can click through the whole journey.

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
    view! {
        <section class="mt-8" aria-labelledby="demo-store">
            <h2 id="demo-store" class="text-xl font-bold">{t(locale, OfferText::DemoStoreTitle)}</h2>
            <p class="mt-1 text-slate-700">{t(locale, OfferText::DemoStoreIntro)}</p>
            <ul class="mt-4 grid gap-4 sm:grid-cols-2">
                {products.into_iter().map(|p| {
                    let buy = ServerAction::<DemoBuy>::new();
                    let label = tf(locale, OfferText::BuyFor, &[("amount", &p.price.format(locale))]);
                    let DemoProduct { id, name, description, .. } = p;
                    let field = id.clone();
                    view! {
                        <li class="rounded-xl border border-slate-200 bg-white p-4" data-testid="demo-product" data-product=id>
                            <h3 class="font-semibold">{name}</h3>
                            {description.map(|d| view! { <p class="mt-1 text-sm text-slate-700">{d}</p> })}
                            <ActionForm action=buy attr:class="mt-3">
                                <input type="hidden" name="product_id" value=field/>
                                <button type="submit" class="rounded-lg bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700">
                                    {label}
                                </button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
