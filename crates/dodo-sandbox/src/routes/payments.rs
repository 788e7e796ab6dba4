//! `/payments`: one-time payments (saved card or payment link), list with filters, retrieve.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::clock::fmt;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, BillingReq, CustomerReq, DodoJson, DodoPath, DodoQuery};
use crate::model::*;
use crate::purchase::{CartItemReq, Purchase};
use crate::state::SandboxState;
use crate::store::ObjectRef;

use super::checkouts::check_url;

#[derive(Deserialize)]
pub struct CreatePayment {
    #[serde(default)]
    product_cart: Option<Vec<CartItemReq>>,
    #[serde(default)]
    customer: Option<Value>,
    #[serde(default)]
    billing: Option<BillingReq>,
    #[serde(default)]
    payment_method_id: Option<String>,
    #[serde(default)]
    payment_link: Option<bool>,
    #[serde(default)]
    return_url: Option<String>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default)]
    allowed_payment_method_types: Option<Vec<String>>,
}

pub async fn create(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<CreatePayment>,
) -> ApiResult<Json<Value>> {
    extract::allowed_types(&body.allowed_payment_method_types)?;
    let customer = extract::customer(body.customer)?
        .ok_or_else(|| ApiError::invalid_body("customer is required"))?;
    let billing = extract::billing(
        body.billing
            .ok_or_else(|| ApiError::invalid_body("billing is required"))?,
        "billing",
    )?;
    let metadata = extract::metadata(body.metadata)?.unwrap_or_default();
    let return_url = check_url(body.return_url, "return_url")?;

    let (response, events, settle) = state.with_store(|s| -> ApiResult<_> {
        let cart = s.validate_cart(body.product_cart)?;
        if cart.recurring.is_some() {
            return Err(ApiError::invalid_params(
                "subscription products are bought through checkout sessions, not /payments",
            ));
        }
        let now = s.now();
        let product_cart: Vec<Value> = cart
            .lines
            .iter()
            .map(|l| json!({ "product_id": l.product_id, "quantity": l.quantity, "amount": l.amount }))
            .collect();
        if let Some(pm_id) = body.payment_method_id {
            let CustomerReq::Existing(customer_id) = customer else {
                return Err(ApiError::invalid_params(
                    "payment_method_id requires an existing customer: customer.customer_id",
                ));
            };
            s.customer(&customer_id)?;
            s.check_saved_method(&customer_id, &pm_id, &cart.currency)?;
            let total = cart.total;
            let (payment_id, _) = s.start_purchase(
                Purchase {
                    customer_id: customer_id.clone(),
                    cart,
                    billing,
                    payment_method_id: Some(pm_id),
                    session_id: None,
                    metadata: metadata.clone(),
                    return_url,
                },
                PaymentStatus::Processing,
            );
            let response = json!({
                "payment_id": payment_id,
                "total_amount": total,
                "client_secret": format!("{payment_id}_secret_sandbox"),
                "customer": s.render_customer_limited(&customer_id),
                "metadata": metadata,
                "payment_link": null,
                "expires_on": null,
                "product_cart": product_cart,
                "discount_id": null,
            });
            let events = vec![s.event("payment.processing", ObjectRef::Payment(payment_id.clone()))];
            return Ok((response, events, Some(payment_id)));
        }

        let customer_id = match customer {
            CustomerReq::Existing(id) => {
                s.customer(&id)?;
                id
            }
            CustomerReq::New { email, name, phone } => {
                s.find_or_create_customer(&email, name.as_deref(), phone.as_deref(), false)
            }
        };
        let total = cart.total;
        let lines = cart.lines.clone();
        let (payment_id, _) = s.start_purchase(
            Purchase {
                customer_id: customer_id.clone(),
                cart,
                billing: billing.clone(),
                payment_method_id: None,
                session_id: None,
                metadata: metadata.clone(),
                return_url: return_url.clone(),
            },
            PaymentStatus::RequiresPaymentMethod,
        );
        // The payment is paid on a hosted page bound to it.
        let session_id = s.ids.next("cks");
        s.sessions.insert(
            session_id.clone(),
            CheckoutSession {
                id: session_id.clone(),
                kind: SessionKind::PayExisting { payment_id: payment_id.clone() },
                created_at: now,
                cart: lines,
                customer_id: Some(customer_id.clone()),
                prefill_email: None,
                prefill_name: None,
                billing: Some(billing),
                return_url,
                cancel_url: None,
                metadata: metadata.clone(),
                always_create_new_customer: false,
                show_saved_payment_methods: false,
                payment_id: Some(payment_id.clone()),
                subscription_id: None,
                completed: false,
            },
        );
        let link = s.link(&format!("/checkout/{session_id}"));
        let wants_link = body.payment_link.unwrap_or(false);
        if let Some(p) = s.payments.get_mut(&payment_id) {
            p.checkout_session_id = Some(session_id);
            if wants_link {
                p.payment_link = Some(link.clone());
            }
        }
        let response = json!({
            "payment_id": payment_id,
            "total_amount": total,
            "client_secret": format!("{payment_id}_secret_sandbox"),
            "customer": s.render_customer_limited(&customer_id),
            "metadata": metadata,
            "payment_link": if wants_link { Some(link) } else { None },
            "expires_on": fmt(now + time::Duration::days(1)),
            "product_cart": product_cart,
            "discount_id": null,
        });
        Ok((response, Vec::new(), None))
    })?;
    state.emit(events);
    if let Some(payment_id) = settle {
        state.settle_later(payment_id);
    }
    Ok(Json(response))
}

/// Dodo's `IntentStatus` values: the `status` filter refuses anything else.
pub const INTENT_STATUSES: [&str; 11] = [
    "succeeded",
    "failed",
    "cancelled",
    "processing",
    "requires_customer_action",
    "requires_merchant_action",
    "requires_payment_method",
    "requires_confirmation",
    "requires_capture",
    "partially_captured",
    "partially_captured_and_capturable",
];

fn date_param(q: &DodoQuery, key: &str) -> ApiResult<Option<OffsetDateTime>> {
    q.date_time(key)
}

pub async fn list(State(state): State<SandboxState>, q: DodoQuery) -> ApiResult<Json<Value>> {
    let page = q.page()?;
    let customer = q.str("customer_id").map(str::to_owned);
    let subscription = q.str("subscription_id").map(str::to_owned);
    let status = q.one_of("status", &INTENT_STATUSES)?.map(str::to_owned);
    let gte = date_param(&q, "created_at_gte")?;
    let lte = date_param(&q, "created_at_lte")?;
    let currency = q.currency("currency")?.map(str::to_owned);
    let product = q.str("product_id").map(str::to_owned);
    let brand = q.str("brand_id").map(str::to_owned);
    let items = state.with_store(|s| {
        if brand.as_ref().is_some_and(|b| *b != s.business.brand_id) {
            return Vec::new();
        }
        let mut payments: Vec<_> = s
            .payments
            .values()
            .filter(|p| customer.as_ref().is_none_or(|c| *c == p.customer_id))
            .filter(|p| {
                subscription
                    .as_ref()
                    .is_none_or(|id| p.subscription_id.as_ref() == Some(id))
            })
            .filter(|p| status.as_ref().is_none_or(|st| st == p.status.as_str()))
            .filter(|p| gte.is_none_or(|t| p.created_at >= t))
            .filter(|p| lte.is_none_or(|t| p.created_at <= t))
            .filter(|p| currency.as_ref().is_none_or(|c| *c == p.currency))
            .filter(|p| {
                product
                    .as_ref()
                    .is_none_or(|id| p.product_cart.iter().any(|l| l.product_id == *id))
            })
            .collect();
        payments.sort_by_key(|p| std::cmp::Reverse(p.seq));
        extract::paginate(payments, page)
            .into_iter()
            .map(|p| s.render_payment(p))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "items": items })))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let p = s.payment(&id)?;
        Ok(Json(s.render_payment(p)))
    })
}
