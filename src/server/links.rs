//! Signed links: how a customer reaches a page that does not come straight from a checkout
//! (plan change, cross-sell, an offer sent by email).
//!
//! A link carries a JWT (HS256) in `?token=`. Claims: `sub` (the Dodo customer id), `aud` (the
//! page), `exp`, `iat`, `jti`, and the subscription or offer it is about. Any language with a
//! JWT library can mint one with the same key; the README documents the format.

use super::secret::Secret;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The page a link opens. The token's `aud` must match the page that reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    PlanChange,
    CrossSell,
    Offer,
    /// Not a link: the token that binds a browser to the purchase it just made (cookie, or a
    /// form field inside a merchant's iframe). Never minted by the link API.
    OfferSession,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::PlanChange => "plan-change",
            Audience::CrossSell => "cross-sell",
            Audience::Offer => "offer",
            Audience::OfferSession => "offer-session",
        }
    }

    /// The audiences a merchant can mint links for.
    pub fn parse(s: &str) -> Option<Audience> {
        Some(match s {
            "plan-change" => Audience::PlanChange,
            "cross-sell" => Audience::CrossSell,
            "offer" => Audience::Offer,
            _ => return None,
        })
    }

    /// The path of the page, relative to the public URL.
    pub fn path(self) -> &'static str {
        match self {
            Audience::PlanChange => "/plan-change",
            Audience::CrossSell => "/cross-sell",
            Audience::Offer => "/offer/link",
            Audience::OfferSession => "/offer/landing",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    /// The Dodo customer id.
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
    /// The purchase an offer session is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// An offer session inside a merchant's iframe: pages keep the embed layout.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub embed: bool,
}

/// What a link is for, before signing.
#[derive(Clone, Debug, Default)]
pub struct LinkSubject {
    pub customer_id: String,
    pub subscription_id: Option<String>,
    pub offer_id: Option<String>,
    pub payment_id: Option<String>,
    pub embed: bool,
}

/// Why a link was refused. The page shows one plain sentence per kind and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link has no token")]
    Missing,
    #[error("the link has expired")]
    Expired,
    #[error("the link is not valid")]
    Invalid,
    #[error("the link is for another page")]
    WrongAudience,
}

impl From<LinkError> for crate::types::link::LinkProblem {
    fn from(e: LinkError) -> Self {
        use crate::types::link::LinkProblem;
        match e {
            LinkError::Missing => LinkProblem::Missing,
            LinkError::Expired => LinkProblem::Expired,
            LinkError::Invalid | LinkError::WrongAudience => LinkProblem::Invalid,
        }
    }
}

/// The longest a link may live: long enough for an email campaign, short enough to limit a
/// forwarded link's reach.
pub const MAX_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Clone)]
pub struct LinkSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(<key redacted>)")
    }
}

impl LinkSigner {
    /// `key` must be at least 32 bytes (checked by the configuration).
    pub fn new(key: &Secret) -> LinkSigner {
        LinkSigner {
            encoding: EncodingKey::from_secret(key.expose().as_bytes()),
            decoding: DecodingKey::from_secret(key.expose().as_bytes()),
        }
    }

    /// Signs a link for `subject` to `audience`, valid for `ttl` (capped at [`MAX_TTL`]).
    pub fn mint(
        &self,
        audience: Audience,
        subject: &LinkSubject,
        ttl: Duration,
        now: i64,
    ) -> Result<(String, LinkClaims), SignError> {
        if subject.customer_id.trim().is_empty() {
            return Err(SignError::NoCustomer);
        }
        let ttl = ttl.min(MAX_TTL).as_secs() as i64;
        let claims = LinkClaims {
            sub: subject.customer_id.clone(),
            aud: audience.as_str().to_string(),
            exp: now + ttl,
            iat: now,
            jti: super::store::new_id("lnk"),
            subscription_id: subject.subscription_id.clone(),
            offer_id: subject.offer_id.clone(),
            payment_id: subject.payment_id.clone(),
            embed: subject.embed,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims))
    }

    /// Signs `claims` as they are: a link that already exists (same id, customer and expiry)
    /// written out again, e.g. the way back to a cross-sell link from one of its offers.
    pub fn sign(&self, claims: &LinkClaims) -> Result<String, SignError> {
        if claims.sub.trim().is_empty() {
            return Err(SignError::NoCustomer);
        }
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }

    /// Checks signature, algorithm (HS256 only), expiry (no leeway) and audience.
    pub fn verify(&self, token: Option<&str>, audience: Audience) -> Result<LinkClaims, LinkError> {
        self.verify_at(token, audience, now_secs())
    }

    /// [`LinkSigner::verify`] at `now` (unix seconds). A token is a JWT: three base64url parts.
    /// Anything else — whitespace, control characters, an audience list instead of one page, a
    /// link living longer than [`MAX_TTL`] or issued in the future — is not a link of ours.
    pub fn verify_at(
        &self,
        token: Option<&str>,
        audience: Audience,
        now: i64,
    ) -> Result<LinkClaims, LinkError> {
        let token = token
            .filter(|t| !t.trim().is_empty())
            .ok_or(LinkError::Missing)?;
        if !is_token_shaped(token) {
            return Err(LinkError::Invalid);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iat", "aud", "sub"]);
        validation.leeway = 0;
        let claims = match jsonwebtoken::decode::<LinkClaims>(token, &self.decoding, &validation) {
            Ok(data) => data.claims,
            Err(e) => {
                return Err(match e.kind() {
                    ErrorKind::ExpiredSignature => LinkError::Expired,
                    ErrorKind::InvalidAudience => LinkError::WrongAudience,
                    _ => LinkError::Invalid,
                });
            }
        };
        let lifetime = claims.exp.saturating_sub(claims.iat);
        if lifetime > MAX_TTL.as_secs() as i64 || lifetime < 0 || claims.iat > now + CLOCK_SKEW {
            return Err(LinkError::Invalid);
        }
        Ok(claims)
    }
}

/// How far ahead of our clock a minting server's clock may be.
const CLOCK_SKEW: i64 = 60;

fn now_secs() -> i64 {
    super::store::now_millis() / 1000
}

/// Whether `token` looks like a JWT at all: base64url characters and two dots, nothing else
/// (so it can travel in a URL, a header or a cookie as it is).
pub fn is_token_shaped(token: &str) -> bool {
    token.len() <= 4096
        && token.bytes().filter(|b| *b == b'.').count() == 2
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Why a link could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("a link needs a customer id")]
    NoCustomer,
    #[error("cannot sign the link: {0}")]
    Jwt(#[from] jsonwebtoken::errors::Error),
}

/// Parses a TTL such as `24h`, `30m`, `7d` or `3600` (seconds).
pub fn parse_ttl(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 24h, 30m or 7d"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(format!("`{s}` is not a duration like 24h, 30m or 7d")),
    };
    if secs == 0 {
        return Err("a link must live at least one second".into());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(key: &str) -> LinkSigner {
        LinkSigner::new(&Secret::new(key))
    }

    fn subject() -> LinkSubject {
        LinkSubject {
            customer_id: "cus_demo_alice".into(),
            subscription_id: Some("sub_demo_alice_basic".into()),
            offer_id: None,
            payment_id: None,
            embed: false,
        }
    }

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    fn now() -> i64 {
        super::super::store::now_millis() / 1000
    }

    #[test]
    fn a_minted_link_verifies_for_its_page_only() {
        let s = signer(KEY);
        let (token, claims) = s
            .mint(
                Audience::PlanChange,
                &subject(),
                Duration::from_secs(3600),
                now(),
            )
            .unwrap();
        let verified = s.verify(Some(&token), Audience::PlanChange).unwrap();
        assert_eq!(verified, claims);
        assert_eq!(
            verified.subscription_id.as_deref(),
            Some("sub_demo_alice_basic")
        );
        assert_eq!(
            s.verify(Some(&token), Audience::CrossSell),
            Err(LinkError::WrongAudience)
        );
    }

    #[test]
    fn expired_tampered_foreign_and_missing_tokens_are_refused() {
        let s = signer(KEY);
        let (old, _) = s
            .mint(
                Audience::PlanChange,
                &subject(),
                Duration::from_secs(60),
                now() - 3600,
            )
            .unwrap();
        assert_eq!(
            s.verify(Some(&old), Audience::PlanChange),
            Err(LinkError::Expired)
        );

        let (token, _) = s
            .mint(
                Audience::PlanChange,
                &subject(),
                Duration::from_secs(60),
                now(),
            )
            .unwrap();
        // Swap the payload for one naming another customer, keeping the signature.
        let parts: Vec<&str> = token.split('.').collect();
        let other = s
            .mint(
                Audience::PlanChange,
                &LinkSubject {
                    customer_id: "cus_demo_bob".into(),
                    ..subject()
                },
                Duration::from_secs(60),
                now(),
            )
            .unwrap()
            .0;
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            other.split('.').nth(1).unwrap(),
            parts[2]
        );
        assert_eq!(
            s.verify(Some(&forged), Audience::PlanChange),
            Err(LinkError::Invalid)
        );

        let foreign = signer("another-key-another-key-another-k");
        assert_eq!(
            foreign.verify(Some(&token), Audience::PlanChange),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            s.verify(None, Audience::PlanChange),
            Err(LinkError::Missing)
        );
        assert_eq!(
            s.verify(Some("  "), Audience::PlanChange),
            Err(LinkError::Missing)
        );
        assert_eq!(
            s.verify(Some("not.a.jwt"), Audience::PlanChange),
            Err(LinkError::Invalid)
        );
    }

    /// A token signed with our key around any claims (what another JWT library could mint).
    fn signed(s: &LinkSigner, claims: serde_json::Value) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &s.encoding).unwrap()
    }

    #[test]
    fn tokens_that_are_not_exactly_ours_are_refused() {
        let s = signer(KEY);
        let (token, _) = s
            .mint(
                Audience::CrossSell,
                &subject(),
                Duration::from_secs(60),
                now(),
            )
            .unwrap();
        // Verified trimmed but used untrimmed, a trailing newline once reached a header.
        for dressed in [
            format!("{token}\n"),
            format!(" {token}"),
            format!("{token}%0A"),
        ] {
            assert_eq!(
                s.verify(Some(&dressed), Audience::CrossSell),
                Err(LinkError::Invalid),
                "{dressed:?}"
            );
        }
        let claims = |aud: serde_json::Value, iat: i64, exp: i64| serde_json::json!({"sub": "cus_demo_alice", "aud": aud, "iat": iat, "exp": exp, "jti": "lnk_x"});
        let t = now();
        // One page per link, not a list of them.
        let both = signed(
            &s,
            claims(serde_json::json!(["cross-sell", "plan-change"]), t, t + 60),
        );
        assert_eq!(
            s.verify(Some(&both), Audience::CrossSell),
            Err(LinkError::Invalid)
        );
        // At most 30 days between iat and exp, and not issued in the future.
        let long = signed(
            &s,
            claims("cross-sell".into(), t, t + MAX_TTL.as_secs() as i64 + 1),
        );
        assert_eq!(
            s.verify(Some(&long), Audience::CrossSell),
            Err(LinkError::Invalid)
        );
        let ahead = signed(&s, claims("cross-sell".into(), t + 3600, t + 7200));
        assert_eq!(
            s.verify(Some(&ahead), Audience::CrossSell),
            Err(LinkError::Invalid)
        );
        let no_iat = signed(
            &s,
            serde_json::json!({"sub": "cus_demo_alice", "aud": "cross-sell", "exp": t + 60, "jti": "x"}),
        );
        assert_eq!(
            s.verify(Some(&no_iat), Audience::CrossSell),
            Err(LinkError::Invalid)
        );
        // The same claims, well formed, pass: the refusals above are about their shape.
        let fine = signed(&s, claims("cross-sell".into(), t, t + 60));
        assert!(s.verify(Some(&fine), Audience::CrossSell).is_ok());
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        // alg=none with the same claims must never pass.
        let s = signer(KEY);
        let (token, _) = s
            .mint(
                Audience::PlanChange,
                &subject(),
                Duration::from_secs(60),
                now(),
            )
            .unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
        assert_eq!(
            s.verify(
                Some(&format!("{none_header}.{payload}.")),
                Audience::PlanChange
            ),
            Err(LinkError::Invalid)
        );
    }

    #[test]
    fn ttl_is_capped_and_parsed() {
        let s = signer(KEY);
        let (_, claims) = s
            .mint(
                Audience::Offer,
                &subject(),
                Duration::from_secs(10 * MAX_TTL.as_secs()),
                0,
            )
            .unwrap();
        assert_eq!(claims.exp, MAX_TTL.as_secs() as i64);
        assert_eq!(parse_ttl("24h").unwrap(), Duration::from_secs(86_400));
        assert_eq!(parse_ttl("90").unwrap(), Duration::from_secs(90));
        assert!(parse_ttl("0").is_err());
        assert!(parse_ttl("1y").is_err());
        assert!(parse_ttl("h").is_err());
        assert!(
            s.mint(
                Audience::Offer,
                &LinkSubject::default(),
                Duration::from_secs(1),
                0
            )
            .is_err_and(|e| matches!(e, SignError::NoCustomer))
        );
    }
}
