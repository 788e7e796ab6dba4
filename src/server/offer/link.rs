//! An offer sent by a signed link (audience `offer`, with its `offer_id`): the link stands in
//! for the checkout's return, so it opens the offer for the link's customer with an offer
//! session of its own, like a cross-sell link does.

use super::error::OfferError;
use super::session::{self, OfferSession};
use crate::server::links::{Audience, LinkError};
use crate::server::state::AppState;

/// What opening the link gives the browser: the offer page to go to and the session cookie.
pub struct Opened {
    pub location: String,
    pub set_cookie: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Offer(#[from] OfferError),
}

pub async fn open(
    state: &AppState,
    token: Option<&str>,
    embedded: bool,
) -> Result<Opened, OpenError> {
    let claims = state.links.verify(token, Audience::Offer)?;
    let offer_id = claims.offer_id.as_deref().ok_or(LinkError::Invalid)?;
    let offer = state
        .store
        .offer(offer_id)
        .await
        .map_err(OfferError::from)?
        .ok_or(OfferError::NotFound)?;
    if offer.customer_id != claims.sub {
        tracing::warn!(offer = %offer.id, "offer link for another customer's offer");
        return Err(LinkError::Invalid.into());
    }
    let source = offer
        .source_payment_id
        .clone()
        .ok_or(OfferError::NotFound)?;
    // The session lives as long as the link, and no longer than the offer.
    let until = claims.exp.min(offer.expires_at / 1000);
    let session: OfferSession =
        session::issue(state, &offer.customer_id, &source, until, embedded)?;
    let max_age = until - super::now_secs();
    Ok(Opened {
        location: session.location(&crate::routes::offer(&offer.id)),
        set_cookie: session::set_cookie_value(&session, max_age, state.config.behind_tls()),
    })
}
