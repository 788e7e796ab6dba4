//! The fixtures file: the business, products, product collections, customers with saved
//! cards and subscriptions the sandbox starts with (and returns to on `/_sandbox/reset`).
//!
//! TOML (any extension but `.json`) or JSON with the same structure; unknown keys are
//! rejected so a typo does not silently drop data. `fixtures/demo.toml` in this crate is
//! the demo business and a complete example of the format.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use crate::cards::CardBehaviour;
use crate::clock::Interval;
use crate::error::SandboxError;
use crate::ids::is_valid_id;

pub const PRORATION_MODES: [&str; 5] = [
    "prorated_immediately",
    "prorated_immediately_keep_cycle",
    "difference_immediately",
    "full_immediately",
    "do_not_bill",
];
pub const EFFECTIVE_AT: [&str; 2] = ["immediately", "next_billing_date"];
pub const ON_PAYMENT_FAILURE: [&str; 2] = ["prevent_change", "apply_change"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    pub business: BusinessFixture,
    #[serde(default)]
    pub products: Vec<ProductFixture>,
    #[serde(default)]
    pub product_collections: Vec<CollectionFixture>,
    #[serde(default)]
    pub customers: Vec<CustomerFixture>,
    #[serde(default)]
    pub subscriptions: Vec<SubscriptionFixture>,
    #[serde(default)]
    pub purchases: Vec<PurchaseFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessFixture {
    pub business_id: String,
    pub brand_id: String,
    #[serde(default = "default_business_name")]
    pub name: String,
    #[serde(default)]
    pub plan_change_defaults: PlanChangeDefaults,
    /// How plain `prorated_immediately` is read: `keep_cycle` (default, the docs' worked
    /// example) or `reset_cycle` (credit the unused time, bill a new cycle from today).
    /// `prorated_immediately_keep_cycle` always keeps the cycle.
    #[serde(default = "default_prorated_reading")]
    pub prorated_immediately: String,
}

pub const PRORATED_READINGS: [&str; 2] = ["keep_cycle", "reset_cycle"];

fn default_prorated_reading() -> String {
    "keep_cycle".to_owned()
}

fn default_business_name() -> String {
    "Sandbox business".to_owned()
}

/// The business-level settings a plan change falls back to (Dodo keeps these in the
/// dashboard; a collection's `null` default means "inherit these").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanChangeDefaults {
    #[serde(default = "default_mode")]
    pub proration_billing_mode: String,
    #[serde(default = "default_effective_at")]
    pub effective_at: String,
    /// Used when a change-plan request leaves `on_payment_failure` out (Dodo: "defaults to
    /// the business setting"; the dashboard default is `apply_change`).
    #[serde(default = "default_on_failure")]
    pub on_payment_failure: String,
}

impl Default for PlanChangeDefaults {
    fn default() -> Self {
        Self {
            proration_billing_mode: default_mode(),
            effective_at: default_effective_at(),
            on_payment_failure: default_on_failure(),
        }
    }
}

fn default_mode() -> String {
    "prorated_immediately".to_owned()
}
fn default_effective_at() -> String {
    "immediately".to_owned()
}
fn default_on_failure() -> String {
    "apply_change".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFixture {
    pub product_id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    /// Minor units (cents).
    pub price: i64,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default = "default_tax_category")]
    pub tax_category: String,
    #[serde(default)]
    pub tax_inclusive: bool,
    /// Percentage 0–100, reported in `price.discount` only (not applied to charges).
    #[serde(default)]
    pub discount: i64,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Present for subscription products.
    #[serde(default)]
    pub recurring: Option<RecurringFixture>,
    /// Locale (two lower-case letters, e.g. `hi`, `id`) → translated name/description.
    #[serde(default)]
    pub translations: BTreeMap<String, TranslationFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationFixture {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn default_currency() -> String {
    "USD".to_owned()
}
fn default_tax_category() -> String {
    "digital_products".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringFixture {
    /// How often it bills: `Day`, `Week`, `Month` or `Year`.
    pub interval: Interval,
    #[serde(default = "one")]
    pub interval_count: i64,
    /// The subscription's total term (Dodo's `subscription_period_*`).
    #[serde(default = "default_period_interval")]
    pub subscription_period_interval: Interval,
    #[serde(default = "ten")]
    pub subscription_period_count: i64,
    #[serde(default)]
    pub trial_period_days: i64,
}

fn one() -> i64 {
    1
}
fn ten() -> i64 {
    10
}
fn default_period_interval() -> Interval {
    Interval::Year
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionFixture {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    /// Each default may be left out (= `null` = inherit the business setting).
    #[serde(default)]
    pub proration_billing_mode_on_upgrade: Option<String>,
    #[serde(default)]
    pub proration_billing_mode_on_downgrade: Option<String>,
    #[serde(default)]
    pub effective_at_on_upgrade: Option<String>,
    #[serde(default)]
    pub effective_at_on_downgrade: Option<String>,
    #[serde(default)]
    pub on_payment_failure: Option<String>,
    #[serde(default)]
    pub groups: Vec<GroupFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFixture {
    pub group_id: String,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default = "yes")]
    pub status: bool,
    #[serde(default)]
    pub products: Vec<GroupProductFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupProductFixture {
    pub product_id: String,
    /// `false` = listed but inactive in the collection.
    #[serde(default = "yes")]
    pub status: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerFixture {
    pub customer_id: String,
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Dodo's `preferred_locale` (two lower-case letters).
    #[serde(default)]
    pub preferred_locale: Option<String>,
    #[serde(default)]
    pub payment_methods: Vec<PaymentMethodFixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentMethodFixture {
    pub payment_method_id: String,
    /// Dodo's category: `card` (default), `wallet`, `upi`, … A non-card method has no
    /// `card_number`/`expiry` and always succeeds unless `behaviour` says otherwise.
    #[serde(default = "default_method")]
    pub payment_method: String,
    /// Dodo's `payment_method_type` of a non-card method (`paypal`, `upi_collect`, …).
    #[serde(default)]
    pub payment_method_type: Option<String>,
    /// The account of a non-card method (a UPI VPA such as `name@bank`, a PayPal e-mail),
    /// shown on the sandbox's portal page only: Dodo's API has no field for it.
    #[serde(default)]
    pub account: Option<String>,
    /// Cards: a full test card number; its last four digits decide the behaviour (4242
    /// succeeds, 0002 declines, 9995 insufficient funds, 3220 needs 3DS).
    #[serde(default)]
    pub card_number: Option<String>,
    /// Cards: `MM/YYYY` or `MM/YY`.
    #[serde(default)]
    pub expiry: Option<String>,
    #[serde(default)]
    pub holder_name: Option<String>,
    #[serde(default = "default_country")]
    pub issuing_country: String,
    #[serde(default = "default_card_type")]
    pub card_type: String,
    /// Overrides the behaviour implied by the number.
    #[serde(default)]
    pub behaviour: Option<CardBehaviour>,
    /// Currencies this method may be charged in; empty = any.
    #[serde(default)]
    pub currencies: Vec<String>,
    #[serde(default = "yes")]
    pub recurring_enabled: bool,
}

fn default_country() -> String {
    "US".to_owned()
}
fn default_method() -> String {
    "card".to_owned()
}
fn default_card_type() -> String {
    "CREDIT".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionFixture {
    pub subscription_id: String,
    pub customer_id: String,
    pub product_id: String,
    #[serde(default)]
    pub payment_method_id: Option<String>,
    #[serde(default = "one")]
    pub quantity: i64,
    /// How far into the current cycle the subscription is when the fixtures load.
    #[serde(default)]
    pub days_into_cycle: i64,
    /// Length of the current cycle in days; default: the product's billing interval.
    #[serde(default)]
    pub cycle_days: Option<i64>,
    #[serde(default = "default_country")]
    pub billing_country: String,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// A trial of this many days (overrides the product's): the subscription is in its
    /// trial, `days_into_cycle` days in; the first charge falls at the trial's end.
    #[serde(default)]
    pub trial_period_days: Option<i64>,
    /// Starts `on_hold` after a failed renewal: this is the id of that failed payment.
    #[serde(default)]
    pub on_hold_payment_id: Option<String>,
}

/// A one-time purchase the customer made before the fixtures load: a succeeded payment of one
/// product at its price, on one of the customer's saved methods.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseFixture {
    pub payment_id: String,
    pub customer_id: String,
    pub product_id: String,
    pub payment_method_id: String,
    /// How long ago the purchase was made.
    #[serde(default = "one")]
    pub days_ago: i64,
    #[serde(default = "default_country")]
    pub billing_country: String,
}

const DEMO_TOML: &str = include_str!("../fixtures/demo.toml");

impl Fixtures {
    /// The demo business documented in the README (`fixtures/demo.toml`).
    pub fn demo() -> Self {
        // The file is part of this crate and a unit test parses it, so failing here is a
        // build defect, not bad input.
        Self::from_toml_str(DEMO_TOML).expect("fixtures/demo.toml is valid")
    }

    /// Reads a TOML file, or JSON if the path ends in `.json`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, SandboxError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SandboxError::FixturesIo {
            path: path.display().to_string(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Self::from_json_str(&text)
        } else {
            Self::from_toml_str(&text)
        }
    }

    pub fn from_toml_str(text: &str) -> Result<Self, SandboxError> {
        let fixtures: Fixtures =
            toml::from_str(text).map_err(|e| SandboxError::Fixtures(e.to_string()))?;
        fixtures.validate()?;
        Ok(fixtures)
    }

    pub fn from_json_str(text: &str) -> Result<Self, SandboxError> {
        let fixtures: Fixtures =
            serde_json::from_str(text).map_err(|e| SandboxError::Fixtures(e.to_string()))?;
        fixtures.validate()?;
        Ok(fixtures)
    }

    /// Checks ids, references and enum values so a bad file fails at start, not mid-test.
    pub fn validate(&self) -> Result<(), SandboxError> {
        let fail = |msg: String| Err(SandboxError::Fixtures(msg));
        let mut seen = HashSet::new();
        let mut check_id = |kind: &str, id: &str| -> Result<(), SandboxError> {
            if !is_valid_id(id) {
                return fail(format!(
                    "{kind} id {id:?} must be 1-128 of [A-Za-z0-9_-] (no '/')"
                ));
            }
            if !seen.insert(id.to_owned()) {
                return fail(format!("duplicate id {id:?}"));
            }
            Ok(())
        };
        check_id("business", &self.business.business_id)?;
        check_id("brand", &self.business.brand_id)?;
        let d = &self.business.plan_change_defaults;
        check_enum(
            "proration_billing_mode",
            &d.proration_billing_mode,
            &PRORATION_MODES,
        )?;
        check_enum("effective_at", &d.effective_at, &EFFECTIVE_AT)?;
        check_enum(
            "on_payment_failure",
            &d.on_payment_failure,
            &ON_PAYMENT_FAILURE,
        )?;
        check_enum(
            "prorated_immediately",
            &self.business.prorated_immediately,
            &PRORATED_READINGS,
        )?;

        let mut products = HashSet::new();
        for p in &self.products {
            check_id("product", &p.product_id)?;
            if p.price < 0 {
                return fail(format!("product {} has a negative price", p.product_id));
            }
            if !is_currency(&p.currency) {
                return fail(format!(
                    "product {}: currency {:?} must be 3 upper-case letters",
                    p.product_id, p.currency
                ));
            }
            if let Some(r) = &p.recurring
                && (r.interval_count < 1 || r.subscription_period_count < 1)
            {
                return fail(format!("product {}: counts must be >= 1", p.product_id));
            }
            for locale in p.translations.keys() {
                if !is_locale(locale) {
                    return fail(format!(
                        "product {}: translation locale {locale:?} must be two lower-case letters",
                        p.product_id
                    ));
                }
            }
            products.insert(p.product_id.as_str());
        }
        let mut in_collection = HashSet::new();
        for c in &self.product_collections {
            check_id("product collection", &c.id)?;
            for (field, value, allowed) in [
                (
                    "proration_billing_mode_on_upgrade",
                    &c.proration_billing_mode_on_upgrade,
                    &PRORATION_MODES[..],
                ),
                (
                    "proration_billing_mode_on_downgrade",
                    &c.proration_billing_mode_on_downgrade,
                    &PRORATION_MODES[..],
                ),
                (
                    "effective_at_on_upgrade",
                    &c.effective_at_on_upgrade,
                    &EFFECTIVE_AT[..],
                ),
                (
                    "effective_at_on_downgrade",
                    &c.effective_at_on_downgrade,
                    &EFFECTIVE_AT[..],
                ),
                (
                    "on_payment_failure",
                    &c.on_payment_failure,
                    &ON_PAYMENT_FAILURE[..],
                ),
            ] {
                if let Some(v) = value {
                    check_enum(field, v, allowed)?;
                }
            }
            for g in &c.groups {
                check_id("collection group", &g.group_id)?;
                for gp in &g.products {
                    if !products.contains(gp.product_id.as_str()) {
                        return fail(format!(
                            "collection {} lists unknown product {}",
                            c.id, gp.product_id
                        ));
                    }
                    if !in_collection.insert(gp.product_id.as_str()) {
                        return fail(format!(
                            "product {} is in more than one collection group",
                            gp.product_id
                        ));
                    }
                }
            }
        }
        let mut methods: BTreeMap<&str, &str> = BTreeMap::new();
        let mut customers = HashSet::new();
        for c in &self.customers {
            check_id("customer", &c.customer_id)?;
            customers.insert(c.customer_id.as_str());
            if let Some(locale) = &c.preferred_locale
                && !is_locale(locale)
            {
                return fail(format!(
                    "customer {}: preferred_locale {locale:?} must be two lower-case letters",
                    c.customer_id
                ));
            }
            for pm in &c.payment_methods {
                check_id("payment method", &pm.payment_method_id)?;
                if !is_payment_method_kind(&pm.payment_method) {
                    return fail(format!(
                        "payment method {}: payment_method {:?} is not one of Dodo's categories",
                        pm.payment_method_id, pm.payment_method
                    ));
                }
                if pm.payment_method != "card" {
                    if pm.card_number.is_some() || pm.expiry.is_some() {
                        return fail(format!(
                            "payment method {}: only cards have card_number and expiry",
                            pm.payment_method_id
                        ));
                    }
                    if pm.payment_method_type.is_none() {
                        return fail(format!(
                            "payment method {}: a {} needs payment_method_type (e.g. paypal, upi_collect)",
                            pm.payment_method_id, pm.payment_method
                        ));
                    }
                    methods.insert(pm.payment_method_id.as_str(), c.customer_id.as_str());
                    continue;
                }
                let (Some(number), Some(expiry)) = (&pm.card_number, &pm.expiry) else {
                    return fail(format!(
                        "payment method {}: a card needs card_number and expiry",
                        pm.payment_method_id
                    ));
                };
                let Some(digits) = crate::cards::normalize_number(number) else {
                    return fail(format!(
                        "payment method {}: card_number must be 12-19 digits",
                        pm.payment_method_id
                    ));
                };
                if !crate::cards::luhn_valid(&digits) {
                    return fail(format!(
                        "payment method {}: card_number fails the Luhn check",
                        pm.payment_method_id
                    ));
                }
                if crate::cards::parse_expiry(expiry).is_none() {
                    return fail(format!(
                        "payment method {}: expiry must be MM/YYYY",
                        pm.payment_method_id
                    ));
                }
                methods.insert(pm.payment_method_id.as_str(), c.customer_id.as_str());
            }
        }
        for s in &self.subscriptions {
            check_id("subscription", &s.subscription_id)?;
            if !customers.contains(s.customer_id.as_str()) {
                return fail(format!(
                    "subscription {} names unknown customer {}",
                    s.subscription_id, s.customer_id
                ));
            }
            let Some(product) = self.products.iter().find(|p| p.product_id == s.product_id) else {
                return fail(format!(
                    "subscription {} names unknown product {}",
                    s.subscription_id, s.product_id
                ));
            };
            if product.recurring.is_none() {
                return fail(format!(
                    "subscription {}: product {} is not recurring",
                    s.subscription_id, s.product_id
                ));
            }
            if let Some(pm) = &s.payment_method_id
                && methods.get(pm.as_str()) != Some(&s.customer_id.as_str())
            {
                return fail(format!(
                    "subscription {}: payment method {pm} does not belong to {}",
                    s.subscription_id, s.customer_id
                ));
            }
            if let Some(pay) = &s.on_hold_payment_id {
                check_id("payment", pay)?;
                if s.trial_period_days.is_some() {
                    return fail(format!(
                        "subscription {}: a subscription in trial has had no renewal to fail",
                        s.subscription_id
                    ));
                }
            }
            if let Some(days) = s.trial_period_days
                && (days < 1 || s.days_into_cycle >= days)
            {
                return fail(format!(
                    "subscription {}: trial_period_days must be >= 1 and beyond days_into_cycle",
                    s.subscription_id
                ));
            }
            if s.quantity < 1 || s.days_into_cycle < 0 || s.cycle_days.is_some_and(|d| d < 1) {
                return fail(format!(
                    "subscription {}: quantity and cycle_days must be >= 1, days_into_cycle >= 0",
                    s.subscription_id
                ));
            }
        }
        for p in &self.purchases {
            check_id("payment", &p.payment_id)?;
            if !customers.contains(p.customer_id.as_str()) {
                return fail(format!(
                    "purchase {} names unknown customer {}",
                    p.payment_id, p.customer_id
                ));
            }
            let Some(product) = self.products.iter().find(|x| x.product_id == p.product_id) else {
                return fail(format!(
                    "purchase {} names unknown product {}",
                    p.payment_id, p.product_id
                ));
            };
            if product.recurring.is_some() {
                return fail(format!(
                    "purchase {}: product {} is recurring (use [[subscriptions]])",
                    p.payment_id, p.product_id
                ));
            }
            if methods.get(p.payment_method_id.as_str()) != Some(&p.customer_id.as_str()) {
                return fail(format!(
                    "purchase {}: payment method {} does not belong to {}",
                    p.payment_id, p.payment_method_id, p.customer_id
                ));
            }
            if p.days_ago < 0 {
                return fail(format!("purchase {}: days_ago must be >= 0", p.payment_id));
            }
        }
        Ok(())
    }
}

fn check_enum(field: &str, value: &str, allowed: &[&str]) -> Result<(), SandboxError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(SandboxError::Fixtures(format!(
            "{field} = {value:?} is not one of {allowed:?}"
        )))
    }
}

/// A locale as Dodo writes them: two lower-case letters (`en`, `id`, `hi`).
pub fn is_locale(code: &str) -> bool {
    code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase())
}

/// Dodo's `PaymentMethod` categories (spec 1.113.0).
pub const PAYMENT_METHOD_KINDS: [&str; 15] = [
    "card",
    "card_redirect",
    "pay_later",
    "wallet",
    "bank_redirect",
    "bank_transfer",
    "crypto",
    "bank_debit",
    "reward",
    "real_time_payment",
    "upi",
    "voucher",
    "gift_card",
    "open_banking",
    "mobile_payment",
];

fn is_payment_method_kind(kind: &str) -> bool {
    PAYMENT_METHOD_KINDS.contains(&kind)
}

pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_fixtures_parse_and_validate() {
        let demo = Fixtures::demo();
        assert_eq!(demo.business.business_id, "bus_demo");
        assert!(
            demo.products
                .iter()
                .any(|p| p.product_id == "pdt_demo_course")
        );
        assert!(
            demo.subscriptions
                .iter()
                .any(|s| s.subscription_id == "sub_demo_alice_basic")
        );
    }

    #[test]
    fn json_fixtures_work_too() {
        let json = r#"{"business":{"business_id":"bus_x","brand_id":"brd_x"},
            "products":[{"product_id":"pdt_x","name":"X","price":100}]}"#;
        let f = Fixtures::from_json_str(json).expect("valid json fixtures");
        assert_eq!(f.products[0].currency, "USD");
    }

    #[test]
    fn bad_fixtures_are_rejected_with_a_reason() {
        let slash = r#"
            [business]
            business_id = "bus/x"
            brand_id = "brd_x"
        "#;
        let err = Fixtures::from_toml_str(slash).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("no '/'")));

        let dangling = r#"
            [business]
            business_id = "bus_x"
            brand_id = "brd_x"
            [[subscriptions]]
            subscription_id = "sub_x"
            customer_id = "cus_missing"
            product_id = "pdt_missing"
        "#;
        assert!(Fixtures::from_toml_str(dangling).is_err());

        let typo = r#"
            [business]
            business_id = "bus_x"
            brand_id = "brd_x"
            colour = "red"
        "#;
        assert!(Fixtures::from_toml_str(typo).is_err());
    }
}
