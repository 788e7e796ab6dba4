//! Which plans a subscriber may switch to, in which direction each switch goes, and how Dodo
//! is asked to bill it. Pure: the facts from Dodo come in, the family comes out (so every rule
//! is unit-tested without a network).
//!
//! Family: the subscription's product → its product collection (when Dodo knows it and it is
//! not archived) → the other active products of the collection's active groups. A product in
//! no usable collection falls back to the configured family listing it. Candidates Dodo does
//! not know, that are archived, not recurring, or in another currency are never offered.

mod direction;
mod plan;
mod settings;
#[cfg(test)]
pub(crate) mod tests;

pub use direction::{Direction, direction};
pub use plan::{Plan, feature_diff, yearly_savings_percent};
pub use settings::{Layer, Settings, settings};

use crate::server::merchant::plan_change::{Downsell, PlanChangeConfig, PlanFamily};
use dodo_client::{Product, ProductCollection, Subscription};
use std::collections::{HashMap, HashSet};

/// What the resolution needs to know from Dodo.
#[derive(Clone, Debug)]
pub struct Facts {
    pub subscription: Subscription,
    /// The products Dodo answered for (the subscription's own and every candidate).
    pub products: HashMap<String, Product>,
    /// The collection of the subscription's product, when it has one Dodo returned.
    pub collection: Option<ProductCollection>,
    /// Ids of archived collections.
    pub archived_collections: HashSet<String>,
    /// Ids of the products Dodo lists as not archived; `None` when the list was unavailable.
    pub active_products: Option<HashSet<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FamilySource {
    Collection(String),
    Configured(String),
    /// No collection and no configured family: nothing to offer.
    None,
}

/// Why a switch is not offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// The family does not allow downgrades online.
    DowngradesOff,
    /// A `blocked` rule, with the merchant's reason when given.
    Rule(Option<String>),
}

#[derive(Clone, Debug)]
pub struct Alternative {
    pub plan: Plan,
    pub direction: Direction,
    pub blocked: Option<Blocked>,
}

/// A subscription's plan family, resolved.
#[derive(Clone, Debug)]
pub struct Family {
    pub source: FamilySource,
    pub config: Option<PlanFamily>,
    /// `None` when Dodo does not know the subscription's product (nothing is offered).
    pub current: Option<Plan>,
    /// The other plans, lowest first.
    pub options: Vec<Alternative>,
    pub upgrade: Settings,
    pub downgrade: Settings,
    /// Seats the subscription has now.
    pub current_quantity: i64,
}

impl Family {
    pub fn settings(&self, direction: Direction) -> &Settings {
        match direction {
            Direction::Upgrade => &self.upgrade,
            Direction::Downgrade => &self.downgrade,
        }
    }

    /// Whether the merchant lets customers move down (`allow_downgrades`, on by default).
    pub fn downgrades_allowed(&self) -> bool {
        self.config.as_ref().is_none_or(|f| f.allow_downgrades)
    }

    pub fn option(&self, product_id: &str) -> Option<&Alternative> {
        self.options.iter().find(|o| o.plan.id() == product_id)
    }

    /// The direction of switching to `product_id` × `quantity` (a seat change on the current
    /// plan included); `None` for "no change" or an unknown plan.
    pub fn direction_to(&self, product_id: &str, quantity: i64) -> Option<Direction> {
        let current = self.current.as_ref()?;
        let from_qty = self.current_quantity;
        if current.id() == product_id {
            return match quantity.cmp(&from_qty) {
                std::cmp::Ordering::Greater => Some(Direction::Upgrade),
                std::cmp::Ordering::Less => Some(Direction::Downgrade),
                std::cmp::Ordering::Equal => None,
            };
        }
        let target = &self.option(product_id)?.plan;
        Some(direction(current, from_qty, target, quantity))
    }

    /// The plan at `product_id` (current or alternative).
    pub fn plan(&self, product_id: &str) -> Option<&Plan> {
        match &self.current {
            Some(c) if c.id() == product_id => Some(c),
            _ => self.option(product_id).map(|o| &o.plan),
        }
    }

    /// The configured downsell to offer before a downgrade to `target`, if any applies.
    pub fn downsell_for(&self, target: &str) -> Option<(&Alternative, &Downsell)> {
        let current = self.current.as_ref()?;
        let downsell = self.config.as_ref()?.downsell.as_ref()?;
        if downsell.product == target || downsell.product == current.id() {
            return None;
        }
        if !downsell.from.is_empty() && !downsell.from.iter().any(|f| f == current.id()) {
            return None;
        }
        if self.direction_to(target, self.current_quantity) != Some(Direction::Downgrade) {
            return None;
        }
        let option = self.option(&downsell.product)?;
        option.blocked.is_none().then_some((option, downsell))
    }
}

/// Resolves the family of `facts.subscription`.
pub fn resolve(config: &PlanChangeConfig, facts: &Facts) -> Family {
    let sub = &facts.subscription;
    let current_id = sub.product_id.as_str();
    let collection = facts
        .collection
        .as_ref()
        .filter(|c| !facts.archived_collections.contains(&c.id));

    let (source, family_config, candidates): (FamilySource, Option<&PlanFamily>, Vec<String>) =
        match collection {
            Some(c) => {
                let mut ids = Vec::new();
                for group in c.groups.iter().filter(|g| g.active) {
                    for p in group.products.iter().filter(|p| p.active) {
                        if p.product_id != current_id && !ids.contains(&p.product_id) {
                            ids.push(p.product_id.clone());
                        }
                    }
                }
                (
                    FamilySource::Collection(c.id.clone()),
                    config.family_for_collection(&c.id),
                    ids,
                )
            }
            None => match config.configured_family_of(current_id) {
                Some(f) => (
                    FamilySource::Configured(f.id.clone()),
                    Some(f),
                    f.plan_ids()
                        .into_iter()
                        .filter(|p| *p != current_id)
                        .map(str::to_owned)
                        .collect(),
                ),
                None => (FamilySource::None, None, Vec::new()),
            },
        };

    let current = facts
        .products
        .get(current_id)
        .and_then(|p| Plan::new(p, family_config));
    let usable = |id: &str| -> Option<Plan> {
        if let Some(active) = &facts.active_products
            && !active.contains(id)
        {
            return None;
        }
        let plan = Plan::new(facts.products.get(id)?, family_config)?;
        if plan.amount == 0 && family_config.is_some_and(|f| f.hide_free_plans) {
            return None;
        }
        (plan.currency.eq_ignore_ascii_case(&sub.currency)).then_some(plan)
    };
    let mut options: Vec<Alternative> = match &current {
        Some(current) => candidates
            .iter()
            .filter_map(|id| usable(id))
            .map(|plan| {
                let direction = direction(
                    current,
                    sub.quantity,
                    &plan,
                    1.max(sub.quantity.min(plan.max_quantity())),
                );
                let blocked = family_config.and_then(|f| {
                    if let Some(reason) = f.blocked_reason(current_id, plan.id()) {
                        return Some(Blocked::Rule(reason.map(str::to_owned)));
                    }
                    (!f.allow_downgrades && direction == Direction::Downgrade)
                        .then_some(Blocked::DowngradesOff)
                });
                Alternative {
                    plan,
                    direction,
                    blocked,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    // Lowest first: tier order where configured (inside a tier, the smaller bill first:
    // monthly before yearly), then the yearly cost.
    options.sort_by(|a, b| {
        let ta = a.plan.tier.as_ref().map(|(i, _)| *i);
        let tb = b.plan.tier.as_ref().map(|(i, _)| *i);
        match (ta, tb) {
            (Some(x), Some(y)) if x == y => a.plan.amount.cmp(&b.plan.amount),
            _ => ta
                .unwrap_or(usize::MAX)
                .cmp(&tb.unwrap_or(usize::MAX))
                .then_with(|| a.plan.cmp_yearly(1, &b.plan, 1)),
        }
    });

    let collection_for_settings = match &source {
        FamilySource::Collection(_) => collection,
        _ => None,
    };
    Family {
        upgrade: settings(
            config,
            family_config,
            collection_for_settings,
            Direction::Upgrade,
        ),
        downgrade: settings(
            config,
            family_config,
            collection_for_settings,
            Direction::Downgrade,
        ),
        source,
        config: family_config.cloned(),
        current,
        options,
        current_quantity: sub.quantity,
    }
}
