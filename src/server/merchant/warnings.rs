//! What the startup checks found wrong with the merchant's configuration (a product Dodo does
//! not list, a family with one plan, an archived collection), kept for the merchant dashboard
//! as well as logged: a merchant should see what is live without reading our logs.

use std::sync::{Arc, RwLock};

/// The warnings of the startup checks, by the check that raised them. Cheap to clone: every
/// clone shares the list.
#[derive(Clone, Debug, Default)]
pub struct ConfigWarnings {
    inner: Arc<RwLock<Vec<(Check, String)>>>,
}

/// Which startup check a warning comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// merchant.toml's products against Dodo's catalogue.
    Products,
    /// The plan families against Dodo's collections and plans.
    PlanFamilies,
}

impl ConfigWarnings {
    /// Replaces what `check` found (a check that runs again replaces its earlier findings).
    pub fn set(&self, check: Check, warnings: Vec<String>) {
        // A poisoned lock only means a writer panicked mid-replace; the list is still usable.
        let mut all = self.inner.write().unwrap_or_else(|e| e.into_inner());
        all.retain(|(c, _)| *c != check);
        all.extend(warnings.into_iter().map(|w| (check, w)));
    }

    /// Every warning, in the order the checks reported them.
    pub fn all(&self) -> Vec<String> {
        let all = self.inner.read().unwrap_or_else(|e| e.into_inner());
        all.iter().map(|(_, w)| w.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_replaces_only_its_own_findings() {
        let warnings = ConfigWarnings::default();
        warnings.set(Check::Products, vec!["a".into(), "b".into()]);
        warnings.set(Check::PlanFamilies, vec!["c".into()]);
        assert_eq!(warnings.all(), ["a", "b", "c"]);
        warnings.clone().set(Check::Products, vec!["d".into()]);
        assert_eq!(warnings.all(), ["c", "d"], "clones share the list");
    }
}
