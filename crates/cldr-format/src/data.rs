//! The CLDR data this crate formats with, baked into one provider struct.
//!
//! ICU4X ships its CLDR data as macros in the `*_data` crates. Its `compiled_data` features
//! expand *all* of a component's macros (for `icu_experimental` that is units, person names,
//! transliteration rules, relative time… about 30 MB of generated source), which is what makes
//! a clean build slow. Here only the markers our formatters read are expanded, into
//! [`Baked`]; the formatters are then built with their `*_unstable(&Baked, …)` constructors.
//! The data is still every CLDR locale's (the lookup falls back `en-IN → en-001 → en → und`);
//! what is left out is other kinds of data, not other locales.
//!
//! The data is CLDR 49.0.0 (`icu_*_data` 2.4.0 / 0.7.0).

use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::provider::currency::fractions::{
    CurrencyFractions, CurrencyFractionsV1, FractionInfo, Rounding,
};
use icu_experimental::dimension::provider::currency::{
    essentials::CurrencyEssentialsV1,
    no_currency::CurrencyPatternsNoCurrencyV1,
    symbols::{CurrencyDecimalSymbolsV1, CurrencySymbolsV1},
};
use icu_provider::prelude::*;

/// Every data marker this crate needs, from ICU4X's bundled CLDR data.
#[derive(Debug)]
pub(crate) struct Baked;

const _: () = {
    // The generated macros name their types through an `icu::…` path.
    #[allow(unused_imports)]
    pub mod icu {
        pub use icu_calendar as calendar;
        pub use icu_datetime as datetime;
        pub use icu_decimal as decimal;
        pub use icu_experimental as experimental;
    }
    icu_experimental_data::make_provider!(Baked);
    // Currency: patterns, symbols, currency-specific separators, digits per currency.
    icu_experimental_data::impl_currency_essentials_v1!(Baked);
    icu_experimental_data::impl_currency_symbols_v1!(Baked);
    icu_experimental_data::impl_currency_decimal_symbols_v1!(Baked);
    icu_experimental_data::impl_currency_patterns_no_currency_v1!(Baked);
    icu_experimental_data::impl_currency_fractions_v1!(Baked);
    // Numbers: separators, grouping sizes, digits of the default numbering system.
    icu_decimal_data::impl_decimal_symbols_v1!(Baked);
    icu_decimal_data::impl_decimal_digits_v1!(Baked);
    // Dates: Gregorian month and era names and date patterns only.
    icu_datetime_data::impl_datetime_names_month_gregorian_v1!(Baked);
    icu_datetime_data::impl_datetime_names_year_gregorian_v1!(Baked);
    icu_datetime_data::impl_datetime_patterns_date_gregorian_v1!(Baked);
};

/// CLDR's number of fraction digits for `currency` (`supplemental/currencyData.json`,
/// `fractions`; `DEFAULT` is 2).
pub(crate) fn cldr_digits(currency: CurrencyType) -> u8 {
    match DataProvider::<CurrencyFractionsV1>::load(&Baked, Default::default()) {
        Ok(response) => response.payload.get().resolve(currency).digits,
        Err(_) => 2,
    }
}

/// [`Baked`], but with every currency given `digits` fraction digits and no rounding
/// increment, and with lookups that may miss (no symbol for a currency in a locale) kept
/// quiet. ICU4X's currency formatter rounds to CLDR's digits for the currency; this is how
/// an amount CLDR would round (IDR with a fraction, CLDR `digits="0"`) keeps its digits.
#[derive(Debug)]
pub(crate) struct WithDigits(pub(crate) u8);

impl DataProvider<CurrencyFractionsV1> for WithDigits {
    fn load(&self, _req: DataRequest) -> Result<DataResponse<CurrencyFractionsV1>, DataError> {
        Ok(DataResponse {
            payload: DataPayload::from_owned(CurrencyFractions {
                fractions: zerovec::ZeroMap::new(),
                default: FractionInfo {
                    digits: self.0,
                    rounding: Rounding::R1,
                    cash_digits: None,
                    cash_rounding: None,
                },
            }),
            metadata: Default::default(),
        })
    }
}

macro_rules! delegate_quietly {
    ($($marker:ty),* $(,)?) => {$(
        impl DataProvider<$marker> for WithDigits {
            fn load(&self, mut req: DataRequest) -> Result<DataResponse<$marker>, DataError> {
                // A currency without a symbol in a locale is an expected miss (the formatter
                // then writes the ISO code); `silent` stops ICU4X printing it in debug builds.
                req.metadata.silent = true;
                DataProvider::<$marker>::load(&Baked, req)
            }
        }
    )*};
}

delegate_quietly!(
    CurrencyEssentialsV1,
    CurrencySymbolsV1,
    CurrencyDecimalSymbolsV1,
    CurrencyPatternsNoCurrencyV1,
    icu_decimal::provider::DecimalSymbolsV1,
    icu_decimal::provider::DecimalDigitsV1,
);
