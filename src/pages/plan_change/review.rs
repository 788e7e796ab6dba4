//! `/plan-change/review?token=…&plan=…&quantity=…`: the server-rendered preview and a confirm
//! form that posts to the confirm server function (the path without JavaScript); a downgrade
//! with a configured downsell shows the downsell first.

use super::api::ConfirmPlanChange;
use super::common::{LINK, PRIMARY, SECONDARY, loaded, no_store, query};
use super::present;
use super::preview_parts::{ConfirmFields, PreviewDetails, TrialChoicesList};
use super::urls::{self, ReviewProblem};
use crate::context::current_locale;
use crate::error::AppError;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t};
use crate::routes;
use crate::server::plan_change;
use crate::server::state::AppState;
use crate::types::plan_change::PreviewView;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// What the review page shows.
#[derive(Clone, Debug)]
enum Review {
    Preview {
        token: String,
        preview: PreviewView,
        problem: Option<String>,
    },
    /// A downgrade with a downsell: offer it first.
    Downsell { token: String, preview: PreviewView },
    /// The switch cannot be previewed (with why), linking back to the plans.
    Problem { token: String, text: String },
}

/// What the review page's address asks for.
struct ReviewQuery {
    token: Option<String>,
    plan: String,
    quantity: i64,
    /// A trial's choice (`trial_end`, `now`).
    when: Option<String>,
    skip_downsell: bool,
    problem: Option<ReviewProblem>,
}

impl ReviewQuery {
    fn read() -> ReviewQuery {
        ReviewQuery {
            token: query("token"),
            plan: query("plan").unwrap_or_default(),
            quantity: query("quantity")
                .and_then(|q| q.parse::<i64>().ok())
                .unwrap_or(1),
            when: query("when"),
            skip_downsell: urls::downsell_declined(query("downsell").as_deref()),
            problem: query("problem").map(|p| {
                ReviewProblem::parse(&p, query("fact").as_deref(), query("was").as_deref())
            }),
        }
    }
}

async fn load_review(locale: Locale, asked: ReviewQuery) -> Result<Review, AppError> {
    let state = AppState::from_context()?;
    let loaded = plan_change::load(&state, asked.token.as_deref()).await?;
    let token = asked.token.unwrap_or_default();
    let timing = plan_change::Timing::parse(asked.when.as_deref());
    let previewed =
        match plan_change::preview(&state, &loaded, &asked.plan, asked.quantity, timing).await {
            Ok(p) => p,
            Err(problem) => {
                return Ok(Review::Problem {
                    token,
                    text: present::switch_problem(locale, &problem).to_owned(),
                });
            }
        };
    let facts = plan_change::preview_facts(&state, &loaded, &previewed).await;
    let preview = present::preview(locale, &facts);
    let problem = asked
        .problem
        .map(|p| present::review_problem(locale, p, &preview.agreed));
    Ok(
        if preview.downsell.is_some() && !asked.skip_downsell && problem.is_none() {
            Review::Downsell { token, preview }
        } else {
            Review::Preview {
                token,
                preview,
                problem,
            }
        },
    )
}

/// `/plan-change/review?token=…&plan=…&quantity=…`
#[component]
pub fn ReviewPage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    let load = load_review(locale, ReviewQuery::read());
    view! {
        <Title text=t(locale, T::PageTitle)/>
        {loaded(locale, load, move |review| view! { <ReviewView review locale/> })}
    }
}

#[component]
fn ReviewView(review: Review, locale: Locale) -> impl IntoView {
    match review {
        Review::Problem { token, text } => view! {
            <h1 class="text-2xl font-bold">{t(locale, T::PageTitle)}</h1>
            <p role="alert" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="review-problem">{text}</p>
            <p class="mt-4"><a class=LINK href=routes::plan_change(&token)>{t(locale, T::BackToPlans)}</a></p>
        }
        .into_any(),
        Review::Downsell { token, preview } => {
            let d = preview.downsell.clone().unwrap_or_default();
            let try_url = routes::plan_change_review(&token, &d.product_id, 1);
            let continue_url =
                urls::review_without_downsell(&token, &preview.product_id, preview.quantity);
            view! {
                <h1 class="text-2xl font-bold">{t(locale, T::DownsellHeading)}</h1>
                <section class="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-5" data-testid="downsell">
                    <h2 class="text-lg font-semibold">{d.headline}</h2>
                    <ul class="mt-2 list-disc pl-5">
                        {d.value_points.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}
                    </ul>
                    <div class="mt-4 flex flex-col gap-3 sm:flex-row">
                        <a class=PRIMARY href=try_url data-testid="downsell-try">{d.try_label}</a>
                        <a class=SECONDARY href=continue_url data-testid="downsell-decline">{d.decline_label}</a>
                    </div>
                </section>
            }
            .into_any()
        }
        Review::Preview {
            token,
            preview,
            problem,
        } => {
            let back = urls::plans_with_choice(&token, &preview.product_id);
            let PreviewView {
                product_id,
                quantity,
                title,
                summary,
                consent,
                button,
                trial,
                ..
            } = preview.clone();
            // Without JavaScript, the other choice of a trial is a link to its own review.
            let other_choices = trial
                .iter()
                .flat_map(|t| t.options.iter().filter(|o| !o.chosen))
                .map(|o| {
                    let url = urls::review_with_timing(&token, &product_id, quantity, &o.when);
                    view! {
                        <p class="mt-2"><a class=LINK href=url data-testid=format!("choose-{}", o.when)>{t(locale, T::TrialChooseOther)}</a></p>
                    }
                })
                .collect_view();
            view! {
                <h1 class="text-2xl font-bold" data-testid="review-title">{title}</h1>
                <p class="mt-2 text-slate-700" data-testid="review-summary">{summary}</p>
                {problem.map(|p| view! { <p role="alert" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="review-problem">{p}</p> })}
                <section class="mt-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
                    {trial.map(|trial| view! { <TrialChoicesList trial locale/> })}
                    {other_choices}
                    <PreviewDetails preview=preview.clone() locale/>
                    <form method="post" action=ConfirmPlanChange::PATH class="mt-6" data-testid="confirm-form">
                        <ConfirmFields preview token/>
                        <p class="rounded-md bg-slate-100 p-3 text-sm" data-testid="consent">{consent}</p>
                        <div class="mt-4 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
                            <a class=SECONDARY href=back>{t(locale, T::GoBack)}</a>
                            <button type="submit" class=PRIMARY data-testid="confirm-submit">{button}</button>
                        </div>
                    </form>
                </section>
            }
            .into_any()
        }
    }
}
