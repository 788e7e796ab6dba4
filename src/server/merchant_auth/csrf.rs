//! CSRF tokens for every state-changing merchant form: one random token per session, repeated
//! in a hidden field and compared in constant time. The session cookie is `SameSite=Strict`
//! and every merchant POST also passes the Origin check (`request_guard::same_site_only`); the
//! token is the defence that does not depend on what the browser sends.

use base64::Engine;
use leptos::prelude::*;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// The form field (and the session key) that carries the token.
pub const FIELD: &str = "csrf_token";

/// A session's token, for [`hidden_field`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrfToken(String);

impl CsrfToken {
    fn new() -> CsrfToken {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        CsrfToken(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The session's token, made (and stored in the session) when it has none. The login page
/// calls this before anyone signs in, which starts the pre-session that protects the login
/// form itself.
pub async fn token(session: &Session) -> Result<CsrfToken, tower_sessions::session::Error> {
    if let Some(existing) = session.get::<String>(FIELD).await? {
        return Ok(CsrfToken(existing));
    }
    rotate(session).await
}

/// Replaces the session's token (at sign-in: the signed-in session gets one no page before it
/// ever showed).
pub async fn rotate(session: &Session) -> Result<CsrfToken, tower_sessions::session::Error> {
    let fresh = CsrfToken::new();
    session.insert(FIELD, fresh.as_str()).await?;
    Ok(fresh)
}

/// Whether `submitted` is the session's token. A session without one accepts nothing.
pub async fn verify(session: &Session, submitted: &str) -> bool {
    match session.get::<String>(FIELD).await {
        Ok(Some(expected)) => matches(&expected, submitted),
        _ => false,
    }
}

/// Constant-time comparison, so the time of a wrong guess does not tell how much of it was
/// right. (Unequal lengths answer at once; the length is not secret.)
fn matches(expected: &str, submitted: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
}

/// `<input type="hidden" name="csrf_token" value="…">`: put it in every merchant `<form
/// method="post">`, then check the field with `SignedInMerchant::verify_csrf`.
pub fn hidden_field(token: &CsrfToken) -> impl IntoView + use<> {
    view! { <input type="hidden" name=FIELD value=token.as_str().to_string()/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_whole_tokens_only() {
        let token = CsrfToken::new();
        assert_eq!(token.as_str().len(), 43);
        assert_ne!(token, CsrfToken::new());
        assert!(matches(token.as_str(), token.as_str()));
        assert!(!matches(token.as_str(), &token.as_str()[..42]));
        assert!(!matches(token.as_str(), ""));
        assert!(!matches("", ""));
    }

    #[test]
    fn renders_the_hidden_field() {
        let token = CsrfToken("abc".into());
        let html = hidden_field(&token).to_html();
        assert_eq!(
            html,
            r#"<input type="hidden" name="csrf_token" value="abc">"#
        );
    }
}
