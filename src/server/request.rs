//! Reading a request: query parameters and cookies, parsed in one place.

use axum::http::{HeaderMap, header};

/// The value of `name` in a query string (`a=1&b=2`), as written (not percent-decoded: the
/// values we read — tokens, ids, flags, language tags — are URL-safe).
pub fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether the query string has `name=value`.
pub fn query_has(query: Option<&str>, name: &str, value: &str) -> bool {
    query.is_some_and(|q| {
        q.split('&')
            .any(|pair| pair.split_once('=') == Some((name, value)))
    })
}

/// The value of cookie `name`, from every `Cookie` header of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether `id` has the shape of an id we issue with `prefix` (`store::new_id`: the prefix, `_`,
/// lowercase letters and digits). Ids from a URL path are checked with this before they reach
/// a header or another URL.
pub fn is_our_id(prefix: &str, id: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|tail| {
            (1..=64).contains(&tail.len())
                && tail
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `path?query` without the parameters `drop` names.
pub fn without_params(path: &str, query: Option<&str>, drop: &[&str]) -> String {
    let kept: Vec<&str> = query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !drop.iter().any(|d| p.split('=').next() == Some(d)))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_ids_have_one_shape() {
        assert!(is_our_id("off", &crate::server::store::new_id("off")));
        for id in [
            "off_",
            "off",
            "pay_abc",
            "off_A",
            "off_a b",
            "off_a\r\nx",
            "off_../x",
        ] {
            assert!(!is_our_id("off", id), "{id:?}");
        }
        assert!(!is_our_id("off", &format!("off_{}", "a".repeat(65))));
    }
    use axum::http::HeaderValue;

    #[test]
    fn reads_query_parameters() {
        assert_eq!(query_param(Some("a=1&lang=id"), "lang"), Some("id"));
        assert_eq!(query_param(Some("a=1"), "lang"), None);
        assert_eq!(query_param(None, "lang"), None);
        assert!(query_has(Some("x=2&embed=1"), "embed", "1"));
        assert!(!query_has(Some("embed=10"), "embed", "1"));
        assert_eq!(
            without_params("/offer/x", Some("embed=1&access=t"), &["embed"]),
            "/offer/x?access=t"
        );
        assert_eq!(without_params("/", Some("embed=1"), &["embed"]), "/");
    }

    #[test]
    fn reads_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; dodo_upsell_offer=tok.en.x; b=2"),
        );
        assert_eq!(
            cookie(&headers, "dodo_upsell_offer").as_deref(),
            Some("tok.en.x")
        );
        assert_eq!(cookie(&HeaderMap::new(), "a"), None);
    }
}
