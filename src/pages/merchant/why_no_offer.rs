//! `GET /merchant/landings?q=…`: the latest returns from Dodo's checkout and what each led to —
//! the offer shown, or why there was none — searchable by payment or customer id; below them,
//! the webhooks we stored without being able to read them.

use super::layout::{MerchantLayout, document};
use super::text;
use crate::components::buttons::PRIMARY_INLINE;
use crate::server::merchant_auth::SignedInMerchant;
use crate::server::state::AppState;
use crate::server::store::{Landing, MAX_LANDINGS, UnreadableWebhook};
use crate::server::webhooks::UNREADABLE;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// A unix-ms instant as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn instant(ms: i64) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

pub async fn page(
    State(state): State<AppState>,
    merchant: SignedInMerchant,
    Query(query): Query<SearchQuery>,
) -> Response {
    let search = query.q.unwrap_or_default();
    let (landings, unreadable) = match tokio::try_join!(
        state.store.recent_landings(Some(&search), MAX_LANDINGS),
        state.store.unreadable_webhooks(UNREADABLE, 50),
    ) {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "landings page: store unavailable");
            return super::handlers::internal();
        }
    };
    let html = document(
        text::LANDINGS_TITLE,
        view! {
            <MerchantLayout email=merchant.user.email csrf=merchant.csrf>
                <h1 class="text-2xl font-bold">{text::LANDINGS_TITLE}</h1>
                <p class="mt-1 text-slate-700">{text::LANDINGS_INTRO}</p>
                <form method="get" action="/merchant/landings" role="search" class="mt-4 flex flex-wrap items-end gap-3">
                    <label class="flex flex-col text-sm font-medium">
                        {text::SEARCH_LABEL}
                        <input type="search" name="q" value=search.clone() placeholder="pay_… / cus_…" class="mt-1 w-72 rounded border border-slate-300 px-2 py-1"/>
                    </label>
                    <button type="submit" class=PRIMARY_INLINE>{text::SEARCH}</button>
                </form>
                <LandingsTable landings/>
                <UnreadableList events=unreadable/>
            </MerchantLayout>
        },
    );
    Html(html).into_response()
}

#[component]
fn LandingsTable(landings: Vec<Landing>) -> impl IntoView {
    let empty = landings.is_empty();
    view! {
        <Show when=move || empty>
            <p class="mt-4 text-slate-700" data-testid="no-landings">{text::NO_LANDINGS}</p>
        </Show>
        <div class="mt-4 overflow-x-auto" tabindex="0">
            <table class="min-w-full border-collapse text-sm" data-testid="landings-table">
                <thead>
                    <tr class="border-b border-slate-300 text-left">
                        {text::LANDING_COLUMNS.iter().map(|c| view! { <th scope="col" class="px-2 py-2 font-semibold">{*c}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {landings.into_iter().map(|l| {
                        let details = text::landing_details(&l);
                        view! {
                            <tr class="border-b border-slate-200 align-top" data-testid="landing-row" data-payment=l.payment_id.clone() data-outcome=l.outcome.code()>
                                <td class="px-2 py-2 whitespace-nowrap">{instant(l.landed_at)}</td>
                                <td class="px-2 py-2 font-mono">{l.payment_id.clone()}</td>
                                <td class="px-2 py-2 font-mono">{l.customer_id.clone().unwrap_or_default()}</td>
                                <td class="px-2 py-2" data-testid="landing-reason">{text::landing_outcome(l.outcome)}</td>
                                <td class="px-2 py-2">{details}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UnreadableList(events: Vec<UnreadableWebhook>) -> impl IntoView {
    let empty = events.is_empty();
    view! {
        <section class="mt-8" aria-labelledby="unreadable-heading">
            <h2 id="unreadable-heading" class="text-xl font-semibold">{text::UNREADABLE_HEADING}</h2>
            <p class="mt-1 text-sm text-slate-700">{text::UNREADABLE_NOTE}</p>
            <Show when=move || empty>
                <p class="mt-3 text-slate-700" data-testid="no-unreadable">{text::NO_UNREADABLE}</p>
            </Show>
            <ul class="mt-3 grid gap-3">
                {events.into_iter().map(|e| view! {
                    <li class="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="unreadable-webhook">
                        <p><span class="font-mono">{e.webhook_id}</span> " · " {instant(e.received_at)}</p>
                        <p class="mt-1">{e.problem}</p>
                        <pre class="mt-2 whitespace-pre-wrap break-all text-xs">{e.body_start}</pre>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
