//! A previewed switch, rendered: the line items with credit, tax and total (shared by the
//! dialog and the no-JavaScript review page), the confirm form's fields, and the live
//! preview's panel and dialog content as the island receives them — HTML rendered (and
//! escaped) here, so the browser bundle carries no templates or formatting for them.

use super::api::ConfirmPlanChange;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t, tf};
use crate::types::plan_change::{PreviewView, TrialView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The line items (a real table with the credit, tax and total as footer rows), the next bill
/// and the card. Shared by the dialog and the no-JavaScript review page.
#[component]
pub fn PreviewDetails(preview: PreviewView, locale: Locale) -> impl IntoView {
    let PreviewView {
        lines,
        credit,
        credit_note,
        tax,
        total,
        next_bill,
        card,
        billing_moves,
        credit_covers,
        ..
    } = preview;
    // What the credit covers says more than where credit goes, when Dodo's numbers tell it.
    let credit_note = credit_covers.or(credit_note);
    let has_lines = !lines.is_empty();
    view! {
        <table class="mt-4 w-full text-left text-sm tabular-nums" data-testid="line-items">
            <caption class="sr-only">{t(locale, T::TableCaption)}</caption>
            <thead class="text-xs text-slate-600">
                <tr>
                    <th scope="col" class="py-1 pr-2 font-medium">{t(locale, T::ColItem)}</th>
                    <th scope="col" class="py-1 text-right font-medium">{t(locale, T::ColAmount)}</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|l| {
                        view! {
                            <tr class="border-t border-slate-200" data-testid="line-item">
                                <td class="py-2 pr-2">
                                    {l.item}
                                    <span class="block text-xs text-slate-600" data-testid="line-arithmetic">{l.arithmetic}</span>
                                </td>
                                <td class="py-2 text-right font-medium" data-testid="line-amount">{l.amount}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
                {(!has_lines)
                    .then(|| {
                        view! {
                            <tr class="border-t border-slate-200">
                                <td colspan="2" class="py-2 text-slate-700">{t(locale, T::NoLineItems)}</td>
                            </tr>
                        }
                    })}
            </tbody>
            <tfoot class="border-t-2 border-slate-300">
                {credit
                    .map(|(label, value)| {
                        view! {
                            <tr>
                                <th scope="row" class="py-1 pr-2 font-normal">{label}</th>
                                <td class="py-1 text-right font-medium text-emerald-800" data-testid="credit">{value}</td>
                            </tr>
                        }
                    })}
                <tr>
                    <th scope="row" class="py-1 pr-2 font-normal">{t(locale, T::Tax)}</th>
                    <td class="py-1 text-right" data-testid="tax">{tax}</td>
                </tr>
                <tr class="text-base">
                    <th scope="row" class="py-1 pr-2 font-semibold">{t(locale, T::TotalDueToday)}</th>
                    <td class="py-1 text-right font-semibold" data-testid="total-due">{total}</td>
                </tr>
            </tfoot>
        </table>
        {credit_note.map(|note| view! { <p class="mt-2 text-sm text-slate-700" data-testid="credit-note">{note}</p> })}
        {billing_moves.map(|moves| view! { <p class="mt-2 text-sm font-medium" data-testid="billing-moves">{moves}</p> })}
        <dl class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {next_bill
                .map(|next| {
                    view! {
                        <dt class="text-slate-600">{t(locale, T::NextBill)}</dt>
                        <dd data-testid="next-bill">{next}</dd>
                    }
                })}
            <dt class="text-slate-600">{t(locale, T::ChargedTo)}</dt>
            <dd data-testid="card">{card}</dd>
        </dl>
    }
    .into_any()
}

/// The live preview's panel: total due today, the summary sentence, the next bill, and the
/// downsell offer (whose buttons the island handles through `data-choose` / `data-dismiss`).
#[component]
fn PreviewPanel(preview: PreviewView, locale: Locale) -> impl IntoView {
    let PreviewView {
        total,
        summary,
        next_bill,
        downsell,
        trial,
        billing_moves,
        credit_covers,
        ..
    } = preview;
    view! {
        {trial.map(|trial| view! { <TrialChoicesList trial locale/> })}
        {downsell
            .map(|d| {
                view! {
                    <div class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3" data-testid="downsell" data-downsell="">
                        <p class="font-semibold">{t(locale, T::DownsellHeading)}</p>
                        <p class="mt-1">{d.headline}</p>
                        <ul class="mt-1 list-disc pl-5 text-sm">
                            {d.value_points.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}
                        </ul>
                        <div class="mt-3 flex flex-col gap-2 sm:flex-row">
                            <button
                                type="button"
                                data-choose=d.product_id
                                class="rounded-lg bg-amber-800 px-3 py-2 text-sm font-medium text-white hover:bg-amber-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-800"
                            >
                                {d.try_label}
                            </button>
                            <button
                                type="button"
                                data-dismiss=""
                                class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700"
                            >
                                {d.decline_label}
                            </button>
                        </div>
                    </div>
                }
            })}
        <p class="text-sm text-slate-600">{t(locale, T::TotalDueToday)}</p>
        <p class="text-3xl font-bold tabular-nums" data-testid="preview-total">{total}</p>
        <p class="mt-2 text-slate-700" data-testid="preview-summary">{summary}</p>
        {next_bill
            .map(|n| {
                view! {
                    <p class="mt-1 text-sm text-slate-600">
                        {tf(locale, T::NextBillLine, &[("value", &n)])}
                    </p>
                }
            })}
        {billing_moves.map(|moves| view! { <p class="mt-1 text-sm font-medium" data-testid="preview-billing-moves">{moves}</p> })}
        {credit_covers.map(|covers| view! { <p class="mt-1 text-sm text-emerald-800" data-testid="preview-credit-covers">{covers}</p> })}
    }
    .into_any()
}

/// A trial's end and its two choices, each with what it charges today; the form's `when`
/// radios pick one (shared by the live preview and the review page).
#[component]
pub fn TrialChoicesList(trial: TrialView, locale: Locale) -> impl IntoView {
    view! {
        <div class="mb-4 rounded-lg border border-sky-300 bg-sky-50 p-3" data-testid="trial-choices">
            <p class="font-semibold">{trial.heading}</p>
            <ul class="mt-2 space-y-1 text-sm">
                {trial
                    .options
                    .into_iter()
                    .map(|o| {
                        view! {
                            <li data-testid=format!("trial-option-{}", o.when) data-chosen=o.chosen.to_string()>
                                {o.text}
                                {o.chosen
                                    .then(|| view! { <span class="ml-2 rounded bg-sky-800 px-1.5 py-0.5 text-xs font-medium text-white">{t(locale, T::TrialChosen)}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// The hidden fields of a confirm form: the plan and every money fact the customer is shown,
/// posted back as the consent check (shared by the dialog and the review page).
#[component]
pub fn ConfirmFields(preview: PreviewView, token: String) -> impl IntoView {
    let PreviewView {
        product_id,
        quantity,
        agreed,
        when,
        ..
    } = preview;
    view! {
        <input type="hidden" name="token" value=token/>
        <input type="hidden" name="product_id" value=product_id/>
        <input type="hidden" name="quantity" value=quantity.to_string()/>
        <input type="hidden" name="agreed_total" value=agreed.total_minor.to_string()/>
        <input type="hidden" name="agreed_currency" value=agreed.currency/>
        <input type="hidden" name="agreed_tax" value=agreed.tax_minor.to_string()/>
        <input type="hidden" name="agreed_credits" value=agreed.credits_minor.to_string()/>
        <input type="hidden" name="agreed_next_billing" value=agreed.next_billing.to_string()/>
        <input type="hidden" name="when" value=when/>
    }
}

/// The confirm dialog's content: title and summary (which label and describe the dialog), the
/// line items, the consent sentence and a plain confirm form, which the browser posts itself
/// (the server answers with a redirect to the change's status page).
#[component]
fn DialogBody(preview: PreviewView, token: String, locale: Locale) -> impl IntoView {
    let (title, summary, consent, button) = (
        preview.title.clone(),
        preview.summary.clone(),
        preview.consent.clone(),
        preview.button.clone(),
    );
    view! {
        <h2 id="pc-dialog-title" class="text-xl font-bold">{title}</h2>
        <p id="pc-dialog-summary" class="mt-2 text-slate-700">{summary}</p>
        <PreviewDetails preview=preview.clone() locale/>
        <form method="post" action=ConfirmPlanChange::PATH data-testid="dialog-form">
            <ConfirmFields preview token/>
            <p class="mt-4 rounded-md bg-slate-100 p-3 text-sm" data-testid="consent">{consent}</p>
            <p role="status" class="mt-2 text-sm font-medium empty:hidden" data-pending-text=t(locale, T::Confirming)></p>
            <div class="mt-4 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
                <button type="button" data-close="" data-testid="dialog-back" class=DIALOG_BACK>{t(locale, T::GoBack)}</button>
                <button type="submit" data-pays="" data-testid="dialog-confirm" class=DIALOG_CONFIRM>{button}</button>
            </div>
        </form>
    }
    .into_any()
}

const DIALOG_BACK: &str = "rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700 disabled:opacity-60";
const DIALOG_CONFIRM: &str = "rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-60";

/// The preview as the island places it: the panel (carrying the live region's sentence in
/// `data-announcement`) and, in a `<template>`, the dialog's content. HTML rendered and
/// escaped here, so the browser bundle carries no templates or formatting for them.
pub fn fragment(preview: PreviewView, token: String, locale: Locale) -> String {
    let announcement = preview.announcement.clone();
    view! {
        <div data-preview="" data-announcement=announcement>
            <PreviewPanel preview=preview.clone() locale/>
        </div>
        <template data-dialog-content="">
            <DialogBody preview token locale/>
        </template>
    }
    .to_html()
}

/// Why there is no preview, where the preview would be.
#[component]
pub fn PreviewProblem(text: String) -> impl IntoView {
    view! { <p role="alert" class="text-rose-800" data-testid="preview-problem">{text}</p> }
}

/// Why there is no preview, as the island places it (no dialog content: Continue stays off).
pub fn problem_fragment(text: &str) -> String {
    view! { <PreviewProblem text=text.to_owned()/> }.to_html()
}
