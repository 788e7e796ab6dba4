//! Our request types → the SDK's request structs, checked before anything is sent.
//!
//! Local checks (cart, quantities, metadata limits, country codes) refuse with
//! `InvalidRequest` without a request: for a money call that is a known "nothing happened".

use std::collections::BTreeMap;

use dodopayments::models as m;
use serde::Serialize;
use serde_json::Value;

use crate::error::DodoError;
use crate::parse;
use crate::types::checkout::{
    BillingAddress, CartItem, HostedCheckout, OneClickCheckout, OneClickPayment,
    UpdatePaymentMethod,
};
use crate::types::plan_change::PlanChangeRequest;

/// Dodo's metadata limits (docs: api-reference/metadata).
const MAX_METADATA_KEYS: usize = 50;
const MAX_METADATA_KEY_LEN: usize = 40;
const MAX_METADATA_VALUE_LEN: usize = 500;

fn invalid(code: &str, message: impl Into<String>) -> DodoError {
    DodoError::InvalidRequest {
        code: code.to_owned(),
        message: message.into(),
    }
}

fn non_empty(what: &str, value: &str) -> Result<(), DodoError> {
    if value.trim().is_empty() {
        Err(invalid("INVALID_REQUEST", format!("{what} is empty")))
    } else {
        Ok(())
    }
}

fn check_cart(cart: &[CartItem]) -> Result<(), DodoError> {
    if cart.is_empty() {
        return Err(invalid("PRODUCT_CART_EMPTY", "the cart is empty"));
    }
    for item in cart {
        non_empty("product_id", &item.product_id)?;
        if item.quantity < 1 {
            return Err(invalid(
                "INVALID_REQUEST",
                format!("quantity of {} must be at least 1", item.product_id),
            ));
        }
    }
    Ok(())
}

/// `None` for empty metadata, so Dodo applies its own default (e.g. the subscription's
/// metadata for a plan change).
fn metadata(md: &BTreeMap<String, String>) -> Result<Option<Box<m::Metadata>>, DodoError> {
    if md.len() > MAX_METADATA_KEYS {
        return Err(invalid(
            "MAXIMUM_KEYS_REACHED",
            format!("metadata has more than {MAX_METADATA_KEYS} keys"),
        ));
    }
    for (key, value) in md {
        let key_ok = !key.is_empty()
            && key.len() <= MAX_METADATA_KEY_LEN
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !key_ok {
            return Err(invalid(
                "INVALID_REQUEST",
                format!("metadata key {key:?} must be 1-{MAX_METADATA_KEY_LEN} of A-Z a-z 0-9 _ -"),
            ));
        }
        if value.chars().count() > MAX_METADATA_VALUE_LEN {
            return Err(invalid(
                "INVALID_REQUEST",
                format!("metadata value of {key} is longer than {MAX_METADATA_VALUE_LEN}"),
            ));
        }
    }
    if md.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(
        md.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )))
}

fn existing_customer(customer_id: &str) -> Result<Box<m::CustomerRequest>, DodoError> {
    non_empty("customer_id", customer_id)?;
    Ok(Box::new(m::CustomerRequest::AttachExistingCustomer(
        Box::new(m::AttachExistingCustomer {
            customer_id: customer_id.to_owned(),
        }),
    )))
}

/// The SDK's `CountryCode` turns an unknown code into `Unknown`, which it would then send
/// as the string `"Unknown"`; refuse such codes here instead.
fn country(code: &str) -> Result<Box<m::CountryCode>, DodoError> {
    let upper = code.trim().to_ascii_uppercase();
    let parsed: m::CountryCode = serde_json::from_value(Value::String(upper.clone()))
        .map_err(|e| invalid("INVALID_REQUEST", e.to_string()))?;
    if parse::sdk_enum(&parsed) == upper {
        Ok(Box::new(parsed))
    } else {
        Err(invalid(
            "INVALID_REQUEST",
            format!("{code:?} is not an ISO 3166 alpha-2 country code Dodo knows"),
        ))
    }
}

fn billing(b: &BillingAddress) -> Result<m::BillingAddress, DodoError> {
    Ok(m::BillingAddress {
        country: country(&b.country)?,
        city: b.city.clone(),
        state: b.state.clone(),
        street: b.street.clone(),
        zipcode: b.zipcode.clone(),
    })
}

fn checkout_billing(b: &BillingAddress) -> Result<m::CheckoutSessionBillingAddress, DodoError> {
    Ok(m::CheckoutSessionBillingAddress {
        country: country(&b.country)?,
        city: b.city.clone(),
        state: b.state.clone(),
        street: b.street.clone(),
        zipcode: b.zipcode.clone(),
    })
}

fn checkout_cart(cart: &[CartItem]) -> Vec<m::ProductItemReq> {
    cart.iter()
        .map(|item| m::ProductItemReq {
            product_id: item.product_id.clone(),
            quantity: item.quantity,
            addons: None,
            amount: None,
            credit_entitlements: None,
        })
        .collect()
}

/// Every checkout flag with the default Dodo documents for it. The SDK serializes nested
/// structs without skipping `None`, so an unset flag would go out as `null`, which Dodo's
/// spec does not allow for these booleans (reference §4.1). The eight
/// `allow_customer_editing_{name,email,street,city,state,country,zipcode,tax_id}` flags have
/// no documented default: they stay `None` and [`without_null_flags`] drops them from the
/// body, so Dodo applies its own default instead of one we guessed.
fn feature_flags(redirect_immediately: bool) -> Box<m::CheckoutSessionFlags> {
    Box::new(m::CheckoutSessionFlags {
        allow_currency_selection: Some(true),
        allow_customer_editing_business_name: Some(false),
        allow_customer_editing_city: None,
        allow_customer_editing_country: None,
        allow_customer_editing_email: None,
        allow_customer_editing_name: None,
        allow_customer_editing_state: None,
        allow_customer_editing_street: None,
        allow_customer_editing_tax_id: None,
        allow_customer_editing_zipcode: None,
        allow_discount_code: Some(true),
        allow_editing_addons: Some(false),
        allow_phone_number_collection: Some(true),
        allow_tax_id: Some(true),
        always_create_new_customer: Some(false),
        redirect_immediately: Some(redirect_immediately),
        require_cardholder_name: Some(false),
        require_phone_number: Some(false),
        require_tax_id: Some(false),
        single_page: Some(false),
    })
}

/// The JSON body for `POST /checkouts`, with `null` flags removed (see [`feature_flags`]).
pub(crate) fn checkout_body(params: &m::CheckoutSessionsCreateParams) -> Result<Value, DodoError> {
    let mut body = to_json(params)?;
    without_null_flags(&mut body);
    Ok(body)
}

fn without_null_flags(body: &mut Value) {
    for key in ["feature_flags", "customization"] {
        if let Some(Value::Object(flags)) = body.get_mut(key) {
            flags.retain(|_, v| !v.is_null());
        }
    }
}

pub(crate) fn to_json<T: Serialize>(params: &T) -> Result<Value, DodoError> {
    serde_json::to_value(params).map_err(|e| invalid("CLIENT_BUG", e.to_string()))
}

pub(crate) fn hosted_checkout(
    req: &HostedCheckout,
) -> Result<m::CheckoutSessionsCreateParams, DodoError> {
    check_cart(&req.product_cart)?;
    Ok(m::CheckoutSessionsCreateParams {
        product_cart: Some(checkout_cart(&req.product_cart)),
        customer: req
            .customer_id
            .as_deref()
            .map(existing_customer)
            .transpose()?,
        show_saved_payment_methods: Some(req.show_saved_payment_methods),
        return_url: req.return_url.clone(),
        cancel_url: req.cancel_url.clone(),
        metadata: metadata(&req.metadata)?,
        feature_flags: Some(feature_flags(req.redirect_immediately)),
        // Never `confirm` and never a saved method here: this one must not charge.
        confirm: Some(false),
        payment_method_id: None,
        ..Default::default()
    })
}

pub(crate) fn one_click_checkout(
    req: &OneClickCheckout,
) -> Result<m::CheckoutSessionsCreateParams, DodoError> {
    check_cart(&req.product_cart)?;
    non_empty("payment_method_id", &req.payment_method_id)?;
    Ok(m::CheckoutSessionsCreateParams {
        product_cart: Some(checkout_cart(&req.product_cart)),
        customer: Some(existing_customer(&req.customer_id)?),
        payment_method_id: Some(req.payment_method_id.clone()),
        confirm: Some(true),
        billing_address: req
            .billing
            .as_ref()
            .map(checkout_billing)
            .transpose()?
            .map(Box::new),
        return_url: req.return_url.clone(),
        metadata: metadata(&req.metadata)?,
        feature_flags: Some(feature_flags(true)),
        ..Default::default()
    })
}

pub(crate) fn one_click_payment(
    req: &OneClickPayment,
) -> Result<m::PaymentsCreateParams, DodoError> {
    check_cart(&req.product_cart)?;
    non_empty("payment_method_id", &req.payment_method_id)?;
    Ok(m::PaymentsCreateParams {
        billing: Some(Box::new(billing(&req.billing)?)),
        customer: Some(existing_customer(&req.customer_id)?),
        product_cart: Some(
            req.product_cart
                .iter()
                .map(|item| m::OneTimeProductCartItem {
                    product_id: item.product_id.clone(),
                    quantity: item.quantity,
                    amount: None,
                })
                .collect(),
        ),
        payment_method_id: Some(req.payment_method_id.clone()),
        return_url: req.return_url.clone(),
        metadata: metadata(&req.metadata)?,
        // A hosted link would be a second way to pay the same thing.
        payment_link: Some(false),
        ..Default::default()
    })
}

pub(crate) fn plan_change(
    req: &PlanChangeRequest,
) -> Result<m::SubscriptionsChangePlanParams, DodoError> {
    non_empty("product_id", &req.product_id)?;
    non_empty("proration_billing_mode", &req.proration_billing_mode)?;
    if req.quantity < 1 {
        return Err(invalid("INVALID_REQUEST", "quantity must be at least 1"));
    }
    Ok(m::SubscriptionsChangePlanParams {
        product_id: Some(req.product_id.clone()),
        quantity: Some(req.quantity),
        proration_billing_mode: Some(req.proration_billing_mode.clone()),
        effective_at: req.effective_at.clone(),
        on_payment_failure: req.on_payment_failure.clone(),
        metadata: metadata(&req.metadata)?,
        // Always explicit: Dodo reads an absent list as "remove every addon" too, but
        // sending it shows what we meant.
        addons: Some(
            req.addons
                .iter()
                .map(|a| m::AttachAddon {
                    addon_id: a.addon_id.clone(),
                    quantity: a.quantity,
                })
                .collect(),
        ),
        ..Default::default()
    })
}

/// `POST /refunds` body; refused locally when it cannot be right (no payment id, an empty
/// item id, an amount below 1, a reason over Dodo's 3000 characters).
pub(crate) fn refund(req: &crate::types::refund::RefundRequest) -> Result<Value, DodoError> {
    non_empty("payment_id", &req.payment_id)?;
    if req
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 3000)
    {
        return Err(invalid(
            "INVALID_REQUEST",
            "reason is longer than 3000 characters",
        ));
    }
    let mut items = Vec::new();
    for item in &req.items {
        non_empty("items[].item_id", &item.item_id)?;
        if item.amount.is_some_and(|a| a < 1) {
            return Err(invalid(
                "INVALID_REQUEST",
                format!("refund amount of {} must be at least 1", item.item_id),
            ));
        }
        items.push(m::RefundsCreateParamsItemsItem {
            item_id: Some(item.item_id.clone()),
            amount: item.amount,
            tax_inclusive: None,
        });
    }
    to_json(&m::RefundsCreateParams {
        payment_id: Some(req.payment_id.clone()),
        reason: req.reason.clone(),
        items: (!items.is_empty()).then_some(items),
        metadata: metadata(&req.metadata)?,
        currency: None,
    })
}

/// The SDK takes this body as raw JSON: `{"type":"existing","payment_method_id"}` or
/// `{"type":"new","return_url"}`.
pub(crate) fn update_payment_method(req: &UpdatePaymentMethod) -> Result<Value, DodoError> {
    if let UpdatePaymentMethod::Existing { payment_method_id } = req {
        non_empty("payment_method_id", payment_method_id)?;
    }
    to_json(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_click() -> OneClickCheckout {
        OneClickCheckout {
            customer_id: "cus_1".into(),
            payment_method_id: "pm_1".into(),
            product_cart: vec![CartItem {
                product_id: "pdt_1".into(),
                quantity: 1,
            }],
            billing: None,
            return_url: Some("https://shop.example/done".into()),
            metadata: [("offer".to_owned(), "o1".to_owned())].into(),
        }
    }

    #[test]
    fn one_click_checkout_body() {
        let body = checkout_body(&one_click_checkout(&one_click()).expect("params")).expect("json");
        assert_eq!(body["confirm"], true);
        assert_eq!(body["payment_method_id"], "pm_1");
        assert_eq!(
            body["customer"],
            serde_json::json!({"customer_id": "cus_1"})
        );
        assert_eq!(body["metadata"]["offer"], "o1");
        let flags = body["feature_flags"].as_object().expect("flags");
        assert_eq!(flags["redirect_immediately"], true);
        assert!(flags.values().all(Value::is_boolean), "{flags:?}");
        assert!(!flags.contains_key("allow_customer_editing_email"));
    }

    #[test]
    fn hosted_checkout_never_confirms() {
        let params = hosted_checkout(&HostedCheckout {
            product_cart: one_click().product_cart,
            customer_id: Some("cus_1".into()),
            show_saved_payment_methods: true,
            return_url: None,
            cancel_url: None,
            redirect_immediately: false,
            metadata: BTreeMap::new(),
        })
        .expect("params");
        let body = checkout_body(&params).expect("json");
        assert_eq!(body["confirm"], false);
        assert!(body.get("payment_method_id").is_none());
        assert!(body.get("metadata").is_none());
    }

    #[test]
    fn refused_locally() {
        let mut empty = one_click();
        empty.product_cart.clear();
        assert!(
            matches!(one_click_checkout(&empty), Err(DodoError::InvalidRequest { code, .. }) if code == "PRODUCT_CART_EMPTY")
        );

        let mut zero = one_click();
        zero.product_cart[0].quantity = 0;
        assert!(one_click_checkout(&zero).is_err());

        let mut no_pm = one_click();
        no_pm.payment_method_id = " ".into();
        assert!(one_click_checkout(&no_pm).is_err());

        let mut bad_key = one_click();
        bad_key.metadata.insert("has space".into(), "x".into());
        assert!(one_click_checkout(&bad_key).is_err());

        let mut too_many = one_click();
        for i in 0..=MAX_METADATA_KEYS {
            too_many.metadata.insert(format!("k{i}"), "v".into());
        }
        assert!(
            matches!(one_click_checkout(&too_many), Err(DodoError::InvalidRequest { code, .. }) if code == "MAXIMUM_KEYS_REACHED")
        );
    }

    #[test]
    fn countries() {
        assert!(country("us").is_ok());
        assert!(country("XX").is_err());
        assert!(country("Unknown").is_err());
    }

    #[test]
    fn plan_change_sends_addons_and_mode_verbatim() {
        let mut req = PlanChangeRequest::new("pdt_pro", 1, "prorated_immediately_keep_cycle");
        req.addons.push(crate::types::subscription::Addon {
            addon_id: "adn_1".into(),
            quantity: 2,
        });
        let body = to_json(&plan_change(&req).expect("params")).expect("json");
        assert_eq!(
            body["proration_billing_mode"],
            "prorated_immediately_keep_cycle"
        );
        assert_eq!(body["addons"][0]["addon_id"], "adn_1");
        assert!(body.get("metadata").is_none());
        assert!(body.get("effective_at").is_none());
    }

    #[test]
    fn update_payment_method_bodies() {
        let existing = update_payment_method(&UpdatePaymentMethod::Existing {
            payment_method_id: "pm_1".into(),
        })
        .expect("json");
        assert_eq!(
            existing,
            serde_json::json!({"type": "existing", "payment_method_id": "pm_1"})
        );
        let new = update_payment_method(&UpdatePaymentMethod::New {
            return_url: Some("https://x.example".into()),
        })
        .expect("json");
        assert_eq!(
            new,
            serde_json::json!({"type": "new", "return_url": "https://x.example"})
        );
    }
}
