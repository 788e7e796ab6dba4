//! A value that must never leave the server: API keys, webhook keys, link-signing keys.
//!
//! `Secret` is deliberately neither `Serialize` nor `Display`, and its `Debug` is redacted, so
//! it cannot end up in a server-function response, the WASM bundle or a log line by accident.

#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that needs it (an HTTP header, an HMAC key).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_output_is_redacted() {
        let s = super::Secret::new("sk_live_very_secret");
        assert!(!format!("{s:?}").contains("very_secret"));
        assert_eq!(s.expose(), "sk_live_very_secret");
    }
}
