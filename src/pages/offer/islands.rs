//! The offer page's interactive parts. Its actions are plain forms that post without
//! JavaScript ([`super::actions`]); with it, a press disables the buttons at once (a double
//! click sends one request) and the payment's progress is announced and followed.
//! Each island is lazy: its code is a WASM chunk of its own, loaded only by a page that shows it.

use super::api::OfferStatus;
use crate::components::browser::{post_to_server_fn, show_press};
use crate::types::offer::OfferStateKind;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Around plain forms rendered by the server (`children`): the moment one is submitted, every
/// button inside is disabled (a double click or a second choice sends nothing more) and, for
/// the button marked `data-pays`, the progress line shows its `data-pending-text`. The browser
/// then posts the form as it would without JavaScript. Before this island's chunk arrives the
/// forms simply post; it carries no props, no server function and no text of its own, so it
/// costs the offer page almost nothing.
#[island(lazy)]
pub fn PressFeedback(children: Children) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let on_submit = move |ev: leptos::ev::SubmitEvent| show_press(&ev);
    view! { <div on:submit=on_submit>{children()}</div> }
}

/// While a charge settles, asks the server every second and reloads once the state differs from
/// the one the page `shown` (the server reads its store only; Dodo is not asked per poll).
#[island(lazy)]
pub fn ChargeProgress(offer_id: String, access: String, shown: OfferStateKind) -> impl IntoView {
    crate::components::hydrated::island_ready();
    Effect::new(move |_| poll(offer_id.clone(), access.clone(), shown));
    view! { <span data-testid="progress-poller" hidden=true></span> }
}

/// One question to the status endpoint; asks again a second later while nothing has changed
/// (or the answer did not arrive).
fn poll(offer_id: String, access: String, shown: OfferStateKind) {
    leptos::task::spawn_local(async move {
        let fields = [("offer_id", offer_id.as_str()), ("access", access.as_str())];
        let answer = post_to_server_fn(OfferStatus::PATH, &fields).await;
        if answer
            .and_then(|a| a.as_string())
            .is_some_and(|state| state != shown.name())
        {
            let _ = window().location().reload();
            return;
        }
        set_timeout(
            move || poll(offer_id, access, shown),
            std::time::Duration::from_secs(1),
        );
    });
}
