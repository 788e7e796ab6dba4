//! Reads of what the SDK leaves untyped or loses: product translations (its `Locale` enum
//! drops codes it lacks), saved methods with their `payment_method_type`, a single refund,
//! and a payment's invoice link. All go through the retrying read client.

use reqwest::Method;
use serde_json::Value;

use crate::client::{DodoClient, decode};
use crate::error::DodoError;
use crate::ids::path_id;
use crate::parse::{self, Fields};
use crate::types::payment_method::PaymentMethod;
use crate::types::refund::Refund;
use crate::types::saved_method::SavedPaymentMethod;
use crate::types::translation::ProductTranslation;

impl DodoClient {
    /// The product's name and description in `locale` (e.g. `"id"`, `"hi"`; compared
    /// case-insensitively), `None` when Dodo has no translation for it. Dodo has no
    /// single-locale GET: this reads `GET /products/{id}/translations` and picks one.
    pub async fn product_translation(
        &self,
        product_id: &str,
        locale: &str,
    ) -> Result<Option<ProductTranslation>, DodoError> {
        let id = path_id("product_id", product_id)?;
        if !(2..=8).contains(&locale.len())
            || !locale.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        {
            return Err(DodoError::InvalidRequest {
                code: "INVALID_LOCALE".to_owned(),
                message: format!("{locale:?} is not a locale code such as \"id\" or \"hi\""),
            });
        }
        let body = self
            .exchange(
                &self.reads,
                Method::GET,
                &format!("/products/{id}/translations"),
                None,
            )
            .await?;
        let json: Value = decode("translations", &body)?;
        let list = Fields::new("translations", &json)?;
        for (i, item) in list.array("items")?.iter().enumerate() {
            let what = format!("translations.items[{i}]");
            let f = Fields::new(&what, item)?;
            let code = f.str("locale")?;
            if !code.eq_ignore_ascii_case(locale) {
                continue;
            }
            return Ok(Some(ProductTranslation {
                locale: code.to_owned(),
                name: f.opt_str("name")?.map(str::to_owned),
                description: f.opt_str("description")?.map(str::to_owned),
                updated_at: parse::timestamp(&format!("{what}.updated_at"), f.str("updated_at")?)?,
            }));
        }
        Ok(None)
    }

    /// The customer's saved methods with Dodo's `payment_method_type` and a display name
    /// ([`SavedPaymentMethod::display_name`]). Same call as [`DodoClient::payment_methods`].
    pub async fn saved_payment_methods(
        &self,
        customer_id: &str,
    ) -> Result<Vec<SavedPaymentMethod>, DodoError> {
        let id = path_id("customer_id", customer_id)?;
        let r = self
            .reads
            .customers()
            .retrieve_payment_methods()
            .customer_id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        let methods = PaymentMethod::from_items(&r.items)?;
        Ok(methods
            .into_iter()
            .zip(&r.items)
            .map(|(method, item)| SavedPaymentMethod {
                payment_method_type: item
                    .get("payment_method_type")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase),
                method,
            })
            .collect())
    }

    pub async fn refund(&self, refund_id: &str) -> Result<Refund, DodoError> {
        let id = path_id("refund_id", refund_id)?;
        let r = self
            .reads
            .refunds()
            .retrieve()
            .refund_id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        Refund::from_sdk(r)
    }

    /// Where the invoice PDF of a payment is (`None` until it succeeded). Dodo serves it
    /// without an API key, so the link can go to the customer's browser.
    pub async fn invoice_url(&self, payment_id: &str) -> Result<Option<String>, DodoError> {
        Ok(self.payment(payment_id).await?.invoice_url)
    }
}
