//! CLDR formatting of money and dates for the locales Dodo Upsell serves: `en`, `en-IN`,
//! `id` and `hi`.
//!
//! Plain functions, no framework: the server calls them while rendering.
//!
//! ```
//! use cldr_format::{Locale, date, money, money_signed};
//!
//! let hi = Locale::from_tag("hi-IN");
//! assert_eq!(money(12_500_000, "INR", hi), "₹1,25,000.00");
//! assert_eq!(money(125_000_000, "IDR", Locale::Id), "Rp\u{a0}1.250.000");
//! assert_eq!(money_signed(-1500, "USD", Locale::En), "-$15.00");
//! let day = time::Date::from_calendar_date(2026, time::Month::December, 15).unwrap();
//! assert_eq!(date(day, Locale::Id), "15 Desember 2026");
//! ```
//!
//! The text is CLDR 49 (Unicode's locale data, as bundled by ICU4X 2.4): symbols, their
//! placement and spacing, separators, grouping, decimals per currency, minus and plus
//! signs, month names and date patterns. Every function is total: any input gives a
//! string, none panics. Output may contain no-break spaces (U+00A0) where CLDR puts them,
//! e.g. between an alphabetic symbol and the digits (`Rp 1.250.000`, `KWD 1.250`).
//!
//! Numbers use each locale's CLDR default numbering system, which for all four locales,
//! Hindi included, is Latin digits (`latn`); Devanagari digits are CLDR's "native"
//! alternative for `hi` and are not used.

mod data;
mod date;
mod iso4217;
mod locale;
mod money;

pub use date::{date, date_short};
pub use iso4217::minor_digits;
pub use locale::Locale;
pub use money::{money, money_signed};
