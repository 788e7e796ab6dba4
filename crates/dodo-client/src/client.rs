//! The client itself: two SDK clients with different retry policies, and the one place
//! where raw HTTP answers become bodies or errors.

use std::fmt;
use std::sync::Arc;

use dodopayments::{Client, ClientConfig};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::DodoError;
use crate::error_map::{from_reqwest, from_sdk, from_status};
use crate::settings::ClientSettings;

/// Retries for reads: the SDK's default (three attempts in all), with its backoff and
/// `Retry-After` handling.
const READ_RETRIES: u32 = 2;

/// Talks to Dodo. Cheap to clone (the SDK clients share their connection pools).
///
/// Not `Debug`-derived on purpose: the SDK's `Client` prints its config, API key included.
#[derive(Clone)]
pub struct DodoClient {
    /// GETs and harmless POSTs (preview, portal link, hosted checkout): may retry.
    pub(crate) reads: Client,
    /// Every call that can move money: exactly one attempt, `money_timeout`.
    pub(crate) money: Client,
    /// Only to scrub the key out of error texts.
    secret: Arc<str>,
}

impl fmt::Debug for DodoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DodoClient")
            .field("base_url", &self.reads.base_url())
            .finish_non_exhaustive()
    }
}

impl DodoClient {
    /// Builds both SDK clients. No network I/O.
    pub fn new(settings: &ClientSettings) -> Result<DodoClient, DodoError> {
        let config_error = |message: String| DodoError::InvalidRequest {
            code: "CLIENT_CONFIG".to_owned(),
            message,
        };
        let url = reqwest::Url::parse(settings.base_url.trim())
            .map_err(|e| config_error(format!("base_url: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(config_error("base_url must be an http(s) URL".to_owned()));
        }
        // The key becomes an HTTP header value: printable ASCII without spaces.
        let key = settings.api_key.trim();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(config_error(
                "api_key must be non-empty printable ASCII without spaces".to_owned(),
            ));
        }
        if settings.read_timeout.is_zero() || settings.money_timeout.is_zero() {
            return Err(config_error("timeouts must be above zero".to_owned()));
        }
        let base = ClientConfig::new(settings.base_url.trim()).with_api_key(key);
        let build =
            |config: ClientConfig| Client::new(config).map_err(|e| from_sdk(e).scrubbed(key));
        Ok(DodoClient {
            reads: build(
                base.clone()
                    .with_timeout(settings.read_timeout)
                    .with_max_retries(READ_RETRIES),
            )?,
            money: build(
                base.with_timeout(settings.money_timeout)
                    .with_max_retries(0),
            )?,
            secret: Arc::from(key),
        })
    }

    /// Our error for an SDK error, key scrubbed.
    pub(crate) fn sdk_error(&self, err: dodopayments::Error) -> DodoError {
        from_sdk(err).scrubbed(&self.secret)
    }

    /// Sends one request through `client` (so with its retry policy and timeout) via the
    /// SDK's escape hatch, and returns the body of a 2xx answer.
    ///
    /// Used where the typed SDK methods fall short: they drop response headers (we want
    /// `Retry-After`), fail on an empty 2xx body (change-plan), and cannot send the
    /// checkout body without `null` flags.
    pub(crate) async fn exchange(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Vec<u8>, DodoError> {
        let mut request = client.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = client.send(request).await.map_err(|e| self.sdk_error(e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes.to_vec(),
            // Dodo said yes but the body was lost on the way: the work may be done.
            Err(e) if status.is_success() => {
                return Err(from_reqwest(&e).scrubbed(&self.secret));
            }
            Err(_) => Vec::new(),
        };
        if status.is_success() {
            return Ok(bytes);
        }
        let text = String::from_utf8_lossy(&bytes);
        Err(from_status(status.as_u16(), Some(&headers), &text).scrubbed(&self.secret))
    }
}

/// A 2xx body as one of the SDK's response models.
pub(crate) fn decode<T: DeserializeOwned>(what: &str, body: &[u8]) -> Result<T, DodoError> {
    serde_json::from_slice(body).map_err(|e| DodoError::Decode {
        detail: format!("{what}: {e}"),
    })
}

/// True for a 2xx body with nothing in it (Dodo's change-plan may answer that way).
pub(crate) fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn settings(base_url: &str, api_key: &str) -> ClientSettings {
        ClientSettings {
            base_url: base_url.into(),
            api_key: api_key.into(),
            read_timeout: Duration::from_secs(5),
            money_timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let client =
            DodoClient::new(&settings("http://127.0.0.1:9", "sk_test_secret123")).expect("client");
        let shown = format!("{client:?}");
        assert!(!shown.contains("secret123"), "{shown}");
        assert!(shown.contains("127.0.0.1"));
    }

    #[test]
    fn bad_settings_are_refused() {
        for (url, key) in [
            ("ftp://x", "k"),
            ("not a url", "k"),
            ("http://x", ""),
            ("http://x", "has space"),
            ("http://x", "line\nbreak"),
        ] {
            assert!(
                matches!(DodoClient::new(&settings(url, key)), Err(DodoError::InvalidRequest { ref code, .. }) if code == "CLIENT_CONFIG"),
                "{url} {key:?}"
            );
        }
        let mut zero = settings("http://x", "k");
        zero.money_timeout = Duration::ZERO;
        assert!(DodoClient::new(&zero).is_err());
    }

    #[test]
    fn blank_bodies() {
        assert!(is_blank(b""));
        assert!(is_blank(b" \n"));
        assert!(!is_blank(b"{}"));
    }
}
