//! `/customers`: list, create, retrieve, saved payment methods, customer portal link.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, DodoJson, DodoPath, DodoQuery};
use crate::state::SandboxState;

pub async fn list(State(state): State<SandboxState>, q: DodoQuery) -> ApiResult<Json<Value>> {
    let page = q.page()?;
    let email = q.str("email").map(str::to_owned);
    // Dodo: "partial match, case-insensitive".
    let name = q.str("name").map(str::to_lowercase);
    let gte = q.date_time("created_at_gte")?;
    let lte = q.date_time("created_at_lte")?;
    let items = state.with_store(|s| {
        let mut customers: Vec<_> = s
            .customers
            .values()
            .filter(|c| {
                email
                    .as_ref()
                    .is_none_or(|e| c.email.eq_ignore_ascii_case(e))
            })
            .filter(|c| {
                name.as_ref()
                    .is_none_or(|n| c.name.to_lowercase().contains(n))
            })
            .filter(|c| gte.is_none_or(|t| c.created_at >= t))
            .filter(|c| lte.is_none_or(|t| c.created_at <= t))
            .collect();
        // Newest first, like Dodo's lists.
        customers.sort_by_key(|c| std::cmp::Reverse(c.seq));
        extract::paginate(customers, page)
            .into_iter()
            .map(|c| s.render_customer(c))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
pub struct CreateCustomer {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    metadata: Option<Value>,
}

/// Dodo matches customers by e-mail: creating one with a known e-mail returns that customer.
pub async fn create(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<CreateCustomer>,
) -> ApiResult<Json<Value>> {
    let email = body
        .email
        .filter(|e| e.contains('@'))
        .ok_or_else(|| ApiError::invalid_body("email is required and must be an e-mail address"))?;
    let name = body
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::invalid_body("name is required"))?;
    let metadata = extract::metadata(body.metadata)?.unwrap_or_default();
    let customer = state.with_store(|s| {
        let existing = s
            .customers
            .values()
            .find(|c| c.email.eq_ignore_ascii_case(&email))
            .map(|c| c.id.clone());
        let id = existing.unwrap_or_else(|| {
            s.create_customer(&email, &name, body.phone_number.as_deref(), metadata)
        });
        s.customers.get(&id).map(|c| s.render_customer(c))
    });
    customer
        .map(Json)
        .ok_or_else(|| ApiError::invalid_params("customer could not be created"))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let c = s.customer(&id)?;
        Ok(Json(s.render_customer(c)))
    })
}

pub async fn payment_methods(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        s.customer(&id)?;
        let mut methods: Vec<_> = s
            .payment_methods
            .values()
            .filter(|pm| pm.customer_id == id)
            .collect();
        methods.sort_by_key(|pm| pm.seq);
        let items: Vec<Value> = methods
            .into_iter()
            .map(|pm| s.render_payment_method(pm))
            .collect();
        Ok(Json(json!({ "items": items })))
    })
}

pub async fn delete_payment_method(
    State(state): State<SandboxState>,
    DodoPath((id, pm)): DodoPath<(String, String)>,
) -> ApiResult<StatusCode> {
    state.with_store(|s| {
        s.customer(&id)?;
        let owned = s
            .payment_methods
            .get(&pm)
            .is_some_and(|m| m.customer_id == id);
        if !owned {
            return Err(ApiError::not_found("Payment method", &pm));
        }
        s.payment_methods.remove(&pm);
        // Subscriptions charging it keep renewing only with another method.
        for sub in s.subscriptions.values_mut() {
            if sub.payment_method_id.as_deref() == Some(pm.as_str()) {
                sub.payment_method_id = None;
            }
        }
        Ok(StatusCode::NO_CONTENT)
    })
}

pub async fn portal_session(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    q: DodoQuery,
) -> ApiResult<Json<Value>> {
    q.bool("send_email")?;
    // Dodo's `return_url` query parameter: the portal's "Return to {business}" button.
    let return_url =
        super::checkouts::check_url(q.str("return_url").map(str::to_owned), "return_url")?;
    state.with_store(|s| {
        s.customer(&id)?;
        let mut link = s.link(&format!("/sandbox/portal/{id}"));
        if let Some(url) = return_url {
            link = super::hosted::with_params(&link, &[("return_url", &url)]);
        }
        Ok(Json(json!({ "link": link })))
    })
}
