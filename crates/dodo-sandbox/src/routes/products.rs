//! `/products`: list (filters `archived`, `recurring`, `brand_id`) and retrieve.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::{self, DodoPath, DodoQuery};
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
