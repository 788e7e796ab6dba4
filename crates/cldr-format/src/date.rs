//! Dates: a calendar day written as CLDR says for a locale (Gregorian calendar).

use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;

use crate::data::Baked;
use crate::locale::Locale;

/// Formats `date` in the locale's long style, with the month spelled out:
/// `en` "December 15, 2026", `en-IN` "15 December 2026", `id` "15 Desember 2026",
/// `hi` "15 दिसंबर, 2026".
///
/// The pattern and month names are CLDR's long Gregorian year-month-day for the locale;
/// digits are the locale's default numbering system (Latin for all four).
/// Never panics: a date ICU4X cannot represent is written as ISO 8601 (`2026-12-15`).
pub fn date(date: time::Date, locale: Locale) -> String {
    format(date, locale, YMD::long())
}

/// Formats `date` in the locale's short, numeric style: `en` "12/15/26",
/// `en-IN` and `id` "15/12/26", `hi` "15/12/26".
///
/// Short numeric dates are ambiguous between locales (12/15 vs 15/12); prefer [`date`]
/// wherever the reader might not share the locale. Never panics.
pub fn date_short(date: time::Date, locale: Locale) -> String {
    format(date, locale, YMD::short())
}

fn format(date: time::Date, locale: Locale, fields: YMD) -> String {
    let iso = || date.to_string();
    let Ok(day) = Date::try_new_gregorian(date.year(), u8::from(date.month()), date.day()) else {
        return iso();
    };
    match FixedCalendarDateTimeFormatter::<Gregorian, YMD>::try_new_unstable(
        &Baked,
        (&locale.icu()).into(),
        fields,
    ) {
        Ok(formatter) => formatter.format(&day).to_string(),
        Err(_) => iso(),
    }
}
