//! The billing values `merchant.toml` may set, refused by serde while the file is read (so the
//! error names the line, the key and what is allowed):
//!
//! - a proration mode is any lowercase identifier: the modes Dodo documents today and any it
//!   adds later are passed to Dodo as written (a startup warning names an undocumented one,
//!   in case it is a typo);
//! - `effective_at` and `on_payment_failure` must be a value Dodo documents. The enums keep an
//!   `Other` escape for values Dodo's own answers may carry one day; the file may not use it.

use crate::server::attempts::plan_change::{EffectiveAt, OnPaymentFailure};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// The proration modes Dodo documents today. Others are passed through.
pub const KNOWN_PRORATION_MODES: &[&str] = &[
    "prorated_immediately",
    "prorated_immediately_keep_cycle",
    "difference_immediately",
    "full_immediately",
    "do_not_bill",
];

/// A proration mode as the file names it: a lowercase identifier, sent to Dodo as written.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ProrationMode(String);

impl ProrationMode {
    /// One of [`KNOWN_PRORATION_MODES`], for the file's defaults.
    pub(super) fn documented(mode: &'static str) -> ProrationMode {
        debug_assert!(KNOWN_PRORATION_MODES.contains(&mode), "{mode}");
        ProrationMode(mode.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether Dodo documents this mode (an undocumented one is passed through, with a warning).
    pub fn is_documented(&self) -> bool {
        KNOWN_PRORATION_MODES.contains(&self.0.as_str())
    }
}

impl TryFrom<String> for ProrationMode {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let identifier = !value.is_empty()
            && value.len() <= 64
            && value.starts_with(|c: char| c.is_ascii_lowercase())
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if identifier {
            Ok(ProrationMode(value))
        } else {
            Err(format!(
                "`{value}` is not a proration mode (e.g. {})",
                KNOWN_PRORATION_MODES.join(", ")
            ))
        }
    }
}

impl From<ProrationMode> for String {
    fn from(mode: ProrationMode) -> String {
        mode.0
    }
}

/// A Dodo setting with a closed list of documented values.
pub trait Documented: Sized {
    const DOCUMENTED: &'static [&'static str];
    fn parse(value: &str) -> Self;
}

impl Documented for EffectiveAt {
    const DOCUMENTED: &'static [&'static str] = &["immediately", "next_billing_date"];
    fn parse(value: &str) -> Self {
        EffectiveAt::parse(value)
    }
}

impl Documented for OnPaymentFailure {
    const DOCUMENTED: &'static [&'static str] = &["prevent_change", "apply_change"];
    fn parse(value: &str) -> Self {
        OnPaymentFailure::parse(value)
    }
}

/// `deserialize_with` for a documented setting: any other value is refused, listing the
/// documented ones ("unknown variant `tomorrow`, expected `immediately` or …").
pub fn documented<'de, D: Deserializer<'de>, T: Documented>(d: D) -> Result<T, D::Error> {
    let value = String::deserialize(d)?;
    if T::DOCUMENTED.contains(&value.as_str()) {
        Ok(T::parse(&value))
    } else {
        Err(D::Error::unknown_variant(&value, T::DOCUMENTED))
    }
}

/// [`documented`] for an optional key (with `#[serde(default)]`: absent is `None`).
pub fn documented_option<'de, D: Deserializer<'de>, T: Documented>(
    d: D,
) -> Result<Option<T>, D::Error> {
    documented(d).map(Some)
}
