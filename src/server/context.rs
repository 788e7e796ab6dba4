//! Builds the [`RequestContext`] of a request, once, from its parts and the configuration.

use super::locale::{PreferredLocale, locale_for};
use super::request::{query_has, without_params};
use super::state::AppState;
use crate::context::RequestContext;
use axum::http::request::Parts;
use leptos::prelude::{provide_context, use_context};

pub fn build(state: &AppState, parts: &Parts) -> RequestContext {
    let query = parts.uri.query();
    RequestContext {
        locale: locale_for(
            query,
            &parts.headers,
            parts.extensions.get::<PreferredLocale>().map(|p| p.0),
            state.merchant.default_locale(),
        ),
        path_and_query: without_params(parts.uri.path(), query, &["lang"]),
        embedded: query_has(query, "embed", "1"),
        new_tab_url: without_params(parts.uri.path(), query, &["embed"]),
        merchant_origins: state.config.merchant_origins.clone(),
        dodo: state.config.dodo.mode(),
    }
}

/// Provides the context for the request being rendered, unless it already is (the router's
/// hook provides it; the fallback handler's pages get it here).
pub fn provide() {
    if use_context::<RequestContext>().is_some() {
        return;
    }
    if let (Some(state), Some(parts)) = (use_context::<AppState>(), use_context::<Parts>()) {
        provide_context(build(&state, &parts));
    }
}
