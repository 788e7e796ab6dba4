//! `dodo-upsell merchant-user add <email>`: adds a merchant account. The password comes from
//! standard input (asked for without echo on a terminal), never from the command line, where
//! other users' `ps` and the shell history would see it.

use super::users;
use crate::server::store::Store;
use std::io::{BufRead, IsTerminal};

/// Reads the password (the first line of `input`, its line ending removed) and adds the user.
/// Returns what to print.
pub async fn add_user_from(
    store: &Store,
    email: &str,
    input: &mut impl BufRead,
) -> Result<String, String> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err("no password on standard input (pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | dodo-upsell merchant-user add ana@shop.test`)".into());
    }
    let user = users::add_user(store, email, password)
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("added merchant user {} ({})", user.email, user.id))
}

/// The command: opens the configured store and adds the user; asks on a terminal unless
/// `password_stdin` says the password is piped.
pub async fn run_add(email: &str, password_stdin: bool) -> Result<(), String> {
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| format!("configuration error: LEPTOS_*: {e}"))?
        .leptos_options;
    let config =
        crate::server::config::load(leptos_options.site_addr).map_err(|e| e.to_string())?;
    let store = Store::open(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let result = if !password_stdin && std::io::stdin().is_terminal() {
        let prompt = format!(
            "Password for {email} (at least {} characters): ",
            super::passwords::MIN_LENGTH
        );
        match rpassword::prompt_password(prompt) {
            Ok(password) => {
                add_user_from(&store, email, &mut std::io::Cursor::new(password + "\n")).await
            }
            Err(e) => Err(format!("cannot read the password: {e}")),
        }
    } else {
        add_user_from(&store, email, &mut std::io::stdin().lock()).await
    };
    store.close().await;
    println!("{}", result?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn adds_from_stdin_with_clear_errors() {
        let dir = std::env::temp_dir().join(format!(
            "dodo-upsell-cli-{}",
            crate::server::store::new_id("db")
        ));
        let store = Store::open(&format!("sqlite://{}/app.db", dir.display()))
            .await
            .expect("open");
        let add = |email: &'static str, stdin: &'static str| {
            let store = store.clone();
            async move {
                add_user_from(&store, email, &mut std::io::Cursor::new(stdin.as_bytes())).await
            }
        };
        let added = add("Ana@Shop.test", "a long password\r\n")
            .await
            .expect("added");
        assert!(
            added.starts_with("added merchant user ana@shop.test (mu_"),
            "{added}"
        );
        let (_, hash) = users::find_by_email(&store, "ana@shop.test")
            .await
            .expect("query")
            .expect("user");
        assert!(super::super::passwords::verify("a long password", &hash));

        assert_eq!(
            add("ana@shop.test", "another password\n").await,
            Err("a merchant user with the email ana@shop.test exists already".into())
        );
        assert_eq!(
            add("bob@shop.test", "too short\n").await,
            Err("the password must be at least 12 characters long".into())
        );
        assert_eq!(
            add("bob", "a long password\n").await,
            Err("`bob` is not an email address".into())
        );
        assert!(
            add("bob@shop.test", "")
                .await
                .is_err_and(|e| e.starts_with("no password on standard input"))
        );
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
