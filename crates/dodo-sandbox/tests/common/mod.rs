//! Shared test helpers: a sandbox on 127.0.0.1:0, a raw JSON client, the official SDK
//! client, a bounded poll, and a webhook receiver that verifies signatures.
#![allow(dead_code)]

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use dodo_sandbox::{DEFAULT_API_KEY, SandboxHandle, SandboxOptions, WebhookEndpoint};
use serde_json::Value;

/// "secret\n" in base64, as in the official SDKs' tests.
pub const SECRET: &str = "whsec_c2VjcmV0Cg==";

pub async fn start(settle_delay: Duration) -> SandboxHandle {
    start_with(SandboxOptions {
        settle_delay,
        ..SandboxOptions::default()
    })
    .await
}

pub async fn start_with(opts: SandboxOptions) -> SandboxHandle {
    dodo_sandbox::start("127.0.0.1:0".parse().expect("address"), opts)
        .await
        .expect("sandbox starts")
}

/// The official Rust SDK pointed at the sandbox, without retries so each call is one request.
pub fn sdk(base_url: &str) -> dodopayments::Client {
    dodopayments::Client::new(
        dodopayments::ClientConfig::new(base_url)
            .with_api_key(DEFAULT_API_KEY)
            .with_max_retries(0)
            .with_timeout(Duration::from_secs(10)),
    )
    .expect("sdk client")
}

/// Raw HTTP with the default bearer key; answers (status, JSON body or Null).
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            base: base.to_owned(),
        }
    }

    async fn finish(resp: reqwest::Response) -> (u16, Value) {
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, json)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(DEFAULT_API_KEY)
            .send()
            .await
            .expect("request");
        Self::finish(resp).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.post_raw(path, &body.to_string()).await
    }

    pub async fn post_raw(&self, path: &str, body: &str) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(DEFAULT_API_KEY)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("request");
        Self::finish(resp).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .put(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("request");
        Self::finish(resp).await
    }

    pub async fn patch(&self, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .patch(format!("{}{path}", self.base))
            .bearer_auth(DEFAULT_API_KEY);
        if let Some(body) = body {
            req = req.json(&body);
        }
        Self::finish(req.send().await.expect("request")).await
    }

    /// A one-click purchase of `product` with a saved method; (status, body).
    pub async fn one_click(&self, customer: &str, method: &str, product: &str) -> (u16, Value) {
        self.post(
            "/checkouts",
            serde_json::json!({
                "product_cart": [{"product_id": product, "quantity": 1}],
                "customer": {"customer_id": customer},
                "payment_method_id": method,
                "confirm": true,
            }),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .delete(format!("{}{path}", self.base))
            .bearer_auth(DEFAULT_API_KEY)
            .send()
            .await
            .expect("request");
        Self::finish(resp).await
    }

    pub async fn payment_status(&self, payment_id: &str) -> String {
        let (_, p) = self.get(&format!("/payments/{payment_id}")).await;
        p["status"].as_str().unwrap_or_default().to_owned()
    }
}

/// Polls `check` every 20 ms until it holds; panics after 10 s naming `what`.
pub async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if check().await {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[derive(Debug, Clone)]
pub struct Received {
    pub webhook_id: String,
    pub body: String,
    pub json: Value,
}

/// A webhook receiver on 127.0.0.1:0 that verifies each delivery with `standardwebhooks`
/// and answers 500 to the first `fail_first` deliveries.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub rejected: Arc<Mutex<Vec<String>>>,
    pub attempts: Arc<AtomicUsize>,
    fail_first: Arc<AtomicUsize>,
}

impl Receiver {
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    pub fn of_type(&self, event_type: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.json["type"] == event_type)
            .collect()
    }

    pub fn endpoint(&self) -> WebhookEndpoint {
        WebhookEndpoint {
            url: self.url.clone(),
            secret: SECRET.to_owned(),
        }
    }
}

async fn receive(State(rx): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    rx.attempts.fetch_add(1, Ordering::SeqCst);
    let verifier = standardwebhooks::Webhook::new(SECRET).expect("secret");
    if let Err(e) = verifier.verify(&body, &headers) {
        rx.rejected.lock().expect("lock").push(e.to_string());
        return StatusCode::BAD_REQUEST;
    }
    let failing = rx
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let text = String::from_utf8(body.to_vec()).expect("utf-8");
    let json: Value = serde_json::from_str(&text).expect("webhook body is JSON");
    let webhook_id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    rx.received.lock().expect("lock").push(Received {
        webhook_id,
        body: text,
        json,
    });
    StatusCode::NO_CONTENT
}

pub async fn receiver(fail_first: usize) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind receiver");
    let addr = listener.local_addr().expect("addr");
    let rx = Receiver {
        url: format!("http://{addr}/webhooks"),
        received: Arc::default(),
        rejected: Arc::default(),
        attempts: Arc::default(),
        fail_first: Arc::new(AtomicUsize::new(fail_first)),
    };
    let app = axum::Router::new()
        .route("/webhooks", axum::routing::post(receive))
        .with_state(rx.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    rx
}
