//! The durable store: SQLite (the default, a file under `data/`) or PostgreSQL when several
//! instances share state. One interface over both; each backend has its own migrations,
//! applied at startup.

mod attempts;
mod bindings;
mod claims;
mod dodo_check;
mod impressions;
mod landings;
mod ledgers;
mod offers;
mod suppressions;
#[doc(hidden)]
pub mod testing;
mod webhook_events;

pub use attempts::{
    Accepted, Attempt, AttemptKind, AttemptStatus, NewAttempt, Outcome, Recorded, Refusal,
    STALE_SENDING_MILLIS, SettledState, apply_payment_state, apply_plan_changed,
};
pub use claims::{Claim, record_offer_bought};
pub use dodo_check::CheckedAttempt;
pub use landings::{Landing, LandingOutcome, MAX_LANDINGS, NewLanding};
pub use ledgers::{ConfirmedPayment, SeenRefund, record_confirmed_payment, record_refund_seen};
pub use offers::{Decision, NewOffer, Offer};
pub use suppressions::{ALL_OFFERS, Suppression};
pub use webhook_events::{
    UnreadableWebhook, WebhookInsert, insert_webhook_event, mark_webhook_processed,
};

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot create the directory {dir}: {source}")]
    CreateDir { dir: String, source: std::io::Error },
    #[error("cannot migrate the store: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("store query failed: {0}")]
    Query(#[from] sqlx::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store. Queries are written once, in the SQL both backends understand (`$1`
/// placeholders, `ON CONFLICT`, `RETURNING`, BIGINT unix-millisecond timestamps, TEXT
/// statuses), and run through sqlx's `Any` driver.
///
/// On SQLite, which lets one connection write at a time, [`Store::pool`] holds exactly one
/// connection: writers queue for it in order inside the pool instead of contending for
/// SQLite's lock, whose busy handler sleeps up to 100 ms a turn (the webhook p99 of issue 21).
/// The dashboard's long reads go to [`Store::reads`], read-only connections of their own, so
/// they never hold up a webhook or an offer page. On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    reads: AnyPool,
    backend: Backend,
    impressions: impressions::ImpressionQueue,
}

/// Read-only SQLite connections for [`Store::reads`]; WAL readers do not block the writer.
const SQLITE_READ_CONNECTIONS: u32 = 4;
const POSTGRES_CONNECTIONS: u32 = 10;

impl Store {
    /// Opens (creating when needed) the store named by `url` and applies its migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let open_err = |source| StoreError::Open {
            url: redact_url(url),
            source,
        };
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            prepare_sqlite_file(url).await?;
            Backend::Sqlite
        };
        let options = || AnyPoolOptions::new().acquire_timeout(Duration::from_secs(5));
        let (pool, reads) = match backend {
            Backend::Sqlite => {
                let pool = options()
                    .max_connections(1)
                    .connect(url)
                    .await
                    .map_err(open_err)?;
                let reads = options()
                    .max_connections(SQLITE_READ_CONNECTIONS)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::query("PRAGMA query_only = ON").execute(conn).await?;
                            Ok(())
                        })
                    })
                    .connect_lazy(url)
                    .map_err(open_err)?;
                (pool, reads)
            }
            Backend::Postgres => {
                let pool = options()
                    .max_connections(POSTGRES_CONNECTIONS)
                    .connect(url)
                    .await
                    .map_err(open_err)?;
                (pool.clone(), pool)
            }
        };
        let store = Store {
            impressions: impressions::ImpressionQueue::start(pool.clone()),
            pool,
            reads,
            backend,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Every write and the short reads of a request (one connection on SQLite).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Connections for long read-only queries (the merchant dashboard); on SQLite they cannot
    /// write (`PRAGMA query_only`).
    pub fn reads(&self) -> &AnyPool {
        &self.reads
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Returns the stored value of `key`, storing `value` first if there is none. The first
    /// writer wins, so several instances starting at once agree on one value.
    pub async fn meta_get_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM app_meta WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(sqlx::Row::try_get(&row, "value")?)
    }

    /// Writes what is still queued, then closes every connection.
    pub async fn close(&self) {
        self.impressions_written().await;
        self.reads.close().await;
        self.pool.close().await;
    }
}

/// Creates the SQLite file (and its directory) with write-ahead logging, which the file keeps:
/// readers then never block the writer. Busy timeout (5 s) and foreign keys are sqlx defaults.
async fn prepare_sqlite_file(url: &str) -> Result<(), StoreError> {
    let open_err = |source| StoreError::Open {
        url: url.to_string(),
        source,
    };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(open_err)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    if let Some(dir) = options
        .get_filename()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            dir: dir.display().to_string(),
            source,
        })?;
    }
    let conn = options.connect().await.map_err(open_err)?;
    conn.close().await.map_err(open_err)?;
    Ok(())
}

/// Milliseconds since the Unix epoch: how every timestamp is stored.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A new random id with a readable prefix, e.g. `att_3k9x…` (22 base-36 characters).
pub fn new_id(prefix: &str) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..22)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}_{tail}")
}

/// A database URL without its password, for error messages and logs.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod backend_tests;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:pw@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("sqlite://data/app.db"), "sqlite://data/app.db");
    }

    #[tokio::test]
    async fn opens_a_fresh_sqlite_file_and_answers_pings() {
        let dir = std::env::temp_dir().join(format!("dodo-upsell-store-{}", std::process::id()));
        let url = format!("sqlite://{}/nested/app.db", dir.display());
        let store = Store::open(&url).await.expect("open");
        store.ping().await.expect("ping");
        assert_eq!(store.backend(), "sqlite");
        store.close().await;
        // Reopening applies no migration twice.
        let again = Store::open(&url).await.expect("reopen");
        again.ping().await.expect("ping again");
        again.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn postgres_opens_migrates_and_answers_pings() {
        let Some((url, name)) = super::testing::fresh_postgres().await else {
            eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
            return;
        };
        let store = Store::open(&url).await.expect("open");
        assert_eq!(store.backend(), "postgres");
        store.ping().await.expect("ping");
        store.close().await;
        let again = Store::open(&url)
            .await
            .expect("reopen applies no migration twice");
        again.close().await;
        super::testing::drop_postgres(&name).await;
    }

    #[tokio::test]
    async fn a_bad_url_is_a_clear_error() {
        let err = Store::open("postgres://nobody:secret@127.0.0.1:1/none")
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("cannot open the store"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
