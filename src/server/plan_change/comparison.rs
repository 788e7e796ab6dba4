//! The comparison page's facts: the current plan, the plans the subscriber may switch to (with
//! their direction and why a switch is not offered), and what the banners above them say.

use super::facts::PlanRef;
use super::family::{Blocked, Direction, Family, Plan, feature_diff, yearly_savings_percent};
use super::link::Loaded;
use crate::money::Money;
use crate::server::state::AppState;
use dodo_client::SubscriptionStatus;
use time::OffsetDateTime;

/// One plan as the comparison shows it.
#[derive(Clone, Debug)]
pub struct PlanFacts {
    pub plan: Plan,
    /// Whole percent a yearly plan saves against its tier's monthly plan.
    pub yearly_savings_percent: Option<u32>,
    /// Features gained and lost against the current plan (none for the current plan itself).
    pub gains: Vec<String>,
    pub losses: Vec<String>,
}

impl PlanFacts {
    fn new(plan: &Plan, family: &Family, against: Option<&Plan>) -> PlanFacts {
        let (gains, losses) = match against {
            Some(current) if current.id() != plan.id() => feature_diff(current, plan),
            _ => (Vec::new(), Vec::new()),
        };
        PlanFacts {
            plan: plan.clone(),
            yearly_savings_percent: yearly_savings_percent(plan, family),
            gains,
            losses,
        }
    }
}

/// The subscription's plan.
#[derive(Clone, Debug)]
pub enum CurrentPlan {
    /// (Boxed: a plan is large next to an id and an amount.)
    Known(Box<PlanFacts>),
    /// Dodo does not know the subscription's product: its id and what the subscription bills.
    Unknown { product_id: String, bills: Money },
}

impl CurrentPlan {
    pub fn product_id(&self) -> &str {
        match self {
            CurrentPlan::Known(facts) => facts.plan.id(),
            CurrentPlan::Unknown { product_id, .. } => product_id,
        }
    }

    pub fn max_quantity(&self) -> i64 {
        match self {
            CurrentPlan::Known(facts) => facts.plan.max_quantity(),
            CurrentPlan::Unknown { .. } => 1,
        }
    }
}

/// A plan the subscriber may switch to.
#[derive(Clone, Debug)]
pub struct OptionFacts {
    pub plan: PlanFacts,
    pub direction: Direction,
    /// Why this switch is not offered online.
    pub blocked: Option<Blocked>,
}

/// What a banner above the plans reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BannerFact {
    /// A payment failed; paying the dues (a new card) reactivates it.
    OnHold,
    /// Cancelled, expired or otherwise not active: nothing can be changed.
    Inactive,
    /// A change Dodo will apply on a date (with Undo).
    Scheduled { plan: PlanRef, on: OffsetDateTime },
    /// Our change of this subscription still in flight.
    Pending { plan: PlanRef, attempt_id: String },
}

#[derive(Clone, Debug)]
pub struct ComparisonFacts {
    pub current: CurrentPlan,
    /// Seats the subscription has now.
    pub quantity: i64,
    pub options: Vec<OptionFacts>,
    pub banners: Vec<BannerFact>,
    /// The most seats any plan shown allows (1: no seat choice).
    pub seats_max: i64,
    /// Whether switching is possible at all (active subscription with an alternative, or
    /// seats to change).
    pub can_change: bool,
    /// When the subscription's trial ends, while it is in one: the customer then chooses
    /// whether a switch waits for it or ends it.
    pub trial_ends_at: Option<OffsetDateTime>,
}

/// The comparison page's facts for a loaded link.
pub async fn comparison(state: &AppState, loaded: &Loaded) -> ComparisonFacts {
    let family = &loaded.family;
    let sub = &loaded.subscription;
    let mut banners = Vec::new();
    match &sub.status {
        SubscriptionStatus::Active => {}
        SubscriptionStatus::OnHold => banners.push(BannerFact::OnHold),
        _ => banners.push(BannerFact::Inactive),
    }
    if let Some(change) = &sub.scheduled_change {
        banners.push(BannerFact::Scheduled {
            plan: PlanRef::in_family(family, &change.product_id, change.product_name.as_deref()),
            on: change.effective_at,
        });
    }
    // The banner is a courtesy: a store that cannot answer leaves it out, not the page.
    if let Ok(Some(open)) = state.store.open_plan_change(&sub.id).await {
        banners.push(BannerFact::Pending {
            plan: PlanRef::in_family(family, &open.product_id, None),
            attempt_id: open.id,
        });
    }
    let current_plan = family.current.as_ref();
    let options: Vec<OptionFacts> = family
        .options
        .iter()
        .map(|o| OptionFacts {
            plan: PlanFacts::new(&o.plan, family, current_plan),
            direction: o.direction,
            blocked: o.blocked.clone(),
        })
        .collect();
    let current = match current_plan {
        Some(plan) => CurrentPlan::Known(Box::new(PlanFacts::new(plan, family, None))),
        None => CurrentPlan::Unknown {
            product_id: sub.product_id.clone(),
            bills: Money::new(sub.recurring_pre_tax_amount, &sub.currency),
        },
    };
    let seats_max = current_plan
        .iter()
        .map(|c| c.max_quantity())
        .chain(family.options.iter().map(|o| o.plan.max_quantity()))
        .max()
        .unwrap_or(1);
    let can_change = sub.status == SubscriptionStatus::Active
        && (options.iter().any(|o| o.blocked.is_none()) || current.max_quantity() > 1);
    ComparisonFacts {
        current,
        quantity: sub.quantity,
        options,
        banners,
        seats_max,
        can_change,
        trial_ends_at: sub.trial_ends_at(),
    }
}
