//! The server's typed configuration: `Leptos.toml` (or the file named by `APP_CONFIG`) with
//! environment variables layered on top. Every problem is reported as one [`ConfigError`] that
//! names the key and what is wrong with it, so a misconfigured server stops with one clear line.

use super::secret::Secret;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Where the configuration file is looked for when `APP_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    fn new(key: impl Into<String>, problem: impl Into<String>) -> Self {
        ConfigError {
            key: key.into(),
            problem: problem.into(),
        }
    }
}

pub use crate::context::DodoMode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DodoEnvironment {
    TestMode,
    LiveMode,
}

impl DodoEnvironment {
    /// Dodo's hosts for each environment (no `/v1` prefix; paths hang off the host).
    pub fn base_url(self) -> &'static str {
        match self {
            DodoEnvironment::TestMode => "https://test.dodopayments.com",
            DodoEnvironment::LiveMode => "https://live.dodopayments.com",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SandboxSetting {
    /// Run the sandbox when no API key is configured, except in production.
    Auto,
    On,
    Off,
}

#[derive(Debug)]
pub struct DodoConfig {
    pub api_key: Option<Secret>,
    pub environment: DodoEnvironment,
    pub base_url: Option<String>,
    pub webhook_key: Option<Secret>,
    pub sandbox: SandboxSetting,
    pub sandbox_addr: SocketAddr,
}

impl DodoConfig {
    pub fn mode(&self) -> DodoMode {
        if self.sandbox_enabled() {
            DodoMode::Sandbox
        } else {
            match self.environment {
                DodoEnvironment::TestMode => DodoMode::Test,
                DodoEnvironment::LiveMode => DodoMode::Live,
            }
        }
    }

    pub fn sandbox_enabled(&self) -> bool {
        match self.sandbox {
            SandboxSetting::On => true,
            SandboxSetting::Off => false,
            SandboxSetting::Auto => self.api_key.is_none(),
        }
    }

    /// The base URL of the real Dodo API (not used in sandbox mode).
    pub fn remote_base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| self.environment.base_url().to_string())
    }
}

#[derive(Debug)]
pub struct Config {
    pub dodo: DodoConfig,
    pub database_url: String,
    /// Origins allowed to frame the customer pages (`frame-ancestors`), e.g. `https://shop.example`.
    pub merchant_origins: Vec<String>,
    /// How customers reach this server, e.g. `https://offers.example.com`.
    pub public_url: String,
    /// `LEPTOS_ENV=PROD`.
    pub production: bool,
    /// `LINK_SIGNING_KEY`: HS256 key for signed links (at least 32 bytes). Unset outside
    /// production: a key is generated once and kept in the store.
    pub link_signing_key: Option<Secret>,
    /// `MERCHANT_CONFIG`: the merchant's rules (offers, cross-sells, plan families).
    pub merchant_config: PathBuf,
    /// `ADMIN_API_KEY`: bearer key for the merchant's `POST /api/links`. Unset: that API is off.
    pub admin_api_key: Option<Secret>,
}

impl Config {
    /// True when customers reach the server over TLS (enables HSTS and `Secure` cookies).
    pub fn behind_tls(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The file's shape. Unknown keys are errors, so a typo never silently falls back to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    dodo: FileDodo,
    #[serde(default)]
    store: FileStore,
    #[serde(default)]
    security: FileSecurity,
    #[serde(default)]
    server: FileServer,
    /// cargo-leptos style options may live in the same file; they are read by Leptos itself.
    #[serde(default, rename = "package")]
    _package: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDodo {
    environment: Option<String>,
    base_url: Option<String>,
    sandbox: Option<String>,
    sandbox_addr: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStore {
    database_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSecurity {
    merchant_origins: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServer {
    public_url: Option<String>,
    merchant_config: Option<String>,
}

/// Reads the configuration from the process environment and the configuration file.
pub fn load(site_addr: SocketAddr) -> Result<Config, ConfigError> {
    load_from(&|key| std::env::var(key).ok(), site_addr)
}

/// [`load`] with an injectable environment, for tests.
pub fn load_from(
    env: &dyn Fn(&str) -> Option<String>,
    site_addr: SocketAddr,
) -> Result<Config, ConfigError> {
    // An empty variable counts as unset: `FOO= cmd` is a common way to clear one.
    let var = |key: &str| {
        env(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };

    let (path, required) = match var("APP_CONFIG") {
        Some(p) => (PathBuf::from(p), true),
        None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
    };
    let file = read_file(&path, required)?;
    let file_key = |section: &str, key: &str| format!("{} [{section}] {key}", path.display());

    let production = match var("LEPTOS_ENV").as_deref() {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("PROD") => true,
        Some(v) if v.eq_ignore_ascii_case("DEV") => false,
        Some(v) => {
            return Err(ConfigError::new(
                "LEPTOS_ENV",
                format!("`{v}` is not DEV or PROD"),
            ));
        }
    };

    let api_key = var("DODO_PAYMENTS_API_KEY").map(Secret::new);
    let webhook_key = var("DODO_PAYMENTS_WEBHOOK_KEY").map(Secret::new);
    if let Some(key) = &webhook_key
        && standardwebhooks::Webhook::new(key.expose()).is_err()
    {
        return Err(ConfigError::new(
            "DODO_PAYMENTS_WEBHOOK_KEY",
            "not a Standard Webhooks secret (whsec_ followed by base64)",
        ));
    }

    let environment = match var("DODO_PAYMENTS_ENVIRONMENT") {
        Some(v) => {
            parse_environment(&v).map_err(|p| ConfigError::new("DODO_PAYMENTS_ENVIRONMENT", p))?
        }
        None => match &file.dodo.environment {
            Some(v) => parse_environment(v)
                .map_err(|p| ConfigError::new(file_key("dodo", "environment"), p))?,
            None => DodoEnvironment::TestMode,
        },
    };

    let base_url = match var("DODO_PAYMENTS_BASE_URL") {
        Some(v) => {
            Some(parse_http_url(&v).map_err(|p| ConfigError::new("DODO_PAYMENTS_BASE_URL", p))?)
        }
        None => match file
            .dodo
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) => Some(
                parse_http_url(v).map_err(|p| ConfigError::new(file_key("dodo", "base_url"), p))?,
            ),
            None => None,
        },
    };

    let sandbox = match var("DODO_SANDBOX") {
        Some(v) => parse_sandbox(&v).map_err(|p| ConfigError::new("DODO_SANDBOX", p))?,
        None => match &file.dodo.sandbox {
            Some(v) => {
                parse_sandbox(v).map_err(|p| ConfigError::new(file_key("dodo", "sandbox"), p))?
            }
            None => SandboxSetting::Auto,
        },
    };

    let sandbox_addr = match var("DODO_SANDBOX_ADDR") {
        Some(v) => parse_addr(&v).map_err(|p| ConfigError::new("DODO_SANDBOX_ADDR", p))?,
        None => match &file.dodo.sandbox_addr {
            Some(v) => {
                parse_addr(v).map_err(|p| ConfigError::new(file_key("dodo", "sandbox_addr"), p))?
            }
            None => SocketAddr::from(([127, 0, 0, 1], 4010)),
        },
    };

    let database_url = match var("DATABASE_URL") {
        Some(v) => parse_database_url(&v).map_err(|p| ConfigError::new("DATABASE_URL", p))?,
        None => match &file.store.database_url {
            Some(v) => parse_database_url(v)
                .map_err(|p| ConfigError::new(file_key("store", "database_url"), p))?,
            None => "sqlite://data/app.db".to_string(),
        },
    };

    let merchant_origins = match var("MERCHANT_ORIGINS") {
        Some(v) => parse_origins(v.split(',').map(str::to_string))
            .map_err(|p| ConfigError::new("MERCHANT_ORIGINS", p))?,
        None => parse_origins(file.security.merchant_origins.clone().unwrap_or_default())
            .map_err(|p| ConfigError::new(file_key("security", "merchant_origins"), p))?,
    };

    let public_url = match var("PUBLIC_URL") {
        Some(v) => parse_http_url(&v).map_err(|p| ConfigError::new("PUBLIC_URL", p))?,
        None => match &file.server.public_url {
            Some(v) => parse_http_url(v)
                .map_err(|p| ConfigError::new(file_key("server", "public_url"), p))?,
            None => format!("http://{site_addr}"),
        },
    };

    let merchant_config = PathBuf::from(
        var("MERCHANT_CONFIG")
            .or_else(|| file.server.merchant_config.clone())
            .unwrap_or_else(|| "merchant.toml".to_string()),
    );

    let link_signing_key = var("LINK_SIGNING_KEY").map(Secret::new);
    if let Some(key) = &link_signing_key
        && key.expose().len() < 32
    {
        return Err(ConfigError::new(
            "LINK_SIGNING_KEY",
            "too short; use at least 32 random bytes",
        ));
    }
    let admin_api_key = var("ADMIN_API_KEY").map(Secret::new);
    if let Some(key) = &admin_api_key
        && key.expose().len() < 24
    {
        return Err(ConfigError::new(
            "ADMIN_API_KEY",
            "too short; use at least 24 random characters",
        ));
    }

    let dodo = DodoConfig {
        api_key,
        environment,
        base_url,
        webhook_key,
        sandbox,
        sandbox_addr,
    };

    // A production server must never show sandbox offers to real customers by accident.
    if production && dodo.api_key.is_none() && sandbox != SandboxSetting::On {
        return Err(ConfigError::new(
            "DODO_PAYMENTS_API_KEY",
            "missing; production (LEPTOS_ENV=PROD) needs a Dodo API key, or DODO_SANDBOX=on to run the sandbox on purpose",
        ));
    }
    if !dodo.sandbox_enabled() && dodo.api_key.is_none() {
        return Err(ConfigError::new(
            "DODO_PAYMENTS_API_KEY",
            "missing; set it, or leave DODO_SANDBOX unset (auto) to use the built-in sandbox",
        ));
    }

    if production && link_signing_key.is_none() {
        return Err(ConfigError::new(
            "LINK_SIGNING_KEY",
            "missing; production (LEPTOS_ENV=PROD) needs a key of at least 32 random bytes to sign customer links",
        ));
    }

    Ok(Config {
        dodo,
        database_url,
        merchant_origins,
        public_url,
        production,
        link_signing_key,
        admin_api_key,
        merchant_config,
    })
}

fn read_file(path: &Path, required: bool) -> Result<FileConfig, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(FileConfig::default());
        }
        Err(e) => {
            return Err(ConfigError::new(
                path.display().to_string(),
                format!("cannot be read: {e}"),
            ));
        }
    };
    toml::from_str(&text).map_err(|e| {
        ConfigError::new(
            path.display().to_string(),
            e.to_string().replace('\n', " ").trim().to_string(),
        )
    })
}

fn parse_environment(v: &str) -> Result<DodoEnvironment, String> {
    match v.trim() {
        "test_mode" => Ok(DodoEnvironment::TestMode),
        "live_mode" => Ok(DodoEnvironment::LiveMode),
        other => Err(format!("`{other}` is not test_mode or live_mode")),
    }
}

fn parse_sandbox(v: &str) -> Result<SandboxSetting, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(SandboxSetting::Auto),
        "on" | "true" | "1" => Ok(SandboxSetting::On),
        "off" | "false" | "0" => Ok(SandboxSetting::Off),
        other => Err(format!("`{other}` is not auto, on or off")),
    }
}

fn parse_addr(v: &str) -> Result<SocketAddr, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("`{v}` is not an address such as 127.0.0.1:4010"))
}

fn parse_http_url(v: &str) -> Result<String, String> {
    let v = v.trim().trim_end_matches('/');
    let uri: axum::http::Uri = v.parse().map_err(|_| format!("`{v}` is not a URL"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") if uri.authority().is_some() => Ok(v.to_string()),
        _ => Err(format!("`{v}` must be an http:// or https:// URL")),
    }
}

fn parse_database_url(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.starts_with("sqlite:") || v.starts_with("postgres://") || v.starts_with("postgresql://") {
        Ok(v.to_string())
    } else {
        Err("must start with sqlite: or postgres://".to_string())
    }
}

/// Origins are `scheme://host[:port]` with nothing after: that is what `frame-ancestors` and
/// `postMessage` compare against.
fn parse_origins(items: impl IntoIterator<Item = String>) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in items {
        let item = item.trim().trim_end_matches('/');
        if item.is_empty() {
            continue;
        }
        let uri: axum::http::Uri = item
            .parse()
            .map_err(|_| format!("`{item}` is not an origin"))?;
        let is_origin = matches!(uri.scheme_str(), Some("http") | Some("https"))
            && uri.authority().is_some()
            && uri
                .path_and_query()
                .is_none_or(|p| p.as_str().is_empty() || p.as_str() == "/");
        if !is_origin {
            return Err(format!(
                "`{item}` is not an origin like https://shop.example.com"
            ));
        }
        out.push(item.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load_with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // Every test names its APP_CONFIG, so the repository's own Leptos.toml is never read.
        let get = move |k: &str| map.get(k).cloned();
        load_from(&get, SocketAddr::from(([127, 0, 0, 1], 3000)))
    }

    #[test]
    fn defaults_to_the_sandbox_and_sqlite() {
        let c = load_with(&[("APP_CONFIG", "tests/fixtures/empty.toml")]).unwrap();
        assert_eq!(c.dodo.mode(), DodoMode::Sandbox);
        assert_eq!(c.database_url, "sqlite://data/app.db");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert!(c.merchant_origins.is_empty());
    }

    #[test]
    fn an_api_key_selects_real_dodo() {
        let c = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("DODO_PAYMENTS_API_KEY", "sk_test"),
            ("DODO_PAYMENTS_ENVIRONMENT", "live_mode"),
        ])
        .unwrap();
        assert_eq!(c.dodo.mode(), DodoMode::Live);
        assert_eq!(c.dodo.remote_base_url(), "https://live.dodopayments.com");
    }

    #[test]
    fn production_without_a_key_is_refused_unless_sandbox_is_explicit() {
        let err = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("LEPTOS_ENV", "PROD"),
        ])
        .unwrap_err();
        assert_eq!(err.key, "DODO_PAYMENTS_API_KEY");
        let ok = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("LEPTOS_ENV", "PROD"),
            ("DODO_SANDBOX", "on"),
            ("LINK_SIGNING_KEY", "0123456789abcdef0123456789abcdef"),
        ]);
        assert_eq!(ok.unwrap().dodo.mode(), DodoMode::Sandbox);
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("DODO_PAYMENTS_ENVIRONMENT", "staging"),
            ("DODO_PAYMENTS_BASE_URL", "ftp://x"),
            ("DATABASE_URL", "mysql://x"),
            ("MERCHANT_ORIGINS", "https://shop.example/path"),
            ("DODO_SANDBOX", "maybe"),
            ("DODO_SANDBOX_ADDR", "nowhere"),
            ("LEPTOS_ENV", "STAGING"),
            ("PUBLIC_URL", "offers.example"),
            ("LINK_SIGNING_KEY", "short"),
            ("DODO_PAYMENTS_WEBHOOK_KEY", "whsec_%%%not-base64%%%"),
            ("ADMIN_API_KEY", "short"),
        ];
        for (key, value) in cases {
            let err = load_with(&[("APP_CONFIG", "tests/fixtures/empty.toml"), (key, value)])
                .unwrap_err();
            assert_eq!(err.key, key, "{value}");
            assert!(
                err.to_string()
                    .starts_with(&format!("configuration error: {key}: "))
            );
        }
    }

    #[test]
    fn file_errors_name_the_file_and_key() {
        let err = load_with(&[("APP_CONFIG", "tests/fixtures/bad-environment.toml")]).unwrap_err();
        assert!(
            err.key.ends_with("bad-environment.toml [dodo] environment"),
            "{}",
            err.key
        );
        let err = load_with(&[("APP_CONFIG", "tests/fixtures/unknown-key.toml")]).unwrap_err();
        assert!(err.problem.contains("databse_url"), "{}", err.problem);
        let err = load_with(&[("APP_CONFIG", "tests/fixtures/missing.toml")]).unwrap_err();
        assert!(err.problem.contains("cannot be read"));
    }

    #[test]
    fn environment_overrides_the_file() {
        let c = load_with(&[
            ("APP_CONFIG", "tests/fixtures/full.toml"),
            ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"),
        ])
        .unwrap();
        assert_eq!(c.database_url, "postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(c.merchant_origins, vec!["https://shop.example".to_string()]);
        assert_eq!(
            c.dodo.sandbox_addr,
            SocketAddr::from(([127, 0, 0, 1], 4999))
        );
    }

    #[test]
    fn production_needs_a_link_signing_key() {
        let err = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("LEPTOS_ENV", "PROD"),
            ("DODO_PAYMENTS_API_KEY", "sk_live"),
        ])
        .unwrap_err();
        assert_eq!(err.key, "LINK_SIGNING_KEY");
    }

    #[test]
    fn an_empty_variable_counts_as_unset() {
        let c = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("DODO_PAYMENTS_API_KEY", "  "),
        ])
        .unwrap();
        assert_eq!(c.dodo.mode(), DodoMode::Sandbox);
    }
}
