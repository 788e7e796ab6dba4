//! Signing in and out, as use cases: what a login form post or a sign-out comes to. The pages
//! (`pages::merchant::handlers`) turn each outcome into HTML; nothing here writes text.

use super::rate_limit::LoginLimits;
use super::signed_in::{SignedInMerchant, USER_KEY};
use super::{csrf, passwords, users};
use crate::server::state::AppState;
use std::net::IpAddr;
use std::time::Duration;
use tower_sessions::Session;

/// What a login form post came to.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the session has a new id and a new CSRF token.
    SignedIn(users::MerchantUser),
    /// The form did not carry its session's CSRF token (403).
    Forbidden,
    /// Too many attempts from this address or at this account; try after `wait` (429). Carries
    /// the session's token for the form shown again.
    Limited(Duration, csrf::CsrfToken),
    /// Wrong password or unknown email, deliberately not told apart (401).
    WrongLogin(csrf::CsrfToken),
    /// The store failed (500; logged).
    Failed,
}

/// The login page's token. The login form is protected like every other merchant form, by a
/// token in a pre-session: a forged sign-in would put the merchant's browser into an account
/// of the attacker's choosing (login CSRF). The Origin check (`request_guard`) alone holds
/// only as far as browsers send those headers; the token covers the rest, and it is the one
/// check every merchant form uses. The cost is a session row per login page view, dropped
/// when it expires. `None` when the session is signed in already (or the store failed:
/// `Err`).
pub async fn login_page_token(
    session: &Session,
) -> Result<Option<csrf::CsrfToken>, tower_sessions::session::Error> {
    if session.get::<String>(USER_KEY).await?.is_some() {
        return Ok(None);
    }
    csrf::token(session).await.map(Some)
}

/// A login form post: token, then the rate limits, then the password; on success a new session
/// id (an id planted before sign-in is worth nothing) and a new CSRF token.
pub async fn sign_in(
    state: &AppState,
    limits: &LoginLimits,
    ip: IpAddr,
    session: &Session,
    email: &str,
    password: String,
    submitted_token: &str,
) -> SignIn {
    if !csrf::verify(session, submitted_token).await {
        return SignIn::Forbidden;
    }
    let Ok(token) = csrf::token(session).await else {
        return SignIn::Failed;
    };
    if let Err(wait) = limits.check(ip, email) {
        tracing::warn!(%ip, "merchant sign-in rate limited");
        return SignIn::Limited(wait, token);
    }
    let user = match check_password(state, email, password).await {
        Ok(Some(user)) => user,
        Ok(None) => return SignIn::WrongLogin(token),
        Err(()) => return SignIn::Failed,
    };
    let signed_in = async {
        session.cycle_id().await?;
        session.insert(USER_KEY, &user.id).await?;
        csrf::rotate(session).await
    };
    match signed_in.await {
        Ok(_) => {
            tracing::info!(user = %user.id, "merchant signed in");
            SignIn::SignedIn(user)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot start the merchant session");
            SignIn::Failed
        }
    }
}

/// The user whose password this is, `None` for a wrong password or an unknown email. Both
/// cost one argon2 verification (an unknown email is checked against a dummy hash), so the
/// answer's timing does not tell whether the email has an account.
async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<Option<users::MerchantUser>, ()> {
    let found = users::find_by_email(&state.store, email)
        .await
        .map_err(|e| tracing::error!(error = %e, "cannot look up a merchant user"))?;
    tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => passwords::verify(&password, &hash).then_some(user),
        None => passwords::verify_dummy(&password),
    })
    .await
    .map_err(|e| tracing::error!(error = %e, "password verification failed"))
}

/// What a sign-out came to.
#[derive(Debug, PartialEq, Eq)]
pub enum SignOut {
    /// The session's row is deleted: its cookie opens nothing any more, on any instance.
    SignedOut,
    Forbidden,
    Failed,
}

pub async fn sign_out(merchant: &SignedInMerchant, submitted_token: &str) -> SignOut {
    if merchant.verify_csrf(submitted_token).await.is_err() {
        return SignOut::Forbidden;
    }
    match merchant.session.flush().await {
        Ok(()) => SignOut::SignedOut,
        Err(e) => {
            tracing::error!(error = %e, "cannot end the merchant session");
            SignOut::Failed
        }
    }
}
