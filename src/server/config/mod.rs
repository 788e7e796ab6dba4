//! The server's typed configuration: `Leptos.toml` (or the file named by `APP_CONFIG`) with
//! environment variables layered on top. Every problem is reported as one [`ConfigError`] that
//! names the key and what is wrong with it, so a misconfigured server stops with one clear line.

mod file;
mod load;
mod values;

pub use load::{load, load_from};

use super::secret::Secret;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the configuration file is looked for when `APP_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

impl ConfigError {
    pub(crate) fn new(key: impl Into<String>, problem: impl Into<String>) -> Self {
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
    /// `TRUSTED_PROXIES`: the networks of the proxies in front of this server. Only a request
    /// from one of them may name its client in `X-Forwarded-For`; default none.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Config {
    /// True when customers reach the server over TLS (enables HSTS and `Secure` cookies).
    pub fn behind_tls(&self) -> bool {
        self.public_url.starts_with("https://")
    }
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
            // Verifies, but forgeable: no key material at all, or too little.
            ("DODO_PAYMENTS_WEBHOOK_KEY", "whsec_"),
            ("DODO_PAYMENTS_WEBHOOK_KEY", "whsec_c2hvcnQ="),
            ("TRUSTED_PROXIES", "10.0.0.0/8, the-load-balancer"),
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
    fn trusted_proxies_are_networks_or_addresses() {
        let c = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.4 ,fd00::/8"),
        ])
        .unwrap();
        let shown: Vec<String> = c.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.168.1.4/32", "fd00::/8"]);
        let none = load_with(&[("APP_CONFIG", "tests/fixtures/empty.toml")]).unwrap();
        assert!(
            none.trusted_proxies.is_empty(),
            "no proxy is trusted by default"
        );
    }

    #[test]
    fn short_webhook_keys_say_how_short() {
        let err = load_with(&[
            ("APP_CONFIG", "tests/fixtures/empty.toml"),
            ("DODO_PAYMENTS_WEBHOOK_KEY", "whsec_"),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: DODO_PAYMENTS_WEBHOOK_KEY: too short (0 bytes); use at least 24 random bytes"
        );
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
