//! What serde cannot check while reading the plan-change rules: keys required together, text
//! lengths, Dodo ids, duplicates, ranges; and the startup warnings that need no call to Dodo.

use super::{MAX_SEATS, PlanChangeConfig, PlanFamily, ProrationMode};
use crate::server::merchant::{Invalid, check_id};
use std::collections::HashSet;

fn check_text(key: &str, text: &str, max: usize) -> Result<(), Invalid> {
    if text.trim().is_empty() || text.chars().count() > max {
        Err(Invalid::new(key, format!("must be 1–{max} characters")))
    } else {
        Ok(())
    }
}

impl PlanChangeConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
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

    /// Problems worth a startup warning that need no call to Dodo: undocumented proration modes
    /// (passed through, but maybe a typo) and families of one plan (nothing to switch to).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut mode = |key: String, value: &Option<ProrationMode>| {
            if let Some(v) = value
                && !v.is_documented()
            {
                out.push(format!(
                    "{key}: proration mode `{}` is not one Dodo documents; it is passed to Dodo as written",
                    v.as_str()
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
            for (lang, text) in [("id", &tier.id), ("hi", &tier.hi)] {
                let Some(text) = text else { continue };
                let lkey = format!("{tkey}.{lang}");
                if let Some(features) = &text.features {
                    if features.len() != tier.features.len() {
                        return Err(Invalid::new(
                            format!("{lkey}.features"),
                            format!(
                                "needs one text for each of the tier's {} features, in the same order",
                                tier.features.len()
                            ),
                        ));
                    }
                    for (f, feature) in features.iter().enumerate() {
                        check_text(&format!("{lkey}.features[{f}]"), feature, 120)?;
                    }
                }
                if let Some(badge) = &text.badge {
                    check_text(&format!("{lkey}.badge"), badge, 40)?;
                }
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
}
