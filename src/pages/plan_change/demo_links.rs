//! `/demo/plan-change`: sandbox mode only, signed links to the demo subscriptions'
//! plan-change pages (for trying the page and for the browser tests); a 404 otherwise.

use super::common::{LINK, no_store};
use crate::context::current_locale;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{t, tf};
use crate::pages::not_found::NotFound;
use crate::routes;
use crate::server::links::{Audience, LinkSubject};
use crate::server::state::AppState;
use crate::server::store::now_millis;
use leptos::prelude::*;
use leptos_meta::Title;

/// A demo subscription and a signed link to its plan-change page.
#[derive(Clone, Debug)]
struct DemoLink {
    customer: String,
    subscription: String,
    url: String,
}

fn demo_links() -> Option<Vec<DemoLink>> {
    let state = AppState::from_context().ok()?;
    if !state.config.dodo.sandbox_enabled() {
        return None;
    }
    let now = now_millis() / 1000;
    let links = dodo_sandbox::Fixtures::demo()
        .subscriptions
        .into_iter()
        .filter_map(|s| {
            let (token, _) = state
                .links
                .mint(
                    Audience::PlanChange,
                    &LinkSubject {
                        customer_id: s.customer_id.clone(),
                        subscription_id: Some(s.subscription_id.clone()),
                        ..LinkSubject::default()
                    },
                    std::time::Duration::from_secs(24 * 3600),
                    now,
                )
                .ok()?;
            Some(DemoLink {
                customer: s.customer_id,
                subscription: s.subscription_id,
                url: routes::plan_change(&token),
            })
        })
        .collect();
    Some(links)
}

/// `/demo/plan-change`: in sandbox mode, signed links to the demo subscriptions' plan-change
/// pages (for trying the page and for the browser tests); a 404 otherwise.
#[component]
pub fn DemoLinksPage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    match demo_links() {
        None => view! { <NotFound/> }.into_any(),
        Some(links) => view! {
            <Title text=t(locale, T::DemoTitle)/>
            <h1 class="text-2xl font-bold">{t(locale, T::DemoTitle)}</h1>
            <p class="mt-2 text-slate-700">{t(locale, T::DemoIntro)}</p>
            <ul class="mt-4 space-y-2">
                {links
                    .into_iter()
                    .map(|l| {
                        let text = tf(
                            locale,
                            T::DemoLink,
                            &[("customer", &l.customer), ("subscription", &l.subscription)],
                        );
                        view! {
                            <li>
                                <a class=LINK href=l.url data-testid=format!("demo-{}", l.subscription)>{text}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}
