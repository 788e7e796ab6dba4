//! A customer's saved payment method, parsed from the SDK's untyped
//! `CustomerRetrievePaymentMethodsResponse.items` (`Vec<serde_json::Value>`).
//!
//! Item shape (Dodo's `CustomerPaymentMethodItem`): `payment_method_id` and `payment_method`
//! (the category: `card`, `wallet`, …) required; `card` with `card_network`, `last4_digits`,
//! `expiry_month`, `expiry_year` (all strings); `recurring_enabled`; `last_used_at`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse::{self, Fields, decode_err};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentMethod {
    pub id: String,
    /// Dodo's category, lowercase: `"card"`, `"wallet"`, `"upi"`, …
    pub kind: String,
    pub card: Option<CardSummary>,
    /// Whether Dodo may charge it without the customer present; `None` = Dodo did not say.
    pub recurring_enabled: Option<bool>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardSummary {
    /// Uppercase: `"VISA"`, `"MASTERCARD"`.
    pub network: Option<String>,
    pub last4: Option<String>,
    /// 1–12.
    pub expiry_month: Option<u8>,
    /// Four digits (a two-digit year is read as 20YY).
    pub expiry_year: Option<u16>,
}

impl PaymentMethod {
    pub(crate) fn from_items(items: &[Value]) -> Result<Vec<PaymentMethod>, DodoError> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| PaymentMethod::from_value(&format!("payment_methods[{i}]"), item))
            .collect()
    }

    fn from_value(what: &str, item: &Value) -> Result<PaymentMethod, DodoError> {
        let f = Fields::new(what, item)?;
        let card = match f.opt_object("card")? {
            Some(card) => Some(CardSummary {
                network: non_empty(card.opt_str("card_network")?).map(str::to_ascii_uppercase),
                last4: non_empty(card.opt_str("last4_digits")?).map(str::to_owned),
                expiry_month: non_empty(card.opt_str("expiry_month")?)
                    .map(|m| expiry_month(what, m))
                    .transpose()?,
                expiry_year: non_empty(card.opt_str("expiry_year")?)
                    .map(|y| expiry_year(what, y))
                    .transpose()?,
            }),
            None => None,
        };
        Ok(PaymentMethod {
            id: f.str("payment_method_id")?.to_owned(),
            kind: f.str("payment_method")?.to_ascii_lowercase(),
            card,
            recurring_enabled: f.opt_bool("recurring_enabled")?,
            last_used_at: parse::opt_timestamp(
                &format!("{what}.last_used_at"),
                f.opt_str("last_used_at")?,
            )?,
        })
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn expiry_month(what: &str, text: &str) -> Result<u8, DodoError> {
    text.parse::<u8>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| decode_err(format!("{what}.card.expiry_month: {text:?} is not 1-12")))
}

fn expiry_year(what: &str, text: &str) -> Result<u16, DodoError> {
    let year = text
        .parse::<u16>()
        .ok()
        .filter(|_| text.len() == 2 || text.len() == 4);
    match year {
        Some(y) if text.len() == 2 => Ok(2000 + y),
        Some(y) => Ok(y),
        None => Err(decode_err(format!(
            "{what}.card.expiry_year: {text:?} is not a 2- or 4-digit year"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_a_card_item() {
        let items = vec![json!({
            "payment_method_id": "pm_1",
            "payment_method": "card",
            "payment_method_type": "credit",
            "card": {"card_network": "visa", "last4_digits": "4242", "expiry_month": "06", "expiry_year": "32", "card_holder_name": null},
            "recurring_enabled": true,
            "last_used_at": "2026-01-02T03:04:05Z"
        })];
        let pm = &PaymentMethod::from_items(&items).expect("parses")[0];
        assert_eq!(pm.id, "pm_1");
        assert_eq!(pm.kind, "card");
        assert_eq!(
            pm.card,
            Some(CardSummary {
                network: Some("VISA".into()),
                last4: Some("4242".into()),
                expiry_month: Some(6),
                expiry_year: Some(2032),
            })
        );
        assert_eq!(pm.recurring_enabled, Some(true));
        assert!(pm.last_used_at.is_some());
    }

    #[test]
    fn a_wallet_without_card_details() {
        let items =
            vec![json!({"payment_method_id": "pm_2", "payment_method": "wallet", "card": null})];
        let pm = &PaymentMethod::from_items(&items).expect("parses")[0];
        assert_eq!(pm.card, None);
        assert_eq!(pm.recurring_enabled, None);
    }

    #[test]
    fn broken_items_are_decode_errors() {
        for bad in [
            json!({"payment_method": "card"}),
            json!({"payment_method_id": "pm", "payment_method": "card", "card": {"expiry_month": "13"}}),
            json!({"payment_method_id": "pm", "payment_method": "card", "card": {"expiry_year": "203"}}),
            json!({"payment_method_id": "pm", "payment_method": "card", "last_used_at": "soon"}),
            json!("pm_1"),
        ] {
            assert!(
                matches!(
                    PaymentMethod::from_items(std::slice::from_ref(&bad)),
                    Err(DodoError::Decode { .. })
                ),
                "{bad}"
            );
        }
    }
}
