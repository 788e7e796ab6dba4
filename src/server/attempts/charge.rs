//! One-click charges of a saved method: upsells and downsells through `POST /checkouts` with
//! `confirm: true`, cross-sells through `POST /payments`.

use super::{Purchase, Sent};
use crate::server::store::Accepted;
use dodo_client::{
    BillingAddress, CartItem, DodoClient, DodoError, OneClickCheckout, OneClickPayment,
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

/// Everything the server decided about a charge. The browser supplies none of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChargeOrder {
    #[serde(flatten)]
    pub purchase: Purchase,
    pub kind: ChargeKind,
    pub payment_method_id: String,
    pub return_url: Option<String>,
    pub billing: Option<BillingAddress>,
    pub metadata: BTreeMap<String, String>,
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
        product_id: order.purchase.product_id.clone(),
        quantity: order.purchase.quantity,
    }];
    let customer_id = order.purchase.customer_id.clone();
    let accepted = match order.kind {
        ChargeKind::Upsell => {
            let created = dodo
                .create_one_click_checkout(&OneClickCheckout {
                    customer_id,
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
                    customer_id,
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
