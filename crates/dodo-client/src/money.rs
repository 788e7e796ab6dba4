//! Calls that can move money. Each is sent exactly once (the money client has
//! `max_retries(0)`), because Dodo has no idempotency key and a resent POST can charge
//! twice. On an error with [`DodoError::outcome_unknown`] the app reconciles instead of
//! calling again.

use reqwest::Method;

use crate::client::{DodoClient, decode, is_blank};
use crate::error::DodoError;
use crate::ids::path_id;
use crate::requests;
use crate::types::checkout::{
    CreatedCheckout, CreatedPayment, OneClickCheckout, OneClickPayment, UpdatePaymentMethod,
    UpdatePaymentMethodOutcome,
};
use crate::types::plan_change::{PlanChangeAccepted, PlanChangeRequest};
use crate::types::refund::{Refund, RefundRequest};

impl DodoClient {
    /// One-click purchase: `POST /checkouts` with the saved method and `confirm: true`.
    /// Dodo creates the payment at once (`payment_id`); it settles asynchronously.
    pub async fn create_one_click_checkout(
        &self,
        req: &OneClickCheckout,
    ) -> Result<CreatedCheckout, DodoError> {
        let body = requests::checkout_body(&requests::one_click_checkout(req)?)?;
        let answer = self
            .money_call(Method::POST, "/checkouts", Some(&body))
            .await?;
        let created = decode::<dodopayments::models::CheckoutSessionResponse>("checkout", &answer)?;
        let created = CreatedCheckout::from_sdk(created);
        tracing::info!(session_id = %created.session_id, payment_id = ?created.payment_id, "one-click checkout created");
        Ok(created)
    }

    /// One-click purchase through `POST /payments` with the saved method.
    pub async fn create_one_click_payment(
        &self,
        req: &OneClickPayment,
    ) -> Result<CreatedPayment, DodoError> {
        let body = requests::to_json(&requests::one_click_payment(req)?)?;
        let answer = self
            .money_call(Method::POST, "/payments", Some(&body))
            .await?;
        let created = decode::<dodopayments::models::PaymentCreateResponse>("payment", &answer)?;
        let created = CreatedPayment::from_sdk(created)?;
        tracing::info!(payment_id = %created.payment_id, "one-click payment created");
        Ok(created)
    }

    /// Changes the plan (may charge the saved method at once). An empty 2xx body — which
    /// Dodo's spec allows and the SDK cannot decode — is an accepted change without handles;
    /// confirm it with [`DodoClient::subscription`] / [`DodoClient::payments`] or webhooks.
    pub async fn change_plan(
        &self,
        subscription_id: &str,
        req: &PlanChangeRequest,
    ) -> Result<PlanChangeAccepted, DodoError> {
        let id = path_id("subscription_id", subscription_id)?;
        let body = requests::to_json(&requests::plan_change(req)?)?;
        let path = format!("/subscriptions/{id}/change-plan");
        let answer = self.money_call(Method::POST, &path, Some(&body)).await?;
        if is_blank(&answer) {
            return Ok(PlanChangeAccepted::default());
        }
        let r =
            decode::<dodopayments::models::SubscriptionChangePlanResponse>("change-plan", &answer)?;
        PlanChangeAccepted::from_sdk(r)
    }

    /// Cancels a plan change scheduled for the next billing date. Not retried: a repeat
    /// after a lost answer would say `NotFound` for a cancel that worked.
    pub async fn cancel_scheduled_change(&self, subscription_id: &str) -> Result<(), DodoError> {
        let id = path_id("subscription_id", subscription_id)?;
        let path = format!("/subscriptions/{id}/change-plan/scheduled");
        self.money_call(Method::DELETE, &path, None).await?;
        Ok(())
    }

    /// Sets how a subscription pays from now on; with `Existing` Dodo may charge the dues
    /// (recovering an `on_hold` subscription) at once.
    pub async fn update_payment_method(
        &self,
        subscription_id: &str,
        req: &UpdatePaymentMethod,
    ) -> Result<UpdatePaymentMethodOutcome, DodoError> {
        let id = path_id("subscription_id", subscription_id)?;
        let body = requests::update_payment_method(req)?;
        let path = format!("/subscriptions/{id}/update-payment-method");
        let answer = self.money_call(Method::POST, &path, Some(&body)).await?;
        if is_blank(&answer) {
            return Ok(UpdatePaymentMethodOutcome::default());
        }
        let r = decode::<dodopayments::models::SubscriptionUpdatePaymentMethodResponse>(
            "update-payment-method",
            &answer,
        )?;
        UpdatePaymentMethodOutcome::from_sdk(r)
    }

    /// Refunds a payment (whole, or the given items). Sent exactly once like every money
    /// call: after an error with [`DodoError::outcome_unknown`], look for the refund with
    /// [`DodoClient::refunds`] (or wait for `refund.*` webhooks) instead of sending it again,
    /// which could refund twice. The answer is usually `Pending`; the outcome arrives as
    /// `refund.succeeded` / `refund.failed`.
    pub async fn create_refund(&self, req: &RefundRequest) -> Result<Refund, DodoError> {
        let body = requests::refund(req)?;
        let answer = self
            .money_call(Method::POST, "/refunds", Some(&body))
            .await?;
        let r = decode::<dodopayments::models::Refund>("refund", &answer)?;
        let refund = Refund::from_sdk(r)?;
        tracing::info!(refund_id = %refund.id, payment_id = %refund.payment_id, "refund created");
        Ok(refund)
    }

    /// One attempt through the money client, logged either way (ids only, no bodies).
    async fn money_call(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, DodoError> {
        let result = self.exchange(&self.money, method.clone(), path, body).await;
        if let Err(e) = &result {
            tracing::warn!(
                %method, path, error = %e, outcome_unknown = e.outcome_unknown(),
                "Dodo money call failed"
            );
        }
        result
    }
}
