//! A paid offer: the receipt, the undo window (with its confirmation step), the refund on its
//! way, the refund done. The confirmation is its own page state (`?undo=confirm`), so it works
//! without JavaScript and a stray click refunds nothing.

use super::api::UndoPurchase;
use super::islands::ChargeProgress;
use crate::components::buttons::{DANGER, QUIET_LINK as QUIET};
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::types::offer::{OfferStateKind, OfferView, Receipt, Undo};
use leptos::prelude::*;

/// `url` with one more query parameter.
fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

/// What was bought, for how much, on which method, and Dodo's invoice.
#[component]
pub fn ReceiptLines(receipt: Option<Receipt>, locale: Locale) -> impl IntoView {
    receipt.map(|r| {
        let amount = r.amount.format(locale);
        let line = if r.method.is_empty() {
            tf(
                locale,
                OfferText::ReceiptLineNoMethod,
                &[("product", &r.product_name), ("amount", &amount)],
            )
        } else {
            tf(
                locale,
                OfferText::ReceiptLine,
                &[
                    ("product", &r.product_name),
                    ("amount", &amount),
                    ("method", &r.method),
                ],
            )
        };
        view! {
            <div class="mt-3 rounded-lg bg-white/70 px-3 py-2 text-sm text-slate-800" data-testid="receipt">
                <h3 class="font-semibold">{t(locale, OfferText::ReceiptHeading)}</h3>
                <p>{line}</p>
                {r.invoice_url.map(|url| view! {
                    <a href=url target="_blank" rel="noopener" data-testid="invoice" class="text-indigo-800 underline">{t(locale, OfferText::ViewInvoice)}</a>
                })}
            </div>
        }
    })
}

/// The undo offer under a paid purchase: the time left and a link to the confirmation, or the
/// confirmation itself (`confirming`), or why there is none.
#[component]
pub fn UndoPart(
    view: OfferView,
    undo: Undo,
    receipt: Option<Receipt>,
    confirming: bool,
    locale: Locale,
) -> impl IntoView {
    match undo {
        Undo::Available { .. } if confirming => {
            let action = ServerAction::<UndoPurchase>::new();
            let amount = receipt
                .as_ref()
                .map(|r| r.amount.format(locale))
                .unwrap_or_else(|| view.price.format(locale));
            let body = match receipt.as_ref().map(|r| r.method.as_str()) {
                Some(method) if !method.is_empty() => tf(
                    locale,
                    OfferText::UndoConfirmBody,
                    &[("amount", &amount), ("method", method)],
                ),
                _ => tf(locale, OfferText::UndoConfirmBodyNoMethod, &[("amount", &amount)]),
            };
            view! {
                <div class="mt-4 rounded-xl border border-rose-300 bg-white p-4" role="alertdialog" aria-labelledby="undo-title" data-testid="undo-confirm">
                    <h3 id="undo-title" class="font-semibold text-rose-900">{t(locale, OfferText::UndoConfirmTitle)}</h3>
                    <p class="mt-1 text-slate-800">{body}</p>
                    <ActionForm action=action attr:class="mt-3">
                        <input type="hidden" name="offer_id" value=view.offer_id.clone()/>
                        <input type="hidden" name="access" value=view.access.clone()/>
                        <button type="submit" data-testid="undo-yes" class=DANGER>{t(locale, OfferText::UndoConfirm)}</button>
                    </ActionForm>
                    <a href=view.page_url.clone() data-testid="undo-keep" class=QUIET>{t(locale, OfferText::UndoKeep)}</a>
                </div>
            }
            .into_any()
        }
        Undo::Available { minutes_left, .. } => {
            let left = if minutes_left >= 1 {
                tf(locale, OfferText::UndoTimeLeft, &[("minutes", &minutes_left.to_string())])
            } else {
                t(locale, OfferText::UndoTimeLeftSoon).to_string()
            };
            let confirm = with_param(&view.page_url, "undo=confirm");
            view! {
                <p class="mt-4 text-sm text-slate-700" data-testid="undo-time-left">{left}</p>
                <a href=confirm data-testid="undo" class=QUIET>{t(locale, OfferText::UndoPurchase)}</a>
            }
            .into_any()
        }
        Undo::Failed => view! {
            <p role="alert" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 px-3 py-2 text-rose-950" data-testid="undo-failed">
                {t(locale, OfferText::UndoFailed)}
            </p>
        }
        .into_any(),
        Undo::Unavailable => ().into_any(),
    }
}

/// The refund is on its way (the page watches for Dodo's answer).
#[component]
pub fn UndoingSection(view: OfferView, receipt: Option<Receipt>, locale: Locale) -> impl IntoView {
    view! {
        <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="undoing">
            <p role="status" aria-live="polite" class="text-lg font-semibold">{t(locale, OfferText::UndoingTitle)}</p>
            <p class="mt-1 text-slate-700">{t(locale, OfferText::UndoingBody)}</p>
            <ReceiptLines receipt locale/>
            <a href=view.page_url.clone() data-testid="check-again" class=QUIET>{t(locale, OfferText::CheckAgain)}</a>
            <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown=OfferStateKind::Undoing/>
        </section>
    }
}

/// Refunded in full.
#[component]
pub fn UndoneSection(receipt: Option<Receipt>, locale: Locale) -> impl IntoView {
    let amount = receipt
        .as_ref()
        .map(|r| r.amount.format(locale))
        .unwrap_or_default();
    view! {
        <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="undone">
            <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::UndoneTitle)}</h2></div>
            <p class="mt-1 text-slate-700">{tf(locale, OfferText::UndoneBody, &[("amount", &amount)])}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_a_parameter() {
        assert_eq!(
            super::with_param("/offer/off_1", "undo=confirm"),
            "/offer/off_1?undo=confirm"
        );
        assert_eq!(
            super::with_param("/offer/off_1?embed=1&access=t", "undo=confirm"),
            "/offer/off_1?embed=1&access=t&undo=confirm"
        );
    }
}
