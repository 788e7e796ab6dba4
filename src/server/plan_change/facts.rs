//! Small facts the pages' facts are made of. Amounts stay integer minor units with their
//! currency ([`Money`]) and dates stay `time` values: the presenter next to the views words and
//! formats them for the customer's language.

use super::family::{Family, Plan};
use crate::money::Money;
use time::OffsetDateTime;

/// A plan as the customer knows it: its Dodo product id and the name to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRef {
    pub product_id: String,
    /// The product's name at Dodo, or its id when Dodo gives no name.
    pub name: String,
}

impl PlanRef {
    pub fn of(plan: &Plan) -> PlanRef {
        PlanRef::named(plan.id(), plan.product.name.as_deref())
    }

    /// `product_id`, named as the family's plan when the family has it, else as `dodo_name`
    /// (e.g. the product name of a scheduled change).
    pub fn in_family(family: &Family, product_id: &str, dodo_name: Option<&str>) -> PlanRef {
        match family.plan(product_id) {
            Some(plan) => PlanRef::of(plan),
            None => PlanRef::named(product_id, dodo_name),
        }
    }

    fn named(product_id: &str, name: Option<&str>) -> PlanRef {
        PlanRef {
            product_id: product_id.to_owned(),
            name: name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(product_id)
                .to_owned(),
        }
    }
}

/// A bill: how much, on which date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    pub amount: Money,
    pub on: OffsetDateTime,
}
