//! Merchant accounts in the store: one row per email (normalised, unique), with its password
//! hash. The CLI adds them; sign-in reads them.

use super::passwords::{self, PasswordError};
use crate::server::store::{Store, StoreError, new_id, now_millis};
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerchantUser {
    pub id: String,
    pub email: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("`{0}` is not an email address")]
    BadEmail(String),
    #[error("a merchant user with the email {0} exists already")]
    Exists(String),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The stored form of an email: trimmed and lower case, so `Ana@Shop.test` and
/// `ana@shop.test ` are one account. `None` when it is not an email address (one `@`, something
/// before it, a dotted domain after it, no spaces, at most 254 characters).
pub fn normalise_email(input: &str) -> Option<String> {
    let email = input.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.chars().count() <= 254;
    plausible.then_some(email)
}

/// Adds a merchant user: checks the email and the password, hashes it (argon2id) and stores
/// both. The email's uniqueness is the store's constraint, so two instances adding the same
/// email at once still make one account.
pub async fn add_user(
    store: &Store,
    email: &str,
    password: &str,
) -> Result<MerchantUser, AddUserError> {
    let email = normalise_email(email).ok_or_else(|| AddUserError::BadEmail(email.into()))?;
    passwords::check_strength(password)?;
    let password = password.to_string();
    // Hashing takes tens of milliseconds of CPU: off the async workers.
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))??;
    let id = new_id("mu");
    let inserted = sqlx::query(
        "INSERT INTO merchant_users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(&id)
    .bind(&email)
    .bind(&hash)
    .bind(now_millis())
    .execute(store.pool())
    .await
    .map_err(StoreError::from)?
    .rows_affected();
    if inserted == 0 {
        return Err(AddUserError::Exists(email));
    }
    Ok(MerchantUser { id, email })
}

/// The user with this email (any case) and their password hash.
pub async fn find_by_email(
    store: &Store,
    email: &str,
) -> Result<Option<(MerchantUser, String)>, StoreError> {
    let Some(email) = normalise_email(email) else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT id, email, password_hash FROM merchant_users WHERE email = $1")
        .bind(&email)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| {
        Ok((
            MerchantUser {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
            },
            r.try_get("password_hash")?,
        ))
    })
    .transpose()
}

/// The user with this id, if they still exist.
pub async fn find_by_id(store: &Store, id: &str) -> Result<Option<MerchantUser>, StoreError> {
    let row = sqlx::query("SELECT id, email FROM merchant_users WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| {
        Ok(MerchantUser {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
        })
    })
    .transpose()
}

/// Replaces the password of the user with this email; `false` when there is no such user.
pub async fn set_password(
    store: &Store,
    email: &str,
    password: &str,
) -> Result<bool, AddUserError> {
    let email = normalise_email(email).ok_or_else(|| AddUserError::BadEmail(email.into()))?;
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))??;
    let updated = sqlx::query("UPDATE merchant_users SET password_hash = $1 WHERE email = $2")
        .bind(&hash)
        .bind(&email)
        .execute(store.pool())
        .await
        .map_err(StoreError::from)?
        .rows_affected();
    Ok(updated == 1)
}

/// Whether any merchant user exists (the sandbox's demo account is made only when none does).
pub async fn any_exists(store: &Store) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM merchant_users")
        .fetch_one(store.pool())
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalise_email("  Ana@Shop.Test ").as_deref(),
            Some("ana@shop.test")
        );
        for bad in [
            "",
            "ana",
            "@shop.test",
            "ana@",
            "ana@shop",
            "ana@@shop.test",
            "a b@shop.test",
            "ana@.shop",
            "ana@shop.",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad:?}");
        }
    }

    async fn uniqueness_and_lookup(store: Store) {
        let ana = add_user(&store, "Ana@Shop.Test", "twelve chars!")
            .await
            .expect("add");
        assert_eq!(ana.email, "ana@shop.test");
        match add_user(&store, "ANA@shop.test", "another password").await {
            Err(AddUserError::Exists(email)) => assert_eq!(email, "ana@shop.test"),
            other => panic!("expected Exists, got {other:?}"),
        }
        let (found, hash) = find_by_email(&store, " ana@SHOP.test")
            .await
            .expect("query")
            .expect("found");
        assert_eq!(found, ana);
        assert!(passwords::verify("twelve chars!", &hash));
        assert_eq!(find_by_id(&store, &ana.id).await.expect("query"), Some(ana));
        assert!(any_exists(&store).await.expect("count"));

        // The store itself refuses a second row for the email and a mixed-case email, whatever
        // wrote them.
        let raw = |id: &'static str, email: &'static str| {
            sqlx::query(
                "INSERT INTO merchant_users (id, email, password_hash, created_at) VALUES ($1, $2, 'h', 0)",
            )
            .bind(id)
            .bind(email)
            .execute(store.pool())
        };
        assert!(raw("mu_dup", "ana@shop.test").await.is_err());
        assert!(raw("mu_caps", "Bob@Shop.Test").await.is_err());
        assert!(raw("mu_ok", "bob@shop.test").await.is_ok());
    }

    async fn bad_input_is_refused_before_the_store(store: Store) {
        assert!(matches!(
            add_user(&store, "not-an-email", "twelve chars!").await,
            Err(AddUserError::BadEmail(e)) if e == "not-an-email"
        ));
        assert!(matches!(
            add_user(&store, "ana@shop.test", "short").await,
            Err(AddUserError::Password(PasswordError::TooShort))
        ));
        assert!(!any_exists(&store).await.expect("count"));
    }

    /// Bad input first (the store stays empty), then the constraints, on one fresh store.
    async fn accounts(store: Store) {
        bad_input_is_refused_before_the_store(store.clone()).await;
        uniqueness_and_lookup(store).await;
    }

    #[tokio::test]
    async fn sqlite_accounts() {
        let (store, dir) = sqlite().await;
        accounts(store.clone()).await;
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn postgres_accounts() {
        let Some((url, name)) = crate::server::store::testing::fresh_postgres().await else {
            eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
            return;
        };
        let store = Store::open(&url).await.expect("open postgres");
        accounts(store.clone()).await;
        store.close().await;
        crate::server::store::testing::drop_postgres(&name).await;
    }

    async fn sqlite() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("dodo-upsell-mu-{}", new_id("db")));
        let url = format!("sqlite://{}/app.db", dir.display());
        (Store::open(&url).await.expect("open sqlite"), dir)
    }
}
