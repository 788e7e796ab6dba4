//! What an embedded page adds for the merchant's page around it: the frame script that posts
//! the page's events and size to the parent (only to a configured merchant origin), and an
//! "Open in a new tab" escape hatch for browsers that block what the frame needs.

use crate::app::current_locale;
use crate::i18n::{Text, t};
use leptos::prelude::*;
use serde::Serialize;

/// One `postMessage` event of the embed contract (see the README), posted once per frame.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmbedEvent {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub data: leptos::serde_json::Map<String, leptos::serde_json::Value>,
}

impl EmbedEvent {
    pub fn new(kind: &'static str, data: &[(&str, &str)]) -> EmbedEvent {
        EmbedEvent {
            kind,
            data: data
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        leptos::serde_json::Value::String(v.to_string()),
                    )
                })
                .collect(),
        }
    }

    /// The JSON the frame script reads from `data-embed-event`.
    pub fn to_attr(&self) -> String {
        leptos::serde_json::to_string(self).unwrap_or_default()
    }
}

/// An event the page announces as soon as it is shown (e.g. `offer_shown`).
#[component]
pub fn EmbedEvents(events: Vec<EmbedEvent>) -> impl IntoView {
    events
        .into_iter()
        .map(|e| view! { <span hidden=true data-embed-event=e.to_attr()></span> })
        .collect_view()
}

/// The frame's configuration and script, and the escape hatch.
#[component]
pub fn EmbedFrame() -> impl IntoView {
    let locale = current_locale();
    let allowed = allowed_origins();
    let new_tab = new_tab_url();
    view! {
        <div id="dodo-embed" hidden=true data-allowed-origins=allowed></div>
        <p class="mt-4 text-center text-sm">
            <a href=new_tab target="_blank" rel="noopener" data-testid="open-in-new-tab" class="text-indigo-800 underline">
                {t(locale, Text::OpenInNewTab)}
            </a>
        </p>
        <script src="/embed-frame.js" defer></script>
    }
}

fn allowed_origins() -> String {
    #[cfg(feature = "ssr")]
    {
        let origins = crate::server::state::AppState::from_context()
            .map(|s| s.config.merchant_origins.clone())
            .unwrap_or_default();
        leptos::serde_json::to_string(&origins).unwrap_or_else(|_| "[]".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "[]".to_string()
    }
}

/// This page without `embed=1` (the session token stays, so it works in a new tab).
fn new_tab_url() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|parts| {
                let query: Vec<&str> = parts
                    .uri
                    .query()
                    .unwrap_or_default()
                    .split('&')
                    .filter(|p| !p.is_empty() && *p != "embed=1")
                    .collect();
                if query.is_empty() {
                    parts.uri.path().to_string()
                } else {
                    format!("{}?{}", parts.uri.path(), query.join("&"))
                }
            })
            .unwrap_or_else(|| "/".into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".to_string()
    }
}
