//! ISO 4217 minor units: how many decimal places the integer amounts we are given have.

/// The ISO 4217 minor unit ("exponent") of `code`: the number of decimal places of the
/// integer amounts Dodo sends (`1250` KWD minor units are `1.250` KWD).
///
/// From ISO 4217 List One (current currencies and funds): every code not listed here has
/// 2, which is also what an unknown code gets. Codes without a minor unit there
/// ("N.A.": precious metals, XDR, XTS, XXX…) are treated as 2 like unknown codes; they are
/// not payment currencies. `code` must already be upper case.
///
/// This is deliberately not CLDR's `digits`, which says how many decimals to *show* and
/// differs for some currencies (IDR: ISO 2, CLDR 0); see `crate::money`.
pub fn minor_digits(code: &str) -> u8 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_exponents_we_use() {
        assert_eq!(minor_digits("USD"), 2);
        assert_eq!(minor_digits("INR"), 2);
        assert_eq!(minor_digits("IDR"), 2);
        assert_eq!(minor_digits("EUR"), 2);
        assert_eq!(minor_digits("JPY"), 0);
        assert_eq!(minor_digits("KWD"), 3);
        assert_eq!(minor_digits("BHD"), 3);
        assert_eq!(minor_digits("CLF"), 4);
        assert_eq!(minor_digits("XYZ"), 2);
    }
}
