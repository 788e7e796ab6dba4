//! Calls that move no money: they go through the retrying client and may be repeated.

use std::collections::HashSet;
use std::future::Future;

use reqwest::Method;
use serde_json::{Map, Value, json};
use time::format_description::well_known::Rfc3339;

use crate::client::{DodoClient, decode};
use crate::error::DodoError;
use crate::ids::path_id;
use crate::parse::decode_err;
use crate::requests;
use crate::types::checkout::{CheckoutStatus, CreatedCheckout, HostedCheckout, require_url};
use crate::types::collection::ProductCollection;
use crate::types::customer::Customer;
use crate::types::payment::{Payment, PaymentFilter};
use crate::types::payment_method::PaymentMethod;
use crate::types::plan_change::{PlanChangePreview, PlanChangeRequest};
use crate::types::product::Product;
use crate::types::refund::{Refund, RefundFilter};
use crate::types::status::SubscriptionStatus;
use crate::types::subscription::{Subscription, SubscriptionSummary};

/// Dodo's largest page.
const PAGE_SIZE: i64 = 100;
/// 100 000 items: past this, something is wrong (e.g. a server ignoring `page_number`).
const MAX_PAGES: i64 = 1000;

impl DodoClient {
    pub async fn customer(&self, customer_id: &str) -> Result<Customer, DodoError> {
        let id = path_id("customer_id", customer_id)?;
        // Through the escape hatch (same client, same retries) to keep the raw
        // `preferred_locale`, which the SDK's Locale enum may not know.
        let body = self
            .exchange(&self.reads, Method::GET, &format!("/customers/{id}"), None)
            .await?;
        let c = decode::<dodopayments::models::Customer>("customer", &body)?;
        let raw: Value = decode("customer", &body)?;
        let locale = raw
            .get("preferred_locale")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Customer::from_sdk(c, locale)
    }

    /// The customer's saved methods, every kind (filter with [`crate::one_click_usability`]).
    pub async fn payment_methods(
        &self,
        customer_id: &str,
    ) -> Result<Vec<PaymentMethod>, DodoError> {
        let id = path_id("customer_id", customer_id)?;
        let r = self
            .reads
            .customers()
            .retrieve_payment_methods()
            .customer_id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        PaymentMethod::from_items(&r.items)
    }

    pub async fn product(&self, product_id: &str) -> Result<Product, DodoError> {
        let id = path_id("product_id", product_id)?;
        let p = self
            .reads
            .products()
            .retrieve()
            .id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        Product::from_sdk(p)
    }

    /// Every non-archived product, all pages, in Dodo's order.
    pub async fn products(&self) -> Result<Vec<Product>, DodoError> {
        let items = self
            .all_pages("products", |page| {
                self.reads
                    .products()
                    .list()
                    .query(json!({"page_size": PAGE_SIZE, "page_number": page, "archived": false}))
                    .send()
            })
            .await?;
        let products = items
            .into_iter()
            .map(Product::from_list_item)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(first_of_each(products, |p| &p.id))
    }

    pub async fn payment(&self, payment_id: &str) -> Result<Payment, DodoError> {
        let id = path_id("payment_id", payment_id)?;
        let p = self
            .reads
            .payments()
            .retrieve()
            .payment_id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        Payment::from_sdk(p)
    }

    /// Every payment matching `filter`, all pages, newest first. List items are lighter than
    /// [`DodoClient::payment`]: no tax, error code, payment link, payment method or product
    /// ids (see [`Payment`]).
    pub async fn payments(&self, filter: &PaymentFilter) -> Result<Vec<Payment>, DodoError> {
        let mut query = Map::new();
        query.insert("page_size".into(), json!(PAGE_SIZE));
        if let Some(id) = &filter.customer_id {
            query.insert("customer_id".into(), json!(id));
        }
        if let Some(id) = &filter.subscription_id {
            query.insert("subscription_id".into(), json!(id));
        }
        if let Some(status) = &filter.status {
            query.insert("status".into(), json!(status.as_str()));
        }
        if let Some(since) = filter.created_at_gte {
            let text = since
                .format(&Rfc3339)
                .map_err(|e| DodoError::InvalidRequest {
                    code: "INVALID_REQUEST".to_owned(),
                    message: format!("created_at_gte: {e}"),
                })?;
            query.insert("created_at_gte".into(), json!(text));
        }
        let items = self
            .all_pages("payments", |page| {
                let mut query = query.clone();
                query.insert("page_number".into(), json!(page));
                self.reads
                    .payments()
                    .list()
                    .query(Value::Object(query))
                    .send()
            })
            .await?;
        let payments = items
            .into_iter()
            .map(Payment::from_list_item)
            .collect::<Result<Vec<_>, _>>()?;
        // A payment created while we page through a newest-first list pushes older ones
        // onto the next page, where they would appear twice.
        Ok(first_of_each(payments, |p| &p.id))
    }

    pub async fn checkout_status(&self, session_id: &str) -> Result<CheckoutStatus, DodoError> {
        let id = path_id("session_id", session_id)?;
        let s = self
            .reads
            .checkout_sessions()
            .retrieve()
            .id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        CheckoutStatus::from_sdk(s)
    }

    pub async fn subscription(&self, subscription_id: &str) -> Result<Subscription, DodoError> {
        let id = path_id("subscription_id", subscription_id)?;
        let s = self
            .reads
            .subscriptions()
            .retrieve()
            .subscription_id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        Subscription::from_sdk(s)
    }

    pub async fn product_collection(
        &self,
        collection_id: &str,
    ) -> Result<ProductCollection, DodoError> {
        let id = path_id("collection_id", collection_id)?;
        let c = self
            .reads
            .product_collections()
            .retrieve()
            .id(id)
            .await
            .map_err(|e| self.sdk_error(e))?;
        Ok(ProductCollection::from_sdk(c))
    }

    /// Ids of the product collections, all pages: the archived ones with `archived = true`,
    /// else the others. (A collection's own answer does not say whether it is archived.)
    pub async fn product_collection_ids(&self, archived: bool) -> Result<Vec<String>, DodoError> {
        let items = self
            .all_pages("product-collections", |page| {
                self.reads
                    .product_collections()
                    .list()
                    .query(
                        json!({"page_size": PAGE_SIZE, "page_number": page, "archived": archived}),
                    )
                    .send()
            })
            .await?;
        let ids = items.into_iter().map(|c| c.id).collect();
        Ok(first_of_each(ids, |id| id))
    }

    /// What a plan change would charge now. Changes nothing, so it may be retried. The app
    /// must show these numbers rather than compute proration itself.
    pub async fn preview_change_plan(
        &self,
        subscription_id: &str,
        req: &PlanChangeRequest,
    ) -> Result<PlanChangePreview, DodoError> {
        let id = path_id("subscription_id", subscription_id)?;
        let params = requests::plan_change(req)?;
        let r = self
            .reads
            .subscriptions()
            .preview_change_plan()
            .subscription_id(id)
            .body(params)
            .await
            .map_err(|e| self.sdk_error(e))?;
        PlanChangePreview::from_sdk(r)
    }

    /// A magic link to Dodo's customer portal (valid 24 h). Dodo e-mails nothing.
    pub async fn customer_portal_link(
        &self,
        customer_id: &str,
        return_url: Option<&str>,
    ) -> Result<String, DodoError> {
        let id = path_id("customer_id", customer_id)?;
        let mut query = json!({"send_email": false});
        if let (Some(url), Some(map)) = (return_url, query.as_object_mut()) {
            map.insert("return_url".into(), json!(url));
        }
        let session = self
            .reads
            .customers()
            .customer_portal()
            .create()
            .customer_id(id)
            .query(query)
            .await
            .map_err(|e| self.sdk_error(e))?;
        Ok(session.link)
    }

    /// A hosted checkout page (no saved method, no `confirm`): nothing is charged until the
    /// customer pays on Dodo's page, so a retried creation only leaves an unused session.
    pub async fn create_hosted_checkout(
        &self,
        req: &HostedCheckout,
    ) -> Result<CreatedCheckout, DodoError> {
        let body = requests::checkout_body(&requests::hosted_checkout(req)?)?;
        let answer = self
            .exchange(&self.reads, Method::POST, "/checkouts", Some(&body))
            .await?;
        let created = decode::<dodopayments::models::CheckoutSessionResponse>("checkout", &answer)?;
        require_url(CreatedCheckout::from_sdk(created))
    }

    /// The customer's subscriptions, all pages; only those in `status` when given (e.g.
    /// `on_hold`: a renewal failed and the customer owes money).
    pub async fn subscriptions(
        &self,
        customer_id: &str,
        status: Option<SubscriptionStatus>,
    ) -> Result<Vec<SubscriptionSummary>, DodoError> {
        let mut query = Map::new();
        query.insert("page_size".into(), json!(PAGE_SIZE));
        query.insert("customer_id".into(), json!(customer_id));
        if let Some(status) = &status {
            query.insert("status".into(), json!(status.as_str()));
        }
        let items = self
            .all_pages("subscriptions", |page| {
                let mut query = query.clone();
                query.insert("page_number".into(), json!(page));
                self.reads
                    .subscriptions()
                    .list()
                    .query(Value::Object(query))
                    .send()
            })
            .await?;
        let subscriptions: Vec<SubscriptionSummary> = items
            .into_iter()
            .map(SubscriptionSummary::from_list_item)
            // Dodo filters by status already; a value it adds later must not slip through.
            .filter(|s| status.as_ref().is_none_or(|want| &s.status == want))
            .collect();
        Ok(first_of_each(subscriptions, |s| &s.id))
    }

    /// Every refund matching `filter`, all pages, newest first (list items: no customer or
    /// metadata; [`DodoClient::refund`] has them).
    pub async fn refunds(&self, filter: &RefundFilter) -> Result<Vec<Refund>, DodoError> {
        let mut query = Map::new();
        query.insert("page_size".into(), json!(PAGE_SIZE));
        if let Some(id) = &filter.customer_id {
            query.insert("customer_id".into(), json!(id));
        }
        if let Some(id) = &filter.subscription_id {
            query.insert("subscription_id".into(), json!(id));
        }
        if let Some(status) = &filter.status {
            query.insert("status".into(), json!(status.as_str()));
        }
        for (key, at) in [
            ("created_at_gte", filter.created_at_gte),
            ("created_at_lte", filter.created_at_lte),
        ] {
            if let Some(at) = at {
                let text = at.format(&Rfc3339).map_err(|e| DodoError::InvalidRequest {
                    code: "INVALID_REQUEST".to_owned(),
                    message: format!("{key}: {e}"),
                })?;
                query.insert(key.into(), json!(text));
            }
        }
        let items = self
            .all_pages("refunds", |page| {
                let mut query = query.clone();
                query.insert("page_number".into(), json!(page));
                self.reads
                    .refunds()
                    .list()
                    .query(Value::Object(query))
                    .send()
            })
            .await?;
        let refunds = items
            .into_iter()
            .map(Refund::from_list_item)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(first_of_each(refunds, |r| &r.id))
    }

    /// Fetches pages 0, 1, 2, … until one comes back empty (Dodo's end-of-list signal; a
    /// short page is not proof of the end, since a server may cap the page size).
    async fn all_pages<T, F, Fut>(&self, what: &str, mut fetch: F) -> Result<Vec<T>, DodoError>
    where
        F: FnMut(i64) -> Fut,
        Fut: Future<
            Output = dodopayments::Result<dodopayments::models::DefaultPageNumberPagination<T>>,
        >,
    {
        let mut all = Vec::new();
        for page in 0..MAX_PAGES {
            let items = fetch(page).await.map_err(|e| self.sdk_error(e))?.items;
            if items.is_empty() {
                return Ok(all);
            }
            all.extend(items);
        }
        Err(decode_err(format!(
            "{what}: still not at the end after {MAX_PAGES} pages"
        )))
    }
}

/// Keeps the first item of each id, in order.
fn first_of_each<T>(items: Vec<T>, id: impl Fn(&T) -> &String) -> Vec<T> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(id(item).clone()))
        .collect()
}
