//! Which way a switch goes. The direction picks the billing settings Dodo is asked for
//! (upgrades usually now, downgrades usually at the next billing date), so it follows what the
//! subscriber commits to, not only what one charge costs: yearly → monthly is a downgrade even
//! though each monthly bill is higher per month than the yearly one works out to.

use super::plan::Plan;
use dodo_client::Interval;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

/// Which way `from` × `from_qty` → `to` × `to_qty` goes, with the plans' own prices (the ones
/// Dodo's preview bills). Decided by the first rule that tells them apart:
///
/// 1. the same plan: more seats is an upgrade, fewer a downgrade;
/// 2. to a free plan from a paid one is a downgrade, from free to paid an upgrade;
/// 3. plans in different tiers of the configured family: the merchant's tier order;
/// 4. a longer billing interval is an upgrade (monthly → yearly), a shorter one a downgrade
///    (yearly → monthly), whatever the price per month;
/// 5. the same interval: the price normalised per month × seats; equal counts as an upgrade.
pub fn direction(from: &Plan, from_qty: i64, to: &Plan, to_qty: i64) -> Direction {
    let order = if from.id() == to.id() {
        to_qty.cmp(&from_qty)
    } else if (from.amount > 0) != (to.amount > 0) {
        to.amount.cmp(&from.amount)
    } else {
        match (&from.tier, &to.tier) {
            (Some((a, _)), Some((b, _))) if a != b => b.cmp(a),
            _ => period_hours(to)
                .cmp(&period_hours(from))
                .then_with(|| per_month(to, to_qty, from, from_qty)),
        }
    };
    match order {
        Ordering::Less => Direction::Downgrade,
        Ordering::Greater | Ordering::Equal => Direction::Upgrade,
    }
}

/// The length of one billing period, in hours of a 365-day year (a month is 730 hours).
fn period_hours(plan: &Plan) -> i128 {
    let unit: i128 = match plan.interval {
        Interval::Day => 24,
        Interval::Week => 168,
        Interval::Year => 8760,
        _ => 730,
    };
    unit * i128::from(plan.interval_count.max(1))
}

/// Compares `a` × `qa` with `b` × `qb` by price per hour (the same order as per month),
/// without dividing: a × qa / len_a against b × qb / len_b.
fn per_month(a: &Plan, qa: i64, b: &Plan, qb: i64) -> Ordering {
    let left = i128::from(a.amount) * i128::from(qa) * period_hours(b);
    let right = i128::from(b.amount) * i128::from(qb) * period_hours(a);
    left.cmp(&right)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::merchant::plan_change::Tier;
    use crate::server::plan_change::family::tests::product;
    use Direction::{Downgrade, Upgrade};

    fn plan(id: &str, amount: i64, interval: Interval, count: i64, tier: Option<usize>) -> Plan {
        Plan {
            product: product(id, amount, interval.clone(), None),
            amount,
            currency: "USD".into(),
            interval,
            interval_count: count,
            tier: tier.map(|i| {
                (
                    i,
                    Tier {
                        name: format!("Tier {i}"),
                        plans: vec![id.to_owned()],
                        features: Vec::new(),
                        badge: None,
                        max_quantity: 10,
                        id: None,
                        hi: None,
                    },
                )
            }),
        }
    }

    #[test]
    fn the_table_of_cases() {
        use Interval::{Month, Week, Year};
        let basic = plan("basic", 3000, Month, 1, None);
        let pro = plan("pro", 8000, Month, 1, None);
        let pro_yearly = plan("pro_yearly", 80000, Year, 1, None);
        let basic_yearly = plan("basic_yearly", 30000, Year, 1, None);
        let free = plan("free", 0, Month, 1, None);
        let quarterly = plan("quarterly", 20000, Month, 3, None);
        let weekly = plan("weekly", 2500, Week, 1, None);
        let tiered_basic_yearly = plan("t_basic_yearly", 30000, Year, 1, Some(1));
        let tiered_pro = plan("t_pro", 8000, Month, 1, Some(2));
        let tiered_pro_yearly = plan("t_pro_yearly", 80000, Year, 1, Some(2));
        let cases: [(&Plan, i64, &Plan, i64, Direction, &str); 16] = [
            (&basic, 1, &pro, 1, Upgrade, "a higher monthly price"),
            (&pro, 1, &basic, 1, Downgrade, "a lower monthly price"),
            (
                &pro,
                1,
                &pro_yearly,
                1,
                Upgrade,
                "monthly → yearly, cheaper per month",
            ),
            (
                &pro_yearly,
                1,
                &pro,
                1,
                Downgrade,
                "yearly → monthly, dearer per month",
            ),
            (
                &basic_yearly,
                1,
                &pro,
                1,
                Downgrade,
                "a shorter interval, even to a dearer plan",
            ),
            (
                &pro,
                1,
                &basic_yearly,
                1,
                Upgrade,
                "a longer interval, even to a cheaper plan",
            ),
            (&pro, 3, &pro, 5, Upgrade, "more seats"),
            (&pro, 5, &pro, 3, Downgrade, "fewer seats"),
            (
                &basic,
                3,
                &pro,
                1,
                Downgrade,
                "3 × $30 is more than 1 × $80 a month",
            ),
            (
                &pro_yearly,
                1,
                &free,
                1,
                Downgrade,
                "to free, whatever the interval",
            ),
            (&free, 1, &basic_yearly, 1, Upgrade, "from free"),
            (
                &basic,
                1,
                &quarterly,
                1,
                Upgrade,
                "every 3 months is a longer interval",
            ),
            (
                &weekly,
                1,
                &basic,
                1,
                Upgrade,
                "weekly → monthly is a longer interval",
            ),
            (
                &tiered_basic_yearly,
                1,
                &tiered_pro,
                1,
                Upgrade,
                "tiers decide across tiers",
            ),
            (
                &tiered_pro_yearly,
                1,
                &tiered_pro,
                1,
                Downgrade,
                "inside a tier, the interval decides",
            ),
            (
                &basic,
                1,
                &plan("other", 3000, Month, 1, None),
                1,
                Upgrade,
                "equal is an upgrade",
            ),
        ];
        for (from, fq, to, tq, expected, why) in cases {
            assert_eq!(
                direction(from, fq, to, tq),
                expected,
                "{} × {fq} → {} × {tq}: {why}",
                from.id(),
                to.id()
            );
        }
    }
}
