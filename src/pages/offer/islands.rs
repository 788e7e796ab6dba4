//! The offer page's interactive parts. Its actions are plain forms that post without
//! JavaScript ([`super::actions`]); with it, a press disables the buttons at once (a double
//! click sends one request) and the payment's progress is announced and followed.
//! Each island is lazy: its code is a WASM chunk of its own, loaded only by a page that shows it.

use super::api::OfferStatus;
use crate::types::offer::OfferStateKind;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, HtmlButtonElement};

/// Around plain forms rendered by the server (`children`): the moment one is submitted, every
/// button inside is disabled (a double click or a second choice sends nothing more) and, for
/// the button marked `data-pays`, the progress line shows its `data-pending-text`. The browser
/// then posts the form as it would without JavaScript. Before this island's chunk arrives the
/// forms simply post; it carries no props, no server function and no text of its own, so it
/// costs the offer page almost nothing.
#[island(lazy)]
pub fn PressFeedback(children: Children) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(area) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
        else {
            return;
        };
        // One press per page: a second submit while the first is on its way would post again.
        if area.has_attribute("data-pressed") {
            ev.prevent_default();
            return;
        }
        let _ = area.set_attribute("data-pressed", "");
        // The form's entries are read after this event, so disabling the buttons (which carry no
        // value) does not change what is posted.
        let buttons = area.get_elements_by_tag_name("button");
        for i in 0..buttons.length() {
            if let Some(button) = buttons
                .item(i)
                .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
            {
                button.set_disabled(true);
            }
        }
        let pays = ev.submitter().is_some_and(|b| b.has_attribute("data-pays"));
        if pays && let Ok(Some(progress)) = area.query_selector("[data-pending-text]") {
            progress.set_text_content(progress.get_attribute("data-pending-text").as_deref());
        }
    };
    view! { <div on:submit=on_submit>{children()}</div> }
}

/// While a charge settles, asks the server every second and reloads once the state differs from
/// the one the page `shown` (the server reads its store only; Dodo is not asked per poll).
#[island(lazy)]
pub fn ChargeProgress(offer_id: String, access: String, shown: OfferStateKind) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let poll = ServerAction::<OfferStatus>::new();
    let request = StoredValue::new(OfferStatus { offer_id, access });
    Effect::new(move |_| {
        poll.dispatch(request.get_value());
    });
    Effect::new(move |_| {
        let Some(answer) = poll.value().get() else {
            return;
        };
        if matches!(answer, Ok(state) if state != shown) {
            let _ = window().location().reload();
            return;
        }
        set_timeout(
            move || {
                poll.dispatch(request.get_value());
            },
            std::time::Duration::from_secs(1),
        );
    });
    view! { <span data-testid="progress-poller" hidden=true></span> }
}
