//! The one page shown instead of a page that cannot be shown, and the one place a page sets
//! its HTTP status from an error. It names no customer, subscription or internal reason beyond
//! one plain sentence (a link error must not tell someone probing links what was wrong).

use crate::context::current_locale;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
        // Error pages are about one request; nothing should keep them.
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    let locale = current_locale();
    view! {
        <section data-testid="error-page" data-error=error.kind() class="rounded-xl border border-slate-200 bg-white p-6">
            <h1 class="text-xl font-bold">{error.title(locale)}</h1>
            <p class="mt-2 text-slate-700">{error.message(locale)}</p>
        </section>
    }
}
