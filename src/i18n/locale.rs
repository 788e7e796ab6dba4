//! The languages (and formatting variants) pages can be shown in, and how a tag names one.

use serde::{Deserialize, Serialize};

/// A language the pages can be shown in, with the variants that only change how money and
/// dates are written: [`Locale::EnIn`] is English text with Indian number grouping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    /// English as read in India: the English catalogue, lakh/crore grouping (`₹1,25,000.00`).
    EnIn,
    /// Bahasa Indonesia, addressing the customer as "Anda".
    Id,
    /// Hindi in Devanagari.
    Hi,
}

impl Locale {
    /// Every locale, variants included.
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::EnIn, Locale::Id, Locale::Hi];

    /// The languages a customer chooses between (the switcher); variants follow the request.
    pub const LANGUAGES: &'static [Locale] = &[Locale::En, Locale::Id, Locale::Hi];

    /// The BCP 47 tag, as used in `<html lang>`, `?lang=` and the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::EnIn => "en-IN",
            Locale::Id => "id",
            Locale::Hi => "hi",
        }
    }

    /// The language whose texts this locale shows (a variant shows its language's).
    pub fn language(self) -> Locale {
        match self {
            Locale::En | Locale::EnIn => Locale::En,
            Locale::Id => Locale::Id,
            Locale::Hi => Locale::Hi,
        }
    }

    /// The writing direction for `<html dir>`. Every language we have is left-to-right; the
    /// match makes a right-to-left language added later say so.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::En | Locale::EnIn | Locale::Id | Locale::Hi => "ltr",
        }
    }

    /// The language's own name, for the language switcher (a reader looks for their own).
    pub fn native_name(self) -> &'static str {
        match self.language() {
            Locale::Id => "Bahasa Indonesia",
            Locale::Hi => "हिन्दी",
            _ => "English",
        }
    }

    /// Parses a tag such as `en`, `en-GB`, `EN_in` or `hi-IN`: the language decides, and for
    /// English the region India picks [`Locale::EnIn`]. `None` for a language we do not have.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let mut subtags = tag.trim().split(['-', '_']).map(str::to_ascii_lowercase);
        let language = subtags.next().unwrap_or_default();
        // The region is the first two-letter subtag after the language (a script has four).
        let region = subtags.find(|s| s.len() == 2);
        match (language.as_str(), region.as_deref()) {
            ("en", Some("in")) => Some(Locale::EnIn),
            ("en", _) => Some(Locale::En),
            // `in` is Indonesian's withdrawn code, still sent by old Android browsers.
            ("id" | "in", _) => Some(Locale::Id),
            ("hi", _) => Some(Locale::Hi),
            _ => None,
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header value, honouring
    /// q-values; `None` when nothing matches or the header is malformed.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
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
        best.map(|(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality_and_ignores_garbage() {
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::negotiate("fr-FR, de;q=0.5"), None);
        assert_eq!(Locale::negotiate(";;;q=abc,,"), None);
        assert_eq!(Locale::negotiate(""), None);
        assert_eq!(
            Locale::negotiate("id-ID,id;q=0.9,en;q=0.8"),
            Some(Locale::Id)
        );
        assert_eq!(Locale::negotiate("en;q=0.5, hi-IN"), Some(Locale::Hi));
        assert_eq!(Locale::negotiate("en-IN,en;q=0.9"), Some(Locale::EnIn));
        assert_eq!(Locale::negotiate("hi;q=0, en"), Some(Locale::En));
    }

    #[test]
    fn parses_tags_case_insensitively() {
        assert_eq!(Locale::from_tag("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_tag("en_IN"), Some(Locale::EnIn));
        assert_eq!(Locale::from_tag("en-Latn-IN"), Some(Locale::EnIn));
        assert_eq!(Locale::from_tag("xx"), None);
        assert_eq!(Locale::from_tag(""), None);
        assert_eq!(Locale::from_tag("hi-IN"), Some(Locale::Hi));
        assert_eq!(Locale::from_tag("ID"), Some(Locale::Id));
        assert_eq!(Locale::from_tag("in"), Some(Locale::Id));
    }

    #[test]
    fn every_tag_reads_back_as_its_locale() {
        for &l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Locale::EnIn.language(), Locale::En);
    }
}
