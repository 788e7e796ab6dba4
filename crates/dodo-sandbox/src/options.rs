//! How a sandbox is configured.

use std::time::Duration;

use crate::fixtures::Fixtures;

/// The bearer key accepted when no key is configured: `Authorization: Bearer sandbox_sk_test`.
pub const DEFAULT_API_KEY: &str = "sandbox_sk_test";

/// A receiver of webhook deliveries, signed per Standard Webhooks with `secret`.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEndpoint {
    pub url: String,
    /// `whsec_` followed by base64 (the HMAC key is the decoded bytes).
    pub secret: String,
}

#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Accepted bearer keys. Default: `[DEFAULT_API_KEY]`.
    pub api_keys: Vec<String>,
    /// The data the sandbox starts with and returns to on reset. Default: the demo business.
    pub fixtures: Fixtures,
    /// Where webhooks are delivered (more can be added at run time via the control API).
    pub webhooks: Vec<WebhookEndpoint>,
    /// Base for `checkout_url`, payment links and 3DS pages. Default: `http://<bound addr>`.
    pub public_url: Option<String>,
    /// How long a saved-card charge stays `processing` before it settles. Zero settles
    /// before the API call returns.
    pub settle_delay: Duration,
    /// Multiplies Dodo's webhook retry schedule (0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
    /// 10 h): `0.001` turns 5 min into 0.3 s. Default 1.0.
    pub webhook_retry_scale: f64,
    /// Part of every generated id (`pay_<ns>…`), 1–6 alphanumerics. Default `"sbx"`; set a
    /// different one per run if an app database outlives the sandbox process.
    pub id_namespace: String,
    /// Serve the `/_sandbox` control API to any peer, not only loopback (127.0.0.0/8, ::1).
    /// Default `false`: a sandbox bound to a LAN address still refuses remote callers its
    /// reset/clock/refund controls (403 `FORBIDDEN`).
    pub allow_remote_control: bool,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            api_keys: vec![DEFAULT_API_KEY.to_owned()],
            fixtures: Fixtures::demo(),
            webhooks: Vec::new(),
            public_url: None,
            settle_delay: Duration::from_millis(300),
            webhook_retry_scale: 1.0,
            id_namespace: "sbx".to_owned(),
            allow_remote_control: false,
        }
    }
}
