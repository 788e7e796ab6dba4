//! Request parsing that fails the Dodo way: malformed JSON → 400, wrong shape or types →
//! 422, both as `{"code","message"}`; explicit `null`s count as absent (the Rust SDK sends
//! nested nulls).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::model::{Billing, Metadata};

/// A JSON body. An empty body reads as `{}` so that missing fields are reported by name.
pub struct DodoJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for DodoJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::malformed(format!("cannot read the request body: {e}")))?;
        let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Default::default())
        } else {
            serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::malformed(format!("Your request body is invalid JSON: {e}"))
            })?
        };
        if !value.is_object() {
            return Err(ApiError::invalid_body(
                "the request body must be a JSON object",
            ));
        }
        serde_json::from_value(value)
            .map(DodoJson)
            .map_err(|e| ApiError::invalid_body(format!("Your request body is invalid: {e}")))
    }
}

/// A JSON body that must be there: an empty body is 422 (the spec marks the body
/// required), where [`DodoJson`] would read it as `{}`.
pub struct RequiredJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for RequiredJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::malformed(format!("cannot read the request body: {e}")))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid_body(
                "this endpoint needs a JSON request body",
            ));
        }
        let req = Request::new(axum::body::Body::from(bytes));
        DodoJson::<T>::from_request(req, state)
            .await
            .map(|DodoJson(v)| RequiredJson(v))
    }
}

/// Path parameters; a bad one is a 404 like an unknown id.
pub struct DodoPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for DodoPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| DodoPath(v))
            .map_err(|e| {
                ApiError::new(
                    axum::http::StatusCode::NOT_FOUND,
                    "NOT_FOUND",
                    e.body_text(),
                )
            })
    }
}

/// Query parameters as strings; typed access reports bad values as 422.
pub struct DodoQuery(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for DodoQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(query);
        Ok(DodoQuery(pairs.into_iter().collect()))
    }
}

fn serde_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl DodoQuery {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A parameter that was sent, even empty (typed parameters refuse an empty value).
    fn raw(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.raw(key) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(ApiError::invalid_params(format!(
                "query parameter {key} must be true or false, got {other:?}"
            ))),
        }
    }

    /// A query parameter that must be one of `allowed` (Dodo's enum); 422 otherwise.
    pub fn one_of(&self, key: &str, allowed: &[&str]) -> ApiResult<Option<&str>> {
        match self.raw(key) {
            Some(v) if !allowed.contains(&v) => Err(ApiError::invalid_params(format!(
                "query parameter {key} must be one of {allowed:?}, got {v:?}"
            ))),
            other => Ok(other),
        }
    }

    /// An RFC 3339 date-time query parameter; 422 otherwise.
    pub fn date_time(&self, key: &str) -> ApiResult<Option<time::OffsetDateTime>> {
        self.raw(key)
            .map(|v| {
                time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
                    .map_err(|_| {
                        ApiError::invalid_params(format!("{key} must be an RFC 3339 date-time"))
                    })
            })
            .transpose()
    }

    /// A `currency` filter: one of Dodo's ISO 4217 codes.
    pub fn currency(&self, key: &str) -> ApiResult<Option<&str>> {
        match self.raw(key) {
            Some(c) if !crate::currencies::is_known(c) => Err(ApiError::invalid_params(format!(
                "{key} must be one of Dodo's currency codes, got {c:?}"
            ))),
            other => Ok(other),
        }
    }

    /// `page_size` (1–100, default 10) and 0-based `page_number` (default 0).
    pub fn page(&self) -> ApiResult<(usize, usize)> {
        let size = match self.raw("page_size") {
            None => 10,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid_params("page_size must be an integer from 1 to 100")
                })?,
        };
        // Dodo types page_number as int32 (spec): anything beyond is refused, not wrapped.
        let number = match self.raw("page_number") {
            None => 0,
            Some(v) => v
                .parse::<i32>()
                .ok()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    ApiError::invalid_params("page_number must be an integer from 0 to 2147483647")
                })?,
        };
        Ok((size, number))
    }
}

/// One page of items; past the end it is empty (the SDKs stop on an empty page).
pub fn paginate<T>(items: Vec<T>, (size, number): (usize, usize)) -> Vec<T> {
    let start = size.saturating_mul(number);
    items.into_iter().skip(start).take(size).collect()
}

/// Metadata must be an object of strings (max 50 keys); `null` = absent.
pub fn metadata(value: Option<Value>) -> ApiResult<Option<Metadata>> {
    let Some(value) = value else { return Ok(None) };
    let Value::Object(map) = value else {
        if value.is_null() {
            return Ok(None);
        }
        return Err(ApiError::invalid_body(
            "metadata must be an object of strings",
        ));
    };
    if map.len() > 50 {
        return Err(ApiError::unprocessable(
            "MAXIMUM_KEYS_REACHED",
            "metadata allows at most 50 keys",
        ));
    }
    let mut out = Metadata::new();
    for (k, v) in map {
        let Value::String(s) = v else {
            return Err(ApiError::invalid_body(format!(
                "metadata.{k} must be a string"
            )));
        };
        out.insert(k, s);
    }
    Ok(Some(out))
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct BillingReq {
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub zipcode: Option<String>,
}

pub fn billing(req: BillingReq, field: &str) -> ApiResult<Billing> {
    let country = req
        .country
        .ok_or_else(|| ApiError::invalid_body(format!("{field}.country is required")))?;
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(ApiError::invalid_body(format!(
            "{field}.country must be an upper-case ISO 3166 alpha-2 code"
        )));
    }
    Ok(Billing {
        country,
        city: req.city,
        state: req.state,
        street: req.street,
        zipcode: req.zipcode,
    })
}

/// Dodo's untagged `CustomerRequest`.
pub enum CustomerReq {
    Existing(String),
    New {
        email: String,
        name: Option<String>,
        phone: Option<String>,
    },
}

pub fn customer(value: Option<Value>) -> ApiResult<Option<CustomerReq>> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Value::Object(map) = value else {
        return Err(ApiError::invalid_body("customer must be an object"));
    };
    let text = |k: &str| -> ApiResult<Option<String>> {
        match map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid_body(format!(
                "customer.{k} must be a string"
            ))),
        }
    };
    if let Some(id) = text("customer_id")? {
        return Ok(Some(CustomerReq::Existing(id)));
    }
    let Some(email) = text("email")? else {
        return Err(ApiError::invalid_body(
            "customer needs either customer_id (existing) or email (new)",
        ));
    };
    if !email.contains('@') {
        return Err(ApiError::invalid_body(
            "customer.email is not an e-mail address",
        ));
    }
    Ok(Some(CustomerReq::New {
        email,
        name: text("name")?,
        phone: text("phone_number")?,
    }))
}

/// `allowed_payment_method_types`: a list of Dodo's `PaymentMethodTypes` (checked, then
/// ignored: the sandbox offers cards and the saved methods whatever the list says).
pub fn allowed_types(list: &Option<Vec<String>>) -> ApiResult<()> {
    let mut seen = std::collections::HashSet::new();
    for t in list.iter().flatten() {
        if !seen.insert(t) {
            return Err(ApiError::invalid_body(format!(
                "allowed_payment_method_types lists {t:?} twice (the list is a set)"
            )));
        }
        if !crate::payment_method_types::is_known(t) {
            return Err(ApiError::invalid_body(format!(
                "allowed_payment_method_types: {t:?} is not one of Dodo's payment method types"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decoding() {
        let pairs = serde_urlencoded_pairs("a=1&b=x%20y&c=%zz&d&e=%4");
        assert_eq!(pairs[0], ("a".into(), "1".into()));
        assert_eq!(pairs[1], ("b".into(), "x y".into()));
        assert_eq!(pairs[2], ("c".into(), "%zz".into()));
        assert_eq!(pairs[3], ("d".into(), "".into()));
        assert_eq!(pairs[4], ("e".into(), "%4".into()));
    }

    #[test]
    fn pages_are_zero_based_and_empty_past_the_end() {
        let items: Vec<u32> = (0..25).collect();
        assert_eq!(paginate(items.clone(), (10, 0)).len(), 10);
        assert_eq!(paginate(items.clone(), (10, 2)), vec![20, 21, 22, 23, 24]);
        assert!(paginate(items, (10, 3)).is_empty());
    }

    #[test]
    fn metadata_must_be_strings() {
        assert!(metadata(Some(serde_json::json!({"a": 1}))).is_err());
        assert!(metadata(Some(serde_json::json!(null))).is_ok_and(|m| m.is_none()));
        assert!(metadata(Some(serde_json::json!({"a": "b"}))).is_ok_and(|m| m.is_some()));
    }
}
