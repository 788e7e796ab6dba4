//! Money: integer minor units plus an ISO 4217 currency code.
//!
//! The type travels to the browser (islands' props), the formatting does not: it is CLDR's,
//! through the `cldr-format` crate (ICU4X data), compiled for the server only (`ssr`), so the
//! WASM carries no locale data. Islands receive amounts already written as text. Amounts
//! come from Dodo; nothing here computes prices.

use serde::{Deserialize, Serialize};

/// An amount in the currency's smallest unit (cents for USD), with its currency code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: impl Into<String>) -> Self {
        Money {
            minor,
            currency: currency.into().to_ascii_uppercase(),
        }
    }

    /// Written the way `locale` reads money (CLDR): `$49.00`, `₹1,25,000.00` (hi, en-IN),
    /// `Rp 1.250.000` (id), `-€5.50`, `¥1,200`, `KWD 1.250`.
    #[cfg(feature = "ssr")]
    pub fn format(&self, locale: crate::i18n::Locale) -> String {
        format_minor(self.minor, &self.currency, locale)
    }

    /// The browser build compiles the server-rendered views that call `format` but never runs
    /// them: only islands run there, and they receive amounts as text (`check-layers.sh`
    /// refuses an island that formats money). So it gets no CLDR data, and this plain
    /// "amount in minor units and code" is never shown to anyone.
    #[cfg(not(feature = "ssr"))]
    pub fn format(&self, _locale: crate::i18n::Locale) -> String {
        format!("{} {}", self.minor, self.currency)
    }
}

/// The CLDR locale whose conventions `locale` formats with.
#[cfg(feature = "ssr")]
pub(crate) fn cldr(locale: crate::i18n::Locale) -> cldr_format::Locale {
    use crate::i18n::Locale;
    match locale {
        Locale::En => cldr_format::Locale::En,
        Locale::EnIn => cldr_format::Locale::EnIn,
        Locale::Id => cldr_format::Locale::Id,
        Locale::Hi => cldr_format::Locale::Hi,
    }
}

/// Formats `minor` units of `currency` for `locale` (ISO 4217 minor units: 1250 KWD is
/// 1.250 dinars, 1200 JPY is 1200 yen; IDR shows no decimals unless there are sen).
#[cfg(feature = "ssr")]
pub fn format_minor(minor: i64, currency: &str, locale: crate::i18n::Locale) -> String {
    cldr_format::money(minor, currency, cldr(locale))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    /// CLDR puts a no-break space between an alphabetic symbol and the digits.
    const NBSP: char = '\u{a0}';

    #[test]
    fn english_as_cldr_writes_it() {
        let en = Locale::En;
        assert_eq!(format_minor(4900, "USD", en), "$49.00");
        assert_eq!(format_minor(123_456_789, "USD", en), "$1,234,567.89");
        assert_eq!(format_minor(-550, "EUR", en), "-€5.50");
        assert_eq!(format_minor(1200, "JPY", en), "¥1,200");
        assert_eq!(format_minor(5, "USD", en), "$0.05");
        assert_eq!(format_minor(0, "USD", en), "$0.00");
        assert_eq!(format_minor(12_500_000, "INR", en), "₹125,000.00");
    }

    #[test]
    fn three_decimal_and_zero_decimal_currencies() {
        assert_eq!(
            format_minor(1250, "KWD", Locale::En),
            format!("KWD{NBSP}1.250")
        );
        assert_eq!(
            format_minor(-1250, "KWD", Locale::En),
            format!("-KWD{NBSP}1.250")
        );
        assert_eq!(
            format_minor(1250, "KWD", Locale::Id),
            format!("KWD{NBSP}1,250")
        );
        assert_eq!(format_minor(1200, "JPY", Locale::Hi), "JP¥1,200");
        assert_eq!(format_minor(1_234_567, "JPY", Locale::Id), "JP¥1.234.567");
    }

    #[test]
    fn indian_grouping_for_hindi_and_indian_english() {
        for locale in [Locale::Hi, Locale::EnIn] {
            assert_eq!(format_minor(12_500_000, "INR", locale), "₹1,25,000.00");
            assert_eq!(
                format_minor(1_250_000_000, "INR", locale),
                "₹1,25,00,000.00"
            );
            assert_eq!(format_minor(-12_500_000, "INR", locale), "-₹1,25,000.00");
            assert_eq!(format_minor(99_900, "INR", locale), "₹999.00");
        }
        assert_eq!(format_minor(123_450, "USD", Locale::Hi), "$1,234.50");
    }

    #[test]
    fn indonesian_dot_grouping_and_whole_rupiah() {
        let id = Locale::Id;
        assert_eq!(
            format_minor(125_000_000, "IDR", id),
            format!("Rp{NBSP}1.250.000")
        );
        assert_eq!(
            format_minor(-1_500_000, "IDR", id),
            format!("-Rp{NBSP}15.000")
        );
        // Sen are never rounded away: the amount shown is the amount charged.
        assert_eq!(
            format_minor(125_000_050, "IDR", id),
            format!("Rp{NBSP}1.250.000,50")
        );
        assert_eq!(format_minor(123_450, "USD", id), "US$1.234,50");
        assert_eq!(format_minor(-1550, "EUR", id), "-€15,50");
    }

    #[test]
    fn never_overflows_on_extremes() {
        assert!(format_minor(i64::MIN, "USD", Locale::En).starts_with("-$"));
        assert!(format_minor(i64::MAX, "JPY", Locale::En).starts_with('¥'));
        assert!(format_minor(i64::MIN, "INR", Locale::Hi).starts_with("-₹"));
    }

    #[test]
    fn normalises_currency_case() {
        assert_eq!(Money::new(100, "usd").format(Locale::En), "$1.00");
        assert_eq!(Money::new(100, "usd").currency, "USD");
    }
}
