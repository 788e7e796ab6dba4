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
//! The values themselves are checked while the file is read (`values.rs`); what serde cannot
//! see — required keys, lengths, ids, duplicates — is checked after (`validate.rs`).

mod validate;
mod values;

pub use values::{KNOWN_PRORATION_MODES, ProrationMode};

use crate::server::attempts::plan_change::{EffectiveAt, OnPaymentFailure};
use serde::Deserialize;
use values::{documented, documented_option};

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
    #[serde(
        default = "default_on_payment_failure",
        deserialize_with = "documented"
    )]
    pub on_payment_failure: OnPaymentFailure,
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
        proration_billing_mode: Some(ProrationMode::documented("prorated_immediately")),
        effective_at: Some(EffectiveAt::Immediately),
    }
}
fn default_downgrade() -> ChangeRule {
    ChangeRule {
        proration_billing_mode: Some(ProrationMode::documented("difference_immediately")),
        effective_at: Some(EffectiveAt::NextBillingDate),
    }
}
fn default_on_payment_failure() -> OnPaymentFailure {
    OnPaymentFailure::PreventChange
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
    pub proration_billing_mode: Option<ProrationMode>,
    #[serde(default, deserialize_with = "documented_option")]
    pub effective_at: Option<EffectiveAt>,
}

/// A mirror of the Dodo business plan-change settings (both directions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessDefaults {
    #[serde(default)]
    pub proration_billing_mode: Option<ProrationMode>,
    #[serde(default, deserialize_with = "documented_option")]
    pub effective_at: Option<EffectiveAt>,
    #[serde(default, deserialize_with = "documented_option")]
    pub on_payment_failure: Option<OnPaymentFailure>,
}

/// Settings that win over the collection and the business defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    #[serde(default)]
    pub upgrade: ChangeRule,
    #[serde(default)]
    pub downgrade: ChangeRule,
    #[serde(default, deserialize_with = "documented_option")]
    pub on_payment_failure: Option<OnPaymentFailure>,
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
    /// `true`: plans priced at zero are not listed (a free plan stays reachable by
    /// cancelling, as the merchant decides). Shown, a switch to one is always scheduled for
    /// the next billing date.
    #[serde(default)]
    pub hide_free_plans: bool,
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
    /// The tier's words in Indonesian (`[….tiers.id]`): what it gives replaces the text above
    /// for customers reading Indonesian; what it leaves out stays as above.
    #[serde(default)]
    pub id: Option<TierText>,
    /// The tier's words in Hindi (`[….tiers.hi]`), as for `id`.
    #[serde(default)]
    pub hi: Option<TierText>,
}

/// A tier's words in one more language.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierText {
    /// One for each of the tier's `features`, in the same order ("you gain / you lose" is
    /// worked out on the default text, then each feature is shown in the reader's language).
    #[serde(default)]
    pub features: Option<Vec<String>>,
    #[serde(default)]
    pub badge: Option<String>,
}

impl Tier {
    fn text_in(&self, locale: crate::i18n::Locale) -> Option<&TierText> {
        use crate::i18n::Locale;
        match locale.language() {
            Locale::Id => self.id.as_ref(),
            Locale::Hi => self.hi.as_ref(),
            Locale::En | Locale::EnIn => None,
        }
    }

    /// `feature`, one of this tier's default `features`, as a reader of `locale` sees it
    /// (the default text where the merchant wrote no translation).
    pub fn feature_in(&self, locale: crate::i18n::Locale, feature: &str) -> String {
        self.text_in(locale)
            .and_then(|t| t.features.as_ref())
            .and_then(|translated| {
                let i = self.features.iter().position(|f| f == feature)?;
                translated.get(i)
            })
            .cloned()
            .unwrap_or_else(|| feature.to_owned())
    }

    /// All of the tier's features in `locale`.
    pub fn features_in(&self, locale: crate::i18n::Locale) -> Vec<String> {
        self.features
            .iter()
            .map(|f| self.feature_in(locale, f))
            .collect()
    }

    /// The tier's badge in `locale`.
    pub fn badge_in(&self, locale: crate::i18n::Locale) -> Option<String> {
        self.text_in(locale)
            .and_then(|t| t.badge.clone())
            .or_else(|| self.badge.clone())
    }
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

impl PlanChangeConfig {
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
mod tests;
