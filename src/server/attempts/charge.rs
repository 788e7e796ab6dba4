//! One-click charges of a saved method: upsells and downsells through `POST /checkouts` with
//! `confirm: true`, cross-sells through `POST /payments`.

use super::{Sent, find_by_metadata};
use crate::server::store::{Accepted, Attempt};
use dodo_client::{
    BillingAddress, CartItem, DodoClient, DodoError, OneClickCheckout, OneClickPayment, Payment,
    PaymentFilter,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a one-click charge reaches Dodo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// Post-purchase upsell: `POST /checkouts` with `confirm: true` and the saved method.
    Upsell,
    /// Cross-sell to an existing customer: `POST /payments` with the saved method.
    CrossSell,
}

impl ChargeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Upsell => "upsell",
            ChargeKind::CrossSell => "cross_sell",
        }
    }
}

fn exclusive_by_default() -> bool {
    true
}

/// Everything the server decided about a charge. The browser supplies none of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChargeOrder {
    pub idempotency_key: String,
    pub kind: ChargeKind,
    pub offer_id: Option<String>,
    pub customer_id: String,
    pub payment_method_id: String,
    pub product_id: String,
    pub quantity: i64,
    /// The price the customer agreed to, as Dodo reported it just before sending.
    pub amount_minor: i64,
    pub currency: String,
    pub return_url: Option<String>,
    pub billing: Option<BillingAddress>,
    pub metadata: BTreeMap<String, String>,
    /// Unix millis (wall clock) after which the charge must not be sent any more: the offer
    /// window, for resuming an attempt a crashed server recorded.
    pub send_before: i64,
    /// The product may be bought once per customer (not marked `repeatable`).
    #[serde(default = "exclusive_by_default")]
    pub exclusive: bool,
}

/// The idempotency key of an offer's one-click charge: one offer, one charge.
pub fn key_for(offer_id: &str) -> String {
    format!("offer:{offer_id}")
}

pub(super) async fn send(
    dodo: &DodoClient,
    order: &ChargeOrder,
    attempt_id: &str,
) -> Result<Sent, DodoError> {
    let mut metadata = order.metadata.clone();
    metadata.insert("attempt_id".into(), attempt_id.to_owned());
    metadata.insert("source".into(), order.kind.as_str().into());
    let cart = vec![CartItem {
        product_id: order.product_id.clone(),
        quantity: order.quantity,
    }];
    let accepted = match order.kind {
        ChargeKind::Upsell => {
            let created = dodo
                .create_one_click_checkout(&OneClickCheckout {
                    customer_id: order.customer_id.clone(),
                    payment_method_id: order.payment_method_id.clone(),
                    product_cart: cart,
                    billing: order.billing.clone(),
                    return_url: order.return_url.clone(),
                    metadata,
                })
                .await?;
            Accepted {
                session_id: Some(created.session_id),
                payment_id: created.payment_id,
                link: None,
            }
        }
        ChargeKind::CrossSell => {
            let Some(billing) = order.billing.clone() else {
                return Err(DodoError::InvalidRequest {
                    code: "NO_BILLING_ADDRESS".into(),
                    message: "no billing address is known for this customer".into(),
                });
            };
            let created = dodo
                .create_one_click_payment(&OneClickPayment {
                    customer_id: order.customer_id.clone(),
                    payment_method_id: order.payment_method_id.clone(),
                    product_cart: cart,
                    billing,
                    return_url: order.return_url.clone(),
                    metadata,
                })
                .await?;
            Accepted {
                session_id: None,
                payment_id: Some(created.payment_id),
                link: created.payment_link,
            }
        }
    };
    Ok(Sent {
        accepted,
        settled: None,
    })
}

/// The payment Dodo made for a charge whose answer was lost: one of the customer's payments
/// since shortly before the attempt, carrying the attempt's id.
pub(super) async fn find_payment(
    dodo: &DodoClient,
    attempt: &Attempt,
) -> Result<Option<Payment>, DodoError> {
    find_by_metadata(
        dodo,
        attempt,
        PaymentFilter {
            customer_id: Some(attempt.customer_id.clone()),
            ..PaymentFilter::default()
        },
    )
    .await
}
