//! Money: integer minor units plus an ISO 4217 currency code, formatted in one place.
//!
//! The same code runs on the server and in the browser islands, so server-rendered HTML and
//! hydrated text always agree. Amounts come from Dodo; nothing here computes prices.

use crate::i18n::Locale;
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

    /// Formats for display, e.g. `$49.00`, `-€5.50`, `¥1,200`, `KWD 1.250`.
    pub fn format(&self, locale: Locale) -> String {
        format_minor(self.minor, &self.currency, locale)
    }
}

/// How many decimal places a currency's minor unit has (ISO 4217).
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "INR" => "₹",
        "JPY" => "¥",
        "IDR" => "Rp",
        _ => return None,
    })
}

/// Formats `minor` units of `currency` for `locale`.
pub fn format_minor(minor: i64, currency: &str, locale: Locale) -> String {
    // Every locale formats alike until the CLDR formatter replaces this.
    let _ = locale;
    let digits = minor_digits(currency);
    let scale = 10u64.pow(digits);
    let abs = minor.unsigned_abs();
    let whole = group_thousands(abs / scale, ',');
    let number = if digits == 0 {
        whole
    } else {
        format!("{whole}.{:0width$}", abs % scale, width = digits as usize)
    };
    let sign = if minor < 0 { "-" } else { "" };
    match symbol(currency) {
        Some(sym) if sym.chars().all(|c| !c.is_ascii_alphabetic()) => {
            format!("{sign}{sym}{number}")
        }
        Some(sym) => format!("{sign}{sym} {number}"),
        None => format!("{sign}{currency} {number}"),
    }
}

fn group_thousands(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_common_currencies() {
        let en = Locale::En;
        assert_eq!(format_minor(4900, "USD", en), "$49.00");
        assert_eq!(format_minor(123_456_789, "USD", en), "$1,234,567.89");
        assert_eq!(format_minor(-550, "EUR", en), "-€5.50");
        assert_eq!(format_minor(1200, "JPY", en), "¥1,200");
        assert_eq!(format_minor(1250, "KWD", en), "KWD 1.250");
        assert_eq!(format_minor(5, "USD", en), "$0.05");
        assert_eq!(format_minor(15_000_000, "IDR", en), "Rp 150,000.00");
        assert_eq!(format_minor(0, "CHF", en), "CHF 0.00");
    }

    #[test]
    fn never_overflows_on_extremes() {
        assert!(format_minor(i64::MIN, "USD", Locale::En).starts_with("-$"));
        assert!(format_minor(i64::MAX, "JPY", Locale::En).starts_with('¥'));
    }

    #[test]
    fn normalises_currency_case() {
        assert_eq!(Money::new(100, "usd").format(Locale::En), "$1.00");
    }
}
