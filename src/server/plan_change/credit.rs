//! What a downgrade's credit covers: Dodo keeps credit with the subscription and applies it to
//! the next renewals before charging the card. From Dodo's own numbers — the credit its
//! preview added, the new plan's renewal price and the next billing date it returned — this
//! says how many renewals the credit pays in full and when the card is charged again ("$60.00
//! credit: your next 3 renewals of $20.00 are covered; you pay again on 1 March 2027").

use crate::money::Money;
use dodo_client::Interval;
use time::{Date, Duration, Month, OffsetDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditTimeline {
    pub credit: Money,
    /// The new plan's renewal price.
    pub renewal: Money,
    /// Renewals the credit pays in full (0 when it pays only part of the first).
    pub covered: i64,
    /// The first renewal the card pays (part of) again.
    pub pay_again_on: OffsetDateTime,
    /// What the card pays then: the renewal less what is left of the credit.
    pub pay_again: Money,
}

/// The timeline of `credit` against renewals of `renewal` every `count` × `interval` from
/// `first_renewal`; `None` without credit, for a free renewal (the credit would cover it
/// forever), or for a date too far to name.
pub fn credit_timeline(
    credit: &Money,
    renewal: &Money,
    first_renewal: OffsetDateTime,
    interval: &Interval,
    count: i64,
) -> Option<CreditTimeline> {
    if credit.minor <= 0 || renewal.minor <= 0 || credit.currency != renewal.currency {
        return None;
    }
    let covered = credit.minor / renewal.minor;
    let left = credit.minor % renewal.minor;
    Some(CreditTimeline {
        credit: credit.clone(),
        renewal: renewal.clone(),
        covered,
        pay_again_on: after_periods(first_renewal, interval, count.max(1), covered)?,
        pay_again: Money::new(renewal.minor - left, &renewal.currency),
    })
}

/// `at` plus `periods` billing periods. Months and years keep the day of the month, clamped to
/// the month's last day (31 January + 1 month = 28 or 29 February), as billing cycles do.
fn after_periods(
    at: OffsetDateTime,
    interval: &Interval,
    count: i64,
    periods: i64,
) -> Option<OffsetDateTime> {
    let n = count.checked_mul(periods)?;
    match interval {
        Interval::Day => at.checked_add(Duration::days(n)),
        Interval::Week => at.checked_add(Duration::weeks(n)),
        Interval::Year => add_months(at, n.checked_mul(12)?),
        _ => add_months(at, n),
    }
}

fn add_months(at: OffsetDateTime, months: i64) -> Option<OffsetDateTime> {
    let index = i64::from(at.year()) * 12 + i64::from(u8::from(at.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = at.day().min(month.length(year));
    Some(at.replace_date(Date::from_calendar_date(year, month, day).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn usd(minor: i64) -> Money {
        Money::new(minor, "USD")
    }

    #[test]
    fn sixty_dollars_cover_three_twenty_dollar_renewals() {
        let t = credit_timeline(
            &usd(6000),
            &usd(2000),
            datetime!(2026-12-01 09:00 UTC),
            &Interval::Month,
            1,
        )
        .expect("timeline");
        assert_eq!(t.covered, 3);
        // December, January and February are paid by the credit.
        assert_eq!(t.pay_again_on, datetime!(2027-03-01 09:00 UTC));
        assert_eq!(t.pay_again, usd(2000));
    }

    #[test]
    fn a_remainder_lowers_the_first_bill_the_card_pays() {
        // Dodo's worked example: $30 of credit against $20 renewals.
        let t = credit_timeline(
            &usd(3000),
            &usd(2000),
            datetime!(2027-02-01 00:00 UTC),
            &Interval::Month,
            1,
        )
        .expect("timeline");
        assert_eq!(t.covered, 1);
        assert_eq!(t.pay_again_on, datetime!(2027-03-01 00:00 UTC));
        assert_eq!(t.pay_again, usd(1000));
        // Less than one renewal: the first renewal is lowered.
        let t = credit_timeline(
            &usd(500),
            &usd(2000),
            datetime!(2027-02-01 00:00 UTC),
            &Interval::Month,
            1,
        )
        .expect("timeline");
        assert_eq!((t.covered, t.pay_again), (0, usd(1500)));
        assert_eq!(t.pay_again_on, datetime!(2027-02-01 00:00 UTC));
    }

    #[test]
    fn periods_keep_the_day_of_the_month_or_its_last_day() {
        let jan31 = datetime!(2027-01-31 12:00 UTC);
        let at = |interval, count, periods| after_periods(jan31, &interval, count, periods);
        assert_eq!(
            at(Interval::Month, 1, 1),
            Some(datetime!(2027-02-28 12:00 UTC))
        );
        assert_eq!(
            at(Interval::Month, 3, 1),
            Some(datetime!(2027-04-30 12:00 UTC))
        );
        assert_eq!(
            at(Interval::Year, 1, 1),
            Some(datetime!(2028-01-31 12:00 UTC))
        );
        assert_eq!(
            at(Interval::Month, 1, 13),
            Some(datetime!(2028-02-29 12:00 UTC))
        );
        assert_eq!(
            at(Interval::Week, 2, 1),
            Some(datetime!(2027-02-14 12:00 UTC))
        );
        assert_eq!(
            at(Interval::Day, 1, 3),
            Some(datetime!(2027-02-03 12:00 UTC))
        );
    }

    #[test]
    fn no_timeline_without_credit_or_for_a_free_renewal() {
        let day = datetime!(2027-02-01 00:00 UTC);
        assert_eq!(
            credit_timeline(&usd(0), &usd(2000), day, &Interval::Month, 1),
            None
        );
        assert_eq!(
            credit_timeline(&usd(-1500), &usd(2000), day, &Interval::Month, 1),
            None
        );
        assert_eq!(
            credit_timeline(&usd(3000), &usd(0), day, &Interval::Month, 1),
            None
        );
        assert_eq!(
            credit_timeline(
                &usd(3000),
                &Money::new(2000, "EUR"),
                day,
                &Interval::Month,
                1
            ),
            None
        );
    }
}
