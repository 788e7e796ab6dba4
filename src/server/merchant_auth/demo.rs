//! The sandbox's demo merchant account: `make run` (the embedded Dodo sandbox) signs in with
//! it at once. Made at startup when the store has no merchant user yet; never against real Dodo.

use super::{passwords, users};
use crate::server::store::Store;

pub const DEMO_EMAIL: &str = "demo@merchant.test";
/// The demo password unless `DEMO_MERCHANT_PASSWORD` names another (Playwright signs in with
/// it). A demo of a local sandbox, not a secret.
pub const DEFAULT_DEMO_PASSWORD: &str = "demo-merchant-pass";
pub const PASSWORD_ENV: &str = "DEMO_MERCHANT_PASSWORD";

/// Makes sure the demo account exists with `password` (when the store has no merchant user,
/// or the demo account is there with another password: the configured one is what was
/// printed). Returns the line to print, or `None` when other accounts exist and no demo one.
pub async fn ensure_demo_account(
    store: &Store,
    password: &str,
    public_url: &str,
) -> Result<Option<String>, String> {
    let problem = |e: users::AddUserError| format!("{PASSWORD_ENV}: {e}");
    match users::find_by_email(store, DEMO_EMAIL)
        .await
        .map_err(|e| e.to_string())?
    {
        Some((_, hash)) => {
            let password_owned = password.to_string();
            let same =
                tokio::task::spawn_blocking(move || passwords::verify(&password_owned, &hash))
                    .await
                    .unwrap_or(false);
            if !same {
                users::set_password(store, DEMO_EMAIL, password)
                    .await
                    .map_err(problem)?;
            }
        }
        None if users::any_exists(store).await.map_err(|e| e.to_string())? => return Ok(None),
        None => {
            users::add_user(store, DEMO_EMAIL, password)
                .await
                .map_err(problem)?;
        }
    }
    Ok(Some(format!(
        "Merchant dashboard: {public_url}/merchant (sign in as {DEMO_EMAIL}, password {password})"
    )))
}

/// The demo password: `DEMO_MERCHANT_PASSWORD`, else the default.
pub fn password_from_env() -> String {
    std::env::var(PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_DEMO_PASSWORD.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn made_once_reset_to_the_configured_password_and_not_beside_real_accounts() {
        let dir = std::env::temp_dir().join(format!(
            "dodo-upsell-demo-{}",
            crate::server::store::new_id("db")
        ));
        let store = Store::open(&format!("sqlite://{}/app.db", dir.display()))
            .await
            .expect("open");
        let line = ensure_demo_account(&store, DEFAULT_DEMO_PASSWORD, "http://127.0.0.1:3000")
            .await
            .expect("demo");
        assert_eq!(
            line.as_deref(),
            Some(
                "Merchant dashboard: http://127.0.0.1:3000/merchant (sign in as demo@merchant.test, password demo-merchant-pass)"
            )
        );
        ensure_demo_account(&store, "another demo password", "http://x")
            .await
            .expect("again");
        let (_, hash) = users::find_by_email(&store, DEMO_EMAIL)
            .await
            .expect("query")
            .expect("demo");
        assert!(passwords::verify("another demo password", &hash));
        assert!(matches!(
            ensure_demo_account(&store, "short", "http://x").await,
            Err(e) if e == "DEMO_MERCHANT_PASSWORD: the password must be at least 12 characters long"
        ));
        store.close().await;

        let dir2 = dir.with_extension("real");
        let store = Store::open(&format!("sqlite://{}/app.db", dir2.display()))
            .await
            .expect("open");
        users::add_user(&store, "owner@shop.test", "a real password")
            .await
            .expect("add");
        assert_eq!(
            ensure_demo_account(&store, DEFAULT_DEMO_PASSWORD, "http://x")
                .await
                .expect("demo"),
            None
        );
        assert!(
            users::find_by_email(&store, DEMO_EMAIL)
                .await
                .expect("query")
                .is_none()
        );
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
        let _ = std::fs::remove_dir_all(dir2);
    }
}
