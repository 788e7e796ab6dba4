//! The log of API requests (`GET /_sandbox/requests`), so tests can assert what an app sent.

use std::collections::VecDeque;

use serde::Serialize;
use serde_json::Value;

const MAX_ENTRIES: usize = 2000;

#[derive(Debug, Clone, Serialize)]
pub struct RecordedRequest {
    pub seq: u64,
    /// Real time the request arrived.
    pub at: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// The parsed JSON body; `null` when empty; `{"_raw": "..."}` when not JSON.
    pub body: Value,
    /// The status answered (0 when the connection was dropped).
    pub status: u16,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<RecordedRequest>,
    next_seq: u64,
}

impl RequestLog {
    pub fn push(&mut self, mut entry: RecordedRequest) {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn all(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// The body as the log shows it.
pub fn body_value(bytes: &[u8]) -> Value {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| serde_json::json!({ "_raw": String::from_utf8_lossy(bytes) }))
}
