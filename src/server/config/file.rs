//! The configuration file's shape (`Leptos.toml`, or the file `APP_CONFIG` names), and reading
//! it. Unknown keys are errors, so a typo never silently falls back to a default.

use super::ConfigError;
use serde::Deserialize;
use std::path::Path;

/// The file's shape. Unknown keys are errors, so a typo never silently falls back to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileConfig {
    #[serde(default)]
    pub dodo: FileDodo,
    #[serde(default)]
    pub store: FileStore,
    #[serde(default)]
    pub security: FileSecurity,
    #[serde(default)]
    pub server: FileServer,
    /// cargo-leptos style options may live in the same file; they are read by Leptos itself.
    #[serde(default, rename = "package")]
    _package: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileDodo {
    pub environment: Option<String>,
    pub base_url: Option<String>,
    pub sandbox: Option<String>,
    pub sandbox_addr: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileStore {
    pub database_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSecurity {
    pub merchant_origins: Option<Vec<String>>,
    pub trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileServer {
    pub public_url: Option<String>,
    pub merchant_config: Option<String>,
}

pub(super) fn read_file(path: &Path, required: bool) -> Result<FileConfig, ConfigError> {
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
