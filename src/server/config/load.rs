//! Loading the configuration: every setting is its environment variable if set, else its key
//! in the file, else its default — parsed, and on error named by where the bad value came from.

use super::file::{FileConfig, read_file};
use super::values::{
    parse_addr, parse_database_url, parse_environment, parse_http_url, parse_networks,
    parse_origins, parse_sandbox, webhook_key_bytes,
};
use super::{
    Config, ConfigError, DEFAULT_CONFIG_FILE, DodoConfig, DodoEnvironment, SandboxSetting,
};
use crate::server::secret::Secret;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The least key material a signing secret may have: a shorter one can be guessed.
const MIN_SECRET_BYTES: usize = 24;

/// Reads the configuration from the process environment and the configuration file.
pub fn load(site_addr: SocketAddr) -> Result<Config, ConfigError> {
    load_from(&|key| std::env::var(key).ok(), site_addr)
}

/// Where settings come from: the environment (an empty variable counts as unset: `FOO= cmd` is
/// a common way to clear one) over the file.
struct Sources<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    file: FileConfig,
    path: PathBuf,
}

impl Sources<'_> {
    fn var(&self, key: &str) -> Option<String> {
        (self.env)(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// `var`, else the file's `[section] key` value, else `default()`, parsed by `parse`.
    fn setting<T>(
        &self,
        var: &str,
        file_value: Option<&str>,
        (section, key): (&str, &str),
        parse: impl Fn(&str) -> Result<T, String>,
        default: impl FnOnce() -> T,
    ) -> Result<T, ConfigError> {
        if let Some(v) = self.var(var) {
            return parse(&v).map_err(|p| ConfigError::new(var, p));
        }
        match file_value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => parse(v).map_err(|p| {
                ConfigError::new(format!("{} [{section}] {key}", self.path.display()), p)
            }),
            None => Ok(default()),
        }
    }

    /// A comma-separated list in `var`, else the file's array.
    fn list<T>(
        &self,
        var: &str,
        file_value: Option<&Vec<String>>,
        (section, key): (&str, &str),
        parse: impl Fn(Vec<String>) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        match self.var(var) {
            Some(v) => parse(v.split(',').map(str::to_string).collect())
                .map_err(|p| ConfigError::new(var, p)),
            None => parse(file_value.cloned().unwrap_or_default()).map_err(|p| {
                ConfigError::new(format!("{} [{section}] {key}", self.path.display()), p)
            }),
        }
    }

    /// A secret from the environment only (never from the file), at least `min` long as
    /// measured by `length`.
    fn secret(
        &self,
        var: &str,
        length: impl Fn(&str) -> Option<usize>,
        min: usize,
        what: &str,
    ) -> Result<Option<Secret>, ConfigError> {
        let Some(value) = self.var(var) else {
            return Ok(None);
        };
        match length(&value) {
            None => Err(ConfigError::new(var, format!("not {what}"))),
            Some(n) if n < min => Err(ConfigError::new(
                var,
                format!("too short ({n} bytes); use at least {min} random bytes"),
            )),
            Some(_) => Ok(Some(Secret::new(value))),
        }
    }
}

/// [`load`] with an injectable environment, for tests.
pub fn load_from(
    env: &dyn Fn(&str) -> Option<String>,
    site_addr: SocketAddr,
) -> Result<Config, ConfigError> {
    let probe = Sources {
        env,
        file: FileConfig::default(),
        path: PathBuf::new(),
    };
    let (path, required) = match probe.var("APP_CONFIG") {
        Some(p) => (PathBuf::from(p), true),
        None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
    };
    let file = read_file(&path, required)?;
    let s = Sources { env, file, path };
    let f = &s.file;

    let production = match s.var("LEPTOS_ENV").as_deref() {
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

    let api_key = s.var("DODO_PAYMENTS_API_KEY").map(Secret::new);
    // Standard Webhooks secrets: `whsec_` and base64 of the key material.
    let webhook_key = s.secret(
        "DODO_PAYMENTS_WEBHOOK_KEY",
        webhook_key_bytes,
        MIN_SECRET_BYTES,
        "a Standard Webhooks secret (whsec_ followed by base64)",
    )?;
    let dodo = DodoConfig {
        api_key,
        webhook_key,
        environment: s.setting(
            "DODO_PAYMENTS_ENVIRONMENT",
            f.dodo.environment.as_deref(),
            ("dodo", "environment"),
            parse_environment,
            || DodoEnvironment::TestMode,
        )?,
        base_url: s.setting(
            "DODO_PAYMENTS_BASE_URL",
            f.dodo.base_url.as_deref(),
            ("dodo", "base_url"),
            |v| parse_http_url(v).map(Some),
            || None,
        )?,
        sandbox: s.setting(
            "DODO_SANDBOX",
            f.dodo.sandbox.as_deref(),
            ("dodo", "sandbox"),
            parse_sandbox,
            || SandboxSetting::Auto,
        )?,
        sandbox_addr: s.setting(
            "DODO_SANDBOX_ADDR",
            f.dodo.sandbox_addr.as_deref(),
            ("dodo", "sandbox_addr"),
            parse_addr,
            || SocketAddr::from(([127, 0, 0, 1], 4010)),
        )?,
    };
    let database_url = s.setting(
        "DATABASE_URL",
        f.store.database_url.as_deref(),
        ("store", "database_url"),
        parse_database_url,
        || "sqlite://data/app.db".to_string(),
    )?;
    let merchant_origins = s.list(
        "MERCHANT_ORIGINS",
        f.security.merchant_origins.as_ref(),
        ("security", "merchant_origins"),
        parse_origins,
    )?;
    let trusted_proxies = s.list(
        "TRUSTED_PROXIES",
        f.security.trusted_proxies.as_ref(),
        ("security", "trusted_proxies"),
        parse_networks,
    )?;
    let public_url = s.setting(
        "PUBLIC_URL",
        f.server.public_url.as_deref(),
        ("server", "public_url"),
        parse_http_url,
        || format!("http://{site_addr}"),
    )?;
    let merchant_config = PathBuf::from(
        s.var("MERCHANT_CONFIG")
            .or_else(|| f.server.merchant_config.clone())
            .unwrap_or_else(|| "merchant.toml".to_string()),
    );
    // HS256 wants at least as many key bytes as the hash has.
    let link_signing_key = s.secret("LINK_SIGNING_KEY", |v| Some(v.len()), 32, "a key")?;
    let admin_api_key = s.secret(
        "ADMIN_API_KEY",
        |v| Some(v.len()),
        MIN_SECRET_BYTES,
        "a key",
    )?;

    // A production server must never show sandbox offers to real customers by accident.
    if production && dodo.api_key.is_none() && dodo.sandbox != SandboxSetting::On {
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
        trusted_proxies,
    })
}
