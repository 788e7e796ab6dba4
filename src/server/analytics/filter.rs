//! What the dashboard shows: a period of UTC time, a surface and a locale, parsed from the
//! page's query string with errors that say what is wrong.

use crate::i18n::Locale;

/// One UTC day in unix milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// The longest period one page may ask for: a year, leap day included. Longer ones would make
/// the daily chart unreadable and the queries scan more than the page needs.
pub const MAX_DAYS: i64 = 366;
/// The period shown when the query names none: the last 30 days, today included.
pub const DEFAULT_DAYS: i64 = 30;

/// Where an offer was shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Surface {
    #[default]
    All,
    /// Our own page, opened from Dodo's checkout or a link.
    Standalone,
    /// Inside a merchant's iframe (`embed.js`).
    Embedded,
}

impl Surface {
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::All => "all",
            Surface::Standalone => "standalone",
            Surface::Embedded => "embedded",
        }
    }
}

/// Which language's impressions count; `All` also counts impressions recorded before the
/// language was kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LocaleFilter {
    #[default]
    All,
    Only(Locale),
}

impl LocaleFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            LocaleFilter::All => "all",
            LocaleFilter::Only(l) => l.tag(),
        }
    }
}

/// The dashboard's filter: `[from_ms, to_ms)` in unix ms, a surface and a locale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnalyticsFilter {
    pub from_ms: i64,
    pub to_ms: i64,
    pub surface: Surface,
    pub locale: LocaleFilter,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("`{field}` must be unix milliseconds or a date like 2026-12-01, not `{value}`")]
    BadTime { field: &'static str, value: String },
    #[error("the period is empty: `from` must be before `to`")]
    Empty,
    #[error("the period is {days} days; at most {MAX_DAYS} days can be shown at once")]
    TooLong { days: i64 },
    #[error("`surface` must be all, standalone or embedded, not `{0}`")]
    BadSurface(String),
    #[error("`locale` must be all, en, en-IN, id or hi, not `{0}`")]
    BadLocale(String),
}

impl AnalyticsFilter {
    /// A checked filter: `from_ms < to_ms`, at most [`MAX_DAYS`] apart.
    pub fn new(
        from_ms: i64,
        to_ms: i64,
        surface: Surface,
        locale: LocaleFilter,
    ) -> Result<AnalyticsFilter, FilterError> {
        if from_ms >= to_ms {
            return Err(FilterError::Empty);
        }
        let span = i128::from(to_ms) - i128::from(from_ms);
        if span > i128::from(MAX_DAYS * DAY_MS) {
            // Rounded up: 366 days and one millisecond is "367 days".
            let days = (span + i128::from(DAY_MS) - 1) / i128::from(DAY_MS);
            return Err(FilterError::TooLong {
                days: i64::try_from(days).unwrap_or(i64::MAX),
            });
        }
        Ok(AnalyticsFilter {
            from_ms,
            to_ms,
            surface,
            locale,
        })
    }

    /// Parses the page's query-string values (absent or empty = the default). `from` / `to` are
    /// unix milliseconds, or a UTC date `YYYY-MM-DD`: `from` is that day's start and `to`
    /// the end of that day (the day is included). Defaults: `to` the end of today (UTC), `from`
    /// [`DEFAULT_DAYS`] days before `to`; surface and locale `all`.
    pub fn from_query(
        from: Option<&str>,
        to: Option<&str>,
        surface: Option<&str>,
        locale: Option<&str>,
        now_ms: i64,
    ) -> Result<AnalyticsFilter, FilterError> {
        let to_ms = match given(to) {
            Some(v) => parse_time("to", v, 1)?,
            None => (now_ms.div_euclid(DAY_MS) + 1) * DAY_MS,
        };
        let from_ms = match given(from) {
            Some(v) => parse_time("from", v, 0)?,
            None => to_ms - DEFAULT_DAYS * DAY_MS,
        };
        let surface = match given(surface).map(str::to_ascii_lowercase).as_deref() {
            None | Some("all") => Surface::All,
            Some("standalone") => Surface::Standalone,
            Some("embedded") => Surface::Embedded,
            Some(_) => {
                return Err(FilterError::BadSurface(
                    given(surface).unwrap_or_default().to_owned(),
                ));
            }
        };
        let locale = match given(locale) {
            None => LocaleFilter::All,
            Some(v) if v.eq_ignore_ascii_case("all") => LocaleFilter::All,
            Some(v) => Locale::ALL
                .iter()
                .find(|l| l.tag().eq_ignore_ascii_case(v))
                .map(|l| LocaleFilter::Only(*l))
                .ok_or_else(|| FilterError::BadLocale(v.to_owned()))?,
        };
        AnalyticsFilter::new(from_ms, to_ms, surface, locale)
    }

    /// The UTC days the period touches, as day numbers (unix ms / [`DAY_MS`]), in order.
    pub fn days(&self) -> std::ops::RangeInclusive<i64> {
        self.from_ms.div_euclid(DAY_MS)..=(self.to_ms - 1).div_euclid(DAY_MS)
    }
}

/// A query value that says something (absent and blank are the same).
fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// Unix ms, or a UTC date plus `days_after` days (0: its start; 1: the start of the next).
fn parse_time(field: &'static str, value: &str, days_after: i64) -> Result<i64, FilterError> {
    let bad = || FilterError::BadTime {
        field,
        value: value.to_owned(),
    };
    if let Ok(ms) = value.parse::<i64>() {
        return Ok(ms);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(value, &format).map_err(|_| bad())?;
    let start = date.midnight().assume_utc().unix_timestamp() * 1000;
    Ok(start + days_after * DAY_MS)
}

/// The SQL conditions the filter puts on an impression aliased `alias` (surface and locale
/// only; its values come from the enums above, never from the request, so they are written
/// into the SQL text). Empty when both are `all`.
pub(super) fn impression_conditions(filter: &AnalyticsFilter, alias: &str) -> String {
    let mut sql = String::new();
    match filter.surface {
        Surface::All => {}
        Surface::Standalone => sql.push_str(&format!(" AND {alias}.embedded = 0")),
        Surface::Embedded => sql.push_str(&format!(" AND {alias}.embedded = 1")),
    }
    if let LocaleFilter::Only(locale) = filter.locale {
        sql.push_str(&format!(" AND {alias}.locale = '{}'", locale.tag()));
    }
    sql
}

/// A condition on an offer aliased `offer`: it was shown on the filter's surface and in its
/// locale (at any time). Empty when both are `all`: then every offer counts, shown or not.
pub(super) fn offer_shown_condition(filter: &AnalyticsFilter, offer: &str) -> String {
    let on_impression = impression_conditions(filter, "fi");
    if on_impression.is_empty() {
        return String::new();
    }
    format!(
        " AND EXISTS (SELECT 1 FROM impressions fi WHERE fi.offer_id = {offer}.id{on_impression})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_620_000_000; // 2025-12-01T20:13:20Z

    #[test]
    fn defaults_are_the_last_30_days_with_today() {
        let f = AnalyticsFilter::from_query(None, Some(""), None, None, NOW).expect("filter");
        assert_eq!(f.to_ms, 1_764_633_600_000, "2025-12-02T00:00Z");
        assert_eq!(f.from_ms, 1_764_633_600_000 - 30 * DAY_MS);
        assert_eq!((f.surface, f.locale), (Surface::All, LocaleFilter::All));
        assert_eq!(f.days().count(), 30);
    }

    #[test]
    fn dates_include_the_to_day_and_millis_are_taken_as_given() {
        let f = AnalyticsFilter::from_query(
            Some("2025-11-01"),
            Some("2025-11-30"),
            Some("Embedded"),
            Some("en-in"),
            NOW,
        )
        .expect("filter");
        assert_eq!(f.from_ms, 1_761_955_200_000);
        assert_eq!(f.to_ms, 1_764_547_200_000, "the start of 2025-12-01");
        assert_eq!(f.surface, Surface::Embedded);
        assert_eq!(f.locale, LocaleFilter::Only(Locale::EnIn));
        let f = AnalyticsFilter::from_query(Some("1000"), Some("2000"), None, Some("hi"), NOW)
            .expect("filter");
        assert_eq!((f.from_ms, f.to_ms), (1000, 2000));
        assert_eq!(f.days(), 0..=0);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let past_a_year = (366 * DAY_MS + 1).to_string();
        let q = |from, to, surface, locale| {
            AnalyticsFilter::from_query(from, to, surface, locale, NOW).unwrap_err()
        };
        assert_eq!(
            q(Some("yesterday"), None, None, None),
            FilterError::BadTime {
                field: "from",
                value: "yesterday".into()
            }
        );
        assert_eq!(
            q(Some("2000"), Some("2000"), None, None),
            FilterError::Empty
        );
        assert_eq!(
            q(Some("3000"), Some("2000"), None, None),
            FilterError::Empty
        );
        assert_eq!(
            q(Some("0"), Some(&past_a_year), None, None),
            FilterError::TooLong { days: 367 }
        );
        assert_eq!(
            q(None, None, Some("iframe"), None),
            FilterError::BadSurface("iframe".into())
        );
        assert_eq!(
            q(None, None, None, Some("en-GB")),
            FilterError::BadLocale("en-GB".into())
        );
        assert_eq!(
            q(None, None, None, Some("fr")).to_string(),
            "`locale` must be all, en, en-IN, id or hi, not `fr`"
        );
        // Exactly 366 days is allowed.
        assert!(AnalyticsFilter::new(0, 366 * DAY_MS, Surface::All, LocaleFilter::All).is_ok());
    }

    #[test]
    fn sql_conditions_come_from_the_enums() {
        let f = AnalyticsFilter::new(0, 1, Surface::Standalone, LocaleFilter::Only(Locale::Id))
            .expect("filter");
        assert_eq!(
            impression_conditions(&f, "i"),
            " AND i.embedded = 0 AND i.locale = 'id'"
        );
        let all = AnalyticsFilter::new(0, 1, Surface::All, LocaleFilter::All).expect("filter");
        assert_eq!(offer_shown_condition(&all, "o"), "");
    }
}
