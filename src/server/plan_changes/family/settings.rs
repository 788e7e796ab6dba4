//! How Dodo is asked to bill a switch in each direction: per setting, the first layer that sets
//! it wins — the family's override, the collection's default, the business default, ours.

use super::Direction;
use crate::server::merchant::plan_change::{PlanChangeConfig, PlanFamily};
use dodo_client::ProductCollection;

/// Where a setting came from (for logs and tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Override,
    Collection,
    Business,
    Default,
}

/// How Dodo is asked to bill a switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub proration_billing_mode: String,
    pub effective_at: String,
    pub on_payment_failure: String,
    /// Layers of the three settings above, in that order.
    pub layers: [Layer; 3],
}

impl Settings {
    pub fn scheduled(&self) -> bool {
        self.effective_at == "next_billing_date"
    }
}

/// The billing settings for one direction: override, collection, business, our default.
pub fn settings(
    config: &PlanChangeConfig,
    family: Option<&PlanFamily>,
    collection: Option<&ProductCollection>,
    direction: Direction,
) -> Settings {
    let (ours, over, coll_mode, coll_at) = match direction {
        Direction::Upgrade => (
            &config.upgrade,
            family.map(|f| &f.overrides.upgrade),
            collection.and_then(|c| c.proration_on_upgrade.clone()),
            collection.and_then(|c| c.effective_at_on_upgrade.clone()),
        ),
        Direction::Downgrade => (
            &config.downgrade,
            family.map(|f| &f.overrides.downgrade),
            collection.and_then(|c| c.proration_on_downgrade.clone()),
            collection.and_then(|c| c.effective_at_on_downgrade.clone()),
        ),
    };
    let business = &config.business_defaults;
    let pick = |over: Option<String>,
                coll: Option<String>,
                business: Option<String>,
                ours: Option<String>,
                fallback: &str|
     -> (String, Layer) {
        over.map(|v| (v, Layer::Override))
            .or_else(|| {
                coll.filter(|v| !v.trim().is_empty())
                    .map(|v| (v, Layer::Collection))
            })
            .or_else(|| business.map(|v| (v, Layer::Business)))
            .or_else(|| ours.map(|v| (v, Layer::Default)))
            .unwrap_or_else(|| (fallback.to_owned(), Layer::Default))
    };
    let (mode, l1) = pick(
        over.and_then(|o| o.proration_billing_mode.clone()),
        coll_mode,
        business.proration_billing_mode.clone(),
        ours.proration_billing_mode.clone(),
        "prorated_immediately",
    );
    let (at, l2) = pick(
        over.and_then(|o| o.effective_at.clone()),
        coll_at,
        business.effective_at.clone(),
        ours.effective_at.clone(),
        "immediately",
    );
    let (failure, l3) = pick(
        family.and_then(|f| f.overrides.on_payment_failure.clone()),
        collection.and_then(|c| c.on_payment_failure.clone()),
        business.on_payment_failure.clone(),
        Some(config.on_payment_failure.clone()),
        "prevent_change",
    );
    Settings {
        proration_billing_mode: mode,
        effective_at: at,
        on_payment_failure: failure,
        layers: [l1, l2, l3],
    }
}
