//! `/merchant`: the dashboard's body. A placeholder until the dashboard's content replaces it.

use super::text;
use leptos::prelude::*;

#[component]
pub fn MerchantHome() -> impl IntoView {
    view! {
        <h1 class="text-2xl font-bold">{text::HOME_TITLE}</h1>
        <p class="mt-2 text-slate-700">{text::HOME_PLACEHOLDER}</p>
    }
}
