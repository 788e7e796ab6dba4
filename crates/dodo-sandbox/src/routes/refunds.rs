//! `/refunds`: create (money back for a succeeded payment), list with filters, retrieve.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, DodoPath, DodoQuery, RequiredJson};
use crate::refunds::{RefundItem, RefundRequest};
use crate::state::SandboxState;

/// Dodo's `RefundStatus` values (the `status` filter accepts only these).
pub const REFUND_STATUSES: [&str; 4] = ["succeeded", "failed", "pending", "review"];

#[derive(Deserialize)]
pub struct CreateRefund {
    #[serde(default)]
    payment_id: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    items: Option<Vec<ItemReq>>,
    #[serde(default)]
    metadata: Option<Value>,
}

#[derive(Deserialize)]
pub struct ItemReq {
    #[serde(default)]
    item_id: Option<String>,
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    #[allow(dead_code)] // accepted as Dodo takes it; taxes are not modelled
    tax_inclusive: Option<bool>,
}

/// Reads a `CreateRefundRequest` body (also used by the control API).
pub fn refund_request(body: CreateRefund) -> ApiResult<RefundRequest> {
    let payment_id = body
        .payment_id
        .ok_or_else(|| ApiError::invalid_body("payment_id is required"))?;
    let items = body
        .items
        .map(|items| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    Ok(RefundItem {
                        item_id: item.item_id.ok_or_else(|| {
                            ApiError::invalid_body(format!("items[{i}].item_id is required"))
                        })?,
                        amount: item.amount,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .transpose()?;
    Ok(RefundRequest {
        payment_id,
        reason: body.reason,
        items,
        metadata: extract::metadata(body.metadata)?.unwrap_or_default(),
    })
}

pub async fn create(
    State(state): State<SandboxState>,
    RequiredJson(body): RequiredJson<CreateRefund>,
) -> ApiResult<Json<Value>> {
    let req = refund_request(body)?;
    let (id, rendered) = state.with_store(|s| -> ApiResult<_> {
        let id = s.create_refund(&req, true)?;
        let r = s.refund(&id)?;
        Ok((id, s.render_refund(r)))
    })?;
    state.settle_refund_later(id);
    Ok(Json(rendered))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let r = s.refund(&id)?;
        Ok(Json(s.render_refund(r)))
    })
}

/// Filters as Dodo's spec lists them: `customer_id`, `subscription_id`, `status`,
/// `created_at_gte/lte`, paging. (There is no `payment_id` filter: a payment's own
/// `refunds` array lists its refunds.)
pub async fn list(State(state): State<SandboxState>, q: DodoQuery) -> ApiResult<Json<Value>> {
    let page = q.page()?;
    let status = q.one_of("status", &REFUND_STATUSES)?.map(str::to_owned);
    let customer = q.str("customer_id").map(str::to_owned);
    let subscription = q.str("subscription_id").map(str::to_owned);
    let gte = q.date_time("created_at_gte")?;
    let lte = q.date_time("created_at_lte")?;
    let items = state.with_store(|s| {
        let mut refunds: Vec<_> = s
            .refunds
            .values()
            .filter(|r| customer.as_ref().is_none_or(|c| *c == r.customer_id))
            .filter(|r| {
                subscription.as_ref().is_none_or(|sub| {
                    s.payments
                        .get(&r.payment_id)
                        .is_some_and(|p| p.subscription_id.as_ref() == Some(sub))
                })
            })
            .filter(|r| status.as_ref().is_none_or(|st| st == r.status.as_str()))
            .filter(|r| gte.is_none_or(|t| r.created_at >= t))
            .filter(|r| lte.is_none_or(|t| r.created_at <= t))
            .collect();
        refunds.sort_by_key(|r| std::cmp::Reverse(r.seq));
        extract::paginate(refunds, page)
            .into_iter()
            .map(|r| s.render_refund_list_item(r))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "items": items })))
}
