//! Every plan-change use case starts from the link: its token is verified (audience
//! `plan-change`), its subscription loaded — it must be the link customer's — and the
//! subscription's plan family resolved.

use super::PlanChangeError;
use super::family::Family;
use crate::i18n::Locale;
use crate::server::links::{Audience, LinkClaims, LinkError};
use crate::server::state::AppState;
use axum::http::request::Parts;
use dodo_client::{DodoError, Subscription};
use leptos::prelude::use_context;

/// A verified link with its subscription and family.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub claims: LinkClaims,
    pub subscription: Subscription,
    pub family: Family,
}

/// Verifies the token and names the subscription it is for (without asking Dodo).
pub fn verify(state: &AppState, token: Option<&str>) -> Result<(LinkClaims, String), LinkError> {
    let claims = state.links.verify(token, Audience::PlanChange)?;
    let subscription_id = claims.subscription_id.clone().ok_or(LinkError::Invalid)?;
    Ok((claims, subscription_id))
}

/// Dodo's answer for the link's subscription during this request, asked beside the
/// customer's `preferred_locale` (`server::locale`) so that a first view of a plan-change
/// page waits for one Dodo round trip, not two in a row. A request extension: it lives as
/// long as the request, so a page never shows an older subscription than it would have read.
/// An error is kept too: the page shows it rather than asking (and waiting) again.
#[derive(Clone, Debug)]
pub struct PrefetchedSubscription {
    id: String,
    answer: Result<Subscription, DodoError>,
}

/// Asks Dodo for `subscription_id`, for [`PrefetchedSubscription`].
pub async fn prefetch(state: &AppState, subscription_id: &str) -> PrefetchedSubscription {
    PrefetchedSubscription {
        id: subscription_id.to_string(),
        answer: state.dodo_client.subscription(subscription_id).await,
    }
}

/// Dodo's answer for `subscription_id` when this request already asked for it.
fn prefetched(subscription_id: &str) -> Option<Result<Subscription, DodoError>> {
    let parts = use_context::<Parts>()?;
    let found = parts.extensions.get::<PrefetchedSubscription>()?;
    (found.id == subscription_id).then(|| found.answer.clone())
}

/// Verifies the token, loads the subscription (it must belong to the link's customer) and
/// resolves its family.
pub async fn load(state: &AppState, token: Option<&str>) -> Result<Loaded, PlanChangeError> {
    let (claims, subscription_id) = verify(state, token)?;
    let read = match prefetched(&subscription_id) {
        Some(answer) => answer,
        None => state.dodo_client.subscription(&subscription_id).await,
    };
    let subscription = match read {
        Ok(s) => s,
        Err(DodoError::NotFound { .. }) => return Err(LinkError::Invalid.into()),
        Err(DodoError::InvalidRequest { code, .. }) if code == "INVALID_ID" => {
            return Err(LinkError::Invalid.into());
        }
        Err(e) => return Err(e.into()),
    };
    if subscription.customer_id != claims.sub {
        tracing::warn!(subscription = %subscription.id, "plan-change link for another customer's subscription");
        return Err(LinkError::Invalid.into());
    }
    let mut family = state
        .plan_catalog
        .family(&state.merchant, &subscription)
        .await?;
    translate_plans(state, &mut family, crate::context::current_locale()).await;
    Ok(Loaded {
        claims,
        subscription,
        family,
    })
}

/// Names and describes every plan of `family` in the page's language where Dodo has a
/// translation, so the cards, the preview, the dialog and the status page all call a plan
/// what the customer reads. The translations are asked for at once and cached by
/// `dodo_reads`.
async fn translate_plans(state: &AppState, family: &mut Family, locale: Locale) {
    let plans = family
        .current
        .iter_mut()
        .chain(family.options.iter_mut().map(|a| &mut a.plan));
    futures::future::join_all(
        plans.map(|plan| state.dodo_reads.translate(&mut plan.product, locale)),
    )
    .await;
}
