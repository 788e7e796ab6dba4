//! The hosted fallback checkout of an offer: when one click is not possible (or failed), the
//! customer pays on Dodo's checkout page. Creating the session moves no money, but paying it
//! does, so it is an attempt like a charge: recorded first, one open per offer, holding the
//! customer's claim on the product while it is open, settled by the payment's webhook (which
//! carries the attempt id) or by looking the payment up.

use super::{Purchase, Sent};
use crate::server::store::Accepted;
use dodo_client::{CartItem, DodoClient, DodoError, HostedCheckout};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutOrder {
    /// `send_before`: the page is not created after the offer window.
    #[serde(flatten)]
    pub purchase: Purchase,
    pub return_url: String,
    pub cancel_url: String,
    pub metadata: BTreeMap<String, String>,
    /// Unix millis: an unpaid checkout is given up after this (its webhook still counts).
    pub pay_before: i64,
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
                product_id: order.purchase.product_id.clone(),
                quantity: order.purchase.quantity,
            }],
            customer_id: Some(order.purchase.customer_id.clone()),
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
