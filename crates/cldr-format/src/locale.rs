//! The locales this crate formats for, chosen from a BCP 47 tag.

use icu_locale_core::locale;

/// A locale money and dates are formatted for.
///
/// Built from a BCP 47 tag with [`Locale::from_tag`]; a tag this crate does not format for
/// falls back to [`Locale::En`]. Each variant formats with CLDR's data for its tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// `en`: CLDR's English, which is US English (`$1,234.50`, "December 15, 2026").
    #[default]
    En,
    /// `en-IN`: Indian English (lakh/crore grouping `₹1,25,000.00`, "15 December 2026").
    EnIn,
    /// `id`: Indonesian (`Rp 1.250.000`, "15 Desember 2026").
    Id,
    /// `hi`: Hindi in Devanagari, with CLDR's default Latin digits.
    Hi,
}

impl Locale {
    /// Every locale, in a stable order.
    pub const ALL: [Locale; 4] = [Locale::En, Locale::EnIn, Locale::Id, Locale::Hi];

    /// The canonical BCP 47 tag: `en`, `en-IN`, `id` or `hi`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::EnIn => "en-IN",
            Locale::Id => "id",
            Locale::Hi => "hi",
        }
    }

    /// The locale for a BCP 47 tag; never fails.
    ///
    /// Case and `_` instead of `-` are accepted, and only the language, script and region
    /// subtags are read (extensions such as `-u-nu-deva` are ignored):
    ///
    /// * `en-IN` → [`Locale::EnIn`]; any other English (`en`, `en-US`, `en-GB`) → [`Locale::En`];
    /// * `id`, `id-ID`, and the deprecated `in` → [`Locale::Id`];
    /// * `hi`, `hi-IN`, `hi-Deva` → [`Locale::Hi`] (`hi-Latn` is Hindi in Latin script, which
    ///   this crate does not format for, so it falls back like any other tag);
    /// * anything else, including an empty or malformed tag → [`Locale::En`].
    pub fn from_tag(tag: &str) -> Locale {
        let mut subtags = tag.trim().split(['-', '_']).map(str::to_ascii_lowercase);
        let language = subtags.next().unwrap_or_default();
        let mut script = None;
        let mut region = None;
        for subtag in subtags {
            let alpha = subtag.bytes().all(|b| b.is_ascii_alphabetic());
            let digits = subtag.bytes().all(|b| b.is_ascii_digit());
            match subtag.len() {
                // A singleton starts the extensions; nothing after it names the locale.
                0 | 1 => break,
                4 if alpha && script.is_none() && region.is_none() => script = Some(subtag),
                2 if alpha && region.is_none() => region = Some(subtag),
                3 if digits && region.is_none() => region = Some(subtag),
                _ => {}
            }
        }
        match (language.as_str(), script.as_deref(), region.as_deref()) {
            ("en", None | Some("latn"), Some("in")) => Locale::EnIn,
            ("id" | "in", None | Some("latn"), _) => Locale::Id,
            ("hi", None | Some("deva"), _) => Locale::Hi,
            _ => Locale::En,
        }
    }

    /// The ICU4X locale whose CLDR data this locale formats with.
    pub(crate) fn icu(self) -> icu_locale_core::Locale {
        match self {
            Locale::En => locale!("en"),
            Locale::EnIn => locale!("en-IN"),
            Locale::Id => locale!("id"),
            Locale::Hi => locale!("hi"),
        }
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl std::str::FromStr for Locale {
    type Err = std::convert::Infallible;

    /// Same as [`Locale::from_tag`]: never fails.
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Ok(Locale::from_tag(tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tags_we_serve() {
        assert_eq!(Locale::from_tag("en"), Locale::En);
        assert_eq!(Locale::from_tag("en-IN"), Locale::EnIn);
        assert_eq!(Locale::from_tag("id"), Locale::Id);
        assert_eq!(Locale::from_tag("hi"), Locale::Hi);
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), locale);
            assert_eq!(locale.to_string(), locale.tag());
        }
    }

    #[test]
    fn accepts_case_underscores_regions_scripts_and_extensions() {
        assert_eq!(Locale::from_tag("EN_in"), Locale::EnIn);
        assert_eq!(Locale::from_tag(" en-Latn-IN "), Locale::EnIn);
        assert_eq!(Locale::from_tag("en-IN-u-nu-deva"), Locale::EnIn);
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
        assert_eq!(Locale::from_tag("id-ID"), Locale::Id);
        assert_eq!(Locale::from_tag("in"), Locale::Id);
        assert_eq!(Locale::from_tag("hi-IN"), Locale::Hi);
        assert_eq!(Locale::from_tag("hi-Deva-IN"), Locale::Hi);
        // A private-use subtag after the singleton does not make this Indian English.
        assert_eq!(Locale::from_tag("en-x-in"), Locale::En);
    }

    #[test]
    fn falls_back_to_english() {
        for tag in [
            "", "fr", "de-CH", "hi-Latn", "*", "--", "q=0.5", "ज़", "en-\u{0}",
        ] {
            assert_eq!(Locale::from_tag(tag), Locale::En, "{tag:?}");
        }
        assert_eq!("xx".parse::<Locale>(), Ok(Locale::En));
    }
}
