//! `/merchant/check`: "check against Dodo" — the payments Dodo holds with our metadata for a
//! period next to what our store recorded, and every difference. A POST (with the CSRF token):
//! it reads every payment and refund of the period from Dodo, which is not a link to follow.

use super::dashboard::{FilterQuery, day};
use super::layout::{MerchantLayout, document};
use super::text;
use crate::components::buttons::PRIMARY_INLINE;
use crate::i18n::Locale;
use crate::money::format_minor;
use crate::server::dodo_check::compare::{Difference, Ours, Theirs};
use crate::server::dodo_check::{CheckReport, check};
use crate::server::merchant_auth::SignedInMerchant;
use crate::server::merchant_auth::csrf::hidden_field;
use crate::server::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    csrf_token: String,
    from: Option<String>,
    to: Option<String>,
}

pub async fn form_page(merchant: SignedInMerchant) -> Response {
    let now = crate::server::store::now_millis();
    render(merchant, Some(today(now)), None, StatusCode::OK)
}

pub async fn run(
    State(state): State<AppState>,
    merchant: SignedInMerchant,
    Form(form): Form<CheckForm>,
) -> Response {
    if merchant.verify_csrf(&form.csrf_token).await.is_err() {
        return super::handlers::forbidden();
    }
    let exact = |v: &Option<String>| {
        v.as_deref().map(|v| {
            local_time_ms(v)
                .map(|ms| ms.to_string())
                .unwrap_or_else(|| v.to_owned())
        })
    };
    let query = FilterQuery {
        from: exact(&form.from),
        to: exact(&form.to),
        ..FilterQuery::default()
    };
    let filter = match query.filter() {
        Ok(f) => f,
        Err(problem) => {
            let shown = FilterQuery {
                from: form.from,
                to: form.to,
                ..FilterQuery::default()
            };
            return render(
                merchant,
                Some(shown),
                Some(Err(problem)),
                StatusCode::BAD_REQUEST,
            );
        }
    };
    let outcome = check(&state, filter.from_ms, filter.to_ms)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "check against Dodo failed");
            format!("{}: {e}", text::CHECK_FAILED)
        });
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::BAD_GATEWAY
    };
    let shown = FilterQuery {
        from: Some(local_time(filter.from_ms)),
        to: Some(local_time(filter.to_ms)),
        ..FilterQuery::default()
    };
    render(merchant, Some(shown), Some(outcome), status)
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM` or `…:SS`), read as UTC, in unix ms; `None`
/// when it is not one (a date or unix ms, which the filter's parser reads).
pub fn local_time_ms(value: &str) -> Option<i64> {
    let value = value.trim();
    let with_seconds =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let without = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let at = time::PrimitiveDateTime::parse(value, with_seconds)
        .or_else(|_| time::PrimitiveDateTime::parse(value, without))
        .ok()?;
    Some((at.assume_utc().unix_timestamp_nanos() / 1_000_000) as i64)
}

/// Unix ms as a `datetime-local` value (UTC, to the second).
pub fn local_time(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// Today from midnight to now (UTC), the form's first period.
fn today(now_ms: i64) -> FilterQuery {
    FilterQuery {
        from: Some(local_time(now_ms.div_euclid(86_400_000) * 86_400_000)),
        to: Some(local_time(now_ms + 1000)),
        ..FilterQuery::default()
    }
}

fn render(
    merchant: SignedInMerchant,
    query: Option<FilterQuery>,
    outcome: Option<Result<CheckReport, String>>,
    status: StatusCode,
) -> Response {
    let query = query.unwrap_or_default();
    let csrf = merchant.csrf.clone();
    let html = document(
        text::CHECK_TITLE,
        view! {
            <MerchantLayout email=merchant.user.email csrf=merchant.csrf>
                <h1 class="text-2xl font-bold">{text::CHECK_TITLE}</h1>
                <p class="mt-1 text-slate-700">{text::CHECK_INTRO}</p>
                <form method="post" action="/merchant/check" class="mt-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
                    {hidden_field(&csrf)}
                    <label class="flex flex-col text-sm font-medium">
                        {text::CHECK_FROM}
                        <input type="datetime-local" step="1" name="from" data-testid="check-from" value=query.from.clone().unwrap_or_default() class="mt-1 rounded border border-slate-300 px-2 py-1"/>
                    </label>
                    <label class="flex flex-col text-sm font-medium">
                        {text::CHECK_TO}
                        <input type="datetime-local" step="1" name="to" data-testid="check-to" value=query.to.clone().unwrap_or_default() class="mt-1 rounded border border-slate-300 px-2 py-1"/>
                    </label>
                    <button type="submit" class=PRIMARY_INLINE data-testid="run-check">{text::RUN_CHECK}</button>
                </form>
                {outcome.map(|o| match o {
                    Err(problem) => view! {
                        <p role="alert" data-testid="check-error" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 p-3 text-rose-900">{problem}</p>
                    }.into_any(),
                    Ok(report) => report_view(report).into_any(),
                })}
            </MerchantLayout>
        },
    );
    (status, Html(html)).into_response()
}

fn report_view(report: CheckReport) -> impl IntoView {
    let summary = format!(
        "{} – {} (UTC): {} {}, {} {}.",
        day(report.from),
        day(report.to - 1),
        report.ours_count,
        text::CHECK_OURS,
        report.theirs_count,
        text::CHECK_THEIRS
    );
    let none = report.differences.is_empty();
    view! {
        <section class="mt-6" aria-live="polite">
            <p class="text-slate-700" data-testid="check-summary">{summary}</p>
            <Show when=move || none>
                <p class="mt-3 rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-emerald-900" data-testid="check-clean">{text::CHECK_CLEAN}</p>
            </Show>
            <ul class="mt-3 grid gap-2">
                {report.differences.into_iter().map(|d| view! {
                    <li class="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="check-difference" data-kind=kind(&d)>
                        {describe(&d)}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn kind(d: &Difference) -> &'static str {
    match d {
        Difference::OnlyAtDodo(_) => "only-at-dodo",
        Difference::OnlyHere(_) => "only-here",
        Difference::OtherAmount { .. } => "other-amount",
        Difference::OtherStatus { .. } => "other-status",
        Difference::OtherRefunds { .. } => "other-refunds",
    }
}

fn money(minor: i64, currency: &str) -> String {
    format_minor(minor, currency, Locale::En)
}

fn theirs_line(t: &Theirs) -> String {
    format!(
        "{} ({}, {}, attempt {})",
        t.payment_id,
        money(t.amount_minor, &t.currency),
        t.standing.label(),
        t.attempt_id
    )
}

fn ours_line(o: &Ours) -> String {
    format!(
        "attempt {} ({}, {}{})",
        o.attempt_id,
        money(o.amount_minor, &o.currency),
        o.standing.label(),
        o.payment_id
            .as_deref()
            .map(|p| format!(", payment {p}"))
            .unwrap_or_default()
    )
}

/// One difference in a sentence a merchant can act on.
fn describe(d: &Difference) -> String {
    match d {
        Difference::OnlyAtDodo(t) => format!("{} {}", text::DIFF_ONLY_AT_DODO, theirs_line(t)),
        Difference::OnlyHere(o) => format!("{} {}", text::DIFF_ONLY_HERE, ours_line(o)),
        Difference::OtherAmount { ours, theirs } => format!(
            "{} {}: {} {}, {} {}",
            text::DIFF_OTHER_AMOUNT,
            theirs.payment_id,
            text::HERE,
            money(ours.amount_minor, &ours.currency),
            text::AT_DODO,
            money(theirs.amount_minor, &theirs.currency)
        ),
        Difference::OtherStatus { ours, theirs } => format!(
            "{} {}: {} {}, {} {}",
            text::DIFF_OTHER_STATUS,
            theirs.payment_id,
            text::HERE,
            ours.standing.label(),
            text::AT_DODO,
            theirs.standing.label()
        ),
        Difference::OtherRefunds { ours, theirs } => format!(
            "{} {}: {} {}, {} {}",
            text::DIFF_OTHER_REFUNDS,
            theirs.payment_id,
            text::HERE,
            money(ours.refunded_minor, &ours.currency),
            text::AT_DODO,
            money(theirs.refunded_minor, &theirs.currency)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_local_values_are_utc_instants() {
        assert_eq!(local_time_ms("2026-12-01T10:00"), Some(1_796_119_200_000));
        assert_eq!(
            local_time_ms("2026-12-01T10:00:05"),
            Some(1_796_119_205_000)
        );
        assert_eq!(local_time_ms("2026-12-01"), None);
        assert_eq!(local_time_ms("1764583200000"), None);
        assert_eq!(local_time(1_796_119_205_000), "2026-12-01T10:00:05");
    }
}
