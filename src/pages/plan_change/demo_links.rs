//! `/demo/plan-change`: sandbox mode only, signed links to the demo subscriptions'
//! plan-change pages (for trying the page and for the browser tests); a 404 otherwise.

use super::common::{LINK, no_store};
use crate::context::current_locale;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{t, tf};
use crate::pages::not_found::NotFound;
use crate::server::demo_links::{DemoLink, plan_change_links};
use crate::server::state::AppState;
use leptos::prelude::*;
use leptos_meta::Title;

fn demo_links() -> Option<Vec<DemoLink>> {
    plan_change_links(&AppState::from_context().ok()?)
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
                        let subscription = l.subscription.unwrap_or_default();
                        let text = tf(
                            locale,
                            T::DemoLink,
                            &[("customer", &l.customer), ("subscription", &subscription)],
                        );
                        view! {
                            <li>
                                <a class=LINK href=l.url data-testid=format!("demo-{subscription}")>{text}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}
