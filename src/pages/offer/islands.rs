//! The offer page's interactive parts. Without JavaScript they are plain forms that post to
//! the server functions; with it, buttons disable while a request is in flight (a double click
//! sends one request) and progress and failures are announced.

use super::api::{AcceptOffer, DeclineOffer, OfferStatus, SuppressOffers};
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t};
use crate::types::offer::OfferStateKind;
use leptos::prelude::*;

/// Accept, No thanks and Don't-show-again, in that order for keyboard users.
#[island]
pub fn OfferActions(
    offer_id: String,
    access: String,
    /// What the Pay button says, sent back as the consent check.
    amount_minor: i64,
    currency: String,
    /// The saved method the page names, sent back likewise.
    method_id: String,
    locale: Locale,
    pay_label: String,
) -> impl IntoView {
    let accept = ServerAction::<AcceptOffer>::new();
    let decline = ServerAction::<DeclineOffer>::new();
    let suppress = ServerAction::<SuppressOffers>::new();
    let busy =
        move || accept.pending().get() || decline.pending().get() || suppress.pending().get();
    let failed = move || {
        [
            accept.value().get(),
            decline.value().get(),
            suppress.value().get(),
        ]
        .iter()
        .any(|v| matches!(v, Some(Err(_))))
    };
    let hidden = |offer_id: &str, access: &str| {
        view! {
            <input type="hidden" name="offer_id" value=offer_id.to_string()/>
            <input type="hidden" name="access" value=access.to_string()/>
        }
    };
    // Announced to a merchant's page around an embedded offer the moment the button is pressed.
    let accepted_event =
        format!(r#"{{"type":"offer_accepted","data":{{"offer_id":"{offer_id}"}}}}"#);
    let declined_event =
        format!(r#"{{"type":"offer_declined","data":{{"offer_id":"{offer_id}"}}}}"#);
    let (accept_fields, decline_fields, suppress_fields) = (
        hidden(&offer_id, &access),
        hidden(&offer_id, &access),
        hidden(&offer_id, &access),
    );
    view! {
        <div class="mt-4 flex flex-col gap-3 sm:mt-6">
            // The live regions take no room until they have something to say: no gap between
            // Pay and No thanks.
            <div>
            <ActionForm action=accept>
                {accept_fields}
                <input type="hidden" name="agreed_amount" value=amount_minor.to_string()/>
                <input type="hidden" name="agreed_currency" value=currency/>
                <input type="hidden" name="agreed_method" value=method_id/>
                <button
                    type="submit"
                    data-testid="accept"
                    data-embed-submit=accepted_event
                    aria-describedby="card-line"
                    class="w-full rounded-xl bg-indigo-700 px-5 py-4 text-lg font-semibold text-white shadow hover:bg-indigo-800 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:cursor-wait disabled:opacity-70"
                    disabled=busy
                >
                    {pay_label}
                </button>
            </ActionForm>
            <p data-testid="action-progress" role="status" aria-live="polite" class="mt-2 text-center text-slate-700 empty:mt-0">
                {move || accept.pending().get().then(|| t(locale, OfferText::Processing))}
            </p>
            <p data-testid="action-error" role="alert" class="mt-2 text-center font-medium text-rose-800 empty:mt-0">
                {move || failed().then(|| t(locale, OfferText::ActionFailed))}
            </p>
            </div>
            <ActionForm action=decline>
                {decline_fields}
                <button
                    type="submit"
                    data-testid="decline"
                    data-embed-submit=declined_event
                    class="w-full rounded-xl border border-slate-300 bg-white px-5 py-3 font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-70"
                    disabled=busy
                >
                    {t(locale, OfferText::NoThanks)}
                </button>
            </ActionForm>
            <ActionForm action=suppress>
                {suppress_fields}
                <button
                    type="submit"
                    data-testid="suppress"
                    class="w-full px-5 py-2 text-sm text-slate-700 underline underline-offset-2 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-700 disabled:opacity-70"
                    disabled=busy
                >
                    {t(locale, OfferText::DontShowAgain)}
                </button>
            </ActionForm>
        </div>
    }
}

/// While a charge settles, asks the server every second and reloads once the state differs from
/// the one the page `shown` (the server reads its store only; Dodo is not asked per poll).
#[island]
pub fn ChargeProgress(offer_id: String, access: String, shown: OfferStateKind) -> impl IntoView {
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
