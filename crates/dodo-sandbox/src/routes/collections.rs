//! `/product-collections`: Dodo's plan families with their plan-change defaults.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, DodoPath, DodoQuery};
use crate::state::SandboxState;

pub async fn list(State(state): State<SandboxState>, q: DodoQuery) -> ApiResult<Json<Value>> {
    let page = q.page()?;
    // The sandbox has no archived collections: `archived=true` lists nothing.
    let archived = q.bool("archived")?.unwrap_or(false);
    let items = state.with_store(|s| {
        if archived {
            return Vec::new();
        }
        let mut collections: Vec<_> = s.collections.values().collect();
        collections.sort_by_key(|c| c.seq);
        extract::paginate(collections, page)
            .into_iter()
            .map(|c| s.render_collection_list_item(c))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "items": items })))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let c = s
            .collections
            .get(&id)
            .ok_or_else(|| ApiError::not_found("Product collection", &id))?;
        Ok(Json(s.render_collection(c)))
    })
}
