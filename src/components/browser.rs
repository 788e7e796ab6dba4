//! What the islands do with the page the server rendered, using the browser's own APIs: post
//! to a server function with `fetch`, and make a form's press visible at once. Islands use
//! these instead of Leptos' server-function client, whose encoders and decoders would weigh
//! more in the WASM than every island together (README, "Page weight").

use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::web_sys::{Element, HtmlButtonElement, SubmitEvent};

/// Posts `fields` form-encoded to the server function at `path`, as the Leptos client would
/// (asking for JSON, so the server answers with a value rather than a redirect), and returns
/// the decoded answer. `None` when the request did not complete or the server answered with
/// an error: the callers then show their server-rendered "try again" text.
pub async fn post_to_server_fn(path: &str, fields: &[(&str, &str)]) -> Option<JsValue> {
    use leptos::web_sys::{Headers, RequestInit, Response, UrlSearchParams};
    use wasm_bindgen_futures::JsFuture;
    let body = UrlSearchParams::new().ok()?;
    for (name, value) in fields {
        body.append(name, value);
    }
    let headers = Headers::new().ok()?;
    headers.set("Accept", "application/json").ok()?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    let sent = window().fetch_with_str_and_init(path, &init);
    let response: Response = JsFuture::from(sent).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.json().ok()?).await.ok()
}

/// For a `submit` event on `area` (an element around server-rendered forms): the first press
/// disables every button inside (a double click or a second choice posts nothing more) and,
/// when the pressed button is marked `data-pays`, shows the `data-pending-text` of the
/// area's progress line. A second submit is cancelled. The browser then posts the form as it
/// would without JavaScript: its entries are read after this event, and the buttons carry no
/// value, so disabling them does not change what is posted.
pub fn show_press(ev: &SubmitEvent) {
    let Some(area) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<Element>().ok())
    else {
        return;
    };
    if area.has_attribute("data-pressed") {
        ev.prevent_default();
        return;
    }
    let _ = area.set_attribute("data-pressed", "");
    let buttons = area.get_elements_by_tag_name("button");
    for i in 0..buttons.length() {
        if let Some(button) = buttons
            .item(i)
            .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
        {
            button.set_disabled(true);
        }
    }
    let pays = ev.submitter().is_some_and(|b| b.has_attribute("data-pays"));
    if pays && let Ok(Some(progress)) = area.query_selector("[data-pending-text]") {
        progress.set_text_content(progress.get_attribute("data-pending-text").as_deref());
    }
}
