//! The offer page's server functions. Each takes the offer id and the session token from the
//! form — never a price, product or customer; the buttons that can pay also send the amount
//! they showed, as a consent check — and answers with a redirect to where the customer goes
//! next: a 302 for a plain form post (no JavaScript), a client-side navigation when the island
//! sent it. Failures are [`AppError`]s (their status is set in one place, `server::http`).

use crate::error::AppError;
use crate::types::offer::{OfferStateKind, OfferView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::server::offer::actions::Agreed;
    use crate::server::offer::error::OfferError;
    use crate::server::offer::session::{self, OfferSession};
    use crate::server::state::AppState;
    use axum::http::request::Parts;
    use leptos::prelude::*;

    pub fn context(access: Option<&str>) -> Result<(AppState, Option<OfferSession>), AppError> {
        let state = AppState::from_context()?;
        let parts = use_context::<Parts>().ok_or(AppError::Internal)?;
        let session = session::from_request(&state, access, &parts.headers);
        Ok((state, session))
    }

    /// The amount the customer was shown (`agreed_amount` in minor units, `agreed_currency`),
    /// required on every request that can move money: without it nothing is sent.
    pub fn agreed(amount: Option<&str>, currency: Option<&str>) -> Result<Agreed, AppError> {
        let amount = amount.map(str::trim).and_then(|a| a.parse::<i64>().ok());
        let currency = currency
            .map(str::trim)
            .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()));
        match (amount, currency) {
            (Some(amount_minor), Some(currency)) if amount_minor >= 0 => Ok(Agreed {
                amount_minor,
                currency: currency.to_ascii_uppercase(),
                method_id: None,
            }),
            _ => Err(AppError::ConsentMissing),
        }
    }

    /// Redirects to `next` (always a path or URL this server built), or answers the failure.
    pub fn finish(result: Result<String, OfferError>) -> Result<(), AppError> {
        crate::server::http::redirect(&result?)
    }
}

/// Loads what the offer page shows; records an impression when an offer is on screen.
#[server(prefix = "/api", endpoint = "offer_page")]
pub async fn offer_page(offer_id: String, access: Option<String>) -> Result<OfferView, AppError> {
    use crate::server::offer::view::{authorized_offer, build};
    use crate::types::offer::OfferState;
    let (state, session) = ssr::context(access.as_deref())?;
    let offer = authorized_offer(&state, &offer_id, session.as_ref()).await?;
    let session = session.ok_or(AppError::NotYours)?;
    let view = build(&state, &offer, &session).await?;
    if matches!(view.state, OfferState::Open | OfferState::CheckoutOnly(_)) {
        // Analytics, not money: queued, so the page never waits for it (nor fails with it).
        state.store.record_impression(&offer.id, access.is_some());
    }
    Ok(view)
}

/// "Pay … now". `agreed_amount` / `agreed_currency`: what the button said (a consent check;
/// the server charges Dodo's price and refuses when it is not this).
#[server(prefix = "/api", endpoint = "offer_accept")]
pub async fn accept_offer(
    offer_id: String,
    access: String,
    agreed_amount: Option<String>,
    agreed_currency: Option<String>,
    agreed_method: Option<String>,
) -> Result<(), AppError> {
    let mut agreed = ssr::agreed(agreed_amount.as_deref(), agreed_currency.as_deref())?;
    agreed.method_id = agreed_method
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offer::actions::accept_to_the_end(state, offer_id, session, agreed).await,
    )
}

/// "No thanks".
#[server(prefix = "/api", endpoint = "offer_decline")]
pub async fn decline_offer(offer_id: String, access: String) -> Result<(), AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offer::actions::decline(&state, &offer_id, session.as_ref()).await)
}

/// "Don't show me offers like this again".
#[server(prefix = "/api", endpoint = "offer_suppress")]
pub async fn suppress_offers(offer_id: String, access: String) -> Result<(), AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offer::actions::suppress(&state, &offer_id, session.as_ref()).await)
}

/// Undo of "Don't show me offers like this again".
#[server(prefix = "/api", endpoint = "offer_unsuppress")]
pub async fn unsuppress_offers(offer_id: String, access: String) -> Result<(), AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offer::actions::unsuppress(&state, &offer_id, session.as_ref()).await,
    )
}

/// The normal-checkout fallback (the amount the page showed, as for [`accept_offer`]).
#[server(prefix = "/api", endpoint = "offer_checkout")]
pub async fn offer_checkout(
    offer_id: String,
    access: String,
    agreed_amount: Option<String>,
    agreed_currency: Option<String>,
) -> Result<(), AppError> {
    let agreed = ssr::agreed(agreed_amount.as_deref(), agreed_currency.as_deref())?;
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offer::actions::checkout(&state, &offer_id, session.as_ref(), &agreed).await,
    )
}

/// Dodo's customer portal, to update the saved card.
#[server(prefix = "/api", endpoint = "offer_portal")]
pub async fn offer_portal(offer_id: String, access: String) -> Result<(), AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offer::actions::portal(&state, &offer_id, session.as_ref()).await)
}

/// "Yes, refund it": undoes the one-click purchase within the undo window (a full refund,
/// sent once however often this is posted).
#[server(prefix = "/api", endpoint = "offer_undo")]
pub async fn undo_purchase(offer_id: String, access: String) -> Result<(), AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(crate::server::offer::actions::undo(&state, &offer_id, session.as_ref()).await)
}

/// "Update your payment method" while a subscription payment is owed: Dodo's page for a new
/// card on that subscription, which comes back to the offer.
#[server(prefix = "/api", endpoint = "offer_fix_payment")]
pub async fn fix_payment(offer_id: String, access: String) -> Result<(), AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    ssr::finish(
        crate::server::offer::actions::fix_payment(&state, &offer_id, session.as_ref()).await,
    )
}

/// The offer's state (processing, succeeded, …), for the page's progress poller.
#[server(prefix = "/api", endpoint = "offer_status")]
pub async fn offer_status(offer_id: String, access: String) -> Result<OfferStateKind, AppError> {
    let (state, session) = ssr::context(Some(&access))?;
    let offer =
        crate::server::offer::view::authorized_offer(&state, &offer_id, session.as_ref()).await?;
    Ok(crate::server::offer::view::progress(&state, &offer).await?)
}
