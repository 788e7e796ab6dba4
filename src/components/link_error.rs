use crate::context::current_locale;
use crate::i18n::{Text, t};
use crate::types::link::LinkProblem;
use leptos::prelude::*;

/// The page shown instead of a customer page whose link is missing, expired or not valid.
/// It names no customer, subscription or reason beyond one plain sentence, and answers with
/// 401 (missing) or 403 (expired, invalid) so nothing caches it as a real page.
#[component]
pub fn LinkErrorPage(problem: LinkProblem) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match problem {
            LinkProblem::Missing => axum::http::StatusCode::UNAUTHORIZED,
            _ => axum::http::StatusCode::FORBIDDEN,
        });
    }
    let locale = current_locale();
    let (title, body) = match problem {
        LinkProblem::Missing => (Text::LinkMissingTitle, Text::LinkMissingBody),
        LinkProblem::Expired => (Text::LinkExpiredTitle, Text::LinkExpiredBody),
        LinkProblem::Invalid => (Text::LinkInvalidTitle, Text::LinkInvalidBody),
    };
    view! {
        <section data-testid="link-error" class="rounded-xl border border-slate-200 bg-white p-6">
            <h1 class="text-xl font-bold">{t(locale, title)}</h1>
            <p class="mt-2 text-slate-700">{t(locale, body)}</p>
        </section>
    }
}
