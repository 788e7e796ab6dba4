//! Dates as the customer reads them (next billing date, a scheduled change, a trial's end):
//! CLDR's long date through `cldr-format`, on the server only.

use crate::i18n::Locale;
use time::Date;

/// "15 December 2026", "15 Desember 2026", "15 दिसंबर, 2026".
///
/// English is CLDR's international English pattern (`d MMMM y`, as `en-GB`, `en-001` and
/// `en-IN` write it), which these pages have always shown, rather than US English's
/// "December 15, 2026": our English readers are mostly outside the US.
pub fn long_date(locale: Locale, date: Date) -> String {
    let cldr = match locale {
        Locale::En => cldr_format::Locale::EnIn,
        other => crate::money::cldr(other),
    };
    cldr_format::date(date, cldr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn day(y: i32, m: Month, d: u8) -> Date {
        Date::from_calendar_date(y, m, d).expect("a real date")
    }

    #[test]
    fn each_locale_as_cldr_writes_it() {
        let dec_15 = day(2026, Month::December, 15);
        assert_eq!(long_date(Locale::En, dec_15), "15 December 2026");
        assert_eq!(long_date(Locale::EnIn, dec_15), "15 December 2026");
        assert_eq!(long_date(Locale::Id, dec_15), "15 Desember 2026");
        assert_eq!(long_date(Locale::Hi, dec_15), "15 दिसंबर, 2026");
        assert_eq!(
            long_date(Locale::Id, day(2027, Month::March, 5)),
            "5 Maret 2027"
        );
        assert_eq!(
            long_date(Locale::Hi, day(2027, Month::February, 1)),
            "1 फ़रवरी, 2027"
        );
    }
}
