//! The offer page's server functions. Each takes the offer id and the session token from the
//! form — never an amount, product or customer — and answers with a redirect to where the
//! customer goes next: a 302 for a plain form post (no JavaScript), a client-side navigation
//! when the island sent it.

use crate::types::offer::OfferPageData;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::server::offers::actions::ActionError;
    use crate::server::offers::session::{self, OfferSession};
    use crate::server::state::AppState;
    use axum::http::request::Parts;
    use leptos::prelude::*;

    pub fn context(
        access: Option<&str>,
    ) -> Result<(AppState, Option<OfferSession>), ServerFnError> {
        let state = AppState::from_context()?;
        let parts = use_context::<Parts>().ok_or_else(|| ServerFnError::new("no request"))?;
        let session = session::from_request(&state, access, &parts.headers);
        Ok((state, session))
    }

    /// The amount the customer was shown (`agreed_amount` in minor units, `agreed_currency`),
    /// required on every request that can move money. Missing or malformed: 422, nothing
    /// sent.
    pub fn agreed(
        amount: Option<&str>,
        currency: Option<&str>,
    ) -> Result<crate::server::offers::actions::Agreed, ServerFnError> {
        let amount = amount.map(str::trim).and_then(|a| a.parse::<i64>().ok());
        let currency = currency
            .map(str::trim)
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()));
        match (amount, currency) {
            (Some(amount_minor), Some(currency)) if amount_minor >= 0 => {
                Ok(crate::server::offers::actions::Agreed {
                    amount_minor,
                    currency: currency.to_ascii_uppercase(),
                })
            }
            _ => {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
                }
                Err(ServerFnError::new(
                    "the amount you agreed to (agreed_amount, agreed_currency) is missing; nothing was charged",
                ))
            }
        }
    }

    /// Redirects to `next`, or turns the failure into a message that leaks nothing.
    pub fn finish(result: Result<String, ActionError>) -> Result<(), ServerFnError> {
        match result {
            Ok(next) => {
                leptos_axum::redirect(&next);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "offer action refused");
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(match e {
                        ActionError::NotYours => axum::http::StatusCode::FORBIDDEN,
                        ActionError::NotFound => axum::http::StatusCode::NOT_FOUND,
                        ActionError::Unavailable(_) => axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    });
                }
                Err(ServerFnError::new(match e {
                    ActionError::NotYours => "not available in this browser",
                    ActionError::NotFound => "no such offer",
                    ActionError::Unavailable(_) => "temporarily unavailable",
                }))
            }
        }
    }
}

/// Loads what the offer page shows; records an impression when an offer is on screen.
#[server(prefix = "/api", endpoint = "offer_page")]
pub async fn offer_page(
    offer_id: String,
    access: Option<String>,
) -> Result<OfferPageData, ServerFnError> {
    use crate::server::offers::view::{ViewError, authorized_offer, build};
    use crate::types::offer::OfferState;
    let (state, session) = ssr::context(access.as_deref())?;
    let set_status = |status| {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    };
    let offer = match authorized_offer(&state, &offer_id, session.as_ref()).await {
        Ok(offer) => offer,
        Err(ViewError::NotFound) => {
            set_status(axum::http::StatusCode::NOT_FOUND);
            return Ok(OfferPageData::NotFound);
        }
        Err(ViewError::NotYours) => {
            set_status(axum::http::StatusCode::FORBIDDEN);
            return Ok(OfferPageData::NotYours);
        }
        Err(ViewError::Unavailable(e)) => return Err(ServerFnError::new(e)),
    };
    let Some(session) = session else {
        return Ok(OfferPageData::NotYours);
    };
    let view = build(&state, &offer, &session).await.map_err(|e| {
        tracing::error!(error = %e, offer = %offer_id, "offer page unavailable");
        ServerFnError::new("temporarily unavailable")
    })?;
    if matches!(view.state, OfferState::Open | OfferState::CheckoutOnly(_)) {
        let _ = state
            .store
            .record_impression(&offer.id, access.is_some())
            .await;
    }
    Ok(OfferPageData::Ready(Box::new(view)))
}

/// "Pay … now". `agreed_amount` / `agreed_currency`: what the button said (a consent check;
/// the server charges Dodo's price and refuses when it is not this).
#[server(prefix = "/api", endpoint = "offer_accept")]
pub async fn accept_offer(
    offer_id: String,
    access: String,
    agreed_amount: Option<String>,
    agreed_currency: Option<String>,
) -> Result<(), ServerFnError> {
    let agreed = ssr::agreed(agreed_amount.as_deref(), agreed_currency.as_deref())?;
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offers::actions::accept(&state, &offer_id, session.as_ref(), &agreed).await,
    )
}

/// "No thanks".
#[server(prefix = "/api", endpoint = "offer_decline")]
pub async fn decline_offer(offer_id: String, access: String) -> Result<(), ServerFnError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offers::actions::decline(&state, &offer_id, session.as_ref()).await)
}

/// "Don't show me offers like this again".
#[server(prefix = "/api", endpoint = "offer_suppress")]
pub async fn suppress_offers(offer_id: String, access: String) -> Result<(), ServerFnError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offers::actions::suppress(&state, &offer_id, session.as_ref()).await)
}

/// Undo of "Don't show me offers like this again".
#[server(prefix = "/api", endpoint = "offer_unsuppress")]
pub async fn unsuppress_offers(offer_id: String, access: String) -> Result<(), ServerFnError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offers::actions::unsuppress(&state, &offer_id, session.as_ref()).await,
    )
}

/// The normal-checkout fallback (the amount the page showed, as for [`accept_offer`]).
#[server(prefix = "/api", endpoint = "offer_checkout")]
pub async fn offer_checkout(
    offer_id: String,
    access: String,
    agreed_amount: Option<String>,
    agreed_currency: Option<String>,
) -> Result<(), ServerFnError> {
    let agreed = ssr::agreed(agreed_amount.as_deref(), agreed_currency.as_deref())?;
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offers::actions::checkout(&state, &offer_id, session.as_ref(), &agreed)
            .await,
    )
}

/// Dodo's customer portal, to update the saved card.
#[server(prefix = "/api", endpoint = "offer_portal")]
pub async fn offer_portal(offer_id: String, access: String) -> Result<(), ServerFnError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offers::actions::portal(&state, &offer_id, session.as_ref()).await)
}

/// The offer's state name (`processing`, `succeeded`, …), for the page's progress poller.
#[server(prefix = "/api", endpoint = "offer_status")]
pub async fn offer_status(offer_id: String, access: String) -> Result<String, ServerFnError> {
    let (state, session) = ssr::context(Some(&access))?;
    let offer = crate::server::offers::view::authorized_offer(&state, &offer_id, session.as_ref())
        .await
        .map_err(|_| ServerFnError::new("not available"))?;
    let name = crate::server::offers::view::progress(&state, &offer)
        .await
        .map_err(|_| ServerFnError::new("temporarily unavailable"))?;
    Ok(name.to_string())
}
