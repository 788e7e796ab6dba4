//! Cross-sell rules: customers who own a product are offered related products, bought with one
//! click on their saved card.

use super::{Invalid, OfferCopy, check_id, check_products, check_rule_id};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossSellConfig {
    /// Where "Continue" goes from a cross-sell (e.g. the merchant's account page).
    #[serde(default = "default_continue_url")]
    pub continue_url: String,
    #[serde(default)]
    pub rules: Vec<CrossSellRule>,
}

impl Default for CrossSellConfig {
    fn default() -> Self {
        CrossSellConfig {
            continue_url: default_continue_url(),
            rules: Vec::new(),
        }
    }
}

fn default_continue_url() -> String {
    "/".into()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossSellRule {
    pub id: String,
    /// Customers who bought any of these see the related products.
    pub owned_products: Vec<String>,
    pub related: Vec<OfferCopy>,
}

/// A related product as shown (same copy fields as an upsell offer).
pub type RelatedProduct = OfferCopy;

impl CrossSellConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        super::upsell::check_continue_url("cross_sell.continue_url", &self.continue_url)?;
        let mut seen = std::collections::HashSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let key = format!("cross_sell.rules[{i}]");
            check_rule_id(&key, &rule.id, &mut seen)?;
            check_products(&format!("{key}.owned_products"), &rule.owned_products)?;
            if rule.related.is_empty() {
                return Err(Invalid::new(
                    format!("{key}.related"),
                    "needs at least one product",
                ));
            }
            for (j, related) in rule.related.iter().enumerate() {
                check_id(
                    &format!("{key}.related[{j}].product"),
                    &related.product,
                    "pdt_",
                )?;
                if related.headline.trim().is_empty() {
                    return Err(Invalid::new(
                        format!("{key}.related[{j}].headline"),
                        "must not be empty",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The related products offered to someone who owns `owned`, in file order, each once,
    /// with the rule that offers it.
    pub fn related_for<'a>(
        &'a self,
        owned: &[String],
    ) -> Vec<(&'a CrossSellRule, &'a RelatedProduct)> {
        let mut out: Vec<(&CrossSellRule, &RelatedProduct)> = Vec::new();
        for rule in &self.rules {
            if !rule.owned_products.iter().any(|p| owned.contains(p)) {
                continue;
            }
            for related in &rule.related {
                if !owned.contains(&related.product)
                    && !out.iter().any(|(_, r)| r.product == related.product)
                {
                    out.push((rule, related));
                }
            }
        }
        out
    }

    pub fn product_references(&self) -> Vec<(String, String)> {
        let mut refs = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            for (j, p) in rule.owned_products.iter().enumerate() {
                refs.push((
                    format!("cross_sell.rules[{i}].owned_products[{j}]"),
                    p.clone(),
                ));
            }
            for (j, r) in rule.related.iter().enumerate() {
                refs.push((
                    format!("cross_sell.rules[{i}].related[{j}].product"),
                    r.product.clone(),
                ));
            }
        }
        refs
    }
}
