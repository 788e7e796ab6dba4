//! A subscription, from `GET /subscriptions/{id}`, the preview's `new_plan`, or a
//! `subscription.*` webhook.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse;
use crate::types::status::{Interval, SubscriptionStatus};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub status: SubscriptionStatus,
    pub customer_id: String,
    pub product_id: String,
    pub quantity: i64,
    pub currency: String,
    /// Charged each cycle before tax, minor units.
    pub recurring_pre_tax_amount: i64,
    pub interval: Interval,
    pub interval_count: i64,
    /// End of the current period.
    #[serde(with = "time::serde::rfc3339")]
    pub next_billing_date: OffsetDateTime,
    /// Start of the current period.
    #[serde(with = "time::serde::rfc3339")]
    pub previous_billing_date: OffsetDateTime,
    pub payment_method_id: Option<String>,
    pub cancel_at_next_billing_date: bool,
    pub scheduled_change: Option<ScheduledChange>,
    /// Dodo removes addons a plan change does not list: pass these on to keep them.
    pub addons: Vec<Addon>,
    pub metadata: BTreeMap<String, String>,
}

/// A subscription as `GET /subscriptions` lists it: what a page needs to know whether the
/// customer owes money on it (`status: on_hold`) and what to call it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionSummary {
    pub id: String,
    pub status: SubscriptionStatus,
    pub customer_id: String,
    pub product_id: String,
    pub product_name: Option<String>,
}

impl SubscriptionSummary {
    pub(crate) fn from_list_item(s: dodopayments::models::SubscriptionListResponse) -> Self {
        SubscriptionSummary {
            status: SubscriptionStatus::from(parse::sdk_enum(&*s.status)),
            id: s.subscription_id,
            customer_id: s.customer.customer_id,
            product_id: s.product_id,
            product_name: s.product_name,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledChange {
    pub product_id: String,
    pub quantity: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub effective_at: OffsetDateTime,
    pub product_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addon {
    pub addon_id: String,
    pub quantity: i64,
}

impl Subscription {
    pub(crate) fn from_sdk(
        s: dodopayments::models::Subscription,
    ) -> Result<Subscription, DodoError> {
        let scheduled_change = match s.scheduled_change {
            Some(c) => Some(ScheduledChange {
                effective_at: parse::timestamp(
                    "subscription.scheduled_change.effective_at",
                    &c.effective_at,
                )?,
                product_id: c.product_id,
                quantity: c.quantity,
                product_name: c.product_name,
            }),
            None => None,
        };
        Ok(Subscription {
            next_billing_date: parse::timestamp(
                "subscription.next_billing_date",
                &s.next_billing_date,
            )?,
            previous_billing_date: parse::timestamp(
                "subscription.previous_billing_date",
                &s.previous_billing_date,
            )?,
            status: SubscriptionStatus::from(parse::sdk_enum(&s.status)),
            customer_id: s.customer.customer_id,
            product_id: s.product_id,
            quantity: s.quantity,
            currency: parse::currency(&s.currency),
            recurring_pre_tax_amount: s.recurring_pre_tax_amount,
            interval: Interval::from(parse::sdk_enum(&s.payment_frequency_interval)),
            interval_count: s.payment_frequency_count,
            payment_method_id: s.payment_method_id,
            cancel_at_next_billing_date: s.cancel_at_next_billing_date,
            scheduled_change,
            addons: s
                .addons
                .into_iter()
                .map(|a| Addon {
                    addon_id: a.addon_id,
                    quantity: a.quantity,
                })
                .collect(),
            metadata: parse::metadata(&s.metadata),
            id: s.subscription_id,
        })
    }
}
