//! Money is integer minor units plus an ISO 4217 currency code; this module only formats it
//! and does the rounding of proration.

/// Currencies without minor units (so 500 JPY is "¥500").
fn decimals(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" => 0,
        _ => 2,
    }
}

/// Human-readable amount for the hosted pages, e.g. `format(4900, "USD") == "$49.00"`.
pub fn format(amount: i64, currency: &str) -> String {
    let symbol = match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "INR" => Some("₹"),
        "JPY" => Some("¥"),
        _ => None,
    };
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let digits = decimals(currency);
    let number = if digits == 0 {
        abs.to_string()
    } else {
        let scale = 10u64.pow(digits);
        format!(
            "{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = digits as usize
        )
    };
    match symbol {
        Some(s) => format!("{sign}{s}{number}"),
        None => format!("{sign}{number} {currency}"),
    }
}

/// `amount × numerator / denominator`, rounded half up, in integers (no float drift).
pub fn prorate(amount: i64, numerator: i64, denominator: i64) -> i64 {
    if denominator <= 0 {
        return 0;
    }
    let product = i128::from(amount) * i128::from(numerator);
    let den = i128::from(denominator);
    let rounded = (2 * product + den).div_euclid(2 * den);
    i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minor_units() {
        assert_eq!(format(4900, "USD"), "$49.00");
        assert_eq!(format(5, "EUR"), "€0.05");
        assert_eq!(format(500, "JPY"), "¥500");
        assert_eq!(format(1234, "CHF"), "12.34 CHF");
        assert_eq!(format(-250, "USD"), "-$2.50");
    }

    #[test]
    fn prorates_with_half_up_rounding() {
        assert_eq!(prorate(8000, 15, 30), 4000);
        assert_eq!(prorate(3000, 15, 30), 1500);
        assert_eq!(prorate(1000, 1, 3), 333);
        assert_eq!(prorate(1000, 2, 3), 667);
        assert_eq!(prorate(100, 1, 0), 0);
    }
}
