//! How Dodo is asked to bill a switch in each direction: per setting, the first layer that sets
//! it wins — the family's override, the collection's default, the business default, ours.

use super::Direction;
use crate::server::attempts::plan_change::{EffectiveAt, OnPaymentFailure};
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
    /// Passed to Dodo as written (modes Dodo adds later included).
    pub proration_billing_mode: String,
    pub effective_at: EffectiveAt,
    pub on_payment_failure: OnPaymentFailure,
    /// Layers of the three settings above, in that order.
    pub layers: [Layer; 3],
}

impl Settings {
    /// Whether the switch waits for the next billing date.
    pub fn scheduled(&self) -> bool {
        self.effective_at == EffectiveAt::NextBillingDate
    }
}

/// The billing settings for one direction: override, collection, business, our default.
pub fn settings(
    config: &PlanChangeConfig,
    family: Option<&PlanFamily>,
    collection: Option<&ProductCollection>,
    direction: Direction,
) -> Settings {
    let (ours, over, collection_mode, collection_at) = match direction {
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
    let (mode, mode_layer) = first_set(
        [
            over.and_then(|o| o.proration_billing_mode.clone())
                .map(String::from),
            from_dodo(collection_mode),
            business.proration_billing_mode.clone().map(String::from),
            ours.proration_billing_mode.clone().map(String::from),
        ],
        "prorated_immediately".to_owned(),
    );
    let (at, at_layer) = first_set(
        [
            over.and_then(|o| o.effective_at.clone()),
            from_dodo(collection_at).map(|v| EffectiveAt::parse(&v)),
            business.effective_at.clone(),
            ours.effective_at.clone(),
        ],
        EffectiveAt::Immediately,
    );
    let (failure, failure_layer) = first_set(
        [
            family.and_then(|f| f.overrides.on_payment_failure.clone()),
            from_dodo(collection.and_then(|c| c.on_payment_failure.clone()))
                .map(|v| OnPaymentFailure::parse(&v)),
            business.on_payment_failure.clone(),
            Some(config.on_payment_failure.clone()),
        ],
        OnPaymentFailure::PreventChange,
    );
    Settings {
        proration_billing_mode: mode,
        effective_at: at,
        on_payment_failure: failure,
        layers: [mode_layer, at_layer, failure_layer],
    }
}

/// A collection's default as Dodo gives it: `null` (or blank) inherits; any other value is
/// kept, including one Dodo adds later.
fn from_dodo(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// The first layer that sets the value, in the order override, collection, business, ours;
/// `fallback` (counted as ours) when none does.
fn first_set<T>([over, collection, business, ours]: [Option<T>; 4], fallback: T) -> (T, Layer) {
    [
        (over, Layer::Override),
        (collection, Layer::Collection),
        (business, Layer::Business),
        (ours, Layer::Default),
    ]
    .into_iter()
    .find_map(|(value, layer)| value.map(|v| (v, layer)))
    .unwrap_or((fallback, Layer::Default))
}
