//! Server-side merchant sessions: `tower-sessions` with its records in our store (the
//! `merchant_sessions` table), so they work the same on SQLite and PostgreSQL and across
//! instances. The cookie carries only a random 128-bit id; what it means (who signed in, the
//! CSRF token) is in the row, and deleting the row ends the session everywhere.

use crate::server::store::{Store, now_millis};
use async_trait::async_trait;
use sqlx::Row;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};

/// The merchant session cookie: its own name, never the customers' (`dodo_upsell_offer`).
pub const COOKIE_NAME: &str = "dodo_upsell_merchant";
/// A session ends after this long without a request.
pub const INACTIVITY: time::Duration = time::Duration::hours(12);

/// The session layer for the `/merchant` routes. The cookie is `HttpOnly` (no script reads
/// it), `SameSite=Strict` (no other site's page sends it), `Secure` behind TLS, and sent only
/// to `/merchant`. Every request saves the session so its expiry counts from the last request.
pub fn layer(store: Store, behind_tls: bool) -> SessionManagerLayer<StoreSessions> {
    SessionManagerLayer::new(StoreSessions(store))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(behind_tls)
        .with_path("/merchant")
        .with_expiry(Expiry::OnInactivity(INACTIVITY))
        .with_always_save(true)
}

#[derive(Clone, Debug)]
pub struct StoreSessions(pub Store);

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn millis(at: time::OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

#[async_trait]
impl SessionStore for StoreSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // New sessions are rare (a login page view, a sign-in), so this is where expired rows
        // are dropped: the table stays as small as the live sessions without a task of its own.
        sqlx::query("DELETE FROM merchant_sessions WHERE expires_at <= $1")
            .bind(now_millis())
            .execute(self.0.pool())
            .await
            .map_err(backend)?;
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        // A random 128-bit id colliding is all but impossible; if it does, take another rather
        // than overwrite someone's session.
        for _ in 0..3 {
            let inserted = sqlx::query(
                "INSERT INTO merchant_sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(millis(record.expiry_date))
            .execute(self.0.pool())
            .await
            .map_err(backend)?
            .rows_affected();
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(Error::Backend("cannot find a free session id".into()))
    }

    /// Updates an existing row only: a request that loaded the session before a logout (or an
    /// id cycle) deleted it must not bring it back.
    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        sqlx::query("UPDATE merchant_sessions SET data = $2, expires_at = $3 WHERE id = $1")
            .bind(record.id.to_string())
            .bind(&data)
            .bind(millis(record.expiry_date))
            .execute(self.0.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = sqlx::query(
            "SELECT data, expires_at FROM merchant_sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(now_millis())
        .fetch_optional(self.0.pool())
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires_at: i64 = row.try_get("expires_at").map_err(backend)?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires_at) * 1_000_000)
                .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM merchant_sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.0.pool())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::new_id;

    fn record(expires_in: time::Duration) -> Record {
        let mut data = std::collections::HashMap::new();
        data.insert("user".to_string(), serde_json::json!("mu_1"));
        Record {
            id: Id::default(),
            data,
            expiry_date: time::OffsetDateTime::now_utc() + expires_in,
        }
    }

    async fn lifecycle(store: Store) {
        let sessions = StoreSessions(store.clone());
        let mut live = record(time::Duration::hours(1));
        sessions.create(&mut live).await.expect("create");
        let loaded = sessions.load(&live.id).await.expect("load").expect("live");
        assert_eq!(loaded.data, live.data);
        assert_eq!(millis(loaded.expiry_date), millis(live.expiry_date));

        // An expired row is never loaded, and the next new session drops it.
        let mut old = record(time::Duration::seconds(-1));
        sessions.create(&mut old).await.expect("create expired");
        assert_eq!(sessions.load(&old.id).await.expect("load"), None);
        sessions
            .create(&mut record(time::Duration::hours(1)))
            .await
            .expect("create");
        let left: i64 = sqlx::query("SELECT COUNT(*) AS n FROM merchant_sessions WHERE id = $1")
            .bind(old.id.to_string())
            .fetch_one(store.pool())
            .await
            .expect("count")
            .get("n");
        assert_eq!(left, 0);

        // Deleted is gone, and a late save does not bring it back.
        sessions.delete(&live.id).await.expect("delete");
        sessions.save(&live).await.expect("late save");
        assert_eq!(sessions.load(&live.id).await.expect("load"), None);
    }

    #[tokio::test]
    async fn sqlite_session_lifecycle() {
        let dir = std::env::temp_dir().join(format!("dodo-upsell-ms-{}", new_id("db")));
        let store = Store::open(&format!("sqlite://{}/app.db", dir.display()))
            .await
            .expect("open sqlite");
        lifecycle(store.clone()).await;
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn postgres_session_lifecycle() {
        let Some((url, name)) = crate::server::store::testing::fresh_postgres().await else {
            eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
            return;
        };
        let store = Store::open(&url).await.expect("open postgres");
        lifecycle(store.clone()).await;
        store.close().await;
        crate::server::store::testing::drop_postgres(&name).await;
    }
}
