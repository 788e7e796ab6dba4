//! Charging: creating payments, settling them by the card's behaviour, and what each outcome
//! does to the subscription it belongs to (activation, plan change, on_hold, recovery), plus
//! renewals when the sandbox clock passes a billing date.

use time::{Duration, OffsetDateTime};

use crate::cards::{self, CardBehaviour};
use crate::clock;
use crate::model::*;
use crate::store::{Event, ObjectRef, Store};

/// What a new payment is for and how it is paid.
pub struct NewPayment {
    pub customer_id: String,
    pub total_amount: i64,
    pub currency: String,
    pub billing: Billing,
    pub product_cart: Vec<CartLine>,
    pub payment_method_id: Option<String>,
    pub subscription_id: Option<String>,
    pub checkout_session_id: Option<String>,
    pub charge_type: Option<&'static str>,
    pub metadata: Metadata,
    pub purpose: Purpose,
    pub status: PaymentStatus,
    pub return_url: Option<String>,
    pub service_period: Option<(String, OffsetDateTime, OffsetDateTime, String)>,
}

/// How a charge of a saved card ends.
pub enum Outcome {
    Succeeded,
    Failed(&'static str, &'static str),
    NeedsAction,
}

impl Store {
    pub fn create_payment(&mut self, new: NewPayment) -> String {
        let id = self.ids.next("pay");
        let seq = self.next_seq();
        let now = self.now();
        let pm = new
            .payment_method_id
            .as_ref()
            .and_then(|pm| self.payment_methods.get(pm));
        let card = pm.filter(|pm| pm.is_card()).map(CardSnapshot::from);
        let method = pm.map(|pm| (pm.method.clone(), pm.type_name()));
        self.payments.insert(
            id.clone(),
            Payment {
                id: id.clone(),
                seq,
                customer_id: new.customer_id,
                status: new.status,
                total_amount: new.total_amount,
                currency: new.currency,
                billing: new.billing,
                product_cart: new.product_cart,
                payment_method_id: new.payment_method_id,
                subscription_id: new.subscription_id,
                checkout_session_id: new.checkout_session_id,
                charge_type: new.charge_type,
                error_code: None,
                error_message: None,
                metadata: new.metadata,
                created_at: now,
                updated_at: now,
                payment_link: None,
                return_url: new.return_url,
                purpose: new.purpose,
                service_period: new.service_period,
                card,
                method,
                invoice_id: None,
            },
        );
        id
    }

    /// What charging this saved method right now would do.
    pub fn card_outcome(&self, payment_method_id: Option<&str>, off_session: bool) -> Outcome {
        let Some(pm) = payment_method_id.and_then(|id| self.payment_methods.get(id)) else {
            return Outcome::Failed(
                "PAYMENT_METHOD_UNAVAILABLE",
                "No payment method is available for this charge.",
            );
        };
        if pm.is_card() && cards::is_expired(pm.exp_month, pm.exp_year, self.now().date()) {
            return Outcome::Failed("EXPIRED_CARD", "The card has expired.");
        }
        if off_session && !pm.recurring_enabled {
            return Outcome::Failed(
                "MANDATE_REQUIRED",
                "The payment method is not enabled for merchant-initiated charges.",
            );
        }
        match pm.behaviour {
            CardBehaviour::Succeed => Outcome::Succeeded,
            // Renewals run without the customer, so a challenge cannot happen.
            CardBehaviour::ThreeDs if off_session => Outcome::Failed(
                "AUTHENTICATION_REQUIRED",
                "The card requires authentication, which an off-session charge cannot do.",
            ),
            CardBehaviour::ThreeDs => Outcome::NeedsAction,
            other => match other.failure() {
                Some((code, message)) => Outcome::Failed(code, message),
                None => Outcome::Succeeded,
            },
        }
    }

    /// Settles a `processing` payment by its card's behaviour. No-op for anything else (a
    /// payment that is gone after a reset, or already final).
    pub fn settle(&mut self, payment_id: &str) -> Vec<Event> {
        let Some(payment) = self.payments.get(payment_id) else {
            return Vec::new();
        };
        if payment.status != PaymentStatus::Processing {
            return Vec::new();
        }
        let pm = payment.payment_method_id.clone();
        if let Some(pm) = pm.as_ref().and_then(|id| self.payment_methods.get_mut(id)) {
            pm.last_used_at = Some(self.clock.now());
        }
        match self.card_outcome(pm.as_deref(), false) {
            Outcome::Succeeded => self.finish_payment(payment_id, None),
            Outcome::Failed(code, message) => {
                self.finish_payment(payment_id, Some((code, message)))
            }
            Outcome::NeedsAction => {
                let link = self.link(&format!("/sandbox/3ds/{payment_id}"));
                let now = self.now();
                if let Some(p) = self.payments.get_mut(payment_id) {
                    p.status = PaymentStatus::RequiresCustomerAction;
                    p.payment_link = Some(link);
                    p.updated_at = now;
                }
                Vec::new()
            }
        }
    }

    /// The buyer completed (or failed) the 3DS challenge of a payment.
    pub fn complete_challenge(&mut self, payment_id: &str, passed: bool) -> Vec<Event> {
        let waiting = self
            .payments
            .get(payment_id)
            .is_some_and(|p| p.status == PaymentStatus::RequiresCustomerAction);
        if !waiting {
            return Vec::new();
        }
        if passed {
            self.finish_payment(payment_id, None)
        } else {
            self.finish_payment(
                payment_id,
                Some((
                    "AUTHENTICATION_FAILURE",
                    "The customer failed the 3D Secure challenge.",
                )),
            )
        }
    }

    /// Records the final status of a payment and applies its consequences.
    pub fn finish_payment(
        &mut self,
        payment_id: &str,
        failure: Option<(&str, &str)>,
    ) -> Vec<Event> {
        let now = self.now();
        let invoice_id = self.ids.next("inv");
        let Some(payment) = self.payments.get_mut(payment_id) else {
            return Vec::new();
        };
        payment.updated_at = now;
        match failure {
            None => {
                payment.status = PaymentStatus::Succeeded;
                payment.error_code = None;
                payment.error_message = None;
                payment.invoice_id = Some(invoice_id);
            }
            Some((code, message)) => {
                payment.status = PaymentStatus::Failed;
                payment.error_code = Some(code.to_owned());
                payment.error_message = Some(message.to_owned());
            }
        }
        let succeeded = failure.is_none();
        let purpose = payment.purpose.clone();
        let amount = payment.total_amount;
        let pay_event = self.event(
            if succeeded {
                "payment.succeeded"
            } else {
                "payment.failed"
            },
            ObjectRef::Payment(payment_id.to_owned()),
        );
        let mut events = Vec::new();
        match purpose {
            Purpose::OneTime => {}
            Purpose::NewSubscription { subscription_id } => {
                if let Some(sub) = self.subscriptions.get_mut(&subscription_id) {
                    sub.status = if succeeded {
                        SubStatus::Active
                    } else {
                        SubStatus::Failed
                    };
                }
                let kind = if succeeded {
                    "subscription.active"
                } else {
                    "subscription.failed"
                };
                events.push(self.event(kind, ObjectRef::Subscription(subscription_id)));
            }
            Purpose::Renewal { subscription_id } => {
                events.extend(self.renewal_outcome(&subscription_id, amount, succeeded));
            }
            Purpose::PlanChange {
                subscription_id,
                change,
                apply_on_success,
                credit_after,
            } => {
                if apply_on_success {
                    if let Some(sub) = self.subscriptions.get_mut(&subscription_id) {
                        sub.pending_change_payment = None;
                    }
                    if succeeded {
                        events.extend(self.apply_plan_change(
                            &subscription_id,
                            &change,
                            credit_after,
                        ));
                    }
                } else if !succeeded {
                    events.extend(self.put_on_hold(&subscription_id, amount, false));
                }
            }
            Purpose::Dues {
                subscription_id,
                renewal,
            } => {
                if succeeded {
                    events.extend(self.recover(&subscription_id, renewal));
                }
            }
        }
        // Dodo's order: the subscription event first, then the payment's (DOCS lifecycle).
        events.push(pay_event);
        events
    }

    pub fn put_on_hold(&mut self, subscription_id: &str, amount: i64, renewal: bool) -> Vec<Event> {
        let Some(sub) = self.subscriptions.get_mut(subscription_id) else {
            return Vec::new();
        };
        sub.status = SubStatus::OnHold;
        sub.dues = Some(Dues { amount, renewal });
        vec![self.event(
            "subscription.on_hold",
            ObjectRef::Subscription(subscription_id.to_owned()),
        )]
    }

    /// Dues paid: back to `active`; a paid renewal also moves the cycle on.
    fn recover(&mut self, subscription_id: &str, renewal: bool) -> Vec<Event> {
        let interval = self
            .subscriptions
            .get(subscription_id)
            .and_then(|s| self.products.get(&s.product_id))
            .and_then(|p| p.recurring);
        let Some(sub) = self.subscriptions.get_mut(subscription_id) else {
            return Vec::new();
        };
        sub.status = SubStatus::Active;
        sub.dues = None;
        let mut events = Vec::new();
        if renewal && let Some(r) = interval {
            sub.previous_billing_date = sub.next_billing_date;
            sub.next_billing_date =
                clock::add_interval(sub.next_billing_date, r.interval, r.interval_count);
            events.push(self.event(
                "subscription.renewed",
                ObjectRef::Subscription(subscription_id.to_owned()),
            ));
        }
        events.push(self.event(
            "subscription.active",
            ObjectRef::Subscription(subscription_id.to_owned()),
        ));
        events
    }

    fn renewal_outcome(
        &mut self,
        subscription_id: &str,
        amount: i64,
        succeeded: bool,
    ) -> Vec<Event> {
        if succeeded {
            self.advance_cycle(subscription_id);
            vec![self.event(
                "subscription.renewed",
                ObjectRef::Subscription(subscription_id.to_owned()),
            )]
        } else {
            self.put_on_hold(subscription_id, amount, true)
        }
    }

    fn advance_cycle(&mut self, subscription_id: &str) {
        let interval = self
            .subscriptions
            .get(subscription_id)
            .and_then(|s| self.products.get(&s.product_id))
            .and_then(|p| p.recurring);
        if let (Some(sub), Some(r)) = (self.subscriptions.get_mut(subscription_id), interval) {
            sub.previous_billing_date = sub.next_billing_date;
            sub.next_billing_date =
                clock::add_interval(sub.next_billing_date, r.interval, r.interval_count);
        }
    }

    /// Moves the clock and runs every renewal that falls due, in order. Renewal charges settle
    /// at once (the clock jump is the test's "wait"), so the result is deterministic.
    pub fn advance_clock(&mut self, by: Duration) -> Vec<Event> {
        self.clock.advance(by);
        let mut events = Vec::new();
        // Bounded so a tiny interval and a huge jump cannot spin forever.
        for _ in 0..10_000 {
            let due = self
                .subscriptions
                .values()
                .filter(|s| s.status == SubStatus::Active && s.next_billing_date <= self.now())
                .min_by_key(|s| (s.next_billing_date, s.seq))
                .map(|s| s.id.clone());
            let Some(id) = due else { break };
            events.extend(self.renew(&id));
        }
        events
    }

    fn renew(&mut self, subscription_id: &str) -> Vec<Event> {
        let mut events = Vec::new();
        // Reaching the billing date ends a trial, whatever the charge does.
        if let Some(s) = self.subscriptions.get_mut(subscription_id) {
            s.trial_ends_at = None;
        }
        let Some(sub) = self.subscriptions.get(subscription_id).cloned() else {
            return events;
        };
        let boundary = sub.next_billing_date;
        if sub.cancel_at_next_billing_date {
            if let Some(s) = self.subscriptions.get_mut(subscription_id) {
                s.status = SubStatus::Cancelled;
                s.cancelled_at = Some(boundary);
            }
            events.push(self.event(
                "subscription.cancelled",
                ObjectRef::Subscription(subscription_id.to_owned()),
            ));
            return events;
        }
        if let Some(change) = sub
            .scheduled_change
            .as_ref()
            .filter(|c| c.effective_at <= boundary)
        {
            let target = PlanChangeTarget {
                product_id: change.product_id.clone(),
                quantity: change.quantity,
                reset_cycle: false,
                ends_trial: false,
            };
            let credit = sub.credit_balance;
            events.extend(self.apply_plan_change(subscription_id, &target, credit));
        }
        let Some(sub) = self.subscriptions.get(subscription_id).cloned() else {
            return events;
        };
        let Some(product) = self.products.get(&sub.product_id).cloned() else {
            return events;
        };
        let Some(recurring) = product.recurring else {
            return events;
        };
        let price = product.price.saturating_mul(sub.quantity);
        let credit_used = sub.credit_balance.clamp(0, price);
        let to_charge = price - credit_used;
        if let Some(s) = self.subscriptions.get_mut(subscription_id) {
            s.credit_balance -= credit_used;
        }
        if to_charge == 0 {
            // Paid entirely from downgrade credit: no card charge, still a renewal.
            self.advance_cycle(subscription_id);
            events.push(self.event(
                "subscription.renewed",
                ObjectRef::Subscription(subscription_id.to_owned()),
            ));
            return events;
        }
        let period_end =
            clock::add_interval(boundary, recurring.interval, recurring.interval_count);
        let payment_id = self.create_payment(NewPayment {
            customer_id: sub.customer_id.clone(),
            total_amount: to_charge,
            currency: product.currency.clone(),
            billing: sub.billing.clone(),
            product_cart: vec![CartLine {
                product_id: sub.product_id.clone(),
                quantity: sub.quantity,
                amount: None,
            }],
            payment_method_id: sub.payment_method_id.clone(),
            subscription_id: Some(sub.id.clone()),
            checkout_session_id: None,
            charge_type: Some("renewal"),
            metadata: sub.metadata.clone(),
            purpose: Purpose::Renewal {
                subscription_id: sub.id.clone(),
            },
            status: PaymentStatus::Processing,
            return_url: None,
            service_period: Some((sub.id.clone(), boundary, period_end, "1".to_owned())),
        });
        let outcome = self.card_outcome(sub.payment_method_id.as_deref(), true);
        let failure = match outcome {
            Outcome::Succeeded | Outcome::NeedsAction => None,
            Outcome::Failed(code, message) => Some((code, message)),
        };
        events.extend(self.finish_payment(&payment_id, failure));
        events
    }
}

impl Store {
    /// Fixture `on_hold_payment_id`: the renewal at the start of the current cycle failed.
    /// The failed payment gets the fixture's id, so generated ids are not shifted, and no
    /// webhook is sent (it happened before the sandbox started).
    /// A one-time purchase from the fixtures: succeeded `days_ago` days before `now`, with its
    /// invoice, on the customer's saved method (no webhook: it happened before we started).
    pub fn fixture_purchase(&mut self, p: &crate::fixtures::PurchaseFixture, now: OffsetDateTime) {
        let Some(product) = self.products.get(&p.product_id).cloned() else {
            return;
        };
        let seq = self.next_seq();
        let invoice_id = self.ids.next("inv");
        let pm = self.payment_methods.get(&p.payment_method_id);
        let at = now - Duration::days(p.days_ago);
        self.payments.insert(
            p.payment_id.clone(),
            Payment {
                id: p.payment_id.clone(),
                seq,
                customer_id: p.customer_id.clone(),
                status: PaymentStatus::Succeeded,
                total_amount: product.price,
                currency: product.currency.clone(),
                billing: Billing::country(&p.billing_country),
                product_cart: vec![CartLine {
                    product_id: p.product_id.clone(),
                    quantity: 1,
                    amount: None,
                }],
                payment_method_id: Some(p.payment_method_id.clone()),
                subscription_id: None,
                checkout_session_id: None,
                charge_type: None,
                error_code: None,
                error_message: None,
                metadata: Default::default(),
                created_at: at,
                updated_at: at,
                payment_link: None,
                return_url: None,
                purpose: Purpose::OneTime,
                service_period: None,
                card: pm.filter(|pm| pm.is_card()).map(CardSnapshot::from),
                method: pm.map(|pm| (pm.method.clone(), pm.type_name())),
                invoice_id: Some(invoice_id),
            },
        );
    }

    pub fn fixture_failed_renewal(&mut self, subscription_id: &str, payment_id: &str) {
        let Some(sub) = self.subscriptions.get(subscription_id).cloned() else {
            return;
        };
        let Some(product) = self.products.get(&sub.product_id).cloned() else {
            return;
        };
        let amount = product.price.saturating_mul(sub.quantity);
        let seq = self.next_seq();
        let pm = sub
            .payment_method_id
            .as_ref()
            .and_then(|id| self.payment_methods.get(id));
        let (code, message) = pm
            .and_then(|pm| pm.behaviour.failure())
            .unwrap_or(("CARD_DECLINED", "The card was declined."));
        let at = sub.previous_billing_date;
        self.payments.insert(
            payment_id.to_owned(),
            Payment {
                id: payment_id.to_owned(),
                seq,
                customer_id: sub.customer_id.clone(),
                status: PaymentStatus::Failed,
                total_amount: amount,
                currency: product.currency.clone(),
                billing: sub.billing.clone(),
                product_cart: vec![CartLine {
                    product_id: sub.product_id.clone(),
                    quantity: sub.quantity,
                    amount: None,
                }],
                payment_method_id: sub.payment_method_id.clone(),
                subscription_id: Some(sub.id.clone()),
                checkout_session_id: None,
                charge_type: Some("renewal"),
                error_code: Some(code.to_owned()),
                error_message: Some(message.to_owned()),
                metadata: sub.metadata.clone(),
                created_at: at,
                updated_at: at,
                payment_link: None,
                return_url: None,
                purpose: Purpose::Renewal {
                    subscription_id: sub.id.clone(),
                },
                service_period: Some((sub.id.clone(), at, sub.next_billing_date, "1".to_owned())),
                card: pm.filter(|pm| pm.is_card()).map(CardSnapshot::from),
                method: pm.map(|pm| (pm.method.clone(), pm.type_name())),
                invoice_id: None,
            },
        );
        // The renewal did not go through: the cycle did not move on.
        if let Some(s) = self.subscriptions.get_mut(subscription_id) {
            s.status = SubStatus::OnHold;
            s.dues = Some(Dues {
                amount,
                renewal: true,
            });
            s.next_billing_date = s.previous_billing_date;
            s.previous_billing_date = at - (sub.next_billing_date - at);
        }
    }

    /// `POST /_sandbox/subscriptions/{id}/hold`: the renewal that falls due now fails, as
    /// if the saved method had declined it: a failed `renewal` payment (`payment.failed`)
    /// and `subscription.on_hold`. The cycle does not move on; `update-payment-method`
    /// recovers it.
    pub fn fail_renewal_now(
        &mut self,
        subscription_id: &str,
        error_code: &str,
    ) -> crate::error::ApiResult<Vec<Event>> {
        let sub = self.subscription(subscription_id)?.clone();
        if sub.status != SubStatus::Active {
            return Err(crate::error::ApiError::invalid_params(format!(
                "subscription {subscription_id} is {}, not active",
                sub.status.as_str()
            )));
        }
        let product = self.product(&sub.product_id)?.clone();
        let amount = product.price.saturating_mul(sub.quantity);
        let now = self.now();
        let payment_id = self.create_payment(NewPayment {
            customer_id: sub.customer_id.clone(),
            total_amount: amount,
            currency: product.currency.clone(),
            billing: sub.billing.clone(),
            product_cart: vec![CartLine {
                product_id: sub.product_id.clone(),
                quantity: sub.quantity,
                amount: None,
            }],
            payment_method_id: sub.payment_method_id.clone(),
            subscription_id: Some(sub.id.clone()),
            checkout_session_id: None,
            charge_type: Some("renewal"),
            metadata: sub.metadata.clone(),
            purpose: Purpose::Renewal {
                subscription_id: sub.id.clone(),
            },
            status: PaymentStatus::Processing,
            return_url: None,
            service_period: Some((sub.id.clone(), now, sub.next_billing_date, "1".to_owned())),
        });
        if let Some(s) = self.subscriptions.get_mut(subscription_id) {
            s.trial_ends_at = None;
        }
        let message = "The renewal charge was declined (sandbox control API).";
        Ok(self.finish_payment(&payment_id, Some((error_code, message))))
    }
}
