//! `/plan-change/status?token=…&attempt=…`: the outcome of a confirmed change; while it is
//! processing, the [`StatusWatcher`] island reloads the page once it has settled.

use super::common::{LINK, PRIMARY, SECONDARY, UndoForm, UpdateCardForm, loaded, no_store, query};
use super::islands::StatusWatcher;
use super::{present, urls};
use crate::components::embed_frame::{EmbedEvent, EmbedEvents};
use crate::context::{current_locale, is_embedded};
use crate::error::AppError;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t};
use crate::server::plan_change;
use crate::server::state::AppState;
use crate::types::link::LinkProblem;
use crate::types::plan_change::{StatusKind, StatusView};
use leptos::prelude::*;
use leptos_meta::Title;

async fn load_status(
    locale: Locale,
    token: Option<String>,
    attempt: Option<String>,
) -> Result<StatusView, AppError> {
    let token = token.unwrap_or_default();
    let state = AppState::from_context()?;
    match plan_change::status(&state, &token, &attempt.unwrap_or_default()).await? {
        Some(facts) => Ok(present::status(locale, &facts, &token)),
        // Not an attempt of this link's subscription: as good as a wrong link.
        None => Err(AppError::Link(LinkProblem::Invalid)),
    }
}

/// `/plan-change/status?token=…&attempt=…`
#[component]
pub fn StatusPage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    let in_flight = urls::is_in_flight(query("notice").as_deref());
    let load = load_status(locale, query("token"), query("attempt"));
    view! {
        <Title text=t(locale, T::PageTitle)/>
        {loaded(locale, load, move |view| view! {
            {in_flight.then(|| view! {
                <p role="status" class="mb-4 rounded-lg border border-sky-300 bg-sky-50 p-4" data-testid="status-notice">
                    {t(locale, T::InFlightNotice)}
                </p>
            })}
            <Status view locale/>
        })}
    }
}

#[component]
fn Status(view: StatusView, locale: Locale) -> impl IntoView {
    let StatusView {
        kind,
        title,
        body,
        token,
        attempt_id,
        action_link,
        self_url,
        back_url,
    } = view;
    let tone = match kind {
        StatusKind::Succeeded | StatusKind::Scheduled | StatusKind::Undone => {
            "border-emerald-300 bg-emerald-50"
        }
        StatusKind::Processing | StatusKind::PendingExists | StatusKind::RequiresAction => {
            "border-amber-300 bg-amber-50"
        }
        _ => "border-rose-300 bg-rose-50",
    };
    let role = match kind {
        StatusKind::Declined | StatusKind::OnHold | StatusKind::Failed => "alert",
        _ => "status",
    };
    let kind_name = format!("{kind:?}").to_lowercase();
    let events = is_embedded().then(|| {
        let event = match kind {
            StatusKind::Succeeded => Some(EmbedEvent::new(
                "plan_changed",
                &[("attempt_id", &attempt_id), ("status", "succeeded")],
            )),
            StatusKind::Scheduled => Some(EmbedEvent::new(
                "plan_changed",
                &[("attempt_id", &attempt_id), ("status", "scheduled")],
            )),
            StatusKind::Declined | StatusKind::Failed | StatusKind::OnHold => {
                Some(EmbedEvent::new(
                    "payment_failed",
                    &[("attempt_id", &attempt_id), ("status", &kind_name)],
                ))
            }
            _ => None,
        };
        view! { <EmbedEvents events=event.into_iter().collect()/> }
    });
    view! {
        {events}
        <section class=format!("rounded-xl border p-6 {tone}") data-testid="plan-change-status" data-status=kind_name.clone()>
            <div role=role>
                <h1 class="text-2xl font-bold" data-testid="status-title">{title}</h1>
                {body.into_iter().map(|b| view! { <p class="mt-2 text-slate-800">{b}</p> }).collect_view()}
            </div>
            <div class="mt-5 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
                {match kind {
                    StatusKind::Processing => view! {
                        <a class=SECONDARY href=self_url data-testid="check-again">{t(locale, T::CheckAgain)}</a>
                        <StatusWatcher token=token.clone() attempt=attempt_id.clone()/>
                    }
                    .into_any(),
                    StatusKind::Scheduled => view! {
                        <UndoForm token=token.clone() locale/>
                    }
                    .into_any(),
                    StatusKind::Declined | StatusKind::OnHold => view! {
                        <UpdateCardForm token=token.clone() locale/>
                    }
                    .into_any(),
                    StatusKind::RequiresAction => action_link
                        .map(|link| view! { <a class=PRIMARY href=link>{t(locale, T::ActionLink)}</a> })
                        .into_any(),
                    _ => ().into_any(),
                }}
                <a class=LINK href=back_url data-testid="back-to-plans">{t(locale, T::BackToPlans)}</a>
            </div>
        </section>
    }
}
