//! Every customer-facing string goes through this module.
//!
//! The catalogue is plain Rust: one `match` per locale over the [`Text`] keys. The compiler
//! therefore refuses a locale that misses a key, and the browser islands carry only the
//! strings they use (no runtime catalogue, no ICU data in the WASM). Strings with values take
//! `{name}` placeholders, filled by [`tf`].
//!
//! Adding a language: add a variant to [`Locale`] (`locale.rs`: its tag, language, direction,
//! native name, and how `from_tag` finds it),
//! a `xx: $xx:expr` field and its `match` arm in [`catalogue!`], then a text for every key in
//! `common.rs`, `offer.rs`, `cross_sell.rs` and `plan_change.rs` (the compiler lists each one
//! missing).

pub mod common;
pub mod cross_sell;
mod locale;
pub mod offer;
pub mod plan_change;

pub use common::Text;
pub use locale::Locale;

/// A set of translated strings: an enum whose every key has a text in every [`Locale`].
/// Define one with [`catalogue!`](crate::catalogue); pages keep their own next to them.
pub trait Catalogue: Copy {
    fn text(self, locale: Locale) -> &'static str;
}

/// The text for `key` in `locale`. Inlined, like [`Catalogue::text`], so that in the WASM a
/// call with a known key keeps that key's texts only (see `catalogue!`).
#[inline(always)]
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
            // Always inlined: at a call site that names its key (`t(locale, Key::X)`) the
            // match on the key folds away, so an island's WASM holds the texts of the keys it
            // uses in every language, not the whole catalogue three times over.
            #[inline(always)]
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                match locale {
                    $crate::i18n::Locale::En | $crate::i18n::Locale::EnIn => match self { $($name::$key => $en),* },
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
