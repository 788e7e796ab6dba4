//! The comparison page, worded: plan cards, blocked reasons and banners.

use super::{direction_label, money, price_label};
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, Text, t, tf};
use crate::pages::plan_change::urls::PlansNotice;
use crate::server::merchant::plan_change::Tier;
use crate::server::plan_change::comparison::{CurrentPlan, OptionFacts, PlanFacts};
use crate::server::plan_change::family::Blocked;
use crate::server::plan_change::{BannerFact, ComparisonFacts, PlanRef};
use crate::types::plan_change::{Banner, ComparisonView, PlanCardView, TrialTiming};

/// The comparison page for `facts`, with `notice` (the outcome of the last action) on top and
/// `selected` preselected.
pub fn comparison(
    locale: Locale,
    facts: &ComparisonFacts,
    token: &str,
    selected: Option<String>,
    notice: Option<PlansNotice>,
) -> ComparisonView {
    let banners = notice
        .map(|n| notice_banner(locale, n, &facts.current))
        .into_iter()
        .chain(facts.banners.iter().map(|b| banner(locale, b, token)))
        .collect();
    ComparisonView {
        token: token.to_owned(),
        current: current_card(locale, &facts.current),
        current_quantity: facts.quantity,
        current_seats: (facts.seats_max > 1 || facts.quantity > 1).then(|| {
            tf(
                locale,
                T::CurrentSeats,
                &[("count", &facts.quantity.to_string())],
            )
        }),
        options: facts
            .options
            .iter()
            .map(|o| option_card(locale, o, current_tier(&facts.current)))
            .collect(),
        banners,
        seats_max: facts.seats_max,
        selected,
        can_change: facts.can_change,
        trial: facts.trial_ends_at.map(|ends| TrialTiming {
            legend: t(locale, T::TrialLegend).to_owned(),
            at_trial_end: tf(
                locale,
                T::TrialWhenEnd,
                &[("date", &super::date(locale, ends))],
            ),
            now: t(locale, T::TrialWhenNow).to_owned(),
        }),
    }
}

/// The banner reporting what the last action (Undo, a new card) led to.
pub fn notice_banner(locale: Locale, notice: PlansNotice, current: &CurrentPlan) -> Banner {
    match notice {
        PlansNotice::Undone => Banner::Notice {
            text: tf(locale, T::UndoDone, &[("plan", &current_name(current))]),
        },
        PlansNotice::UndoFailed => Banner::Problem {
            text: t(locale, T::UndoFailed).to_owned(),
        },
        PlansNotice::CardFailed => Banner::Problem {
            text: t(locale, Text::SomethingWentWrong).to_owned(),
        },
    }
}

fn banner(locale: Locale, fact: &BannerFact, token: &str) -> Banner {
    match fact {
        BannerFact::OnHold => Banner::OnHold {
            text: t(locale, T::OnHoldBanner).to_owned(),
        },
        BannerFact::Inactive => Banner::Inactive {
            text: t(locale, T::InactiveBanner).to_owned(),
        },
        BannerFact::Scheduled { plan, on } => Banner::Scheduled {
            text: tf(
                locale,
                T::ScheduledBanner,
                &[("plan", &plan.name), ("date", &super::date(locale, *on))],
            ),
        },
        BannerFact::Pending { plan, attempt_id } => Banner::Pending {
            text: tf(locale, T::PendingBanner, &[("plan", &plan.name)]),
            status_url: crate::routes::plan_change_status(token, attempt_id),
        },
    }
}

/// The name the current plan's card shows.
fn current_name(current: &CurrentPlan) -> String {
    match current {
        CurrentPlan::Known(facts) => PlanRef::of(&facts.plan).name,
        CurrentPlan::Unknown { product_id, .. } => product_id.clone(),
    }
}

/// The current plan's tier: what "you lose" names comes from it.
fn current_tier(current: &CurrentPlan) -> Option<&Tier> {
    match current {
        CurrentPlan::Known(facts) => facts.plan.tier.as_ref().map(|(_, tier)| tier),
        CurrentPlan::Unknown { .. } => None,
    }
}

fn current_card(locale: Locale, current: &CurrentPlan) -> PlanCardView {
    match current {
        CurrentPlan::Known(facts) => card(locale, facts, None),
        CurrentPlan::Unknown { product_id, bills } => PlanCardView {
            product_id: product_id.clone(),
            name: product_id.clone(),
            price: money(locale, bills),
            max_quantity: 1,
            ..PlanCardView::default()
        },
    }
}

fn option_card(locale: Locale, option: &OptionFacts, current: Option<&Tier>) -> PlanCardView {
    PlanCardView {
        direction: Some(direction_label(locale, option.direction).to_owned()),
        blocked: option.blocked.as_ref().map(|b| blocked_reason(locale, b)),
        ..card(locale, &option.plan, current)
    }
}

/// A plan's card; `current` is the current plan's tier, whose features the losses are.
fn card(locale: Locale, facts: &PlanFacts, current: Option<&Tier>) -> PlanCardView {
    let plan = &facts.plan;
    let tier = plan.tier.as_ref().map(|(_, tier)| tier);
    PlanCardView {
        product_id: plan.id().to_owned(),
        name: PlanRef::of(plan).name,
        price: price_label(locale, plan),
        badge: tier.and_then(|t| t.badge_in(locale)),
        savings: facts
            .yearly_savings_percent
            .map(|p| tf(locale, T::SaveWithYearly, &[("percent", &p.to_string())])),
        features: tier.map(|t| t.features_in(locale)).unwrap_or_default(),
        gains: in_locale(locale, &facts.gains, tier),
        losses: in_locale(locale, &facts.losses, current),
        direction: None,
        blocked: None,
        max_quantity: plan.max_quantity(),
    }
}

/// `features` of `tier` as a reader of `locale` sees them.
fn in_locale(locale: Locale, features: &[String], tier: Option<&Tier>) -> Vec<String> {
    features
        .iter()
        .map(|f| tier.map_or_else(|| f.clone(), |t| t.feature_in(locale, f)))
        .collect()
}

/// Why a switch is not offered: the merchant's reason when it gave one.
fn blocked_reason(locale: Locale, blocked: &Blocked) -> String {
    match blocked {
        Blocked::DowngradesOff => t(locale, T::BlockedDowngrades).to_owned(),
        Blocked::Rule(Some(reason)) => reason.clone(),
        Blocked::Rule(None) => t(locale, T::BlockedGeneric).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{DEC_15, plan, plan_ref, usd, with_tier};
    use super::*;
    use crate::server::plan_change::family::Direction;
    use dodo_client::Interval;

    fn facts() -> ComparisonFacts {
        let basic = plan("Basic", 3000, Interval::Month);
        let pro_yearly = plan("Yearly", 80000, Interval::Year);
        ComparisonFacts {
            current: CurrentPlan::Known(Box::new(PlanFacts {
                plan: with_tier(basic, 1, &["Forum", "Workbooks"]),
                yearly_savings_percent: None,
                gains: vec![],
                losses: vec![],
            })),
            quantity: 1,
            options: vec![
                OptionFacts {
                    plan: PlanFacts {
                        plan: plan("Starter", 2000, Interval::Month),
                        yearly_savings_percent: None,
                        gains: vec![],
                        losses: vec!["Workbooks".into()],
                    },
                    direction: Direction::Downgrade,
                    blocked: Some(Blocked::DowngradesOff),
                },
                OptionFacts {
                    plan: PlanFacts {
                        plan: pro_yearly,
                        yearly_savings_percent: Some(17),
                        gains: vec!["Live Q&A".into()],
                        losses: vec![],
                    },
                    direction: Direction::Upgrade,
                    blocked: Some(Blocked::Rule(Some("Call us for yearly".into()))),
                },
            ],
            banners: vec![
                BannerFact::OnHold,
                BannerFact::Scheduled {
                    plan: plan_ref("Starter"),
                    on: DEC_15,
                },
                BannerFact::Pending {
                    plan: plan_ref("Pro"),
                    attempt_id: "pca_1".into(),
                },
            ],
            seats_max: 1,
            can_change: false,
            trial_ends_at: None,
        }
    }

    #[test]
    fn cards_carry_price_direction_savings_and_reasons() {
        let view = comparison(Locale::En, &facts(), "tok", None, None);
        assert_eq!(view.current.name, "Basic");
        assert_eq!(view.current.price, "$30.00 per month");
        assert_eq!(view.current.badge.as_deref(), Some("Most popular"));
        assert_eq!(view.current.features, ["Forum", "Workbooks"]);
        assert_eq!(view.current_seats, None);
        let [starter, yearly] = &view.options[..] else {
            panic!("{:?}", view.options)
        };
        assert_eq!(starter.direction.as_deref(), Some("Downgrade"));
        assert_eq!(
            starter.blocked.as_deref(),
            Some("Downgrades are not available online. Please contact us to move to this plan.")
        );
        assert_eq!(starter.losses, ["Workbooks"]);
        assert_eq!(yearly.direction.as_deref(), Some("Upgrade"));
        assert_eq!(yearly.price, "$800.00 per year");
        assert_eq!(yearly.savings.as_deref(), Some("Save 17% with yearly"));
        assert_eq!(yearly.blocked.as_deref(), Some("Call us for yearly"));
    }

    #[test]
    fn features_badge_gains_and_losses_in_the_readers_language() {
        use crate::server::merchant::plan_change::TierText;
        let mut facts = facts();
        let hindi = |features: &[&str]| TierText {
            features: Some(features.iter().map(|f| f.to_string()).collect()),
            badge: Some("सबसे लोकप्रिय".into()),
        };
        let CurrentPlan::Known(current) = &mut facts.current else {
            unreachable!()
        };
        current.plan.tier.as_mut().unwrap().1.hi = Some(hindi(&["फ़ोरम", "वर्कबुक"]));
        let yearly = &mut facts.options[1].plan.plan;
        *yearly = with_tier(yearly.clone(), 1, &["Forum", "Workbooks", "Live Q&A"]);
        yearly.tier.as_mut().unwrap().1.hi = Some(hindi(&["फ़ोरम", "वर्कबुक", "लाइव सवाल-जवाब"]));

        let view = comparison(Locale::Hi, &facts, "tok", None, None);
        assert_eq!(view.current.features, ["फ़ोरम", "वर्कबुक"]);
        assert_eq!(view.current.badge.as_deref(), Some("सबसे लोकप्रिय"));
        let [starter, yearly] = &view.options[..] else {
            panic!("{:?}", view.options)
        };
        // A loss is a feature of the current tier, a gain one of the option's tier.
        assert_eq!(starter.losses, ["वर्कबुक"]);
        assert_eq!(yearly.gains, ["लाइव सवाल-जवाब"]);
        assert_eq!(yearly.features, ["फ़ोरम", "वर्कबुक", "लाइव सवाल-जवाब"]);

        // Indonesian has no translation here: the default text.
        let view = comparison(Locale::Id, &facts, "tok", None, None);
        assert_eq!(view.current.features, ["Forum", "Workbooks"]);
        assert_eq!(view.current.badge.as_deref(), Some("Most popular"));
        assert_eq!(view.options[0].losses, ["Workbooks"]);
    }

    #[test]
    fn banners_say_what_holds_the_subscription() {
        let view = comparison(Locale::En, &facts(), "tok", None, Some(PlansNotice::Undone));
        assert_eq!(
            view.banners,
            [
                Banner::Notice {
                    text: "Done: you stay on Basic.".into()
                },
                Banner::OnHold {
                    text: "Your subscription is on hold because a payment failed. Update your payment method to pay and reactivate it.".into()
                },
                Banner::Scheduled {
                    text: "Your plan changes to Starter on 15 December 2026.".into()
                },
                Banner::Pending {
                    text: "Your change to Pro is being processed.".into(),
                    status_url: "/plan-change/status?token=tok&attempt=pca_1".into()
                },
            ]
        );
        let failed = notice_banner(Locale::En, PlansNotice::UndoFailed, &facts().current);
        assert_eq!(
            failed,
            Banner::Problem {
                text: "We could not undo the scheduled change. Please try again.".into()
            }
        );
    }

    #[test]
    fn an_unknown_current_plan_shows_its_id_and_bill() {
        let facts = ComparisonFacts {
            current: CurrentPlan::Unknown {
                product_id: "pdt_gone".into(),
                bills: usd(4500),
            },
            quantity: 3,
            options: vec![],
            banners: vec![BannerFact::Inactive],
            seats_max: 1,
            can_change: false,
            trial_ends_at: None,
        };
        let view = comparison(Locale::En, &facts, "tok", Some("pdt_x".into()), None);
        assert_eq!(
            (view.current.name.as_str(), view.current.price.as_str()),
            ("pdt_gone", "$45.00")
        );
        assert_eq!(view.current_seats.as_deref(), Some("3 seats"));
        assert_eq!(view.selected.as_deref(), Some("pdt_x"));
        assert!(matches!(&view.banners[..], [Banner::Inactive { .. }]));
    }
}
