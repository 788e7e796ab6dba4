//! The merchant's rules: which offers follow which purchases, which products are cross-sold to
//! whom, and how subscribers may switch plans. Read from a TOML file at startup
//! (`MERCHANT_CONFIG`, default `merchant.toml`); any problem stops the server with one line
//! naming the file, the key and what is wrong.

pub mod cross_sell;
pub mod plan_change;
pub mod upsell;
pub mod warnings;

use serde::Deserialize;
use std::path::Path;

pub use cross_sell::{CrossSellConfig, CrossSellRule, RelatedProduct};
pub use plan_change::PlanChangeConfig;
pub use upsell::{OfferCopy, UpsellConfig, UpsellRule};
pub use warnings::{Check, ConfigWarnings};

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantConfig {
    /// The language for customers whose browser asks for none we have and who have no
    /// `preferred_locale` at Dodo: `en`, `en-IN`, `id` or `hi` (default `en`).
    #[serde(default)]
    pub default_locale: Option<String>,
    #[serde(default)]
    pub upsell: UpsellConfig,
    #[serde(default)]
    pub cross_sell: CrossSellConfig,
    #[serde(default)]
    pub plan_change: PlanChangeConfig,
    #[serde(default)]
    pub products: ProductsConfig,
}

/// What the merchant says about products themselves.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductsConfig {
    /// Products a customer may buy more than once (credits, consumables). Every other product
    /// is bought at most once per customer: once they own it (through any offer, cross-sell,
    /// fallback checkout or a purchase Dodo reported), it is neither offered nor charged again.
    #[serde(default)]
    pub repeatable: Vec<String>,
}

impl ProductsConfig {
    fn validate(&self) -> Result<(), Invalid> {
        for (i, p) in self.repeatable.iter().enumerate() {
            check_id(&format!("products.repeatable[{i}]"), p, "pdt_")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("merchant configuration error: {file}: {key}: {problem}")]
pub struct MerchantConfigError {
    pub file: String,
    pub key: String,
    pub problem: String,
}

/// A problem found while validating, before the file name is known.
#[derive(Debug)]
pub struct Invalid {
    pub key: String,
    pub problem: String,
}

impl Invalid {
    pub fn new(key: impl Into<String>, problem: impl Into<String>) -> Invalid {
        Invalid {
            key: key.into(),
            problem: problem.into(),
        }
    }
}

impl MerchantConfig {
    pub fn load(path: &Path) -> Result<MerchantConfig, MerchantConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| MerchantConfigError {
            file: file.clone(),
            key: "(file)".into(),
            problem: format!("cannot be read: {e}"),
        })?;
        MerchantConfig::parse(&text).map_err(|Invalid { key, problem }| MerchantConfigError {
            file,
            key,
            problem,
        })
    }

    pub fn parse(text: &str) -> Result<MerchantConfig, Invalid> {
        let config: MerchantConfig = toml::from_str(text).map_err(|e| {
            let key = e
                .span()
                .map(|s| locate(text, s.start))
                .unwrap_or_else(|| "(document)".into());
            Invalid::new(key, e.message().to_string())
        })?;
        config.upsell.validate()?;
        config.cross_sell.validate()?;
        config.plan_change.validate()?;
        config.products.validate()?;
        if let Some(tag) = &config.default_locale
            && crate::i18n::Locale::from_tag(tag).is_none()
        {
            return Err(Invalid::new(
                "default_locale",
                format!("`{tag}` is not one of en, en-IN, id, hi"),
            ));
        }
        Ok(config)
    }

    /// The language when nothing about the request or the customer names one we have.
    pub fn default_locale(&self) -> crate::i18n::Locale {
        self.default_locale
            .as_deref()
            .and_then(crate::i18n::Locale::from_tag)
            .unwrap_or_default()
    }

    /// Whether a customer may buy `product_id` more than once.
    pub fn is_repeatable(&self, product_id: &str) -> bool {
        self.products.repeatable.iter().any(|p| p == product_id)
    }

    /// Every product id the rules mention, with the key that mentions it, for the startup check
    /// against Dodo's catalogue.
    pub fn product_references(&self) -> Vec<(String, String)> {
        let mut refs = self.upsell.product_references();
        refs.extend(self.cross_sell.product_references());
        refs.extend(self.plan_change.product_references());
        refs.extend(
            self.products
                .repeatable
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("products.repeatable[{i}]"), p.clone())),
        );
        refs
    }
}

/// Warns, naming the key, about every product the rules mention that Dodo does not list (a
/// typo, another mode's id, an archived product). Offers of such products are skipped, so
/// the server still starts; the warning says why an offer never shows. The warnings are also
/// kept in `warnings` for the merchant dashboard.
pub async fn warn_about_unknown_products(
    config: &MerchantConfig,
    dodo: &dodo_client::DodoClient,
    warnings: &ConfigWarnings,
) {
    let products = match dodo.products().await {
        Ok(products) => products,
        Err(e) => {
            let problem = format!("cannot check merchant.toml's products against Dodo: {e}");
            tracing::warn!("{problem}");
            warnings.set(Check::Products, vec![problem]);
            return;
        }
    };
    let mut found = Vec::new();
    for (key, id) in config.product_references() {
        if !products.iter().any(|p| p.id == id) {
            let problem = format!(
                "{key}: product {id} is not in Dodo's catalogue (unknown or archived); it is skipped"
            );
            tracing::warn!("merchant configuration: {problem}");
            found.push(problem);
        }
    }
    warnings.set(Check::Products, found);
}

/// "line N" for a byte offset, so a TOML error points at the place in the file.
fn locate(text: &str, offset: usize) -> String {
    let line = text[..offset.min(text.len())].matches('\n').count() + 1;
    let key = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.split('=').next())
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.starts_with('['))
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    format!("line {line}{key}")
}

/// A rule's id: not empty, and not used by an earlier rule of the same list (`seen`).
pub fn check_rule_id<'a>(
    key: &str,
    id: &'a str,
    seen: &mut std::collections::HashSet<&'a str>,
) -> Result<(), Invalid> {
    if id.trim().is_empty() || !seen.insert(id) {
        return Err(Invalid::new(
            format!("{key}.id"),
            format!("`{id}` is empty or used twice"),
        ));
    }
    Ok(())
}

/// A non-empty list of Dodo product ids.
pub fn check_products(key: &str, products: &[String]) -> Result<(), Invalid> {
    if products.is_empty() {
        return Err(Invalid::new(key, "needs at least one product"));
    }
    for (j, p) in products.iter().enumerate() {
        check_id(&format!("{key}[{j}]"), p, "pdt_")?;
    }
    Ok(())
}

/// A Dodo id as the rules may use it: a prefix and URL-safe characters.
pub fn check_id(key: &str, id: &str, prefix: &str) -> Result<(), Invalid> {
    let ok = id.starts_with(prefix)
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            key,
            format!("`{id}` is not a Dodo id starting with {prefix}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_sample_is_valid() {
        let config = MerchantConfig::load(Path::new("merchant.toml")).expect("merchant.toml");
        assert!(!config.upsell.rules.is_empty());
        assert!(
            config
                .product_references()
                .iter()
                .all(|(_, id)| id.starts_with("pdt_"))
        );
    }

    #[test]
    fn syntax_errors_name_the_line_and_key() {
        let err = MerchantConfig::parse("[upsell]\noffer_window_minutes = \"soon\"\n").unwrap_err();
        assert!(err.key.contains("line 2"), "{}", err.key);
        assert!(err.key.contains("offer_window_minutes"), "{}", err.key);
        let err = MerchantConfig::parse("[upsell]\nofer_window_minutes = 5\n").unwrap_err();
        assert!(
            err.problem.contains("ofer_window_minutes"),
            "{}",
            err.problem
        );
    }

    #[test]
    fn default_locale_is_checked_and_read() {
        use crate::i18n::Locale;
        assert_eq!(
            MerchantConfig::parse("").unwrap().default_locale(),
            Locale::En
        );
        let hi = MerchantConfig::parse("default_locale = \"hi-IN\"\n").unwrap();
        assert_eq!(hi.default_locale(), Locale::Hi);
        let err = MerchantConfig::parse("default_locale = \"fr\"\n").unwrap_err();
        assert_eq!(err.key, "default_locale");
        assert!(err.problem.contains("`fr`"), "{}", err.problem);
    }
}
