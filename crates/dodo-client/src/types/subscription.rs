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
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The trial the subscription was created with (0 = none); Dodo keeps it after the trial.
    pub trial_period_days: i64,
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
    /// When the trial ends, while the subscription is still in it: its current period is the
    /// trial itself (created with a trial, and the next bill falls `trial_period_days` after
    /// creation, give or take a day). A renewal, or a change that ended the trial and
    /// restarted the cycle, moves the next bill away from that date.
    pub fn trial_ends_at(&self) -> Option<OffsetDateTime> {
        if self.trial_period_days <= 0 {
            return None;
        }
        let trial_end = self.created_at + time::Duration::days(self.trial_period_days);
        ((self.next_billing_date - trial_end).abs() <= time::Duration::days(1))
            .then_some(self.next_billing_date)
    }

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
            created_at: parse::timestamp("subscription.created_at", &s.created_at)?,
            trial_period_days: s.trial_period_days.max(0),
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn subscription(
        created: OffsetDateTime,
        next: OffsetDateTime,
        trial_days: i64,
    ) -> Subscription {
        Subscription {
            id: "sub_1".into(),
            status: SubscriptionStatus::Active,
            customer_id: "cus_1".into(),
            product_id: "pdt_basic".into(),
            quantity: 1,
            currency: "USD".into(),
            recurring_pre_tax_amount: 3000,
            interval: Interval::Month,
            interval_count: 1,
            next_billing_date: next,
            previous_billing_date: created,
            created_at: created,
            trial_period_days: trial_days,
            payment_method_id: None,
            cancel_at_next_billing_date: false,
            scheduled_change: None,
            addons: Vec::new(),
            metadata: BTreeMap::new(),
        }
    }

    #[test]
    fn a_trial_is_the_period_that_ends_trial_days_after_creation() {
        let created = datetime!(2026-11-27 10:00 UTC);
        let trial_end = datetime!(2026-12-11 10:00 UTC);
        // Day 4 of a 14-day trial: the next bill is the trial's end.
        assert_eq!(
            subscription(created, trial_end, 14).trial_ends_at(),
            Some(trial_end)
        );
        // No trial.
        assert_eq!(subscription(created, trial_end, 0).trial_ends_at(), None);
        // Renewed once after the trial: the next bill is a month after its end.
        assert_eq!(
            subscription(created, datetime!(2027-01-11 10:00 UTC), 14).trial_ends_at(),
            None
        );
        // A change ended the trial and restarted the cycle today.
        assert_eq!(
            subscription(created, datetime!(2026-12-31 09:00 UTC), 14).trial_ends_at(),
            None
        );
    }
}
