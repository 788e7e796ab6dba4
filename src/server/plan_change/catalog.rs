//! What the plan-change page reads about plans from Dodo — products, product collections,
//! archived collections, the list of non-archived products — cached for
//! `plan_change.cache_seconds` so a page view does not call Dodo for each of them. Also the
//! startup check that names misconfigured plan families.

use super::family::{self, Facts, Family};
use crate::server::merchant::MerchantConfig;
use dodo_client::{DodoClient, DodoError, Product, ProductCollection, Subscription};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Slot<T> = Mutex<HashMap<String, (Instant, T)>>;

/// Reads of Dodo's catalogue with a short time-to-live. Cheap to clone.
#[derive(Clone)]
pub struct Catalog {
    inner: Arc<Inner>,
}

struct Inner {
    dodo: DodoClient,
    ttl: Duration,
    products: Slot<Option<Product>>,
    collections: Slot<Option<ProductCollection>>,
    lists: Slot<Option<HashSet<String>>>,
    /// Dodo calls made (cache misses), for tests of the cache.
    fetches: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("ttl", &self.inner.ttl)
            .finish_non_exhaustive()
    }
}

fn cached<T: Clone>(slot: &Slot<T>, key: &str, ttl: Duration) -> Option<T> {
    let map = slot.lock().unwrap_or_else(|e| e.into_inner());
    map.get(key)
        .filter(|(at, _)| at.elapsed() < ttl)
        .map(|(_, v)| v.clone())
}

fn keep<T>(slot: &Slot<T>, key: &str, value: T) {
    let mut map = slot.lock().unwrap_or_else(|e| e.into_inner());
    map.insert(key.to_owned(), (Instant::now(), value));
}

impl Catalog {
    pub fn new(dodo: DodoClient, ttl: Duration) -> Catalog {
        Catalog {
            inner: Arc::new(Inner {
                dodo,
                ttl,
                products: Mutex::default(),
                collections: Mutex::default(),
                lists: Mutex::default(),
                fetches: Default::default(),
            }),
        }
    }

    /// How many times Dodo was asked (cache misses) since start.
    pub fn fetches(&self) -> usize {
        self.inner
            .fetches
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    fn count(&self) {
        self.inner
            .fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// The product, `None` when Dodo does not know it. Errors other than "not found" are not
    /// cached.
    pub async fn product(&self, id: &str) -> Result<Option<Product>, DodoError> {
        if let Some(hit) = cached(&self.inner.products, id, self.inner.ttl) {
            return Ok(hit);
        }
        self.count();
        let value = match self.inner.dodo.product(id).await {
            Ok(p) => Some(p),
            Err(DodoError::NotFound { .. }) => None,
            Err(DodoError::InvalidRequest { code, .. }) if code == "INVALID_ID" => None,
            Err(e) => return Err(e),
        };
        keep(&self.inner.products, id, value.clone());
        Ok(value)
    }

    pub async fn collection(&self, id: &str) -> Result<Option<ProductCollection>, DodoError> {
        if let Some(hit) = cached(&self.inner.collections, id, self.inner.ttl) {
            return Ok(hit);
        }
        self.count();
        let value = match self.inner.dodo.product_collection(id).await {
            Ok(c) => Some(c),
            Err(DodoError::NotFound { .. }) => None,
            Err(DodoError::InvalidRequest { code, .. }) if code == "INVALID_ID" => None,
            Err(e) => return Err(e),
        };
        keep(&self.inner.collections, id, value.clone());
        Ok(value)
    }

    /// Ids of archived collections (empty when Dodo cannot say).
    pub async fn archived_collections(&self) -> HashSet<String> {
        if let Some(hit) = cached(&self.inner.lists, "archived_collections", self.inner.ttl) {
            return hit.unwrap_or_default();
        }
        self.count();
        let value = match self.inner.dodo.product_collection_ids(true).await {
            Ok(ids) => Some(ids.into_iter().collect()),
            Err(e) => {
                tracing::info!(error = %e, "archived collections unavailable; not filtering by them");
                None
            }
        };
        keep(&self.inner.lists, "archived_collections", value.clone());
        value.unwrap_or_default()
    }

    /// Ids of non-archived products, `None` when the list is unavailable.
    pub async fn active_products(&self) -> Option<HashSet<String>> {
        if let Some(hit) = cached(&self.inner.lists, "active_products", self.inner.ttl) {
            return hit;
        }
        self.count();
        let value = match self.inner.dodo.products().await {
            Ok(list) => Some(list.into_iter().map(|p| p.id).collect()),
            Err(e) => {
                tracing::info!(error = %e, "product list unavailable; not filtering archived products");
                None
            }
        };
        keep(&self.inner.lists, "active_products", value.clone());
        value
    }

    /// Gathers what [`family::resolve`] needs about `subscription` and resolves its family.
    pub async fn family(
        &self,
        config: &MerchantConfig,
        subscription: &Subscription,
    ) -> Result<Family, DodoError> {
        let plan_change = &config.plan_change;
        let mut products = HashMap::new();
        let current = self.product(&subscription.product_id).await?;
        let mut collection = None;
        let mut candidates: Vec<String> = Vec::new();
        let archived = self.archived_collections().await;
        if let Some(product) = &current {
            if let Some(cid) = &product.product_collection_id
                && !archived.contains(cid)
            {
                collection = self.collection(cid).await?;
            }
            products.insert(product.id.clone(), product.clone());
        }
        match &collection {
            Some(c) => {
                for group in c.groups.iter().filter(|g| g.active) {
                    for p in group.products.iter().filter(|p| p.active) {
                        candidates.push(p.product_id.clone());
                    }
                }
            }
            None => {
                if let Some(f) = plan_change.configured_family_of(&subscription.product_id) {
                    candidates.extend(f.plan_ids().into_iter().map(str::to_owned));
                }
            }
        }
        for id in candidates {
            if products.contains_key(&id) {
                continue;
            }
            if let Some(p) = self.product(&id).await? {
                products.insert(id, p);
            }
        }
        let facts = Facts {
            subscription: subscription.clone(),
            products,
            collection,
            archived_collections: archived,
            active_products: self.active_products().await,
        };
        Ok(family::resolve(plan_change, &facts))
    }
}

/// What the startup check learnt from Dodo about the configured plan families.
#[derive(Clone, Debug, Default)]
pub struct CatalogFacts {
    /// Products Dodo answered for, by id, with their collection.
    pub known_products: HashMap<String, Option<String>>,
    /// Products Dodo lists as not archived (`None`: unknown).
    pub active_products: Option<HashSet<String>>,
    /// Collections Dodo answered for, with their active product ids.
    pub known_collections: HashMap<String, Vec<String>>,
    pub archived_collections: HashSet<String>,
}

/// Startup warnings for the plan families, each naming the item: a product Dodo does not
/// know (or has archived), a collection it does not know or has archived, a family with one
/// usable plan, a tier plan outside the family's collection. The page leaves such items out.
pub fn misconfigurations(config: &MerchantConfig, facts: &CatalogFacts) -> Vec<String> {
    let pc = &config.plan_change;
    let mut out = pc.warnings();
    for (key, id) in pc.product_references() {
        match facts.known_products.get(&id) {
            None => out.push(format!(
                "{key}: product `{id}` is not known to Dodo; it is not offered"
            )),
            Some(_)
                if facts
                    .active_products
                    .as_ref()
                    .is_some_and(|a| !a.contains(&id)) =>
            {
                out.push(format!(
                    "{key}: product `{id}` is archived at Dodo; it is not offered"
                ))
            }
            Some(Some(cid)) if facts.archived_collections.contains(cid) => out.push(format!(
                "{key}: product `{id}` belongs to the archived collection `{cid}`; the configured family is used instead"
            )),
            _ => {}
        }
    }
    for (i, family) in pc.families.iter().enumerate() {
        let key = format!("plan_change.families[{i}]");
        let Some(cid) = &family.collection else {
            let usable = family
                .plan_ids()
                .into_iter()
                .filter(|id| {
                    facts.known_products.contains_key(*id)
                        && facts
                            .active_products
                            .as_ref()
                            .is_none_or(|a| a.contains(*id))
                })
                .count();
            if usable == 1 && family.plan_ids().len() > 1 {
                out.push(format!(
                    "{key} (`{}`): only one of its plans is usable at Dodo, so it offers no switch",
                    family.id
                ));
            }
            continue;
        };
        if facts.archived_collections.contains(cid) {
            out.push(format!(
                "{key}.collection: collection `{cid}` is archived; its plans are not offered from it"
            ));
            continue;
        }
        let Some(active) = facts.known_collections.get(cid) else {
            out.push(format!(
                "{key}.collection: collection `{cid}` is not known to Dodo"
            ));
            continue;
        };
        if active.len() == 1 {
            out.push(format!(
                "{key}.collection: collection `{cid}` has one active plan, so it offers no switch"
            ));
        }
        for (t, tier) in family.tiers.iter().enumerate() {
            for (p, id) in tier.plans.iter().enumerate() {
                if !active.contains(id) {
                    out.push(format!(
                        "{key}.tiers[{t}].plans[{p}]: product `{id}` is not an active plan of collection `{cid}`; it is not offered"
                    ));
                }
            }
        }
    }
    out
}

/// Reads from Dodo what [`misconfigurations`] checks, and logs each problem as a warning.
pub async fn check_at_startup(catalog: &Catalog, config: &MerchantConfig) -> Vec<String> {
    let pc = &config.plan_change;
    let mut facts = CatalogFacts {
        archived_collections: catalog.archived_collections().await,
        active_products: catalog.active_products().await,
        ..CatalogFacts::default()
    };
    for (_, id) in pc.product_references() {
        match catalog.product(&id).await {
            Ok(Some(p)) => {
                facts
                    .known_products
                    .insert(id.clone(), p.product_collection_id.clone());
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(product = %id, error = %e, "plan families: cannot check product at Dodo");
                facts.known_products.insert(id.clone(), None);
            }
        }
    }
    for family in &pc.families {
        let Some(cid) = &family.collection else {
            continue;
        };
        match catalog.collection(cid).await {
            Ok(Some(c)) => {
                let active = c
                    .groups
                    .iter()
                    .filter(|g| g.active)
                    .flat_map(|g| g.products.iter().filter(|p| p.active))
                    .map(|p| p.product_id.clone())
                    .collect();
                facts.known_collections.insert(cid.clone(), active);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(collection = %cid, error = %e, "plan families: cannot check collection at Dodo");
                // Unchecked: assume the configured tiers are right rather than warn wrongly.
                let tiers = family.plan_ids().into_iter().map(str::to_owned).collect();
                facts.known_collections.insert(cid.clone(), tiers);
            }
        }
    }
    let problems = misconfigurations(config, &facts);
    for problem in &problems {
        tracing::warn!("plan families: {problem}");
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
[[plan_change.families]]
id = "demo"
collection = "pcol_demo"
[[plan_change.families.tiers]]
name = "Basic"
plans = ["pdt_basic"]
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_pro", "pdt_gone"]

[[plan_change.families]]
id = "solo"
[[plan_change.families.tiers]]
name = "Team"
plans = ["pdt_team", "pdt_typo"]

[[plan_change.families]]
id = "old"
collection = "pcol_old"
"#;

    fn facts() -> CatalogFacts {
        CatalogFacts {
            known_products: [
                ("pdt_basic", Some("pcol_demo")),
                ("pdt_pro", Some("pcol_demo")),
                ("pdt_team", None),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.map(str::to_owned)))
            .collect(),
            active_products: None,
            known_collections: [(
                "pcol_demo".to_owned(),
                vec!["pdt_basic".to_owned(), "pdt_pro".to_owned()],
            )]
            .into_iter()
            .collect(),
            archived_collections: ["pcol_old".to_owned()].into_iter().collect(),
        }
    }

    #[test]
    fn every_misconfiguration_is_named() {
        let config = MerchantConfig::parse(RULES).expect("rules");
        let problems = misconfigurations(&config, &facts());
        let expect = [
            "plan_change.families[0].tiers[1].plans[1]: product `pdt_gone` is not known to Dodo",
            "plan_change.families[1].tiers[0].plans[1]: product `pdt_typo` is not known to Dodo",
            "plan_change.families[1] (`solo`): only one of its plans is usable at Dodo",
            "plan_change.families[2].collection: collection `pcol_old` is archived",
            "plan_change.families[0].tiers[1].plans[1]: product `pdt_gone` is not an active plan of collection `pcol_demo`",
        ];
        for e in expect {
            assert!(
                problems.iter().any(|p| p.starts_with(e)),
                "missing {e:?} in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");
    }

    #[test]
    fn unknown_collections_and_single_plan_collections_warn() {
        let config = MerchantConfig::parse(RULES).expect("rules");
        let mut f = facts();
        f.known_collections.clear();
        f.archived_collections.clear();
        let problems = misconfigurations(&config, &f);
        assert!(problems.iter().any(|p| p
            == "plan_change.families[0].collection: collection `pcol_demo` is not known to Dodo"));
        assert!(problems.iter().any(|p| p
            == "plan_change.families[2].collection: collection `pcol_old` is not known to Dodo"));
        let mut f = facts();
        f.known_collections
            .insert("pcol_demo".into(), vec!["pdt_basic".into()]);
        assert!(
            misconfigurations(&config, &f)
                .iter()
                .any(|p| p.contains("has one active plan"))
        );
    }

    #[test]
    fn archived_products_and_products_of_archived_collections_warn() {
        let config = MerchantConfig::parse(RULES).expect("rules");
        let mut f = facts();
        f.active_products = Some(
            ["pdt_basic".to_owned(), "pdt_team".to_owned()]
                .into_iter()
                .collect(),
        );
        f.known_products
            .insert("pdt_team".into(), Some("pcol_old".into()));
        let problems = misconfigurations(&config, &f);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("product `pdt_pro` is archived at Dodo")),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`pdt_team` belongs to the archived collection `pcol_old`")),
            "{problems:#?}"
        );
    }
}
