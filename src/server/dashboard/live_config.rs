//! "What is live": the rules loaded from merchant.toml, each product they name with its name
//! and price at Dodo, and what the startup checks warned about — so a merchant sees what the
//! customers get without reading the file or the logs.

use crate::i18n::Locale;
use crate::money::format_minor;
use crate::server::merchant::MerchantConfig;
use crate::server::offer::selection::offer_price;
use crate::server::state::AppState;
use std::collections::BTreeMap;

/// One loaded rule, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleLine {
    /// "Post-purchase offer", "Cross-sell", "Plan family".
    pub kind: &'static str,
    pub id: String,
    /// What triggers it: the products bought or owned, or the plans of the family.
    pub when: Vec<String>,
    /// What it offers: the offer (and downsell) product, the related products, the tiers.
    pub offers: Vec<String>,
}

/// A product the rules name, as Dodo knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductLine {
    pub id: String,
    /// The merchant.toml keys that name it.
    pub used_by: Vec<String>,
    /// Its name and price at Dodo, or why Dodo could not tell us.
    pub at_dodo: Result<(String, String), String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LiveConfig {
    pub rules: Vec<RuleLine>,
    pub products: Vec<ProductLine>,
    pub warnings: Vec<String>,
}

/// The rules of `config`, in file order (post-purchase, cross-sell, plan families).
pub fn rules(config: &MerchantConfig) -> Vec<RuleLine> {
    let mut lines = Vec::new();
    for rule in &config.upsell.rules {
        let mut offers = vec![format!("offer {}", rule.offer.product)];
        if let Some(downsell) = &rule.downsell {
            offers.push(format!("downsell {}", downsell.product));
        }
        lines.push(RuleLine {
            kind: "Post-purchase offer",
            id: rule.id.clone(),
            when: rule.trigger_products.clone(),
            offers,
        });
    }
    for rule in &config.cross_sell.rules {
        lines.push(RuleLine {
            kind: "Cross-sell",
            id: rule.id.clone(),
            when: rule.owned_products.clone(),
            offers: rule.related.iter().map(|r| r.product.clone()).collect(),
        });
    }
    for family in &config.plan_change.families {
        let mut when: Vec<String> = family
            .collection
            .iter()
            .map(|c| format!("collection {c}"))
            .collect();
        when.extend(family.plan_ids().into_iter().map(str::to_owned));
        lines.push(RuleLine {
            kind: "Plan family",
            id: family.id.clone(),
            when,
            offers: family
                .tiers
                .iter()
                .map(|t| format!("tier {}", t.name))
                .collect(),
        });
    }
    lines
}

/// The live configuration, reading each named product from Dodo (through the shared,
/// briefly cached reads the customer pages use).
pub async fn live_config(state: &AppState) -> LiveConfig {
    let mut used_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, id) in state.merchant.product_references() {
        used_by.entry(id).or_default().push(key);
    }
    let mut products = Vec::with_capacity(used_by.len());
    for (id, keys) in used_by {
        let at_dodo = match state.dodo_reads.product(&id).await {
            Ok(product) => Ok((
                product
                    .name
                    .clone()
                    .unwrap_or_else(|| "(no name at Dodo)".into()),
                match offer_price(&product) {
                    Some((minor, currency)) => format_minor(minor, &currency, Locale::En),
                    None => "pay what you want / usage based".to_string(),
                },
            )),
            Err(e) => Err(e.to_string()),
        };
        products.push(ProductLine {
            id,
            used_by: keys,
            at_dodo,
        });
    }
    LiveConfig {
        rules: rules(&state.merchant),
        products,
        warnings: state.config_warnings.all(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_rules_read_in_file_order() {
        let text = std::fs::read_to_string("merchant.toml").expect("sample merchant.toml");
        let config: MerchantConfig = toml::from_str(&text).expect("parses");
        let lines = rules(&config);
        let first = &lines[0];
        assert_eq!(first.kind, "Post-purchase offer");
        assert_eq!(first.id, "course-to-code-reviews");
        assert_eq!(first.when, ["pdt_demo_course"]);
        assert_eq!(
            first.offers,
            ["offer pdt_demo_addon", "downsell pdt_demo_downsell"]
        );
        assert!(
            lines
                .iter()
                .any(|l| l.kind == "Cross-sell" && l.id == "course-owners")
        );
        assert!(
            lines
                .iter()
                .any(|l| l.kind == "Plan family" && l.id == "demo-plans")
        );
    }
}
