//! `/products`: list (filters `archived`, `recurring`, `brand_id`) and retrieve.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use axum::http::StatusCode;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, DodoPath, DodoQuery, RequiredJson};
use crate::state::SandboxState;

pub async fn list(State(state): State<SandboxState>, q: DodoQuery) -> ApiResult<Json<Value>> {
    let page = q.page()?;
    let archived = q.bool("archived")?.unwrap_or(false);
    let recurring = q.bool("recurring")?;
    let brand = q.str("brand_id").map(str::to_owned);
    let items = state.with_store(|s| {
        if brand.as_ref().is_some_and(|b| *b != s.business.brand_id) {
            return Vec::new();
        }
        let mut products: Vec<_> = s
            .products
            .values()
            .filter(|p| p.archived == archived)
            .filter(|p| recurring.is_none_or(|r| p.recurring.is_some() == r))
            .collect();
        // Fixture order, so a catalogue reads the way the merchant wrote it.
        products.sort_by_key(|p| p.seq);
        extract::paginate(products, page)
            .into_iter()
            .map(|p| s.render_product_list_item(p))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "items": items })))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let p = s.product(&id)?;
        Ok(Json(s.render_product(p)))
    })
}

/// `GET /products/{id}/translations` (Rust SDK 1.127: `products().translations().list()`):
/// `{"items":[{locale, name, description, updated_at}]}`, in locale order; `[]` when the
/// product has none. (Dodo has no single-locale GET; `PUT`/`DELETE` with a locale exist.)
pub async fn translations(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let p = s.product(&id)?;
        let items: Vec<Value> = p
            .translations
            .iter()
            .map(|(locale, t)| s.render_translation(locale, t))
            .collect();
        Ok(Json(json!({ "items": items })))
    })
}

#[derive(Deserialize)]
pub struct PatchProduct {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    price: Option<Value>,
    #[serde(default)]
    metadata: Option<Value>,
}

/// `PATCH /products/{id}` (Dodo's `PatchProductRequest`): `name`, `description`,
/// `metadata` and `price` (a whole `Price` object of the product's kind; the sandbox takes
/// its `price`, `currency` and `discount`). Answers 200 with an empty body, as Dodo does.
/// Open checkouts and payments keep the amount they were created with.
pub async fn update(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
    RequiredJson(body): RequiredJson<PatchProduct>,
) -> ApiResult<StatusCode> {
    let metadata = extract::metadata(body.metadata)?;
    let price = body.price.map(price_update).transpose()?;
    if body.name.as_ref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid_params("name must not be empty"));
    }
    if body
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 1000)
    {
        return Err(ApiError::invalid_params(
            "description must be at most 1000 characters",
        ));
    }
    state.with_store(|s| {
        let now = s.now();
        let p = s
            .products
            .get_mut(&id)
            .ok_or_else(|| ApiError::not_found("Product", &id))?;
        if let Some((kind, amount, currency, discount)) = &price {
            let expected = if p.recurring.is_some() {
                "recurring_price"
            } else {
                "one_time_price"
            };
            if kind != expected {
                return Err(ApiError::invalid_params(format!(
                    "product {id} takes a {expected}, not a {kind}"
                )));
            }
            p.price = *amount;
            p.currency = currency.clone();
            p.discount = *discount;
        }
        if let Some(name) = body.name {
            p.name = name;
        }
        if let Some(description) = body.description {
            p.description = Some(description);
        }
        if let Some(m) = metadata {
            p.metadata = m;
        }
        p.updated_at = now;
        Ok(StatusCode::OK)
    })
}

/// (type, price, currency, discount) of a `Price` object.
fn price_update(value: Value) -> ApiResult<(String, i64, String, i64)> {
    let field = |k: &str| value.get(k).filter(|v| !v.is_null());
    let kind = field("type")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::invalid_body("price.type is required"))?
        .to_owned();
    if !["one_time_price", "recurring_price", "usage_based_price"].contains(&kind.as_str()) {
        return Err(ApiError::invalid_body(format!(
            "price.type {kind:?} is not a Dodo price type"
        )));
    }
    let amount = field("price")
        .and_then(Value::as_i64)
        .filter(|p| (0..=i64::from(i32::MAX)).contains(p))
        .ok_or_else(|| ApiError::invalid_body("price.price must be a non-negative integer"))?;
    let currency = field("currency")
        .and_then(Value::as_str)
        .filter(|c| crate::fixtures::is_currency(c))
        .ok_or_else(|| ApiError::invalid_body("price.currency must be an ISO 4217 code"))?
        .to_owned();
    let discount = match field("discount") {
        None => 0,
        Some(d) => d
            .as_i64()
            .filter(|d| (0..=100).contains(d))
            .ok_or_else(|| ApiError::invalid_body("price.discount must be 0-100"))?,
    };
    Ok((kind, amount, currency, discount))
}
