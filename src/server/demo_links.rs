//! Signed links to the demo business's customer pages, in sandbox mode only (none otherwise):
//! the plan-change page of each demo subscription (`/demo/plan-change`), and the cross-sell
//! page of a demo customer who already owns a product the merchant's cross-sell rules relate
//! others to (the start page's tour). Both are minted here, the same way, for a day.

use super::links::{Audience, LinkSubject};
use super::state::AppState;
use super::store::now_millis;
use crate::routes;
use std::time::Duration;

/// How long a demo link stays valid.
const TTL: Duration = Duration::from_secs(24 * 3600);

/// A demo customer (and subscription, for a plan change) and a signed link to their page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLink {
    pub customer: String,
    pub subscription: Option<String>,
    pub url: String,
}

/// A token for `audience` and `subject`, minted now; `None` outside sandbox mode.
fn mint(state: &AppState, audience: Audience, subject: &LinkSubject) -> Option<String> {
    if !state.config.dodo.sandbox_enabled() {
        return None;
    }
    let now = now_millis() / 1000;
    match state.links.mint(audience, subject, TTL, now) {
        Ok((token, _)) => Some(token),
        Err(e) => {
            tracing::warn!(error = %e, "demo link not minted");
            None
        }
    }
}

/// A plan-change link for each demo subscription; `None` outside sandbox mode.
pub fn plan_change_links(state: &AppState) -> Option<Vec<DemoLink>> {
    if !state.config.dodo.sandbox_enabled() {
        return None;
    }
    let links = dodo_sandbox::Fixtures::demo()
        .subscriptions
        .into_iter()
        .filter_map(|s| {
            let subject = LinkSubject {
                customer_id: s.customer_id.clone(),
                subscription_id: Some(s.subscription_id.clone()),
                ..LinkSubject::default()
            };
            let token = mint(state, Audience::PlanChange, &subject)?;
            Some(DemoLink {
                customer: s.customer_id,
                subscription: Some(s.subscription_id),
                url: routes::plan_change(&token),
            })
        })
        .collect();
    Some(links)
}

/// A cross-sell link for the first demo customer whose purchase before the sandbox started
/// is a product of the merchant's cross-sell rules (so the page has something to show);
/// `None` outside sandbox mode or when no demo purchase matches a rule.
pub fn cross_sell_link(state: &AppState) -> Option<DemoLink> {
    if !state.config.dodo.sandbox_enabled() {
        return None;
    }
    let rules = &state.merchant.cross_sell;
    let customer = dodo_sandbox::Fixtures::demo()
        .purchases
        .into_iter()
        .find(|p| {
            !rules
                .related_for(std::slice::from_ref(&p.product_id))
                .is_empty()
        })?
        .customer_id;
    let subject = LinkSubject {
        customer_id: customer.clone(),
        ..LinkSubject::default()
    };
    let token = mint(state, Audience::CrossSell, &subject)?;
    Some(DemoLink {
        customer,
        subscription: None,
        url: routes::cross_sell(&token),
    })
}
