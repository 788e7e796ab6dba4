//! `/_sandbox/*`: the control API for tests. No auth; never part of Dodo's surface.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::clock::fmt;
use crate::error::{ApiError, ApiResult};
use crate::extract::{DodoJson, DodoPath, DodoQuery};
use crate::faults::{FaultSpec, Latency, glob_match};
use crate::options::WebhookEndpoint;
use crate::state::{SandboxState, lock};
use crate::webhooks::WebhookConfig;

pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/reset", post(reset))
        .route("/business", get(business))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route(
            "/latency",
            get(get_latency).put(set_latency).delete(clear_latency),
        )
        .route(
            "/webhooks/deliveries",
            get(deliveries).delete(clear_deliveries),
        )
        .route(
            "/webhooks/config",
            get(get_webhook_config).put(set_webhook_config),
        )
        .route("/webhooks/flush", post(flush))
        .route("/webhooks/endpoints", get(endpoints).post(add_endpoint))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/payments", get(payments))
        .route("/subscriptions/{id}", get(subscription_state))
        .route("/subscriptions/{id}/hold", post(hold))
        .route("/refunds", post(dashboard_refund))
        .route("/refunds/fail-next", post(fail_next_refunds))
        .route("/settings", get(get_settings).put(set_settings))
}

#[derive(Deserialize)]
struct Hold {
    #[serde(default)]
    error_code: Option<String>,
}

/// The renewal due now fails: a failed `renewal` payment (`payment.failed`), the
/// subscription `on_hold` (`subscription.on_hold`) with those dues. Body optional:
/// `{"error_code": "INSUFFICIENT_FUNDS"}` (default `CARD_DECLINED`).
async fn hold(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    DodoJson(body): DodoJson<Hold>,
) -> ApiResult<Json<Value>> {
    let code = body
        .error_code
        .unwrap_or_else(|| "CARD_DECLINED".to_owned());
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return Err(ApiError::invalid_params(
            "error_code must be an upper-case Dodo failure code such as CARD_DECLINED",
        ));
    }
    let (events, rendered) = state.with_store(|s| -> ApiResult<_> {
        let events = s.fail_renewal_now(&id, &code)?;
        let sub = s.subscription(&id)?;
        Ok((events, s.render_subscription(sub)))
    })?;
    state.emit(events);
    Ok(Json(rendered))
}

#[derive(Deserialize)]
struct DashboardRefund {
    #[serde(flatten)]
    refund: super::refunds::CreateRefund,
    /// `succeeded` (default) or `failed`.
    #[serde(default)]
    outcome: Option<String>,
    /// `false`: no `refund.*` webhook is ever sent (a refund the app missed).
    #[serde(default)]
    notify: Option<bool>,
}

/// A refund made outside the app (as in Dodo's dashboard), settled at once: `{payment_id,
/// reason?, items?, outcome?, notify?}` → the `Refund`.
async fn dashboard_refund(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<DashboardRefund>,
) -> ApiResult<Json<Value>> {
    let outcome = match body.outcome.as_deref() {
        None | Some("succeeded") => crate::model::RefundStatus::Succeeded,
        Some("failed") => crate::model::RefundStatus::Failed,
        Some(other) => {
            return Err(ApiError::invalid_params(format!(
                "outcome must be succeeded or failed, not {other:?}"
            )));
        }
    };
    let req = super::refunds::refund_request(body.refund)?;
    let notify = body.notify.unwrap_or(true);
    let (events, rendered) = state.with_store(|s| -> ApiResult<_> {
        let (id, events) = s.dashboard_refund(&req, outcome, notify)?;
        let r = s.refund(&id)?;
        Ok((events, s.render_refund(r)))
    })?;
    state.emit(events);
    Ok(Json(rendered))
}

#[derive(Deserialize)]
struct FailNext {
    #[serde(default = "one")]
    count: u32,
}

fn one() -> u32 {
    1
}

/// The next `count` (default 1) `POST /refunds` end `failed` (`refund.failed`).
async fn fail_next_refunds(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<FailNext>,
) -> ApiResult<Json<Value>> {
    if body.count > 1000 {
        return Err(ApiError::invalid_params("count must be at most 1000"));
    }
    let pending = state.with_store(|s| {
        s.refunds_to_fail = body.count;
        s.refunds_to_fail
    });
    Ok(Json(json!({ "refunds_to_fail": pending })))
}

fn settings_json(state: &SandboxState) -> Value {
    state.with_store(|s| {
        json!({
            "prorated_immediately": if s.business.prorated_resets_cycle { "reset_cycle" } else { "keep_cycle" },
        })
    })
}

async fn get_settings(State(state): State<SandboxState>) -> Json<Value> {
    Json(settings_json(&state))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default)]
    prorated_immediately: Option<String>,
}

/// `{"prorated_immediately": "keep_cycle" | "reset_cycle"}`: how plain
/// `prorated_immediately` is read until the next reset (which restores the fixtures').
async fn set_settings(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<Settings>,
) -> ApiResult<Json<Value>> {
    if let Some(reading) = body.prorated_immediately {
        let resets = match reading.as_str() {
            "keep_cycle" => false,
            "reset_cycle" => true,
            other => {
                return Err(ApiError::invalid_params(format!(
                    "prorated_immediately must be keep_cycle or reset_cycle, not {other:?}"
                )));
            }
        };
        state.with_store(|s| s.business.prorated_resets_cycle = resets);
    }
    Ok(Json(settings_json(&state)))
}

async fn reset(State(state): State<SandboxState>) -> Json<Value> {
    state.reset();
    Json(json!({ "ok": true }))
}

async fn business(State(state): State<SandboxState>) -> Json<Value> {
    state.with_store(|s| {
        let d = &s.business.defaults;
        Json(json!({
            "business_id": s.business.business_id,
            "brand_id": s.business.brand_id,
            "name": s.business.name,
            "plan_change_defaults": {
                "proration_billing_mode": d.proration_billing_mode,
                "effective_at": d.effective_at,
                "on_payment_failure": d.on_payment_failure,
            }
        }))
    })
}

fn clock_json(state: &SandboxState) -> Value {
    state.with_store(|s| {
        json!({
            "now": fmt(s.now()),
            "offset_seconds": s.clock.offset().whole_seconds(),
        })
    })
}

async fn clock(State(state): State<SandboxState>) -> Json<Value> {
    Json(clock_json(&state))
}

#[derive(Deserialize)]
struct Advance {
    #[serde(default)]
    days: i64,
    #[serde(default)]
    hours: i64,
    #[serde(default)]
    minutes: i64,
    #[serde(default)]
    seconds: i64,
}

/// Moves the clock forward by the sum of the given units and runs due renewals.
async fn advance(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<Advance>,
) -> ApiResult<Json<Value>> {
    let total = body
        .days
        .checked_mul(86_400)
        .and_then(|d| body.hours.checked_mul(3_600).and_then(|h| d.checked_add(h)))
        .and_then(|t| body.minutes.checked_mul(60).and_then(|m| t.checked_add(m)))
        .and_then(|t| t.checked_add(body.seconds))
        .filter(|t| (0..=20 * 365 * 86_400).contains(t))
        .ok_or_else(|| ApiError::invalid_params("advance by 0 to 20 years, forward only"))?;
    state.advance_clock(time::Duration::seconds(total));
    Ok(Json(clock_json(&state)))
}

async fn list_faults(State(state): State<SandboxState>) -> Json<Value> {
    Json(json!({ "items": lock(&state.inner.faults).list() }))
}

async fn add_fault(
    State(state): State<SandboxState>,
    DodoJson(spec): DodoJson<FaultSpec>,
) -> ApiResult<Json<Value>> {
    if let Some(problem) = spec.problem() {
        return Err(ApiError::invalid_params(problem));
    }
    let id = lock(&state.inner.faults).add(spec);
    Ok(Json(json!({ "id": id })))
}

async fn clear_faults(State(state): State<SandboxState>) -> StatusCode {
    lock(&state.inner.faults).clear();
    StatusCode::NO_CONTENT
}

async fn get_latency(State(state): State<SandboxState>) -> Json<Value> {
    Json(json!({ "latency": lock(&state.inner.faults).latency }))
}

async fn set_latency(
    State(state): State<SandboxState>,
    DodoJson(latency): DodoJson<Latency>,
) -> ApiResult<Json<Value>> {
    if latency.max_ms > 60_000 {
        return Err(ApiError::invalid_params("max_ms must be at most 60000"));
    }
    lock(&state.inner.faults).latency = Some(latency);
    Ok(Json(json!({ "latency": latency })))
}

async fn clear_latency(State(state): State<SandboxState>) -> StatusCode {
    lock(&state.inner.faults).latency = None;
    StatusCode::NO_CONTENT
}

/// Filters: `event_type`, `status`, `object_id`.
async fn deliveries(State(state): State<SandboxState>, q: DodoQuery) -> Json<Value> {
    let items: Vec<_> = state
        .webhook_deliveries()
        .into_iter()
        .filter(|d| q.str("event_type").is_none_or(|t| t == d.event_type))
        .filter(|d| q.str("status").is_none_or(|s| s == d.status))
        .filter(|d| q.str("object_id").is_none_or(|o| o == d.object_id))
        .collect();
    Json(json!({ "items": items }))
}

async fn clear_deliveries(State(state): State<SandboxState>) -> StatusCode {
    state.inner.webhooks.clear_log();
    StatusCode::NO_CONTENT
}

async fn get_webhook_config(State(state): State<SandboxState>) -> Json<WebhookConfig> {
    Json(state.inner.webhooks.config())
}

async fn set_webhook_config(
    State(state): State<SandboxState>,
    DodoJson(config): DodoJson<WebhookConfig>,
) -> Json<WebhookConfig> {
    state.inner.webhooks.set_config(config);
    Json(config)
}

#[derive(Deserialize)]
struct Flush {
    #[serde(default)]
    reverse: bool,
}

async fn flush(State(state): State<SandboxState>, DodoJson(body): DodoJson<Flush>) -> Json<Value> {
    let released = state.inner.webhooks.flush(&state, body.reverse);
    Json(json!({ "released": released }))
}

async fn endpoints(State(state): State<SandboxState>) -> Json<Value> {
    let urls = state.inner.webhooks.endpoint_urls();
    Json(json!({ "items": urls.into_iter().map(|u| json!({ "url": u })).collect::<Vec<_>>() }))
}

#[derive(Deserialize)]
struct NewEndpoint {
    url: String,
    secret: String,
}

async fn add_endpoint(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<NewEndpoint>,
) -> ApiResult<Json<Value>> {
    if !(body.url.starts_with("http://") || body.url.starts_with("https://")) {
        return Err(ApiError::invalid_params(
            "url must be an absolute http(s) URL",
        ));
    }
    state
        .inner
        .webhooks
        .add_endpoint(&WebhookEndpoint {
            url: body.url.clone(),
            secret: body.secret,
        })
        .map_err(|e| ApiError::invalid_params(e.to_string()))?;
    Ok(Json(json!({ "url": body.url })))
}

/// Filters: `method`, `path` (glob with `*`).
async fn requests(State(state): State<SandboxState>, q: DodoQuery) -> Json<Value> {
    let items: Vec<_> = state
        .recorded_requests()
        .into_iter()
        .filter(|r| {
            q.str("method")
                .is_none_or(|m| m.eq_ignore_ascii_case(&r.method))
        })
        .filter(|r| q.str("path").is_none_or(|p| glob_match(p, &r.path)))
        .collect();
    Json(json!({ "items": items }))
}

async fn clear_requests(State(state): State<SandboxState>) -> StatusCode {
    lock(&state.inner.requests).clear();
    StatusCode::NO_CONTENT
}

/// Every payment (newest first) as Dodo's `Payment`, unpaged; filters `customer_id`,
/// `subscription_id`, `status`.
async fn payments(State(state): State<SandboxState>, q: DodoQuery) -> Json<Value> {
    let items = state.with_store(|s| {
        let mut list: Vec<_> = s
            .payments
            .values()
            .filter(|p| q.str("customer_id").is_none_or(|c| c == p.customer_id))
            .filter(|p| {
                q.str("subscription_id")
                    .is_none_or(|id| p.subscription_id.as_deref() == Some(id))
            })
            .filter(|p| q.str("status").is_none_or(|st| st == p.status.as_str()))
            .collect();
        list.sort_by_key(|p| std::cmp::Reverse(p.seq));
        list.into_iter()
            .map(|p| s.render_payment(p))
            .collect::<Vec<_>>()
    });
    Json(json!({ "items": items }))
}

/// What Dodo does not show: credit balance, pending plan-change payment, dues.
async fn subscription_state(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let sub = s.subscription(&id)?;
        Ok(Json(json!({
            "subscription": s.render_subscription(sub),
            "credit_balance": sub.credit_balance,
            "pending_change_payment_id": sub.pending_change_payment,
            "dues": sub.dues.as_ref().map(|d| json!({ "amount": d.amount, "renewal": d.renewal })),
        })))
    })
}
