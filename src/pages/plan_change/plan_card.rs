//! One plan on the comparison page: a labelled radio (alternatives, or the current plan when
//! its seats can change) or a plain card (the current plan), with what a switch gains and loses.

use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t};
use crate::types::plan_change::PlanCardView;
use leptos::prelude::*;

#[component]
fn FeatureList(heading: &'static str, items: Vec<String>, class: &'static str) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <div class="mt-2">
                {(!heading.is_empty())
                    .then(|| view! { <p class=format!("text-xs font-semibold uppercase tracking-wide {class}")>{heading}</p> })}
                <ul class="mt-1 list-disc pl-5 text-sm">
                    {items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any()
    })
}

/// One plan, as a labelled radio (alternatives) or a plain card (current plan).
#[component]
pub fn PlanCard(
    card: PlanCardView,
    locale: Locale,
    /// `None`: the current plan, not selectable.
    selectable: Option<bool>,
    checked: bool,
    #[prop(optional)] current: bool,
) -> impl IntoView {
    let id = format!("plan-{}", card.product_id);
    let desc = format!("{id}-desc");
    let disabled = card.blocked.is_some();
    let border = if current {
        "border-indigo-300 bg-indigo-50"
    } else {
        "border-slate-200 bg-white has-[:checked]:border-indigo-700 has-[:checked]:ring-2 has-[:checked]:ring-indigo-700"
    };
    let PlanCardView {
        product_id,
        name,
        price,
        badge,
        savings,
        features,
        gains,
        losses,
        direction,
        blocked,
        ..
    } = card;
    view! {
        <div class=format!("relative flex flex-col rounded-xl border p-4 {border}") data-testid=format!("card-{product_id}")>
            <div class="flex items-start gap-3">
                {selectable
                    .map(|_| {
                        view! {
                            <input
                                type="radio"
                                name="plan"
                                id=id.clone()
                                value=product_id.clone()
                                checked=checked
                                disabled=disabled
                                aria-describedby=desc.clone()
                                class="mt-1 h-5 w-5 accent-indigo-700"
                            />
                        }
                    })}
                <div class="flex-1">
                    {if selectable.is_some() {
                        view! { <label for=id.clone() class="text-lg font-semibold">{name}</label> }.into_any()
                    } else {
                        view! { <h3 class="text-lg font-semibold">{name}</h3> }.into_any()
                    }}
                    <div id=desc.clone()>
                        <p class="tabular-nums text-slate-800" data-testid="price">{price}</p>
                        <p class="mt-1 flex flex-wrap gap-2 text-xs">
                            {current
                                .then(|| view! { <span class="rounded-full bg-indigo-700 px-2 py-0.5 font-semibold text-white">{t(locale, T::CurrentBadge)}</span> })}
                            {direction.map(|d| view! { <span class="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-800">{d}</span> })}
                            {badge.map(|b| view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900">{b}</span> })}
                            {savings.map(|s| view! { <span class="rounded-full bg-emerald-100 px-2 py-0.5 font-medium text-emerald-900" data-testid="savings">{s}</span> })}
                        </p>
                        {blocked
                            .map(|reason| {
                                view! {
                                    <p class="mt-2 text-sm text-slate-700" data-testid="blocked-reason">
                                        <strong>{t(locale, T::NotAvailable)}</strong>
                                        " "
                                        {reason}
                                    </p>
                                }
                            })}
                    </div>
                    {if current {
                        view! { <FeatureList heading="" items=features class=""/> }.into_any()
                    } else {
                        view! {
                            <FeatureList heading=t(locale, T::YouGain) items=gains class="text-emerald-800"/>
                            <FeatureList heading=t(locale, T::YouLose) items=losses class="text-rose-800"/>
                        }
                        .into_any()
                    }}
                </div>
            </div>
        </div>
    }
    .into_any()
}
