//! A fresh PostgreSQL database per test, from `TEST_POSTGRES_URL` (set by
//! `scripts/test-postgres.sh`); tests skip themselves when it is unset. Used by the store's own
//! tests and by the integration tests (`tests/support`), so it is compiled into the library.

use sqlx::any::AnyPoolOptions;

/// Creates a database with a random name; returns its URL and name.
pub async fn fresh_postgres() -> Option<(String, String)> {
    let admin_url = std::env::var("TEST_POSTGRES_URL").ok()?;
    sqlx::any::install_default_drivers();
    let name = format!("dodo_upsell_it_{}", &super::new_id("d")[2..14]);
    let admin = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&admin_url)
        .await
        .ok()?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .ok()?;
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin_url);
    Some((format!("{base}/{name}"), name))
}

pub async fn drop_postgres(name: &str) {
    if let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL")
        && let Ok(admin) = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&admin_url)
            .await
    {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
        admin.close().await;
    }
}
