//! The plan-change page's interactive parts, the only code of it that ships in the WASM:
//! the live preview with its confirm dialog, and the status watcher. Both enhance plain HTML
//! that works without them (a GET form to the review page, a "Check again" link).

use super::api::{ConfirmAnswer, confirm_plan_change, plan_change_settled, preview_plan_change};
use super::model::PreviewView;
use super::text::PlanChangeText as T;
use crate::i18n::{Locale, t};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use std::time::Duration;

/// Debounce before a preview is asked for, so seat typing does not flood Dodo.
const DEBOUNCE: Duration = Duration::from_millis(300);

fn error_text(e: ServerFnError, locale: Locale) -> String {
    match e {
        ServerFnError::ServerError(message) => message,
        _ => t(locale, T::PreviewFailed).to_owned(),
    }
}

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
        ..
    } = preview;
    let has_lines = !lines.is_empty();
    view! {
        <table class="mt-4 w-full text-left text-sm tabular-nums" data-testid="line-items">
            <caption class="sr-only">{t(locale, T::TableCaption)}</caption>
            <thead class="text-xs text-slate-600">
                <tr>
                    <th scope="col" class="py-1 pr-2 font-medium">{t(locale, T::ColItem)}</th>
                    <th scope="col" class="py-1 pr-2 text-right font-medium">{t(locale, T::ColUnitPrice)}</th>
                    <th scope="col" class="py-1 pr-2 text-right font-medium">{t(locale, T::ColQuantity)}</th>
                    <th scope="col" class="py-1 text-right font-medium">{t(locale, T::ColPeriod)}</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|l| {
                        view! {
                            <tr class="border-t border-slate-200">
                                <td class="py-2 pr-2">{l.item}</td>
                                <td class="py-2 pr-2 text-right">{l.unit_price}</td>
                                <td class="py-2 pr-2 text-right">{l.quantity}</td>
                                <td class="py-2 text-right">{l.period}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
                {(!has_lines)
                    .then(|| {
                        view! {
                            <tr class="border-t border-slate-200">
                                <td colspan="4" class="py-2 text-slate-700">{t(locale, T::NoLineItems)}</td>
                            </tr>
                        }
                    })}
            </tbody>
            <tfoot class="border-t-2 border-slate-300">
                {credit
                    .map(|(label, value)| {
                        view! {
                            <tr>
                                <th scope="row" colspan="3" class="py-1 pr-2 font-normal">{label}</th>
                                <td class="py-1 text-right font-medium text-emerald-800" data-testid="credit">{value}</td>
                            </tr>
                        }
                    })}
                <tr>
                    <th scope="row" colspan="3" class="py-1 pr-2 font-normal">{t(locale, T::Tax)}</th>
                    <td class="py-1 text-right" data-testid="tax">{tax}</td>
                </tr>
                <tr class="text-base">
                    <th scope="row" colspan="3" class="py-1 pr-2 font-semibold">{t(locale, T::TotalDueToday)}</th>
                    <td class="py-1 text-right font-semibold" data-testid="total-due">{total}</td>
                </tr>
            </tfoot>
        </table>
        {credit_note.map(|note| view! { <p class="mt-2 text-sm text-slate-700">{note}</p> })}
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

fn checked_plan() -> Option<String> {
    document()
        .query_selector("input[name=plan]:checked")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
}

fn quantity_input() -> Option<i64> {
    document()
        .query_selector("input[name=quantity]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.value().parse().ok())
}

fn set_body_locked(locked: bool) {
    if let Some(body) = document().body() {
        let classes = body.class_list();
        let _ = if locked {
            classes.add_1("overflow-hidden")
        } else {
            classes.remove_1("overflow-hidden")
        };
    }
}

/// Live preview of the chosen plan and the confirm dialog. `children` is the server-rendered
/// plan choice (radios, seats), which also works as a plain GET form without this island.
#[island]
pub fn PlanChooser(
    locale: Locale,
    token: String,
    current_quantity: i64,
    selected: Option<String>,
    children: Children,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let plan = RwSignal::new(selected);
    let quantity = RwSignal::new(current_quantity.max(1));
    let preview = RwSignal::new(None::<PreviewView>);
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let downsell_dismissed = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let confirm_problem = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);
    let token = StoredValue::new(token);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let trigger = NodeRef::<leptos::html::Button>::new();
    let back_button = NodeRef::<leptos::html::Button>::new();
    let pay_button = NodeRef::<leptos::html::Button>::new();

    // Asks for a preview of the current choice after a quiet moment; only the latest answer
    // is shown, and Confirm stays disabled until it arrives.
    let request_preview = move || {
        let Some(product) = plan.get_untracked() else {
            return;
        };
        let q = quantity.get_untracked();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        loading.set(true);
        set_timeout(
            move || {
                if generation.get_value() != g {
                    return;
                }
                let token = token.get_value();
                leptos::task::spawn_local(async move {
                    let result = preview_plan_change(token, product, q).await;
                    if generation.get_value() != g {
                        return;
                    }
                    match result {
                        Ok(p) => {
                            if preview.with_untracked(|old| {
                                old.as_ref().map(|o| &o.product_id) != Some(&p.product_id)
                            }) {
                                downsell_dismissed.set(false);
                            }
                            preview.set(Some(p));
                            problem.set(None);
                        }
                        Err(e) => {
                            preview.set(None);
                            problem.set(Some(error_text(e, locale)));
                        }
                    }
                    loading.set(false);
                });
            },
            DEBOUNCE,
        );
    };

    Effect::new(move |_| {
        hydrated.set(true);
        // The browser may have restored the form (back button): start from what it shows.
        if let Some(p) = checked_plan() {
            plan.set(Some(p));
        }
        if let Some(q) = quantity_input() {
            quantity.set(q.max(1));
        }
        request_preview();
    });

    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        match input.name().as_str() {
            "plan" => plan.set(Some(input.value())),
            "quantity" => match input.value().parse::<i64>() {
                Ok(q) if q >= 1 => quantity.set(q),
                _ => return,
            },
            _ => return,
        }
        notice.set(None);
        request_preview();
    };

    let choose = move |product: String| {
        if let Ok(Some(el)) =
            document().query_selector(&format!("input[name=plan][value=\"{product}\"]"))
            && let Ok(input) = el.dyn_into::<leptos::web_sys::HtmlInputElement>()
        {
            input.set_checked(true);
            let _ = input.focus();
        }
        plan.set(Some(product));
        request_preview();
    };

    let open_dialog = move |_| {
        confirm_problem.set(None);
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
            set_body_locked(true);
            if let Some(back) = back_button.get() {
                let _ = back.focus();
            }
        }
    };
    let close_dialog = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    // Runs however the dialog closed (Go back, Escape): unlock and return focus.
    let on_close = move |_| {
        set_body_locked(false);
        if let Some(button) = trigger.get() {
            let _ = button.focus();
        }
    };
    let trap_focus = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Tab" {
            return;
        }
        let (Some(first), Some(last)) = (back_button.get(), pay_button.get()) else {
            return;
        };
        let active = document().active_element();
        let is = |el: &leptos::web_sys::HtmlButtonElement| {
            active
                .as_ref()
                .is_some_and(|a| a.is_same_node(Some(el.as_ref())))
        };
        let last_usable = !last.disabled();
        if ev.shift_key() && (is(&first) || !last_usable && !is(&last)) {
            ev.prevent_default();
            let _ = if last_usable {
                last.focus()
            } else {
                first.focus()
            };
        } else if !ev.shift_key() && (is(&last) || !last_usable) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };
    let confirm = move |_| {
        let Some(p) = preview.get_untracked() else {
            return;
        };
        if confirming.get_untracked() {
            return;
        }
        confirming.set(true);
        confirm_problem.set(None);
        let token = token.get_value();
        leptos::task::spawn_local(async move {
            match confirm_plan_change(token, p.product_id, p.quantity, Some(p.total_minor)).await {
                Ok(ConfirmAnswer {
                    go_to: Some(url), ..
                }) => {
                    // Stay "confirming" until the status page loads.
                    let _ = window().location().assign(&url);
                }
                Ok(answer) => {
                    confirming.set(false);
                    if answer.repreview {
                        notice.set(answer.problem);
                        close_dialog();
                        request_preview();
                    } else {
                        confirm_problem.set(answer.problem);
                    }
                }
                Err(e) => {
                    confirming.set(false);
                    confirm_problem.set(Some(error_text(e, locale)));
                }
            }
        });
    };

    let ready = move || !loading.get() && preview.with(|p| p.is_some());
    let panel = move || {
        if let Some(message) = problem.get() {
            return view! {
                <p role="alert" class="text-rose-800" data-testid="preview-problem">{message}</p>
            }
            .into_any();
        }
        match preview.get() {
            None if loading.get() => view! {
                <div class="animate-pulse space-y-3 motion-reduce:animate-none" data-testid="preview-skeleton">
                    <p class="sr-only">{t(locale, T::PreviewLoading)}</p>
                    <div class="h-8 w-32 rounded bg-slate-200"></div>
                    <div class="h-4 w-full rounded bg-slate-200"></div>
                    <div class="h-4 w-2/3 rounded bg-slate-200"></div>
                </div>
            }
            .into_any(),
            None => view! {
                <p class="text-slate-700" data-testid="preview-idle">{t(locale, T::PreviewIdle)}</p>
            }
            .into_any(),
            Some(p) => {
                let downsell = p.downsell.clone().filter(|_| !downsell_dismissed.get());
                view! {
                    <div class:opacity-60=move || loading.get() data-testid="preview-ready">
                        {downsell
                            .map(|d| {
                                let product = d.product_id.clone();
                                view! {
                                    <div class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3" data-testid="downsell">
                                        <p class="font-semibold">{t(locale, T::DownsellHeading)}</p>
                                        <p class="mt-1">{d.headline}</p>
                                        <ul class="mt-1 list-disc pl-5 text-sm">
                                            {d.value_points.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}
                                        </ul>
                                        <div class="mt-3 flex flex-col gap-2 sm:flex-row">
                                            <button
                                                type="button"
                                                class="rounded-lg bg-amber-700 px-3 py-2 text-sm font-medium text-white hover:bg-amber-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700"
                                                on:click=move |_| choose(product.clone())
                                            >
                                                {d.try_label}
                                            </button>
                                            <button
                                                type="button"
                                                class="rounded-lg border border-slate-300 px-3 py-2 text-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700"
                                                on:click=move |_| downsell_dismissed.set(true)
                                            >
                                                {d.decline_label}
                                            </button>
                                        </div>
                                    </div>
                                }
                            })}
                        <p class="text-sm text-slate-600">{t(locale, T::TotalDueToday)}</p>
                        <p class="text-3xl font-bold tabular-nums" data-testid="preview-total">{p.total}</p>
                        <p class="mt-2 text-slate-700" data-testid="preview-summary">{p.summary}</p>
                        {p.next_bill.map(|n| view! { <p class="mt-1 text-sm text-slate-600">{crate::i18n::tf(locale, T::NextBillLine, &[("value", &n)])}</p> })}
                    </div>
                }
                .into_any()
            }
        }
    };
    let announcement = move || {
        if loading.get() {
            return String::new();
        }
        preview.with(|p| {
            p.as_ref()
                .map(|p| p.announcement.clone())
                .unwrap_or_default()
        })
    };
    let dialog_view = move || {
        let p = preview.get().unwrap_or_default();
        let has_preview = !p.title.is_empty();
        let title = p.title.clone();
        let summary = p.summary.clone();
        let consent = p.consent.clone();
        let button = p.button.clone();
        view! {
            <h2 id="pc-dialog-title" class="text-xl font-bold">{title}</h2>
            <p id="pc-dialog-summary" class="mt-2 text-slate-700">{summary}</p>
            {has_preview.then(|| view! { <PreviewDetails preview=p locale/> }.into_any())}
            <p class="mt-4 rounded-md bg-slate-100 p-3 text-sm" data-testid="consent">{consent}</p>
            <p role="alert" class="mt-2 text-sm text-rose-800" data-testid="confirm-problem">
                {move || confirm_problem.get()}
            </p>
            <div class="mt-4 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
                <button
                    type="button"
                    node_ref=back_button
                    data-testid="dialog-back"
                    class="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700"
                    on:click=move |_| close_dialog()
                >
                    {t(locale, T::GoBack)}
                </button>
                <button
                    type="button"
                    node_ref=pay_button
                    data-testid="dialog-confirm"
                    class="rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-60"
                    disabled=move || confirming.get()
                    on:click=confirm
                >
                    {move || if confirming.get() { t(locale, T::Confirming).to_owned() } else { button.clone() }}
                </button>
            </div>
        }
        .into_any()
    };

    let panel_section = view! {
        <section aria-labelledby="pc-preview-heading" class="mt-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
            <h2 id="pc-preview-heading" class="text-lg font-semibold">{t(locale, T::PreviewHeading)}</h2>
            <p class="sr-only" aria-live="polite" data-testid="preview-announcement">{announcement}</p>
            {move || notice.get().map(|n| view! { <p role="status" class="mt-2 text-amber-900" data-testid="preview-notice">{n}</p> })}
            <div class="mt-3 min-h-44" aria-busy=move || loading.get().to_string() data-testid="preview-area">
                {panel}
            </div>
            <div class="mt-4">
                {move || {
                    if hydrated.get() {
                        view! {
                            <button
                                type="button"
                                node_ref=trigger
                                data-testid="continue"
                                class="w-full rounded-lg bg-indigo-700 px-4 py-3 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:cursor-not-allowed disabled:opacity-60 sm:w-auto"
                                disabled=move || !ready()
                                on:click=open_dialog
                            >
                                {t(locale, T::ContinueButton)}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button
                                type="submit"
                                data-testid="review-submit"
                                class="w-full rounded-lg bg-indigo-700 px-4 py-3 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 sm:w-auto"
                            >
                                {t(locale, T::ReviewButton)}
                            </button>
                        }
                        .into_any()
                    }
                }}
            </div>
        </section>
    }
    .into_any();
    let dialog_element = view! {
        <dialog
            node_ref=dialog
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="pc-dialog-title"
            aria-describedby="pc-dialog-summary"
            data-testid="confirm-dialog"
            class="m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/60 sm:p-6"
            on:close=on_close
            on:keydown=trap_focus
        >
            {dialog_view}
        </dialog>
    }
    .into_any();
    view! {
        <div on:change=on_change on:input=on_change>
            {children()}
        </div>
        {panel_section}
        {dialog_element}
    }
    .into_any()
}

/// Watches a change in progress and reloads the status page once it has settled. Without
/// JavaScript the page's "Check again" link does the same by hand.
#[island]
pub fn StatusWatcher(token: String, attempt: String) -> impl IntoView {
    Effect::new(move |_| watch(token.clone(), attempt.clone(), 180));
    view! { <span hidden></span> }
}

fn watch(token: String, attempt: String, left: u32) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                match plan_change_settled(token.clone(), attempt.clone()).await {
                    Ok(true) => {
                        let _ = window().location().reload();
                    }
                    _ if left > 0 => watch(token, attempt, left - 1),
                    _ => {}
                }
            })
        },
        Duration::from_millis(1000),
    );
}
