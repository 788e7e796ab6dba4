//! Money: integer minor units of an ISO 4217 currency, written as CLDR says for a locale.

use fixed_decimal::{Decimal, SignDisplay};
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;

use crate::data::{WithDigits, cldr_digits};
use crate::iso4217::minor_digits;
use crate::locale::Locale;

/// Formats `minor` units of `currency` for `locale`, e.g. `$1,234.50`, `₹1,25,000.00`,
/// `Rp 1.250.000`, `-€15.00`.
///
/// * `minor` is in the currency's ISO 4217 minor unit ([`minor_digits`]): cents for USD,
///   yen for JPY, fils (1/1000) for KWD.
/// * The symbol, its placement and spacing, the separators, the grouping (Indian lakh/crore
///   grouping for `hi` and `en-IN`) and the minus sign are CLDR's for the locale.
/// * The number of decimals is CLDR's for the currency (`supplemental/currencyData.json`):
///   2 for USD, 0 for JPY, 3 for KWD, and 0 for IDR since CLDR 48, whose ISO minor unit is
///   still 2. An amount whose value needs more decimals than CLDR shows (IDR `…,50`) is
///   written with all of its ISO decimals instead: nothing is ever rounded away.
/// * `currency` is matched case-insensitively. A well-formed code CLDR does not know
///   (`XYZ`) is written as the code, like CLDR does for currencies without a symbol:
///   `XYZ 12.34` (with a no-break space). Anything else (`""`, `"US dollars"`) is written
///   as given before the number, and an empty code gives the bare number.
///
/// Never panics; every `i64` is accepted.
pub fn money(minor: i64, currency: &str, locale: Locale) -> String {
    format(minor, currency, locale, SignDisplay::Auto)
}

/// Like [`money`], but always says which way the money goes: `+$15.00` for a positive
/// amount, `-$15.00` for a negative one, and no sign for zero (`$0.00`).
///
/// For credits, refunds, and differences between two prices. The signs are the locale's
/// CLDR `plusSign` and `minusSign`, placed where the locale's pattern puts them. For `en`,
/// `en-IN`, `id` and `hi` CLDR's minus sign is U+002D HYPHEN-MINUS (`-`), not U+2212 (`−`).
pub fn money_signed(minor: i64, currency: &str, locale: Locale) -> String {
    format(minor, currency, locale, SignDisplay::ExceptZero)
}

fn format(minor: i64, currency: &str, locale: Locale, sign: SignDisplay) -> String {
    let code = currency.trim().to_ascii_uppercase();
    let iso = minor_digits(&code);
    let mut value = Decimal::from(minor);
    value.absolute.multiply_pow10(-i16::from(iso));
    value.apply_sign_display(sign);

    let currency_type = is_iso_code(&code)
        .then(|| CurrencyType::try_from_str(&code).ok())
        .flatten();
    let Some(currency_type) = currency_type else {
        return with_code(value, currency.trim(), iso, locale);
    };
    let digits = shown_digits(minor, iso, cldr_digits(currency_type));
    let prefs = (&locale.icu()).into();
    match CurrencyFormatter::try_new_symbol_unstable(
        &WithDigits(digits),
        prefs,
        currency_type,
        Default::default(),
    ) {
        Ok(formatter) => formatter.format_fixed_decimal(&value).to_string(),
        Err(_) => with_code(value, &code, iso, locale),
    }
}

/// How many decimals to show: CLDR's `digits` for the currency, unless the amount has a
/// non-zero part below that, in which case all `iso` decimals are shown.
fn shown_digits(minor: i64, iso: u8, cldr: u8) -> u8 {
    if cldr >= iso {
        return cldr;
    }
    let hidden = 10i64.pow(u32::from(iso - cldr));
    if minor % hidden == 0 { cldr } else { iso }
}

fn is_iso_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The last resort for a code that is not an ISO code: the text as given, a no-break
/// space, and the number, signed like the locale signs numbers: the shape CLDR's
/// `¤ #,##0.00` (`alphaNextToNumber`) pattern gives a code in all four locales.
fn with_code(mut value: Decimal, code: &str, digits: u8, locale: Locale) -> String {
    value.absolute.pad_end(-i16::from(digits));
    let formatter = DecimalFormatter::try_new_unstable(
        &WithDigits(digits),
        (&locale.icu()).into(),
        Default::default(),
    );
    let write = |value: &Decimal| match &formatter {
        Ok(formatter) => formatter.format(value).to_string(),
        Err(_) => value.to_string(),
    };
    let number = write(&value);
    if code.is_empty() {
        return number;
    }
    let unsigned = write(&value.clone().with_sign_display(SignDisplay::Never));
    // Whatever the locale writes around the digits for the sign stays around the code too.
    match number.find(&unsigned) {
        Some(at) => format!(
            "{}{code}\u{a0}{unsigned}{}",
            &number[..at],
            &number[at + unsigned.len()..]
        ),
        None => format!("{code}\u{a0}{number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_cldr_digits_unless_that_would_round() {
        // IDR: ISO 2, CLDR 0.
        assert_eq!(shown_digits(125_000_000, 2, 0), 0);
        assert_eq!(shown_digits(125_000_050, 2, 0), 2);
        assert_eq!(shown_digits(-125_000_001, 2, 0), 2);
        assert_eq!(shown_digits(i64::MIN, 2, 0), 2);
        // USD, JPY, KWD: ISO and CLDR agree.
        assert_eq!(shown_digits(123_450, 2, 2), 2);
        assert_eq!(shown_digits(1200, 0, 0), 0);
        assert_eq!(shown_digits(1250, 3, 3), 3);
        // CLDR showing more than ISO has only pads with zeros.
        assert_eq!(shown_digits(5, 0, 2), 2);
    }
}
