//! The hosted fallback checkout of an offer: when one click is not possible (or failed), the
//! customer pays on Dodo's checkout page. Creating the session moves no money, but paying it
//! does, so it is an attempt like a charge: recorded first, one open per offer, holding the
//! customer's claim on the product while it is open, settled by the payment's webhook (which
//! carries the attempt id) or by looking the payment up.

use super::{Sent, find_by_metadata};
use crate::server::store::{Accepted, Attempt};
use dodo_client::{CartItem, DodoClient, DodoError, HostedCheckout, Payment, PaymentFilter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutOrder {
    pub idempotency_key: String,
    pub offer_id: String,
    pub customer_id: String,
    pub product_id: String,
    pub quantity: i64,
    /// The price the offer page showed, as Dodo reported it just before creating the page.
    pub amount_minor: i64,
    pub currency: String,
    pub return_url: String,
    pub cancel_url: String,
    pub metadata: BTreeMap<String, String>,
    /// Unix millis: the session is not created after this (the offer window).
    pub send_before: i64,
    /// Unix millis: an unpaid checkout is given up after this (its webhook still counts).
    pub pay_before: i64,
    pub exclusive: bool,
}

/// The idempotency key of the `n`th fallback checkout of an offer (a new one may be opened
/// once the previous was abandoned).
pub fn key_for(offer_id: &str, n: usize) -> String {
    format!("checkout:{offer_id}:{n}")
}

pub(super) async fn send(
    dodo: &DodoClient,
    order: &CheckoutOrder,
    attempt_id: &str,
) -> Result<Sent, DodoError> {
    let mut metadata = order.metadata.clone();
    metadata.insert("attempt_id".into(), attempt_id.to_owned());
    let created = dodo
        .create_hosted_checkout(&HostedCheckout {
            product_cart: vec![CartItem {
                product_id: order.product_id.clone(),
                quantity: order.quantity,
            }],
            customer_id: Some(order.customer_id.clone()),
            show_saved_payment_methods: true,
            return_url: Some(order.return_url.clone()),
            cancel_url: Some(order.cancel_url.clone()),
            redirect_immediately: true,
            metadata,
        })
        .await?;
    Ok(Sent {
        accepted: Accepted {
            session_id: Some(created.session_id),
            payment_id: created.payment_id,
            link: created.checkout_url,
        },
        settled: None,
    })
}

/// The payment made on the checkout page, if the customer paid.
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
