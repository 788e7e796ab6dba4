//! The durable store: SQLite (the default, a file under `data/`) or PostgreSQL when several
//! instances share state. One interface over both; each backend has its own migrations,
//! applied at startup.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
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

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Opens (creating when needed) the store named by `url` and applies its migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            url: redact_url(url),
            source,
        };
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(5))
                .connect(url)
                .await
                .map_err(open_err)?;
            Store::Postgres(pool)
        } else {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(open_err)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true);
            if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                    dir: dir.display().to_string(),
                    source,
                })?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(5)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(open_err)?;
            Store::Sqlite(pool)
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Store::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await?,
            Store::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await?,
        };
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }
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
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://u:pw@h:5432/db"), "postgres://u:***@h:5432/db");
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

    /// A fresh PostgreSQL database for one test, from `TEST_POSTGRES_URL` (set by
    /// `scripts/test-postgres.sh`); `None` (the test returns early) when it is not set.
    pub async fn fresh_postgres() -> Option<(String, String)> {
        let admin_url = std::env::var("TEST_POSTGRES_URL").ok()?;
        let name = format!("dodo_upsell_t{}_{}", std::process::id(), rand_suffix());
        let admin = PgPoolOptions::new().max_connections(1).connect(&admin_url).await.expect("admin connect");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
        Some((format!("{base}/{name}"), name))
    }

    pub async fn drop_postgres(name: &str) {
        if let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") {
            if let Ok(admin) = PgPoolOptions::new().max_connections(1).connect(&admin_url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await;
                admin.close().await;
            }
        }
    }

    fn rand_suffix() -> u64 {
        use rand::Rng;
        rand::thread_rng().r#gen::<u32>() as u64
    }

    #[tokio::test]
    async fn postgres_opens_migrates_and_answers_pings() {
        let Some((url, name)) = fresh_postgres().await else {
            eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
            return;
        };
        let store = Store::open(&url).await.expect("open");
        assert_eq!(store.backend(), "postgres");
        store.ping().await.expect("ping");
        store.close().await;
        let again = Store::open(&url).await.expect("reopen applies no migration twice");
        again.close().await;
        drop_postgres(&name).await;
    }

    #[tokio::test]
    async fn a_bad_url_is_a_clear_error() {
        let err = Store::open("postgres://nobody:secret@127.0.0.1:1/none").await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("cannot open the store"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
