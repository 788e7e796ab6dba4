//! Deterministic ids with Dodo's prefixes.
//!
//! Generated ids look like `pay_sbx001000000000000007`: prefix, a namespace (default `sbx`),
//! the reset generation (3 digits) and a per-prefix counter, 21 alphanumerics after the
//! prefix like Dodo's. The generation makes ids unique across `/_sandbox/reset` within one
//! process, so an app that stores ids (or de-duplicates webhooks by id) never sees a reused
//! id; the namespace lets a long-lived app database survive sandbox restarts. No id ever
//! contains `/` (the Rust SDK leaves `/` unencoded in paths).

use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct IdGen {
    namespace: String,
    generation: u32,
    counters: HashMap<&'static str, u64>,
}

impl IdGen {
    pub fn new(namespace: &str, generation: u32) -> Self {
        let mut ns: String = namespace
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(6)
            .collect();
        if ns.is_empty() {
            ns = "sbx".to_owned();
        }
        Self {
            namespace: ns,
            generation,
            counters: HashMap::new(),
        }
    }

    pub fn next(&mut self, prefix: &'static str) -> String {
        let counter = self.counters.entry(prefix).or_insert(0);
        *counter += 1;
        format!(
            "{prefix}_{}{:03}{:015}",
            self.namespace,
            self.generation % 1000,
            *counter
        )
    }
}

/// Ids come from fixture files too; they end up in URL paths, so `/` and control characters
/// are refused.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_sequential_and_slash_free() {
        let mut ids = IdGen::new("sbx", 1);
        let a = ids.next("pay");
        let b = ids.next("pay");
        let c = ids.next("sub");
        assert_eq!(a, "pay_sbx001000000000000001");
        assert_eq!(b, "pay_sbx001000000000000002");
        assert_eq!(c, "sub_sbx001000000000000001");
        assert_eq!(a.len() - "pay_".len(), 21);
        assert!(is_valid_id(&a));
    }

    #[test]
    fn generations_do_not_collide() {
        let mut first = IdGen::new("sbx", 0);
        let mut second = IdGen::new("sbx", 1);
        assert_ne!(first.next("pay"), second.next("pay"));
    }

    #[test]
    fn slashes_are_invalid() {
        assert!(!is_valid_id("cus/1"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id("cus_demo_alice"));
    }
}
