//! Prints a table of sample outputs: `cargo run -p cldr-format --example show`.
use cldr_format::{Locale, date, date_short, money, money_signed};

fn main() {
    let cases: &[(i64, &str)] = &[
        (123_450, "USD"),
        (-1500, "USD"),
        (0, "USD"),
        (12_500_000, "INR"),
        (1_250_000_000, "INR"),
        (125_000_000, "IDR"),
        (125_000_050, "IDR"),
        (-1550, "EUR"),
        (1200, "JPY"),
        (1250, "KWD"),
        (1234, "XYZ"),
        (1234, "usd"),
        (-1234, "bogus"),
        (1234, ""),
        (i64::MIN, "USD"),
        (i64::MAX, "JPY"),
        (-5, "GBP"),
    ];
    for l in Locale::ALL {
        for (m, c) in cases {
            println!(
                "{:6} {:>22} {:6} money={:?} signed={:?}",
                l.tag(),
                m,
                c,
                money(*m, c, l),
                money_signed(*m, c, l)
            );
        }
        let d = time::Date::from_calendar_date(2026, time::Month::December, 15).unwrap();
        println!(
            "{:6} date={:?} short={:?} min={:?} max={:?}",
            l.tag(),
            date(d, l),
            date_short(d, l),
            date(time::Date::MIN, l),
            date(time::Date::MAX, l)
        );
    }
}
