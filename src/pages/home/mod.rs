//! The start page. In sandbox mode it is a guided tour of the three customer flows — buy on
//! the demo store and meet the post-purchase offer, change a demo subscriber's plan, open a
//! demo customer's cross-sell link — and of the merchant dashboard (with the demo login), each
//! with one sentence on what it shows. Against real
//! Dodo (test or live mode) it says what the server is and nothing more: no demo, no
//! developer widgets.

pub mod api;
mod demo_store;

use crate::components::buttons::PRIMARY_INLINE;
use crate::context::{DodoMode, current_locale, request_context};
use crate::i18n::{Locale, Text, t};
use demo_store::DemoStore;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = current_locale();
    let sandbox = request_context().dodo == DodoMode::Sandbox;
    view! {
        <h1 class="text-2xl font-bold sm:text-3xl">{t(locale, Text::HomeTitle)}</h1>
        <p class="mt-2 text-slate-700">{t(locale, Text::HomeIntro)}</p>
        {sandbox.then(|| view! { <Tour locale/> }.into_any())}
    }
}

/// The sandbox's card that always succeeds (crates/dodo-sandbox, "Test cards").
const TEST_CARD: &str = "4242 4242 4242 4242";

/// The sandbox tour: one step per customer flow, each reachable from here.
#[component]
fn Tour(locale: Locale) -> impl IntoView {
    let cross_sell = cross_sell_url();
    let merchant = demo_merchant_login();
    view! {
        <p data-testid="dodo-mode" class="mt-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
            {t(locale, Text::HomeModeSandbox)}
        </p>
        <section class="mt-8" aria-labelledby="tour-title" data-testid="tour">
            <h2 id="tour-title" class="text-xl font-bold">{t(locale, Text::TourTitle)}</h2>
            <ol class="mt-4 space-y-6">
                <TourStep id="tour-upsell" number=1 title=t(locale, Text::TourBuyTitle)>
                    <p class="mt-1 text-slate-700">
                        {t(locale, Text::TourBuyBody)} " "
                        <strong class="whitespace-nowrap font-mono text-slate-900" data-testid="test-card">{TEST_CARD}</strong>
                        " " {t(locale, Text::TourBuyCardHint)}
                    </p>
                    {view! { <DemoStore/> }.into_any()}
                </TourStep>
                <TourStep id="tour-plan-change" number=2 title=t(locale, Text::TourPlanTitle)>
                    <p class="mt-1 text-slate-700">{t(locale, Text::TourPlanBody)}</p>
                    <a href="/demo/plan-change" data-testid="tour-plan-change-link" class=format!("mt-3 {PRIMARY_INLINE}")>
                        {t(locale, Text::TourPlanLink)}
                    </a>
                </TourStep>
                {cross_sell.map(|url| view! {
                    <TourStep id="tour-cross-sell" number=3 title=t(locale, Text::TourCrossTitle)>
                        <p class="mt-1 text-slate-700">{t(locale, Text::TourCrossBody)}</p>
                        <a href=url data-testid="tour-cross-sell-link" class=format!("mt-3 {PRIMARY_INLINE}")>
                            {t(locale, Text::TourCrossLink)}
                        </a>
                    </TourStep>
                }.into_any())}
                <TourStep id="tour-merchant" number=4 title=t(locale, Text::TourMerchantTitle)>
                    <p class="mt-1 text-slate-700">
                        {t(locale, Text::TourMerchantBody)} " "
                        <strong class="font-mono text-slate-900" data-testid="demo-merchant-email">{merchant.0}</strong>
                        " " {t(locale, Text::TourMerchantPassword)} " "
                        <strong class="font-mono text-slate-900" data-testid="demo-merchant-password">{merchant.1}</strong>
                    </p>
                    <a href="/merchant/login" data-testid="tour-merchant-link" class=format!("mt-3 {PRIMARY_INLINE}")>
                        {t(locale, Text::TourMerchantLink)}
                    </a>
                </TourStep>
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn TourStep(
    id: &'static str,
    number: u8,
    title: &'static str,
    children: Children,
) -> impl IntoView {
    let heading = format!("{id}-title");
    view! {
        <li class="rounded-2xl border border-slate-200 bg-white p-5" data-testid=id>
            <h3 id=heading class="text-lg font-semibold">
                <span class="mr-2 inline-flex h-7 w-7 items-center justify-center rounded-full bg-indigo-100 text-sm font-bold text-indigo-900" aria-hidden="true">{number}</span>
                {title}
            </h3>
            {children()}
        </li>
    }
}

/// A signed cross-sell link for a demo customer who already owns a product of the merchant's
/// cross-sell rules, minted now (the same way `/demo/plan-change` mints its links).
#[cfg(feature = "ssr")]
fn cross_sell_url() -> Option<String> {
    let state = crate::server::state::AppState::from_context().ok()?;
    crate::server::demo_links::cross_sell_link(&state).map(|l| l.url)
}

/// The browser never renders the start page (islands mode).
#[cfg(not(feature = "ssr"))]
fn cross_sell_url() -> Option<String> {
    None
}

/// The sandbox's demo merchant account, made at startup (`server::merchant_auth::demo`): its
/// email and the password it was given. A local sandbox's demo, not a secret.
#[cfg(feature = "ssr")]
fn demo_merchant_login() -> (&'static str, String) {
    use crate::server::merchant_auth::demo;
    (demo::DEMO_EMAIL, demo::password_from_env())
}

#[cfg(not(feature = "ssr"))]
fn demo_merchant_login() -> (&'static str, String) {
    ("", String::new())
}
