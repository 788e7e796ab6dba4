//! What every page of a request needs to know about it — the customer's language, whether the
//! page sits in a merchant's iframe, which Dodo the server talks to — computed once per request
//! on the server (`server::context`, called from the router's per-request hook) and read here
//! by pages and components. Islands in the browser receive what they need as props; there the
//! context is the default.

use crate::i18n::Locale;
use leptos::prelude::use_context;

/// Which Dodo the server talks to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DodoMode {
    /// The embedded sandbox (`crates/dodo-sandbox`), started in-process.
    #[default]
    Sandbox,
    /// Dodo's test mode (`DODO_PAYMENTS_ENVIRONMENT=test_mode`).
    Test,
    /// Dodo's live mode: real money.
    Live,
}

impl DodoMode {
    pub fn label(self) -> &'static str {
        match self {
            DodoMode::Sandbox => "sandbox",
            DodoMode::Test => "test mode",
            DodoMode::Live => "live mode",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestContext {
    pub locale: Locale,
    /// Shown inside a merchant's iframe (`?embed=1`, added by `embed.js`).
    pub embedded: bool,
    /// This page's address without `embed=1` (the session token stays), for "Open in a new
    /// tab".
    pub new_tab_url: String,
    /// This page's address without `lang` (`embed=1` and the token stay), for the language
    /// switcher's links.
    pub path_and_query: String,
    /// The origins allowed to frame the pages; the frame script posts events only to them.
    pub merchant_origins: Vec<String>,
    pub dodo: DodoMode,
}

/// The context of the request being rendered (the default outside one).
pub fn request_context() -> RequestContext {
    use_context::<RequestContext>().unwrap_or_default()
}

/// The language of this response: `?lang=`, then the `lang` cookie, then the customer's
/// `preferred_locale` at Dodo, then `Accept-Language`, then the merchant's default.
pub fn current_locale() -> Locale {
    use_context::<RequestContext>()
        .map(|c| c.locale)
        .unwrap_or_default()
}

/// Whether this page is shown inside a merchant's iframe.
pub fn is_embedded() -> bool {
    use_context::<RequestContext>().is_some_and(|c| c.embedded)
}
