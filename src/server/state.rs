//! The one piece of state every handler and server function reaches: configuration, store and
//! how to reach Dodo. `leptos_axum` provides it as context to server functions and pages.

use super::config::Config;
use super::secret::Secret;
use super::store::Store;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::{ServerFnError, use_context};
use std::sync::Arc;

/// Where the Dodo API is and how to authenticate: the real API or the embedded sandbox.
#[derive(Clone, Debug)]
pub struct DodoEndpoint {
    pub base_url: String,
    pub api_key: Secret,
    pub webhook_key: Option<Secret>,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub store: Store,
    pub dodo: DodoEndpoint,
}

impl AppState {
    /// The state, inside a server function or a server-rendered component.
    pub fn from_context() -> Result<AppState, ServerFnError> {
        use_context::<AppState>().ok_or_else(|| ServerFnError::new("server state is not available"))
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
