//! What the plan-change pages share: their button styles (from `components::buttons`), the query, the no-store header,
//! the one way a page loads, and the two forms several pages show (Undo, a new card).

use super::api::{UndoPlanChange, UpdatePaymentMethod};
use crate::components::error_page::ErrorPage;
use crate::error::AppError;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, Text, t};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use std::future::Future;

/// These pages' buttons sit in rows with others (the offer pages' are full width).
pub use crate::components::buttons::{
    PRIMARY_INLINE as PRIMARY, SECONDARY_INLINE as SECONDARY, TEXT_LINK as LINK,
};

pub fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

/// Pages carry signed tokens in their URL: never cache them anywhere.
pub fn no_store() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}

/// How every plan-change page loads: `load` runs on the server inside the page's `Suspense`
/// (the routes are `SsrMode::Async`, so the page — status code included — is complete before
/// its first byte); its value is shown with `show`, an error with the one error page.
pub fn loaded<T, V>(
    locale: Locale,
    load: impl Future<Output = Result<T, AppError>> + Send + 'static,
    show: impl FnOnce(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p>{t(locale, Text::Loading)}</p> }>
            {Suspend::new(async move {
                match load.await {
                    Ok(value) => show(value).into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Undo of the subscription's scheduled change (a plain form; the server function redirects).
#[component]
pub fn UndoForm(token: String, locale: Locale) -> impl IntoView {
    view! {
        <form method="post" action=UndoPlanChange::PATH>
            <input type="hidden" name="token" value=token/>
            <button type="submit" class=SECONDARY data-testid="undo">{t(locale, T::UndoButton)}</button>
        </form>
    }
}

/// To Dodo's page for a new card, which also pays the dues of a subscription on hold.
#[component]
pub fn UpdateCardForm(token: String, locale: Locale) -> impl IntoView {
    view! {
        <form method="post" action=UpdatePaymentMethod::PATH class="mt-3">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class=PRIMARY data-testid="update-card">{t(locale, T::UpdatePaymentMethod)}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::super::api::ConfirmPlanChange;
    use super::*;

    /// The forms post where the server functions listen (and where merchants' scripts and
    /// the browser tests expect them).
    #[test]
    fn forms_post_to_the_server_functions() {
        assert_eq!(UndoPlanChange::PATH, "/api/plan_change_undo");
        assert_eq!(UpdatePaymentMethod::PATH, "/api/plan_change_update_card");
        assert_eq!(ConfirmPlanChange::PATH, "/api/plan_change_confirm");
    }
}
