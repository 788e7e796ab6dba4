//! A product and its price.
//!
//! The SDK types `price` as an untagged enum of three `serde_json::Value` variants, so every
//! price lands in the first one unchecked. We read the `type` discriminator ourselves:
//! `one_time_price`, `recurring_price`, `usage_based_price`; anything else is kept as
//! `Price::Other`. A known type with a missing or mistyped field is a decode error.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::DodoError;
use crate::parse::{self, Fields};
use crate::types::status::Interval;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub is_recurring: bool,
    pub price: Price,
    /// Dodo's plan family (None from `products()`: list items do not carry it).
    pub product_collection_id: Option<String>,
    pub tax_inclusive: Option<bool>,
}

/// Amounts in minor units; `discount_percent` is Dodo's `discount` (0–100). Whether Dodo's
/// `price` is before or after that discount is undocumented: show what the checkout
/// preview or the payment says, not arithmetic on these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Price {
    OneTime {
        amount: i64,
        currency: String,
        discount_percent: i64,
    },
    Recurring {
        amount: i64,
        currency: String,
        discount_percent: i64,
        /// How often it bills (`payment_frequency_interval`).
        interval: Interval,
        interval_count: i64,
        trial_days: i64,
    },
    UsageBased {
        fixed_amount: i64,
        currency: String,
        interval: Interval,
        interval_count: i64,
    },
    /// A price type this client does not know, as Dodo sent it.
    Other(Value),
}

impl Price {
    pub fn currency(&self) -> Option<&str> {
        match self {
            Price::OneTime { currency, .. }
            | Price::Recurring { currency, .. }
            | Price::UsageBased { currency, .. } => Some(currency),
            Price::Other(_) => None,
        }
    }

    /// `(price, tax_inclusive)` from the untyped `price` JSON.
    pub(crate) fn from_value(json: &Value) -> Result<(Price, Option<bool>), DodoError> {
        let f = Fields::new("price", json)?;
        let currency = || f.str("currency").map(str::to_ascii_uppercase);
        let discount = || f.opt_i64("discount").map(Option::unwrap_or_default);
        let interval = || f.str("payment_frequency_interval").map(Interval::from);
        let price = match f.opt_str("type")? {
            Some("one_time_price") => Price::OneTime {
                amount: f.i64("price")?,
                currency: currency()?,
                discount_percent: discount()?,
            },
            Some("recurring_price") => Price::Recurring {
                amount: f.i64("price")?,
                currency: currency()?,
                discount_percent: discount()?,
                interval: interval()?,
                interval_count: f.i64("payment_frequency_count")?,
                trial_days: f.opt_i64("trial_period_days")?.unwrap_or_default(),
            },
            Some("usage_based_price") => Price::UsageBased {
                fixed_amount: f.i64("fixed_price")?,
                currency: currency()?,
                interval: interval()?,
                interval_count: f.i64("payment_frequency_count")?,
            },
            _ => Price::Other(json.clone()),
        };
        Ok((price, f.opt_bool("tax_inclusive")?))
    }
}

/// The JSON inside the SDK's `Price` (whichever variant serde picked).
pub(crate) fn price_json(price: &dodopayments::models::Price) -> &Value {
    use dodopayments::models::Price as P;
    match price {
        P::Variant0(v) | P::Variant1(v) | P::Variant2(v) => v,
    }
}

impl Product {
    pub(crate) fn from_sdk(p: dodopayments::models::Product) -> Result<Product, DodoError> {
        let (price, tax_inclusive) = Price::from_value(price_json(&p.price))?;
        Ok(Product {
            id: p.product_id,
            name: p.name,
            description: p.description,
            image: p.image,
            is_recurring: p.is_recurring,
            price,
            product_collection_id: p.product_collection_id,
            tax_inclusive,
        })
    }

    /// A list item: the full price is in `price_detail`; without it only the flat
    /// `price`/`currency` of a one-time product can be trusted.
    pub(crate) fn from_list_item(
        p: dodopayments::models::ProductListResponse,
    ) -> Result<Product, DodoError> {
        let (price, detail_tax) = match (&p.price_detail, p.price, &p.currency) {
            (Some(detail), _, _) => Price::from_value(price_json(detail))?,
            (None, Some(amount), Some(currency)) if !p.is_recurring => (
                Price::OneTime {
                    amount,
                    currency: parse::currency(currency),
                    discount_percent: 0,
                },
                None,
            ),
            _ => {
                return Err(parse::decode_err(format!(
                    "products[{}]: no price_detail",
                    p.product_id
                )));
            }
        };
        Ok(Product {
            id: p.product_id,
            name: p.name,
            description: p.description,
            image: p.image,
            is_recurring: p.is_recurring,
            price,
            product_collection_id: None,
            tax_inclusive: p.tax_inclusive.or(detail_tax),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_time() {
        let (price, tax) = Price::from_value(&json!({
            "type": "one_time_price", "price": 4900, "currency": "usd", "discount": 10,
            "purchasing_power_parity": false, "tax_inclusive": true
        }))
        .expect("parses");
        assert_eq!(
            price,
            Price::OneTime {
                amount: 4900,
                currency: "USD".into(),
                discount_percent: 10
            }
        );
        assert_eq!(tax, Some(true));
    }

    #[test]
    fn recurring_and_usage_based() {
        let (price, _) = Price::from_value(&json!({
            "type": "recurring_price", "price": 3000, "currency": "USD", "discount": 0,
            "purchasing_power_parity": false, "payment_frequency_count": 1,
            "payment_frequency_interval": "Month", "subscription_period_count": 10,
            "subscription_period_interval": "Year", "trial_period_days": 7
        }))
        .expect("parses");
        assert_eq!(
            price,
            Price::Recurring {
                amount: 3000,
                currency: "USD".into(),
                discount_percent: 0,
                interval: Interval::Month,
                interval_count: 1,
                trial_days: 7
            }
        );
        let (usage, _) = Price::from_value(&json!({
            "type": "usage_based_price", "fixed_price": 500, "currency": "EUR",
            "payment_frequency_count": 1, "payment_frequency_interval": "Week", "meters": []
        }))
        .expect("parses");
        assert_eq!(
            usage,
            Price::UsageBased {
                fixed_amount: 500,
                currency: "EUR".into(),
                interval: Interval::Week,
                interval_count: 1
            }
        );
    }

    #[test]
    fn unknown_type_is_kept_and_broken_known_type_fails() {
        let future = json!({"type": "tiered_price", "tiers": []});
        assert_eq!(
            Price::from_value(&future).expect("kept").0,
            Price::Other(future.clone())
        );
        assert!(matches!(
            Price::from_value(&json!({"type": "one_time_price", "currency": "USD"})),
            Err(DodoError::Decode { .. })
        ));
        assert!(matches!(
            Price::from_value(
                &json!({"type": "one_time_price", "price": "49.00", "currency": "USD"})
            ),
            Err(DodoError::Decode { .. })
        ));
        assert!(matches!(
            Price::from_value(&json!(4900)),
            Err(DodoError::Decode { .. })
        ));
    }
}
