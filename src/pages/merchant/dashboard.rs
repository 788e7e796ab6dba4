//! `GET /merchant`: what the offers earned in a period — the funnel, the daily series, the
//! table per offer and per plan-change direction — with the filters and the CSV of the same
//! numbers. Everything is computed on the server (`server::analytics`); the page has no script.

use super::layout::{MerchantLayout, document};
use super::text;
use super::why_no_offer::instant;
use crate::components::buttons::{PRIMARY_INLINE, TEXT_LINK};
use crate::i18n::Locale;
use crate::money::format_minor;
use crate::server::analytics::chart::{Chart, DailyMetric, daily_svg, funnel_svg};
use crate::server::analytics::{self, AnalyticsFilter, Dashboard, LocaleFilter, Surface};
use crate::server::merchant_auth::SignedInMerchant;
use crate::server::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;
use serde::Deserialize;

/// The filter as the form sends it (dates `YYYY-MM-DD`, UTC).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub surface: Option<String>,
    pub locale: Option<String>,
}

impl FilterQuery {
    /// The checked filter, or the message the page shows instead of numbers.
    pub fn filter(&self) -> Result<AnalyticsFilter, String> {
        AnalyticsFilter::from_query(
            self.from.as_deref(),
            self.to.as_deref(),
            self.surface.as_deref(),
            self.locale.as_deref(),
            // The store records events on the wall clock (the sandbox clock only moves Dodo).
            crate::server::store::now_millis(),
        )
        .map_err(|e| e.to_string())
    }
}

impl FilterQuery {
    /// The form's values for `filter`.
    pub fn of(filter: &AnalyticsFilter) -> FilterQuery {
        FilterQuery {
            from: Some(day(filter.from_ms)),
            to: Some(day(filter.to_ms - 1)),
            surface: Some(filter.surface.as_str().to_owned()),
            locale: Some(filter.locale.as_str().to_owned()),
        }
    }
}

/// `from=…&to=…&surface=…&locale=…` of `filter`, for the CSV links (exact: unix ms).
pub fn filter_query_string(filter: &AnalyticsFilter) -> String {
    format!(
        "from={}&to={}&surface={}&locale={}",
        filter.from_ms,
        filter.to_ms,
        filter.surface.as_str(),
        filter.locale.as_str()
    )
}

/// The UTC date of a unix-ms instant, `YYYY-MM-DD`.
pub fn day(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

pub async fn page(
    State(state): State<AppState>,
    merchant: SignedInMerchant,
    Query(query): Query<FilterQuery>,
) -> Response {
    let (status, body) = match query.filter() {
        Err(problem) => (
            StatusCode::BAD_REQUEST,
            view! {
                <Filters query=query.clone()/>
                <p role="alert" data-testid="filter-error" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 p-3 text-rose-900">
                    {problem}
                </p>
            }
            .into_any(),
        ),
        Ok(filter) => match analytics::dashboard(&state.store, &filter).await {
            // The form shows the period in effect (the defaults, or a period given in unix ms
            // as whole days), so "Show" again keeps it.
            Ok(numbers) => (
                StatusCode::OK,
                numbers_view(FilterQuery::of(&filter), numbers).into_any(),
            ),
            Err(e) => {
                tracing::error!(error = %e, "dashboard: cannot read the numbers");
                return super::handlers::internal();
            }
        },
    };
    let html = document(
        text::HOME_TITLE,
        view! {
            <MerchantLayout email=merchant.user.email csrf=merchant.csrf>
                <h1 class="text-2xl font-bold">{text::HOME_TITLE}</h1>
                <p class="mt-1 text-slate-700">{text::DASHBOARD_INTRO}</p>
                {body}
            </MerchantLayout>
        },
    );
    (status, Html(html)).into_response()
}

#[component]
fn Filters(query: FilterQuery) -> impl IntoView {
    let surface = query.surface.clone().unwrap_or_else(|| "all".into());
    let locale = query.locale.clone().unwrap_or_else(|| "all".into());
    let option = |value: &'static str, label: &'static str, current: &str| {
        let selected = value.eq_ignore_ascii_case(current);
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <form method="get" action="/merchant" class="mt-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4" aria-label=text::FILTERS_LABEL>
            <label class="flex flex-col text-sm font-medium">
                {text::FILTER_FROM}
                <input type="date" name="from" value=query.from.clone().unwrap_or_default() class="mt-1 rounded border border-slate-300 px-2 py-1"/>
            </label>
            <label class="flex flex-col text-sm font-medium">
                {text::FILTER_TO}
                <input type="date" name="to" value=query.to.clone().unwrap_or_default() class="mt-1 rounded border border-slate-300 px-2 py-1"/>
            </label>
            <label class="flex flex-col text-sm font-medium">
                {text::FILTER_SURFACE}
                <select name="surface" class="mt-1 rounded border border-slate-300 px-2 py-1">
                    {option("all", text::ALL, &surface)}
                    {option("standalone", text::SURFACE_STANDALONE, &surface)}
                    {option("embedded", text::SURFACE_EMBEDDED, &surface)}
                </select>
            </label>
            <label class="flex flex-col text-sm font-medium">
                {text::FILTER_LOCALE}
                <select name="locale" class="mt-1 rounded border border-slate-300 px-2 py-1">
                    {option("all", text::ALL, &locale)}
                    {Locale::ALL.iter().map(|l| option(l.tag(), l.tag(), &locale)).collect_view()}
                </select>
            </label>
            <button type="submit" class=PRIMARY_INLINE>{text::APPLY}</button>
        </form>
    }
}

fn numbers_view(query: FilterQuery, numbers: Dashboard) -> impl IntoView {
    let filter = numbers.filter;
    let period = format!(
        "{} – {}{}{}",
        instant(filter.from_ms),
        instant(filter.to_ms),
        match filter.surface {
            Surface::All => String::new(),
            s => format!(", {}", s.as_str()),
        },
        match filter.locale {
            LocaleFilter::All => String::new(),
            l => format!(", {}", l.as_str()),
        }
    );
    let qs = filter_query_string(&filter);
    let mut charts: Vec<Chart> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut push = |chart: Result<Chart, analytics::chart::ChartError>| match chart {
        Ok(c) => charts.push(c),
        Err(e) => problems.push(e.to_string()),
    };
    push(funnel_svg(&numbers.funnel));
    push(daily_svg(&numbers.daily, &DailyMetric::Impressions));
    for currency in &numbers.daily.currencies {
        push(daily_svg(
            &numbers.daily,
            &DailyMetric::NetRevenue(currency.clone()),
        ));
    }
    view! {
        <Filters query/>
        <p class="mt-4 text-sm text-slate-700" data-testid="period">{text::SHOWING} " " {period}</p>
        <p class="mt-1 text-sm">
            <a class=TEXT_LINK data-testid="csv-offers" href=format!("/merchant/export/offers.csv?{qs}")>{text::CSV_OFFERS}</a>
            " · "
            <a class=TEXT_LINK data-testid="csv-daily" href=format!("/merchant/export/daily.csv?{qs}")>{text::CSV_DAILY}</a>
        </p>
        <section class="mt-6 grid gap-6" aria-label=text::CHARTS_LABEL>
            {charts.into_iter().map(|c| view! {
                <figure tabindex="0" class="overflow-x-auto rounded-xl border border-slate-200 bg-white p-4" data-testid="chart">
                    <div inner_html=c.svg></div>
                    <figcaption class="mt-2 text-sm text-slate-700">{c.caption}</figcaption>
                </figure>
            }).collect_view()}
            {problems.into_iter().map(|p| view! { <p role="alert">{p}</p> }).collect_view()}
        </section>
        <OffersTable rows=numbers.offers/>
        <PlanChangesTable rows=numbers.plan_changes/>
    }
}

fn money(minor: i64, currency: &str) -> String {
    format_minor(minor, currency, Locale::En)
}

#[component]
fn OffersTable(rows: Vec<analytics::OfferRow>) -> impl IntoView {
    let empty = rows.is_empty();
    view! {
        <section class="mt-8" aria-labelledby="offers-heading">
            <h2 id="offers-heading" class="text-xl font-semibold">{text::OFFERS_HEADING}</h2>
            <p class="mt-1 text-sm text-slate-700">{text::OFFERS_NOTE}</p>
            <Show when=move || empty>
                <p class="mt-3 text-slate-700" data-testid="no-offers">{text::NOTHING_IN_PERIOD}</p>
            </Show>
            {(!empty).then(move || view! {
            <div class="mt-3 overflow-x-auto" tabindex="0">
                <table class="min-w-full border-collapse text-sm" data-testid="offers-table">
                    <thead>
                        <tr class="border-b border-slate-300 text-left">
                            {text::OFFER_COLUMNS.iter().map(|c| view! { <th scope="col" class="px-2 py-2 font-semibold">{*c}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let c = r.key.currency.clone();
                            view! {
                                <tr class="border-b border-slate-200" data-testid="offer-row" data-rule=r.key.rule_id.clone() data-kind=r.key.kind.clone()>
                                    <td class="px-2 py-2">{text::offer_kind(&r.key.kind)}</td>
                                    <td class="px-2 py-2">{r.key.rule_id.clone()}</td>
                                    <td class="px-2 py-2">{r.key.product_id.clone()}</td>
                                    <td class="px-2 py-2 text-right" data-testid="impressions">{r.impressions}</td>
                                    <td class="px-2 py-2 text-right" data-testid="accepts">{r.accepts}</td>
                                    <td class="px-2 py-2 text-right" data-testid="declines">{r.declines}</td>
                                    <td class="px-2 py-2 text-right" data-testid="suppressed">{r.suppressed}</td>
                                    <td class="px-2 py-2 text-right" data-testid="expiries">{r.expiries}</td>
                                    <td class="px-2 py-2 text-right" data-testid="conversion">{r.conversion().percent(1)}</td>
                                    <td class="px-2 py-2 text-right" data-testid="revenue">{money(r.revenue_minor, &c)}</td>
                                    <td class="px-2 py-2 text-right" data-testid="refunded">{money(r.refunded_minor, &c)}</td>
                                    <td class="px-2 py-2 text-right" data-testid="undone">{r.undone}</td>
                                    <td class="px-2 py-2 text-right font-semibold" data-testid="net">{money(r.net_revenue_minor(), &c)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            })}
        </section>
    }
}

#[component]
fn PlanChangesTable(rows: Vec<analytics::PlanChangeRow>) -> impl IntoView {
    let empty = rows.is_empty();
    view! {
        <section class="mt-8" aria-labelledby="plans-heading">
            <h2 id="plans-heading" class="text-xl font-semibold">{text::PLAN_CHANGES_HEADING}</h2>
            <Show when=move || empty>
                <p class="mt-3 text-slate-700">{text::NOTHING_IN_PERIOD}</p>
            </Show>
            {(!empty).then(move || view! {
            <div class="mt-3 overflow-x-auto" tabindex="0">
                <table class="min-w-full border-collapse text-sm" data-testid="plan-changes-table">
                    <thead>
                        <tr class="border-b border-slate-300 text-left">
                            {text::PLAN_CHANGE_COLUMNS.iter().map(|c| view! { <th scope="col" class="px-2 py-2 font-semibold">{*c}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let c = r.currency.clone();
                            view! {
                                <tr class="border-b border-slate-200" data-testid="plan-change-row" data-direction=r.direction.as_str()>
                                    <td class="px-2 py-2">{r.direction.as_str()}</td>
                                    <td class="px-2 py-2 text-right">{r.confirmed}</td>
                                    <td class="px-2 py-2 text-right">{r.succeeded}</td>
                                    <td class="px-2 py-2 text-right">{money(r.charged_net_minor(), &c)}</td>
                                    <td class="px-2 py-2 text-right">{money(r.recurring_change_minor, &c)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            })}
        </section>
    }
}
