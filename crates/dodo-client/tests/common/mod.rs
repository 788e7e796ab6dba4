//! Shared test helpers: the sandbox in-process on 127.0.0.1:0, a `DodoClient` pointed at
//! it, the sandbox's control API, and a bounded poll (no fixed sleeps).
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use dodo_client::{CartItem, ClientSettings, DodoClient, OneClickCheckout};
use dodo_sandbox::{DEFAULT_API_KEY, SandboxHandle, SandboxOptions};
use serde_json::{Value, json};

pub struct Env {
    pub sandbox: SandboxHandle,
    pub client: DodoClient,
    pub control: Control,
}

impl Env {
    pub fn base_url(&self) -> String {
        self.sandbox.base_url()
    }
}

/// A sandbox whose saved-card charges settle before the API call returns.
pub async fn start() -> Env {
    start_with(SandboxOptions {
        settle_delay: Duration::ZERO,
        ..SandboxOptions::default()
    })
    .await
}

pub async fn start_with(opts: SandboxOptions) -> Env {
    let sandbox = dodo_sandbox::start("127.0.0.1:0".parse().expect("address"), opts)
        .await
        .expect("sandbox starts");
    let base = sandbox.base_url();
    Env {
        client: client(&base, DEFAULT_API_KEY, Duration::from_secs(10)),
        control: Control::new(&base),
        sandbox,
    }
}

pub fn settings(base_url: &str, api_key: &str, money_timeout: Duration) -> ClientSettings {
    ClientSettings {
        base_url: base_url.to_owned(),
        api_key: api_key.to_owned(),
        read_timeout: Duration::from_secs(10),
        money_timeout,
    }
}

pub fn client(base_url: &str, api_key: &str, money_timeout: Duration) -> DodoClient {
    DodoClient::new(&settings(base_url, api_key, money_timeout)).expect("client")
}

pub fn cart(product_id: &str) -> Vec<CartItem> {
    vec![CartItem {
        product_id: product_id.to_owned(),
        quantity: 1,
    }]
}

/// Alice buys the course with her saved Visa, tagged with `offer`.
pub fn alice_course(offer: &str) -> OneClickCheckout {
    OneClickCheckout {
        customer_id: "cus_demo_alice".into(),
        payment_method_id: "pm_demo_alice_visa".into(),
        product_cart: cart("pdt_demo_course"),
        billing: None,
        return_url: Some("https://shop.example/thanks".into()),
        metadata: [("offer_id".to_owned(), offer.to_owned())].into(),
    }
}

/// The sandbox's `/_sandbox` control API.
pub struct Control {
    http: reqwest::Client,
    base: String,
}

impl Control {
    pub fn new(base: &str) -> Self {
        Control {
            http: reqwest::Client::new(),
            base: format!("{base}/_sandbox"),
        }
    }

    async fn json(resp: reqwest::Response) -> Value {
        let status = resp.status();
        let text = resp.text().await.expect("control body");
        assert!(status.is_success(), "control API answered {status}: {text}");
        if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("control JSON")
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("control request");
        Self::json(resp).await
    }

    pub async fn get(&self, path: &str) -> Value {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("control request");
        Self::json(resp).await
    }

    /// Injects a fault (`/_sandbox/faults`), e.g. `json!({"method":"POST","path":"/checkouts",
    /// "fault":"status","status":500})`.
    pub async fn fault(&self, spec: Value) {
        self.post("/faults", spec).await;
    }

    /// API requests the sandbox received with this method and path glob.
    pub async fn requests(&self, method: &str, path: &str) -> Vec<Value> {
        let resp = self
            .http
            .get(format!("{}/requests", self.base))
            .query(&[("method", method), ("path", path)])
            .send()
            .await
            .expect("control request");
        items(Self::json(resp).await)
    }

    /// Every API request the sandbox received (its log keeps them in arrival order).
    pub async fn all_requests(&self) -> Vec<Value> {
        items(self.get("/requests").await)
    }

    /// Every payment of `customer_id` in the sandbox (full Payment JSON, newest first).
    pub async fn payments_of(&self, customer_id: &str) -> Vec<Value> {
        let resp = self
            .http
            .get(format!("{}/payments", self.base))
            .query(&[("customer_id", customer_id)])
            .send()
            .await
            .expect("control request");
        items(Self::json(resp).await)
    }

    pub async fn clear_requests(&self) {
        self.http
            .delete(format!("{}/requests", self.base))
            .send()
            .await
            .expect("control request");
    }
}

fn items(v: Value) -> Vec<Value> {
    v.get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

pub fn fault(method: &str, path: &str, fault: &str) -> Value {
    json!({"method": method, "path": path, "fault": fault})
}

/// A receiver on 127.0.0.1:0 keeping every raw webhook body; returns its URL.
pub async fn body_receiver(bodies: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>) -> String {
    async fn receive(
        axum::extract::State(bodies): axum::extract::State<
            std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
        >,
        body: axum::body::Bytes,
    ) -> axum::http::StatusCode {
        if let Ok(mut all) = bodies.lock() {
            all.push(body.to_vec());
        }
        axum::http::StatusCode::NO_CONTENT
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = axum::Router::new()
        .route("/webhooks/dodo", axum::routing::post(receive))
        .with_state(bodies);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/webhooks/dodo")
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
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
