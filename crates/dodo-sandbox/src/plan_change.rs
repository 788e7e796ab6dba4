//! Plan changes on the store: validation, preview (never mutates), change-plan with
//! `effective_at` and `on_payment_failure`, scheduled changes and their cancellation.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::billing::NewPayment;
use crate::clock::{self, fmt};
use crate::error::{ApiError, ApiResult};
use crate::model::*;
use crate::proration::{self, Mode, Quote, QuoteInput};
use crate::store::{Event, ObjectRef, Store};

#[derive(Debug, Clone)]
pub struct ChangeRequest {
    pub product_id: String,
    pub quantity: i64,
    pub mode: Mode,
    pub scheduled: bool,
    /// `None` = the business default.
    pub on_payment_failure: Option<String>,
    pub metadata: Option<Metadata>,
}

/// What change-plan did: webhooks to send and a payment to settle.
pub struct ChangeOutcome {
    pub events: Vec<Event>,
    pub settle: Option<String>,
}

/// The end of a cycle restarted today: one interval after today's date at the
/// subscription's billing time of day. Anchoring the time of day (not the instant of the
/// call) makes the preview's `new_plan.next_billing_date` exactly what change-plan sets a
/// moment later.
fn cycle_end_from_today(
    billing_time_of: time::OffsetDateTime,
    now: time::OffsetDateTime,
    r: Recurring,
) -> time::OffsetDateTime {
    let utc = now.to_offset(time::UtcOffset::UTC);
    let anchor = utc.replace_time(billing_time_of.to_offset(time::UtcOffset::UTC).time());
    clock::add_interval(anchor, r.interval, r.interval_count)
}

/// An immediate change billed by any mode but `do_not_bill` ends a running trial.
fn ends_trial(sub: &Subscription, req: &ChangeRequest, now: time::OffsetDateTime) -> bool {
    sub.in_trial(now) && !req.scheduled && req.mode != Mode::DoNotBill
}

impl Store {
    fn check_change(
        &self,
        subscription_id: &str,
        req: &ChangeRequest,
    ) -> ApiResult<(Subscription, Product)> {
        let sub = self.subscription(subscription_id)?.clone();
        if sub.status != SubStatus::Active {
            return Err(ApiError::unprocessable(
                "INACTIVE_SUBSCRIPTION_PLAN_CHANGE_NOT_SUPPORTED",
                format!(
                    "Subscription {subscription_id} is {}; plan change not supported",
                    sub.status.as_str()
                ),
            ));
        }
        if sub.cancel_at_next_billing_date {
            return Err(ApiError::unprocessable(
                "PLAN_CHANGE_NOT_ALLOWED_FOR_SCHEDULED_CANCELLATION",
                format!("Subscription {subscription_id} is scheduled for cancellation"),
            ));
        }
        let product = self.product(&req.product_id)?.clone();
        if product.recurring.is_none() {
            return Err(ApiError::invalid_params(format!(
                "product {} is not a subscription product",
                product.id
            )));
        }
        if product.archived {
            return Err(ApiError::unprocessable(
                "PRODUCT_IS_DELETED",
                format!("product {} is archived", product.id),
            ));
        }
        let current_currency = self
            .products
            .get(&sub.product_id)
            .map(|p| p.currency.clone())
            .unwrap_or_default();
        if product.currency != current_currency {
            return Err(ApiError::invalid_params(format!(
                "product {} is priced in {}, the subscription in {current_currency}",
                product.id, product.currency
            )));
        }
        if req.quantity < 1 {
            return Err(ApiError::invalid_params("quantity must be at least 1"));
        }
        Ok((sub, product))
    }

    fn quote_for(&self, sub: &Subscription, product: &Product, req: &ChangeRequest) -> Quote {
        let now = self.now();
        proration::quote(QuoteInput {
            mode: req.mode,
            old_amount: self.plan_amount(&sub.product_id, sub.quantity),
            new_unit_price: product.price,
            new_quantity: req.quantity,
            days_used: clock::whole_days(sub.previous_billing_date, now),
            period_days: clock::whole_days(sub.previous_billing_date, sub.next_billing_date),
            credit_balance: sub.credit_balance,
            prorated_resets_cycle: self.business.prorated_resets_cycle,
            in_trial: sub.in_trial(now),
        })
    }

    /// The subscription as it would look after the change.
    fn changed(
        &self,
        sub: &Subscription,
        product: &Product,
        req: &ChangeRequest,
        quote: &Quote,
    ) -> Subscription {
        let now = self.now();
        let mut after = sub.clone();
        if req.scheduled {
            after.scheduled_change = Some(ScheduledChange {
                id: "sch_preview".to_owned(),
                product_id: product.id.clone(),
                quantity: req.quantity,
                effective_at: sub.next_billing_date,
                created_at: now,
            });
            return after;
        }
        after.product_id = product.id.clone();
        after.quantity = req.quantity;
        after.credit_balance = quote.credit_after;
        after.scheduled_change = None;
        if ends_trial(sub, req, now) {
            after.trial_ends_at = None;
        }
        if quote.reset_cycle
            && let Some(r) = product.recurring
        {
            after.previous_billing_date = now;
            after.next_billing_date = cycle_end_from_today(sub.previous_billing_date, now, r);
        }
        after
    }

    /// `POST /subscriptions/{id}/change-plan/preview`: the charge and the resulting plan,
    /// without changing anything.
    pub fn preview_change(&self, subscription_id: &str, req: &ChangeRequest) -> ApiResult<Value> {
        let (sub, product) = self.check_change(subscription_id, req)?;
        let quote = self.quote_for(&sub, &product, req);
        let after = self.changed(&sub, &product, req, &quote);
        let currency = product.currency.clone();
        let (effective_at, line_items, total, credits) = if req.scheduled {
            (sub.next_billing_date, Vec::new(), 0, 0)
        } else {
            let line = json!({
                "type": "subscription",
                "id": sub.id,
                "product_id": product.id,
                "name": product.name,
                "description": product.description,
                "unit_price": product.price,
                "quantity": req.quantity,
                "proration_factor": quote.proration_factor,
                "currency": currency,
                "tax_inclusive": product.tax_inclusive,
                "tax": 0,
                "tax_rate": 0.0,
            });
            (
                self.now(),
                vec![line],
                quote.total_amount,
                quote.customer_credits,
            )
        };
        Ok(json!({
            "immediate_charge": {
                "effective_at": fmt(effective_at),
                "line_items": line_items,
                "summary": {
                    "total_amount": total,
                    "currency": currency,
                    "settlement_amount": total,
                    "settlement_currency": currency,
                    "customer_credits": credits,
                    "tax": 0,
                    "settlement_tax": 0,
                }
            },
            "new_plan": self.render_subscription(&after),
        }))
    }

    /// `POST /subscriptions/{id}/change-plan`.
    pub fn change_plan(
        &mut self,
        subscription_id: &str,
        req: &ChangeRequest,
    ) -> ApiResult<ChangeOutcome> {
        let (sub, product) = self.check_change(subscription_id, req)?;
        if let Some(pending) = sub
            .pending_change_payment
            .as_ref()
            .and_then(|id| self.payments.get(id))
            .filter(|p| !p.status.is_final())
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "PendingPlanChangeExists",
                format!(
                    "A pending plan change already exists for this subscription (payment {} is {})",
                    pending.id,
                    pending.status.as_str()
                ),
            ));
        }
        let now = self.now();
        let sub_ref = || ObjectRef::Subscription(subscription_id.to_owned());
        if req.scheduled {
            // A new scheduled change replaces the previous one.
            let id = self.ids.next("sch");
            if let Some(s) = self.subscriptions.get_mut(subscription_id) {
                s.scheduled_change = Some(ScheduledChange {
                    id,
                    product_id: product.id.clone(),
                    quantity: req.quantity,
                    effective_at: sub.next_billing_date,
                    created_at: now,
                });
            }
            return Ok(ChangeOutcome {
                events: vec![self.event("subscription.updated", sub_ref())],
                settle: None,
            });
        }
        let quote = self.quote_for(&sub, &product, req);
        let target = PlanChangeTarget {
            product_id: product.id.clone(),
            quantity: req.quantity,
            reset_cycle: quote.reset_cycle,
            ends_trial: ends_trial(&sub, req, now),
        };
        if quote.total_amount == 0 {
            let events = self.apply_plan_change(subscription_id, &target, quote.credit_after);
            return Ok(ChangeOutcome {
                events,
                settle: None,
            });
        }
        if sub.payment_method_id.is_none() {
            return Err(ApiError::unprocessable(
                "NO_ELIGIBLE_PAYMENT_METHODS",
                format!("Subscription {subscription_id} has no payment method to charge"),
            ));
        }
        let on_failure = req
            .on_payment_failure
            .clone()
            .unwrap_or_else(|| self.business.defaults.on_payment_failure.clone());
        let apply_on_success = on_failure == "prevent_change";
        let mut events = Vec::new();
        if !apply_on_success {
            events.extend(self.apply_plan_change(subscription_id, &target, quote.credit_after));
        }
        let after = self.changed(&sub, &product, req, &quote);
        let payment_id = self.create_payment(NewPayment {
            customer_id: sub.customer_id.clone(),
            total_amount: quote.total_amount,
            currency: product.currency.clone(),
            billing: sub.billing.clone(),
            product_cart: vec![CartLine {
                product_id: product.id.clone(),
                quantity: req.quantity,
                amount: None,
            }],
            payment_method_id: sub.payment_method_id.clone(),
            subscription_id: Some(sub.id.clone()),
            checkout_session_id: None,
            charge_type: Some("plan_change"),
            metadata: req.metadata.clone().unwrap_or_else(|| sub.metadata.clone()),
            purpose: Purpose::PlanChange {
                subscription_id: sub.id.clone(),
                change: target,
                apply_on_success,
                credit_after: quote.credit_after,
            },
            status: PaymentStatus::Processing,
            return_url: None,
            service_period: Some((
                sub.id.clone(),
                now,
                after.next_billing_date,
                format!("{}", quote.proration_factor),
            )),
        });
        if apply_on_success && let Some(s) = self.subscriptions.get_mut(subscription_id) {
            s.pending_change_payment = Some(payment_id.clone());
        }
        events.push(self.event("payment.processing", ObjectRef::Payment(payment_id.clone())));
        Ok(ChangeOutcome {
            events,
            settle: Some(payment_id),
        })
    }

    /// Switches the plan now (also used when a renewal reaches a scheduled change).
    pub fn apply_plan_change(
        &mut self,
        subscription_id: &str,
        target: &PlanChangeTarget,
        credit_after: i64,
    ) -> Vec<Event> {
        let now = self.now();
        let recurring = self
            .products
            .get(&target.product_id)
            .and_then(|p| p.recurring);
        let Some(sub) = self.subscriptions.get_mut(subscription_id) else {
            return Vec::new();
        };
        sub.product_id = target.product_id.clone();
        sub.quantity = target.quantity;
        sub.credit_balance = credit_after;
        sub.scheduled_change = None;
        if target.ends_trial {
            sub.trial_ends_at = None;
        }
        if target.reset_cycle
            && let Some(r) = recurring
        {
            sub.next_billing_date = cycle_end_from_today(sub.previous_billing_date, now, r);
            sub.previous_billing_date = now;
        }
        vec![
            self.event(
                "subscription.plan_changed",
                ObjectRef::Subscription(subscription_id.to_owned()),
            ),
            self.event(
                "subscription.updated",
                ObjectRef::Subscription(subscription_id.to_owned()),
            ),
        ]
    }

    /// `DELETE /subscriptions/{id}/change-plan/scheduled`.
    pub fn cancel_scheduled_change(&mut self, subscription_id: &str) -> ApiResult<Vec<Event>> {
        self.subscription(subscription_id)?;
        let removed = self
            .subscriptions
            .get_mut(subscription_id)
            .and_then(|s| s.scheduled_change.take());
        if removed.is_none() {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                format!("Subscription {subscription_id} has no scheduled plan change"),
            ));
        }
        Ok(vec![self.event(
            "subscription.updated",
            ObjectRef::Subscription(subscription_id.to_owned()),
        )])
    }
}
