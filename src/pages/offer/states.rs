//! What the customer can do with the offer in the state it is in: pay, check out, wait,
//! confirm with the bank, see the outcome — each state its own section.

use super::actions::OfferActions;
use super::api::{FixPayment, OfferCheckout, OfferPortal, UnsuppressOffers};
use super::islands::ChargeProgress;
use super::paid::{ReceiptLines, UndoPart, UndoingSection, UndoneSection};
use crate::components::buttons::{
    PRIMARY_LARGE as PRIMARY, PRIMARY_LARGE_LINK as LINK_BUTTON, SECONDARY,
};
use crate::i18n::cross_sell::CrossSellText;
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::types::offer::{FallbackReason, OfferState, OfferStateKind, OfferView};
use leptos::prelude::*;

pub fn fallback_text(reason: FallbackReason) -> OfferText {
    match reason {
        FallbackReason::NoSavedCard => OfferText::NoOneClickNoCard,
        FallbackReason::CardExpired => OfferText::NoOneClickExpired,
        FallbackReason::NotACard => OfferText::NoOneClickNotCard,
        FallbackReason::RecurringDisabled => OfferText::NoOneClickRecurring,
        FallbackReason::CurrencyMismatch => OfferText::NoOneClickCurrency,
        FallbackReason::CardNotAccepted => OfferText::FailedNotAccepted,
    }
}

fn failure_text(code: &str) -> OfferText {
    match code {
        "CARD_DECLINED" | "GENERIC_DECLINE" | "DO_NOT_HONOR" => OfferText::FailedDeclined,
        "INSUFFICIENT_FUNDS" => OfferText::FailedInsufficientFunds,
        "EXPIRED_CARD" => OfferText::FailedExpired,
        "NO_ELIGIBLE_PAYMENT_METHODS" | "INVALID_REQUEST_PARAMETERS" => {
            OfferText::FailedNotAccepted
        }
        "AUTHENTICATION_FAILURE" | "AUTHENTICATION_REQUIRED" => OfferText::FailedAuthentication,
        "NOT_CHARGED" => OfferText::FailedNotCharged,
        "NOT_SENT" => OfferText::FailedNotSent,
        "RATE_LIMITED" => OfferText::FailedBusy,
        "NOT_AUTHENTICATED" => OfferText::FailedAuthentication,
        "CHECKOUT_CANCELLED" | "CHECKOUT_NOT_COMPLETED" => OfferText::FailedCheckoutLeft,
        _ => OfferText::FailedOther,
    }
}

/// A small form that posts one server function with the offer id and session (and, for a
/// form that can lead to a payment, the amount the page shows).
macro_rules! offer_form {
    (paying $action:ty, $view:expr, $class:expr, $testid:expr, $label:expr) => {{
        let action = ServerAction::<$action>::new();
        let (offer_id, access) = ($view.offer_id.clone(), $view.access.clone());
        let (amount, currency) = ($view.price.minor.to_string(), $view.price.currency.clone());
        view! {
            <ActionForm action=action>
                <input type="hidden" name="offer_id" value=offer_id/>
                <input type="hidden" name="access" value=access/>
                <input type="hidden" name="agreed_amount" value=amount/>
                <input type="hidden" name="agreed_currency" value=currency/>
                <button type="submit" data-testid=$testid class=$class>{$label}</button>
            </ActionForm>
        }
    }};
    ($action:ty, $view:expr, $class:expr, $testid:expr, $label:expr) => {{
        let action = ServerAction::<$action>::new();
        let (offer_id, access) = ($view.offer_id.clone(), $view.access.clone());
        view! {
            <ActionForm action=action>
                <input type="hidden" name="offer_id" value=offer_id/>
                <input type="hidden" name="access" value=access/>
                <button type="submit" data-testid=$testid class=$class>{$label}</button>
            </ActionForm>
        }
    }};
}

#[component]
pub fn StateSection(view: OfferView, confirm_undo: bool, locale: Locale) -> impl IntoView {
    // A cross-sell leads back to the other recommendations of its link.
    let continue_label = if view.is_cross_sell {
        t(locale, CrossSellText::BackToRecommendations)
    } else {
        t(locale, OfferText::Continue)
    };
    let continue_link = {
        let url = view.continue_url.clone();
        move || {
            view! {
                <a href=url.clone() data-testid="continue" class="mt-3 block text-center text-indigo-800 underline underline-offset-2">
                    {continue_label}
                </a>
            }
        }
    };
    let (succeeded_title, succeeded_body) = if view.is_cross_sell {
        (
            t(locale, CrossSellText::SucceededTitle),
            t(locale, CrossSellText::SucceededBody),
        )
    } else {
        (
            t(locale, OfferText::SucceededTitle),
            t(locale, OfferText::SucceededBody),
        )
    };
    match view.state.clone() {
        OfferState::Open => {
            let pay_label = tf(locale, OfferText::PayNow, &[("amount", &view.price.format(locale))]);
            view! {
                <OfferActions
                    offer_id=view.offer_id.clone()
                    access=view.access.clone()
                    amount_minor=view.price.minor
                    currency=view.price.currency.clone()
                    method_id=view.card.as_ref().map(|c| c.id.clone()).unwrap_or_default()
                    locale
                    pay_label
                />
            }
            .into_any()
        }
        OfferState::CheckoutOnly(reason) => {
            let checkout = offer_form!(paying OfferCheckout, view, PRIMARY, "checkout-fallback", t(locale, OfferText::CheckoutInstead));
            let decline = offer_form!(super::api::DeclineOffer, view, SECONDARY, "decline", t(locale, OfferText::NoThanks));
            let suppress = offer_form!(
                super::api::SuppressOffers,
                view,
                "w-full px-5 py-2 text-sm text-slate-700 underline",
                "suppress",
                t(locale, OfferText::DontShowAgain)
            );
            view! {
                <section class="mt-6 space-y-3">
                    <p data-testid="fallback-reason" class="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950">
                        {t(locale, fallback_text(reason))}
                    </p>
                    {checkout}
                    {decline}
                    {suppress}
                </section>
            }
            .into_any()
        }
        OfferState::Processing => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="processing">
                <p role="status" aria-live="polite" class="text-lg font-semibold">{t(locale, OfferText::Processing)}</p>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::ProcessingHint)}</p>
                <a href=view.page_url.clone() data-testid="check-again" class="mt-3 inline-block text-indigo-800 underline">{t(locale, OfferText::CheckAgain)}</a>
                <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown=OfferStateKind::Processing/>
            </section>
        }
        .into_any(),
        OfferState::Confirming => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="confirming">
                <p role="status" aria-live="polite" class="text-lg font-semibold">{t(locale, OfferText::ConfirmingTitle)}</p>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::ConfirmingBody)}</p>
                <a href=view.page_url.clone() data-testid="check-again" class="mt-3 inline-block text-indigo-800 underline">{t(locale, OfferText::CheckAgain)}</a>
                <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown=OfferStateKind::Confirming/>
            </section>
        }
        .into_any(),
        OfferState::CheckoutOpen { link } => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="checkout-open">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::CheckoutOpenTitle)}</h2></div>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::CheckoutOpenBody)}</p>
                <a href=link data-testid="open-checkout" class=format!("mt-4 {LINK_BUTTON}")>{t(locale, OfferText::ContinueToCheckout)}</a>
                {continue_link()}
                <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown=OfferStateKind::CheckoutOpen/>
            </section>
        }
        .into_any(),
        OfferState::Owned => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="owned">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::OwnedTitle)}</h2></div>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::OwnedBody)}</p>
                {continue_link()}
            </section>
        }
        .into_any(),
        OfferState::NeedsAction { link } => view! {
            <section class="mt-6 rounded-xl border border-amber-300 bg-amber-50 p-5" data-testid="needs-action">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::NeedsActionTitle)}</h2></div>
                <p class="mt-1 text-slate-800">{t(locale, OfferText::NeedsActionBody)}</p>
                <a href=link data-testid="confirm-with-bank" class=format!("mt-4 {LINK_BUTTON}")>{t(locale, OfferText::ConfirmWithBank)}</a>
            </section>
        }
        .into_any(),
        OfferState::Succeeded {
            next,
            receipt,
            undo,
        } => view! {
            <section class="mt-6 rounded-xl border border-emerald-300 bg-emerald-50 p-5" data-testid="succeeded">
                <div role="status"><h2 class="text-xl font-bold text-emerald-900">"✓ " {succeeded_title}</h2></div>
                <p class="mt-1 text-emerald-950">{succeeded_body}</p>
                <ReceiptLines receipt=receipt.clone() locale/>
                {next.map(|n| view! { <a href=n data-testid="next-offer" class=format!("mt-4 {LINK_BUTTON}")>{t(locale, OfferText::NextOffer)}</a> })}
                {continue_link()}
                <UndoPart view=view.clone() undo receipt confirming=confirm_undo locale/>
            </section>
        }
        .into_any(),
        OfferState::Undoing { receipt } => view! { <UndoingSection view=view.clone() receipt locale/> }.into_any(),
        OfferState::Undone { receipt } => view! {
            <UndoneSection receipt locale/>
            {continue_link()}
        }
        .into_any(),
        OfferState::OwesMoney { plan } => {
            let fix = offer_form!(FixPayment, view, PRIMARY, "fix-payment", t(locale, OfferText::UpdatePaymentMethod));
            view! {
                <section class="mt-6 space-y-3" data-testid="owes-money">
                    <div role="alert" class="rounded-xl border border-amber-300 bg-amber-50 p-5">
                        <h2 class="text-lg font-bold text-amber-950">{tf(locale, OfferText::OwesMoneyTitle, &[("plan", &plan)])}</h2>
                        <p class="mt-1 text-amber-950">{t(locale, OfferText::OwesMoneyBody)}</p>
                    </div>
                    {fix}
                    {continue_link()}
                </section>
            }
            .into_any()
        }
        OfferState::Failed { code } => {
            let reason = failure_text(&code);
            let message = if reason == OfferText::FailedOther {
                tf(locale, reason, &[("code", &code)])
            } else {
                t(locale, reason).to_string()
            };
            let checkout = offer_form!(paying OfferCheckout, view, PRIMARY, "checkout-fallback", t(locale, OfferText::PayWithAnotherMethod));
            let portal = offer_form!(OfferPortal, view, SECONDARY, "update-payment-method", t(locale, OfferText::UpdatePaymentMethod));
            view! {
                <section class="mt-6 space-y-3" data-testid="failed">
                    <div role="alert" class="rounded-xl border border-rose-300 bg-rose-50 p-5">
                        <h2 class="text-lg font-bold text-rose-900">{t(locale, OfferText::FailedTitle)}</h2>
                        <p class="mt-1 text-rose-950" data-testid="failure-reason">{message}</p>
                        <p class="mt-1 text-rose-950">{t(locale, OfferText::FailedNothingCharged)}</p>
                    </div>
                    {checkout}
                    {portal}
                    {continue_link()}
                </section>
            }
            .into_any()
        }
        OfferState::Suppressed => {
            let undo = offer_form!(UnsuppressOffers, view, SECONDARY, "unsuppress", t(locale, OfferText::Undo));
            view! {
                <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="suppressed">
                    <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::SuppressedTitle)}</h2></div>
                    <p class="mt-1 text-slate-700">{t(locale, OfferText::SuppressedBody)}</p>
                    <div class="mt-3">{undo}</div>
                    {continue_link()}
                </section>
            }
            .into_any()
        }
        OfferState::Declined => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="declined">
                <h2 class="text-lg font-semibold">{t(locale, OfferText::DeclinedTitle)}</h2>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::DeclinedBody)}</p>
                {continue_link()}
            </section>
        }
        .into_any(),
        OfferState::Expired => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="expired">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::ExpiredTitle)}</h2></div>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::ExpiredBody)}</p>
                {continue_link()}
            </section>
        }
        .into_any(),
    }
}
