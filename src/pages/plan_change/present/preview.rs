//! A previewed switch, worded: the dialog's title, summary, line items, credit, next bill,
//! card, consent and button; the difference a refused confirm found; why a switch cannot be
//! made.

use super::{credit_covers, date, money};
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t, tf};
use crate::money::Money;
use crate::pages::plan_change::urls::{MovedFact, ReviewProblem};
use crate::server::plan_change::family::Direction;
use crate::server::plan_change::preview::TrialChoices;
use crate::server::plan_change::{Drift, PreviewFacts, SwitchProblem, Timing};
use crate::types::plan_change::{
    AgreedFacts, DownsellView, PreviewLine, PreviewView, TrialOption, TrialView,
};
use time::OffsetDateTime;

/// Everything the dialog (and the no-JavaScript review page) shows about a previewed switch.
pub fn preview(locale: Locale, facts: &PreviewFacts) -> PreviewView {
    let m = |amount: &Money| money(locale, amount);
    let plan = facts.target.name.as_str();
    let total = m(&facts.total);
    let credits = facts.credits.minor;
    let next_amount = m(&facts.next_bill.amount);
    let next_date = date(locale, facts.next_bill.on);
    let wording = Wording::of(facts);
    let credit = match credits.signum() {
        -1 => Some((
            t(locale, T::CreditApplied).to_owned(),
            tf(
                locale,
                T::CreditMinus,
                &[("amount", &m(&negated(&facts.credits)))],
            ),
        )),
        1 => Some((
            t(locale, T::CreditAdded).to_owned(),
            tf(locale, T::CreditPlus, &[("amount", &m(&facts.credits))]),
        )),
        _ => None,
    };
    let title = match wording {
        Wording::TrialEnd => tf(
            locale,
            T::TitleTrialEnd,
            &[("plan", plan), ("date", &next_date)],
        ),
        Wording::TrialNow => tf(locale, T::TitleTrialNow, &[("plan", plan)]),
        Wording::Scheduled => tf(
            locale,
            match facts.direction {
                Direction::Downgrade => T::TitleScheduledDowngrade,
                Direction::Upgrade => T::TitleScheduledUpgrade,
            },
            &[("plan", plan), ("date", &next_date)],
        ),
        Wording::Charge if facts.direction == Direction::Upgrade => {
            tf(locale, T::TitleUpgradeNow, &[("plan", plan)])
        }
        _ if facts.direction == Direction::Downgrade => {
            tf(locale, T::TitleDowngradeNow, &[("plan", plan)])
        }
        _ => tf(locale, T::TitleSwitchNow, &[("plan", plan)]),
    };
    let summary = match wording {
        Wording::TrialEnd => tf(
            locale,
            T::SummaryTrialEnd,
            &[("plan", plan), ("date", &next_date)],
        ),
        Wording::TrialNow => tf(
            locale,
            T::SummaryTrialNow,
            &[("amount", &total), ("plan", plan)],
        ),
        Wording::Scheduled => tf(
            locale,
            T::SummaryScheduled,
            &[("plan", plan), ("date", &next_date)],
        ),
        Wording::Charge => tf(
            locale,
            T::SummaryCharge,
            &[("amount", &total), ("plan", plan)],
        ),
        Wording::NoCharge if credits > 0 => tf(
            locale,
            T::SummaryCredit,
            &[("plan", plan), ("credit", &m(&facts.credits))],
        ),
        Wording::NoCharge => tf(locale, T::SummaryNoCharge, &[("plan", plan)]),
    };
    let consent = match wording {
        Wording::TrialNow => tf(
            locale,
            T::ConsentTrialNow,
            &[
                ("amount", &total),
                ("plan", plan),
                ("next", &next_amount),
                ("date", &next_date),
            ],
        ),
        Wording::Scheduled | Wording::TrialEnd => tf(
            locale,
            T::ConsentScheduled,
            &[("plan", plan), ("date", &next_date), ("next", &next_amount)],
        ),
        Wording::Charge => tf(
            locale,
            T::ConsentCharge,
            &[
                ("amount", &total),
                ("plan", plan),
                ("next", &next_amount),
                ("date", &next_date),
            ],
        ),
        Wording::NoCharge => tf(
            locale,
            T::ConsentNoCharge,
            &[("plan", plan), ("next", &next_amount), ("date", &next_date)],
        ),
    };
    let button = match wording {
        Wording::Scheduled | Wording::TrialEnd => tf(
            locale,
            T::SwitchOnButton,
            &[("plan", plan), ("date", &next_date)],
        ),
        Wording::Charge | Wording::TrialNow => tf(locale, T::PayNow, &[("amount", &total)]),
        Wording::NoCharge => tf(locale, T::SwitchNowButton, &[("plan", plan)]),
    };
    PreviewView {
        product_id: facts.target.product_id.clone(),
        quantity: facts.quantity,
        title,
        summary,
        lines: facts
            .lines
            .iter()
            .map(|l| PreviewLine {
                item: l.name.clone().unwrap_or_else(|| plan.to_owned()),
                arithmetic: tf(
                    locale,
                    T::LineArithmetic,
                    &[
                        ("unit_price", &m(&l.unit_price)),
                        ("quantity", &l.quantity.to_string()),
                        ("percent", &l.period_percent.to_string()),
                    ],
                ),
                amount: l.amount.as_ref().map(m),
            })
            .collect(),
        credit,
        credit_note: (credits > 0).then(|| t(locale, T::CreditNote).to_owned()),
        tax: m(&facts.tax),
        total: total.clone(),
        agreed: facts.agreed.clone(),
        // A next bill the credit pays in full is not a charge to the card: say so.
        next_bill: Some(tf(
            locale,
            match &facts.credit_timeline {
                Some(c) if c.covered > 0 => T::NextBillFromCredit,
                _ => T::NextBillValue,
            },
            &[("amount", &next_amount), ("date", &next_date)],
        )),
        card: match &facts.card {
            Some(card) => tf(
                locale,
                T::CardEnding,
                &[("network", &card.network), ("last4", &card.last4)],
            ),
            None => t(locale, T::SavedMethod).to_owned(),
        },
        consent,
        button,
        announcement: tf(locale, T::PreviewUpdated, &[("amount", &total)]),
        downsell: facts.downsell.as_ref().map(|d| DownsellView {
            product_id: d.plan.product_id.clone(),
            headline: d.headline.clone(),
            value_points: d.value_points.clone(),
            try_label: tf(locale, T::DownsellTry, &[("plan", &d.plan.name)]),
            decline_label: tf(locale, T::DownsellDecline, &[("plan", plan)]),
        }),
        when: facts.timing.as_str().to_owned(),
        trial: facts
            .trial
            .as_ref()
            .map(|choices| trial_view(locale, plan, choices)),
        billing_moves: facts
            .billing_moves_to
            .map(|on| tf(locale, T::BillingMoves, &[("date", &date(locale, on))])),
        credit_covers: facts
            .credit_timeline
            .as_ref()
            .map(|c| credit_covers(locale, c)),
    }
}

/// A trial's two choices, each with what Dodo's preview of it charges today.
fn trial_view(locale: Locale, plan: &str, choices: &TrialChoices) -> TrialView {
    let ends = date(locale, choices.ends_on);
    let option = |timing: Timing, total: &Option<Money>| TrialOption {
        when: timing.as_str().to_owned(),
        text: match (timing, total) {
            (Timing::Now, Some(amount)) => tf(
                locale,
                T::TrialOptionNow,
                &[("plan", plan), ("amount", &money(locale, amount))],
            ),
            (Timing::TrialEnd, Some(amount)) if amount.minor == 0 => tf(
                locale,
                T::TrialOptionEnd,
                &[("plan", plan), ("date", &ends)],
            ),
            // Said as Dodo previewed it, should it charge something today for a later switch.
            (_, Some(amount)) => tf(
                locale,
                T::TrialOptionEndCharge,
                &[
                    ("plan", plan),
                    ("date", &ends),
                    ("amount", &money(locale, amount)),
                ],
            ),
            (_, None) => tf(locale, T::TrialOptionUnpriced, &[("plan", plan)]),
        },
        chosen: choices.chosen == timing,
    };
    TrialView {
        heading: tf(locale, T::TrialEndsOn, &[("date", &ends)]),
        options: vec![
            option(Timing::TrialEnd, &choices.at_trial_end),
            option(Timing::Now, &choices.now),
        ],
    }
}

/// Which way the dialog words a switch.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wording {
    /// In a trial, at its end: nothing charged today.
    TrialEnd,
    /// In a trial, now: the trial ends and (usually) a charge today.
    TrialNow,
    /// On the next billing date; nothing is charged today.
    Scheduled,
    /// Now, with a charge today.
    Charge,
    /// Now, with nothing charged today (credit may be added).
    NoCharge,
}

impl Wording {
    fn of(facts: &PreviewFacts) -> Wording {
        let in_trial = facts.trial.is_some();
        if in_trial && facts.scheduled && facts.total.minor == 0 {
            Wording::TrialEnd
        } else if in_trial && !facts.scheduled && facts.total.minor > 0 {
            Wording::TrialNow
        } else if facts.scheduled {
            Wording::Scheduled
        } else if facts.total.minor > 0 {
            Wording::Charge
        } else {
            Wording::NoCharge
        }
    }
}

fn negated(amount: &Money) -> Money {
    Money::new(amount.minor.saturating_neg(), &amount.currency)
}

/// The one-line difference the customer reads when a confirm found Dodo's preview moved.
pub fn drift_text(locale: Locale, d: &Drift) -> String {
    let amount = |minor: i64, currency: &str| money(locale, &Money::new(minor, currency));
    let day = |secs: i64| {
        OffsetDateTime::from_unix_timestamp(secs)
            .map(|at| date(locale, at))
            .unwrap_or_default()
    };
    let (key, was, now) = match d {
        Drift::Total { was, now, currency } => (
            T::DriftTotal,
            amount(*was, currency),
            amount(*now, currency),
        ),
        Drift::Tax { was, now, currency } => {
            (T::DriftTax, amount(*was, currency), amount(*now, currency))
        }
        // Credit is shown as an amount; the sign says only which way it went.
        Drift::Credits { was, now, currency } => (
            T::DriftCredits,
            amount(was.saturating_abs(), currency),
            amount(now.saturating_abs(), currency),
        ),
        Drift::Currency { was, now } => (T::DriftCurrency, was.clone(), now.clone()),
        Drift::NextBilling { was, now } => (T::DriftNextBilling, day(*was), day(*now)),
    };
    tf(locale, key, &[("was", &was), ("now", &now)])
}

/// Why a switch cannot be previewed or confirmed, as the customer reads it.
pub fn switch_problem(locale: Locale, problem: &SwitchProblem) -> &'static str {
    match problem {
        SwitchProblem::AlreadyOnPlan => t(locale, T::AlreadyOnPlan),
        SwitchProblem::NotOffered => t(locale, T::PlanNotOffered),
        SwitchProblem::Dodo(_) => t(locale, T::PreviewFailed),
    }
}

/// A confirm that failed on our side or Dodo's: nothing was sent or charged.
pub fn change_failed(locale: Locale) -> &'static str {
    t(locale, T::ChangeFailed)
}

/// Why the confirm sent nothing: what moved, from the value the confirm form carried to
/// Dodo's fresh preview (`now`), when the address says which fact and from what.
pub fn review_problem(locale: Locale, problem: ReviewProblem, now: &AgreedFacts) -> String {
    let currency = || now.currency.clone();
    let moved = match problem {
        ReviewProblem::Moved {
            fact,
            was: Some(was),
        } => match fact {
            MovedFact::Total => Some(Drift::Total {
                was,
                now: now.total_minor,
                currency: currency(),
            }),
            MovedFact::Tax => Some(Drift::Tax {
                was,
                now: now.tax_minor,
                currency: currency(),
            }),
            MovedFact::Credits => Some(Drift::Credits {
                was,
                now: now.credits_minor,
                currency: currency(),
            }),
            MovedFact::NextBilling => Some(Drift::NextBilling {
                was,
                now: now.next_billing,
            }),
            // The currency the customer saw is not in the address: say the price changed.
            MovedFact::Currency => None,
        },
        ReviewProblem::Moved { was: None, .. } | ReviewProblem::PriceChanged => None,
        ReviewProblem::NotSent => return change_failed(locale).to_owned(),
    };
    match moved {
        Some(drift) => drift_text(locale, &drift),
        None => t(locale, T::PriceChanged).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{DEC_15, bill, plan_ref, usd};
    use super::*;
    use crate::server::plan_change::preview::{DownsellFacts, LineFacts, TrialChoices};
    use crate::types::offer::CardView;
    use crate::types::plan_change::AgreedFacts;

    /// Basic → Pro on day 15 of 30, with Visa: $25.00 now after $15.00 of credit.
    fn upgrade_now() -> PreviewFacts {
        PreviewFacts {
            target: plan_ref("Pro"),
            quantity: 1,
            direction: Direction::Upgrade,
            scheduled: false,
            total: usd(2500),
            tax: usd(0),
            credits: usd(-1500),
            lines: vec![LineFacts {
                name: None,
                unit_price: usd(8000),
                quantity: 1,
                period_percent: 50,
                amount: Some(usd(4000)),
            }],
            next_bill: bill(8000),
            card: Some(CardView {
                id: "pm_1".into(),
                network: "Visa".into(),
                last4: "4242".into(),
                expiry: "12/30".into(),
                method: None,
            }),
            agreed: AgreedFacts::default(),
            downsell: None,
            timing: Timing::AsConfigured,
            trial: None,
            billing_moves_to: None,
            credit_timeline: None,
        }
    }

    #[test]
    fn an_upgrade_that_charges_now_names_the_amount_everywhere() {
        let view = preview(Locale::En, &upgrade_now());
        assert_eq!(view.title, "Upgrade to Pro now");
        assert_eq!(
            view.summary,
            "You will be charged $25.00 today and your plan changes to Pro right away."
        );
        assert_eq!(view.total, "$25.00");
        assert_eq!(view.tax, "$0.00");
        assert_eq!(
            view.credit,
            Some(("Credit applied".into(), "−$15.00 credit".into()))
        );
        assert_eq!(view.credit_note, None);
        assert_eq!(
            view.lines,
            [PreviewLine {
                item: "Pro".into(),
                arithmetic: "$80.00 × 1 × 50% of the billing period".into(),
                amount: Some("$40.00".into()),
            }]
        );
        assert_eq!(
            view.next_bill.as_deref(),
            Some("$80.00 on 15 December 2026")
        );
        assert_eq!(view.card, "Visa card ending in 4242");
        assert_eq!(
            view.consent,
            "I'll be charged $25.00 today for Pro, then $80.00 on 15 December 2026 and each renewal after until I cancel."
        );
        assert_eq!(view.button, "Pay $25.00 now");
        assert_eq!(view.announcement, "Price updated: $25.00 due today.");
    }

    #[test]
    fn a_scheduled_downgrade_charges_nothing_today() {
        let facts = PreviewFacts {
            target: plan_ref("Starter"),
            direction: Direction::Downgrade,
            scheduled: true,
            total: usd(0),
            credits: usd(0),
            lines: vec![],
            next_bill: bill(2000),
            card: None,
            ..upgrade_now()
        };
        let view = preview(Locale::En, &facts);
        assert_eq!(view.title, "Downgrade to Starter on 15 December 2026");
        assert_eq!(
            view.summary,
            "Your plan changes to Starter on 15 December 2026. Nothing is charged today and you keep your current plan until then."
        );
        assert_eq!(
            view.consent,
            "I understand my plan changes to Starter on 15 December 2026, when I'll be charged $20.00, and nothing is charged today."
        );
        assert_eq!(view.button, "Switch to Starter on 15 December 2026");
        assert_eq!(view.card, "Your saved payment method");
        assert_eq!(view.credit, None);
    }

    #[test]
    fn an_immediate_downgrade_adds_credit_and_offers_the_downsell() {
        let facts = PreviewFacts {
            target: plan_ref("Starter"),
            direction: Direction::Downgrade,
            total: usd(0),
            credits: usd(6000),
            downsell: Some(DownsellFacts {
                plan: plan_ref("Yearly"),
                headline: "Keep Pro for less".into(),
                value_points: vec!["Two months free".into()],
            }),
            ..upgrade_now()
        };
        let view = preview(Locale::En, &facts);
        assert_eq!(view.title, "Downgrade to Starter now");
        assert_eq!(
            view.summary,
            "Your plan changes to Starter right away and $60.00 of credit is added to your subscription."
        );
        assert_eq!(
            view.credit,
            Some((
                "Credit added to your subscription".into(),
                "+$60.00 credit".into()
            ))
        );
        assert!(
            view.credit_note
                .is_some_and(|n| n.contains("applied to your next renewals"))
        );
        assert_eq!(view.button, "Switch to Starter now");
        let downsell = view.downsell.expect("downsell");
        assert_eq!(downsell.product_id, "pdt_Yearly");
        assert_eq!(downsell.try_label, "See the price of Yearly");
        assert_eq!(downsell.decline_label, "No thanks, continue to Starter");
    }

    /// Day 4 of a trial ending 15 December 2026: Pro at its end, nothing today.
    fn trial(chosen: Timing, total: i64) -> PreviewFacts {
        PreviewFacts {
            scheduled: chosen == Timing::TrialEnd,
            timing: chosen,
            total: usd(total),
            credits: usd(0),
            trial: Some(TrialChoices {
                ends_on: DEC_15,
                chosen,
                at_trial_end: Some(usd(0)),
                now: Some(usd(8000)),
            }),
            ..upgrade_now()
        }
    }

    #[test]
    fn a_trial_offers_both_choices_with_their_amounts() {
        let at_end = preview(Locale::En, &trial(Timing::TrialEnd, 0));
        assert_eq!(
            at_end.title,
            "Switch to Pro when your trial ends on 15 December 2026"
        );
        assert_eq!(
            at_end.summary,
            "Your trial continues until 15 December 2026, then your plan is Pro. Nothing is charged today."
        );
        assert_eq!(at_end.button, "Switch to Pro on 15 December 2026");
        assert_eq!(at_end.when, "trial_end");
        let choices = at_end.trial.expect("trial choices");
        assert_eq!(choices.heading, "Your free trial ends on 15 December 2026.");
        let texts: Vec<_> = choices
            .options
            .iter()
            .map(|o| (o.when.as_str(), o.text.as_str(), o.chosen))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "trial_end",
                    "Switch to Pro when your trial ends on 15 December 2026: nothing is charged today.",
                    true
                ),
                (
                    "now",
                    "Start Pro now: pay $80.00 today, your trial ends.",
                    false
                ),
            ]
        );
        let now = preview(Locale::En, &trial(Timing::Now, 8000));
        assert_eq!(now.title, "Start Pro now");
        assert_eq!(
            now.summary,
            "You will be charged $80.00 today, your trial ends and your plan changes to Pro right away."
        );
        assert_eq!(now.button, "Pay $80.00 now");
        assert_eq!(now.when, "now");
        assert!(now.consent.contains("my trial ends now"), "{}", now.consent);
        assert!(now.trial.expect("choices").options[1].chosen);
    }

    #[test]
    fn a_moved_billing_date_and_what_credit_covers_are_said() {
        use crate::server::plan_change::CreditTimeline;
        use time::macros::datetime;
        let facts = PreviewFacts {
            billing_moves_to: Some(datetime!(2027-01-01 00:00 UTC)),
            ..upgrade_now()
        };
        assert_eq!(
            preview(Locale::En, &facts).billing_moves.as_deref(),
            Some("Your billing date moves to 1 January 2027.")
        );
        let down = PreviewFacts {
            target: plan_ref("Starter"),
            direction: Direction::Downgrade,
            total: usd(0),
            credits: usd(6000),
            next_bill: bill(2000),
            credit_timeline: Some(CreditTimeline {
                credit: usd(6000),
                renewal: usd(2000),
                covered: 3,
                pay_again_on: datetime!(2027-03-15 00:00 UTC),
                pay_again: usd(2000),
            }),
            ..upgrade_now()
        };
        assert_eq!(
            preview(Locale::En, &down).next_bill.as_deref(),
            Some("$20.00 on 15 December 2026, paid from your credit")
        );
        assert_eq!(
            preview(Locale::En, &down).credit_covers.as_deref(),
            Some(
                "$60.00 credit: your next 3 renewals of $20.00 are covered; you pay again on 15 March 2027."
            )
        );
        let partly = CreditTimeline {
            credit: usd(3000),
            renewal: usd(2000),
            covered: 1,
            pay_again_on: datetime!(2027-01-15 00:00 UTC),
            pay_again: usd(1000),
        };
        assert_eq!(
            super::super::credit_covers(Locale::En, &partly),
            "$30.00 credit: your next renewal of $20.00 is covered; on 15 January 2027 you pay $10.00 instead of $20.00."
        );
        let less = CreditTimeline {
            covered: 0,
            pay_again_on: DEC_15,
            pay_again: usd(1500),
            credit: usd(500),
            ..partly
        };
        assert_eq!(
            super::super::credit_covers(Locale::En, &less),
            "$5.00 credit: on 15 December 2026 you pay $15.00 instead of $20.00."
        );
    }

    #[test]
    fn a_free_upgrade_switches_now() {
        let facts = PreviewFacts {
            total: usd(0),
            credits: usd(0),
            ..upgrade_now()
        };
        let view = preview(Locale::En, &facts);
        assert_eq!(view.title, "Switch to Pro now");
        assert_eq!(
            view.summary,
            "Your plan changes to Pro right away. Nothing is charged today."
        );
        assert_eq!(view.button, "Switch to Pro now");
    }

    #[test]
    fn the_difference_is_one_line() {
        let usd = || "USD".to_owned();
        let day = DEC_15.unix_timestamp();
        let cases = [
            (
                Drift::Total {
                    was: 2500,
                    now: 3000,
                    currency: usd(),
                },
                "The amount due today changed from $25.00 to $30.00.",
            ),
            (
                // Credit reads as an amount, whichever way it went.
                Drift::Credits {
                    was: -1500,
                    now: -1000,
                    currency: usd(),
                },
                "The credit changed from $15.00 to $10.00.",
            ),
            (
                Drift::NextBilling {
                    was: day,
                    now: day + 86_400,
                },
                "The next billing date changed from 15 December 2026 to 16 December 2026.",
            ),
            (
                Drift::Currency {
                    was: "USD".into(),
                    now: "EUR".into(),
                },
                "The currency changed from USD to EUR.",
            ),
        ];
        for (drift, first) in cases {
            assert_eq!(
                drift_text(Locale::En, &drift),
                format!("{first} Nothing was charged; check it and confirm again.")
            );
        }
    }

    #[test]
    fn problems_say_nothing_changed() {
        assert_eq!(
            switch_problem(Locale::En, &SwitchProblem::NotOffered),
            "This plan is not available for your subscription."
        );
        assert_eq!(
            switch_problem(Locale::En, &SwitchProblem::AlreadyOnPlan),
            "You are already on this plan."
        );
        assert!(change_failed(Locale::En).contains("Nothing was charged"));
    }

    #[test]
    fn a_refused_confirm_says_what_moved_or_that_nothing_was_sent() {
        let now = AgreedFacts {
            total_minor: 2400,
            currency: "USD".into(),
            ..AgreedFacts::default()
        };
        let moved = |fact, was| ReviewProblem::Moved { fact, was };
        assert_eq!(
            review_problem(Locale::En, moved(MovedFact::Total, Some(2500)), &now),
            "The amount due today changed from $25.00 to $24.00. Nothing was charged; check it and confirm again."
        );
        let price_changed =
            "The price of this change was updated. Please check the new amount and confirm again.";
        assert_eq!(
            review_problem(Locale::En, moved(MovedFact::Currency, None), &now),
            price_changed
        );
        assert_eq!(
            review_problem(Locale::En, moved(MovedFact::Tax, None), &now),
            price_changed
        );
        assert_eq!(
            review_problem(Locale::En, ReviewProblem::NotSent, &now),
            change_failed(Locale::En)
        );
    }
}
