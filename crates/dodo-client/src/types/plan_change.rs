//! Plan changes: the request (shared by preview and change), the preview parsed from the
//! SDK's untyped `immediate_charge`, and what an accepted change returns.
//!
//! `immediate_charge` shape (Dodo's TS SDK / OpenAPI): `effective_at`, `line_items[]`
//! tagged by `type` (`subscription` / `addon` with `unit_price`, `quantity`,
//! `proration_factor`; `meter` with a `subtotal`), and `summary` with `total_amount`,
//! `currency`, `customer_credits`, `tax`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse::{self, Fields, decode_err};
use crate::types::subscription::{Addon, Subscription};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChangeRequest {
    pub product_id: String,
    /// At least 1.
    pub quantity: i64,
    /// `prorated_immediately`, `difference_immediately`, `full_immediately`, `do_not_bill`,
    /// … — passed through as given, so modes Dodo adds later work without a release.
    pub proration_billing_mode: String,
    /// `immediately` (Dodo's default) or `next_billing_date`.
    pub effective_at: Option<String>,
    /// `prevent_change` or `apply_change`; `None` = the business default.
    pub on_payment_failure: Option<String>,
    /// Metadata for the plan-change payment; empty = Dodo uses the subscription's.
    pub metadata: BTreeMap<String, String>,
    /// Dodo treats an absent or empty list as "remove every addon": pass the
    /// subscription's `addons` to keep them.
    pub addons: Vec<Addon>,
}

impl PlanChangeRequest {
    /// A change to `product_id` × `quantity` with `mode`, immediately, business defaults,
    /// no metadata, no addons.
    pub fn new(product_id: impl Into<String>, quantity: i64, mode: impl Into<String>) -> Self {
        PlanChangeRequest {
            product_id: product_id.into(),
            quantity,
            proration_billing_mode: mode.into(),
            effective_at: None,
            on_payment_failure: None,
            metadata: BTreeMap::new(),
            addons: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanChangePreview {
    #[serde(with = "time::serde::rfc3339")]
    pub effective_at: OffsetDateTime,
    pub line_items: Vec<LineItem>,
    /// What would be charged now, minor units.
    pub total_amount: i64,
    pub currency: String,
    /// Negative: credit consumed to offset the charge; positive: credit added (downgrade).
    pub customer_credits: i64,
    pub tax: Option<i64>,
    /// The subscription as it would be after the change.
    pub new_plan: Subscription,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub kind: LineItemKind,
    /// The line's own id (for an addon line: the addon id).
    pub id: Option<String>,
    /// Set on `subscription` lines.
    pub product_id: Option<String>,
    pub name: Option<String>,
    /// Minor units. A meter line (which has only a subtotal) is one unit at its subtotal.
    pub unit_price: i64,
    pub quantity: i64,
    /// Share of the period charged (0.5 = half a cycle); 1.0 for meter lines.
    pub proration_factor: f64,
    pub tax: Option<i64>,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineItemKind {
    Subscription,
    Addon,
    Meter,
    Other(String),
}

/// What an accepted change-plan returns. All `None` when the change was charged to the
/// saved method (or Dodo answered with an empty body); `payment_link` is set when the
/// customer must pay on a hosted page. The outcome arrives by webhook or a later lookup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChangeAccepted {
    pub payment_id: Option<String>,
    pub payment_link: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_on: Option<OffsetDateTime>,
}

impl PlanChangePreview {
    pub(crate) fn from_sdk(
        r: dodopayments::models::SubscriptionPreviewChangePlanResponse,
    ) -> Result<PlanChangePreview, DodoError> {
        let charge = Fields::new("immediate_charge", &r.immediate_charge)?;
        let summary = charge
            .opt_object("summary")?
            .ok_or_else(|| decode_err("immediate_charge.summary is missing"))?;
        let line_items = charge
            .array("line_items")?
            .iter()
            .enumerate()
            .map(|(i, item)| line_item(&format!("immediate_charge.line_items[{i}]"), item))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PlanChangePreview {
            effective_at: parse::timestamp(
                "immediate_charge.effective_at",
                charge.str("effective_at")?,
            )?,
            line_items,
            total_amount: summary.i64("total_amount")?,
            currency: summary.str("currency")?.to_ascii_uppercase(),
            customer_credits: summary.opt_i64("customer_credits")?.unwrap_or_default(),
            tax: summary.opt_i64("tax")?,
            new_plan: Subscription::from_sdk(*r.new_plan)?,
        })
    }
}

fn line_item(what: &str, json: &Value) -> Result<LineItem, DodoError> {
    let f = Fields::new(what, json)?;
    let kind = match f.opt_str("type")? {
        Some("subscription") => LineItemKind::Subscription,
        Some("addon") => LineItemKind::Addon,
        Some("meter") => LineItemKind::Meter,
        Some(other) => LineItemKind::Other(other.to_owned()),
        None => LineItemKind::Other(String::new()),
    };
    // Priced lines carry unit_price × quantity × proration_factor; a meter line (and any
    // future line with only a subtotal) is folded into one unit at its subtotal, so the
    // same arithmetic works for every line.
    let (unit_price, quantity, proration_factor) =
        match (f.opt_i64("unit_price")?, f.opt_i64("quantity")?) {
            (Some(price), Some(quantity)) if kind != LineItemKind::Meter => (
                price,
                quantity,
                f.opt_f64("proration_factor")?
                    .ok_or_else(|| decode_err(format!("{what}.proration_factor is missing")))?,
            ),
            _ => match f.opt_i64("subtotal")? {
                Some(subtotal) => (subtotal, 1, 1.0),
                None => {
                    return Err(decode_err(format!(
                        "{what}: neither unit_price and quantity nor subtotal"
                    )));
                }
            },
        };
    Ok(LineItem {
        kind,
        id: f.opt_str("id")?.map(str::to_owned),
        product_id: f.opt_str("product_id")?.map(str::to_owned),
        name: f.opt_str("name")?.map(str::to_owned),
        unit_price,
        quantity,
        proration_factor,
        tax: f.opt_i64("tax")?,
        currency: f.str("currency")?.to_ascii_uppercase(),
    })
}

impl PlanChangeAccepted {
    pub(crate) fn from_sdk(
        r: dodopayments::models::SubscriptionChangePlanResponse,
    ) -> Result<PlanChangeAccepted, DodoError> {
        Ok(PlanChangeAccepted {
            expires_on: parse::opt_timestamp("change_plan.expires_on", r.expires_on.as_deref())?,
            payment_id: r.payment_id,
            payment_link: r.payment_link,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subscription_addon_and_meter_lines() {
        let sub = line_item(
            "l",
            &json!({"type": "subscription", "id": "li_1", "product_id": "pdt_pro", "unit_price": 8000,
                    "quantity": 1, "proration_factor": 0.5, "currency": "usd", "tax_inclusive": false, "tax": null}),
        )
        .expect("subscription line");
        assert_eq!(sub.kind, LineItemKind::Subscription);
        assert_eq!(sub.product_id.as_deref(), Some("pdt_pro"));
        assert_eq!((sub.unit_price, sub.quantity), (8000, 1));
        assert!((sub.proration_factor - 0.5).abs() < f64::EPSILON);
        assert_eq!(sub.currency, "USD");

        let addon = line_item(
            "l",
            &json!({"type": "addon", "id": "adn_1", "name": "Seat", "unit_price": 1000, "quantity": 3,
                    "proration_factor": 1.0, "currency": "USD", "tax_category": "saas",
                    "tax_inclusive": false, "tax_rate": 0.0}),
        )
        .expect("addon line");
        assert_eq!(addon.kind, LineItemKind::Addon);
        assert_eq!(addon.id.as_deref(), Some("adn_1"));

        let meter = line_item(
            "l",
            &json!({"type": "meter", "id": "m", "name": "API calls", "units_consumed": "10",
                    "chargeable_units": "5", "free_threshold": 5, "price_per_unit": "2",
                    "subtotal": 10, "currency": "USD", "tax_inclusive": false, "tax_rate": 0.0}),
        )
        .expect("meter line");
        assert_eq!((meter.unit_price, meter.quantity), (10, 1));
    }

    #[test]
    fn broken_lines_fail() {
        assert!(line_item("l", &json!({"type": "subscription", "currency": "USD"})).is_err());
        assert!(
            line_item(
                "l",
                &json!({"type": "subscription", "unit_price": 1, "quantity": 1, "currency": "USD"})
            )
            .is_err()
        );
        assert!(line_item("l", &json!({"type": "meter", "subtotal": 5})).is_err());
    }
}
