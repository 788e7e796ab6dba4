//! The plan-change pages' presenter: the facts `server::plan_change` answers with, and the
//! customer's language, in; the views of `types::plan_change` out. Every sentence, amount and
//! date of the pages is worded here, by pure functions (no state, no I/O), so each sentence is
//! unit-tested without Dodo.
//!
//! Server only, like the views: in islands mode pages render on the server, and the islands
//! receive the words written here as rendered HTML (the preview fragment), so no formatting
//! code ships in the WASM.

mod comparison;
mod preview;
mod status;

pub use comparison::{comparison, notice_banner};
pub use preview::{change_failed, drift_text, preview, review_problem, switch_problem};
pub use status::status;

use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t, tf};
use crate::money::Money;
use crate::server::plan_change::CreditTimeline;
use crate::server::plan_change::family::{Direction, Plan};
use dodo_client::Interval;
use time::OffsetDateTime;

pub fn money(locale: Locale, amount: &Money) -> String {
    amount.format(locale)
}

/// "15 December 2026", "15 Desember 2026", "15 दिसंबर, 2026" (CLDR, `crate::dates`).
pub fn date(locale: Locale, at: OffsetDateTime) -> String {
    crate::dates::long_date(locale, at.date())
}

/// "$30.00 per month", "$800.00 per year", "$90.00 every 3 months" (per seat when the plan
/// lets the subscriber choose seats).
pub fn price_label(locale: Locale, plan: &Plan) -> String {
    let amount = money(locale, &Money::new(plan.amount, &plan.currency));
    let count = plan.interval_count;
    let key = match (&plan.interval, count) {
        (Interval::Day, 1) => T::PerDay,
        (Interval::Week, 1) => T::PerWeek,
        (Interval::Year, 1) => T::PerYear,
        (Interval::Day, _) => T::EveryDays,
        (Interval::Week, _) => T::EveryWeeks,
        (Interval::Year, _) => T::EveryYears,
        (_, 1) => T::PerMonth,
        _ => T::EveryMonths,
    };
    let label = tf(
        locale,
        key,
        &[("amount", &amount), ("count", &count.to_string())],
    );
    if plan.max_quantity() > 1 {
        tf(locale, T::PerSeat, &[("amount", &label)])
    } else {
        label
    }
}

/// What a credit covers, in one sentence: how many renewals it pays, and when and how much
/// the card pays again.
pub fn credit_covers(locale: Locale, c: &CreditTimeline) -> String {
    let credit = money(locale, &c.credit);
    let renewal = money(locale, &c.renewal);
    let on = date(locale, c.pay_again_on);
    let pay = money(locale, &c.pay_again);
    let count = c.covered.to_string();
    let full = c.pay_again.minor == c.renewal.minor;
    let key = match (c.covered, full) {
        (0, _) => T::CreditLowersNext,
        (1, true) => T::CreditCoversOne,
        (1, false) => T::CreditCoversOnePartly,
        (_, true) => T::CreditCoversMany,
        (_, false) => T::CreditCoversManyPartly,
    };
    tf(
        locale,
        key,
        &[
            ("credit", &credit),
            ("count", &count),
            ("renewal", &renewal),
            ("date", &on),
            ("pay", &pay),
        ],
    )
}

fn direction_label(locale: Locale, direction: Direction) -> &'static str {
    t(
        locale,
        match direction {
            Direction::Upgrade => T::Upgrade,
            Direction::Downgrade => T::Downgrade,
        },
    )
}

/// Plans and subscriptions as the presenter's tests need them.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::money::Money;
    use crate::server::merchant::plan_change::Tier;
    use crate::server::plan_change::family::Plan;
    use crate::server::plan_change::family::tests::product;
    use crate::server::plan_change::{Bill, PlanRef};
    use dodo_client::Interval;
    use time::OffsetDateTime;
    use time::macros::datetime;

    /// A monthly or yearly USD plan named `name` (id `pdt_<name>`).
    pub fn plan(name: &str, amount: i64, interval: Interval) -> Plan {
        let id = format!("pdt_{name}");
        Plan {
            product: product(&id, amount, interval.clone(), None),
            amount,
            currency: "USD".into(),
            interval,
            interval_count: 1,
            tier: None,
        }
    }

    /// `plan` with seats: up to `max_quantity`, in a tier with `features`.
    pub fn with_tier(mut plan: Plan, max_quantity: u32, features: &[&str]) -> Plan {
        plan.tier = Some((
            0,
            Tier {
                name: "Tier".into(),
                plans: vec![plan.product.id.clone()],
                features: features.iter().map(|f| f.to_string()).collect(),
                badge: Some("Most popular".into()),
                max_quantity,
                id: None,
                hi: None,
            },
        ));
        plan
    }

    /// The [`PlanRef`] of [`plan`]`(name, …)`.
    pub fn plan_ref(name: &str) -> PlanRef {
        PlanRef {
            product_id: format!("pdt_{name}"),
            name: name.into(),
        }
    }

    pub fn usd(minor: i64) -> Money {
        Money::new(minor, "USD")
    }

    pub const DEC_15: OffsetDateTime = datetime!(2026-12-15 00:00 UTC);

    pub fn bill(minor: i64) -> Bill {
        Bill {
            amount: usd(minor),
            on: DEC_15,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{DEC_15, plan, with_tier};
    use super::*;

    #[test]
    fn prices_name_their_period_and_seats() {
        let en = Locale::En;
        assert_eq!(
            price_label(en, &plan("Basic", 3000, Interval::Month)),
            "$30.00 per month"
        );
        assert_eq!(
            price_label(en, &plan("Pro", 80000, Interval::Year)),
            "$800.00 per year"
        );
        let mut quarterly = plan("Quarterly", 9000, Interval::Month);
        quarterly.interval_count = 3;
        assert_eq!(price_label(en, &quarterly), "$90.00 every 3 months");
        let team = with_tier(plan("Team", 1500, Interval::Month), 20, &[]);
        assert_eq!(price_label(en, &team), "$15.00 per month per seat");
    }

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(date(Locale::En, DEC_15), "15 December 2026");
    }
}
