//! What a refused request must leave alone: every row of the store, and Dodo.

use super::TestApp;
use dodo_upsell::server::store::Store;

/// Every table of the store as text, rows in a fixed order: two dumps are equal exactly when
/// nothing was written.
#[derive(Debug, PartialEq, Eq)]
pub struct StoreDump(Vec<(String, String)>);

impl StoreDump {
    pub async fn take(store: &Store) -> StoreDump {
        let pool = store.pool();
        let postgres = store.backend() == "postgres";
        let tables_sql = if postgres {
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' \
             ORDER BY table_name"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             ORDER BY name"
        };
        let tables: Vec<String> = sqlx::query_scalar(tables_sql)
            .fetch_all(pool)
            .await
            .expect("list tables");
        let mut dump = Vec::with_capacity(tables.len());
        for table in tables {
            let rows_sql = if postgres {
                format!(
                    "SELECT COALESCE(string_agg(r::text, E'\\n' ORDER BY r::text), '') \
                     FROM \"{table}\" r"
                )
            } else {
                let columns: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                        .fetch_all(pool)
                        .await
                        .expect("columns");
                let row = columns
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                format!(
                    "SELECT COALESCE(group_concat(row, char(10)), '') \
                     FROM (SELECT {row} AS row FROM \"{table}\" ORDER BY 1)"
                )
            };
            let rows: String = sqlx::query_scalar(&rows_sql)
                .fetch_one(pool)
                .await
                .expect("dump table");
            dump.push((table, rows));
        }
        StoreDump(dump)
    }

    /// Panics, naming the tables that changed, unless the store is as it was.
    pub async fn assert_unchanged(&self, store: &Store, what: &str) {
        let now = StoreDump::take(store).await;
        let changed: Vec<&str> = self
            .0
            .iter()
            .zip(&now.0)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0.as_str())
            .collect();
        assert!(
            changed.is_empty() && self.0.len() == now.0.len(),
            "{what}: a refusal changed the store: {changed:?}"
        );
    }
}

/// The sequence number of the last API request the sandbox received (0: none yet).
pub fn last_dodo_request(app: &TestApp) -> u64 {
    app.sandbox
        .state()
        .recorded_requests()
        .last()
        .map_or(0, |r| r.seq)
}

/// How many requests that change something at Dodo (anything but GET) arrived after `seq`.
pub fn dodo_writes_since(app: &TestApp, seq: u64) -> usize {
    app.sandbox
        .state()
        .recorded_requests()
        .iter()
        .filter(|r| r.seq > seq && r.method != "GET")
        .count()
}

/// Every API request the sandbox received after `seq`, as "METHOD /path".
pub fn dodo_requests_since(app: &TestApp, seq: u64) -> Vec<String> {
    app.sandbox
        .state()
        .recorded_requests()
        .iter()
        .filter(|r| r.seq > seq)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}
