//! Server functions shared by pages. Their bodies run only on the server; the browser build
//! gets a typed client stub that calls `/api/...`.

use crate::types::status::StatusReport;
use leptos::prelude::*;

/// Reports which Dodo the server talks to and whether the store answers.
#[server(prefix = "/api", endpoint = "server_status")]
pub async fn server_status() -> Result<StatusReport, ServerFnError> {
    let state = crate::server::state::AppState::from_context()?;
    let store = if state.store.ping().await.is_ok() {
        "healthy"
    } else {
        "unavailable"
    };
    Ok(StatusReport {
        dodo_mode: state.config.dodo.mode().label().to_string(),
        store: store.to_string(),
    })
}
