//! The route table. Pages render on the server; only islands hydrate. (The HTML shell around
//! it is the server's: `server::http::shell`.)

use crate::components::embed_frame::EmbedFrame;
use crate::components::language_switcher::LanguageSwitcher;
use crate::context::{current_locale, is_embedded};
use crate::i18n::{Text, t};
use crate::pages::offer::{
    link::OfferLinkPage,
    page::OfferPage,
    unavailable::{OfferUnavailablePage, ThanksPage},
};
use crate::pages::plan_change::{DemoLinksPage, PlanChangePage, ReviewPage, StatusPage};
use crate::pages::{cross_sell::CrossSellPage, home::HomePage, not_found::NotFound};
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = current_locale();
    if is_embedded() {
        return view! {
            <Stylesheet id="leptos" href="/pkg/dodo_upsell.css"/>
            <Title text=t(locale, Text::AppName)/>
            <Router>
                <main id="main" class="px-3 py-4">
                    <LanguageSwitcher/>
                    <Routes fallback=NotFound>
                        <Route path=path!("/offer/:id") view=OfferPage ssr=SsrMode::Async/>
                        <Route path=path!("/cross-sell") view=CrossSellPage ssr=SsrMode::Async/>
                        <Route path=path!("/offer/unavailable") view=OfferUnavailablePage/>
                        <Route path=path!("/offer/link") view=OfferLinkPage ssr=SsrMode::Async/>
                        <Route path=path!("/plan-change") view=PlanChangePage ssr=SsrMode::Async/>
                        <Route path=path!("/plan-change/review") view=ReviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/plan-change/status") view=StatusPage ssr=SsrMode::Async/>
                        <Route path=path!("/thanks") view=ThanksPage/>
                    </Routes>
                    <EmbedFrame/>
                </main>
            </Router>
        }
        .into_any();
    }
    view! {
        <Stylesheet id="leptos" href="/pkg/dodo_upsell.css"/>
        <Title text=t(locale, Text::AppName)/>
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
            {t(locale, Text::SkipToContent)}
        </a>
        <Router>
            <header class="border-b border-slate-200 bg-white">
                <div class="mx-auto flex max-w-3xl items-center justify-between px-4 py-3">
                    <a href="/" class="font-semibold text-slate-900">{t(locale, Text::AppName)}</a>
                    <LanguageSwitcher/>
                </div>
            </header>
            <main id="main" class="mx-auto max-w-3xl px-4 py-4 sm:py-8">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/offer/unavailable") view=OfferUnavailablePage/>
                    <Route path=path!("/offer/link") view=OfferLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/offer/:id") view=OfferPage ssr=SsrMode::Async/>
                    <Route path=path!("/thanks") view=ThanksPage/>
                    <Route path=path!("/cross-sell") view=CrossSellPage ssr=SsrMode::Async/>
                    <Route path=path!("/plan-change") view=PlanChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/plan-change/review") view=ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/plan-change/status") view=StatusPage ssr=SsrMode::Async/>
                    <Route path=path!("/demo/plan-change") view=DemoLinksPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="mx-auto max-w-3xl px-4 pb-8 text-sm text-slate-600">
                {t(locale, Text::FooterSecure)}
            </footer>
        </Router>
    }
    .into_any()
}
