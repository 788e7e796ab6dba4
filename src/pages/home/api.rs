//! The start page's server functions: the server's status, and the sandbox's demo store.

use crate::error::AppError;
use crate::types::status::{DemoProduct, StatusReport};
use leptos::prelude::*;

/// Reports which Dodo the server talks to and whether the store answers.
#[server(prefix = "/api", endpoint = "server_status")]
pub async fn server_status() -> Result<StatusReport, AppError> {
    let state = crate::server::state::AppState::from_context()?;
    let store = if state.store.ping().await.is_ok() {
        "healthy"
    } else {
        "unavailable"
    };
    Ok(StatusReport {
        dodo_mode: state.config.dodo.mode().label().to_string(),
        store: store.to_string(),
    })
}

/// The one-time products of the sandbox's business (empty outside sandbox mode).
#[server(prefix = "/api", endpoint = "demo_products")]
pub async fn demo_products() -> Result<Vec<DemoProduct>, AppError> {
    let state = crate::server::state::AppState::from_context()?;
    ssr::demo_catalogue(&state).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::server::config::DodoMode;
    use crate::server::state::AppState;
    use crate::types::status::DemoProduct;

    /// What the demo store sells: the sandbox's one-time products with a fixed price.
    pub async fn demo_catalogue(state: &AppState) -> Result<Vec<DemoProduct>, AppError> {
        if state.config.dodo.mode() != DodoMode::Sandbox {
            return Ok(Vec::new());
        }
        let products = state.dodo_client.products().await?;
        Ok(products
            .into_iter()
            .filter(|p| !p.is_recurring)
            .filter_map(|p| {
                let (amount, currency) = crate::server::offer::selection::offer_price(&p)?;
                let featured = state
                    .merchant
                    .upsell
                    .rules
                    .iter()
                    .any(|r| r.trigger_products.contains(&p.id));
                Some(DemoProduct {
                    featured,
                    id: p.id,
                    name: p.name.unwrap_or_default(),
                    description: p.description,
                    price: crate::money::Money::new(amount, currency),
                })
            })
            .collect())
    }
}

/// Opens the sandbox checkout for a demo product; Dodo returns the buyer to `/offer/landing`.
#[server(prefix = "/api", endpoint = "demo_buy")]
pub async fn demo_buy(product_id: String) -> Result<(), AppError> {
    let state = crate::server::state::AppState::from_context()?;
    // Only what the demo store lists (nothing outside sandbox mode): no checkout is opened at
    // Dodo for anything else.
    let listed = ssr::demo_catalogue(&state).await?;
    if !listed.iter().any(|p| p.id == product_id) {
        return Err(AppError::NotFound);
    }
    let created = state
        .dodo_client
        .create_hosted_checkout(&dodo_client::HostedCheckout {
            product_cart: vec![dodo_client::CartItem {
                product_id,
                quantity: 1,
            }],
            customer_id: None,
            show_saved_payment_methods: true,
            return_url: Some(format!("{}/offer/landing", state.config.public_url)),
            cancel_url: Some(format!("{}/", state.config.public_url)),
            redirect_immediately: true,
            metadata: Default::default(),
        })
        .await?;
    let url = created.checkout_url.ok_or(AppError::Unavailable)?;
    leptos_axum::redirect(&url);
    Ok(())
}
