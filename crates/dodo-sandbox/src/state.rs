//! The shared state behind every handler: the store under a mutex, the webhook dispatcher,
//! faults, the request log, and the settle scheduling of charges.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use crate::error::SandboxError;
use crate::faults::Faults;
use crate::fixtures::Fixtures;
use crate::options::SandboxOptions;
use crate::recorder::{RecordedRequest, RequestLog};
use crate::store::{Event, Store};
use crate::webhooks::{Delivery, Dispatcher};

/// Handle to a sandbox's state; cheap to clone. Build one with [`SandboxState::new`] and
/// serve it with [`crate::router`], or let [`crate::start`] do both.
#[derive(Clone)]
pub struct SandboxState {
    pub(crate) inner: Arc<Shared>,
}

pub(crate) struct Shared {
    store: Mutex<Store>,
    pub fixtures: Fixtures,
    pub api_keys: Vec<String>,
    pub settle_delay: Duration,
    pub id_namespace: String,
    pub public_url: String,
    pub allow_remote_control: bool,
    generation: AtomicU32,
    pub webhooks: Dispatcher,
    pub faults: Mutex<Faults>,
    pub requests: Mutex<RequestLog>,
    pub shutdown: watch::Sender<bool>,
}

/// Locks ignoring poisoning: the store is plain data, and a panic elsewhere must not turn
/// every later request into a 500.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SandboxState {
    /// Builds the state. Without `public_url`, links point at `http://localhost`; [`crate::start`]
    /// fills in the bound address instead.
    pub fn new(opts: SandboxOptions) -> Result<Self, SandboxError> {
        let public_url = opts
            .public_url
            .clone()
            .unwrap_or_else(|| "http://localhost".to_owned());
        Self::build(opts, public_url)
    }

    pub(crate) fn build(opts: SandboxOptions, public_url: String) -> Result<Self, SandboxError> {
        opts.fixtures.validate()?;
        let public_url = public_url.trim_end_matches('/').to_owned();
        let store = Store::load(&opts.fixtures, &public_url, &opts.id_namespace, 0);
        let dispatcher =
            Dispatcher::new(&opts.webhooks, opts.webhook_retry_scale, &opts.id_namespace)?;
        let api_keys = if opts.api_keys.is_empty() {
            vec![crate::DEFAULT_API_KEY.to_owned()]
        } else {
            opts.api_keys.clone()
        };
        let (shutdown, _) = watch::channel(false);
        Ok(Self {
            inner: Arc::new(Shared {
                store: Mutex::new(store),
                fixtures: opts.fixtures,
                api_keys,
                settle_delay: opts.settle_delay,
                id_namespace: opts.id_namespace,
                public_url,
                allow_remote_control: opts.allow_remote_control,
                generation: AtomicU32::new(0),
                webhooks: dispatcher,
                faults: Mutex::new(Faults::default()),
                requests: Mutex::new(RequestLog::default()),
                shutdown,
            }),
        })
    }

    /// Runs `f` on the store under the lock. Never call it from inside itself, and never
    /// hold what it returns across an `.await` (it is plain data anyway).
    pub(crate) fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut guard = lock(&self.inner.store);
        f(&mut guard)
    }

    /// Sends webhooks for events (after the store lock is released).
    pub(crate) fn emit(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let snapshots: Vec<(Event, Option<Value>)> = self.with_store(|s| {
            events
                .into_iter()
                .map(|e| {
                    let data = crate::webhooks::render_data(s, &e.object);
                    (e, data)
                })
                .collect()
        });
        self.inner.webhooks.enqueue(self, snapshots);
    }

    /// A saved-card charge was created `processing`: settle it after `settle_delay`
    /// (immediately when the delay is zero).
    pub(crate) fn settle_later(&self, payment_id: String) {
        if self.inner.settle_delay.is_zero() {
            let events = self.with_store(|s| s.settle(&payment_id));
            self.emit(events);
            return;
        }
        let state = self.clone();
        let delay = self.inner.settle_delay;
        let mut shutdown = self.inner.shutdown.subscribe();
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(delay) => {
                    let events = state.with_store(|s| s.settle(&payment_id));
                    state.emit(events);
                }
                _ = shutdown.changed() => {}
            }
        });
    }

    /// A `pending` refund settles after `settle_delay` (at once when it is zero), like a
    /// saved-card charge.
    pub(crate) fn settle_refund_later(&self, refund_id: String) {
        if self.inner.settle_delay.is_zero() {
            let events = self.with_store(|s| s.settle_refund(&refund_id));
            self.emit(events);
            return;
        }
        let state = self.clone();
        let delay = self.inner.settle_delay;
        let mut shutdown = self.inner.shutdown.subscribe();
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep(delay) => {
                    let events = state.with_store(|s| s.settle_refund(&refund_id));
                    state.emit(events);
                }
                _ = shutdown.changed() => {}
            }
        });
    }

    /// Back to the fixtures: clock, records, faults, latency, request log, delivery log and
    /// webhook test options (duplicates, hold). Webhook endpoints added at run time stay.
    pub fn reset(&self) {
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let fresh = Store::load(
            &self.inner.fixtures,
            &self.inner.public_url,
            &self.inner.id_namespace,
            generation,
        );
        *lock(&self.inner.store) = fresh;
        *lock(&self.inner.faults) = Faults::default();
        lock(&self.inner.requests).clear();
        self.inner.webhooks.clear_log();
        self.inner
            .webhooks
            .set_config(crate::webhooks::WebhookConfig::default());
    }

    /// The sandbox's current time (real time plus every advance since the last reset). An app
    /// embedding the sandbox uses it as "now" for anything measured against Dodo's timestamps.
    pub fn now(&self) -> time::OffsetDateTime {
        self.with_store(|s| s.clock.now())
    }

    /// Moves the sandbox clock forward and runs the renewals that fall due.
    pub fn advance_clock(&self, by: time::Duration) {
        let events = self.with_store(|s| s.advance_clock(by));
        self.emit(events);
    }

    /// Every webhook delivery so far (newest last).
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.inner.webhooks.deliveries()
    }

    /// Every API request recorded so far (oldest first).
    pub fn recorded_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.inner.requests).all()
    }

    /// Stops background work (settle timers, webhook retries).
    pub(crate) fn stop_background(&self) {
        self.inner.shutdown.send_replace(true);
    }
}
