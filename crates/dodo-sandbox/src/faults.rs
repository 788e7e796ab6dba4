//! Injected faults and latency for API requests (`/_sandbox/faults`, `/_sandbox/latency`).

use rand::Rng;
use serde::{Deserialize, Serialize};

/// What happens to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer this status (500, 502, 429, 409, …) without doing anything.
    Status { status: u16 },
    /// Wait, then handle the request normally.
    Latency { latency_ms: u64 },
    /// Close the connection without an answer; nothing is done.
    Drop,
    /// Do the work (the charge happens), then lose the answer: drop the connection, or
    /// answer `status` if given.
    ResponseLost {
        #[serde(default)]
        status: Option<u16>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FaultSpec {
    /// HTTP method to match; any if absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern: `*` matches any run of characters (`/subscriptions/*/change-plan`).
    pub path: String,
    /// How many matching requests get the fault (default 1).
    #[serde(default = "one")]
    pub count: u32,
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Adds `x-should-retry: true|false` to faulted answers (the SDKs obey it).
    #[serde(default)]
    pub should_retry: Option<bool>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize)]
pub struct FaultRule {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    pub remaining: u32,
}

/// Extra latency for every API request, uniform in `[min_ms, max_ms]`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Latency {
    pub min_ms: u64,
    pub max_ms: u64,
}

#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
    next_id: u64,
    pub latency: Option<Latency>,
}

impl FaultSpec {
    /// Why this fault cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let status_ok = |s: u16| (400..=599).contains(&s);
        match &self.kind {
            FaultKind::Status { status } if !status_ok(*status) => {
                Some(format!("status {status} must be 400-599"))
            }
            FaultKind::ResponseLost {
                status: Some(status),
            } if !status_ok(*status) => Some(format!("status {status} must be 400-599")),
            _ if self.path.is_empty() => Some("path must not be empty".to_owned()),
            _ if self.count == 0 => Some("count must be at least 1".to_owned()),
            _ => None,
        }
    }
}

impl Faults {
    pub fn add(&mut self, spec: FaultSpec) -> u64 {
        self.next_id += 1;
        let remaining = spec.count;
        self.rules.push(FaultRule {
            id: self.next_id,
            spec,
            remaining,
        });
        self.next_id
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.rules.clone()
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The fault for this request, if a rule matches; uses up one of its count.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultSpec> {
        let rule = self.rules.iter_mut().find(|r| {
            r.remaining > 0
                && r.spec
                    .method
                    .as_ref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && glob_match(&r.spec.path, path)
        })?;
        rule.remaining -= 1;
        let spec = rule.spec.clone();
        self.rules.retain(|r| r.remaining > 0);
        Some(spec)
    }

    pub fn random_latency(&self) -> Option<std::time::Duration> {
        let l = self.latency?;
        let (lo, hi) = (l.min_ms.min(l.max_ms), l.min_ms.max(l.max_ms));
        let ms = if lo == hi {
            lo
        } else {
            rand::thread_rng().gen_range(lo..=hi)
        };
        Some(std::time::Duration::from_millis(ms))
    }
}

/// `*` matches any (possibly empty) run of characters; everything else literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("/checkouts", "/checkouts"));
        assert!(!glob_match("/checkouts", "/checkouts/cks_1"));
        assert!(glob_match(
            "/subscriptions/*/change-plan",
            "/subscriptions/sub_1/change-plan"
        ));
        assert!(!glob_match(
            "/subscriptions/*/change-plan",
            "/subscriptions/sub_1/change-plan/preview"
        ));
        assert!(glob_match("*", "/anything"));
        assert!(glob_match("/payments*", "/payments/pay_1"));
    }

    #[test]
    fn rules_are_used_up() {
        let mut faults = Faults::default();
        faults.add(FaultSpec {
            method: Some("POST".into()),
            path: "/checkouts".into(),
            count: 2,
            kind: FaultKind::Status { status: 500 },
            should_retry: None,
        });
        assert!(faults.take("GET", "/checkouts").is_none());
        assert!(faults.take("post", "/checkouts").is_some());
        assert!(faults.take("POST", "/checkouts").is_some());
        assert!(faults.take("POST", "/checkouts").is_none());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn bad_specs_are_reported() {
        let spec: FaultSpec = serde_json::from_value(serde_json::json!({
            "path": "/x", "fault": "status", "status": 200
        }))
        .expect("parses");
        assert!(spec.problem().is_some());
    }
}
