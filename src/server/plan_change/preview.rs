//! Previewing a switch: the plan × seats asked for, checked against the family; Dodo's
//! preview of what it would charge, with the settings the family resolves for its direction;
//! and the facts the dialog (and the no-JavaScript review page) shows about it.

use super::credit::{CreditTimeline, credit_timeline};
use super::facts::{Bill, PlanRef};
use super::family::{Direction, Plan, Settings};
use super::link::Loaded;
use super::timing::{Timing, effective_at};
use crate::money::Money;
use crate::server::state::AppState;
use crate::types::offer::CardView;
use crate::types::plan_change::AgreedFacts;
use dodo_client::{
    DodoError, PlanChangePreview, PlanChangeRequest, Subscription, SubscriptionStatus,
};
use time::OffsetDateTime;

/// Why a switch cannot be previewed or confirmed. Nothing changed in any case.
#[derive(Debug, thiserror::Error)]
pub enum SwitchProblem {
    #[error("already on this plan")]
    AlreadyOnPlan,
    #[error("this plan is not offered to the subscription")]
    NotOffered,
    /// Dodo refused or failed.
    #[error("Dodo could not preview the switch: {0}")]
    Dodo(DodoError),
}

/// A previewed switch: what was asked of Dodo and what it answered.
#[derive(Clone, Debug)]
pub struct Previewed {
    pub target: Plan,
    pub quantity: i64,
    pub direction: Direction,
    /// When the customer asked for it (resolved for the subscription: see [`Timing`]).
    pub timing: Timing,
    /// How the switch is billed: the family's settings for its direction, with the timing
    /// rules of [`effective_at`] applied.
    pub settings: Settings,
    pub request: PlanChangeRequest,
    pub preview: PlanChangePreview,
}

/// The plan × seats the customer asked for, checked against the family: `(plan, seats)`.
pub(super) fn target(
    loaded: &Loaded,
    product_id: &str,
    quantity: i64,
) -> Result<(Plan, i64), SwitchProblem> {
    let family = &loaded.family;
    let plan = match family.option(product_id) {
        Some(o) if o.blocked.is_none() => o.plan.clone(),
        Some(_) => return Err(SwitchProblem::NotOffered),
        None => match &family.current {
            Some(c) if c.id() == product_id && c.max_quantity() > 1 => c.clone(),
            Some(c) if c.id() == product_id => return Err(SwitchProblem::AlreadyOnPlan),
            _ => return Err(SwitchProblem::NotOffered),
        },
    };
    let quantity = quantity.clamp(1, plan.max_quantity());
    if plan.id() == loaded.subscription.product_id && quantity == loaded.subscription.quantity {
        return Err(SwitchProblem::AlreadyOnPlan);
    }
    // Fewer seats (or a lower plan with the seats asked for) is a downgrade too: a merchant who
    // turned downgrades off does not get one through the seat count.
    if family.direction_to(plan.id(), quantity) == Some(Direction::Downgrade)
        && !family.downgrades_allowed()
    {
        return Err(SwitchProblem::NotOffered);
    }
    Ok((plan, quantity))
}

/// Asks Dodo what switching to `product_id` × `quantity` would charge now, with the settings
/// the family resolves for its direction and the timing the customer chose.
pub async fn preview(
    state: &AppState,
    loaded: &Loaded,
    product_id: &str,
    quantity: i64,
    timing: Timing,
) -> Result<Previewed, SwitchProblem> {
    if loaded.subscription.status != SubscriptionStatus::Active {
        return Err(SwitchProblem::NotOffered);
    }
    let (plan, quantity) = target(loaded, product_id, quantity)?;
    let direction = loaded
        .family
        .direction_to(plan.id(), quantity)
        .ok_or(SwitchProblem::AlreadyOnPlan)?;
    let timing = timing.for_subscription(&loaded.subscription);
    let mut settings = loaded.family.settings(direction).clone();
    let current_amount = loaded
        .family
        .current
        .as_ref()
        .map_or(loaded.subscription.recurring_pre_tax_amount, |c| c.amount);
    settings.effective_at = effective_at(settings.effective_at, timing, current_amount, &plan);
    let request = PlanChangeRequest {
        product_id: plan.id().to_owned(),
        quantity,
        proration_billing_mode: settings.proration_billing_mode.clone(),
        effective_at: Some(settings.effective_at.as_str().to_owned()),
        on_payment_failure: Some(settings.on_payment_failure.as_str().to_owned()),
        metadata: Default::default(),
        addons: loaded.subscription.addons.clone(),
    };
    let preview = state
        .dodo_client
        .preview_change_plan(&loaded.subscription.id, &request)
        .await
        .map_err(|e| {
            tracing::warn!(subscription = %loaded.subscription.id, product = %plan.id(), mode = %request.proration_billing_mode, error = %e, "plan-change preview failed");
            SwitchProblem::Dodo(e)
        })?;
    Ok(Previewed {
        target: plan,
        quantity,
        direction,
        timing,
        settings,
        request,
        preview,
    })
}

/// The date of the next bill after the switch: after an immediate switch Dodo's `new_plan`
/// says it; a scheduled switch bills the new plan's price on its date.
fn next_bill_date(p: &Previewed) -> OffsetDateTime {
    let new_plan = &p.preview.new_plan;
    match (&new_plan.scheduled_change, p.settings.scheduled()) {
        (Some(change), true) => change.effective_at,
        _ => new_plan.next_billing_date,
    }
}

/// Every money fact of the preview, as the customer is shown it.
pub fn agreed_facts(p: &Previewed) -> AgreedFacts {
    AgreedFacts {
        total_minor: p.preview.total_amount,
        currency: p.preview.currency.clone(),
        tax_minor: p.preview.tax.unwrap_or(0),
        credits_minor: p.preview.customer_credits,
        next_billing: next_bill_date(p).unix_timestamp(),
    }
}

/// One line of what the switch charges now.
#[derive(Clone, Debug, PartialEq)]
pub struct LineFacts {
    /// Dodo's name for the line; `None`: it is the new plan itself.
    pub name: Option<String>,
    pub unit_price: Money,
    pub quantity: i64,
    /// Share of the billing period charged, whole percent.
    pub period_percent: i64,
    /// The line's amount, when every line's amount adds up to Dodo's total (see
    /// [`line_amounts`]).
    pub amount: Option<Money>,
}

/// Each line's amount — unit price × quantity × share of the period, rounded to the minor
/// unit — but only when the amounts, the credit used and the tax add up to the total Dodo
/// previewed (with the tax included in the prices or on top). Dodo's preview gives no line
/// totals; the dialog shows these so the reader need not multiply, and never shows figures that
/// do not sum to what the button charges (e.g. a downgrade whose old plan's unused value is
/// credit, not a line): then only the arithmetic is shown.
pub fn line_amounts(pv: &PlanChangePreview) -> Option<Vec<i64>> {
    let amounts: Vec<i64> = pv
        .line_items
        .iter()
        .map(|l| {
            let exact = l.unit_price as f64 * l.quantity as f64 * l.proration_factor;
            exact.round() as i64
        })
        .collect();
    if amounts.is_empty() {
        return None;
    }
    let lines: i64 = amounts.iter().sum();
    let used = pv.customer_credits.min(0);
    let tax = pv.tax.unwrap_or(0);
    let adds_up = lines + used + tax == pv.total_amount || lines + used == pv.total_amount;
    adds_up.then_some(amounts)
}

/// The alternative a merchant offers before this downgrade.
#[derive(Clone, Debug, PartialEq)]
pub struct DownsellFacts {
    pub plan: PlanRef,
    pub headline: String,
    pub value_points: Vec<String>,
}

/// Everything the dialog (and the no-JavaScript review page) shows about a previewed switch.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewFacts {
    pub target: PlanRef,
    pub quantity: i64,
    pub direction: Direction,
    /// The switch waits for the next billing date (nothing is charged now).
    pub scheduled: bool,
    /// The timing previewed (echoed by the confirm form).
    pub timing: Timing,
    /// Charged now.
    pub total: Money,
    pub tax: Money,
    /// Negative: credit used for this charge; positive: credit added to the subscription.
    pub credits: Money,
    pub lines: Vec<LineFacts>,
    /// The first bill after the switch.
    pub next_bill: Bill,
    /// The card Dodo will charge; `None` when Dodo does not describe the saved method.
    pub card: Option<CardView>,
    /// Echoed back by the confirm form as the consent check.
    pub agreed: AgreedFacts,
    pub downsell: Option<DownsellFacts>,
    /// For a subscription in its trial: the two choices, each as Dodo previewed it.
    pub trial: Option<TrialChoices>,
    /// Dodo's preview moves the next billing date (e.g. a mode that restarts the cycle).
    pub billing_moves_to: Option<OffsetDateTime>,
    /// What credit added by this switch covers.
    pub credit_timeline: Option<CreditTimeline>,
}

/// A trial's two ways to switch, each with what Dodo's preview charges today.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialChoices {
    /// When the trial ends (the subscription's next billing date).
    pub ends_on: OffsetDateTime,
    /// The choice this preview is of ([`Timing::TrialEnd`] or [`Timing::Now`]).
    pub chosen: Timing,
    /// Charged today at the trial's end / now; `None` when Dodo could not preview it.
    pub at_trial_end: Option<Money>,
    pub now: Option<Money>,
}

/// The facts of a previewed switch (asks Dodo which card it will charge, and for a trial the
/// price of the other choice).
pub async fn preview_facts(state: &AppState, loaded: &Loaded, p: &Previewed) -> PreviewFacts {
    let pv = &p.preview;
    let money = |minor: i64| Money::new(minor, &pv.currency);
    let scheduled = p.settings.scheduled();
    // A scheduled switch bills the new plan's price; an immediate one what Dodo's new plan says.
    let next_amount = if scheduled {
        p.target.amount.saturating_mul(p.quantity)
    } else {
        pv.new_plan.recurring_pre_tax_amount
    };
    let next_bill = Bill {
        amount: money(next_amount),
        on: next_bill_date(p),
    };
    let sub = &loaded.subscription;
    let billing_moves_to = (!scheduled
        && pv.new_plan.next_billing_date.date() != sub.next_billing_date.date())
    .then_some(pv.new_plan.next_billing_date);
    let credit_timeline = if scheduled {
        None
    } else {
        credit_timeline(
            &money(pv.customer_credits),
            &next_bill.amount,
            next_bill.on,
            &pv.new_plan.interval,
            pv.new_plan.interval_count,
        )
    };
    let trial = trial_choices(state, loaded, p).await;
    PreviewFacts {
        trial,
        billing_moves_to,
        credit_timeline,
        target: PlanRef::of(&p.target),
        quantity: p.quantity,
        direction: p.direction,
        scheduled,
        timing: p.timing,
        total: money(pv.total_amount),
        tax: money(pv.tax.unwrap_or(0)),
        credits: money(pv.customer_credits),
        lines: {
            let amounts = line_amounts(pv);
            pv.line_items
                .iter()
                .enumerate()
                .map(|(i, l)| LineFacts {
                    name: l.name.clone().filter(|n| !n.trim().is_empty()),
                    unit_price: Money::new(l.unit_price, &l.currency),
                    quantity: l.quantity,
                    period_percent: (l.proration_factor * 100.0).round() as i64,
                    amount: amounts
                        .as_ref()
                        .and_then(|a| a.get(i))
                        .map(|minor| Money::new(*minor, &l.currency)),
                })
                .collect()
        },
        next_bill,
        card: charged_card(state, &loaded.subscription).await,
        agreed: agreed_facts(p),
        downsell: loaded
            .family
            .downsell_for(p.target.id())
            .map(|(option, d)| DownsellFacts {
                plan: PlanRef::of(&option.plan),
                headline: d.headline.clone(),
                value_points: d.value_points.clone(),
            }),
    }
}

/// For a subscription in its trial, both choices' totals: this preview's, and Dodo's preview
/// of the other choice.
async fn trial_choices(state: &AppState, loaded: &Loaded, p: &Previewed) -> Option<TrialChoices> {
    let ends_on = loaded.subscription.trial_ends_at()?;
    let other = p.timing.other()?;
    let this_total = Some(Money::new(p.preview.total_amount, &p.preview.currency));
    let other_total = match preview(state, loaded, p.target.id(), p.quantity, other).await {
        Ok(o) => Some(Money::new(o.preview.total_amount, &o.preview.currency)),
        Err(e) => {
            tracing::info!(error = %e, "the trial's other choice could not be previewed");
            None
        }
    };
    let (at_trial_end, now) = match p.timing {
        Timing::Now => (other_total, this_total),
        _ => (this_total, other_total),
    };
    Some(TrialChoices {
        ends_on,
        chosen: p.timing,
        at_trial_end,
        now,
    })
}

/// The card Dodo will charge: the subscription's payment method, when Dodo names its network
/// and last four digits (named as the offer page names cards).
async fn charged_card(state: &AppState, sub: &Subscription) -> Option<CardView> {
    let pm = sub.payment_method_id.as_ref()?;
    let methods = match state
        .dodo_client
        .saved_payment_methods(&sub.customer_id)
        .await
    {
        Ok(methods) => methods,
        Err(e) => {
            tracing::info!(error = %e, "payment methods unavailable for the confirm dialog");
            return None;
        }
    };
    let saved = methods.iter().find(|m| &m.method.id == pm)?;
    let card = saved.method.card.as_ref()?;
    (card.network.is_some() && card.last4.is_some())
        .then(|| crate::server::offer::eligibility::card_view(saved))
}
