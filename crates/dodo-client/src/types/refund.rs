//! Refunds: what the app asks for (`RefundRequest`), what Dodo reports (`Refund`, from
//! `GET /refunds/{id}`, list items and `refund.*` webhooks) and list filters.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse;
use crate::types::status::RefundStatus;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    pub id: String,
    pub payment_id: String,
    pub status: RefundStatus,
    /// Minor units; `None` when Dodo did not say.
    pub amount: Option<i64>,
    /// Uppercase ISO 4217.
    pub currency: Option<String>,
    pub is_partial: bool,
    pub reason: Option<String>,
    /// `None` on list items (Dodo's `RefundListItem` has no customer).
    pub customer_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// `POST /refunds`. No `items` = the whole payment; an item without `amount` = that whole
/// line (`item_id` is the product id, or an addon id).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefundRequest {
    pub payment_id: String,
    pub reason: Option<String>,
    pub items: Vec<RefundItem>,
    pub metadata: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundItem {
    pub item_id: String,
    pub amount: Option<i64>,
}

/// Filters of [`crate::DodoClient::refunds`] as Dodo's `GET /refunds` has them (there is no
/// payment filter: [`crate::Payment::refund_status`] and `refunds_of_payment` cover that).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RefundFilter {
    pub customer_id: Option<String>,
    pub subscription_id: Option<String>,
    pub status: Option<RefundStatus>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at_gte: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at_lte: Option<OffsetDateTime>,
}

impl Refund {
    pub(crate) fn from_sdk(r: dodopayments::models::Refund) -> Result<Refund, DodoError> {
        Ok(Refund {
            created_at: parse::timestamp("refund.created_at", &r.created_at)?,
            status: RefundStatus::from(parse::sdk_enum(&*r.status)),
            currency: r.currency.as_deref().map(parse::currency),
            customer_id: Some(r.customer.customer_id),
            metadata: parse::metadata(&r.metadata),
            id: r.refund_id,
            payment_id: r.payment_id,
            amount: r.amount,
            is_partial: r.is_partial,
            reason: r.reason,
        })
    }

    pub(crate) fn from_list_item(
        r: dodopayments::models::RefundListItem,
    ) -> Result<Refund, DodoError> {
        Ok(Refund {
            created_at: parse::timestamp("refunds[].created_at", &r.created_at)?,
            status: RefundStatus::from(parse::sdk_enum(&*r.status)),
            currency: r.currency.as_deref().map(parse::currency),
            customer_id: None,
            metadata: BTreeMap::new(),
            id: r.refund_id,
            payment_id: r.payment_id,
            amount: r.amount,
            is_partial: r.is_partial,
            reason: r.reason,
        })
    }
}
