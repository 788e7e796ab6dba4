//! The offer session: proof that this browser is the one that came back from the checkout.
//!
//! The landing page issues a signed token (audience `offer-session`: the customer, the
//! purchase, a session id) and stores it in an HttpOnly cookie. Every offer action needs it,
//! either from that cookie or from the form field the page repeats it in (inside a merchant's
//! iframe a third-party cookie may be blocked; a page on another site cannot read the field).
//! A payment id alone is therefore never enough to charge anyone.

use super::super::links::{Audience, LinkSubject};
use super::super::request::cookie;
use super::super::state::AppState;
use axum::http::HeaderMap;
use std::time::Duration;

pub const COOKIE_NAME: &str = "dodo_upsell_offer";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferSession {
    pub customer_id: String,
    /// The purchase (`pay_…`) or, for a cross-sell, the link (`link:…`) the offers follow.
    pub payment_id: String,
    pub session_id: String,
    pub token: String,
    /// Shown inside a merchant's iframe.
    pub embedded: bool,
    /// This request carried the session in our cookie (else in a form field or the URL).
    pub via_cookie: bool,
}

impl OfferSession {
    /// A page address that keeps this session: the cookie carries it where it can; otherwise
    /// (an iframe whose third-party cookies are blocked, a cross-sell link) the token rides in
    /// the address. `embed=1` keeps the embed layout.
    pub fn location(&self, path: &str) -> String {
        let mut params = Vec::new();
        if self.embedded {
            params.push("embed=1".to_string());
        }
        if !self.via_cookie || self.embedded {
            params.push(format!("access={}", self.token));
        }
        if params.is_empty() {
            path.to_string()
        } else {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}{}", params.join("&"))
        }
    }
}

/// Signs a session for `customer_id`'s purchase `payment_id`, valid until `expires_at`.
pub fn issue(
    state: &AppState,
    customer_id: &str,
    payment_id: &str,
    expires_at: i64,
    embedded: bool,
) -> Result<OfferSession, super::error::OfferError> {
    let now = super::now_secs();
    let ttl = Duration::from_secs(expires_at.saturating_sub(now).max(1) as u64);
    let subject = LinkSubject {
        customer_id: customer_id.to_string(),
        payment_id: Some(payment_id.to_string()),
        embed: embedded,
        ..LinkSubject::default()
    };
    let (token, claims) = state
        .links
        .mint(Audience::OfferSession, &subject, ttl, now)
        .map_err(super::error::OfferError::Session)?;
    Ok(OfferSession {
        customer_id: claims.sub,
        payment_id: payment_id.to_string(),
        session_id: claims.jti,
        token,
        embedded,
        via_cookie: false,
    })
}

/// The session in `token`, if it is valid and unexpired.
pub fn verify(state: &AppState, token: &str) -> Option<OfferSession> {
    let claims = state
        .links
        .verify(Some(token), Audience::OfferSession)
        .ok()?;
    Some(OfferSession {
        customer_id: claims.sub,
        payment_id: claims.payment_id?,
        session_id: claims.jti,
        token: token.to_string(),
        embedded: claims.embed,
        via_cookie: false,
    })
}

/// The session from the form's `access` field, else from the cookie.
pub fn from_request(
    state: &AppState,
    access: Option<&str>,
    headers: &HeaderMap,
) -> Option<OfferSession> {
    let from_cookie = cookie(headers, COOKIE_NAME)
        .and_then(|c| verify(state, &c))
        .map(|s| OfferSession {
            via_cookie: true,
            ..s
        });
    match access
        .filter(|a| !a.is_empty())
        .and_then(|a| verify(state, a))
    {
        // The same session as the cookie's: it still travels by cookie.
        Some(s) => Some(OfferSession {
            via_cookie: from_cookie.as_ref().is_some_and(|c| c.token == s.token),
            ..s
        }),
        None => from_cookie,
    }
}

/// The `Set-Cookie` value. `SameSite=None; Secure` behind TLS so the cookie also reaches an
/// embedded page on a merchant's site; `Lax` otherwise (browsers refuse `None` without TLS).
pub fn set_cookie_value(session: &OfferSession, max_age: i64, behind_tls: bool) -> String {
    let same_site = if behind_tls {
        "SameSite=None; Secure"
    } else {
        "SameSite=Lax"
    };
    format!(
        "{COOKIE_NAME}={}; Path=/; HttpOnly; {same_site}; Max-Age={}",
        session.token,
        max_age.max(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_and_secure_behind_tls() {
        let session = OfferSession {
            customer_id: "cus".into(),
            payment_id: "pay".into(),
            session_id: "s".into(),
            token: "t".into(),
            embedded: false,
            via_cookie: true,
        };
        assert_eq!(session.location("/offer/x"), "/offer/x");
        let framed = OfferSession {
            embedded: true,
            ..session.clone()
        };
        assert_eq!(framed.location("/offer/x"), "/offer/x?embed=1&access=t");
        let tls = set_cookie_value(&session, 60, true);
        assert!(
            tls.contains("HttpOnly") && tls.contains("Secure") && tls.contains("SameSite=None")
        );
        let plain = set_cookie_value(&session, 60, false);
        assert!(plain.contains("SameSite=Lax") && !plain.contains("Secure"));
    }
}
