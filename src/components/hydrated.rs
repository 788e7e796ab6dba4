//! The `data-hydrated="true"` marker on `<body>`: set once every island of the page has its
//! handlers, so tests (and merchants' scripts) wait for it instead of sleeping.
//!
//! Islands are lazy (each page downloads only its own islands' code, see README "Page
//! weight"): Leptos' loader hydrates them one after another as their WASM chunks arrive, long
//! after `hydrate()` has returned. So the marker waits until each island on the page has said
//! it is ready ([`island_ready`]), and a page without islands is marked by [`page_ready`].

#[cfg(feature = "hydrate")]
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many islands have finished hydrating on this page.
#[cfg(feature = "hydrate")]
static READY: AtomicUsize = AtomicUsize::new(0);

/// Called from every island: once the island's view is hydrated (an effect runs after that),
/// counts it and marks the page when it was the last one.
pub fn island_ready() {
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(|_| {
        READY.fetch_add(1, Ordering::Relaxed);
        mark_if_all_ready();
    });
}

/// Called once by `hydrate()`, after the loader has started: marks a page that has no islands
/// (or whose islands were all quicker than this).
#[cfg(feature = "hydrate")]
pub fn page_ready() {
    // A zero-delay timer runs after the loader's first, synchronous step.
    leptos::prelude::set_timeout(mark_if_all_ready, std::time::Duration::ZERO);
}

#[cfg(feature = "hydrate")]
fn mark_if_all_ready() {
    let document = leptos::prelude::document();
    let islands = document.get_elements_by_tag_name("leptos-island").length() as usize;
    if READY.load(Ordering::Relaxed) < islands {
        return;
    }
    if let Some(body) = document.body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
