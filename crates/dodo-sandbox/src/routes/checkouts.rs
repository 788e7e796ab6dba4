//! `/checkouts`: hosted checkout sessions, and one-click purchases with a saved card
//! (`confirm: true` + `payment_method_id`).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{self, BillingReq, CustomerReq, DodoJson, DodoPath};
use crate::model::*;
use crate::purchase::{CartItemReq, Purchase};
use crate::state::SandboxState;
use crate::store::ObjectRef;

#[derive(Deserialize)]
pub struct CreateCheckout {
    #[serde(default)]
    product_cart: Option<Vec<CartItemReq>>,
    #[serde(default)]
    customer: Option<Value>,
    #[serde(default)]
    payment_method_id: Option<String>,
    #[serde(default)]
    confirm: Option<bool>,
    #[serde(default)]
    return_url: Option<String>,
    #[serde(default)]
    cancel_url: Option<String>,
    #[serde(default)]
    billing_address: Option<BillingReq>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default)]
    feature_flags: Option<Flags>,
    #[serde(default)]
    show_saved_payment_methods: Option<bool>,
    #[serde(default)]
    allowed_payment_method_types: Option<Vec<String>>,
}

/// The flags the sandbox acts on; the others are accepted (any value, `null` included).
#[derive(Deserialize)]
struct Flags {
    #[serde(default)]
    always_create_new_customer: Option<bool>,
}

pub fn check_url(url: Option<String>, field: &str) -> ApiResult<Option<String>> {
    match url {
        Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => Err(
            ApiError::invalid_params(format!("{field} must be an absolute http(s) URL")),
        ),
        other => Ok(other),
    }
}

pub async fn create(
    State(state): State<SandboxState>,
    DodoJson(body): DodoJson<CreateCheckout>,
) -> ApiResult<Json<Value>> {
    extract::allowed_types(&body.allowed_payment_method_types)?;
    let customer = extract::customer(body.customer)?;
    let metadata = extract::metadata(body.metadata)?.unwrap_or_default();
    let billing = body
        .billing_address
        .map(|b| extract::billing(b, "billing_address"))
        .transpose()?;
    let return_url = check_url(body.return_url, "return_url")?;
    let cancel_url = check_url(body.cancel_url, "cancel_url")?;
    let confirm = body.confirm.unwrap_or(false);
    let always_new = body
        .feature_flags
        .and_then(|f| f.always_create_new_customer)
        .unwrap_or(false);

    let (response, events, settle) = state.with_store(|s| -> ApiResult<_> {
        let cart = s.validate_cart(body.product_cart)?;
        let now = s.now();
        if let Some(pm_id) = body.payment_method_id {
            // Dodo's documented rules for charging a saved method.
            if !confirm {
                return Err(ApiError::invalid_params(
                    "payment_method_id is only allowed when confirm is true",
                ));
            }
            let Some(CustomerReq::Existing(customer_id)) = customer else {
                return Err(ApiError::invalid_params(
                    "payment_method_id requires an existing customer: customer.customer_id",
                ));
            };
            s.customer(&customer_id)?;
            let pm = s.check_saved_method(&customer_id, &pm_id, &cart.currency)?;
            let billing = billing.unwrap_or_else(|| Billing::country(&pm.issuing_country));
            let session_id = s.ids.next("cks");
            let (payment_id, subscription_id) = s.start_purchase(
                Purchase {
                    customer_id: customer_id.clone(),
                    cart: cart.clone(),
                    billing: billing.clone(),
                    payment_method_id: Some(pm_id),
                    session_id: Some(session_id.clone()),
                    metadata: metadata.clone(),
                    return_url: return_url.clone(),
                },
                PaymentStatus::Processing,
            );
            s.sessions.insert(
                session_id.clone(),
                CheckoutSession {
                    id: session_id.clone(),
                    kind: SessionKind::Purchase,
                    created_at: now,
                    cart: cart.lines,
                    customer_id: Some(customer_id),
                    prefill_email: None,
                    prefill_name: None,
                    billing: Some(billing),
                    return_url,
                    cancel_url,
                    metadata,
                    always_create_new_customer: false,
                    show_saved_payment_methods: false,
                    payment_id: Some(payment_id.clone()),
                    subscription_id,
                    completed: true,
                },
            );
            let events =
                vec![s.event("payment.processing", ObjectRef::Payment(payment_id.clone()))];
            let response = json!({
                "session_id": session_id,
                "checkout_url": null,
                "payment_id": payment_id,
                "client_secret": format!("{payment_id}_secret_sandbox"),
                "publishable_key": "pk_sandbox_test",
            });
            return Ok((response, events, Some(payment_id)));
        }

        if confirm && (customer.is_none() || billing.is_none()) {
            return Err(ApiError::invalid_params(
                "confirm: true requires customer and billing_address",
            ));
        }
        let (customer_id, prefill_email, prefill_name) = match customer {
            Some(CustomerReq::Existing(id)) => {
                s.customer(&id)?;
                (Some(id), None, None)
            }
            Some(CustomerReq::New { email, name, .. }) => (None, Some(email), name),
            None => (None, None, None),
        };
        let session_id = s.ids.next("cks");
        s.sessions.insert(
            session_id.clone(),
            CheckoutSession {
                id: session_id.clone(),
                kind: SessionKind::Purchase,
                created_at: now,
                cart: cart.lines,
                customer_id,
                prefill_email,
                prefill_name,
                billing,
                return_url,
                cancel_url,
                metadata,
                always_create_new_customer: always_new,
                show_saved_payment_methods: body.show_saved_payment_methods.unwrap_or(false),
                payment_id: None,
                subscription_id: None,
                completed: false,
            },
        );
        let response = json!({
            "session_id": session_id,
            "checkout_url": s.link(&format!("/checkout/{session_id}")),
            "payment_id": null,
            "client_secret": null,
            "publishable_key": null,
        });
        Ok((response, Vec::new(), None))
    })?;
    state.emit(events);
    if let Some(payment_id) = settle {
        state.settle_later(payment_id);
    }
    Ok(Json(response))
}

pub async fn retrieve(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Json<Value>> {
    state.with_store(|s| {
        let session = s.session(&id)?;
        Ok(Json(s.render_session_status(session)))
    })
}
