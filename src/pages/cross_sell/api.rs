//! The cross-sell page's server function.

use crate::error::AppError;
use crate::types::offer::OfferView;
use leptos::prelude::*;

/// The offers of the link in `token`, each as the offer page would show it.
#[server(prefix = "/api", endpoint = "cross_sell_page")]
pub async fn cross_sell_page(
    token: Option<String>,
    embed: bool,
) -> Result<Vec<OfferView>, AppError> {
    use crate::server::links::Audience;
    let state = crate::server::state::AppState::from_context()?;
    let claims = state.links.verify(token.as_deref(), Audience::CrossSell)?;
    Ok(crate::server::offer::cross_sell::page(&state, &claims, embed).await?)
}
