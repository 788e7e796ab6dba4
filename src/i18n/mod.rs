//! Every customer-facing string goes through this module.
//!
//! The catalogue is plain Rust: one `match` per locale over the [`Text`] keys. The compiler
//! therefore refuses a locale that misses a key, and the browser islands carry only the
//! strings they use (no runtime catalogue, no ICU data in the WASM). Strings with values take
//! `{name}` placeholders, filled by [`tf`].
//!
//! Adding a language: add a variant to [`Locale`] (with its tag, direction and native name),
//! a `xx: $xx:expr` field and its `match` arm in [`catalogue!`], then a text for every key in
//! `common.rs`, `offer.rs`, `cross_sell.rs` and `plan_change.rs` (the compiler lists each one
//! missing).

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
    /// Bahasa Indonesia, addressing the customer as "Anda".
    Id,
    /// Hindi in Devanagari.
    Hi,
}

impl Locale {
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::Id, Locale::Hi];

    /// The BCP 47 tag, as used in `<html lang>`, `?lang=` and the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Id => "id",
            Locale::Hi => "hi",
        }
    }

    /// The writing direction for `<html dir>`. Every language we have is left-to-right; the
    /// match makes a right-to-left language added later say so.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::En | Locale::Id | Locale::Hi => "ltr",
        }
    }

    /// The language's own name, for the language switcher (a reader looks for their own).
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Id => "Bahasa Indonesia",
            Locale::Hi => "हिन्दी",
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

/// Defines a catalogue: `catalogue! { pub enum PageText { Title { en: "…", id: "…", hi: "…" }, … } }`.
/// Every key must name a text for every locale, in this order, so a missing translation does
/// not compile.
#[macro_export]
macro_rules! catalogue {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$kmeta:meta])* $key:ident { en: $en:expr, id: $id:expr, hi: $hi:expr $(,)? }),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($(#[$kmeta])* $key),* }

        impl $name {
            /// Every key, for tests that check all translations at once.
            #[allow(dead_code)]
            pub const ALL_KEYS: &'static [$name] = &[$($name::$key),*];
        }

        impl $crate::i18n::Catalogue for $name {
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                match locale {
                    $crate::i18n::Locale::En => match self { $($name::$key => $en),* },
                    $crate::i18n::Locale::Id => match self { $($name::$key => $id),* },
                    $crate::i18n::Locale::Hi => match self { $($name::$key => $hi),* },
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
        assert_eq!(Locale::negotiate("id-ID,id;q=0.9,en;q=0.8"), Locale::Id);
        assert_eq!(Locale::negotiate("en;q=0.5, hi-IN"), Locale::Hi);
    }

    #[test]
    fn parses_tags_case_insensitively() {
        assert_eq!(Locale::from_tag("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_tag("xx"), None);
        assert_eq!(Locale::from_tag("hi-IN"), Some(Locale::Hi));
        assert_eq!(Locale::from_tag("ID"), Some(Locale::Id));
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
        assert_eq!(
            tf(
                Locale::Hi,
                offer::OfferText::BuyFor,
                &[("amount", "₹29.00")]
            ),
            "₹29.00 में खरीदें"
        );
    }

    #[test]
    fn every_locale_has_every_placeholder_of_english() {
        fn names(s: &str) -> Vec<&str> {
            let mut v: Vec<&str> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n))
                .collect();
            v.sort_unstable();
            v
        }
        fn check<K: Catalogue + std::fmt::Debug>(keys: &[K]) {
            for &locale in Locale::ALL {
                for &key in keys {
                    let (text, en) = (t(locale, key), t(Locale::En, key));
                    assert_eq!(names(text), names(en), "{key:?} in {locale:?}");
                    assert!(!text.trim().is_empty(), "{key:?} in {locale:?} is empty");
                }
            }
        }
        check(Text::ALL_KEYS);
        check(offer::OfferText::ALL_KEYS);
        check(cross_sell::CrossSellText::ALL_KEYS);
        check(plan_change::PlanChangeText::ALL_KEYS);
    }
}
