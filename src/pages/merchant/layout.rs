//! The document around every merchant page, and the signed-in layout with its navigation.

use super::text;
use crate::components::buttons::SECONDARY_INLINE;
use crate::server::merchant_auth::csrf::{CsrfToken, hidden_field};
use leptos::prelude::*;

/// A whole HTML document with `body` inside: the app's stylesheet, no script.
pub fn document(title: &str, body: impl IntoView + 'static) -> String {
    let title = text::page_title(title);
    Owner::new().with(move || {
        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <meta name="robots" content="noindex, nofollow"/>
                    <title>{title}</title>
                    <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                    <link rel="stylesheet" href="/pkg/dodo_upsell.css"/>
                </head>
                <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                    <a
                        href="#main"
                        class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
                    >
                        {text::SKIP_TO_CONTENT}
                    </a>
                    {body}
                </body>
            </html>
        }
        .to_html()
    })
}

/// A signed-in page: the navigation (the pages, who is signed in, Sign out) above `children`.
#[component]
pub fn MerchantLayout(email: String, csrf: CsrfToken, children: Children) -> impl IntoView {
    view! {
        <header class="border-b border-slate-200 bg-white">
            <nav
                aria-label=text::NAV_LABEL
                class="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3"
            >
                <ul class="flex flex-wrap items-center gap-4">
                    <li><a href="/merchant" class="font-semibold text-slate-900">{text::NAV_DASHBOARD}</a></li>
                    <li><a href="/merchant/landings" class="text-indigo-800 underline">{text::NAV_LANDINGS}</a></li>
                    <li><a href="/merchant/config" class="text-indigo-800 underline">{text::NAV_CONFIG}</a></li>
                    <li><a href="/merchant/check" class="text-indigo-800 underline">{text::NAV_CHECK}</a></li>
                </ul>
                <div class="flex items-center gap-3 text-sm text-slate-700">
                    <span>
                        {format!("{} ", text::SIGNED_IN_AS)}
                        <strong data-testid="merchant-email" class="text-slate-900">{email}</strong>
                    </span>
                    <form method="post" action="/merchant/logout">
                        {hidden_field(&csrf)}
                        <button type="submit" class=SECONDARY_INLINE>{text::SIGN_OUT}</button>
                    </form>
                </div>
            </nav>
        </header>
        <main id="main" class="mx-auto max-w-5xl px-4 py-6 sm:py-8">{children()}</main>
    }
}

/// A page with one message and a way back (the CSRF refusal, an error).
#[component]
pub fn MessagePage(title: &'static str, body: &'static str) -> impl IntoView {
    view! {
        <main id="main" class="mx-auto max-w-md px-4 py-10">
            <section class="rounded-xl border border-slate-200 bg-white p-6">
                <h1 class="text-xl font-bold">{title}</h1>
                <p class="mt-2 text-slate-700">{body}</p>
                <a href="/merchant/login" class="mt-4 inline-block text-indigo-800 underline">
                    {text::BACK_TO_SIGN_IN}
                </a>
            </section>
        </main>
    }
}
