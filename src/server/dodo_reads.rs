//! Dodo reads that pages need once, not on every view: against real Dodo each call is an
//! internet round trip, and an offer page used to make five of them per view, polls included.
//!
//! - **Products** (names, prices for new offers) for [`CATALOG_TTL`]. The price a customer is
//!   about to pay is never taken from here: accepting re-reads it from Dodo.
//! - **Payments in a final state** (a verified purchase, a paid charge) for [`PAYMENT_TTL`]:
//!   their products, method and amount no longer change. A payment still processing is never
//!   kept. The landing puts the purchase it verified here, so the offer page reads none.
//! - **What a page needs about a customer** — saved payment methods and a subscription on hold
//!   — for [`CUSTOMER_TTL`], fetched together. Charging reads them fresh (and refreshes this);
//!   sending a customer to Dodo's portal makes their entry volatile for a while, so the methods
//!   they change there show when they come back.
//! - **Product translations** (name and description per language) for [`CATALOG_TTL`], like
//!   the products themselves.
//! - **A customer's `preferred_locale`** for [`CUSTOMER_TTL`] (a failed read is no
//!   preference: the page falls back to the browser's language).
//!
//! Everything is per instance and bounded ([`MAX_ENTRIES`] per kind, expired entries pruned).

use dodo_client::{
    DodoClient, DodoError, IntentStatus, Payment, PaymentFilter, Product, ProductTranslation,
    SavedPaymentMethod, SubscriptionStatus, SubscriptionSummary,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const CATALOG_TTL: Duration = Duration::from_secs(60);
pub const PAYMENT_TTL: Duration = Duration::from_secs(3600);
pub const CUSTOMER_TTL: Duration = Duration::from_secs(60);
/// After a customer leaves for Dodo's portal, their methods are read fresh for this long.
const VOLATILE_FOR: Duration = Duration::from_secs(30 * 60);
const MAX_ENTRIES: usize = 10_000;
/// How many of a customer's recent purchases a cross-sell reads to learn what they own.
const RECENT_PURCHASES: usize = 20;

/// A map whose entries expire.
struct TtlMap<V> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> TtlMap<V> {
    fn new(ttl: Duration) -> Self {
        TtlMap {
            ttl,
            entries: Mutex::default(),
        }
    }

    fn get(&self, key: &str) -> Option<V> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    fn put(&self, key: &str, value: V) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key.to_owned(), (Instant::now(), value));
    }

    fn forget(&self, key: &str) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
    }
}

/// What a page needs to know about a customer.
#[derive(Clone, Debug, Default)]
pub struct CustomerFacts {
    pub methods: Vec<SavedPaymentMethod>,
    /// A subscription on hold: the customer owes money (no pitch until it is fixed).
    pub owed: Option<SubscriptionSummary>,
}

/// What a customer owns and bought last (for cross-sells).
#[derive(Clone, Debug, Default)]
pub struct Purchases {
    /// Products of their recent successful payments.
    pub owned: Vec<String>,
    /// Their latest successful payment in full (billing address, currency, method).
    pub latest: Option<Payment>,
    /// Every recent successful payment read: (payment id, its products).
    pub paid: Vec<(String, Vec<String>)>,
}

/// The cached reads. Cheap to clone.
#[derive(Clone)]
pub struct DodoReads {
    inner: Arc<Inner>,
}

struct Inner {
    dodo: DodoClient,
    products: TtlMap<Product>,
    payments: TtlMap<Payment>,
    customers: TtlMap<Arc<CustomerFacts>>,
    purchases: TtlMap<Arc<Purchases>>,
    locales: TtlMap<Option<String>>,
    translations: TtlMap<Option<ProductTranslation>>,
    volatile: TtlMap<()>,
}

impl std::fmt::Debug for DodoReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DodoReads").finish_non_exhaustive()
    }
}

fn is_final(payment: &Payment) -> bool {
    matches!(
        payment.status,
        Some(IntentStatus::Succeeded | IntentStatus::Failed | IntentStatus::Cancelled)
    )
}

impl DodoReads {
    pub fn new(dodo: DodoClient) -> DodoReads {
        DodoReads {
            inner: Arc::new(Inner {
                dodo,
                products: TtlMap::new(CATALOG_TTL),
                payments: TtlMap::new(PAYMENT_TTL),
                customers: TtlMap::new(CUSTOMER_TTL),
                purchases: TtlMap::new(CUSTOMER_TTL),
                locales: TtlMap::new(CUSTOMER_TTL),
                translations: TtlMap::new(CATALOG_TTL),
                volatile: TtlMap::new(VOLATILE_FOR),
            }),
        }
    }

    pub async fn product(&self, id: &str) -> Result<Product, DodoError> {
        if let Some(hit) = self.inner.products.get(id) {
            return Ok(hit);
        }
        let product = self.inner.dodo.product(id).await?;
        self.inner.products.put(id, product.clone());
        Ok(product)
    }

    /// The product's name and description in `locale` (`"id"`, `"hi"`), `None` when Dodo has
    /// none or cannot say right now (the page then shows the product's own text).
    pub async fn product_translation(&self, id: &str, locale: &str) -> Option<ProductTranslation> {
        let key = format!("{id}/{locale}");
        if let Some(hit) = self.inner.translations.get(&key) {
            return hit;
        }
        match self.inner.dodo.product_translation(id, locale).await {
            Ok(found) => {
                self.inner.translations.put(&key, found.clone());
                found
            }
            Err(e) => {
                tracing::info!(error = %e, "product translation unknown; showing the product's own text");
                None
            }
        }
    }

    /// Puts `product` in `locale`: Dodo's translation of its name and description where
    /// Dodo has one, else its own text (English is the products' own).
    pub async fn translate(&self, product: &mut Product, locale: crate::i18n::Locale) {
        let language = locale.language();
        if language == crate::i18n::Locale::En {
            return;
        }
        if let Some(translated) = self.product_translation(&product.id, language.tag()).await {
            product.name = translated.name.or(product.name.take());
            product.description = translated.description.or(product.description.take());
        }
    }

    /// A payment; kept once it is final.
    pub async fn payment(&self, id: &str) -> Result<Payment, DodoError> {
        if let Some(hit) = self.inner.payments.get(id) {
            return Ok(hit);
        }
        let payment = self.inner.dodo.payment(id).await?;
        self.remember_payment(&payment);
        Ok(payment)
    }

    /// Keeps a payment just read from Dodo or delivered by its signed webhook, if it is final.
    pub fn remember_payment(&self, payment: &Payment) {
        if is_final(payment) {
            self.inner.payments.put(&payment.id, payment.clone());
        }
    }

    /// The customer's `preferred_locale` at Dodo (`"hi"`, `"id"`…), `None` when they have
    /// none or Dodo cannot say right now: a language is never worth failing a page for.
    pub async fn preferred_locale(&self, customer_id: &str) -> Option<String> {
        if let Some(hit) = self.inner.locales.get(customer_id) {
            return hit;
        }
        match self.inner.dodo.customer(customer_id).await {
            Ok(customer) => {
                let locale = customer.preferred_locale;
                self.inner.locales.put(customer_id, locale.clone());
                locale
            }
            Err(e) => {
                tracing::info!(error = %e, "preferred locale unknown; using the browser's");
                None
            }
        }
    }

    /// The customer's saved methods and owed subscription, read together.
    pub async fn customer(&self, customer_id: &str) -> Result<Arc<CustomerFacts>, DodoError> {
        let volatile = self.inner.volatile.get(customer_id).is_some();
        if !volatile && let Some(hit) = self.inner.customers.get(customer_id) {
            return Ok(hit);
        }
        self.fresh_customer(customer_id).await
    }

    /// The customer's facts straight from Dodo (what a charge relies on); refreshes the cache.
    pub async fn fresh_customer(&self, customer_id: &str) -> Result<Arc<CustomerFacts>, DodoError> {
        let dodo = &self.inner.dodo;
        let (methods, owed) = tokio::try_join!(
            dodo.saved_payment_methods(customer_id),
            dodo.subscriptions(customer_id, Some(SubscriptionStatus::OnHold)),
        )?;
        let facts = Arc::new(CustomerFacts {
            methods,
            owed: owed.into_iter().next(),
        });
        self.inner.customers.put(customer_id, facts.clone());
        Ok(facts)
    }

    /// The customer is off to change their payment methods at Dodo: read them fresh for a
    /// while.
    pub fn customer_may_change(&self, customer_id: &str) {
        self.inner.customers.forget(customer_id);
        self.inner.volatile.put(customer_id, ());
    }

    /// What the customer owns and bought last, from their recent successful payments (list
    /// items carry no product cart, so each is read — once, thanks to the payment cache).
    /// `true` with it when it was just read from Dodo.
    pub async fn purchases(&self, customer_id: &str) -> Result<(Arc<Purchases>, bool), DodoError> {
        if let Some(hit) = self.inner.purchases.get(customer_id) {
            return Ok((hit, false));
        }
        let mut recent = self
            .inner
            .dodo
            .payments(&PaymentFilter {
                customer_id: Some(customer_id.to_owned()),
                status: Some(IntentStatus::Succeeded),
                ..PaymentFilter::default()
            })
            .await?;
        recent.sort_by_key(|p| std::cmp::Reverse(p.created_at));
        let mut found = Purchases::default();
        for item in recent.into_iter().take(RECENT_PURCHASES) {
            let payment = self.payment(&item.id).await?;
            for product in &payment.product_ids {
                if !found.owned.contains(product) {
                    found.owned.push(product.clone());
                }
            }
            found
                .paid
                .push((payment.id.clone(), payment.product_ids.clone()));
            if found.latest.is_none() {
                found.latest = Some(payment);
            }
        }
        let found = Arc::new(found);
        self.inner.purchases.put(customer_id, found.clone());
        Ok((found, true))
    }

    /// A purchase was just made: what the customer owns changed.
    pub fn purchases_changed(&self, customer_id: &str) {
        self.inner.purchases.forget(customer_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_stay_bounded() {
        let map = TtlMap::new(Duration::from_millis(0));
        map.put("a", 1);
        assert_eq!(map.get("a"), None, "expired at once");
        let map = TtlMap::new(Duration::from_secs(60));
        map.put("a", 1);
        assert_eq!(map.get("a"), Some(1));
        map.forget("a");
        assert_eq!(map.get("a"), None);
        for i in 0..(MAX_ENTRIES + 5) {
            map.put(&i.to_string(), i);
        }
        assert!(map.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
