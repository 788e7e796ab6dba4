use super::api::ServerStatus;
use crate::i18n::{Locale, Text, t, tf};
use leptos::prelude::*;

/// A button that asks the server how it is doing: the smallest proof that the page is
/// hydrated and server functions answer. It is an island, so it ships in the WASM.
#[island]
pub fn ServerStatusCheck(locale: Locale) -> impl IntoView {
    let action = ServerAction::<ServerStatus>::new();
    let pending = action.pending();
    let value = action.value();
    let answer = move || {
        if pending.get() {
            return t(locale, Text::StatusChecking).to_string();
        }
        match value.get() {
            None => t(locale, Text::StatusIdle).to_string(),
            Some(Ok(status)) => tf(
                locale,
                Text::StatusAnswer,
                &[("mode", &status.dodo_mode), ("store", &status.store)],
            ),
            Some(Err(_)) => t(locale, Text::StatusFailed).to_string(),
        }
    };
    view! {
        <div class="mt-6 flex flex-col gap-3 sm:flex-row sm:items-center">
            <button
                type="button"
                data-testid="status-check"
                class="rounded-lg bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-60"
                disabled=move || pending.get()
                on:click=move |_| {
                    action.dispatch(ServerStatus {});
                }
            >
                {t(locale, Text::StatusCheckButton)}
            </button>
            <p data-testid="status-answer" role="status" aria-live="polite" class="text-slate-700">
                {answer}
            </p>
        </div>
    }
}
