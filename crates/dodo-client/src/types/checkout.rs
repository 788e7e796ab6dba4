//! Checkouts and one-click charges: what the app asks for and what Dodo answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse::{self, decode_err};
use crate::types::payment::status;
use crate::types::status::IntentStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartItem {
    pub product_id: String,
    /// At least 1.
    pub quantity: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingAddress {
    /// ISO 3166 alpha-2, e.g. `"US"`.
    pub country: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub street: Option<String>,
    pub zipcode: Option<String>,
}

/// A normal hosted checkout (the customer enters or picks a card on Dodo's page). Used as
/// the fallback when a one-click charge is not possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedCheckout {
    pub product_cart: Vec<CartItem>,
    /// An existing Dodo customer to attach, if known.
    pub customer_id: Option<String>,
    /// List the returning customer's saved methods on the page.
    pub show_saved_payment_methods: bool,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    /// Go straight to `return_url` after paying, skipping Dodo's success page.
    pub redirect_immediately: bool,
    /// Copied onto the payment: string → string, ≤ 50 keys.
    pub metadata: BTreeMap<String, String>,
}

/// A one-click purchase through `POST /checkouts` with `confirm: true`: charges the saved
/// `payment_method_id` of `customer_id` at once. Only send it after the customer clicked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneClickCheckout {
    pub customer_id: String,
    pub payment_method_id: String,
    pub product_cart: Vec<CartItem>,
    /// `None`: Dodo uses what it knows of the card (whether the live API insists on a full
    /// address with `confirm: true` is undocumented).
    pub billing: Option<BillingAddress>,
    /// Where a 3DS challenge returns to.
    pub return_url: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

/// A one-click purchase through `POST /payments` (Dodo's "cross-sell" flow). Dodo requires
/// a billing address here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneClickPayment {
    pub customer_id: String,
    pub payment_method_id: String,
    pub product_cart: Vec<CartItem>,
    pub billing: BillingAddress,
    pub return_url: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

/// Dodo's answer to a checkout creation. For a one-click checkout `payment_id` is set and
/// `checkout_url` is `None`; the charge settles asynchronously (look the payment up or wait
/// for `payment.succeeded` / `payment.failed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedCheckout {
    pub session_id: String,
    pub checkout_url: Option<String>,
    pub payment_id: Option<String>,
}

/// Dodo's answer to `POST /payments`. It has no status: the charge settles asynchronously.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedPayment {
    pub payment_id: String,
    pub customer_id: String,
    pub total_amount: i64,
    pub payment_link: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_on: Option<OffsetDateTime>,
    pub metadata: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutStatus {
    pub session_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub customer_email: Option<String>,
    pub customer_name: Option<String>,
    /// `None` while the session is still collecting details.
    pub payment_id: Option<String>,
    pub payment_status: Option<IntentStatus>,
}

/// How to pay a subscription's dues / renewals from now on (recovers `on_hold`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UpdatePaymentMethod {
    /// Charge an already saved method (may charge the dues at once).
    Existing { payment_method_id: String },
    /// Collect a new card on a hosted page (`payment_link` in the outcome).
    New {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        return_url: Option<String>,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePaymentMethodOutcome {
    pub payment_id: Option<String>,
    pub payment_link: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_on: Option<OffsetDateTime>,
}

impl CreatedCheckout {
    pub(crate) fn from_sdk(r: dodopayments::models::CheckoutSessionResponse) -> CreatedCheckout {
        CreatedCheckout {
            session_id: r.session_id,
            checkout_url: r.checkout_url,
            payment_id: r.payment_id,
        }
    }
}

impl CreatedPayment {
    pub(crate) fn from_sdk(
        r: dodopayments::models::PaymentCreateResponse,
    ) -> Result<CreatedPayment, DodoError> {
        Ok(CreatedPayment {
            expires_on: parse::opt_timestamp("payment.expires_on", r.expires_on.as_deref())?,
            metadata: parse::metadata(&r.metadata),
            payment_id: r.payment_id,
            customer_id: r.customer.customer_id,
            total_amount: r.total_amount,
            payment_link: r.payment_link,
        })
    }
}

impl CheckoutStatus {
    pub(crate) fn from_sdk(
        r: dodopayments::models::CheckoutSessionStatus,
    ) -> Result<CheckoutStatus, DodoError> {
        Ok(CheckoutStatus {
            created_at: parse::timestamp("checkout.created_at", &r.created_at)?,
            session_id: r.id,
            customer_email: r.customer_email,
            customer_name: r.customer_name,
            payment_id: r.payment_id,
            payment_status: r.payment_status.as_deref().map(status),
        })
    }
}

impl UpdatePaymentMethodOutcome {
    pub(crate) fn from_sdk(
        r: dodopayments::models::SubscriptionUpdatePaymentMethodResponse,
    ) -> Result<UpdatePaymentMethodOutcome, DodoError> {
        Ok(UpdatePaymentMethodOutcome {
            expires_on: parse::opt_timestamp(
                "update_payment_method.expires_on",
                r.expires_on.as_deref(),
            )?,
            payment_id: r.payment_id,
            payment_link: r.payment_link,
        })
    }
}

/// A hosted checkout must come back with a page to send the customer to.
pub(crate) fn require_url(created: CreatedCheckout) -> Result<CreatedCheckout, DodoError> {
    if created.checkout_url.is_some() {
        Ok(created)
    } else {
        Err(decode_err(format!(
            "checkout {} came back without a checkout_url",
            created.session_id
        )))
    }
}
