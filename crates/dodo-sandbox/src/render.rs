//! Dodo's JSON shapes for the sandbox's records. Every key the official Rust SDK requires is
//! always present and non-null (`metadata: {}`, arrays `[]`), with Dodo's casing.

use serde_json::{Value, json};

use crate::clock::fmt;
use crate::model::*;
use crate::store::Store;

fn metadata(m: &Metadata) -> Value {
    json!(m)
}

fn billing(b: &Billing) -> Value {
    json!({
        "country": b.country,
        "city": b.city,
        "state": b.state,
        "street": b.street,
        "zipcode": b.zipcode,
    })
}

impl Store {
    pub fn render_customer(&self, c: &Customer) -> Value {
        json!({
            "business_id": self.business.business_id,
            "customer_id": c.id,
            "created_at": fmt(c.created_at),
            "email": c.email,
            "name": c.name,
            "phone_number": c.phone_number,
            "metadata": metadata(&c.metadata),
            "preferred_locale": c.preferred_locale,
        })
    }

    /// `CustomerLimitedDetails`, nested in payments and subscriptions.
    pub fn render_customer_limited(&self, customer_id: &str) -> Value {
        match self.customers.get(customer_id) {
            Some(c) => json!({
                "customer_id": c.id,
                "email": c.email,
                "name": c.name,
                "phone_number": c.phone_number,
                "metadata": metadata(&c.metadata),
            }),
            None => json!({ "customer_id": customer_id, "email": "", "name": "", "metadata": {} }),
        }
    }

    pub fn render_payment_method(&self, pm: &PaymentMethod) -> Value {
        if !pm.is_card() {
            // Dodo's item has no field for a wallet's or UPI's account: only the kinds.
            return json!({
                "payment_method_id": pm.id,
                "payment_method": pm.method,
                "payment_method_type": pm.type_name(),
                "card": null,
                "last_used_at": pm.last_used_at.map(fmt),
                "recurring_enabled": pm.recurring_enabled,
            });
        }
        json!({
            "payment_method_id": pm.id,
            "payment_method": "card",
            "payment_method_type": pm.type_name(),
            "card": {
                "card_holder_name": pm.holder_name,
                "card_issuing_country": pm.issuing_country,
                "card_network": pm.network,
                "card_type": pm.card_type,
                "expiry_month": format!("{:02}", pm.exp_month),
                "expiry_year": pm.exp_year.to_string(),
                "last4_digits": pm.last4,
            },
            "last_used_at": pm.last_used_at.map(fmt),
            "recurring_enabled": pm.recurring_enabled,
        })
    }

    /// The `price` union: `one_time_price` or `recurring_price`.
    pub fn render_price(&self, p: &Product) -> Value {
        match p.recurring {
            None => json!({
                "type": "one_time_price",
                "price": p.price,
                "currency": p.currency,
                "discount": p.discount,
                "purchasing_power_parity": false,
                "pay_what_you_want": false,
                "suggested_price": null,
                "tax_inclusive": p.tax_inclusive,
            }),
            Some(r) => json!({
                "type": "recurring_price",
                "price": p.price,
                "currency": p.currency,
                "discount": p.discount,
                "purchasing_power_parity": false,
                "payment_frequency_count": r.interval_count,
                "payment_frequency_interval": r.interval.as_str(),
                "subscription_period_count": r.period_count,
                "subscription_period_interval": r.period_interval.as_str(),
                "trial_period_days": r.trial_period_days,
                "tax_inclusive": p.tax_inclusive,
            }),
        }
    }

    pub fn render_product(&self, p: &Product) -> Value {
        json!({
            "product_id": p.id,
            "brand_id": self.business.brand_id,
            "business_id": self.business.business_id,
            "created_at": fmt(p.created_at),
            "updated_at": fmt(p.updated_at),
            "is_recurring": p.recurring.is_some(),
            "license_key_enabled": false,
            "metadata": metadata(&p.metadata),
            "price": self.render_price(p),
            "tax_category": p.tax_category,
            "credit_entitlements": [],
            "entitlements": [],
            "name": p.name,
            "description": p.description,
            "image": p.image,
            "addons": [],
            "product_collection_id": p.collection_id,
        })
    }

    /// `ProductListResponse`: flat `price`/`currency` plus the full `price_detail`.
    pub fn render_product_list_item(&self, p: &Product) -> Value {
        json!({
            "product_id": p.id,
            "business_id": self.business.business_id,
            "created_at": fmt(p.created_at),
            "updated_at": fmt(p.updated_at),
            "is_recurring": p.recurring.is_some(),
            "metadata": metadata(&p.metadata),
            "tax_category": p.tax_category,
            "entitlements": [],
            "name": p.name,
            "description": p.description,
            "image": p.image,
            "currency": p.currency,
            "price": p.price,
            "price_detail": self.render_price(p),
            "tax_inclusive": p.tax_inclusive,
            "product_collection_id": p.collection_id,
        })
    }

    pub fn render_collection(&self, c: &Collection) -> Value {
        let groups: Vec<Value> = c
            .groups
            .iter()
            .map(|g| {
                let products: Vec<Value> = g
                    .products
                    .iter()
                    .filter_map(|(entry_id, product_id, active)| {
                        let p = self.products.get(product_id)?;
                        Some(json!({
                            "id": entry_id,
                            "product_id": p.id,
                            "name": p.name,
                            "description": p.description,
                            "price": p.price,
                            "price_detail": self.render_price(p),
                            "currency": p.currency,
                            "is_recurring": p.recurring.is_some(),
                            // An archived product is never active in its collection.
                            "status": *active && !p.archived,
                            "addons_count": 0,
                            "files_count": 0,
                            "meters_count": 0,
                            "license_key_enabled": false,
                            "has_credit_entitlements": false,
                            "tax_category": p.tax_category,
                            "tax_inclusive": p.tax_inclusive,
                        }))
                    })
                    .collect();
                json!({
                    "group_id": g.group_id,
                    "group_name": g.group_name,
                    "status": g.status,
                    "products": products,
                })
            })
            .collect();
        json!({
            "id": c.id,
            "brand_id": self.business.brand_id,
            "name": c.name,
            "description": c.description,
            "image": c.image,
            "created_at": fmt(c.created_at),
            "updated_at": fmt(c.created_at),
            "groups": groups,
            "proration_billing_mode_on_upgrade": c.proration_billing_mode_on_upgrade,
            "proration_billing_mode_on_downgrade": c.proration_billing_mode_on_downgrade,
            "effective_at_on_upgrade": c.effective_at_on_upgrade,
            "effective_at_on_downgrade": c.effective_at_on_downgrade,
            "on_payment_failure": c.on_payment_failure,
        })
    }

    pub fn render_collection_list_item(&self, c: &Collection) -> Value {
        let count: usize = c.groups.iter().map(|g| g.products.len()).sum();
        json!({
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "image": c.image,
            "products_count": count,
            "created_at": fmt(c.created_at),
            "updated_at": fmt(c.created_at),
        })
    }

    /// `Payment` (also the `data` of `payment.*` webhooks). A superset of
    /// `PaymentListResponse`, so lists use it too.
    pub fn render_payment(&self, p: &Payment) -> Value {
        let cart: Vec<Value> = p
            .product_cart
            .iter()
            .map(|l| json!({ "product_id": l.product_id, "quantity": l.quantity, "amount": l.amount }))
            .collect();
        let service_periods: Vec<Value> = p
            .service_period
            .iter()
            .map(|(sub, starts, ends, factor)| {
                json!({
                    "subscription_id": sub,
                    "starts_at": fmt(*starts),
                    "ends_at": fmt(*ends),
                    "proration_factor": factor,
                })
            })
            .collect();
        let card = p.card.as_ref();
        let method = p.method.as_ref();
        let refunds: Vec<Value> = self
            .refunds_of(&p.id)
            .map(|r| self.render_refund_list_item(r))
            .collect();
        let refund_status = self.refund_status(&p.id);
        json!({
            "payment_id": p.id,
            "business_id": self.business.business_id,
            "brand_id": self.business.brand_id,
            "created_at": fmt(p.created_at),
            "updated_at": fmt(p.updated_at),
            "status": p.status.as_str(),
            "total_amount": p.total_amount,
            "currency": p.currency,
            "settlement_amount": p.total_amount,
            "settlement_currency": p.currency,
            "tax": 0,
            "settlement_tax": 0,
            "billing": billing(&p.billing),
            "customer": self.render_customer_limited(&p.customer_id),
            "metadata": metadata(&p.metadata),
            "digital_products_delivered": false,
            "has_license_key": false,
            "disputes": [],
            "refunds": refunds,
            "refund_status": refund_status,
            "includes_usage": false,
            "is_multi_subscription": false,
            "is_update_payment_method": false,
            "payment_provider": "dodo",
            "retry_attempt": 0,
            "service_periods": service_periods,
            "subscription_ids": p.subscription_id.iter().collect::<Vec<_>>(),
            "subscription_id": p.subscription_id,
            "checkout_session_id": p.checkout_session_id,
            "charge_type": p.charge_type,
            "error_code": p.error_code,
            "error_message": p.error_message,
            "payment_link": p.payment_link,
            "payment_method": method.map(|m| m.0.clone()),
            "payment_method_type": method.map(|m| m.1.clone()),
            "payment_method_id": p.payment_method_id,
            "card_last_four": card.map(|c| c.last4.clone()),
            "card_network": card.map(|c| c.network.clone()),
            "card_type": card.map(|c| c.card_type.clone()),
            "card_holder_name": card.and_then(|c| c.holder_name.clone()),
            "card_issuing_country": card.map(|c| c.issuing_country.clone()),
            "card_exp_month": card.map(|c| format!("{:02}", c.exp_month)),
            "card_exp_year": card.map(|c| c.exp_year.to_string()),
            "product_cart": cart,
            "discounts": [],
            "invoice_id": p.invoice_id,
            "invoice_url": p.invoice_id.as_ref().map(|_| self.link(&format!("/invoices/payments/{}", p.id))),
        })
    }

    /// The refunds of a payment, oldest first.
    pub fn refunds_of<'a>(&'a self, payment_id: &'a str) -> impl Iterator<Item = &'a Refund> + 'a {
        let mut list: Vec<&Refund> = self
            .refunds
            .values()
            .filter(|r| r.payment_id == payment_id)
            .collect();
        list.sort_by_key(|r| r.seq);
        list.into_iter()
    }

    /// `refund_status`: `full` once succeeded refunds add up to the payment, `partial`
    /// before that, `null` with no succeeded refund.
    pub fn refund_status(&self, payment_id: &str) -> Option<&'static str> {
        let total = self.payments.get(payment_id)?.total_amount;
        let refunded: i64 = self
            .refunds_of(payment_id)
            .filter(|r| r.status == RefundStatus::Succeeded)
            .map(|r| r.amount)
            .sum();
        match refunded {
            0 => None,
            r if r >= total => Some("full"),
            _ => Some("partial"),
        }
    }

    /// `RefundListItem` (in lists and in a payment's `refunds`).
    pub fn render_refund_list_item(&self, r: &Refund) -> Value {
        json!({
            "refund_id": r.id,
            "payment_id": r.payment_id,
            "business_id": self.business.business_id,
            "status": r.status.as_str(),
            "created_at": fmt(r.created_at),
            "is_partial": r.is_partial,
            "amount": r.amount,
            "currency": r.currency,
            "reason": r.reason,
        })
    }

    /// `Refund` (also the `data` of `refund.*` webhooks).
    pub fn render_refund(&self, r: &Refund) -> Value {
        let mut value = self.render_refund_list_item(r);
        if let Some(map) = value.as_object_mut() {
            map.insert("brand_id".into(), json!(self.business.brand_id));
            map.insert(
                "customer".into(),
                self.render_customer_limited(&r.customer_id),
            );
            map.insert("metadata".into(), metadata(&r.metadata));
        }
        value
    }

    /// Dodo's `Translation`.
    pub fn render_translation(&self, locale: &str, t: &Translation) -> Value {
        json!({
            "locale": locale,
            "name": t.name,
            "description": t.description,
            "updated_at": fmt(t.updated_at),
        })
    }

    /// `Subscription` (also list items and `subscription.*` webhook data).
    pub fn render_subscription(&self, s: &Subscription) -> Value {
        let product = self.products.get(&s.product_id);
        let recurring = product.and_then(|p| p.recurring);
        let interval = recurring.map(|r| r.interval.as_str()).unwrap_or("Month");
        let scheduled = s.scheduled_change.as_ref().map(|c| {
            let target = self.products.get(&c.product_id);
            json!({
                "id": c.id,
                "product_id": c.product_id,
                "product_name": target.map(|p| p.name.clone()),
                "product_description": target.and_then(|p| p.description.clone()),
                "quantity": c.quantity,
                "effective_at": fmt(c.effective_at),
                "created_at": fmt(c.created_at),
                "addons": [],
            })
        });
        json!({
            "subscription_id": s.id,
            "status": s.status.as_str(),
            "product_id": s.product_id,
            "product_name": product.map(|p| p.name.clone()),
            "quantity": s.quantity,
            "currency": product.map(|p| p.currency.clone()).unwrap_or_else(|| "USD".to_owned()),
            "recurring_pre_tax_amount": self.plan_amount(&s.product_id, s.quantity),
            "payment_frequency_count": recurring.map(|r| r.interval_count).unwrap_or(1),
            "payment_frequency_interval": interval,
            "subscription_period_count": recurring.map(|r| r.period_count).unwrap_or(10),
            "subscription_period_interval": recurring.map(|r| r.period_interval.as_str()).unwrap_or("Year"),
            "next_billing_date": fmt(s.next_billing_date),
            "previous_billing_date": fmt(s.previous_billing_date),
            "created_at": fmt(s.created_at),
            "trial_period_days": s.trial_period_days,
            "tax_inclusive": product.is_some_and(|p| p.tax_inclusive),
            "on_demand": false,
            "cancel_at_next_billing_date": s.cancel_at_next_billing_date,
            "cancelled_at": s.cancelled_at.map(fmt),
            "has_payment_method": s.payment_method_id.is_some(),
            "payment_method_id": s.payment_method_id,
            "billing": billing(&s.billing),
            "brand_id": self.business.brand_id,
            "customer": self.render_customer_limited(&s.customer_id),
            "metadata": metadata(&s.metadata),
            "addons": [],
            "credit_entitlement_cart": [],
            "meter_credit_entitlement_cart": [],
            "meters": [],
            "discounts": [],
            "scheduled_change": scheduled,
            "expires_at": null,
        })
    }

    /// `CheckoutSessionStatus`.
    pub fn render_session_status(&self, s: &CheckoutSession) -> Value {
        let customer = s.customer_id.as_ref().and_then(|id| self.customers.get(id));
        let payment = s.payment_id.as_ref().and_then(|id| self.payments.get(id));
        json!({
            "id": s.id,
            "created_at": fmt(s.created_at),
            "customer_email": customer.map(|c| c.email.clone()).or_else(|| s.prefill_email.clone()),
            "customer_name": customer.map(|c| c.name.clone()).or_else(|| s.prefill_name.clone()),
            "payment_id": payment.map(|p| p.id.clone()),
            "payment_status": payment.map(|p| p.status.as_str()),
        })
    }
}
