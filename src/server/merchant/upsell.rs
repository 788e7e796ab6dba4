//! Post-purchase upsell rules: after a customer buys a trigger product, offer another product
//! on the saved card, with an optional downsell after "No thanks".

use super::{Invalid, check_id, check_products, check_rule_id};
use serde::Deserialize;

/// Dodo keeps a confirmed one-click session for 15 minutes; an offer never outlives that.
pub const DEFAULT_OFFER_WINDOW_MINUTES: u32 = 15;
pub const MAX_OFFERS_PER_PURCHASE: u32 = 3;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpsellConfig {
    /// How long after the purchase the offer can be accepted.
    #[serde(default = "default_window")]
    pub offer_window_minutes: u32,
    /// Offers shown one after another after one purchase (1–3). An accept leads to the next
    /// rule that matches; a decline leads to that rule's downsell.
    #[serde(default = "default_max_offers")]
    pub max_offers_per_purchase: u32,
    /// After "No thanks", the same product is not offered again to that customer for this long.
    #[serde(default = "default_cooloff")]
    pub cooloff_days: u32,
    /// Where "Done" / "Continue" goes when there is nothing more to offer.
    #[serde(default = "default_continue_url")]
    pub continue_url: String,
    /// For this long after a one-click purchase (on Dodo's clock) the customer may undo it: a
    /// full refund. 0 turns undo off.
    #[serde(default = "default_undo")]
    pub undo_minutes: u32,
    #[serde(default)]
    pub rules: Vec<UpsellRule>,
}

/// The longest undo window: a refund is a support matter after a day.
pub const MAX_UNDO_MINUTES: u32 = 24 * 60;

impl Default for UpsellConfig {
    fn default() -> Self {
        UpsellConfig {
            offer_window_minutes: default_window(),
            max_offers_per_purchase: default_max_offers(),
            cooloff_days: default_cooloff(),
            continue_url: default_continue_url(),
            undo_minutes: default_undo(),
            rules: Vec::new(),
        }
    }
}

fn default_window() -> u32 {
    DEFAULT_OFFER_WINDOW_MINUTES
}
fn default_max_offers() -> u32 {
    1
}
fn default_cooloff() -> u32 {
    30
}
fn default_undo() -> u32 {
    10
}
fn default_continue_url() -> String {
    "/".into()
}

/// What the customer reads about an offered product.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferCopy {
    pub product: String,
    pub headline: String,
    /// What the customer gets over what they bought.
    #[serde(default)]
    pub value_points: Vec<String>,
    /// e.g. "Most popular upgrade".
    #[serde(default)]
    pub badge: Option<String>,
    /// Shown struck through next to Dodo's price, in minor units of the product's currency;
    /// must be higher than the price (display only: Dodo prices the charge).
    #[serde(default)]
    pub compare_at_minor: Option<i64>,
    /// The copy in Indonesian (`[….offer.id]`): what it gives replaces the text above for
    /// customers reading Indonesian; what it leaves out stays as above.
    #[serde(default)]
    pub id: Option<CopyText>,
    /// The copy in Hindi (`[….offer.hi]`), as for `id`.
    #[serde(default)]
    pub hi: Option<CopyText>,
}

/// An offer's words in one more language.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyText {
    pub headline: Option<String>,
    pub value_points: Option<Vec<String>>,
    pub badge: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpsellRule {
    pub id: String,
    /// Buying any of these triggers the offer.
    pub trigger_products: Vec<String>,
    pub offer: OfferCopy,
    /// Offered after "No thanks" on `offer`.
    #[serde(default)]
    pub downsell: Option<OfferCopy>,
}

impl UpsellConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        if !(1..=60).contains(&self.offer_window_minutes) {
            return Err(Invalid::new(
                "upsell.offer_window_minutes",
                format!(
                    "{} is outside 1–60 (Dodo keeps a confirmed session 15 minutes)",
                    self.offer_window_minutes
                ),
            ));
        }
        if !(1..=MAX_OFFERS_PER_PURCHASE).contains(&self.max_offers_per_purchase) {
            return Err(Invalid::new(
                "upsell.max_offers_per_purchase",
                format!(
                    "{} is outside 1–{MAX_OFFERS_PER_PURCHASE}",
                    self.max_offers_per_purchase
                ),
            ));
        }
        if self.cooloff_days > 3650 {
            return Err(Invalid::new("upsell.cooloff_days", "more than ten years"));
        }
        if self.undo_minutes > MAX_UNDO_MINUTES {
            return Err(Invalid::new(
                "upsell.undo_minutes",
                format!(
                    "{} is more than a day ({MAX_UNDO_MINUTES})",
                    self.undo_minutes
                ),
            ));
        }
        let continue_ok = self.continue_url.starts_with('/')
            && !self.continue_url.starts_with("//")
            || self.continue_url.starts_with("https://")
            || self.continue_url.starts_with("http://");
        if !continue_ok {
            return Err(Invalid::new(
                "upsell.continue_url",
                format!(
                    "`{}` must be a path (/thanks) or an http(s) URL",
                    self.continue_url
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let key = format!("upsell.rules[{i}]");
            check_rule_id(&key, &rule.id, &mut seen)?;
            check_products(&format!("{key}.trigger_products"), &rule.trigger_products)?;
            rule.offer.validate(&format!("{key}.offer"))?;
            if let Some(downsell) = &rule.downsell {
                downsell.validate(&format!("{key}.downsell"))?;
                if downsell.product == rule.offer.product {
                    return Err(Invalid::new(
                        format!("{key}.downsell.product"),
                        "is the same as the offer",
                    ));
                }
            }
            if rule.trigger_products.contains(&rule.offer.product) {
                return Err(Invalid::new(
                    format!("{key}.offer.product"),
                    "is also a trigger product",
                ));
            }
        }
        Ok(())
    }

    pub fn product_references(&self) -> Vec<(String, String)> {
        let mut refs = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            for (j, p) in rule.trigger_products.iter().enumerate() {
                refs.push((
                    format!("upsell.rules[{i}].trigger_products[{j}]"),
                    p.clone(),
                ));
            }
            refs.push((
                format!("upsell.rules[{i}].offer.product"),
                rule.offer.product.clone(),
            ));
            if let Some(d) = &rule.downsell {
                refs.push((
                    format!("upsell.rules[{i}].downsell.product"),
                    d.product.clone(),
                ));
            }
        }
        refs
    }

    /// The rules a purchase of `product_id` triggers, in file order.
    pub fn rules_for(&self, product_id: &str) -> impl Iterator<Item = &UpsellRule> {
        self.rules
            .iter()
            .filter(move |r| r.trigger_products.iter().any(|p| p == product_id))
    }
}

/// A "Continue" target: a path on this site or an http(s) URL (never `javascript:` and the like).
pub fn check_continue_url(key: &str, url: &str) -> Result<(), Invalid> {
    let ok = url.starts_with('/') && !url.starts_with("//")
        || url.starts_with("https://")
        || url.starts_with("http://");
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            key,
            format!("`{url}` must be a path (/thanks) or an http(s) URL"),
        ))
    }
}

impl OfferCopy {
    /// This copy as a customer reading `locale` sees it: the language's variant where the
    /// merchant wrote one, the default text elsewhere.
    pub fn in_locale(&self, locale: crate::i18n::Locale) -> OfferCopy {
        use crate::i18n::Locale;
        let variant = match locale.language() {
            Locale::Id => self.id.as_ref(),
            Locale::Hi => self.hi.as_ref(),
            Locale::En | Locale::EnIn => None,
        };
        let mut copy = self.clone();
        if let Some(v) = variant {
            if let Some(headline) = &v.headline {
                copy.headline = headline.clone();
            }
            if let Some(points) = &v.value_points {
                copy.value_points = points.clone();
            }
            if let Some(badge) = &v.badge {
                copy.badge = Some(badge.clone());
            }
        }
        copy
    }

    /// The default copy and each language's version of it, by the same rules.
    fn validate(&self, key: &str) -> Result<(), Invalid> {
        self.validate_text(key)?;
        for (tag, locale) in [
            ("id", crate::i18n::Locale::Id),
            ("hi", crate::i18n::Locale::Hi),
        ] {
            self.in_locale(locale)
                .validate_text(&format!("{key}.{tag}"))?;
        }
        Ok(())
    }

    fn validate_text(&self, key: &str) -> Result<(), Invalid> {
        check_id(&format!("{key}.product"), &self.product, "pdt_")?;
        // Characters, not bytes: a Hindi headline takes three bytes a letter.
        if self.headline.trim().is_empty() || self.headline.chars().count() > 120 {
            return Err(Invalid::new(
                format!("{key}.headline"),
                "must be 1–120 characters",
            ));
        }
        if self.value_points.len() > 6 {
            return Err(Invalid::new(
                format!("{key}.value_points"),
                "at most 6 points",
            ));
        }
        if let Some(badge) = &self.badge
            && (badge.trim().is_empty() || badge.chars().count() > 40)
        {
            return Err(Invalid::new(
                format!("{key}.badge"),
                "must be 1–40 characters",
            ));
        }
        if let Some(compare) = self.compare_at_minor
            && compare <= 0
        {
            return Err(Invalid::new(
                format!("{key}.compare_at_minor"),
                "must be a positive amount in minor units",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::MerchantConfig;

    fn err(toml: &str) -> (String, String) {
        let e = MerchantConfig::parse(toml).unwrap_err();
        (e.key, e.problem)
    }

    const RULE: &str = "[[upsell.rules]]\nid = \"r\"\ntrigger_products = [\"pdt_a\"]\n[upsell.rules.offer]\nproduct = \"pdt_b\"\nheadline = \"H\"\n";

    #[test]
    fn defaults_follow_dodo() {
        let c = MerchantConfig::parse(RULE).unwrap();
        assert_eq!(c.upsell.offer_window_minutes, 15);
        assert_eq!(c.upsell.max_offers_per_purchase, 1);
        assert_eq!(c.upsell.cooloff_days, 30);
        assert_eq!(c.upsell.rules_for("pdt_a").count(), 1);
        assert_eq!(c.upsell.rules_for("pdt_b").count(), 0);
    }

    #[test]
    fn bad_rules_name_their_key() {
        assert_eq!(
            err("[upsell]\nmax_offers_per_purchase = 4\n").0,
            "upsell.max_offers_per_purchase"
        );
        assert_eq!(
            err("[upsell]\ncontinue_url = \"javascript:alert(1)\"\n").0,
            "upsell.continue_url"
        );
        assert_eq!(
            err(&RULE.replace("pdt_b", "prod/b")).0,
            "upsell.rules[0].offer.product"
        );
        assert_eq!(
            err(&RULE.replace("pdt_b", "pdt_a")).0,
            "upsell.rules[0].offer.product"
        );
        assert_eq!(err(&format!("{RULE}{RULE}")).0, "upsell.rules[1].id");
        assert_eq!(
            err(&format!(
                "{RULE}[upsell.rules.downsell]\nproduct = \"pdt_b\"\nheadline = \"D\"\n"
            ))
            .0,
            "upsell.rules[0].downsell.product"
        );
    }

    #[test]
    fn copy_has_variants_per_language_checked_like_the_default() {
        use crate::i18n::Locale;
        let text = format!(
            "{RULE}[upsell.rules.offer.hi]\nheadline = \"एच\"\nbadge = \"बैज\"\n[upsell.rules.offer.id]\nvalue_points = [\"Satu\"]\n"
        );
        let config = MerchantConfig::parse(&text).expect("valid rules").upsell;
        let offer = &config.rules[0].offer;
        let hi = offer.in_locale(Locale::Hi);
        assert_eq!(
            (hi.headline.as_str(), hi.badge.as_deref()),
            ("एच", Some("बैज"))
        );
        let id = offer.in_locale(Locale::Id);
        assert_eq!(
            (id.headline.as_str(), id.value_points.as_slice()),
            ("H", &["Satu".to_string()][..])
        );
        assert_eq!(offer.in_locale(Locale::EnIn).headline, "H");
        // A Hindi headline of 100 letters is 300 bytes, and fine.
        let long = "क".repeat(100);
        let ok = format!("{RULE}[upsell.rules.offer.hi]\nheadline = \"{long}\"\n");
        assert!(MerchantConfig::parse(&ok).is_ok());
        let bad = format!("{RULE}[upsell.rules.offer.hi]\nbadge = \"\"\n");
        let err = MerchantConfig::parse(&bad).unwrap_err();
        assert!(err.key.ends_with("offer.hi.badge"), "{}", err.key);
    }
}
