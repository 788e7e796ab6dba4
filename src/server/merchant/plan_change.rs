//! Plan families for subscription plan changes.
//!
//! Dodo already groups plans in **product collections** (with default proration, timing and
//! payment-failure behaviour per direction); the plan-change page follows a subscription's
//! product to its collection and offers the collection's other active plans. This file adds
//! what Dodo does not hold — tiers with features ("you gain / you lose"), badges, seat limits,
//! which switches are allowed, a downsell alternative — and, for products in no collection, the
//! family itself.
//!
//! How a switch is billed, per setting (proration mode, `effective_at`, `on_payment_failure`)
//! and direction (upgrade / downgrade), first match wins:
//!
//! 1. the family's `overrides` (deliberately set here),
//! 2. the collection's default (`null` there = inherit),
//! 3. the business default (`business_defaults`: Dodo's API does not expose the business
//!    settings, so they are mirrored here),
//! 4. this file's defaults (`upgrade`, `downgrade`, `on_payment_failure`).
//!
//! Proration modes are passed to Dodo as written: the five known ones and any future one
//! (a startup warning names an unknown mode, in case it is a typo).

use super::{Invalid, check_id};
use serde::Deserialize;
use std::collections::HashSet;

/// The proration modes Dodo documents today. Others are passed through.
pub const KNOWN_PRORATION_MODES: &[&str] = &[
    "prorated_immediately",
    "prorated_immediately_keep_cycle",
    "difference_immediately",
    "full_immediately",
    "do_not_bill",
];
pub const EFFECTIVE_AT: &[&str] = &["immediately", "next_billing_date"];
pub const ON_PAYMENT_FAILURE: &[&str] = &["prevent_change", "apply_change"];

/// Collections and products are re-read from Dodo after this long.
pub const DEFAULT_CACHE_SECONDS: u64 = 60;
pub const MAX_SEATS: u32 = 1000;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanChangeConfig {
    /// Our default for upgrades: `prorated_immediately`, now.
    #[serde(default = "default_upgrade")]
    pub upgrade: ChangeRule,
    /// Our default for downgrades: `difference_immediately` at `next_billing_date`.
    #[serde(default = "default_downgrade")]
    pub downgrade: ChangeRule,
    /// Our default when a plan-change charge fails: `prevent_change` (the plan stays).
    #[serde(default = "default_on_payment_failure")]
    pub on_payment_failure: String,
    /// The merchant's Dodo business settings for plan changes (what a collection's `null`
    /// inherits). Optional: unset fields fall through to our defaults.
    #[serde(default)]
    pub business_defaults: BusinessDefaults,
    /// How long collections and products read from Dodo are reused.
    #[serde(default = "default_cache_seconds")]
    pub cache_seconds: u64,
    #[serde(default)]
    pub families: Vec<PlanFamily>,
}

impl Default for PlanChangeConfig {
    fn default() -> Self {
        PlanChangeConfig {
            upgrade: default_upgrade(),
            downgrade: default_downgrade(),
            on_payment_failure: default_on_payment_failure(),
            business_defaults: BusinessDefaults::default(),
            cache_seconds: default_cache_seconds(),
            families: Vec::new(),
        }
    }
}

fn default_upgrade() -> ChangeRule {
    ChangeRule {
        proration_billing_mode: Some("prorated_immediately".into()),
        effective_at: Some("immediately".into()),
    }
}
fn default_downgrade() -> ChangeRule {
    ChangeRule {
        proration_billing_mode: Some("difference_immediately".into()),
        effective_at: Some("next_billing_date".into()),
    }
}
fn default_on_payment_failure() -> String {
    "prevent_change".into()
}
fn default_cache_seconds() -> u64 {
    DEFAULT_CACHE_SECONDS
}
fn default_true() -> bool {
    true
}
fn default_seats() -> u32 {
    1
}

/// How one direction of switch is billed. Unset fields fall through to the next layer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRule {
    #[serde(default)]
    pub proration_billing_mode: Option<String>,
    #[serde(default)]
    pub effective_at: Option<String>,
}

/// A mirror of the Dodo business plan-change settings (both directions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessDefaults {
    #[serde(default)]
    pub proration_billing_mode: Option<String>,
    #[serde(default)]
    pub effective_at: Option<String>,
    #[serde(default)]
    pub on_payment_failure: Option<String>,
}

/// Settings that win over the collection and the business defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default)]
    pub upgrade: ChangeRule,
    #[serde(default)]
    pub downgrade: ChangeRule,
    #[serde(default)]
    pub on_payment_failure: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFamily {
    pub id: String,
    /// The Dodo product collection this family describes: its active plans are the family
    /// and its defaults apply. Without it, the plans of `tiers` are the family.
    #[serde(default)]
    pub collection: Option<String>,
    /// From the lowest to the highest. With a collection: optional, adds order and features.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// `false`: moving to a lower tier (or a cheaper plan) is not offered online.
    #[serde(default = "default_true")]
    pub allow_downgrades: bool,
    /// Switches refused with a reason.
    #[serde(default)]
    pub blocked: Vec<BlockedSwitch>,
    #[serde(default)]
    pub overrides: Overrides,
    /// Offered first when a subscriber starts a downgrade.
    #[serde(default)]
    pub downsell: Option<Downsell>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    /// Dodo product ids of this tier (e.g. its monthly and yearly plans).
    pub plans: Vec<String>,
    /// What the tier includes, for "you gain / you lose".
    #[serde(default)]
    pub features: Vec<String>,
    /// e.g. "Most popular".
    #[serde(default)]
    pub badge: Option<String>,
    /// Seats a subscriber may choose (1 = no seat stepper).
    #[serde(default = "default_seats")]
    pub max_quantity: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedSwitch {
    /// From these plans (empty = from any plan).
    #[serde(default)]
    pub from: Vec<String>,
    /// To these plans.
    pub to: Vec<String>,
    /// Shown to the subscriber; a generic sentence when unset.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Downsell {
    /// The plan offered instead of the downgrade (previewed and confirmed like any switch).
    pub product: String,
    /// Only when the subscriber is on one of these plans (empty = any plan of the family).
    #[serde(default)]
    pub from: Vec<String>,
    pub headline: String,
    #[serde(default)]
    pub value_points: Vec<String>,
}

fn check_choice(key: &str, value: &str, allowed: &[&str]) -> Result<(), Invalid> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(
            key,
            format!("`{value}` is not one of {}", allowed.join(", ")),
        ))
    }
}

/// A proration mode is any lowercase identifier: unknown ones are passed through to Dodo.
fn check_mode(key: &str, value: &str) -> Result<(), Invalid> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            key,
            format!(
                "`{value}` is not a proration mode (e.g. {})",
                KNOWN_PRORATION_MODES.join(", ")
            ),
        ))
    }
}

fn check_rule(key: &str, rule: &ChangeRule) -> Result<(), Invalid> {
    if let Some(mode) = &rule.proration_billing_mode {
        check_mode(&format!("{key}.proration_billing_mode"), mode)?;
    }
    if let Some(at) = &rule.effective_at {
        check_choice(&format!("{key}.effective_at"), at, EFFECTIVE_AT)?;
    }
    Ok(())
}

fn check_text(key: &str, text: &str, max: usize) -> Result<(), Invalid> {
    if text.trim().is_empty() || text.chars().count() > max {
        Err(Invalid::new(key, format!("must be 1–{max} characters")))
    } else {
        Ok(())
    }
}

impl PlanChangeConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        check_rule("plan_change.upgrade", &self.upgrade)?;
        check_rule("plan_change.downgrade", &self.downgrade)?;
        for (key, rule) in [
            ("plan_change.upgrade", &self.upgrade),
            ("plan_change.downgrade", &self.downgrade),
        ] {
            if rule.proration_billing_mode.is_none() {
                return Err(Invalid::new(
                    format!("{key}.proration_billing_mode"),
                    "is required (the last fallback when Dodo gives no default)",
                ));
            }
        }
        check_choice(
            "plan_change.on_payment_failure",
            &self.on_payment_failure,
            ON_PAYMENT_FAILURE,
        )?;
        let b = &self.business_defaults;
        check_rule(
            "plan_change.business_defaults",
            &ChangeRule {
                proration_billing_mode: b.proration_billing_mode.clone(),
                effective_at: b.effective_at.clone(),
            },
        )?;
        if let Some(f) = &b.on_payment_failure {
            check_choice(
                "plan_change.business_defaults.on_payment_failure",
                f,
                ON_PAYMENT_FAILURE,
            )?;
        }
        if !(1..=86_400).contains(&self.cache_seconds) {
            return Err(Invalid::new(
                "plan_change.cache_seconds",
                format!("{} is outside 1–86400", self.cache_seconds),
            ));
        }
        let mut ids = HashSet::new();
        let mut collections = HashSet::new();
        for (i, family) in self.families.iter().enumerate() {
            let key = format!("plan_change.families[{i}]");
            if family.id.trim().is_empty() || !ids.insert(family.id.as_str()) {
                return Err(Invalid::new(
                    format!("{key}.id"),
                    format!("`{}` is empty or used twice", family.id),
                ));
            }
            family.validate(&key)?;
            if let Some(c) = &family.collection
                && !collections.insert(c.as_str())
            {
                return Err(Invalid::new(
                    format!("{key}.collection"),
                    format!("`{c}` is described by another family too"),
                ));
            }
        }
        Ok(())
    }

    /// Every product id the families mention, with the key that mentions it.
    pub fn product_references(&self) -> Vec<(String, String)> {
        let mut refs = Vec::new();
        for (i, family) in self.families.iter().enumerate() {
            let key = format!("plan_change.families[{i}]");
            for (t, tier) in family.tiers.iter().enumerate() {
                for (p, id) in tier.plans.iter().enumerate() {
                    refs.push((format!("{key}.tiers[{t}].plans[{p}]"), id.clone()));
                }
            }
            if let Some(d) = &family.downsell {
                refs.push((format!("{key}.downsell.product"), d.product.clone()));
            }
        }
        refs
    }

    /// Problems worth a startup warning that need no call to Dodo: unknown proration modes
    /// (passed through, but maybe a typo) and families of one plan (nothing to switch to).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut mode = |key: String, value: &Option<String>| {
            if let Some(v) = value
                && !KNOWN_PRORATION_MODES.contains(&v.as_str())
            {
                out.push(format!(
                    "{key}: proration mode `{v}` is not one Dodo documents; it is passed to Dodo as written"
                ));
            }
        };
        mode(
            "plan_change.upgrade.proration_billing_mode".into(),
            &self.upgrade.proration_billing_mode,
        );
        mode(
            "plan_change.downgrade.proration_billing_mode".into(),
            &self.downgrade.proration_billing_mode,
        );
        mode(
            "plan_change.business_defaults.proration_billing_mode".into(),
            &self.business_defaults.proration_billing_mode,
        );
        for (i, family) in self.families.iter().enumerate() {
            let key = format!("plan_change.families[{i}].overrides");
            mode(
                format!("{key}.upgrade.proration_billing_mode"),
                &family.overrides.upgrade.proration_billing_mode,
            );
            mode(
                format!("{key}.downgrade.proration_billing_mode"),
                &family.overrides.downgrade.proration_billing_mode,
            );
        }
        for (i, family) in self.families.iter().enumerate() {
            if family.collection.is_none() && family.plan_ids().len() == 1 {
                out.push(format!(
                    "plan_change.families[{i}] (`{}`): the family has one plan, so it offers no switch",
                    family.id
                ));
            }
        }
        out
    }

    /// The family describing collection `collection_id`, if any.
    pub fn family_for_collection(&self, collection_id: &str) -> Option<&PlanFamily> {
        self.families
            .iter()
            .find(|f| f.collection.as_deref() == Some(collection_id))
    }

    /// The first family without a collection whose tiers list `product_id`.
    pub fn configured_family_of(&self, product_id: &str) -> Option<&PlanFamily> {
        self.families
            .iter()
            .find(|f| f.collection.is_none() && f.plan_ids().contains(&product_id))
    }
}

impl PlanFamily {
    fn validate(&self, key: &str) -> Result<(), Invalid> {
        if let Some(c) = &self.collection {
            check_id(&format!("{key}.collection"), c, "pcol_")?;
        } else if self.tiers.is_empty() {
            return Err(Invalid::new(
                format!("{key}.tiers"),
                "a family without a collection needs at least one tier",
            ));
        }
        let mut seen = HashSet::new();
        for (t, tier) in self.tiers.iter().enumerate() {
            let tkey = format!("{key}.tiers[{t}]");
            check_text(&format!("{tkey}.name"), &tier.name, 40)?;
            if tier.plans.is_empty() {
                return Err(Invalid::new(
                    format!("{tkey}.plans"),
                    "needs at least one product",
                ));
            }
            for (p, id) in tier.plans.iter().enumerate() {
                let pkey = format!("{tkey}.plans[{p}]");
                check_id(&pkey, id, "pdt_")?;
                if !seen.insert(id.as_str()) {
                    return Err(Invalid::new(pkey, format!("`{id}` is listed twice")));
                }
            }
            if tier.features.len() > 12 {
                return Err(Invalid::new(
                    format!("{tkey}.features"),
                    "at most 12 features",
                ));
            }
            for (f, feature) in tier.features.iter().enumerate() {
                check_text(&format!("{tkey}.features[{f}]"), feature, 120)?;
            }
            if let Some(badge) = &tier.badge {
                check_text(&format!("{tkey}.badge"), badge, 40)?;
            }
            if !(1..=MAX_SEATS).contains(&tier.max_quantity) {
                return Err(Invalid::new(
                    format!("{tkey}.max_quantity"),
                    format!("{} is outside 1–{MAX_SEATS}", tier.max_quantity),
                ));
            }
        }
        for (b, blocked) in self.blocked.iter().enumerate() {
            let bkey = format!("{key}.blocked[{b}]");
            if blocked.to.is_empty() {
                return Err(Invalid::new(
                    format!("{bkey}.to"),
                    "needs at least one product",
                ));
            }
            for (j, id) in blocked.from.iter().enumerate() {
                check_id(&format!("{bkey}.from[{j}]"), id, "pdt_")?;
            }
            for (j, id) in blocked.to.iter().enumerate() {
                check_id(&format!("{bkey}.to[{j}]"), id, "pdt_")?;
            }
            if let Some(reason) = &blocked.reason {
                check_text(&format!("{bkey}.reason"), reason, 200)?;
            }
        }
        let okey = format!("{key}.overrides");
        check_rule(&format!("{okey}.upgrade"), &self.overrides.upgrade)?;
        check_rule(&format!("{okey}.downgrade"), &self.overrides.downgrade)?;
        if let Some(f) = &self.overrides.on_payment_failure {
            check_choice(&format!("{okey}.on_payment_failure"), f, ON_PAYMENT_FAILURE)?;
        }
        if let Some(d) = &self.downsell {
            let dkey = format!("{key}.downsell");
            check_id(&format!("{dkey}.product"), &d.product, "pdt_")?;
            for (j, id) in d.from.iter().enumerate() {
                check_id(&format!("{dkey}.from[{j}]"), id, "pdt_")?;
            }
            if d.from.contains(&d.product) {
                return Err(Invalid::new(
                    format!("{dkey}.product"),
                    "is also in `from`: a plan cannot be its own downsell",
                ));
            }
            check_text(&format!("{dkey}.headline"), &d.headline, 120)?;
            if d.value_points.len() > 6 {
                return Err(Invalid::new(
                    format!("{dkey}.value_points"),
                    "at most 6 points",
                ));
            }
            for (j, point) in d.value_points.iter().enumerate() {
                check_text(&format!("{dkey}.value_points[{j}]"), point, 120)?;
            }
        }
        Ok(())
    }

    /// The plans of the tiers, lowest tier first.
    pub fn plan_ids(&self) -> Vec<&str> {
        self.tiers
            .iter()
            .flat_map(|t| t.plans.iter().map(String::as_str))
            .collect()
    }

    /// The tier listing `product_id` and its position.
    pub fn tier_of(&self, product_id: &str) -> Option<(usize, &Tier)> {
        self.tiers
            .iter()
            .enumerate()
            .find(|(_, t)| t.plans.iter().any(|p| p == product_id))
    }

    /// Why `from` → `to` is refused by a `blocked` rule (`Some(None)`: refused, no reason given).
    pub fn blocked_reason(&self, from: &str, to: &str) -> Option<Option<&str>> {
        self.blocked
            .iter()
            .find(|b| {
                (b.from.is_empty() || b.from.iter().any(|f| f == from))
                    && b.to.iter().any(|t| t == to)
            })
            .map(|b| b.reason.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::super::MerchantConfig;

    fn err(toml: &str) -> (String, String) {
        let e = MerchantConfig::parse(toml).unwrap_err();
        (e.key, e.problem)
    }

    const FAMILY: &str = "[[plan_change.families]]\nid = \"f\"\n[[plan_change.families.tiers]]\nname = \"A\"\nplans = [\"pdt_a\"]\n[[plan_change.families.tiers]]\nname = \"B\"\nplans = [\"pdt_b\"]\n";

    #[test]
    fn defaults_are_the_issue_defaults() {
        let c = MerchantConfig::parse("").unwrap().plan_change;
        assert_eq!(
            c.upgrade.proration_billing_mode.as_deref(),
            Some("prorated_immediately")
        );
        assert_eq!(c.upgrade.effective_at.as_deref(), Some("immediately"));
        assert_eq!(
            c.downgrade.proration_billing_mode.as_deref(),
            Some("difference_immediately")
        );
        assert_eq!(
            c.downgrade.effective_at.as_deref(),
            Some("next_billing_date")
        );
        assert_eq!(c.on_payment_failure, "prevent_change");
        assert_eq!(c.cache_seconds, 60);
        assert!(c.families.is_empty());
    }

    #[test]
    fn every_proration_mode_is_accepted_and_unknown_ones_warn() {
        for mode in super::KNOWN_PRORATION_MODES {
            let c = MerchantConfig::parse(&format!(
                "[plan_change.upgrade]\nproration_billing_mode = \"{mode}\"\n"
            ))
            .unwrap();
            assert!(c.plan_change.warnings().is_empty(), "{mode}");
        }
        let c = MerchantConfig::parse(
            "[plan_change.downgrade]\nproration_billing_mode = \"prorated_next_tuesday\"\n",
        )
        .unwrap();
        let warnings = c.plan_change.warnings();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("plan_change.downgrade.proration_billing_mode"));
        assert!(warnings[0].contains("prorated_next_tuesday"));
    }

    #[test]
    fn bad_settings_name_their_key() {
        assert_eq!(
            err("[plan_change.upgrade]\nproration_billing_mode = \"Pro-rated\"\n").0,
            "plan_change.upgrade.proration_billing_mode"
        );
        assert_eq!(
            err("[plan_change.downgrade]\neffective_at = \"tomorrow\"\n").0,
            "plan_change.downgrade.effective_at"
        );
        assert_eq!(
            err("[plan_change]\non_payment_failure = \"retry\"\n").0,
            "plan_change.on_payment_failure"
        );
        assert_eq!(
            err("[plan_change.business_defaults]\non_payment_failure = \"x\"\n").0,
            "plan_change.business_defaults.on_payment_failure"
        );
        assert_eq!(
            err("[plan_change]\ncache_seconds = 0\n").0,
            "plan_change.cache_seconds"
        );
        assert_eq!(
            err("[[plan_change.families]]\nid = \"x\"\n").0,
            "plan_change.families[0].tiers"
        );
        assert_eq!(
            err("[[plan_change.families]]\nid = \"x\"\ncollection = \"col_1\"\n").0,
            "plan_change.families[0].collection"
        );
        assert_eq!(
            err(&FAMILY.replace("pdt_b", "pdt_a")).0,
            "plan_change.families[0].tiers[1].plans[0]"
        );
        assert_eq!(
            err(&format!("{FAMILY}{FAMILY}")).0,
            "plan_change.families[1].id"
        );
        assert_eq!(
            err(&format!(
                "{FAMILY}[plan_change.families.overrides.upgrade]\neffective_at = \"later\"\n"
            ))
            .0,
            "plan_change.families[0].overrides.upgrade.effective_at"
        );
        assert_eq!(
            err(&format!(
                "{FAMILY}[plan_change.families.downsell]\nproduct = \"pdt_a\"\nfrom = [\"pdt_a\"]\nheadline = \"H\"\n"
            ))
            .0,
            "plan_change.families[0].downsell.product"
        );
        assert_eq!(
            err(&FAMILY.replace("name = \"B\"", "name = \"B\"\nmax_quantity = 0")).0,
            "plan_change.families[0].tiers[1].max_quantity"
        );
        assert_eq!(
            err(&format!(
                "{FAMILY}[[plan_change.families.blocked]]\nto = []\n"
            ))
            .0,
            "plan_change.families[0].blocked[0].to"
        );
    }

    #[test]
    fn a_family_of_one_plan_warns_with_its_key() {
        let one = "[[plan_change.families]]\nid = \"solo\"\n[[plan_change.families.tiers]]\nname = \"A\"\nplans = [\"pdt_a\"]\n";
        let c = MerchantConfig::parse(one).unwrap();
        let w = c.plan_change.warnings();
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("plan_change.families[0] (`solo`)"),
            "{}",
            w[0]
        );
        assert!(
            MerchantConfig::parse(FAMILY)
                .unwrap()
                .plan_change
                .warnings()
                .is_empty()
        );
    }

    #[test]
    fn lookups() {
        let c = MerchantConfig::parse(&format!(
            "{FAMILY}[[plan_change.families.blocked]]\nfrom = [\"pdt_b\"]\nto = [\"pdt_a\"]\nreason = \"Call us\"\n\
             [[plan_change.families]]\nid = \"c\"\ncollection = \"pcol_x\"\n"
        ))
        .unwrap()
        .plan_change;
        let f = c.configured_family_of("pdt_b").expect("family");
        assert_eq!(f.id, "f");
        assert_eq!(
            f.tier_of("pdt_b").map(|(i, t)| (i, t.name.as_str())),
            Some((1, "B"))
        );
        assert_eq!(f.blocked_reason("pdt_b", "pdt_a"), Some(Some("Call us")));
        assert_eq!(f.blocked_reason("pdt_a", "pdt_b"), None);
        assert_eq!(
            c.family_for_collection("pcol_x").map(|f| f.id.as_str()),
            Some("c")
        );
        assert!(c.configured_family_of("pdt_z").is_none());
        assert_eq!(
            c.product_references(),
            vec![
                (
                    "plan_change.families[0].tiers[0].plans[0]".to_string(),
                    "pdt_a".to_string()
                ),
                (
                    "plan_change.families[0].tiers[1].plans[0]".to_string(),
                    "pdt_b".to_string()
                ),
            ]
        );
    }
}
