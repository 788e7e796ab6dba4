//! # dodo-sandbox
//!
//! A stateful, offline stand-in for the [Dodo Payments](https://dodopayments.com) API that
//! the official SDKs accept: customers and saved cards, products and product collections,
//! checkout sessions with a hosted checkout page, one-click charges, subscriptions with
//! every proration mode, Standard-Webhooks-signed webhooks, and a `/_sandbox` control API
//! (reset, clock, faults, latency, webhook and request logs) for tests.
//!
//! ## Library API
//!
//! ```no_run
//! use dodo_sandbox::{SandboxOptions, WebhookEndpoint, Fixtures, DEFAULT_API_KEY};
//! # async fn demo() -> Result<(), dodo_sandbox::SandboxError> {
//! let sandbox = dodo_sandbox::start(
//!     "127.0.0.1:0".parse().expect("address"),
//!     SandboxOptions {
//!         fixtures: Fixtures::demo(),
//!         webhooks: vec![WebhookEndpoint {
//!             url: "http://127.0.0.1:3000/webhooks/dodo".into(),
//!             secret: "whsec_c2VjcmV0Cg==".into(),
//!         }],
//!         settle_delay: std::time::Duration::ZERO,
//!         ..SandboxOptions::default()
//!     },
//! )
//! .await?;
//! // Point the Dodo client at it, with `Authorization: Bearer sandbox_sk_test`.
//! let base_url = sandbox.base_url();
//! # let _ = (base_url, DEFAULT_API_KEY);
//! sandbox.state().advance_clock(time::Duration::days(30)); // renewals
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! - [`start`] binds (port 0 is fine) and serves in a tokio task; [`SandboxHandle`] gives
//!   the address, the [`SandboxState`] and a graceful [`SandboxHandle::shutdown`].
//! - [`router`] + [`SandboxState::new`] give the bare axum app for `oneshot` tests.
//! - [`DEFAULT_API_KEY`] (`sandbox_sk_test`) is accepted unless `api_keys` says otherwise.
//! - [`Fixtures::demo`] is the demo business of the README; [`Fixtures::from_file`] reads
//!   TOML (or JSON for `*.json`) in the same format as `fixtures/demo.toml`.
//!
//! Errors are Dodo's flat `{"code","message"}`; the sandbox answers 5xx only when a fault
//! was injected. The README documents the routes, test cards, the control API and which
//! reading of each proration mode is implemented.

#![recursion_limit = "256"]

mod billing;
mod cards;
mod clock;
mod currencies;
mod error;
mod extract;
mod faults;
mod fixtures;
mod html;
mod ids;
mod model;
mod money;
mod options;
mod payment_method_types;
mod plan_change;
mod proration;
mod purchase;
mod recorder;
mod recovery;
mod refunds;
mod render;
mod routes;
mod state;
mod store;
mod webhooks;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use cards::CardBehaviour;
pub use error::{ApiError, SandboxError};
pub use fixtures::Fixtures;
pub use options::{DEFAULT_API_KEY, SandboxOptions, WebhookEndpoint};
pub use recorder::RecordedRequest;
pub use routes::router;
pub use state::SandboxState;
pub use webhooks::{Attempt, Delivery, RETRY_SCHEDULE_SECS, WebhookConfig};

/// A running sandbox.
pub struct SandboxHandle {
    addr: SocketAddr,
    base_url: String,
    state: SandboxState,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Binds `addr` (port 0 picks a free port) and serves the sandbox in a tokio task.
pub async fn start(addr: SocketAddr, opts: SandboxOptions) -> Result<SandboxHandle, SandboxError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { addr, source })?;
    let base_url = format!("http://{local}");
    let public_url = opts.public_url.clone().unwrap_or_else(|| base_url.clone());
    let state = SandboxState::build(opts, public_url)?;
    let app = router(state.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        // The peer address lets the control API refuse callers that are not on loopback.
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(error = %e, "dodo-sandbox server stopped");
        }
    });
    tracing::info!(%base_url, "dodo-sandbox listening");
    Ok(SandboxHandle {
        addr: local,
        base_url,
        state,
        stop,
        task,
    })
}

impl SandboxHandle {
    /// `http://<bound address>` (no trailing slash): the Dodo client's base URL.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The live state: reset, clock, webhook deliveries, recorded requests.
    pub fn state(&self) -> &SandboxState {
        &self.state
    }

    /// Stops background work and the server; waits up to 5 s for open requests.
    pub async fn shutdown(self) {
        self.state.stop_background();
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(5), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}
