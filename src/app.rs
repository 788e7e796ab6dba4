//! The HTML shell and the route table. Pages render on the server; only islands hydrate.

use crate::components::embed_frame::EmbedFrame;
use crate::i18n::{Locale, Text, t};
use crate::pages::offer::{
    page::OfferPage,
    unavailable::{OfferUnavailablePage, ThanksPage},
};
use crate::pages::plan_change::{DemoLinksPage, PlanChangePage, ReviewPage, StatusPage};
use crate::pages::{cross_sell::CrossSellPage, home::HomePage, not_found::NotFound};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The whole document. Runs on the server for every page request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = current_locale();
    #[cfg(feature = "ssr")]
    crate::server::security_headers::set_document_headers();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// The language of this response: `?lang=`, then the `lang` cookie, then `Accept-Language`.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::server::locale::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        use_context::<Locale>().unwrap_or_default()
    }
}

/// Whether this page is shown inside a merchant's iframe (`?embed=1`, added by `embed.js`).
pub fn is_embedded() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .uri
                    .query()
                    .map(|q| q.split('&').any(|p| p == "embed=1"))
            })
            .unwrap_or(false)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = current_locale();
    provide_context(locale);
    if is_embedded() {
        return view! {
            <Stylesheet id="leptos" href="/pkg/dodo_upsell.css"/>
            <Title text=t(locale, Text::AppName)/>
            <Router>
                <main id="main" class="px-3 py-4">
                    <Routes fallback=NotFound>
                        <Route path=path!("/offer/:id") view=OfferPage ssr=SsrMode::Async/>
                        <Route path=path!("/cross-sell") view=CrossSellPage ssr=SsrMode::Async/>
                        <Route path=path!("/offer/unavailable") view=OfferUnavailablePage/>
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
                </div>
            </header>
            <main id="main" class="mx-auto max-w-3xl px-4 py-8">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/offer/unavailable") view=OfferUnavailablePage/>
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
