//! Carts and purchases: validating a `product_cart`, and starting the payment (plus the
//! subscription, for a subscription product) that a checkout or `/payments` creates.

use serde::Deserialize;
use serde_json::Value;

use crate::billing::NewPayment;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::model::*;
use crate::store::Store;

#[derive(Debug, Clone, Deserialize)]
pub struct CartItemReq {
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub addons: Option<Vec<Value>>,
}

#[derive(Debug, Clone)]
pub struct ValidCart {
    pub lines: Vec<CartLine>,
    pub total: i64,
    pub currency: String,
    /// The subscription product of the cart, if it is one.
    pub recurring: Option<(String, i64)>,
}

pub struct Purchase {
    pub customer_id: String,
    pub cart: ValidCart,
    pub billing: Billing,
    pub payment_method_id: Option<String>,
    pub session_id: Option<String>,
    pub metadata: Metadata,
    pub return_url: Option<String>,
}

impl Store {
    pub fn validate_cart(&self, items: Option<Vec<CartItemReq>>) -> ApiResult<ValidCart> {
        let items = items.unwrap_or_default();
        if items.is_empty() {
            return Err(ApiError::unprocessable(
                "PRODUCT_CART_EMPTY",
                "product_cart is empty",
            ));
        }
        if items.len() > 100 {
            return Err(ApiError::invalid_body(
                "product_cart allows at most 100 items",
            ));
        }
        let mut lines = Vec::new();
        let mut total: i64 = 0;
        let mut currency: Option<String> = None;
        let mut recurring = None;
        for (i, item) in items.into_iter().enumerate() {
            let product_id = item.product_id.ok_or_else(|| {
                ApiError::invalid_body(format!("product_cart[{i}].product_id is required"))
            })?;
            let quantity = item.quantity.ok_or_else(|| {
                ApiError::invalid_body(format!("product_cart[{i}].quantity is required"))
            })?;
            if !(1..=10_000).contains(&quantity) {
                return Err(ApiError::invalid_params(format!(
                    "product_cart[{i}].quantity must be from 1 to 10000"
                )));
            }
            let product = self.product(&product_id)?;
            if product.archived {
                return Err(ApiError::unprocessable(
                    "PRODUCT_IS_DELETED",
                    format!("product {product_id} is archived"),
                ));
            }
            if item.amount.is_some() {
                return Err(ApiError::invalid_params(format!(
                    "product {product_id} is not pay-what-you-want; amount must be null"
                )));
            }
            if item.addons.as_ref().is_some_and(|a| !a.is_empty()) {
                return Err(ApiError::invalid_params(format!(
                    "product {product_id} has no addons"
                )));
            }
            match &currency {
                None => currency = Some(product.currency.clone()),
                Some(c) if *c != product.currency => {
                    return Err(ApiError::invalid_params(
                        "all products of a cart must share one currency",
                    ));
                }
                Some(_) => {}
            }
            if product.recurring.is_some() {
                if recurring.is_some() {
                    return Err(ApiError::invalid_params(
                        "a cart may hold only one subscription product",
                    ));
                }
                recurring = Some((product_id.clone(), quantity));
            }
            total = product
                .price
                .checked_mul(quantity)
                .and_then(|line| total.checked_add(line))
                .ok_or_else(|| ApiError::invalid_params("cart total is too large"))?;
            lines.push(CartLine {
                product_id,
                quantity,
                amount: None,
            });
        }
        if recurring.is_some() && lines.len() > 1 {
            return Err(ApiError::invalid_params(
                "a subscription product cannot be bought together with other products",
            ));
        }
        Ok(ValidCart {
            lines,
            total,
            currency: currency.unwrap_or_else(|| "USD".to_owned()),
            recurring,
        })
    }

    /// Creates the payment of a purchase (and its subscription, `pending` until paid).
    /// Returns (payment id, subscription id).
    pub fn start_purchase(
        &mut self,
        p: Purchase,
        status: PaymentStatus,
    ) -> (String, Option<String>) {
        let now = self.now();
        let mut subscription_id = None;
        let mut service_period = None;
        let mut purpose = Purpose::OneTime;
        if let Some((product_id, quantity)) = p.cart.recurring.clone() {
            let interval = self.products.get(&product_id).and_then(|pr| pr.recurring);
            let next = interval
                .map(|r| clock::add_interval(now, r.interval, r.interval_count))
                .unwrap_or(now);
            let id = self.ids.next("sub");
            let seq = self.next_seq();
            self.subscriptions.insert(
                id.clone(),
                Subscription {
                    id: id.clone(),
                    seq,
                    customer_id: p.customer_id.clone(),
                    product_id,
                    quantity,
                    status: SubStatus::Pending,
                    payment_method_id: p.payment_method_id.clone(),
                    billing: p.billing.clone(),
                    metadata: p.metadata.clone(),
                    created_at: now,
                    previous_billing_date: now,
                    next_billing_date: next,
                    credit_balance: 0,
                    scheduled_change: None,
                    pending_change_payment: None,
                    dues: None,
                    cancel_at_next_billing_date: false,
                    cancelled_at: None,
                    // Trials of new purchases are not modelled: the first payment is charged.
                    trial_period_days: 0,
                    trial_ends_at: None,
                },
            );
            service_period = Some((id.clone(), now, next, "1".to_owned()));
            purpose = Purpose::NewSubscription {
                subscription_id: id.clone(),
            };
            subscription_id = Some(id);
        }
        let payment_id = self.create_payment(NewPayment {
            customer_id: p.customer_id,
            total_amount: p.cart.total,
            currency: p.cart.currency,
            billing: p.billing,
            product_cart: p.cart.lines,
            payment_method_id: p.payment_method_id,
            subscription_id: subscription_id.clone(),
            checkout_session_id: p.session_id,
            charge_type: subscription_id.as_ref().map(|_| "new"),
            metadata: p.metadata,
            purpose,
            status,
            return_url: p.return_url,
            service_period,
        });
        (payment_id, subscription_id)
    }
}
