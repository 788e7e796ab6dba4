//! The sandbox clock: real time plus an offset that `/_sandbox/clock/advance` moves, and the
//! calendar arithmetic of billing intervals.

use serde::{Deserialize, Serialize};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Date, Duration, Month, OffsetDateTime};

/// Dodo's `TimeInterval`, serialized with Dodo's capitalisation (`"Month"`): the Rust SDK
/// turns `"month"` into `TimeInterval::Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Interval {
    Day,
    Week,
    Month,
    Year,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "Day",
            Interval::Week => "Week",
            Interval::Month => "Month",
            Interval::Year => "Year",
        }
    }

    /// Lower-case noun for the hosted page ("per month").
    pub fn noun(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.offset
    }

    pub fn offset(&self) -> Duration {
        self.offset
    }

    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}

const RFC3339_MICROS: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// RFC 3339 in UTC with microseconds, as Dodo writes timestamps.
pub fn fmt(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(RFC3339_MICROS)
        .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

/// Adds `count` intervals, clamping the day of month (Jan 31 + 1 month = Feb 28/29).
pub fn add_interval(at: OffsetDateTime, interval: Interval, count: i64) -> OffsetDateTime {
    match interval {
        Interval::Day => at.saturating_add(Duration::days(count)),
        Interval::Week => at.saturating_add(Duration::weeks(count)),
        Interval::Month => add_months(at, count),
        Interval::Year => add_months(at, count.saturating_mul(12)),
    }
}

fn add_months(at: OffsetDateTime, months: i64) -> OffsetDateTime {
    let date = at.date();
    let total = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(date.year());
    let month_index = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let month = Month::try_from(month_index).unwrap_or(Month::January);
    let last_day = month.length(year);
    let day = date.day().min(last_day);
    match Date::from_calendar_date(year, month, day) {
        Ok(new_date) => at.replace_date(new_date),
        Err(_) => at,
    }
}

/// Whole days between two instants, rounded down (negative if `to` is earlier).
pub fn whole_days(from: OffsetDateTime, to: OffsetDateTime) -> i64 {
    (to - from).whole_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_clamp_to_the_end_of_shorter_months() {
        let jan31 = datetime!(2026-01-31 10:00 UTC);
        assert_eq!(
            add_interval(jan31, Interval::Month, 1),
            datetime!(2026-02-28 10:00 UTC)
        );
        assert_eq!(
            add_interval(jan31, Interval::Year, 1),
            datetime!(2027-01-31 10:00 UTC)
        );
        assert_eq!(
            add_interval(datetime!(2026-11-15 0:00 UTC), Interval::Month, 3),
            datetime!(2027-02-15 0:00 UTC)
        );
    }

    #[test]
    fn timestamps_are_rfc3339_with_micros() {
        let at = datetime!(2025-08-04 05:30:31.152232 UTC);
        assert_eq!(fmt(at), "2025-08-04T05:30:31.152232Z");
    }

    #[test]
    fn advancing_moves_now() {
        let mut clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::days(10));
        assert!(clock.now() - before >= Duration::days(10));
    }
}
