//! The plan-change page's interactive parts, the only code of it that ships in the WASM: the
//! live preview with its confirm dialog, and the status watcher. Both enhance plain HTML that
//! works without them (a GET form to the review page, a "Check again" link).
//!
//! To keep the shared WASM small, the preview's panel and the dialog's content arrive as HTML
//! rendered and escaped by the server ([`PreviewFragment`]); the islands only place it, keep
//! Confirm disabled while it is loading or stale, and run the dialog. Its sentences arrive as
//! props too ([`ChooserTexts`]): no text catalogue is compiled into the WASM.

use super::api::{confirm_plan_change, plan_change_settled, preview_plan_change};
use super::dialog::{set_body_locked, trap_focus};
use crate::types::plan_change::{ChooserTexts, ConfirmAnswer, PreviewFragment};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, HtmlInputElement};
use std::time::Duration;

/// Debounce before a preview is asked for, so seat typing does not flood Dodo.
const DEBOUNCE: Duration = Duration::from_millis(300);

fn input(selector: &str) -> Option<HtmlInputElement> {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
}

/// Escapes text for the few HTML snippets the island writes itself.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Live preview of the chosen plan and the confirm dialog. `children` is the server-rendered
/// plan choice (radios, seats), which also works as a plain GET form without this island.
#[island(lazy)]
pub fn PlanChooser(
    texts: ChooserTexts,
    token: String,
    current_quantity: i64,
    selected: Option<String>,
    children: Children,
) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let hydrated = RwSignal::new(false);
    let plan = RwSignal::new(selected);
    let quantity = RwSignal::new(current_quantity.max(1));
    // A trial's choice of timing (`trial_end`, `now`); `None` outside a trial.
    let when = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<PreviewFragment>);
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let confirm_problem = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);
    let token = StoredValue::new(token);
    let texts = StoredValue::new(texts);
    let text = move |pick: fn(&ChooserTexts) -> &String| texts.with_value(|t| pick(t).clone());
    let error_text =
        move |e: crate::error::AppError| texts.with_value(|t| t.error(e.kind()).to_owned());
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
        let w = when.get_untracked();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        loading.set(true);
        set_timeout(
            move || {
                if generation.get_value() != g {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let result = preview_plan_change(token.get_value(), product, q, w).await;
                    if generation.get_value() != g {
                        return;
                    }
                    match result {
                        Ok(p) => {
                            preview.set(Some(p));
                            problem.set(None);
                        }
                        Err(e) => {
                            preview.set(None);
                            problem.set(Some(error_text(e)));
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
        if let Some(p) = input("input[name=plan]:checked") {
            plan.set(Some(p.value()));
        }
        if let Some(q) = input("input[name=quantity]").and_then(|i| i.value().parse().ok()) {
            quantity.set(1.max(q));
        }
        if let Some(w) = input("input[name=when]:checked") {
            when.set(Some(w.value()));
        }
        request_preview();
    });

    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        match input.name().as_str() {
            "plan" => plan.set(Some(input.value())),
            "quantity" => match input.value().parse::<i64>() {
                Ok(q) if q >= 1 => quantity.set(q),
                _ => return,
            },
            "when" => when.set(Some(input.value())),
            _ => return,
        }
        notice.set(None);
        request_preview();
    };

    // The server-rendered downsell offer: "see that plan" picks its radio; "no thanks" hides it.
    let on_panel_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Ok(Some(button)) = target.closest("[data-choose]") {
            let product = button.get_attribute("data-choose").unwrap_or_default();
            if let Some(radio) = input(&format!("input[name=plan][value=\"{product}\"]")) {
                radio.set_checked(true);
                let _ = radio.focus();
            }
            plan.set(Some(product));
            request_preview();
        } else if let Ok(Some(offer)) = target.closest("[data-downsell]")
            && target.closest("[data-dismiss]").ok().flatten().is_some()
        {
            offer.remove();
            if let Some(button) = trigger.get() {
                let _ = button.focus();
            }
        }
    };

    let open_dialog = move |_: leptos::ev::MouseEvent| {
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
    let keep_focus_inside = move |ev: leptos::ev::KeyboardEvent| {
        if let (Some(first), Some(last)) = (back_button.get(), pay_button.get()) {
            trap_focus(&ev, &first, &last);
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
        leptos::task::spawn_local(async move {
            let agreed = p.agreed;
            match confirm_plan_change(
                token.get_value(),
                p.product_id,
                Some(p.quantity.to_string()),
                Some(agreed.total_minor.to_string()),
                Some(agreed.currency),
                Some(agreed.tax_minor.to_string()),
                Some(agreed.credits_minor.to_string()),
                Some(agreed.next_billing.to_string()),
                Some(p.when),
            )
            .await
            {
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
                    confirm_problem.set(Some(error_text(e)));
                }
            }
        });
    };

    // The panel is one element whose HTML is the server's preview, or a short state of ours.
    let panel_html = move || {
        if let Some(message) = problem.get() {
            return format!(
                "<p role=\"alert\" class=\"text-rose-800\" data-testid=\"preview-problem\">{}</p>",
                escape(&message)
            );
        }
        match preview.get() {
            Some(p) => p.panel_html,
            None if loading.get() => format!(
                "<div class=\"animate-pulse space-y-3 motion-reduce:animate-none\" data-testid=\"preview-skeleton\">\
                 <p class=\"sr-only\">{}</p><div class=\"h-8 w-32 rounded bg-slate-200\"></div>\
                 <div class=\"h-4 w-full rounded bg-slate-200\"></div><div class=\"h-4 w-2/3 rounded bg-slate-200\"></div></div>",
                escape(&text(|t| &t.loading))
            ),
            None => format!(
                "<p class=\"text-slate-700\" data-testid=\"preview-idle\">{}</p>",
                escape(&text(|t| &t.idle))
            ),
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
    let panel_section = view! {
        <section aria-labelledby="pc-preview-heading" class="mt-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
            <h2 id="pc-preview-heading" class="text-lg font-semibold">{text(|t| &t.heading)}</h2>
            <p class="sr-only" aria-live="polite" data-testid="preview-announcement">{announcement}</p>
            <p role="status" class="mt-2 text-amber-900 empty:hidden" data-testid="preview-notice">{move || notice.get()}</p>
            <div
                class="mt-3 min-h-44"
                class:opacity-60=move || loading.get() && preview.with(Option::is_some)
                aria-busy=move || loading.get().to_string()
                data-testid="preview-area"
                data-ready=move || preview.with(Option::is_some).to_string()
                on:click=on_panel_click
                inner_html=panel_html
            ></div>
            <div class="mt-4">
                // Before the WASM arrives this submits the form to the review page; then it
                // opens the confirm dialog, once a fresh preview is shown.
                <button
                    type=move || if hydrated.get() { "button" } else { "submit" }
                    node_ref=trigger
                    data-testid="continue"
                    class="w-full rounded-lg bg-indigo-700 px-4 py-3 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:cursor-not-allowed disabled:opacity-60 sm:w-auto"
                    disabled=move || hydrated.get() && (loading.get() || preview.with(Option::is_none))
                    on:click=move |ev| {
                        if hydrated.get_untracked() {
                            open_dialog(ev);
                        }
                    }
                >
                    {move || if hydrated.get() { text(|t| &t.continue_button) } else { text(|t| &t.review_button) }}
                </button>
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
            on:keydown=keep_focus_inside
        >
            <div inner_html=move || preview.with(|p| p.as_ref().map(|p| p.dialog_html.clone()).unwrap_or_default())></div>
            <p role="alert" class="mt-2 text-sm text-rose-800" data-testid="confirm-problem">{move || confirm_problem.get()}</p>
            <div class="mt-4 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
                <button
                    type="button"
                    node_ref=back_button
                    data-testid="dialog-back"
                    class="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700"
                    on:click=move |_| close_dialog()
                >
                    {text(|t| &t.go_back)}
                </button>
                <button
                    type="button"
                    node_ref=pay_button
                    data-testid="dialog-confirm"
                    class="rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-60"
                    disabled=move || confirming.get()
                    on:click=confirm
                >
                    {move || {
                        if confirming.get() {
                            text(|t| &t.confirming)
                        } else {
                            preview.with(|p| p.as_ref().map(|p| p.button.clone()).unwrap_or_default())
                        }
                    }}
                </button>
            </div>
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
#[island(lazy)]
pub fn StatusWatcher(token: String, attempt: String) -> impl IntoView {
    crate::components::hydrated::island_ready();
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
