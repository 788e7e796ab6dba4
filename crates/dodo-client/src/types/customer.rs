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
}

impl Customer {
    pub(crate) fn from_sdk(c: dodopayments::models::Customer) -> Result<Customer, DodoError> {
        Ok(Customer {
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
