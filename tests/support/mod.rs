//! A whole app for integration tests: the Dodo sandbox and the server on free loopback ports,
//! a fresh store (SQLite, or PostgreSQL when asked), webhooks flowing from the sandbox to the
//! app. Dropping nothing is required: every test gets its own ports and database.

pub mod hostile;
pub mod pg;
pub mod shop;

use dodo_sandbox::{SandboxHandle, SandboxOptions, WebhookEndpoint};
use dodo_upsell::server::{
    config,
    state::{AppState, DodoEndpoint},
    store::{Store, new_id},
};
use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

pub const WEBHOOK_SECRET: &str = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==";

pub struct TestApp {
    pub url: String,
    pub state: AppState,
    pub sandbox: SandboxHandle,
    pub http: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    reconciler: Option<tokio::task::JoinHandle<()>>,
}

/// Which database a test app uses.
#[derive(Clone, Debug)]
pub enum Db {
    /// A fresh SQLite file.
    Sqlite,
    /// This URL (e.g. a PostgreSQL database shared by two app instances).
    Url(String),
}

#[derive(Clone)]
pub struct Options {
    pub db: Db,
    pub settle_delay: Duration,
    /// Share this sandbox instead of starting one (several app instances, one Dodo).
    pub sandbox_url: Option<String>,
    /// The merchant rules file (default: the shipped sample matching the demo business).
    pub merchant_config: String,
    /// Run the engine's reconciler in the background, as `serve` does (default: yes).
    pub reconciler: bool,
    /// More settings, as environment variables (e.g. `TRUSTED_PROXIES`).
    pub env: Vec<(&'static str, String)>,
    /// Server-function calls each client may make per hour, instead of the default budget.
    pub server_function_budget: Option<u32>,
    /// Compare Dodo's timestamps with the sandbox's clock (which tests move forward), as the
    /// embedded sandbox of `make run` does; default: the wall clock.
    pub sandbox_clock: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            db: Db::Sqlite,
            settle_delay: Duration::ZERO,
            sandbox_url: None,
            merchant_config: "merchant.toml".into(),
            reconciler: true,
            env: Vec::new(),
            server_function_budget: None,
            sandbox_clock: false,
        }
    }
}

impl TestApp {
    pub async fn start() -> TestApp {
        TestApp::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind app");
        let addr = listener.local_addr().expect("addr");
        let url = format!("http://{addr}");

        let sandbox = dodo_sandbox::start(
            "127.0.0.1:0".parse().expect("addr"),
            SandboxOptions {
                webhooks: vec![WebhookEndpoint {
                    url: format!("{url}/webhooks/dodo"),
                    secret: WEBHOOK_SECRET.into(),
                }],
                settle_delay: options.settle_delay,
                webhook_retry_scale: 0.001,
                id_namespace: random_namespace(),
                ..SandboxOptions::default()
            },
        )
        .await
        .expect("start sandbox");
        let dodo_base = options
            .sandbox_url
            .clone()
            .unwrap_or_else(|| sandbox.base_url());

        let database_url = match &options.db {
            Db::Sqlite => {
                let dir = std::env::temp_dir().join(format!("dodo-upsell-it-{}", new_id("db")));
                format!("sqlite://{}/app.db", dir.display())
            }
            Db::Url(url) => url.clone(),
        };
        let mut env: HashMap<&str, String> = HashMap::from([
            ("APP_CONFIG", "tests/fixtures/empty.toml".to_string()),
            ("DATABASE_URL", database_url.clone()),
            ("DODO_PAYMENTS_WEBHOOK_KEY", WEBHOOK_SECRET.to_string()),
            ("PUBLIC_URL", url.clone()),
            ("MERCHANT_CONFIG", options.merchant_config.clone()),
            (
                "ADMIN_API_KEY",
                "admin-key-for-integration-tests".to_string(),
            ),
        ]);
        env.extend(options.env.iter().cloned());
        let config = config::load_from(&|k| env.get(k).cloned(), addr).expect("config");
        let store = Store::open(&database_url).await.expect("store");
        let leptos_options = LeptosOptions::builder()
            .output_name("dodo_upsell")
            .site_root("target/site")
            .site_addr(addr)
            .build();
        let mut state = AppState::build(
            leptos_options,
            config,
            store,
            DodoEndpoint {
                base_url: dodo_base,
                api_key: dodo_upsell::server::secret::Secret::new(dodo_sandbox::DEFAULT_API_KEY),
                webhook_key: Some(dodo_upsell::server::secret::Secret::new(WEBHOOK_SECRET)),
            },
        )
        .await
        .expect("state");
        if options.sandbox_clock {
            state.clock = dodo_upsell::server::state::DodoClock::Sandbox(sandbox.state().clone());
        }
        if let Some(calls) = options.server_function_budget {
            state.rate_limits = std::sync::Arc::new(
                dodo_upsell::server::request_guard::RateLimits::with_server_function_budget(calls),
            );
        }
        let reconciler = options.reconciler.then(|| {
            state
                .engine
                .spawn_reconciler(dodo_upsell::server::RECONCILE_EVERY)
        });
        let router = dodo_upsell::server::http::router(state.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        TestApp {
            url,
            state,
            sandbox,
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .build()
                .expect("client"),
            server,
            reconciler,
        }
    }

    pub fn sandbox_url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// The JSON the sandbox answers to `GET path` (a control endpoint, `/_sandbox/…`).
    pub async fn sandbox_get(&self, path: &str) -> serde_json::Value {
        self.http
            .get(self.sandbox_url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("sandbox {path}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("sandbox {path}: not JSON: {e}"))
    }

    /// Every payment the sandbox holds (newest first).
    pub async fn sandbox_payments(&self) -> Vec<serde_json::Value> {
        let body = self.sandbox_get("/_sandbox/payments").await;
        body["items"].as_array().cloned().unwrap_or_default()
    }

    /// The sandbox's state of subscription `id` (`subscription`, `credit_balance`).
    pub async fn sandbox_subscription(&self, id: &str) -> serde_json::Value {
        self.sandbox_get(&format!("/_sandbox/subscriptions/{id}"))
            .await
    }

    /// Bodies of the POST requests to `path` (`*` matches one segment) the sandbox received,
    /// in the order it received them.
    pub async fn sandbox_posts(&self, path: &str) -> Vec<serde_json::Value> {
        let body: serde_json::Value = self
            .http
            .get(self.sandbox_url("/_sandbox/requests"))
            .query(&[("method", "POST"), ("path", path)])
            .send()
            .await
            .expect("requests")
            .json()
            .await
            .expect("json");
        let mut items = body["items"].as_array().cloned().unwrap_or_default();
        items.sort_by_key(|r| r["seq"].as_i64());
        items.into_iter().map(|r| r["body"].clone()).collect()
    }

    pub async fn sandbox_post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let res = self
            .http
            .post(self.sandbox_url(path))
            .json(&body)
            .send()
            .await
            .expect("sandbox control");
        assert!(
            res.status().is_success(),
            "sandbox {path}: {}",
            res.status()
        );
        res.json().await.unwrap_or(serde_json::Value::Null)
    }

    pub async fn sandbox_put(&self, path: &str, body: serde_json::Value) {
        let res = self
            .http
            .put(self.sandbox_url(path))
            .json(&body)
            .send()
            .await
            .expect("sandbox control");
        assert!(
            res.status().is_success(),
            "sandbox {path}: {}",
            res.status()
        );
    }

    pub async fn stop(self) {
        self.server.abort();
        if let Some(reconciler) = self.reconciler {
            reconciler.abort();
        }
        self.sandbox.shutdown().await;
        self.state.store.close().await;
    }
}

fn random_namespace() -> String {
    new_id("x")[2..7].to_string()
}

/// Polls `check` until it returns `Some`, for at most `timeout`. Tests wait for conditions,
/// never for fixed times.
/// The longest a test waits for one HTTP answer from the app or the sandbox.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Writes `text` as a merchant rules file of its own and returns its path.
pub fn rules_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!(
        "plan-change-{name}-{}.toml",
        dodo_upsell::server::store::new_id("r")
    ));
    std::fs::write(&path, text).expect("write rules");
    path.display().to_string()
}

pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Two app instances sharing one fresh PostgreSQL database and one sandbox, as a deployment
/// behind a load balancer runs. `None` (the test skips itself) without `TEST_POSTGRES_URL`.
pub struct PostgresPair {
    pub a: TestApp,
    pub b: TestApp,
    database: String,
}

impl PostgresPair {
    pub async fn start(options: Options) -> Option<PostgresPair> {
        let Some((url, database)) = pg::fresh_database().await else {
            eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
            return None;
        };
        let a = TestApp::start_with(Options {
            db: Db::Url(url.clone()),
            ..options.clone()
        })
        .await;
        let b = TestApp::start_with(Options {
            db: Db::Url(url),
            sandbox_url: Some(a.sandbox.base_url()),
            ..options
        })
        .await;
        Some(PostgresPair { a, b, database })
    }

    pub async fn stop(self) {
        self.b.stop().await;
        self.a.stop().await;
        pg::drop_database(&self.database).await;
    }
}
