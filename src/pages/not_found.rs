use crate::context::current_locale;
use crate::i18n::{Text, t};
use leptos::prelude::*;

/// Shown for any path no route matches, with a real 404 status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let locale = current_locale();
    view! {
        <h1 class="text-2xl font-bold">{t(locale, Text::NotFoundTitle)}</h1>
        <p class="mt-2 text-slate-700">{t(locale, Text::NotFoundBody)}</p>
        <p class="mt-4">
            <a href="/" class="text-indigo-700 underline">{t(locale, Text::BackHome)}</a>
        </p>
    }
}
