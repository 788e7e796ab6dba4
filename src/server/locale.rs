//! Picks the language of a response from the request: an explicit `?lang=` wins, then the
//! `lang` cookie (a customer's earlier choice), then the browser's `Accept-Language`.

use crate::i18n::Locale;
use axum::http::{HeaderMap, header, request::Parts};
use leptos::prelude::use_context;

/// The locale of the request being rendered (the default outside a request).
pub fn request_locale() -> Locale {
    use_context::<Parts>()
        .map(|parts| locale_for(parts.uri.query(), &parts.headers))
        .unwrap_or_default()
}

pub fn locale_for(query: Option<&str>, headers: &HeaderMap) -> Locale {
    let from_query = query.and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Locale::from_tag(v))
    });
    let from_cookie = || {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Locale::from_tag(v))
    };
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
    use axum::http::HeaderValue;

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
