use super::*;
use crate::server::attempts::plan_change::{EffectiveAt, OnPaymentFailure};
use crate::server::merchant::MerchantConfig;
use dodo_client::{CollectionGroup, CollectionProduct, Interval, Price, SubscriptionStatus};
use std::collections::BTreeMap;

/// A recurring USD product named after its id (`pdt_pro` → `pro`); also the presenter's tests' plans.
pub(crate) fn product(
    id: &str,
    amount: i64,
    interval: Interval,
    collection: Option<&str>,
) -> Product {
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
        created_at: OffsetDateTimeExt::at(0),
        trial_period_days: 0,
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
    assert_eq!(family.upgrade.effective_at, EffectiveAt::Immediately);
    assert_eq!(
        family.downgrade.proration_billing_mode,
        "difference_immediately"
    );
    assert!(family.downgrade.scheduled());
    // The collection's on_payment_failure is null: the business default applies.
    assert_eq!(
        family.upgrade.on_payment_failure,
        OnPaymentFailure::ApplyChange
    );
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
    assert_eq!(family.downgrade.effective_at, EffectiveAt::NextBillingDate);
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
    assert_eq!(
        bare.upgrade.on_payment_failure,
        OnPaymentFailure::PreventChange
    );
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
    assert_eq!(
        family.upgrade.on_payment_failure,
        OnPaymentFailure::PreventChange
    );
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
    assert_eq!(family.downgrade.effective_at, EffectiveAt::NextBillingDate);
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
fn directions_follow_tiers_then_the_interval() {
    let family = resolve(&config(""), &facts("pdt_pro", Some(demo_collection())));
    let by_id = |id: &str| family.option(id).map(|o| o.direction);
    assert_eq!(by_id("pdt_basic"), Some(Direction::Downgrade));
    // Same tier: monthly → yearly is an upgrade.
    assert_eq!(by_id("pdt_pro_yearly"), Some(Direction::Upgrade));
    // Without tiers too: a longer interval is an upgrade, though $800/year is less than
    // $80/month (the table of cases is in `direction.rs`).
    let bare = MerchantConfig::parse("").unwrap().plan_change;
    let family = resolve(&bare, &facts("pdt_pro", Some(demo_collection())));
    assert_eq!(
        family.option("pdt_pro_yearly").map(|o| o.direction),
        Some(Direction::Upgrade)
    );
    let family = resolve(&bare, &facts("pdt_pro_yearly", Some(demo_collection())));
    assert_eq!(
        family.option("pdt_pro").map(|o| o.direction),
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

#[test]
fn a_collection_value_dodo_adds_later_is_kept_and_a_blank_one_inherits() {
    let mut c = demo_collection();
    c.effective_at_on_upgrade = Some("end_of_cycle".into());
    c.on_payment_failure = Some(" ".into());
    let family = resolve(&config(""), &facts("pdt_basic", Some(c)));
    let upgrade = &family.upgrade;
    assert_eq!(
        (
            &upgrade.effective_at,
            &upgrade.on_payment_failure,
            upgrade.layers
        ),
        (
            &EffectiveAt::Other("end_of_cycle".into()),
            &OnPaymentFailure::ApplyChange,
            [Layer::Collection, Layer::Collection, Layer::Business]
        ),
        "the new value as written; the blank one inherits the business default"
    );
    assert!(!upgrade.scheduled());
}

#[test]
fn a_free_plan_is_a_downgrade_and_a_family_can_hide_it() {
    let mut collection = demo_collection();
    collection.groups[0]
        .products
        .insert(0, entry("pdt_free", true));
    let mut f = facts("pdt_basic", Some(collection));
    let free = product("pdt_free", 0, Interval::Month, Some("pcol_demo"));
    f.products.insert(free.id.clone(), free);
    let family = resolve(&config(""), &f);
    assert_eq!(
        family.option("pdt_free").map(|o| o.direction),
        Some(Direction::Downgrade)
    );
    let hidden = TIERS.replace(
        "collection = \"pcol_demo\"",
        "collection = \"pcol_demo\"\nhide_free_plans = true",
    );
    let c = MerchantConfig::parse(&hidden).expect("config").plan_change;
    assert_eq!(
        ids(&resolve(&c, &f)),
        ["pdt_starter", "pdt_pro", "pdt_pro_yearly"]
    );
}
