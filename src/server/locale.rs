//! Picks the language of a response. In order: an explicit `?lang=` (the language switcher),
//! the `lang` cookie (an earlier choice), the customer's `preferred_locale` at Dodo (when the
//! page knows the customer: a signed link's customer, a purchase's customer on the landing),
//! the browser's `Accept-Language`, then the merchant's `default_locale`.

use super::links::{Audience, LinkClaims};
use super::request::{cookie, query_param};
use super::state::AppState;
use crate::i18n::Locale;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::middleware::Next;
use axum::response::Response;

/// The cookie that keeps a customer's language across pages and server functions.
const COOKIE_NAME: &str = "lang";
/// A year: a language choice is not a secret and rarely changes.
const COOKIE_MAX_AGE: i64 = 365 * 24 * 3600;

/// The customer's `preferred_locale` at Dodo, found by [`customer_locale`] before the page
/// renders (a request extension, read by `server::context`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreferredLocale(pub Locale);

/// What the customer chose themselves: `?lang=`, then the `lang` cookie.
pub fn chosen(query: Option<&str>, headers: &HeaderMap) -> Option<Locale> {
    query_param(query, COOKIE_NAME)
        .and_then(Locale::from_tag)
        .or_else(|| cookie(headers, COOKIE_NAME).and_then(|v| Locale::from_tag(&v)))
}

/// The locale of a response: the customer's choice, their `preferred` locale at Dodo, the
/// browser's `Accept-Language`, then the merchant's `default`.
pub fn locale_for(
    query: Option<&str>,
    headers: &HeaderMap,
    preferred: Option<Locale>,
    default: Locale,
) -> Locale {
    let from_header = || {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::negotiate)
    };
    chosen(query, headers)
        .or(preferred)
        .or_else(from_header)
        .unwrap_or(default)
}

/// Middleware: on a page that knows its customer and a request without a choice of its own,
/// reads the customer's `preferred_locale` at Dodo (cached with the other customer reads) for
/// the page — on a plan-change page together with the subscription the page reads next
/// (`plan_change::link::PrefetchedSubscription`) — and remembers it, or a `?lang=` choice,
/// in the `lang` cookie, so that the pages that follow and the islands' server functions
/// (which carry no `?lang=`) answer in the same language.
pub async fn customer_locale(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let query = request.uri().query();
    let mut remember = query_param(query, COOKIE_NAME).and_then(Locale::from_tag);
    if request.method() == Method::GET
        && chosen(query, request.headers()).is_none()
        && let Some((audience, claims)) = claims_of(&state, request.uri())
    {
        // A plan-change page reads its subscription next: read it now, beside the locale.
        let subscription = async {
            match &claims.subscription_id {
                Some(id) if audience == Audience::PlanChange => {
                    Some(crate::server::plan_change::link::prefetch(&state, id).await)
                }
                _ => None,
            }
        };
        let (locale, subscription) = tokio::join!(preferred(&state, &claims.sub), subscription);
        if let Some(subscription) = subscription {
            request.extensions_mut().insert(subscription);
        }
        if let Some(locale) = locale {
            request.extensions_mut().insert(PreferredLocale(locale));
            remember = Some(locale);
        }
    }
    let mut response = next.run(request).await;
    if let Some(locale) = remember
        && let Ok(value) = HeaderValue::from_str(&cookie_value(locale, state.config.behind_tls()))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `customer`'s `preferred_locale` at Dodo, when it names one we have.
async fn preferred(state: &AppState, customer: &str) -> Option<Locale> {
    let tag = state.dodo_reads.preferred_locale(customer).await?;
    Locale::from_tag(&tag)
}

/// For the checkout's landing, which learns its customer from the purchase: the `Set-Cookie`
/// that keeps the customer's `preferred_locale` for the offer pages that follow, unless the
/// request already chose a language (then the middleware remembers that choice).
pub async fn remember_preferred(
    state: &AppState,
    query: Option<&str>,
    headers: &HeaderMap,
    customer: &str,
) -> Option<HeaderValue> {
    if chosen(query, headers).is_some() {
        return None;
    }
    let locale = preferred(state, customer).await?;
    HeaderValue::from_str(&cookie_value(locale, state.config.behind_tls())).ok()
}

/// The signed link a page is for, and which page it opens, when its address says so without
/// a store or Dodo write: its subject is the customer.
fn claims_of(state: &AppState, uri: &Uri) -> Option<(Audience, LinkClaims)> {
    let query = uri.query();
    let audience = match uri.path() {
        "/cross-sell" => Audience::CrossSell,
        "/plan-change" | "/plan-change/review" | "/plan-change/status" => Audience::PlanChange,
        "/offer/link" => Audience::Offer,
        // The checkout's landing learns its customer from the purchase it verifies, and asks
        // for the locale itself (`remember_preferred`), beside its other reads.
        _ => return None,
    };
    let claims = state
        .links
        .verify(query_param(query, "token"), audience)
        .ok()?;
    Some((audience, claims))
}

/// The `Set-Cookie` value. `SameSite=None; Secure` behind TLS so it also reaches a page in a
/// merchant's iframe; `Lax` otherwise (browsers refuse `None` without TLS).
fn cookie_value(locale: Locale, behind_tls: bool) -> String {
    let same_site = if behind_tls {
        "SameSite=None; Secure"
    } else {
        "SameSite=Lax"
    };
    format!(
        "{COOKIE_NAME}={}; Path=/; HttpOnly; {same_site}; Max-Age={COOKIE_MAX_AGE}",
        locale.tag()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    fn headers(accept: &str, cookie: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).unwrap(),
        );
        if let Some(c) = cookie {
            h.insert(header::COOKIE, HeaderValue::from_str(c).unwrap());
        }
        h
    }

    #[test]
    fn query_then_cookie_then_preferred_then_header_then_default() {
        let with_cookie = headers("hi, en;q=0.5", Some("a=b; lang=id"));
        let pref = Some(Locale::Hi);
        let en = Locale::En;
        assert_eq!(
            locale_for(Some("x=1&lang=en"), &with_cookie, pref, en),
            Locale::En
        );
        assert_eq!(
            locale_for(Some("lang=zz"), &with_cookie, pref, en),
            Locale::Id
        );
        assert_eq!(locale_for(None, &headers("en", None), pref, en), Locale::Hi);
        assert_eq!(locale_for(None, &headers("id", None), None, en), Locale::Id);
        assert_eq!(
            locale_for(None, &headers("fr", None), None, Locale::Hi),
            Locale::Hi
        );
        assert_eq!(locale_for(None, &HeaderMap::new(), None, en), Locale::En);
        assert_eq!(
            locale_for(Some("lang=en-IN"), &HeaderMap::new(), None, en),
            Locale::EnIn
        );
    }

    #[test]
    fn the_cookie_reaches_frames_only_behind_tls() {
        assert_eq!(
            cookie_value(Locale::Hi, false),
            "lang=hi; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"
        );
        assert!(
            cookie_value(Locale::EnIn, true)
                .contains("lang=en-IN; Path=/; HttpOnly; SameSite=None; Secure")
        );
    }
}
