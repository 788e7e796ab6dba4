use super::{KNOWN_PRORATION_MODES, ProrationMode};
use crate::server::attempts::plan_change::{EffectiveAt, OnPaymentFailure};
use crate::server::merchant::MerchantConfig;

fn err(toml: &str) -> (String, String) {
    let e = MerchantConfig::parse(toml).unwrap_err();
    (e.key, e.problem)
}

const FAMILY: &str = "[[plan_change.families]]\nid = \"f\"\n[[plan_change.families.tiers]]\nname = \"A\"\nplans = [\"pdt_a\"]\n[[plan_change.families.tiers]]\nname = \"B\"\nplans = [\"pdt_b\"]\n";

#[test]
fn defaults_are_the_issue_defaults() {
    let c = MerchantConfig::parse("").unwrap().plan_change;
    let mode = |m: &Option<ProrationMode>| m.as_ref().map(|m| m.as_str().to_owned());
    assert_eq!(
        mode(&c.upgrade.proration_billing_mode).as_deref(),
        Some("prorated_immediately")
    );
    assert_eq!(c.upgrade.effective_at, Some(EffectiveAt::Immediately));
    assert_eq!(
        mode(&c.downgrade.proration_billing_mode).as_deref(),
        Some("difference_immediately")
    );
    assert_eq!(c.downgrade.effective_at, Some(EffectiveAt::NextBillingDate));
    assert_eq!(c.on_payment_failure, OnPaymentFailure::PreventChange);
    assert_eq!(c.cache_seconds, 60);
    assert!(c.families.is_empty());
}

#[test]
fn every_proration_mode_is_accepted_and_unknown_ones_warn() {
    for mode in KNOWN_PRORATION_MODES {
        let c = MerchantConfig::parse(&format!(
            "[plan_change.upgrade]\nproration_billing_mode = \"{mode}\"\n"
        ))
        .unwrap();
        assert!(c.plan_change.warnings().is_empty(), "{mode}");
    }
    let c = MerchantConfig::parse(
        "[plan_change.downgrade]\nproration_billing_mode = \"prorated_next_tuesday\"\n",
    )
    .unwrap();
    let warnings = c.plan_change.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("plan_change.downgrade.proration_billing_mode"));
    assert!(warnings[0].contains("prorated_next_tuesday"));
}

/// Serde refuses a bad value while reading: the key is the line and the key's name (as for
/// any value of the wrong type), the problem names the value and what is allowed.
#[test]
fn bad_values_are_refused_while_reading_with_line_key_and_choices() {
    assert_eq!(
        err("[plan_change.upgrade]\nproration_billing_mode = \"Pro-rated\"\n"),
        (
            "line 2 (proration_billing_mode)".to_owned(),
            format!(
                "`Pro-rated` is not a proration mode (e.g. {})",
                KNOWN_PRORATION_MODES.join(", ")
            )
        )
    );
    let timing = "expected `immediately` or `next_billing_date`";
    assert_eq!(
        err("[plan_change.downgrade]\neffective_at = \"tomorrow\"\n"),
        (
            "line 2 (effective_at)".to_owned(),
            format!("unknown variant `tomorrow`, {timing}")
        )
    );
    let failure = "expected `prevent_change` or `apply_change`";
    assert_eq!(
        err("[plan_change]\non_payment_failure = \"retry\"\n"),
        (
            "line 2 (on_payment_failure)".to_owned(),
            format!("unknown variant `retry`, {failure}")
        )
    );
    assert_eq!(
        err("[plan_change.business_defaults]\non_payment_failure = \"x\"\n"),
        (
            "line 2 (on_payment_failure)".to_owned(),
            format!("unknown variant `x`, {failure}")
        )
    );
    assert_eq!(
        err(&format!(
            "{FAMILY}[plan_change.families.overrides.upgrade]\neffective_at = \"later\"\n"
        )),
        (
            "line 10 (effective_at)".to_owned(),
            format!("unknown variant `later`, {timing}")
        )
    );
    // Values Dodo may add later reach Dodo from its own collections, never from this file.
    assert!(
        MerchantConfig::parse("[plan_change.upgrade]\neffective_at = \"Immediately\"\n").is_err()
    );
}

#[test]
fn bad_settings_name_their_key() {
    assert_eq!(
        err("[plan_change.upgrade]\neffective_at = \"immediately\"\n"),
        (
            "plan_change.upgrade.proration_billing_mode".to_owned(),
            "is required (the last fallback when Dodo gives no default)".to_owned()
        )
    );
    assert_eq!(
        err("[plan_change]\ncache_seconds = 0\n").0,
        "plan_change.cache_seconds"
    );
    assert_eq!(
        err("[[plan_change.families]]\nid = \"x\"\n").0,
        "plan_change.families[0].tiers"
    );
    assert_eq!(
        err("[[plan_change.families]]\nid = \"x\"\ncollection = \"col_1\"\n").0,
        "plan_change.families[0].collection"
    );
    assert_eq!(
        err(&FAMILY.replace("pdt_b", "pdt_a")).0,
        "plan_change.families[0].tiers[1].plans[0]"
    );
    assert_eq!(
        err(&format!("{FAMILY}{FAMILY}")).0,
        "plan_change.families[1].id"
    );
    assert_eq!(
        err(&format!(
            "{FAMILY}[plan_change.families.downsell]\nproduct = \"pdt_a\"\nfrom = [\"pdt_a\"]\nheadline = \"H\"\n"
        ))
        .0,
        "plan_change.families[0].downsell.product"
    );
    assert_eq!(
        err(&FAMILY.replace("name = \"B\"", "name = \"B\"\nmax_quantity = 0")).0,
        "plan_change.families[0].tiers[1].max_quantity"
    );
    assert_eq!(
        err(&format!(
            "{FAMILY}[[plan_change.families.blocked]]\nto = []\n"
        ))
        .0,
        "plan_change.families[0].blocked[0].to"
    );
}

#[test]
fn a_family_of_one_plan_warns_with_its_key() {
    let one = "[[plan_change.families]]\nid = \"solo\"\n[[plan_change.families.tiers]]\nname = \"A\"\nplans = [\"pdt_a\"]\n";
    let c = MerchantConfig::parse(one).unwrap();
    let w = c.plan_change.warnings();
    assert_eq!(w.len(), 1);
    assert!(
        w[0].starts_with("plan_change.families[0] (`solo`)"),
        "{}",
        w[0]
    );
    assert!(
        MerchantConfig::parse(FAMILY)
            .unwrap()
            .plan_change
            .warnings()
            .is_empty()
    );
}

#[test]
fn lookups() {
    let c = MerchantConfig::parse(&format!(
        "{FAMILY}[[plan_change.families.blocked]]\nfrom = [\"pdt_b\"]\nto = [\"pdt_a\"]\nreason = \"Call us\"\n\
         [[plan_change.families]]\nid = \"c\"\ncollection = \"pcol_x\"\n"
    ))
    .unwrap()
    .plan_change;
    let f = c.configured_family_of("pdt_b").expect("family");
    assert_eq!(f.id, "f");
    assert_eq!(
        f.tier_of("pdt_b").map(|(i, t)| (i, t.name.as_str())),
        Some((1, "B"))
    );
    assert_eq!(f.blocked_reason("pdt_b", "pdt_a"), Some(Some("Call us")));
    assert_eq!(f.blocked_reason("pdt_a", "pdt_b"), None);
    assert_eq!(
        c.family_for_collection("pcol_x").map(|f| f.id.as_str()),
        Some("c")
    );
    assert!(c.configured_family_of("pdt_z").is_none());
    assert_eq!(
        c.product_references(),
        vec![
            (
                "plan_change.families[0].tiers[0].plans[0]".to_string(),
                "pdt_a".to_string()
            ),
            (
                "plan_change.families[0].tiers[1].plans[0]".to_string(),
                "pdt_b".to_string()
            ),
        ]
    );
}

#[test]
fn a_tiers_translated_features_match_its_features_one_for_one() {
    let with_features = FAMILY.replace(
        "name = \"B\"",
        "name = \"B\"\nfeatures = [\"Forum\", \"Workbooks\"]",
    );
    let translated = |hi: &str| format!("{with_features}[plan_change.families.tiers.hi]\n{hi}\n");
    assert_eq!(
        err(&translated("features = [\"फ़ोरम\"]")),
        (
            "plan_change.families[0].tiers[1].hi.features".to_owned(),
            "needs one text for each of the tier's 2 features, in the same order".to_owned()
        )
    );
    assert_eq!(
        err(&translated("features = [\"फ़ोरम\", \" \"]")).0,
        "plan_change.families[0].tiers[1].hi.features[1]"
    );
    assert_eq!(
        err(&translated("badge = \"\"")).0,
        "plan_change.families[0].tiers[1].hi.badge"
    );
    let config = MerchantConfig::parse(&translated(
        "features = [\"फ़ोरम\", \"वर्कबुक\"]\nbadge = \"नया\"",
    ))
    .unwrap();
    let tier = &config.plan_change.families[0].tiers[1];
    assert_eq!(tier.features_in(crate::i18n::Locale::Hi), ["फ़ोरम", "वर्कबुक"]);
    assert_eq!(
        tier.badge_in(crate::i18n::Locale::Hi).as_deref(),
        Some("नया")
    );
    assert_eq!(
        tier.features_in(crate::i18n::Locale::Id),
        ["Forum", "Workbooks"]
    );
    assert_eq!(tier.badge_in(crate::i18n::Locale::En), None);
}
