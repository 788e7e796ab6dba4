//! Picks the language of a response from the request: an explicit `?lang=` wins, then the
//! `lang` cookie (a customer's earlier choice), then the browser's `Accept-Language`.

use super::request::{cookie, query_param};
use crate::i18n::Locale;
use axum::http::{HeaderMap, header};

/// The locale a request asks for (the default when it asks for none we have).
pub fn locale_for(query: Option<&str>, headers: &HeaderMap) -> Locale {
    let from_query = query_param(query, "lang").and_then(Locale::from_tag);
    let from_cookie = || cookie(headers, "lang").and_then(|v| Locale::from_tag(&v));
    let from_header = || {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Locale::negotiate)
    };
    from_query
        .or_else(from_cookie)
        .or_else(from_header)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    #[test]
    fn query_then_cookie_then_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de, en;q=0.5"),
        );
        headers.insert(header::COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(locale_for(Some("x=1&lang=en"), &headers), Locale::En);
        assert_eq!(locale_for(Some("lang=zz"), &headers), Locale::En);
        assert_eq!(locale_for(None, &HeaderMap::new()), Locale::En);
    }
}
