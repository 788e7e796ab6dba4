//! The start page: what this server is, which Dodo it talks to, and (sandbox mode) the demo
//! store.

pub mod api;
mod demo_store;
mod status_check;

use crate::context::{DodoMode, current_locale, request_context};
use crate::i18n::{Text, t};
use demo_store::DemoStore;
use leptos::prelude::*;
use status_check::ServerStatusCheck;

/// The start page: what this server is and which Dodo it talks to.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = current_locale();
    let mode_text = dodo_mode_text();
    view! {
        <h1 class="text-2xl font-bold sm:text-3xl">{t(locale, Text::HomeTitle)}</h1>
        <p class="mt-2 text-slate-700">{t(locale, Text::HomeIntro)}</p>
        <p data-testid="dodo-mode" class="mt-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
            {t(locale, mode_text)}
        </p>
        <ServerStatusCheck locale/>
        <DemoStore/>
    }
}

fn dodo_mode_text() -> Text {
    match request_context().dodo {
        DodoMode::Live => Text::HomeModeLive,
        DodoMode::Test => Text::HomeModeTest,
        DodoMode::Sandbox => Text::HomeModeSandbox,
    }
}
