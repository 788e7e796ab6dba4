//! Small conversions shared by the type modules: timestamps, SDK enums to strings,
//! metadata, and field access on untyped JSON.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::DodoError;

pub(crate) fn decode_err(detail: impl Into<String>) -> DodoError {
    DodoError::Decode {
        detail: detail.into(),
    }
}

/// An RFC 3339 timestamp (Dodo sends e.g. `2025-08-04T05:30:31.152232Z`).
pub(crate) fn timestamp(field: &str, text: &str) -> Result<OffsetDateTime, DodoError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|e| {
        decode_err(format!(
            "{field}: {text:?} is not an RFC 3339 timestamp ({e})"
        ))
    })
}

pub(crate) fn opt_timestamp(
    field: &str,
    text: Option<&str>,
) -> Result<Option<OffsetDateTime>, DodoError> {
    text.map(|t| timestamp(field, t)).transpose()
}

/// The wire string of one of the SDK's string enums (`"succeeded"`, `"USD"`, `"Month"`).
///
/// The SDK turns values it does not know into a unit `Unknown` variant, so the original
/// string is lost before it reaches us; it comes out here as `"Unknown"`.
pub(crate) fn sdk_enum<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => "Unknown".to_owned(),
    }
}

/// Currency codes are always uppercase ISO 4217 in our types.
pub(crate) fn currency(value: &dodopayments::models::Currency) -> String {
    sdk_enum(value).to_ascii_uppercase()
}

/// Dodo metadata is string → string; the SDK types it as `HashMap<String, Value>`, so a
/// non-string value is kept as its JSON text rather than dropped.
pub(crate) fn metadata(map: &HashMap<String, Value>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (k.clone(), value_text(v)))
        .collect()
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Field access on untyped JSON (`what` names the object in error texts).
pub(crate) struct Fields<'a> {
    what: &'a str,
    json: &'a Value,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(what: &'a str, json: &'a Value) -> Result<Self, DodoError> {
        if json.is_object() {
            Ok(Fields { what, json })
        } else {
            Err(decode_err(format!("{what}: expected a JSON object")))
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.json.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &str) -> DodoError {
        decode_err(format!("{}.{key}: expected {expected}", self.what))
    }

    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, DodoError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    pub(crate) fn str(&self, key: &str) -> Result<&'a str, DodoError> {
        self.opt_str(key)?
            .ok_or_else(|| self.wrong(key, "a string (it is missing)"))
    }

    pub(crate) fn opt_i64(&self, key: &str) -> Result<Option<i64>, DodoError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "an integer")),
        }
    }

    pub(crate) fn i64(&self, key: &str) -> Result<i64, DodoError> {
        self.opt_i64(key)?
            .ok_or_else(|| self.wrong(key, "an integer (it is missing)"))
    }

    pub(crate) fn opt_f64(&self, key: &str) -> Result<Option<f64>, DodoError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number")),
        }
    }

    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, DodoError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    pub(crate) fn opt_object(&self, key: &str) -> Result<Option<Fields<'a>>, DodoError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(Fields {
                what: self.what,
                json: v,
            })),
            Some(_) => Err(self.wrong(key, "an object")),
        }
    }

    pub(crate) fn array(&self, key: &str) -> Result<&'a Vec<Value>, DodoError> {
        match self.get(key) {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(self.wrong(key, "an array")),
        }
    }

    pub(crate) fn raw(&self, key: &str) -> Option<&'a Value> {
        self.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps() {
        let t = timestamp("x", "2025-08-04T05:30:31.152232Z").expect("parses");
        assert_eq!(t.unix_timestamp(), 1_754_285_431);
        assert!(matches!(
            timestamp("created_at", "yesterday"),
            Err(DodoError::Decode { detail }) if detail.contains("created_at")
        ));
    }

    #[test]
    fn metadata_stringifies_non_strings() {
        let m: HashMap<String, Value> = [
            ("a".to_owned(), json!("x")),
            ("n".to_owned(), json!(5)),
            ("b".to_owned(), json!(true)),
        ]
        .into_iter()
        .collect();
        let out = metadata(&m);
        assert_eq!(out["a"], "x");
        assert_eq!(out["n"], "5");
        assert_eq!(out["b"], "true");
    }

    #[test]
    fn sdk_enums_to_strings() {
        use dodopayments::models::{Currency, IntentStatus};
        assert_eq!(
            sdk_enum(&IntentStatus::RequiresCustomerAction),
            "requires_customer_action"
        );
        assert_eq!(currency(&Currency::Usd), "USD");
    }

    #[test]
    fn field_errors_name_the_field() {
        let v = json!({"price": "12"});
        let f = Fields::new("price", &v).expect("object");
        assert!(
            matches!(f.i64("price"), Err(DodoError::Decode { detail }) if detail.contains("price.price"))
        );
        assert!(f.opt_i64("missing").expect("ok").is_none());
    }
}
