//! A Dodo customer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub email: String,
    pub name: String,
    pub phone_number: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub metadata: BTreeMap<String, String>,
    /// Dodo's `preferred_locale` exactly as sent (`"id"`, `"hi"`, …). Read from the raw
    /// answer: the SDK's `Locale` enum turns codes it lacks (such as `hi`) into `Unknown`.
    pub preferred_locale: Option<String>,
}

impl Customer {
    /// `preferred_locale` comes from the raw JSON (see the field).
    pub(crate) fn from_sdk(
        c: dodopayments::models::Customer,
        preferred_locale: Option<String>,
    ) -> Result<Customer, DodoError> {
        Ok(Customer {
            preferred_locale,
            created_at: parse::timestamp("customer.created_at", &c.created_at)?,
            metadata: c
                .metadata
                .as_deref()
                .map(parse::metadata)
                .unwrap_or_default(),
            id: c.customer_id,
            email: c.email,
            name: c.name,
            phone_number: c.phone_number,
        })
    }
}
