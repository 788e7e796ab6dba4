//! What an embedded page adds for the merchant's page around it: the frame script that posts
//! the page's events and size to the parent (only to a configured merchant origin), and an
//! "Open in a new tab" escape hatch for browsers that block what the frame needs.

use crate::context::request_context;
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
    let context = request_context();
    let locale = context.locale;
    let allowed =
        leptos::serde_json::to_string(&context.merchant_origins).unwrap_or_else(|_| "[]".into());
    let new_tab = context.new_tab_url;
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
