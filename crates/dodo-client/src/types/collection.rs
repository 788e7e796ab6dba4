//! A product collection: Dodo's plan family, with its groups and plan-change defaults.

use serde::{Deserialize, Serialize};

use crate::parse;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCollection {
    pub id: String,
    pub name: String,
    pub groups: Vec<CollectionGroup>,
    /// Each default below: `None` = inherit the business setting.
    pub proration_on_upgrade: Option<String>,
    pub proration_on_downgrade: Option<String>,
    pub effective_at_on_upgrade: Option<String>,
    pub effective_at_on_downgrade: Option<String>,
    pub on_payment_failure: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionGroup {
    pub id: String,
    pub name: Option<String>,
    pub active: bool,
    pub products: Vec<CollectionProduct>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionProduct {
    pub product_id: String,
    pub name: Option<String>,
    /// False for plans retired from the family (no switching to them).
    pub active: bool,
    /// Base price, minor units.
    pub price: Option<i64>,
    pub currency: Option<String>,
    pub is_recurring: bool,
}

impl ProductCollection {
    pub(crate) fn from_sdk(c: dodopayments::models::ProductCollection) -> ProductCollection {
        ProductCollection {
            id: c.id,
            name: c.name,
            groups: c
                .groups
                .into_iter()
                .map(|g| CollectionGroup {
                    id: g.group_id,
                    name: g.group_name,
                    active: g.status,
                    products: g
                        .products
                        .into_iter()
                        .map(|p| CollectionProduct {
                            currency: p.currency.as_deref().map(parse::currency),
                            product_id: p.product_id,
                            name: p.name,
                            active: p.status,
                            price: p.price,
                            is_recurring: p.is_recurring,
                        })
                        .collect(),
                })
                .collect(),
            proration_on_upgrade: c.proration_billing_mode_on_upgrade,
            proration_on_downgrade: c.proration_billing_mode_on_downgrade,
            effective_at_on_upgrade: c.effective_at_on_upgrade,
            effective_at_on_downgrade: c.effective_at_on_downgrade,
            on_payment_failure: c.on_payment_failure,
        }
    }
}
