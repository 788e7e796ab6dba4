//! Which plans a subscriber may switch to, in which direction each switch goes, and how Dodo
//! is asked to bill it. Pure: the facts from Dodo come in, the family comes out (so every rule
//! is unit-tested without a network).
//!
//! Family: the subscription's product → its product collection (when Dodo knows it and it is
//! not archived) → the other active products of the collection's active groups. A product in
//! no usable collection falls back to the configured family listing it. Candidates Dodo does
//! not know, that are archived, not recurring, or in another currency are never offered.

use crate::server::merchant::plan_change::{PlanChangeConfig, PlanFamily, Tier};
use dodo_client::{Interval, Price, Product, ProductCollection, Subscription};
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FamilySource {
    Collection(String),
    Configured(String),
    /// No collection and no configured family: nothing to offer.
    None,
}

/// A plan with what the page needs about it.
#[derive(Clone, Debug)]
pub struct Plan {
    pub product: Product,
    pub amount: i64,
    pub currency: String,
    pub interval: Interval,
    pub interval_count: i64,
    /// Position and tier in the configured family, when it lists the plan.
    pub tier: Option<(usize, Tier)>,
}

impl Plan {
    fn new(product: &Product, family: Option<&PlanFamily>) -> Option<Plan> {
        let Price::Recurring {
            amount,
            currency,
            interval,
            interval_count,
            ..
        } = &product.price
        else {
            return None;
        };
        Some(Plan {
            product: product.clone(),
            amount: *amount,
            currency: currency.clone(),
            interval: interval.clone(),
            interval_count: (*interval_count).max(1),
            tier: family.and_then(|f| f.tier_of(&product.id).map(|(i, t)| (i, t.clone()))),
        })
    }

    pub fn id(&self) -> &str {
        &self.product.id
    }

    pub fn max_quantity(&self) -> i64 {
        self.tier
            .as_ref()
            .map(|(_, t)| i64::from(t.max_quantity))
            .unwrap_or(1)
    }

    /// The price of one year of this plan × `quantity`, in minor units × `interval_count`
    /// (compare with [`Plan::cmp_yearly`]).
    fn per_year(&self, quantity: i64) -> (i128, i128) {
        let periods: i128 = match self.interval {
            Interval::Day => 365,
            Interval::Week => 52,
            Interval::Year => 1,
            _ => 12,
        };
        (
            i128::from(self.amount) * i128::from(quantity) * periods,
            i128::from(self.interval_count),
        )
    }

    /// Compares the yearly cost of `self` × `qa` with `other` × `qb`.
    fn cmp_yearly(&self, qa: i64, other: &Plan, qb: i64) -> std::cmp::Ordering {
        let (a, ac) = self.per_year(qa);
        let (b, bc) = other.per_year(qb);
        (a * bc).cmp(&(b * ac))
    }
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
    pub fn downsell_for(
        &self,
        target: &str,
    ) -> Option<(
        &Alternative,
        &crate::server::merchant::plan_change::Downsell,
    )> {
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

/// Which way `from` × `from_qty` → `to` × `to_qty` goes. Tiers decide when both plans have
/// one; inside a tier (monthly ↔ yearly) the larger bill per period is the upgrade; otherwise
/// the yearly cost decides.
pub fn direction(from: &Plan, from_qty: i64, to: &Plan, to_qty: i64) -> Direction {
    use std::cmp::Ordering::*;
    if from.id() == to.id() {
        return if to_qty >= from_qty {
            Direction::Upgrade
        } else {
            Direction::Downgrade
        };
    }
    let order = match (&from.tier, &to.tier) {
        (Some((a, _)), Some((b, _))) if a != b => b.cmp(a),
        (Some(_), Some(_)) => (i128::from(to.amount) * i128::from(to_qty))
            .cmp(&(i128::from(from.amount) * i128::from(from_qty))),
        _ => to.cmp_yearly(to_qty, from, from_qty),
    };
    match order {
        Less => Direction::Downgrade,
        Greater | Equal => Direction::Upgrade,
    }
}

/// "Save N% with yearly" for `plan`: compared with a monthly plan of the same tier, when
/// `plan` bills yearly and is cheaper per year. Whole percent, rounded half up.
pub fn yearly_savings_percent(plan: &Plan, family: &Family) -> Option<u32> {
    if plan.interval != Interval::Year {
        return None;
    }
    let (tier_index, _) = plan.tier.as_ref()?;
    let monthly = family
        .current
        .iter()
        .chain(family.options.iter().map(|o| &o.plan))
        .find(|p| {
            p.interval == Interval::Month
                && p.currency == plan.currency
                && p.tier.as_ref().map(|(i, _)| i) == Some(tier_index)
        })?;
    let (yearly_cost, yc) = plan.per_year(1);
    let (monthly_cost, mc) = monthly.per_year(1);
    if monthly_cost <= 0 {
        return None;
    }
    // 100 × (1 − yearly / monthly), in whole percent, half up.
    let yearly_cost = yearly_cost * mc;
    let monthly_cost = monthly_cost * yc;
    let saved = monthly_cost - yearly_cost;
    if saved <= 0 {
        return None;
    }
    let pct = (saved * 200 + monthly_cost) / (monthly_cost * 2);
    u32::try_from(pct).ok().filter(|p| *p > 0)
}

/// Features of `to` that `from` lacks ("you gain"), and the reverse ("you lose").
pub fn feature_diff(from: &Plan, to: &Plan) -> (Vec<String>, Vec<String>) {
    let features = |p: &Plan| -> Vec<String> {
        p.tier
            .as_ref()
            .map(|(_, t)| t.features.clone())
            .unwrap_or_default()
    };
    let (f, t) = (features(from), features(to));
    let gain = t.iter().filter(|x| !f.contains(x)).cloned().collect();
    let lose = f.iter().filter(|x| !t.contains(x)).cloned().collect();
    (gain, lose)
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
