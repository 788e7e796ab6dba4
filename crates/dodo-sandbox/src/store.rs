//! The sandbox's state: every record, the id generator and the clock. Only ever touched under
//! the state's mutex, never across an `.await`; operations return the webhook [`Event`]s they
//! cause so the caller can hand them to the dispatcher after releasing the lock.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::cards::{self, CardBehaviour};
use crate::clock::{self, Clock};
use crate::error::{ApiError, ApiResult};
use crate::fixtures::Fixtures;
use crate::ids::IdGen;
use crate::model::*;

/// Something a webhook is sent about. The body is rendered at delivery time from the
/// object's latest state, as Dodo does.
#[derive(Debug, Clone)]
pub struct Event {
    pub event_type: &'static str,
    pub object: ObjectRef,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectRef {
    Payment(String),
    Subscription(String),
    Refund(String),
}

pub struct Store {
    pub business: Business,
    pub customers: BTreeMap<String, Customer>,
    pub payment_methods: BTreeMap<String, PaymentMethod>,
    pub products: BTreeMap<String, Product>,
    pub collections: BTreeMap<String, Collection>,
    pub payments: BTreeMap<String, Payment>,
    pub subscriptions: BTreeMap<String, Subscription>,
    pub sessions: BTreeMap<String, CheckoutSession>,
    pub refunds: BTreeMap<String, Refund>,
    /// How many of the next `POST /refunds` fail (`/_sandbox/refunds/fail-next`).
    pub refunds_to_fail: u32,
    pub ids: IdGen,
    pub clock: Clock,
    /// Base of every link the sandbox hands out (checkout pages, 3DS challenges).
    pub public_url: String,
    seq: u64,
}

impl Store {
    /// Builds the state from fixtures, anchoring fixture dates at the current real time.
    pub fn load(fixtures: &Fixtures, public_url: &str, namespace: &str, generation: u32) -> Self {
        let clock = Clock::default();
        let now = clock.now();
        let b = &fixtures.business;
        let mut store = Store {
            business: Business {
                business_id: b.business_id.clone(),
                brand_id: b.brand_id.clone(),
                name: b.name.clone(),
                defaults: b.plan_change_defaults.clone(),
                prorated_resets_cycle: b.prorated_immediately == "reset_cycle",
            },
            customers: BTreeMap::new(),
            payment_methods: BTreeMap::new(),
            products: BTreeMap::new(),
            collections: BTreeMap::new(),
            payments: BTreeMap::new(),
            subscriptions: BTreeMap::new(),
            sessions: BTreeMap::new(),
            refunds: BTreeMap::new(),
            refunds_to_fail: 0,
            ids: IdGen::new(namespace, generation),
            clock,
            public_url: public_url.trim_end_matches('/').to_owned(),
            seq: 0,
        };
        // Fixture records are dated a little in the past so "created" precedes everything
        // the tests do.
        let created = now - Duration::days(60);
        for p in &fixtures.products {
            let seq = store.next_seq();
            store.products.insert(
                p.product_id.clone(),
                Product {
                    id: p.product_id.clone(),
                    seq,
                    name: p.name.clone(),
                    description: p.description.clone(),
                    image: p.image.clone(),
                    price: p.price,
                    currency: p.currency.clone(),
                    tax_category: p.tax_category.clone(),
                    tax_inclusive: p.tax_inclusive,
                    discount: p.discount,
                    archived: p.archived,
                    metadata: p.metadata.clone(),
                    recurring: p.recurring.as_ref().map(|r| Recurring {
                        interval: r.interval,
                        interval_count: r.interval_count,
                        period_interval: r.subscription_period_interval,
                        period_count: r.subscription_period_count,
                        trial_period_days: r.trial_period_days,
                    }),
                    collection_id: None,
                    created_at: created,
                    updated_at: created,
                    translations: p
                        .translations
                        .iter()
                        .map(|(locale, t)| {
                            (
                                locale.clone(),
                                Translation {
                                    name: t.name.clone(),
                                    description: t.description.clone(),
                                    updated_at: created,
                                },
                            )
                        })
                        .collect(),
                },
            );
        }
        for c in &fixtures.product_collections {
            let seq = store.next_seq();
            let mut groups = Vec::new();
            for g in &c.groups {
                let mut items = Vec::new();
                for (i, gp) in g.products.iter().enumerate() {
                    if let Some(product) = store.products.get_mut(&gp.product_id) {
                        product.collection_id = Some(c.id.clone());
                    }
                    items.push((
                        format!("{}_item{}", g.group_id, i + 1),
                        gp.product_id.clone(),
                        gp.status,
                    ));
                }
                groups.push(CollectionGroup {
                    group_id: g.group_id.clone(),
                    group_name: g.group_name.clone(),
                    status: g.status,
                    products: items,
                });
            }
            store.collections.insert(
                c.id.clone(),
                Collection {
                    id: c.id.clone(),
                    seq,
                    name: c.name.clone(),
                    description: c.description.clone(),
                    image: c.image.clone(),
                    proration_billing_mode_on_upgrade: c.proration_billing_mode_on_upgrade.clone(),
                    proration_billing_mode_on_downgrade: c
                        .proration_billing_mode_on_downgrade
                        .clone(),
                    effective_at_on_upgrade: c.effective_at_on_upgrade.clone(),
                    effective_at_on_downgrade: c.effective_at_on_downgrade.clone(),
                    on_payment_failure: c.on_payment_failure.clone(),
                    groups,
                    created_at: created,
                },
            );
        }
        for c in &fixtures.customers {
            let seq = store.next_seq();
            store.customers.insert(
                c.customer_id.clone(),
                Customer {
                    id: c.customer_id.clone(),
                    seq,
                    email: c.email.clone(),
                    name: c.name.clone(),
                    phone_number: c.phone_number.clone(),
                    metadata: c.metadata.clone(),
                    created_at: created,
                    preferred_locale: c.preferred_locale.clone(),
                },
            );
            for pm in &c.payment_methods {
                let is_card = pm.payment_method == "card";
                let digits = pm
                    .card_number
                    .as_deref()
                    .and_then(cards::normalize_number)
                    .unwrap_or_default();
                let last4 = digits[digits.len().saturating_sub(4)..].to_owned();
                let (exp_month, exp_year) = pm
                    .expiry
                    .as_deref()
                    .and_then(cards::parse_expiry)
                    .unwrap_or((12, 2099));
                let seq = store.next_seq();
                store.payment_methods.insert(
                    pm.payment_method_id.clone(),
                    PaymentMethod {
                        id: pm.payment_method_id.clone(),
                        seq,
                        customer_id: c.customer_id.clone(),
                        behaviour: pm
                            .behaviour
                            .unwrap_or_else(|| CardBehaviour::from_last4(&last4)),
                        last4,
                        network: if is_card {
                            cards::network(&digits).to_owned()
                        } else {
                            String::new()
                        },
                        card_type: pm.card_type.clone(),
                        exp_month,
                        exp_year,
                        holder_name: pm.holder_name.clone(),
                        issuing_country: pm.issuing_country.clone(),
                        currencies: pm.currencies.clone(),
                        recurring_enabled: pm.recurring_enabled,
                        last_used_at: None,
                        method: pm.payment_method.clone(),
                        method_type: pm.payment_method_type.clone(),
                        account: pm.account.clone(),
                    },
                );
            }
        }
        for s in &fixtures.subscriptions {
            let Some(product) = store.products.get(&s.product_id) else {
                continue;
            };
            let Some(recurring) = product.recurring else {
                continue;
            };
            let prev = now - Duration::days(s.days_into_cycle);
            let trial_days = s.trial_period_days.unwrap_or(0);
            let next = match (s.trial_period_days, s.cycle_days) {
                // In trial: the first charge falls when the trial ends.
                (Some(days), _) => prev + Duration::days(days),
                (None, Some(days)) => prev + Duration::days(days),
                (None, None) => {
                    clock::add_interval(prev, recurring.interval, recurring.interval_count)
                }
            };
            let seq = store.next_seq();
            store.subscriptions.insert(
                s.subscription_id.clone(),
                Subscription {
                    id: s.subscription_id.clone(),
                    seq,
                    customer_id: s.customer_id.clone(),
                    product_id: s.product_id.clone(),
                    quantity: s.quantity,
                    status: SubStatus::Active,
                    payment_method_id: s.payment_method_id.clone(),
                    billing: Billing::country(&s.billing_country),
                    metadata: s.metadata.clone(),
                    created_at: prev,
                    previous_billing_date: prev,
                    next_billing_date: next,
                    credit_balance: 0,
                    scheduled_change: None,
                    pending_change_payment: None,
                    dues: None,
                    cancel_at_next_billing_date: false,
                    cancelled_at: None,
                    trial_period_days: if s.trial_period_days.is_some() {
                        trial_days
                    } else {
                        recurring.trial_period_days
                    },
                    trial_ends_at: s.trial_period_days.map(|_| next),
                },
            );
            if let Some(payment_id) = &s.on_hold_payment_id {
                store.fixture_failed_renewal(&s.subscription_id, payment_id);
            }
        }
        for p in &fixtures.purchases {
            store.fixture_purchase(p, now);
        }
        store
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url, path)
    }

    pub fn customer(&self, id: &str) -> ApiResult<&Customer> {
        self.customers
            .get(id)
            .ok_or_else(|| ApiError::not_found("Customer", id))
    }

    pub fn product(&self, id: &str) -> ApiResult<&Product> {
        self.products
            .get(id)
            .ok_or_else(|| ApiError::not_found("Product", id))
    }

    pub fn payment(&self, id: &str) -> ApiResult<&Payment> {
        self.payments
            .get(id)
            .ok_or_else(|| ApiError::not_found("Payment", id))
    }

    pub fn subscription(&self, id: &str) -> ApiResult<&Subscription> {
        self.subscriptions
            .get(id)
            .ok_or_else(|| ApiError::not_found("Subscription", id))
    }

    pub fn refund(&self, id: &str) -> ApiResult<&Refund> {
        self.refunds
            .get(id)
            .ok_or_else(|| ApiError::not_found("Refund", id))
    }

    pub fn session(&self, id: &str) -> ApiResult<&CheckoutSession> {
        self.sessions
            .get(id)
            .ok_or_else(|| ApiError::not_found("Checkout session", id))
    }

    /// Finds a customer by e-mail (case-insensitive) or creates one, as Dodo does for a
    /// `{"email": …}` customer.
    pub fn find_or_create_customer(
        &mut self,
        email: &str,
        name: Option<&str>,
        phone: Option<&str>,
        always_new: bool,
    ) -> String {
        if !always_new
            && let Some(existing) = self
                .customers
                .values()
                .find(|c| c.email.eq_ignore_ascii_case(email))
        {
            return existing.id.clone();
        }
        self.create_customer(email, name.unwrap_or(""), phone, Metadata::new())
    }

    pub fn create_customer(
        &mut self,
        email: &str,
        name: &str,
        phone: Option<&str>,
        metadata: Metadata,
    ) -> String {
        let id = self.ids.next("cus");
        let seq = self.next_seq();
        let now = self.now();
        // Dodo requires a name; fall back to the e-mail's local part rather than "".
        let name = if name.trim().is_empty() {
            email.split('@').next().unwrap_or(email).to_owned()
        } else {
            name.to_owned()
        };
        self.customers.insert(
            id.clone(),
            Customer {
                id: id.clone(),
                seq,
                email: email.to_owned(),
                name,
                phone_number: phone.map(str::to_owned),
                metadata,
                created_at: now,
                preferred_locale: None,
            },
        );
        id
    }

    /// Saves a card typed on a hosted page; its behaviour follows the number.
    pub fn save_card(
        &mut self,
        customer_id: &str,
        digits: &str,
        exp: (u8, i32),
        holder: Option<&str>,
        country: &str,
    ) -> String {
        let id = self.ids.next("pm");
        let seq = self.next_seq();
        let last4 = digits[digits.len().saturating_sub(4)..].to_owned();
        self.payment_methods.insert(
            id.clone(),
            PaymentMethod {
                id: id.clone(),
                seq,
                customer_id: customer_id.to_owned(),
                behaviour: CardBehaviour::from_last4(&last4),
                last4,
                network: cards::network(digits).to_owned(),
                card_type: "CREDIT".to_owned(),
                exp_month: exp.0,
                exp_year: exp.1,
                holder_name: holder.map(str::to_owned),
                issuing_country: country.to_owned(),
                currencies: Vec::new(),
                recurring_enabled: true,
                last_used_at: None,
                method: "card".to_owned(),
                method_type: None,
                account: None,
            },
        );
        id
    }

    /// The checks Dodo documents for charging a saved method: it must belong to the
    /// customer, suit the currency and not be expired.
    pub fn check_saved_method(
        &self,
        customer_id: &str,
        payment_method_id: &str,
        currency: &str,
    ) -> ApiResult<&PaymentMethod> {
        let pm = self
            .payment_methods
            .get(payment_method_id)
            .filter(|pm| pm.customer_id == customer_id)
            .ok_or_else(|| {
                ApiError::invalid_params(format!(
                    "payment method {payment_method_id} does not belong to customer {customer_id}"
                ))
            })?;
        if !pm.recurring_enabled {
            // Dodo leaves this case undocumented (reference §11.5); the sandbox refuses a
            // merchant-initiated charge of such a method before charging anything.
            return Err(ApiError::unprocessable(
                "NO_ELIGIBLE_PAYMENT_METHODS",
                format!(
                    "payment method {payment_method_id} is not enabled for merchant-initiated charges (recurring_enabled: false)"
                ),
            ));
        }
        if !pm.accepts_currency(currency) {
            return Err(ApiError::unprocessable(
                "NO_ELIGIBLE_PAYMENT_METHODS",
                format!("payment method {payment_method_id} cannot be charged in {currency}"),
            ));
        }
        if pm.is_card() && cards::is_expired(pm.exp_month, pm.exp_year, self.now().date()) {
            return Err(ApiError::unprocessable(
                "EXPIRED_CARD",
                format!(
                    "payment method {payment_method_id} expired {:02}/{}",
                    pm.exp_month, pm.exp_year
                ),
            ));
        }
        Ok(pm)
    }

    /// Unit price × quantity of a subscription's current plan.
    pub fn plan_amount(&self, product_id: &str, quantity: i64) -> i64 {
        self.products
            .get(product_id)
            .map(|p| p.price.saturating_mul(quantity))
            .unwrap_or(0)
    }

    pub fn event(&self, event_type: &'static str, object: ObjectRef) -> Event {
        Event {
            event_type,
            object,
            at: self.now(),
        }
    }
}
