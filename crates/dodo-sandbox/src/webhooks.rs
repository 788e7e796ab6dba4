//! Webhook deliveries: Standard Webhooks signatures, Dodo's envelope, retries on Dodo's
//! schedule, and the test options (duplicates, holding and releasing out of order).
//!
//! Each endpoint has one worker so first attempts arrive in event order; a failed attempt is
//! retried from its own task so it never blocks later messages. The body is rendered at
//! each attempt from the object's latest state (Dodo: "the latest state of the object at
//! delivery time"), falling back to the state at event time if the object is gone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use standardwebhooks::Webhook;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::clock::fmt;
use crate::error::SandboxError;
use crate::options::WebhookEndpoint;
use crate::state::{SandboxState, lock};
use crate::store::{Event, ObjectRef, Store};

/// Dodo's retry schedule in seconds: the delay before each of the 8 attempts.
pub const RETRY_SCHEDULE_SECS: [u64; 8] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];
const MAX_LOG: usize = 5000;

/// One message to one endpoint, as listed by `GET /_sandbox/webhooks/deliveries`.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: String,
    /// The `webhook-id` header (the same for duplicates of one message).
    pub webhook_id: String,
    pub event_type: String,
    pub url: String,
    pub object_id: String,
    /// `pending`, `held`, `delivered` or `failed` (all attempts answered non-2xx).
    pub status: String,
    pub duplicate: bool,
    pub attempts: Vec<Attempt>,
    /// The body of the latest attempt.
    pub last_body: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// Real time of the attempt.
    pub at: String,
    /// HTTP status answered, if any.
    pub status: Option<u16>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize)]
pub struct WebhookConfig {
    /// Extra copies of every message (same `webhook-id`), to test de-duplication.
    #[serde(default)]
    pub duplicates: u32,
    /// Queue messages instead of sending them, until `POST /_sandbox/webhooks/flush`.
    #[serde(default)]
    pub hold: bool,
}

struct Endpoint {
    url: String,
    signer: Arc<Webhook>,
    queue: Option<mpsc::UnboundedSender<Job>>,
}

#[derive(Clone)]
struct Job {
    delivery_id: String,
    webhook_id: String,
    event_type: &'static str,
    object: ObjectRef,
    at: OffsetDateTime,
    snapshot: Option<Value>,
    epoch: u64,
    url: String,
    signer: Arc<Webhook>,
}

pub struct Dispatcher {
    endpoints: Mutex<Vec<Endpoint>>,
    log: Mutex<Vec<Delivery>>,
    held: Mutex<Vec<(usize, Job)>>,
    config: Mutex<WebhookConfig>,
    client: reqwest::Client,
    retry_scale: f64,
    namespace: String,
    run_tag: u64,
    counter: AtomicU64,
    delivery_counter: AtomicU64,
    epoch: AtomicU64,
}

fn signer(endpoint: &WebhookEndpoint) -> Result<Webhook, SandboxError> {
    if !endpoint.secret.starts_with("whsec_") {
        return Err(SandboxError::WebhookSecret {
            url: endpoint.url.clone(),
            reason: "missing whsec_ prefix".to_owned(),
        });
    }
    Webhook::new(&endpoint.secret).map_err(|e| SandboxError::WebhookSecret {
        url: endpoint.url.clone(),
        reason: e.to_string(),
    })
}

/// The `data` of a webhook: the object's current JSON plus `payload_type`.
pub fn render_data(store: &Store, object: &ObjectRef) -> Option<Value> {
    let (mut value, payload_type) = match object {
        ObjectRef::Payment(id) => (store.render_payment(store.payments.get(id)?), "Payment"),
        ObjectRef::Subscription(id) => (
            store.render_subscription(store.subscriptions.get(id)?),
            "Subscription",
        ),
        ObjectRef::Refund(id) => (store.render_refund(store.refunds.get(id)?), "Refund"),
    };
    if let Some(map) = value.as_object_mut() {
        map.insert("payload_type".to_owned(), json!(payload_type));
    }
    Some(value)
}

impl Dispatcher {
    pub fn new(
        endpoints: &[WebhookEndpoint],
        retry_scale: f64,
        namespace: &str,
    ) -> Result<Self, SandboxError> {
        let mut list = Vec::new();
        for e in endpoints {
            list.push(Endpoint {
                url: e.url.clone(),
                signer: Arc::new(signer(e)?),
                queue: None,
            });
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| SandboxError::HttpClient(e.to_string()))?;
        let scale = if retry_scale.is_finite() && retry_scale >= 0.0 {
            retry_scale
        } else {
            1.0
        };
        // Webhook ids must stay unique across sandbox restarts too (receivers de-duplicate
        // by them), so they carry the start time.
        let run_tag = OffsetDateTime::now_utc().unix_timestamp().unsigned_abs() % 10_000_000_000;
        Ok(Self {
            endpoints: Mutex::new(list),
            log: Mutex::new(Vec::new()),
            held: Mutex::new(Vec::new()),
            config: Mutex::new(WebhookConfig::default()),
            client,
            retry_scale: scale,
            namespace: namespace
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(6)
                .collect(),
            run_tag,
            counter: AtomicU64::new(0),
            delivery_counter: AtomicU64::new(0),
            epoch: AtomicU64::new(0),
        })
    }

    pub fn add_endpoint(&self, endpoint: &WebhookEndpoint) -> Result<(), SandboxError> {
        let signer = Arc::new(signer(endpoint)?);
        lock(&self.endpoints).push(Endpoint {
            url: endpoint.url.clone(),
            signer,
            queue: None,
        });
        Ok(())
    }

    pub fn endpoint_urls(&self) -> Vec<String> {
        lock(&self.endpoints)
            .iter()
            .map(|e| e.url.clone())
            .collect()
    }

    pub fn config(&self) -> WebhookConfig {
        *lock(&self.config)
    }

    pub fn set_config(&self, config: WebhookConfig) {
        *lock(&self.config) = config;
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.log).clone()
    }

    /// Forgets deliveries and held messages; retries still scheduled give up.
    pub fn clear_log(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        lock(&self.log).clear();
        lock(&self.held).clear();
    }

    fn next_webhook_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst) + 1;
        format!("msg_{}{:010}{:08}", self.namespace, self.run_tag, n)
    }

    pub(crate) fn enqueue(&self, state: &SandboxState, events: Vec<(Event, Option<Value>)>) {
        let config = self.config();
        let epoch = self.epoch.load(Ordering::SeqCst);
        let endpoint_count = lock(&self.endpoints).len();
        for (event, snapshot) in events {
            let webhook_id = self.next_webhook_id();
            for index in 0..endpoint_count {
                for copy in 0..=config.duplicates {
                    let Some((url, signer)) = lock(&self.endpoints)
                        .get(index)
                        .map(|e| (e.url.clone(), e.signer.clone()))
                    else {
                        continue;
                    };
                    let delivery_id = {
                        let mut log = lock(&self.log);
                        let n = self.delivery_counter.fetch_add(1, Ordering::SeqCst) + 1;
                        let id = format!("dlv_{n}");
                        if log.len() >= MAX_LOG {
                            log.remove(0);
                        }
                        log.push(Delivery {
                            id: id.clone(),
                            webhook_id: webhook_id.clone(),
                            event_type: event.event_type.to_owned(),
                            url: url.clone(),
                            object_id: match &event.object {
                                ObjectRef::Payment(id)
                                | ObjectRef::Subscription(id)
                                | ObjectRef::Refund(id) => id.clone(),
                            },
                            status: if config.hold { "held" } else { "pending" }.to_owned(),
                            duplicate: copy > 0,
                            attempts: Vec::new(),
                            last_body: None,
                        });
                        id
                    };
                    let job = Job {
                        delivery_id,
                        webhook_id: webhook_id.clone(),
                        event_type: event.event_type,
                        object: event.object.clone(),
                        at: event.at,
                        snapshot: snapshot.clone(),
                        epoch,
                        url,
                        signer,
                    };
                    if config.hold {
                        lock(&self.held).push((index, job));
                    } else {
                        self.send(state, index, job);
                    }
                }
            }
        }
    }

    /// Releases held messages, in order or reversed (to test out-of-order handling).
    /// Returns how many were released.
    pub(crate) fn flush(&self, state: &SandboxState, reverse: bool) -> usize {
        let mut held = std::mem::take(&mut *lock(&self.held));
        if reverse {
            held.reverse();
        }
        let count = held.len();
        for (index, job) in held {
            self.set_status(&job.delivery_id, "pending");
            self.send(state, index, job);
        }
        count
    }

    fn send(&self, state: &SandboxState, index: usize, job: Job) {
        let mut endpoints = lock(&self.endpoints);
        let Some(endpoint) = endpoints.get_mut(index) else {
            return;
        };
        if let Some(queue) = &endpoint.queue
            && queue.send(job.clone()).is_ok()
        {
            return;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(job);
        endpoint.queue = Some(tx);
        tokio::spawn(worker(state.clone(), rx));
    }

    fn set_status(&self, delivery_id: &str, status: &str) {
        if let Some(d) = lock(&self.log).iter_mut().find(|d| d.id == delivery_id) {
            d.status = status.to_owned();
        }
    }

    fn record(&self, delivery_id: &str, attempt: Attempt, body: String, status: Option<&str>) {
        if let Some(d) = lock(&self.log).iter_mut().find(|d| d.id == delivery_id) {
            d.attempts.push(attempt);
            d.last_body = Some(body);
            if let Some(s) = status {
                d.status = s.to_owned();
            }
        }
    }
}

async fn worker(state: SandboxState, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut shutdown = state.inner.shutdown.subscribe();
    loop {
        tokio::select! {
            job = rx.recv() => {
                let Some(job) = job else { return };
                if !attempt(&state, &job, 0).await {
                    let retry_state = state.clone();
                    tokio::spawn(retry(retry_state, job));
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

async fn retry(state: SandboxState, job: Job) {
    let mut shutdown = state.inner.shutdown.subscribe();
    let scale = state.inner.webhooks.retry_scale;
    for (n, secs) in RETRY_SCHEDULE_SECS.iter().enumerate().skip(1) {
        let wait = Duration::from_secs_f64(*secs as f64 * scale);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => return,
        }
        if attempt(&state, &job, n).await {
            return;
        }
    }
}

/// One delivery attempt; `true` when finished (2xx, abandoned after a reset, or last try).
async fn attempt(state: &SandboxState, job: &Job, n: usize) -> bool {
    let dispatcher = &state.inner.webhooks;
    if dispatcher.epoch.load(Ordering::SeqCst) != job.epoch {
        return true;
    }
    let (business_id, data) =
        state.with_store(|s| (s.business.business_id.clone(), render_data(s, &job.object)));
    let data = data.or_else(|| job.snapshot.clone()).unwrap_or(Value::Null);
    let body = json!({
        "business_id": business_id,
        "type": job.event_type,
        "timestamp": fmt(job.at),
        "data": data,
    })
    .to_string();
    // Standard Webhooks verifiers allow ±5 min, so the header uses real time, never the
    // sandbox clock.
    let ts = OffsetDateTime::now_utc().unix_timestamp();
    let signature = match job.signer.sign(&job.webhook_id, ts, body.as_bytes()) {
        Ok(sig) => sig,
        Err(e) => {
            let a = Attempt {
                at: fmt(OffsetDateTime::now_utc()),
                status: None,
                error: Some(e.to_string()),
            };
            dispatcher.record(&job.delivery_id, a, body, Some("failed"));
            return true;
        }
    };
    let result = dispatcher
        .client
        .post(&job.url)
        .header("content-type", "application/json")
        .header("webhook-id", &job.webhook_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .body(body.clone())
        .send()
        .await;
    let last = n + 1 >= RETRY_SCHEDULE_SECS.len();
    let at = fmt(OffsetDateTime::now_utc());
    match result {
        Ok(resp) if resp.status().is_success() => {
            let a = Attempt {
                at,
                status: Some(resp.status().as_u16()),
                error: None,
            };
            dispatcher.record(&job.delivery_id, a, body, Some("delivered"));
            true
        }
        Ok(resp) => {
            let a = Attempt {
                at,
                status: Some(resp.status().as_u16()),
                error: None,
            };
            dispatcher.record(&job.delivery_id, a, body, last.then_some("failed"));
            last
        }
        Err(e) => {
            let a = Attempt {
                at,
                status: None,
                error: Some(e.to_string()),
            };
            dispatcher.record(&job.delivery_id, a, body, last.then_some("failed"));
            last
        }
    }
}
