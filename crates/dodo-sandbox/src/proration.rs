//! The arithmetic of a plan change, with no state: what is charged now, what becomes credit,
//! and whether the billing cycle restarts.
//!
//! Proration counts whole days, like Dodo's worked example ("15 days used, 15 left" of a
//! 30-day cycle): `remaining = period_days - days_used`. Day granularity keeps the amounts
//! stable while a test runs, where second granularity would drift by cents.
//!
//! Readings implemented (see the README):
//! - `prorated_immediately_keep_cycle`, and `prorated_immediately` by default: the official
//!   worked example: credit the unused part of the old plan, charge the new plan for the
//!   remaining days, keep the cycle (Basic $30 → Pro $80 on day 15 of 30 charges $25).
//! - `prorated_immediately` when the business reads it as resetting the cycle
//!   (`prorated_resets_cycle`): credit the unused part of the old plan, charge a full new
//!   cycle from today (the same change charges $80 − $15 = $65; next billing in a month).
//! - In a trial (nothing paid yet, so nothing to credit), every billing mode but
//!   `do_not_bill` ends the trial and charges the full new price for a cycle starting today
//!   (docs: "ends trial, charges immediately"; `full_immediately` "charges full amount").
//! - `difference_immediately`: charge (or credit) new price − old price, keep the cycle.
//! - `full_immediately`: charge the full new price, no credit, the cycle restarts today.
//! - `do_not_bill`: switch with no charge and no credit, keep the cycle.

use crate::money::prorate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    ProratedImmediately,
    ProratedKeepCycle,
    Difference,
    Full,
    DoNotBill,
}

impl Mode {
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "prorated_immediately" => Mode::ProratedImmediately,
            "prorated_immediately_keep_cycle" => Mode::ProratedKeepCycle,
            "difference_immediately" => Mode::Difference,
            "full_immediately" => Mode::Full,
            "do_not_bill" => Mode::DoNotBill,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct QuoteInput {
    pub mode: Mode,
    /// Old plan: unit price × quantity, minor units.
    pub old_amount: i64,
    pub new_unit_price: i64,
    pub new_quantity: i64,
    pub days_used: i64,
    pub period_days: i64,
    /// Credit the subscription already holds from earlier downgrades.
    pub credit_balance: i64,
    /// The business reads plain `prorated_immediately` as restarting the cycle.
    pub prorated_resets_cycle: bool,
    /// The subscription is in its (unpaid) trial.
    pub in_trial: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quote {
    /// `proration_factor` of the new plan's line item.
    pub proration_factor: f64,
    /// Cost of the new plan for the part of the cycle being billed.
    pub new_cost: i64,
    /// Value of the old plan given back (unused time, or its full price for `difference`).
    pub old_credit: i64,
    /// Charged now.
    pub total_amount: i64,
    /// Preview's `customer_credits`: negative = credit consumed to offset the charge,
    /// positive = credit added to the subscription's balance.
    pub customer_credits: i64,
    /// The subscription's credit balance after the change.
    pub credit_after: i64,
    pub reset_cycle: bool,
}

pub fn quote(input: QuoteInput) -> Quote {
    let period = input.period_days.max(1);
    let used = input.days_used.clamp(0, period);
    let remaining = period - used;
    let new_amount = input.new_unit_price.saturating_mul(input.new_quantity);
    let (new_cost, old_credit, factor, reset_cycle) = match input.mode {
        Mode::DoNotBill => (0, 0, 0.0, false),
        // Nothing was paid for the trial: no credit, a full first cycle from today.
        _ if input.in_trial => (new_amount, 0, 1.0, true),
        Mode::ProratedImmediately if input.prorated_resets_cycle => (
            new_amount,
            prorate(input.old_amount, remaining, period),
            1.0,
            true,
        ),
        Mode::ProratedImmediately | Mode::ProratedKeepCycle => (
            prorate(new_amount, remaining, period),
            prorate(input.old_amount, remaining, period),
            remaining as f64 / period as f64,
            false,
        ),
        Mode::Difference => (new_amount, input.old_amount, 1.0, false),
        Mode::Full => (new_amount, 0, 1.0, true),
    };
    let balance = input.credit_balance.max(0);
    let available = old_credit + balance;
    if new_cost >= available {
        Quote {
            proration_factor: factor,
            new_cost,
            old_credit,
            total_amount: new_cost - available,
            customer_credits: -available,
            credit_after: 0,
            reset_cycle,
        }
    } else {
        let credit_after = available - new_cost;
        Quote {
            proration_factor: factor,
            new_cost,
            old_credit,
            total_amount: 0,
            customer_credits: credit_after - balance,
            credit_after,
            reset_cycle,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day15(mode: Mode, old: i64, new: i64) -> Quote {
        quote(QuoteInput {
            mode,
            old_amount: old,
            new_unit_price: new,
            new_quantity: 1,
            days_used: 15,
            period_days: 30,
            credit_balance: 0,
            prorated_resets_cycle: false,
            in_trial: false,
        })
    }

    #[test]
    fn documented_upgrade_numbers() {
        let prorated = day15(Mode::ProratedImmediately, 3000, 8000);
        assert_eq!(prorated.total_amount, 2500);
        assert_eq!(prorated.customer_credits, -1500);
        assert_eq!(prorated.new_cost, 4000);
        assert!(!prorated.reset_cycle);
        assert_eq!(
            day15(Mode::ProratedKeepCycle, 3000, 8000).total_amount,
            2500
        );

        let difference = day15(Mode::Difference, 3000, 8000);
        assert_eq!(difference.total_amount, 5000);
        assert!(!difference.reset_cycle);

        let full = day15(Mode::Full, 3000, 8000);
        assert_eq!(full.total_amount, 8000);
        assert!(full.reset_cycle);

        let free = day15(Mode::DoNotBill, 3000, 8000);
        assert_eq!((free.total_amount, free.customer_credits), (0, 0));
    }

    #[test]
    fn documented_downgrade_numbers() {
        let difference = day15(Mode::Difference, 8000, 2000);
        assert_eq!(difference.total_amount, 0);
        assert_eq!(difference.credit_after, 6000);
        assert_eq!(difference.customer_credits, 6000);

        let prorated = day15(Mode::ProratedImmediately, 8000, 2000);
        assert_eq!(prorated.total_amount, 0);
        assert_eq!(prorated.credit_after, 3000);
    }

    #[test]
    fn existing_credit_offsets_an_upgrade() {
        let q = quote(QuoteInput {
            mode: Mode::Difference,
            old_amount: 2000,
            new_unit_price: 3000,
            new_quantity: 1,
            days_used: 3,
            period_days: 30,
            credit_balance: 600,
            prorated_resets_cycle: false,
            in_trial: false,
        });
        assert_eq!(q.total_amount, 400);
        assert_eq!(q.customer_credits, -2600);
        assert_eq!(q.credit_after, 0);
    }

    #[test]
    fn the_reset_cycle_reading_bills_a_new_cycle() {
        let input = |mode, old, new| QuoteInput {
            mode,
            old_amount: old,
            new_unit_price: new,
            new_quantity: 1,
            days_used: 15,
            period_days: 30,
            credit_balance: 0,
            prorated_resets_cycle: true,
            in_trial: false,
        };
        let up = quote(input(Mode::ProratedImmediately, 3000, 8000));
        assert_eq!((up.total_amount, up.customer_credits), (6500, -1500));
        assert_eq!((up.proration_factor, up.reset_cycle), (1.0, true));
        let down = quote(input(Mode::ProratedImmediately, 8000, 2000));
        assert_eq!((down.total_amount, down.credit_after), (0, 2000));
        assert!(down.reset_cycle);
        // _keep_cycle never follows the switch.
        let kept = quote(input(Mode::ProratedKeepCycle, 3000, 8000));
        assert_eq!((kept.total_amount, kept.reset_cycle), (2500, false));
    }

    #[test]
    fn a_trial_ends_with_a_full_first_cycle() {
        for mode in [
            Mode::ProratedImmediately,
            Mode::ProratedKeepCycle,
            Mode::Difference,
            Mode::Full,
        ] {
            let q = quote(QuoteInput {
                mode,
                old_amount: 3000,
                new_unit_price: 8000,
                new_quantity: 1,
                days_used: 4,
                period_days: 14,
                credit_balance: 0,
                prorated_resets_cycle: false,
                in_trial: true,
            });
            assert_eq!((q.total_amount, q.customer_credits), (8000, 0), "{mode:?}");
            assert!(q.reset_cycle, "{mode:?}");
        }
        let free = quote(QuoteInput {
            mode: Mode::DoNotBill,
            old_amount: 3000,
            new_unit_price: 8000,
            new_quantity: 1,
            days_used: 4,
            period_days: 14,
            credit_balance: 0,
            prorated_resets_cycle: false,
            in_trial: true,
        });
        assert_eq!((free.total_amount, free.reset_cycle), (0, false));
    }

    #[test]
    fn unknown_modes_do_not_parse() {
        assert_eq!(
            Mode::parse("prorated_immediately"),
            Some(Mode::ProratedImmediately)
        );
        assert_eq!(Mode::parse("Prorated_Immediately"), None);
        assert_eq!(Mode::parse("bill_twice"), None);
    }
}
