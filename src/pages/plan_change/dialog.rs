//! The confirm dialog's behaviour the browser does not give a `<dialog>` by itself: the page
//! behind it does not scroll, and Tab stays inside it.

use leptos::prelude::*;
use leptos::web_sys::{HtmlButtonElement, KeyboardEvent};

/// Locks (or unlocks) the page's scrolling while the dialog is open.
pub fn set_body_locked(locked: bool) {
    if let Some(body) = document().body() {
        let classes = body.class_list();
        let _ = if locked {
            classes.add_1("overflow-hidden")
        } else {
            classes.remove_1("overflow-hidden")
        };
    }
}

/// Keeps Tab and Shift+Tab between the dialog's `first` and `last` buttons; while `last` is
/// disabled (confirming), focus stays on `first`.
pub fn trap_focus(ev: &KeyboardEvent, first: &HtmlButtonElement, last: &HtmlButtonElement) {
    if ev.key() != "Tab" {
        return;
    }
    let active = document().active_element();
    let is = |el: &HtmlButtonElement| {
        active
            .as_ref()
            .is_some_and(|a| a.is_same_node(Some(el.as_ref())))
    };
    let last_usable = !last.disabled();
    if ev.shift_key() && (is(first) || !last_usable && !is(last)) {
        ev.prevent_default();
        let _ = if last_usable {
            last.focus()
        } else {
            first.focus()
        };
    } else if !ev.shift_key() && (is(last) || !last_usable) {
        ev.prevent_default();
        let _ = first.focus();
    }
}
