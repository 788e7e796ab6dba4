//! How to reach Dodo. Deliberately not `Serialize`, and `Debug` hides the key, so the API
//! key cannot reach a log line or the browser through this type.

use std::fmt;
use std::time::Duration;

/// Dodo's live-mode host (real money). No `/v1` prefix: paths hang off the host.
pub const LIVE_MODE_BASE_URL: &str = dodopayments::LIVE_MODE_BASE_URL;
/// Dodo's test-mode host.
pub const TEST_MODE_BASE_URL: &str = dodopayments::TEST_MODE_BASE_URL;

#[derive(Clone)]
pub struct ClientSettings {
    /// `LIVE_MODE_BASE_URL`, `TEST_MODE_BASE_URL`, or the sandbox's `http://127.0.0.1:PORT`.
    pub base_url: String,
    pub api_key: String,
    /// Per attempt, for reads (which may be attempted three times).
    pub read_timeout: Duration,
    /// For the single attempt of a money-moving call. When it passes, the outcome is unknown.
    pub money_timeout: Duration,
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .field("read_timeout", &self.read_timeout)
            .field("money_timeout", &self.money_timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let s = ClientSettings {
            base_url: "http://x".into(),
            api_key: "sk_live_supersecret".into(),
            read_timeout: Duration::from_secs(1),
            money_timeout: Duration::from_secs(1),
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(shown.contains("http://x"));
    }
}
