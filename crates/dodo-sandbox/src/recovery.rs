//! `update-payment-method`: switch a subscription's card and, when it is `on_hold`, charge
//! its dues with the new card (Dodo's way back to `active`).

use serde_json::{Value, json};

use crate::billing::NewPayment;
use crate::clock::fmt;
use crate::error::{ApiError, ApiResult};
use crate::model::*;
use crate::store::{Event, ObjectRef, Store};

pub struct UpdateOutcome {
    pub response: Value,
    pub events: Vec<Event>,
    pub settle: Option<String>,
}

impl Store {
    fn updatable(&self, subscription_id: &str) -> ApiResult<Subscription> {
        let sub = self.subscription(subscription_id)?.clone();
        if matches!(sub.status, SubStatus::Cancelled | SubStatus::Failed) {
            return Err(ApiError::unprocessable(
                "SUBSCRIPTION_INACTIVE",
                format!("Subscription {subscription_id} is {}", sub.status.as_str()),
            ));
        }
        Ok(sub)
    }

    /// `{"type": "existing", "payment_method_id": …}`.
    pub fn use_existing_method(
        &mut self,
        subscription_id: &str,
        pm_id: &str,
    ) -> ApiResult<UpdateOutcome> {
        let sub = self.updatable(subscription_id)?;
        let currency = self
            .products
            .get(&sub.product_id)
            .map(|p| p.currency.clone())
            .unwrap_or_default();
        self.check_saved_method(&sub.customer_id, pm_id, &currency)?;
        if let Some(s) = self.subscriptions.get_mut(subscription_id) {
            s.payment_method_id = Some(pm_id.to_owned());
        }
        let mut events = vec![self.event(
            "subscription.updated",
            ObjectRef::Subscription(subscription_id.to_owned()),
        )];
        let mut settle = None;
        if let Some(payment_id) = self.charge_dues(subscription_id) {
            events.push(self.event("payment.processing", ObjectRef::Payment(payment_id.clone())));
            settle = Some(payment_id);
        }
        Ok(UpdateOutcome {
            response: json!({
                "payment_id": settle,
                "client_secret": settle.as_ref().map(|id| format!("{id}_secret_sandbox")),
                "expires_on": null,
                "payment_link": null,
            }),
            events,
            settle,
        })
    }

    /// `{"type": "new", "return_url": …}`: a hosted page collects the new card.
    pub fn collect_new_method(
        &mut self,
        subscription_id: &str,
        return_url: Option<String>,
    ) -> ApiResult<UpdateOutcome> {
        let sub = self.updatable(subscription_id)?;
        let now = self.now();
        let session_id = self.ids.next("cks");
        self.sessions.insert(
            session_id.clone(),
            CheckoutSession {
                id: session_id.clone(),
                kind: SessionKind::UpdatePaymentMethod {
                    subscription_id: subscription_id.to_owned(),
                },
                created_at: now,
                cart: Vec::new(),
                customer_id: Some(sub.customer_id.clone()),
                prefill_email: None,
                prefill_name: None,
                billing: Some(sub.billing.clone()),
                return_url,
                cancel_url: None,
                metadata: Metadata::new(),
                always_create_new_customer: false,
                show_saved_payment_methods: false,
                payment_id: None,
                subscription_id: Some(subscription_id.to_owned()),
                completed: false,
            },
        );
        Ok(UpdateOutcome {
            response: json!({
                "payment_id": null,
                "client_secret": null,
                "expires_on": fmt(now + time::Duration::days(1)),
                "payment_link": self.link(&format!("/checkout/{session_id}")),
            }),
            events: Vec::new(),
            settle: None,
        })
    }

    /// Creates a `processing` payment for an `on_hold` subscription's dues, if it has any.
    pub fn charge_dues(&mut self, subscription_id: &str) -> Option<String> {
        let sub = self.subscriptions.get(subscription_id)?.clone();
        if sub.status != SubStatus::OnHold {
            return None;
        }
        let dues = sub.dues.clone()?;
        let currency = self.products.get(&sub.product_id)?.currency.clone();
        Some(self.create_payment(NewPayment {
            customer_id: sub.customer_id.clone(),
            total_amount: dues.amount,
            currency,
            billing: sub.billing.clone(),
            product_cart: vec![CartLine {
                product_id: sub.product_id.clone(),
                quantity: sub.quantity,
                amount: None,
            }],
            payment_method_id: sub.payment_method_id.clone(),
            subscription_id: Some(sub.id.clone()),
            checkout_session_id: None,
            charge_type: Some(if dues.renewal {
                "renewal"
            } else {
                "plan_change"
            }),
            metadata: sub.metadata.clone(),
            purpose: Purpose::Dues {
                subscription_id: sub.id.clone(),
                renewal: dues.renewal,
            },
            status: PaymentStatus::Processing,
            return_url: None,
            service_period: None,
        }))
    }
}
