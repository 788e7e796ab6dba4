//! The plan-change page's interactive parts, the only code of it that ships in the WASM: the
//! live preview with its confirm dialog, and the status watcher. Both enhance plain HTML that
//! works without them (a GET form to the review page, a "Check again" link).
//!
//! To keep the WASM small they hold no views of their own beyond the dialog's frame and no
//! texts: the page, the preview's panel and the dialog's content (with its plain confirm form)
//! are HTML the server rendered; the islands move it into place, keep Continue disabled while
//! a preview is loading or missing, and run the dialog. They reach the server functions with
//! the browser's `fetch` ([`post_to_server_fn`]), not Leptos' server-function client.

use super::api::{PlanChangeSettled, PreviewPlanChange};
use super::dialog::{set_body_locked, trap_focus};
use crate::components::browser::{post_to_server_fn, show_press};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, HtmlButtonElement, HtmlInputElement};
use std::time::Duration;

/// Debounce before a preview is asked for, so seat typing does not flood Dodo.
const DEBOUNCE: Duration = Duration::from_millis(300);

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

fn find_input(root: &Element, selector: &str) -> Option<HtmlInputElement> {
    find(root, selector).and_then(|e| e.dyn_into().ok())
}

fn find_button(root: &Element, selector: &str) -> Option<HtmlButtonElement> {
    find(root, selector).and_then(|e| e.dyn_into().ok())
}

/// The content of the server-rendered `<template>` at `selector` (empty when there is none).
fn template_html(root: &Element, selector: &str) -> String {
    find(root, selector).map_or_else(String::new, |t| t.inner_html())
}

/// What the form currently asks to preview: token, plan, seats and (in a trial) timing.
struct Choice {
    token: String,
    plan: String,
    quantity: String,
    when: Option<String>,
}

impl Choice {
    fn read(root: &Element) -> Option<Choice> {
        let value = |selector| find_input(root, selector).map(|i| i.value());
        let quantity = value("input[name=quantity]").unwrap_or_else(|| "1".to_owned());
        // Seats being typed: wait for a whole number of at least one.
        if !quantity.parse::<i64>().is_ok_and(|q| q >= 1) {
            return None;
        }
        Some(Choice {
            token: value("input[name=token]")?,
            plan: value("input[name=plan]:checked")?,
            quantity,
            when: value("input[name=when]:checked"),
        })
    }
}

/// Live preview of the chosen plan and the confirm dialog. `children` is the server-rendered
/// form (plans, seats, the preview area and its button), which works as a plain GET form to
/// the review page without this island.
#[island(lazy)]
pub fn PlanChooser(children: Children) -> impl IntoView {
    crate::components::hydrated::island_ready();
    let root = NodeRef::<leptos::html::Div>::new();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // Only the latest request's answer is shown.
    let generation = StoredValue::new(0u64);

    let request_preview = move || {
        let (Some(root), Some(dialog)) = (root.get_untracked(), dialog.get_untracked()) else {
            return;
        };
        let Some(choice) = Choice::read(&root) else {
            return;
        };
        let g = generation.get_value() + 1;
        generation.set_value(g);
        show_loading(&root);
        set_timeout(
            move || {
                if generation.get_value() != g {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let mut fields = vec![
                        ("token", choice.token.as_str()),
                        ("product_id", choice.plan.as_str()),
                        ("quantity", choice.quantity.as_str()),
                    ];
                    if let Some(when) = &choice.when {
                        fields.push(("when", when));
                    }
                    let answer = post_to_server_fn(PreviewPlanChange::PATH, &fields).await;
                    if generation.get_value() == g {
                        show_answer(&root, &dialog, answer.and_then(|a| a.as_string()));
                    }
                });
            },
            DEBOUNCE,
        );
    };

    Effect::new(move |_| {
        let Some(root) = root.get() else {
            return;
        };
        // Continue now opens the dialog instead of submitting the form to the review page.
        if let Some(button) = find_button(&root, "[data-testid=continue]") {
            let _ = button.set_attribute("type", "button");
            button.set_text_content(button.get_attribute("data-ready-text").as_deref());
            button.set_disabled(true);
        }
        // The browser may have restored the form (back button): start from what it shows.
        request_preview();
    });

    let on_change = move |ev: leptos::ev::Event| {
        let is_choice = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|i| matches!(i.name().as_str(), "plan" | "quantity" | "when"));
        if is_choice {
            request_preview();
        }
    };

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let (Some(root), Some(dialog)) = (root.get_untracked(), dialog.get_untracked()) else {
            return;
        };
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let closest = |selector| target.closest(selector).ok().flatten();
        if closest("[data-testid=continue]").is_some() {
            ev.prevent_default();
            if dialog.has_attribute("data-has-content") && dialog.show_modal().is_ok() {
                set_body_locked(true);
                if let Some(back) = find_button(&dialog, "[data-close]") {
                    let _ = back.focus();
                }
            }
        } else if let Some(button) = closest("[data-choose]") {
            // The downsell offer's "see that plan": pick its radio and preview it.
            let product = button.get_attribute("data-choose").unwrap_or_default();
            if let Some(radio) =
                find_input(&root, &format!("input[name=plan][value=\"{product}\"]"))
            {
                radio.set_checked(true);
                let _ = radio.focus();
            }
            request_preview();
        } else if closest("[data-dismiss]").is_some()
            && let Some(offer) = closest("[data-downsell]")
        {
            // Its "no thanks": the offer goes, focus returns to Continue.
            offer.remove();
            if let Some(button) = find_button(&root, "[data-testid=continue]") {
                let _ = button.focus();
            }
        }
    };

    let on_dialog_click = move |ev: leptos::ev::MouseEvent| {
        let on_back = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("[data-close]").ok().flatten())
            .is_some();
        if on_back && let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    // Runs however the dialog closed (Go back, Escape): unlock and return focus.
    let on_close = move |_| {
        set_body_locked(false);
        if let Some(button) = root
            .get_untracked()
            .and_then(|r| find_button(&r, "[data-testid=continue]"))
        {
            let _ = button.focus();
        }
    };
    let keep_focus_inside = move |ev: leptos::ev::KeyboardEvent| {
        let Some(d) = dialog.get_untracked() else {
            return;
        };
        if let (Some(first), Some(last)) = (
            find_button(&d, "[data-close]"),
            find_button(&d, "[data-testid=dialog-confirm]"),
        ) {
            trap_focus(&ev, &first, &last);
        }
    };

    view! {
        <div node_ref=root on:change=on_change on:input=on_change on:click=on_click>
            {children()}
        </div>
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
            on:click=on_dialog_click
            on:submit=move |ev| show_press(&ev)
        ></dialog>
    }
}

/// While a preview is on its way: the shown one dims, or the skeleton stands in; Continue
/// waits for the answer.
fn show_loading(root: &Element) {
    let Some(area) = find(root, "[data-testid=preview-area]") else {
        return;
    };
    let _ = area.set_attribute("aria-busy", "true");
    if find(&area, "[data-preview]").is_some() {
        let _ = area.class_list().add_1("opacity-60");
    } else {
        area.set_inner_html(&template_html(root, "template[data-skeleton]"));
    }
    if let Some(button) = find_button(root, "[data-testid=continue]") {
        button.set_disabled(true);
    }
}

/// Places the server's answer (`None`: it did not arrive, and the page's offline alert stands
/// in): the panel in the area, the dialog's
/// content in the dialog, the sentence in the live region; Continue is usable only with a
/// preview to confirm.
fn show_answer(root: &Element, dialog: &Element, html: Option<String>) {
    let Some(area) = find(root, "[data-testid=preview-area]") else {
        return;
    };
    let html = html.unwrap_or_else(|| template_html(root, "template[data-offline]"));
    area.set_inner_html(&html);
    let content = find(&area, "template[data-dialog-content]");
    match &content {
        Some(template) => {
            dialog.set_inner_html(&template.inner_html());
            let _ = dialog.set_attribute("data-has-content", "");
            template.remove();
        }
        None => {
            dialog.set_inner_html("");
            let _ = dialog.remove_attribute("data-has-content");
        }
    }
    let announcement = find(&area, "[data-announcement]")
        .and_then(|p| p.get_attribute("data-announcement"))
        .unwrap_or_default();
    if let Some(live) = find(root, "[data-testid=preview-announcement]") {
        live.set_text_content(Some(&announcement));
    }
    let ready = content.is_some();
    let _ = area.class_list().remove_1("opacity-60");
    let _ = area.set_attribute("aria-busy", "false");
    let _ = area.set_attribute("data-ready", if ready { "true" } else { "false" });
    if let Some(button) = find_button(root, "[data-testid=continue]") {
        button.set_disabled(!ready);
    }
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
                let fields = [("token", token.as_str()), ("attempt", attempt.as_str())];
                let answer = post_to_server_fn(PlanChangeSettled::PATH, &fields).await;
                if answer.and_then(|a| a.as_bool()) == Some(true) {
                    let _ = window().location().reload();
                } else if left > 0 {
                    watch(token, attempt, left - 1);
                }
            })
        },
        Duration::from_millis(1000),
    );
}
