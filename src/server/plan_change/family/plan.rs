//! One plan of a family and how two plans compare: which way a switch goes, what a yearly plan
//! saves, which features a switch gains and loses.

use super::Family;
use crate::server::merchant::plan_change::{PlanFamily, Tier};
use dodo_client::{Interval, Price, Product};

/// A plan with what the page needs about it.
#[derive(Clone, Debug)]
pub struct Plan {
    pub product: Product,
    pub amount: i64,
    pub currency: String,
    pub interval: Interval,
    pub interval_count: i64,
    /// Position and tier in the configured family, when it lists the plan.
    pub tier: Option<(usize, Tier)>,
}

impl Plan {
    /// The plan of a recurring product; `None` for a one-time one.
    pub(super) fn new(product: &Product, family: Option<&PlanFamily>) -> Option<Plan> {
        let Price::Recurring {
            amount,
            currency,
            interval,
            interval_count,
            ..
        } = &product.price
        else {
            return None;
        };
        Some(Plan {
            product: product.clone(),
            amount: *amount,
            currency: currency.clone(),
            interval: interval.clone(),
            interval_count: (*interval_count).max(1),
            tier: family.and_then(|f| f.tier_of(&product.id).map(|(i, t)| (i, t.clone()))),
        })
    }

    pub fn id(&self) -> &str {
        &self.product.id
    }

    pub fn max_quantity(&self) -> i64 {
        self.tier
            .as_ref()
            .map(|(_, t)| i64::from(t.max_quantity))
            .unwrap_or(1)
    }

    /// The price of one year of this plan × `quantity`, in minor units × `interval_count`
    /// (compare with [`Plan::cmp_yearly`]).
    fn per_year(&self, quantity: i64) -> (i128, i128) {
        let periods: i128 = match self.interval {
            Interval::Day => 365,
            Interval::Week => 52,
            Interval::Year => 1,
            _ => 12,
        };
        (
            i128::from(self.amount) * i128::from(quantity) * periods,
            i128::from(self.interval_count),
        )
    }

    /// Compares the yearly cost of `self` × `qa` with `other` × `qb`.
    pub(super) fn cmp_yearly(&self, qa: i64, other: &Plan, qb: i64) -> std::cmp::Ordering {
        let (a, ac) = self.per_year(qa);
        let (b, bc) = other.per_year(qb);
        (a * bc).cmp(&(b * ac))
    }
}

/// "Save N% with yearly" for `plan`: compared with a monthly plan of the same tier, when
/// `plan` bills yearly and is cheaper per year. Whole percent, rounded half up.
pub fn yearly_savings_percent(plan: &Plan, family: &Family) -> Option<u32> {
    if plan.interval != Interval::Year {
        return None;
    }
    let (tier_index, _) = plan.tier.as_ref()?;
    let monthly = family
        .current
        .iter()
        .chain(family.options.iter().map(|o| &o.plan))
        .find(|p| {
            p.interval == Interval::Month
                && p.currency == plan.currency
                && p.tier.as_ref().map(|(i, _)| i) == Some(tier_index)
        })?;
    let (yearly_cost, yc) = plan.per_year(1);
    let (monthly_cost, mc) = monthly.per_year(1);
    if monthly_cost <= 0 {
        return None;
    }
    // 100 × (1 − yearly / monthly), in whole percent, half up.
    let yearly_cost = yearly_cost * mc;
    let monthly_cost = monthly_cost * yc;
    let saved = monthly_cost - yearly_cost;
    if saved <= 0 {
        return None;
    }
    let pct = (saved * 200 + monthly_cost) / (monthly_cost * 2);
    u32::try_from(pct).ok().filter(|p| *p > 0)
}

/// Features of `to` that `from` lacks ("you gain"), and the reverse ("you lose").
pub fn feature_diff(from: &Plan, to: &Plan) -> (Vec<String>, Vec<String>) {
    let features = |p: &Plan| -> Vec<String> {
        p.tier
            .as_ref()
            .map(|(_, t)| t.features.clone())
            .unwrap_or_default()
    };
    let (f, t) = (features(from), features(to));
    let gain = t.iter().filter(|x| !f.contains(x)).cloned().collect();
    let lose = f.iter().filter(|x| !t.contains(x)).cloned().collect();
    (gain, lose)
}
