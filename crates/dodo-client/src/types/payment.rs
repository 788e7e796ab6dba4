//! A payment, from `GET /payments/{id}`, `GET /payments` or a `payment.*` webhook.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse::{self, decode_err};
use crate::types::status::IntentStatus;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    /// `None` when Dodo sent no status (it is optional in Dodo's schema).
    pub status: Option<IntentStatus>,
    pub customer_id: String,
    pub customer_email: String,
    /// Including tax, minor units.
    pub total_amount: i64,
    pub currency: String,
    pub tax: Option<i64>,
    pub metadata: BTreeMap<String, String>,
    /// A failure reason such as `CARD_DECLINED` once the payment failed.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// Hosted page to pay or authenticate (e.g. a 3DS challenge).
    pub payment_link: Option<String>,
    pub subscription_id: Option<String>,
    pub checkout_session_id: Option<String>,
    pub payment_method_id: Option<String>,
    pub card_last4: Option<String>,
    /// Uppercase, e.g. `"VISA"`.
    pub card_network: Option<String>,
    pub product_ids: Vec<String>,
    /// The billing address the customer gave (not on list items).
    pub billing: Option<crate::types::checkout::BillingAddress>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// `new`, `renewal`, `plan_change`, `on_demand`.
    pub charge_type: Option<String>,
    /// Dodo's invoice of a succeeded payment.
    pub invoice_id: Option<String>,
    /// Where the invoice PDF is downloaded (served without an API key).
    pub invoice_url: Option<String>,
    /// `partial` or `full` once refunds succeeded; `None` before.
    pub refund_status: Option<String>,
    /// The method's category (`card`, `wallet`, `upi`, …) and finer type (`credit`,
    /// `paypal`, `upi_collect`, …).
    pub payment_method: Option<String>,
    pub payment_method_type: Option<String>,
}

/// Filters for [`crate::DodoClient::payments`]; `None` = no filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentFilter {
    pub customer_id: Option<String>,
    pub subscription_id: Option<String>,
    pub status: Option<IntentStatus>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at_gte: Option<OffsetDateTime>,
}

impl Payment {
    pub(crate) fn from_sdk(p: dodopayments::models::Payment) -> Result<Payment, DodoError> {
        let product_ids = match &p.product_cart {
            Some(cart) => cart
                .iter()
                .map(|line| {
                    line.get("product_id")
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                        .ok_or_else(|| decode_err("payment.product_cart: item without product_id"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        Ok(Payment {
            created_at: parse::timestamp("payment.created_at", &p.created_at)?,
            status: p.status.as_deref().map(status),
            customer_id: p.customer.customer_id,
            customer_email: p.customer.email,
            total_amount: p.total_amount,
            currency: parse::currency(&p.currency),
            tax: p.tax,
            metadata: parse::metadata(&p.metadata),
            error_code: p.error_code,
            error_message: p.error_message,
            payment_link: p.payment_link,
            subscription_id: p.subscription_id,
            checkout_session_id: p.checkout_session_id,
            payment_method_id: p.payment_method_id,
            card_last4: p.card_last_four,
            card_network: p.card_network.map(|n| n.to_ascii_uppercase()),
            product_ids,
            billing: Some(crate::types::checkout::BillingAddress {
                country: parse::sdk_enum(&*p.billing.country),
                city: p.billing.city,
                state: p.billing.state,
                street: p.billing.street,
                zipcode: p.billing.zipcode,
            }),
            charge_type: p.charge_type.as_deref().map(parse::sdk_enum),
            invoice_id: p.invoice_id,
            invoice_url: p.invoice_url,
            refund_status: p.refund_status.as_deref().map(parse::sdk_enum),
            payment_method: p.payment_method,
            payment_method_type: p.payment_method_type,
            id: p.payment_id,
        })
    }

    /// A list item (`PaymentListResponse`) is lighter than a payment: it has no tax,
    /// error code/message, payment link, payment method id or product cart. Those fields
    /// are `None`/empty here; call `payment(id)` for them.
    pub(crate) fn from_list_item(
        p: dodopayments::models::PaymentListResponse,
    ) -> Result<Payment, DodoError> {
        Ok(Payment {
            created_at: parse::timestamp("payments[].created_at", &p.created_at)?,
            status: p.status.as_deref().map(status),
            customer_id: p.customer.customer_id,
            customer_email: p.customer.email,
            total_amount: p.total_amount,
            currency: parse::currency(&p.currency),
            tax: None,
            metadata: parse::metadata(&p.metadata),
            error_code: None,
            error_message: None,
            payment_link: None,
            subscription_id: p.subscription_id,
            checkout_session_id: p.checkout_session_id,
            payment_method_id: None,
            card_last4: p.card_last_four,
            card_network: p.card_network.map(|n| n.to_ascii_uppercase()),
            product_ids: Vec::new(),
            billing: None,
            charge_type: p.charge_type.as_deref().map(parse::sdk_enum),
            invoice_id: p.invoice_id,
            invoice_url: p.invoice_url,
            refund_status: p.refund_status.as_deref().map(parse::sdk_enum),
            payment_method: p.payment_method,
            payment_method_type: p.payment_method_type,
            id: p.payment_id,
        })
    }
}

pub(crate) fn status(s: &dodopayments::models::IntentStatus) -> IntentStatus {
    IntentStatus::from(parse::sdk_enum(s))
}
