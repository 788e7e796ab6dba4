//! The open offer's three choices — Pay, No thanks, Don't show me offers like this again — as
//! plain HTML forms that post to the server functions, with or without JavaScript. The server
//! answers each post with a redirect to where the customer goes next (README "Page weight":
//! an island that sent these itself weighed ~20 KB brotli for nothing a form cannot do).
//! The [`PressFeedback`] island around them only shows the press at once.

use super::api::{AcceptOffer, DeclineOffer, SuppressOffers};
use super::islands::PressFeedback;
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t};
use leptos::prelude::*;

/// Pay, No thanks and Don't-show-again, in that order for keyboard users.
#[component]
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
    let (accept, decline, suppress) = (
        ServerAction::<AcceptOffer>::new(),
        ServerAction::<DeclineOffer>::new(),
        ServerAction::<SuppressOffers>::new(),
    );
    view! {
        <PressFeedback>
            <div class="mt-4 flex flex-col gap-3 sm:mt-6">
                // The live region takes no room until it has something to say: no gap between
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
                            data-pays=""
                            data-embed-submit=accepted_event
                            aria-describedby="card-line"
                            class="w-full rounded-xl bg-indigo-700 px-5 py-4 text-lg font-semibold text-white shadow hover:bg-indigo-800 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:cursor-wait disabled:opacity-70"
                        >
                            {pay_label}
                        </button>
                    </ActionForm>
                    // Filled by the island the moment Pay is pressed (the text is the server's).
                    <p
                        data-testid="action-progress"
                        data-pending-text=t(locale, OfferText::Processing)
                        role="status"
                        aria-live="polite"
                        class="mt-2 text-center text-slate-700 empty:mt-0"
                    ></p>
                </div>
                <ActionForm action=decline>
                    {decline_fields}
                    <button
                        type="submit"
                        data-testid="decline"
                        data-embed-submit=declined_event
                        class="w-full rounded-xl border border-slate-300 bg-white px-5 py-3 font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-70"
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
                    >
                        {t(locale, OfferText::DontShowAgain)}
                    </button>
                </ActionForm>
            </div>
        </PressFeedback>
    }
}
