//! `/plan-change?token=…`: the current plan and the alternatives, as radios of a GET form to
//! the review page, enhanced by the [`PlanChooser`] island (live preview, confirm dialog).

use super::common::{LINK, UndoForm, UpdateCardForm, loaded, no_store, query};
use super::islands::PlanChooser;
use super::plan_card::PlanCard;
use super::present;
use super::preview_parts::PreviewProblem;
use super::urls::PlansNotice;
use crate::context::current_locale;
use crate::error::AppError;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t, tf};
use crate::server::plan_change;
use crate::server::state::AppState;
use crate::types::plan_change::{Banner, ComparisonView, TrialTiming};
use leptos::prelude::*;
use leptos_meta::Title;

/// Where the plan form goes without JavaScript (`crate::routes::plan_change_review` without
/// its query: the form adds it).
const REVIEW_PATH: &str = "/plan-change/review";

async fn load_comparison(
    locale: Locale,
    token: Option<String>,
    selected: Option<String>,
    notice: Option<PlansNotice>,
) -> Result<ComparisonView, AppError> {
    let state = AppState::from_context()?;
    let loaded = plan_change::load(&state, token.as_deref()).await?;
    let facts = plan_change::comparison(&state, &loaded).await;
    let token = token.unwrap_or_default();
    Ok(present::comparison(
        locale, &facts, &token, selected, notice,
    ))
}

/// `/plan-change?token=…`
#[component]
pub fn PlanChangePage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    let notice = query("notice").as_deref().and_then(PlansNotice::parse);
    let load = load_comparison(locale, query("token"), query("plan"), notice);
    view! {
        <Title text=t(locale, T::PageTitle)/>
        {loaded(locale, load, move |view| view! { <Comparison view locale/> })}
    }
}

#[component]
fn Banners(banners: Vec<Banner>, token: String, locale: Locale) -> impl IntoView {
    banners
        .into_iter()
        .map(|banner| {
            let token = token.clone();
            match banner {
                Banner::Scheduled { text } => view! {
                    <div class="mb-4 flex flex-col gap-3 rounded-lg border border-sky-300 bg-sky-50 p-4 sm:flex-row sm:items-center sm:justify-between" data-testid="scheduled-banner">
                        <p class="font-medium">{text}</p>
                        <UndoForm token locale/>
                    </div>
                }
                .into_any(),
                Banner::Pending { text, status_url } => view! {
                    <div class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="pending-banner">
                        <p class="font-medium">{text}</p>
                        <a class=LINK href=status_url>{t(locale, T::SeeStatus)}</a>
                    </div>
                }
                .into_any(),
                Banner::OnHold { text } => view! {
                    <div class="mb-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="on-hold-banner">
                        <p class="font-medium">{text}</p>
                        <UpdateCardForm token locale/>
                    </div>
                }
                .into_any(),
                Banner::Inactive { text } => view! {
                    <p class="mb-4 rounded-lg border border-slate-300 bg-white p-4" data-testid="inactive-banner">{text}</p>
                }
                .into_any(),
                Banner::Notice { text } => view! {
                    <p role="status" class="mb-4 rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid="notice">{text}</p>
                }
                .into_any(),
                Banner::Problem { text } => view! {
                    <p role="alert" class="mb-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="problem">{text}</p>
                }
                .into_any(),
            }
        })
        .collect_view()
}

/// During a trial: whether the switch waits for the trial's end (checked: a switch never ends
/// a trial unasked) or starts now. The island previews the checked one.
#[component]
fn TrialTimingChoice(trial: TrialTiming) -> impl IntoView {
    let radio = "h-4 w-4 accent-indigo-700";
    view! {
        <fieldset class="mt-4" data-testid="trial-timing">
            <legend class="mb-2 font-medium">{trial.legend}</legend>
            <label class="flex items-center gap-2 py-1">
                <input type="radio" name="when" value="trial_end" checked=true class=radio data-testid="when-trial_end"/>
                <span>{trial.at_trial_end}</span>
            </label>
            <label class="flex items-center gap-2 py-1">
                <input type="radio" name="when" value="now" class=radio data-testid="when-now"/>
                <span>{trial.now}</span>
            </label>
        </fieldset>
    }
}

/// Where the live preview appears: before the WASM runs, an idle sentence and a Review button
/// that submits the form to the review page; the [`PlanChooser`] island then fills the area
/// with the server's preview, shows the skeleton while it waits, and turns the button into
/// Continue (its `data-ready-text`), which opens the confirm dialog.
#[component]
fn PreviewSection(locale: Locale) -> impl IntoView {
    view! {
        <section aria-labelledby="pc-preview-heading" class="mt-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
            <h2 id="pc-preview-heading" class="text-lg font-semibold">{t(locale, T::PreviewHeading)}</h2>
            <p class="sr-only" aria-live="polite" data-testid="preview-announcement"></p>
            <div
                class="mt-3 min-h-44"
                aria-busy="false"
                data-testid="preview-area"
                data-ready="false"
            >
                <p class="text-slate-700" data-testid="preview-idle">{t(locale, T::PreviewIdle)}</p>
            </div>
            // What the island shows when no answer arrives (the connection or the server).
            <template data-offline="">
                <PreviewProblem text=AppError::Unavailable.message(locale).to_owned()/>
            </template>
            <template data-skeleton="">
                <div class="animate-pulse space-y-3 motion-reduce:animate-none" data-testid="preview-skeleton">
                    <p class="sr-only">{t(locale, T::PreviewLoading)}</p>
                    <div class="h-8 w-32 rounded bg-slate-200"></div>
                    <div class="h-4 w-full rounded bg-slate-200"></div>
                    <div class="h-4 w-2/3 rounded bg-slate-200"></div>
                </div>
            </template>
            <div class="mt-4">
                <button
                    type="submit"
                    data-testid="continue"
                    data-ready-text=t(locale, T::ContinueButton)
                    class="w-full rounded-lg bg-indigo-700 px-4 py-3 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:cursor-not-allowed disabled:opacity-60 sm:w-auto"
                >
                    {t(locale, T::ReviewButton)}
                </button>
            </div>
        </section>
    }
}

#[component]
fn Comparison(view: ComparisonView, locale: Locale) -> impl IntoView {
    let ComparisonView {
        token,
        current,
        current_quantity,
        current_seats,
        options,
        banners,
        seats_max,
        selected,
        can_change,
        trial,
    } = view;
    let current_selectable = current.max_quantity > 1;
    let current_checked = selected.as_deref() == Some(current.product_id.as_str());
    let plan_cards = options
        .into_iter()
        .map(|card| {
            let checked = selected.as_deref() == Some(card.product_id.as_str());
            view! { <PlanCard card locale selectable=Some(true) checked/> }
        })
        .collect_view();
    let choices = view! {
                        <fieldset>
                            <legend class="mb-2 text-lg font-semibold">{t(locale, T::ChoosePlanLegend)}</legend>
                            <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
                                {current_selectable
                                    .then(|| {
                                        view! { <PlanCard card=current.clone() locale selectable=Some(true) checked=current_checked current=true/> }
                                    })}
                                {plan_cards}
                            </div>
                        </fieldset>
                        {(seats_max > 1)
                            .then(|| {
                                view! {
                                    <div class="mt-4">
                                        <label for="pc-quantity" class="block font-medium">{t(locale, T::SeatsLabel)}</label>
                                        <input
                                            id="pc-quantity"
                                            name="quantity"
                                            type="number"
                                            inputmode="numeric"
                                            min="1"
                                            max=seats_max.to_string()
                                            value=current_quantity.to_string()
                                            aria-describedby="pc-quantity-hint"
                                            class="mt-1 w-28 rounded-lg border border-slate-300 px-3 py-2 tabular-nums"
                                            data-testid="quantity"
                                        />
                                        <p id="pc-quantity-hint" class="mt-1 text-sm text-slate-600">
                                            {tf(locale, T::SeatsHint, &[("max", &seats_max.to_string())])}
                                        </p>
                                    </div>
                                }
                            })}
                        {(seats_max <= 1).then(|| view! { <input type="hidden" name="quantity" value=current_quantity.to_string()/> })}
                        {trial.map(|trial| view! { <TrialTimingChoice trial/> })}
    }
    .into_any();
    let nothing = !can_change;
    view! {
        <h1 class="text-2xl font-bold sm:text-3xl">{t(locale, T::PageTitle)}</h1>
        <p class="mt-2 mb-6 text-slate-700">{t(locale, T::Intro)}</p>
        <Banners banners token=token.clone() locale/>
        <section aria-labelledby="pc-current-heading" class="mb-6">
            <h2 id="pc-current-heading" class="mb-2 text-lg font-semibold">{t(locale, T::CurrentPlanHeading)}</h2>
            <PlanCard card=current.clone() locale selectable=None checked=false current=true/>
            {current_seats.map(|s| view! { <p class="mt-2 text-sm text-slate-700">{s}</p> })}
        </section>
        {if nothing {
            view! { <p class="rounded-lg border border-slate-200 bg-white p-4" data-testid="no-alternatives">{t(locale, T::NoAlternatives)}</p> }.into_any()
        } else {
            view! {
                <PlanChooser>
                    <form method="get" action=REVIEW_PATH data-testid="plan-form">
                        <input type="hidden" name="token" value=token.clone()/>
                        {choices}
                        <PreviewSection locale/>
                    </form>
                </PlanChooser>
            }
            .into_any()
        }}
    }
}
