//! `/offer/link?token=…`: an offer sent by a signed link; opens the offer, or says why not.

use crate::components::error_page::ErrorPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OfferLinkPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token");
    let embedded = crate::context::is_embedded();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match open(token, embedded).await {
                    Ok(()) => ().into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(feature = "ssr")]
async fn open(token: Option<String>, embedded: bool) -> Result<(), AppError> {
    use crate::server::offer::link::{self, OpenError};
    let state = crate::server::state::AppState::from_context()?;
    let opened = link::open(&state, token.as_deref(), embedded)
        .await
        .map_err(|e| match e {
            OpenError::Link(e) => AppError::from(e),
            OpenError::Offer(e) => AppError::from(e),
        })?;
    let response = use_context::<leptos_axum::ResponseOptions>().ok_or(AppError::Internal)?;
    let cookie =
        axum::http::HeaderValue::from_str(&opened.set_cookie).map_err(|_| AppError::Internal)?;
    response.append_header(axum::http::header::SET_COOKIE, cookie);
    crate::server::http::redirect_page(&opened.location)
}

#[cfg(not(feature = "ssr"))]
async fn open(_token: Option<String>, _embedded: bool) -> Result<(), AppError> {
    Ok(())
}
