//! The one piece of state every handler and server function reaches: configuration, store and
//! how to reach Dodo. `leptos_axum` provides it as context to server functions and pages.

use super::config::Config;
use super::links::LinkSigner;
use super::secret::Secret;
use super::store::Store;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;

/// Where the Dodo API is and how to authenticate: the real API or the embedded sandbox.
#[derive(Clone, Debug)]
pub struct DodoEndpoint {
    pub base_url: String,
    pub api_key: Secret,
    pub webhook_key: Option<Secret>,
}

/// The state is cloned many times per request (each route and middleware layer holds a copy,
/// and every server function and page takes one from its context): a profile of the offer
/// page found those clones — each field's `String`s, maps and HTTP clients copied — at a tenth
/// of the server's instructions. So it is one shared [`AppStateInner`] behind an `Arc`, and a
/// clone is a reference count. Fields are read through `Deref`. `DerefMut` is for wiring the
/// state before the server starts (tests swap the clock or the rate limits); on a state already
/// shared it changes a copy of its own (`Arc::make_mut`), never what the other holders see.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut AppStateInner {
        Arc::make_mut(&mut self.0)
    }
}

/// What [`AppState`] shares.
#[derive(Clone)]
pub struct AppStateInner {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub store: Store,
    pub dodo: DodoEndpoint,
    pub dodo_client: dodo_client::DodoClient,
    pub links: LinkSigner,
    /// Verifies `POST /webhooks/dodo`; `None` when no webhook key is configured.
    pub webhook_verifier: Option<Arc<standardwebhooks::Webhook>>,
    pub rate_limits: super::request_guard::SharedRateLimits,
    pub merchant: Arc<super::merchant::MerchantConfig>,
    /// Plans, collections and products read from Dodo for plan changes, cached briefly.
    pub plan_catalog: super::plan_change::catalog::Catalog,
    /// Dodo reads the pages share (products, final payments, customers' methods).
    pub dodo_reads: super::dodo_reads::DodoReads,
    /// Offers whose Pay is being checked on this instance (shown as processing meanwhile).
    pub accepting: super::offer::accepting::Accepting,
    /// "Now" as Dodo sees it: real time, or the embedded sandbox's movable clock.
    pub clock: DodoClock,
    /// Every money-moving call goes through it (see `server::attempts`).
    pub engine: super::attempts::Engine,
    /// What the startup checks found wrong with merchant.toml (the dashboard lists it).
    pub config_warnings: super::merchant::ConfigWarnings,
}

/// The time that Dodo's timestamps (a payment's creation, a billing date) are compared with.
/// Against real Dodo that is the wall clock; against the embedded sandbox it is the sandbox's
/// clock, which tests and demos can move forward.
#[derive(Clone)]
pub enum DodoClock {
    System,
    Sandbox(dodo_sandbox::SandboxState),
}

impl DodoClock {
    /// Unix milliseconds.
    pub fn now_millis(&self) -> i64 {
        match self {
            DodoClock::System => super::store::now_millis(),
            DodoClock::Sandbox(sandbox) => {
                (sandbox.now().unix_timestamp_nanos() / 1_000_000) as i64
            }
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("dodo", &self.dodo)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Wires the state from its parts: the Dodo client for `dodo`, the link signer (the
    /// configured key, or one generated once and kept in the store) and the webhook verifier.
    pub async fn build(
        leptos_options: LeptosOptions,
        config: Config,
        store: Store,
        dodo: DodoEndpoint,
    ) -> Result<AppState, String> {
        let merchant = super::merchant::MerchantConfig::load(&config.merchant_config)
            .map_err(|e| e.to_string())?;
        let dodo_client = dodo_client::DodoClient::new(&dodo_client::ClientSettings {
            base_url: dodo.base_url.clone(),
            api_key: dodo.api_key.expose().to_string(),
            read_timeout: std::time::Duration::from_secs(10),
            // A one-click charge waits at most this long; after it the outcome is reconciled.
            money_timeout: std::time::Duration::from_secs(20),
        })
        .map_err(|e| format!("cannot create the Dodo client: {e}"))?;
        let link_key = match &config.link_signing_key {
            Some(key) => key.clone(),
            None => {
                let generated = super::store::new_id("lsk") + &super::store::new_id("k");
                let kept = store
                    .meta_get_or_insert("link_signing_key", &generated)
                    .await
                    .map_err(|e| format!("cannot keep the link signing key: {e}"))?;
                Secret::new(kept)
            }
        };
        let webhook_verifier = match &dodo.webhook_key {
            Some(key) => Some(Arc::new(
                standardwebhooks::Webhook::new(key.expose())
                    .map_err(|_| "configuration error: DODO_PAYMENTS_WEBHOOK_KEY: not a whsec_… base64 secret".to_string())?,
            )),
            None => None,
        };
        let plan_catalog = super::plan_change::catalog::Catalog::new(
            dodo_client.clone(),
            std::time::Duration::from_secs(merchant.plan_change.cache_seconds),
        );
        let engine = super::attempts::Engine::new(store.clone(), dodo_client.clone());
        let dodo_reads = super::dodo_reads::DodoReads::new(dodo_client.clone());
        Ok(AppState(Arc::new(AppStateInner {
            engine,
            leptos_options,
            config: Arc::new(config),
            store,
            dodo,
            dodo_client,
            links: LinkSigner::new(&link_key),
            webhook_verifier,
            rate_limits: Arc::new(super::request_guard::RateLimits::default()),
            merchant: Arc::new(merchant),
            clock: DodoClock::System,
            plan_catalog,
            dodo_reads,
            accepting: Default::default(),
            config_warnings: Default::default(),
        })))
    }

    /// The state, inside a server function or a server-rendered component.
    pub fn from_context() -> Result<AppState, crate::error::AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("server state is not available in this context");
            crate::error::AppError::Internal
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
