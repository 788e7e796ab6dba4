//! The HTML shell and the route table. Pages render on the server; only islands hydrate.

use crate::i18n::{Locale, Text, t};
use crate::pages::plan_change::{DemoLinksPage, PlanChangePage, ReviewPage, StatusPage};
use crate::pages::{home::HomePage, not_found::NotFound};
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = current_locale();
    provide_context(locale);
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
                    <Route path=path!("/") view=HomePage/>
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
}
