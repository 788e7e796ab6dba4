//! `/subscriptions`: list, retrieve, update (cancel), plan changes, update-payment-method.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, DodoJson, DodoPath, DodoQuery, RequiredJson};
use crate::fixtures::ON_PAYMENT_FAILURE;
use crate::model::SubStatus;
use crate::plan_change::ChangeRequest;
use crate::proration::Mode;
use crate::state::SandboxState;
use crate::store::ObjectRef;

use super::checkouts::check_url;

/// Dodo's `SubscriptionStatus` values (spec 1.113.0): the `status` filter refuses others.
pub const SUBSCRIPTION_STATUSES: [&str; 7] = [
    "pending",
    "active",
    "on_hold",
    "paused",
    "cancelled",
    "failed",
    "expired",
];

pub async fn list(State(state): State<SandboxState>, q: DodoQuery) -> ApiResult<Json<Value>> {
    let page = q.page()?;
    let customer = q.str("customer_id").map(str::to_owned);
    let status = q
        .one_of("status", &SUBSCRIPTION_STATUSES)?
        .map(str::to_owned);
    let gte = q.date_time("created_at_gte")?;
    let lte = q.date_time("created_at_lte")?;
    let cancelling = q.bool("cancel_at_next_billing_date")?;
    let product = q.str("product_id").map(str::to_owned);
    let brand = q.str("brand_id").map(str::to_owned);
    let items = state.with_store(|s| {
        if brand.as_ref().is_some_and(|b| *b != s.business.brand_id) {
            return Vec::new();
        }
        let mut subs: Vec<_> = s
            .subscriptions
            .values()
            .filter(|sub| customer.as_ref().is_none_or(|c| *c == sub.customer_id))
            .filter(|sub| status.as_ref().is_none_or(|st| st == sub.status.as_str()))
            .filter(|sub| gte.is_none_or(|t| sub.created_at >= t))
            .filter(|sub| lte.is_none_or(|t| sub.created_at <= t))
            .filter(|sub| cancelling.is_none_or(|c| sub.cancel_at_next_billing_date == c))
            .filter(|sub| product.as_ref().is_none_or(|p| *p == sub.product_id))
            .collect();
        subs.sort_by_key(|sub| std::cmp::Reverse(sub.seq));
        extract::paginate(subs, page)
            .into_iter()
            .map(|sub| s.render_subscription(sub))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "items": items })))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let sub = s.subscription(&id)?;
        Ok(Json(s.render_subscription(sub)))
    })
}

#[derive(Deserialize)]
#[allow(dead_code)] // several fields are only type-checked (see below)
pub struct UpdateSubscription {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    cancel_at_next_billing_date: Option<bool>,
    #[serde(default)]
    metadata: Option<Value>,
    // Dodo's other `PatchSubscriptionRequest` fields: type-checked like Dodo would, then
    // `billing` and `next_billing_date` are applied and the rest accepted without effect.
    #[serde(default)]
    billing: Option<extract::BillingReq>,
    #[serde(default)]
    next_billing_date: Option<String>,
    #[serde(default)]
    cancel_reason: Option<String>,
    #[serde(default)]
    cancellation_feedback: Option<String>,
    #[serde(default)]
    cancellation_comment: Option<String>,
    #[serde(default)]
    customer_business_name: Option<String>,
    #[serde(default)]
    customer_name: Option<String>,
    #[serde(default)]
    tax_id: Option<String>,
    #[serde(default)]
    pause: Option<bool>,
    #[serde(default)]
    subscription_period_count: Option<i32>,
    #[serde(default)]
    subscription_period_interval: Option<crate::clock::Interval>,
    #[serde(default)]
    credit_entitlement_cart: Option<Vec<Value>>,
    #[serde(default)]
    disable_on_demand: Option<DisableOnDemand>,
}

#[derive(Deserialize)]
struct DisableOnDemand {
    #[allow(dead_code)] // type-checked only: on-demand subscriptions are not modelled
    next_billing_date: String,
}

const CANCEL_REASONS: [&str; 4] = [
    "cancelled_by_customer",
    "cancelled_by_merchant",
    "cancelled_by_merchant_send_dunning",
    "dodo_team",
];
const CANCELLATION_FEEDBACK: [&str; 8] = [
    "too_expensive",
    "missing_features",
    "switched_service",
    "unused",
    "customer_service",
    "low_quality",
    "too_complex",
    "other",
];

fn check_patch(body: &UpdateSubscription) -> ApiResult<Option<time::OffsetDateTime>> {
    let bad = |field: &str, expected: &str| {
        Err(ApiError::invalid_body(format!(
            "{field} must be {expected}"
        )))
    };
    if body
        .status
        .as_ref()
        .is_some_and(|s| !SUBSCRIPTION_STATUSES.contains(&s.as_str()))
    {
        return bad("status", "a subscription status");
    }
    if body
        .cancel_reason
        .as_ref()
        .is_some_and(|r| !CANCEL_REASONS.contains(&r.as_str()))
    {
        return bad("cancel_reason", "one of Dodo's cancel reasons");
    }
    if body
        .cancellation_feedback
        .as_ref()
        .is_some_and(|r| !CANCELLATION_FEEDBACK.contains(&r.as_str()))
    {
        return bad("cancellation_feedback", "one of Dodo's feedback values");
    }
    if body
        .credit_entitlement_cart
        .as_ref()
        .is_some_and(|c| !c.is_empty())
    {
        return Err(ApiError::invalid_params(
            "credit_entitlement_cart names credit entitlements the sandbox does not have",
        ));
    }
    if body.pause.is_some() {
        return Err(ApiError::invalid_params(
            "pausing is not modelled by the sandbox",
        ));
    }
    if let Some(d) = &body.disable_on_demand
        && time::OffsetDateTime::parse(
            &d.next_billing_date,
            &time::format_description::well_known::Rfc3339,
        )
        .is_err()
    {
        return bad(
            "disable_on_demand.next_billing_date",
            "an RFC 3339 date-time",
        );
    }
    body.next_billing_date
        .as_ref()
        .map(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).map_err(
                |_| ApiError::invalid_body("next_billing_date must be an RFC 3339 date-time"),
            )
        })
        .transpose()
}

/// `PATCH /subscriptions/{id}`: `status: "cancelled"` cancels now;
/// `cancel_at_next_billing_date` cancels at the next renewal; `metadata` replaces it.
pub async fn update(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    RequiredJson(body): RequiredJson<UpdateSubscription>,
) -> ApiResult<Json<Value>> {
    let next_billing_date = check_patch(&body)?;
    let billing = body
        .billing
        .clone()
        .map(|b| extract::billing(b, "billing"))
        .transpose()?;
    let metadata = extract::metadata(body.metadata)?;
    let (json, events) = state.with_store(|s| -> ApiResult<_> {
        s.subscription(&id)?;
        let now = s.now();
        let mut events = Vec::new();
        let Some(sub) = s.subscriptions.get_mut(&id) else {
            return Err(ApiError::not_found("Subscription", &id));
        };
        match body.status.as_deref() {
            None => {}
            Some("cancelled") if sub.status != SubStatus::Cancelled => {
                sub.status = SubStatus::Cancelled;
                sub.cancelled_at = Some(now);
                events.push("subscription.cancelled");
            }
            Some("cancelled") => {}
            Some(other) => {
                return Err(ApiError::invalid_params(format!(
                    "status can only be set to cancelled, not {other:?}"
                )));
            }
        }
        if let Some(flag) = body.cancel_at_next_billing_date {
            sub.cancel_at_next_billing_date = flag;
            events.push("subscription.updated");
        }
        if let Some(m) = metadata {
            sub.metadata = m;
            events.push("subscription.updated");
        }
        if let Some(b) = billing {
            sub.billing = b;
            events.push("subscription.updated");
        }
        if let Some(at) = next_billing_date {
            if at <= now {
                return Err(ApiError::invalid_params(
                    "next_billing_date must be in the future",
                ));
            }
            sub.next_billing_date = at;
            events.push("subscription.updated");
        }
        events.dedup();
        let events = events
            .into_iter()
            .map(|e| s.event(e, ObjectRef::Subscription(id.clone())))
            .collect::<Vec<_>>();
        let rendered = s.subscription(&id).map(|sub| s.render_subscription(sub))?;
        Ok((rendered, events))
    })?;
    state.emit(events);
    Ok(Json(json))
}

#[derive(Deserialize)]
pub struct ChangePlanBody {
    #[serde(default)]
    product_id: Option<String>,
    #[serde(default)]
    quantity: Option<i64>,
    #[serde(default)]
    proration_billing_mode: Option<String>,
    #[serde(default)]
    effective_at: Option<String>,
    #[serde(default)]
    on_payment_failure: Option<String>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default)]
    addons: Option<Vec<Value>>,
}

fn change_request(body: ChangePlanBody) -> ApiResult<ChangeRequest> {
    let product_id = body
        .product_id
        .ok_or_else(|| ApiError::invalid_body("product_id is required"))?;
    let quantity = body
        .quantity
        .ok_or_else(|| ApiError::invalid_body("quantity is required"))?;
    let mode_name = body
        .proration_billing_mode
        .ok_or_else(|| ApiError::invalid_body("proration_billing_mode is required"))?;
    let mode = Mode::parse(&mode_name).ok_or_else(|| {
        ApiError::invalid_params(format!(
            "unknown proration_billing_mode {mode_name:?}; expected one of {:?}",
            crate::fixtures::PRORATION_MODES
        ))
    })?;
    let scheduled = match body.effective_at.as_deref() {
        None | Some("immediately") => false,
        Some("next_billing_date") => true,
        Some(other) => {
            return Err(ApiError::invalid_params(format!(
                "effective_at must be immediately or next_billing_date, not {other:?}"
            )));
        }
    };
    if let Some(f) = &body.on_payment_failure
        && !ON_PAYMENT_FAILURE.contains(&f.as_str())
    {
        return Err(ApiError::invalid_params(format!(
            "on_payment_failure must be prevent_change or apply_change, not {f:?}"
        )));
    }
    if body.addons.as_ref().is_some_and(|a| !a.is_empty()) {
        return Err(ApiError::invalid_params(
            "the sandbox products have no addons",
        ));
    }
    Ok(ChangeRequest {
        product_id,
        quantity,
        mode,
        scheduled,
        on_payment_failure: body.on_payment_failure,
        metadata: extract::metadata(body.metadata)?,
    })
}

pub async fn preview_change_plan(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    DodoJson(body): DodoJson<ChangePlanBody>,
) -> ApiResult<Json<Value>> {
    let req = change_request(body)?;
    state.with_store(|s| s.preview_change(&id, &req)).map(Json)
}

/// Answers `{}`-style JSON (all handles null): the Rust SDK fails on an empty body. The
/// charge, if any, is found with `GET /payments?subscription_id=…` or webhooks.
pub async fn change_plan(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    DodoJson(body): DodoJson<ChangePlanBody>,
) -> ApiResult<Json<Value>> {
    let req = change_request(body)?;
    let outcome = state.with_store(|s| s.change_plan(&id, &req))?;
    state.emit(outcome.events);
    if let Some(payment_id) = outcome.settle {
        state.settle_later(payment_id);
    }
    Ok(Json(json!({
        "client_secret": null,
        "expires_on": null,
        "payment_id": null,
        "payment_link": null,
    })))
}

pub async fn cancel_scheduled_change(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<StatusCode> {
    let events = state.with_store(|s| s.cancel_scheduled_change(&id))?;
    state.emit(events);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct UpdatePaymentMethodBody {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    payment_method_id: Option<String>,
    #[serde(default)]
    return_url: Option<String>,
    #[serde(default)]
    allowed_payment_method_types: Option<Vec<String>>,
}

pub async fn update_payment_method(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    DodoJson(body): DodoJson<UpdatePaymentMethodBody>,
) -> ApiResult<Json<Value>> {
    let return_url = check_url(body.return_url, "return_url")?;
    extract::allowed_types(&body.allowed_payment_method_types)?;
    let outcome = match body.kind.as_deref() {
        Some("existing") => {
            let pm = body.payment_method_id.ok_or_else(|| {
                ApiError::invalid_body("payment_method_id is required with type existing")
            })?;
            state.with_store(|s| s.use_existing_method(&id, &pm))?
        }
        Some("new") => state.with_store(|s| s.collect_new_method(&id, return_url))?,
        Some(other) => {
            return Err(ApiError::invalid_body(format!(
                "type must be new or existing, not {other:?}"
            )));
        }
        None => return Err(ApiError::invalid_body("type is required (new or existing)")),
    };
    state.emit(outcome.events);
    if let Some(payment_id) = outcome.settle {
        state.settle_later(payment_id);
    }
    Ok(Json(outcome.response))
}
