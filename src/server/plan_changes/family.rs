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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::merchant::MerchantConfig;
    use dodo_client::{CollectionGroup, CollectionProduct, SubscriptionStatus};
    use std::collections::BTreeMap;

    fn product(id: &str, amount: i64, interval: Interval, collection: Option<&str>) -> Product {
        Product {
            id: id.into(),
            name: Some(id.trim_start_matches("pdt_").into()),
            description: None,
            image: None,
            is_recurring: true,
            price: Price::Recurring {
                amount,
                currency: "USD".into(),
                discount_percent: 0,
                interval,
                interval_count: 1,
                trial_days: 0,
            },
            product_collection_id: collection.map(str::to_owned),
            tax_inclusive: Some(false),
        }
    }

    fn subscription(product_id: &str, quantity: i64) -> Subscription {
        Subscription {
            id: "sub_1".into(),
            status: SubscriptionStatus::Active,
            customer_id: "cus_1".into(),
            product_id: product_id.into(),
            quantity,
            currency: "USD".into(),
            recurring_pre_tax_amount: 3000,
            interval: Interval::Month,
            interval_count: 1,
            next_billing_date: OffsetDateTimeExt::at(30),
            previous_billing_date: OffsetDateTimeExt::at(0),
            payment_method_id: Some("pm_1".into()),
            cancel_at_next_billing_date: false,
            scheduled_change: None,
            addons: Vec::new(),
            metadata: BTreeMap::new(),
        }
    }

    struct OffsetDateTimeExt;
    impl OffsetDateTimeExt {
        fn at(days: i64) -> time::OffsetDateTime {
            time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(days)
        }
    }

    fn entry(id: &str, active: bool) -> CollectionProduct {
        CollectionProduct {
            product_id: id.into(),
            name: None,
            active,
            price: None,
            currency: Some("USD".into()),
            is_recurring: true,
        }
    }

    /// The sandbox's demo collection: starter, basic, pro, legacy (inactive) monthly; pro yearly.
    fn demo_collection() -> ProductCollection {
        ProductCollection {
            id: "pcol_demo".into(),
            name: "Demo plans".into(),
            groups: vec![
                CollectionGroup {
                    id: "pcg_m".into(),
                    name: Some("Monthly".into()),
                    active: true,
                    products: vec![
                        entry("pdt_starter", true),
                        entry("pdt_basic", true),
                        entry("pdt_pro", true),
                        entry("pdt_legacy", false),
                    ],
                },
                CollectionGroup {
                    id: "pcg_y".into(),
                    name: Some("Yearly".into()),
                    active: true,
                    products: vec![entry("pdt_pro_yearly", true)],
                },
                CollectionGroup {
                    id: "pcg_old".into(),
                    name: None,
                    active: false,
                    products: vec![entry("pdt_retired_group", true)],
                },
            ],
            proration_on_upgrade: Some("prorated_immediately".into()),
            proration_on_downgrade: Some("difference_immediately".into()),
            effective_at_on_upgrade: Some("immediately".into()),
            effective_at_on_downgrade: Some("next_billing_date".into()),
            on_payment_failure: None,
        }
    }

    fn demo_products() -> HashMap<String, Product> {
        let c = Some("pcol_demo");
        [
            product("pdt_starter", 2000, Interval::Month, c),
            product("pdt_basic", 3000, Interval::Month, c),
            product("pdt_pro", 8000, Interval::Month, c),
            product("pdt_pro_yearly", 80000, Interval::Year, c),
            product("pdt_legacy", 2500, Interval::Month, c),
            product("pdt_retired_group", 1000, Interval::Month, c),
            product("pdt_team", 15000, Interval::Month, None),
        ]
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect()
    }

    fn facts(product_id: &str, collection: Option<ProductCollection>) -> Facts {
        Facts {
            subscription: subscription(product_id, 1),
            products: demo_products(),
            collection,
            archived_collections: HashSet::new(),
            active_products: None,
        }
    }

    const TIERS: &str = r#"
[plan_change.business_defaults]
proration_billing_mode = "full_immediately"
on_payment_failure = "apply_change"

[[plan_change.families]]
id = "demo"
collection = "pcol_demo"
[[plan_change.families.tiers]]
name = "Starter"
plans = ["pdt_starter"]
features = ["Forum"]
[[plan_change.families.tiers]]
name = "Basic"
plans = ["pdt_basic"]
features = ["Forum", "Workbooks"]
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_pro", "pdt_pro_yearly"]
features = ["Forum", "Workbooks", "Live Q&A"]
[plan_change.families.downsell]
from = ["pdt_pro"]
product = "pdt_pro_yearly"
headline = "Stay on Pro for less"

[[plan_change.families]]
id = "teams"
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_pro"]
[[plan_change.families.tiers]]
name = "Team"
plans = ["pdt_team"]
max_quantity = 20
"#;

    fn config(extra: &str) -> PlanChangeConfig {
        MerchantConfig::parse(&format!("{TIERS}{extra}"))
            .expect("config")
            .plan_change
    }

    fn ids(family: &Family) -> Vec<&str> {
        family.options.iter().map(|o| o.plan.id()).collect()
    }

    #[test]
    fn a_collection_offers_exactly_its_other_active_plans_lowest_first() {
        let family = resolve(&config(""), &facts("pdt_basic", Some(demo_collection())));
        assert_eq!(family.source, FamilySource::Collection("pcol_demo".into()));
        assert_eq!(ids(&family), ["pdt_starter", "pdt_pro", "pdt_pro_yearly"]);
        let dirs: Vec<_> = family.options.iter().map(|o| o.direction).collect();
        assert_eq!(
            dirs,
            [Direction::Downgrade, Direction::Upgrade, Direction::Upgrade]
        );
    }

    #[test]
    fn collection_defaults_win_over_business_and_ours_and_null_inherits() {
        let family = resolve(&config(""), &facts("pdt_basic", Some(demo_collection())));
        assert_eq!(
            family.upgrade.proration_billing_mode,
            "prorated_immediately"
        );
        assert_eq!(family.upgrade.effective_at, "immediately");
        assert_eq!(
            family.downgrade.proration_billing_mode,
            "difference_immediately"
        );
        assert!(family.downgrade.scheduled());
        // The collection's on_payment_failure is null: the business default applies.
        assert_eq!(family.upgrade.on_payment_failure, "apply_change");
        assert_eq!(
            family.upgrade.layers,
            [Layer::Collection, Layer::Collection, Layer::Business]
        );
    }

    #[test]
    fn null_collection_defaults_fall_to_business_then_ours() {
        let mut c = demo_collection();
        c.proration_on_upgrade = None;
        c.effective_at_on_downgrade = None;
        let family = resolve(&config(""), &facts("pdt_basic", Some(c)));
        assert_eq!(family.upgrade.proration_billing_mode, "full_immediately");
        assert_eq!(family.upgrade.layers[0], Layer::Business);
        // No business effective_at: our downgrade default.
        assert_eq!(family.downgrade.effective_at, "next_billing_date");
        assert_eq!(family.downgrade.layers[1], Layer::Default);
        let bare = resolve(
            &MerchantConfig::parse("").unwrap().plan_change,
            &facts(
                "pdt_basic",
                Some(ProductCollection {
                    proration_on_upgrade: None,
                    ..demo_collection()
                }),
            ),
        );
        assert_eq!(bare.upgrade.proration_billing_mode, "prorated_immediately");
        assert_eq!(bare.upgrade.on_payment_failure, "prevent_change");
        assert_eq!(
            bare.upgrade.layers,
            [Layer::Default, Layer::Collection, Layer::Default]
        );
    }

    #[test]
    fn an_override_wins_and_unknown_modes_pass_through() {
        let text = TIERS.replace(
            "[plan_change.families.downsell]",
            "[plan_change.families.overrides]\non_payment_failure = \"prevent_change\"\n[plan_change.families.overrides.upgrade]\nproration_billing_mode = \"prorated_next_tuesday\"\n[plan_change.families.downsell]",
        );
        let c = MerchantConfig::parse(&text).expect("config").plan_change;
        let family = resolve(&c, &facts("pdt_basic", Some(demo_collection())));
        assert_eq!(
            family.upgrade.proration_billing_mode,
            "prorated_next_tuesday"
        );
        assert_eq!(family.upgrade.on_payment_failure, "prevent_change");
        assert_eq!(
            family.upgrade.layers,
            [Layer::Override, Layer::Collection, Layer::Override]
        );
        // Downgrades keep the collection's.
        assert_eq!(
            family.downgrade.proration_billing_mode,
            "difference_immediately"
        );
    }

    #[test]
    fn a_product_outside_any_collection_uses_the_configured_family() {
        let family = resolve(&config(""), &facts("pdt_team", None));
        assert_eq!(family.source, FamilySource::Configured("teams".into()));
        assert_eq!(ids(&family), ["pdt_pro"]);
        assert_eq!(family.options[0].direction, Direction::Downgrade);
        // No collection: business defaults, then ours.
        assert_eq!(family.downgrade.proration_billing_mode, "full_immediately");
        assert_eq!(family.downgrade.effective_at, "next_billing_date");
        assert_eq!(family.current.as_ref().map(Plan::max_quantity), Some(20));
        assert_eq!(family.direction_to("pdt_team", 3), Some(Direction::Upgrade));
        assert_eq!(family.direction_to("pdt_team", 1), None);
    }

    #[test]
    fn no_collection_and_no_family_offers_nothing() {
        let family = resolve(
            &MerchantConfig::parse("").unwrap().plan_change,
            &facts("pdt_team", None),
        );
        assert_eq!(family.source, FamilySource::None);
        assert!(family.options.is_empty());
    }

    #[test]
    fn an_archived_collection_falls_back_to_the_configured_family() {
        let mut f = facts("pdt_pro", Some(demo_collection()));
        f.archived_collections.insert("pcol_demo".into());
        let family = resolve(&config(""), &f);
        assert_eq!(family.source, FamilySource::Configured("teams".into()));
        assert_eq!(ids(&family), ["pdt_team"]);
    }

    #[test]
    fn unknown_archived_and_foreign_currency_plans_are_left_out() {
        let mut f = facts("pdt_basic", Some(demo_collection()));
        f.products.remove("pdt_starter");
        f.active_products = Some(
            ["pdt_basic", "pdt_pro"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
        let family = resolve(&config(""), &f);
        assert_eq!(ids(&family), ["pdt_pro"]);
        let mut f = facts("pdt_basic", Some(demo_collection()));
        if let Some(p) = f.products.get_mut("pdt_pro")
            && let Price::Recurring { currency, .. } = &mut p.price
        {
            *currency = "EUR".into();
        }
        assert_eq!(
            ids(&resolve(&config(""), &f)),
            ["pdt_starter", "pdt_pro_yearly"]
        );
    }

    #[test]
    fn blocked_switches_and_disabled_downgrades_carry_reasons() {
        let text = TIERS
            .replace(
                "collection = \"pcol_demo\"",
                "collection = \"pcol_demo\"\nallow_downgrades = false",
            )
            .replace(
                "[plan_change.families.downsell]",
                "[[plan_change.families.blocked]]\nto = [\"pdt_pro_yearly\"]\nreason = \"Call us for yearly\"\n[plan_change.families.downsell]",
            );
        let c = MerchantConfig::parse(&text).expect("config").plan_change;
        let family = resolve(&c, &facts("pdt_basic", Some(demo_collection())));
        let blocked: Vec<_> = family.options.iter().map(|o| o.blocked.clone()).collect();
        assert_eq!(
            blocked,
            [
                Some(Blocked::DowngradesOff),
                None,
                Some(Blocked::Rule(Some("Call us for yearly".into())))
            ]
        );
    }

    #[test]
    fn directions_follow_tiers_then_the_bill() {
        let family = resolve(&config(""), &facts("pdt_pro", Some(demo_collection())));
        let by_id = |id: &str| family.option(id).map(|o| o.direction);
        assert_eq!(by_id("pdt_basic"), Some(Direction::Downgrade));
        // Same tier, larger bill per period: monthly → yearly is an upgrade.
        assert_eq!(by_id("pdt_pro_yearly"), Some(Direction::Upgrade));
        // Without tiers, the yearly cost decides: $800/year is less than $80/month.
        let bare = MerchantConfig::parse("").unwrap().plan_change;
        let family = resolve(&bare, &facts("pdt_pro", Some(demo_collection())));
        assert_eq!(
            family.option("pdt_pro_yearly").map(|o| o.direction),
            Some(Direction::Downgrade)
        );
    }

    #[test]
    fn yearly_savings_come_from_real_prices() {
        let family = resolve(&config(""), &facts("pdt_basic", Some(demo_collection())));
        let yearly = &family.option("pdt_pro_yearly").expect("yearly").plan;
        // 1 − 800 / (12 × 80) = 16.7 % → 17 %.
        assert_eq!(yearly_savings_percent(yearly, &family), Some(17));
        let monthly = &family.option("pdt_pro").expect("pro").plan;
        assert_eq!(yearly_savings_percent(monthly, &family), None);
    }

    #[test]
    fn features_gained_and_lost() {
        let family = resolve(&config(""), &facts("pdt_basic", Some(demo_collection())));
        let current = family.current.as_ref().expect("current");
        let pro = &family.option("pdt_pro").expect("pro").plan;
        let starter = &family.option("pdt_starter").expect("starter").plan;
        assert_eq!(
            feature_diff(current, pro),
            (vec!["Live Q&A".to_string()], vec![])
        );
        assert_eq!(
            feature_diff(current, starter),
            (vec![], vec!["Workbooks".to_string()])
        );
    }

    #[test]
    fn the_downsell_is_offered_before_a_downgrade_from_its_plans_only() {
        let family = resolve(&config(""), &facts("pdt_pro", Some(demo_collection())));
        let (option, d) = family.downsell_for("pdt_starter").expect("downsell");
        assert_eq!(option.plan.id(), "pdt_pro_yearly");
        assert_eq!(d.headline, "Stay on Pro for less");
        assert!(
            family.downsell_for("pdt_pro_yearly").is_none(),
            "not for itself"
        );
        let from_basic = resolve(&config(""), &facts("pdt_basic", Some(demo_collection())));
        assert!(
            from_basic.downsell_for("pdt_starter").is_none(),
            "only from Pro"
        );
    }
}
