//! Every customer-facing string goes through this module.
//!
//! The catalogue is plain Rust: one `match` per locale over the [`Text`] keys. The compiler
//! therefore refuses a locale that misses a key, and the browser islands carry only the
//! strings they use (no runtime catalogue, no ICU data in the WASM). Strings with values take
//! `{name}` placeholders, filled by [`tf`].
//!
//! Adding a language: add a variant to [`Locale`] (with its tag), a `fn xx(text) -> &str`
//! catalogue, and a branch in [`t`].

pub mod common;
pub mod cross_sell;
pub mod offer;
pub mod plan_change;

pub use common::Text;

use serde::{Deserialize, Serialize};

/// A language the pages can be shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
}

impl Locale {
    pub const ALL: &'static [Locale] = &[Locale::En];

    /// The BCP 47 tag, as used in `<html lang>`, `?lang=` and the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
        }
    }

    /// Parses a tag such as `en`, `en-GB` or `EN_us` (the primary subtag decides).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Locale::ALL.iter().copied().find(|l| l.tag() == primary)
    }

    /// Picks the best supported locale from an `Accept-Language` header value, honouring
    /// q-values; falls back to the default when nothing matches or the header is malformed.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            // q=0 means "not acceptable"; NaN (from "q=nan") is treated the same way.
            if q.is_nan() || q <= 0.0 {
                continue;
            }
            if let Some(locale) = Locale::from_tag(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// A set of translated strings: an enum whose every key has a text in every [`Locale`].
/// Define one with [`catalogue!`](crate::catalogue); pages keep their own next to them.
pub trait Catalogue: Copy {
    fn text(self, locale: Locale) -> &'static str;
}

/// The text for `key` in `locale`.
pub fn t<K: Catalogue>(locale: Locale, key: K) -> &'static str {
    key.text(locale)
}

/// The text for `key` with its `{name}` placeholders replaced by `values`.
pub fn tf<K: Catalogue>(locale: Locale, key: K, values: &[(&str, &str)]) -> String {
    let mut out = t(locale, key).to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Defines a catalogue: `catalogue! { pub enum PageText { Title { en: "…" }, … } }`.
/// Every key must name a text for every locale, so a missing translation does not compile.
#[macro_export]
macro_rules! catalogue {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$kmeta:meta])* $key:ident { en: $en:expr $(,)? }),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($(#[$kmeta])* $key),* }

        impl $crate::i18n::Catalogue for $name {
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                match locale {
                    $crate::i18n::Locale::En => match self { $($name::$key => $en),* },
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality_and_ignores_garbage() {
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("fr-FR, de;q=0.5"), Locale::En);
        assert_eq!(Locale::negotiate(";;;q=abc,,"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
    }

    #[test]
    fn parses_tags_case_insensitively() {
        assert_eq!(Locale::from_tag("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_tag("xx"), None);
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            tf(
                Locale::En,
                offer::OfferText::BuyFor,
                &[("amount", "$29.00")]
            ),
            "Buy for $29.00"
        );
    }
}
