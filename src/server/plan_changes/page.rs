//! The plan-change pages' server side: verify the link, load the subscription and its family,
//! preview a switch at Dodo, confirm it through [`super::change_once`], and turn all of it into
//! the views of `pages::plan_change::model`, formatted here (money, dates, sentences).
//!
//! Every entry point takes the link's token and at most a plan and a seat count; everything
//! else (customer, subscription, current plan, proration, timing, failure mode, amount) is
//! re-derived here on each call.

use super::family::{Direction, Family, Plan, feature_diff, yearly_savings_percent};
use super::{EffectiveAt, OnPaymentFailure, PlanChangeOrder, SEND_WINDOW};
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t, tf};
use crate::money::Money;
use crate::server::attempts::{EngineError, Order, Started};
use crate::server::links::{Audience, LinkClaims, LinkError};
use crate::server::state::AppState;
use crate::server::store::{Attempt, AttemptStatus, Refusal, now_millis};
use crate::types::plan_change::{
    AgreedFacts, Banner, ComparisonView, DownsellView, PlanCardView, PreviewLine, PreviewView,
    StatusKind, StatusView,
};
use dodo_client::{
    DodoError, IntentStatus, Interval, PaymentFilter, PlanChangePreview, PlanChangeRequest,
    Subscription, SubscriptionStatus,
};
use time::OffsetDateTime;

/// Why a page or a server function cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("link: {0}")]
    Link(#[from] LinkError),
    #[error("Dodo: {0}")]
    Dodo(#[from] DodoError),
    #[error("store: {0}")]
    Store(#[from] crate::server::store::StoreError),
    #[error("plan change: {0}")]
    Change(#[from] EngineError),
}

/// A verified link with its subscription and family.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub claims: LinkClaims,
    pub subscription: Subscription,
    pub family: Family,
}

/// Verifies the token (audience `plan-change`), loads the subscription (it must belong to the
/// link's customer) and resolves its family.
pub async fn load(state: &AppState, token: Option<&str>) -> Result<Loaded, PageError> {
    let claims = state.links.verify(token, Audience::PlanChange)?;
    let subscription_id = claims.subscription_id.clone().ok_or(LinkError::Invalid)?;
    let subscription = match state.dodo_client.subscription(&subscription_id).await {
        Ok(s) => s,
        Err(DodoError::NotFound { .. }) => return Err(LinkError::Invalid.into()),
        Err(DodoError::InvalidRequest { code, .. }) if code == "INVALID_ID" => {
            return Err(LinkError::Invalid.into());
        }
        Err(e) => return Err(e.into()),
    };
    if subscription.customer_id != claims.sub {
        tracing::warn!(subscription = %subscription.id, "plan-change link for another customer's subscription");
        return Err(LinkError::Invalid.into());
    }
    let family = state
        .plan_catalog
        .family(&state.merchant, &subscription)
        .await?;
    Ok(Loaded {
        claims,
        subscription,
        family,
    })
}

// --- formatting -------------------------------------------------------------------------

pub fn money(locale: Locale, minor: i64, currency: &str) -> String {
    Money::new(minor, currency).format(locale)
}

pub fn date(locale: Locale, at: OffsetDateTime) -> String {
    let month = match u8::from(at.month()) {
        1 => T::Month1,
        2 => T::Month2,
        3 => T::Month3,
        4 => T::Month4,
        5 => T::Month5,
        6 => T::Month6,
        7 => T::Month7,
        8 => T::Month8,
        9 => T::Month9,
        10 => T::Month10,
        11 => T::Month11,
        _ => T::Month12,
    };
    tf(
        locale,
        T::DateFormat,
        &[
            ("day", &at.day().to_string()),
            ("month", t(locale, month)),
            ("year", &at.year().to_string()),
        ],
    )
}

/// "$30.00 per month", "$800.00 per year", "$90.00 every 3 months".
pub fn price_label(locale: Locale, plan: &Plan) -> String {
    let amount = money(locale, plan.amount, &plan.currency);
    let count = plan.interval_count;
    let key = match (&plan.interval, count) {
        (Interval::Day, 1) => T::PerDay,
        (Interval::Week, 1) => T::PerWeek,
        (Interval::Year, 1) => T::PerYear,
        (Interval::Day, _) => T::EveryDays,
        (Interval::Week, _) => T::EveryWeeks,
        (Interval::Year, _) => T::EveryYears,
        (_, 1) => T::PerMonth,
        _ => T::EveryMonths,
    };
    let label = tf(
        locale,
        key,
        &[("amount", &amount), ("count", &count.to_string())],
    );
    if plan.max_quantity() > 1 {
        tf(locale, T::PerSeat, &[("amount", &label)])
    } else {
        label
    }
}

pub fn plan_name(plan: &Plan) -> String {
    plan.product
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| plan.product.id.clone())
}

fn direction_label(locale: Locale, d: Direction) -> String {
    t(
        locale,
        match d {
            Direction::Upgrade => T::Upgrade,
            Direction::Downgrade => T::Downgrade,
        },
    )
    .to_owned()
}

fn card(locale: Locale, plan: &Plan, family: &Family, current: Option<&Plan>) -> PlanCardView {
    let (gains, losses) = match current {
        Some(c) if c.id() != plan.id() => feature_diff(c, plan),
        _ => (Vec::new(), Vec::new()),
    };
    let tier = plan.tier.as_ref().map(|(_, t)| t);
    PlanCardView {
        product_id: plan.id().to_owned(),
        name: plan_name(plan),
        price: price_label(locale, plan),
        badge: tier.and_then(|t| t.badge.clone()),
        savings: yearly_savings_percent(plan, family)
            .map(|p| tf(locale, T::SaveWithYearly, &[("percent", &p.to_string())])),
        features: tier.map(|t| t.features.clone()).unwrap_or_default(),
        gains,
        losses,
        direction: None,
        blocked: None,
        max_quantity: plan.max_quantity(),
    }
}

/// The comparison page.
pub async fn comparison(
    state: &AppState,
    loaded: &Loaded,
    token: &str,
    locale: Locale,
    selected: Option<String>,
    notice: Option<Banner>,
) -> ComparisonView {
    let family = &loaded.family;
    let sub = &loaded.subscription;
    let current = family.current.as_ref();
    let mut banners: Vec<Banner> = notice.into_iter().collect();
    match &sub.status {
        SubscriptionStatus::Active => {}
        SubscriptionStatus::OnHold => banners.push(Banner::OnHold {
            text: t(locale, T::OnHoldBanner).to_owned(),
        }),
        _ => banners.push(Banner::Inactive {
            text: t(locale, T::InactiveBanner).to_owned(),
        }),
    }
    if let Some(change) = &sub.scheduled_change {
        let name = family
            .plan(&change.product_id)
            .map(plan_name)
            .or_else(|| change.product_name.clone())
            .unwrap_or_else(|| change.product_id.clone());
        banners.push(Banner::Scheduled {
            text: tf(
                locale,
                T::ScheduledBanner,
                &[
                    ("plan", &name),
                    ("date", &date(locale, change.effective_at)),
                ],
            ),
        });
    }
    if let Ok(Some(open)) = state.store.open_plan_change(&sub.id).await {
        let name = family
            .plan(&open.product_id)
            .map(plan_name)
            .unwrap_or_else(|| open.product_id.clone());
        banners.push(Banner::Pending {
            text: tf(locale, T::PendingBanner, &[("plan", &name)]),
            status_url: status_url(token, &open.id),
        });
    }
    let options: Vec<PlanCardView> = family
        .options
        .iter()
        .map(|o| {
            let mut view = card(locale, &o.plan, family, current);
            view.direction = Some(direction_label(locale, o.direction));
            view.blocked = o.blocked.as_ref().map(|b| match b {
                super::family::Blocked::DowngradesOff => t(locale, T::BlockedDowngrades).to_owned(),
                super::family::Blocked::Rule(Some(reason)) => reason.clone(),
                super::family::Blocked::Rule(None) => t(locale, T::BlockedGeneric).to_owned(),
            });
            view
        })
        .collect();
    let current_view = current
        .map(|c| card(locale, c, family, None))
        .unwrap_or_else(|| PlanCardView {
            product_id: sub.product_id.clone(),
            name: sub.product_id.clone(),
            price: money(locale, sub.recurring_pre_tax_amount, &sub.currency),
            max_quantity: 1,
            ..PlanCardView::default()
        });
    let seats_max = current
        .iter()
        .map(|c| c.max_quantity())
        .chain(family.options.iter().map(|o| o.plan.max_quantity()))
        .max()
        .unwrap_or(1);
    let can_change = sub.status == SubscriptionStatus::Active
        && (options.iter().any(|o| o.blocked.is_none()) || current_view.max_quantity > 1);
    ComparisonView {
        token: token.to_owned(),
        current_seats: (seats_max > 1 || sub.quantity > 1).then(|| {
            tf(
                locale,
                T::CurrentSeats,
                &[("count", &sub.quantity.to_string())],
            )
        }),
        current: current_view,
        current_quantity: sub.quantity,
        options,
        banners,
        seats_max,
        selected,
        can_change,
    }
}

pub use crate::routes::{plan_change as page_url, plan_change_status as status_url};

// --- preview ----------------------------------------------------------------------------

/// Why a switch cannot be previewed or confirmed, as the customer reads it.
#[derive(Debug)]
pub enum SwitchProblem {
    AlreadyOnPlan,
    NotOffered,
    /// Dodo refused or failed; nothing changed.
    Dodo(DodoError),
}

impl SwitchProblem {
    pub fn text(&self, locale: Locale) -> &'static str {
        match self {
            SwitchProblem::AlreadyOnPlan => t(locale, T::AlreadyOnPlan),
            SwitchProblem::NotOffered => t(locale, T::PlanNotOffered),
            SwitchProblem::Dodo(_) => t(locale, T::PreviewFailed),
        }
    }
}

/// A previewed switch: what was asked of Dodo and what it answered.
#[derive(Clone, Debug)]
pub struct Previewed {
    pub target: Plan,
    pub quantity: i64,
    pub direction: Direction,
    pub request: PlanChangeRequest,
    pub preview: PlanChangePreview,
}

/// The plan × seats the customer asked for, checked against the family: `(plan, seats)`.
fn target(loaded: &Loaded, product_id: &str, quantity: i64) -> Result<(Plan, i64), SwitchProblem> {
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
    Ok((plan, quantity))
}

/// Asks Dodo what switching to `product_id` × `quantity` would charge now, with the settings
/// the family resolves for its direction.
pub async fn preview(
    state: &AppState,
    loaded: &Loaded,
    product_id: &str,
    quantity: i64,
) -> Result<Previewed, SwitchProblem> {
    if loaded.subscription.status != SubscriptionStatus::Active {
        return Err(SwitchProblem::NotOffered);
    }
    let (plan, quantity) = target(loaded, product_id, quantity)?;
    let direction = loaded
        .family
        .direction_to(plan.id(), quantity)
        .ok_or(SwitchProblem::AlreadyOnPlan)?;
    let settings = loaded.family.settings(direction);
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
        request,
        preview,
    })
}

/// The date of the next bill after the switch: after an immediate switch Dodo's `new_plan`
/// says it; a scheduled switch bills the new plan's price on its date.
fn next_bill_date(p: &Previewed) -> OffsetDateTime {
    let pv = &p.preview;
    if p.request.effective_at.as_deref() == Some(EffectiveAt::NextBillingDate.as_str()) {
        pv.new_plan
            .scheduled_change
            .as_ref()
            .map(|c| c.effective_at)
            .unwrap_or(pv.new_plan.next_billing_date)
    } else {
        pv.new_plan.next_billing_date
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

/// Which money fact of a preview moved between what the customer saw and Dodo's fresh preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    Total {
        was: i64,
        now: i64,
        currency: String,
    },
    Tax {
        was: i64,
        now: i64,
        currency: String,
    },
    Credits {
        was: i64,
        now: i64,
        currency: String,
    },
    Currency {
        was: String,
        now: String,
    },
    NextBilling {
        was: i64,
        now: i64,
    },
}

/// The first fact that differs, in the order the dialog shows them; `None`: all agree.
pub fn drift(agreed: &AgreedFacts, now: &AgreedFacts) -> Option<Drift> {
    if !agreed.currency.eq_ignore_ascii_case(&now.currency) {
        return Some(Drift::Currency {
            was: agreed.currency.clone(),
            now: now.currency.clone(),
        });
    }
    let currency = now.currency.clone();
    if agreed.total_minor != now.total_minor {
        return Some(Drift::Total {
            was: agreed.total_minor,
            now: now.total_minor,
            currency,
        });
    }
    if agreed.tax_minor != now.tax_minor {
        return Some(Drift::Tax {
            was: agreed.tax_minor,
            now: now.tax_minor,
            currency,
        });
    }
    if agreed.credits_minor != now.credits_minor {
        return Some(Drift::Credits {
            was: agreed.credits_minor,
            now: now.credits_minor,
            currency,
        });
    }
    if agreed.next_billing != now.next_billing {
        return Some(Drift::NextBilling {
            was: agreed.next_billing,
            now: now.next_billing,
        });
    }
    None
}

/// The one-line difference the customer reads.
pub fn drift_text(locale: Locale, d: &Drift) -> String {
    let day = |secs: i64| {
        OffsetDateTime::from_unix_timestamp(secs)
            .map(|at| date(locale, at))
            .unwrap_or_default()
    };
    match d {
        Drift::Total { was, now, currency } => tf(
            locale,
            T::DriftTotal,
            &[
                ("was", &money(locale, *was, currency)),
                ("now", &money(locale, *now, currency)),
            ],
        ),
        Drift::Tax { was, now, currency } => tf(
            locale,
            T::DriftTax,
            &[
                ("was", &money(locale, *was, currency)),
                ("now", &money(locale, *now, currency)),
            ],
        ),
        Drift::Credits { was, now, currency } => tf(
            locale,
            T::DriftCredits,
            &[
                ("was", &money(locale, was.abs(), currency)),
                ("now", &money(locale, now.abs(), currency)),
            ],
        ),
        Drift::Currency { was, now } => tf(locale, T::DriftCurrency, &[("was", was), ("now", now)]),
        Drift::NextBilling { was, now } => tf(
            locale,
            T::DriftNextBilling,
            &[("was", &day(*was)), ("now", &day(*now))],
        ),
    }
}

/// The card Dodo will charge: the subscription's payment method, described.
async fn card_label(state: &AppState, sub: &Subscription, locale: Locale) -> String {
    let saved = t(locale, T::SavedMethod).to_owned();
    let Some(pm) = &sub.payment_method_id else {
        return saved;
    };
    match state.dodo_client.payment_methods(&sub.customer_id).await {
        Ok(methods) => methods
            .iter()
            .find(|m| &m.id == pm)
            .and_then(|m| m.card.as_ref())
            .and_then(|c| Some((c.network.clone()?, c.last4.clone()?)))
            .map(|(network, last4)| {
                let network = capitalise(&network);
                tf(
                    locale,
                    T::CardEnding,
                    &[("network", &network), ("last4", &last4)],
                )
            })
            .unwrap_or(saved),
        Err(e) => {
            tracing::info!(error = %e, "payment methods unavailable for the confirm dialog");
            saved
        }
    }
}

/// "VISA" → "Visa", "MASTERCARD" → "Mastercard".
fn capitalise(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => lower,
    }
}

/// Everything the dialog (and the no-JavaScript review page) shows about a previewed switch.
pub async fn preview_view(
    state: &AppState,
    loaded: &Loaded,
    p: &Previewed,
    locale: Locale,
) -> PreviewView {
    let pv = &p.preview;
    let currency = pv.currency.clone();
    let m = |minor: i64| money(locale, minor, &currency);
    let plan = plan_name(&p.target);
    let scheduled =
        p.request.effective_at.as_deref() == Some(EffectiveAt::NextBillingDate.as_str());
    let total = m(pv.total_amount);
    let lines = pv
        .line_items
        .iter()
        .map(|l| PreviewLine {
            item: l
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| plan.clone()),
            unit_price: money(locale, l.unit_price, &l.currency),
            quantity: l.quantity.to_string(),
            period: tf(
                locale,
                T::PeriodShare,
                &[(
                    "percent",
                    &format!("{}", (l.proration_factor * 100.0).round() as i64),
                )],
            ),
        })
        .collect();
    let credits = pv.customer_credits;
    let credit = match credits.signum() {
        -1 => Some((
            t(locale, T::CreditApplied).to_owned(),
            tf(locale, T::CreditMinus, &[("amount", &m(-credits))]),
        )),
        1 => Some((
            t(locale, T::CreditAdded).to_owned(),
            tf(locale, T::CreditPlus, &[("amount", &m(credits))]),
        )),
        _ => None,
    };
    let next_date = next_bill_date(p);
    let next_amount = if scheduled {
        m(p.target.amount.saturating_mul(p.quantity))
    } else {
        m(pv.new_plan.recurring_pre_tax_amount)
    };
    let next_date_text = date(locale, next_date);
    let charge = pv.total_amount > 0;
    let title = if scheduled {
        tf(
            locale,
            match p.direction {
                Direction::Downgrade => T::TitleScheduledDowngrade,
                Direction::Upgrade => T::TitleScheduledUpgrade,
            },
            &[("plan", &plan), ("date", &next_date_text)],
        )
    } else {
        let key = match p.direction {
            Direction::Upgrade if charge => T::TitleUpgradeNow,
            Direction::Downgrade => T::TitleDowngradeNow,
            Direction::Upgrade => T::TitleSwitchNow,
        };
        tf(locale, key, &[("plan", &plan)])
    };
    let summary = if scheduled {
        tf(
            locale,
            T::SummaryScheduled,
            &[("plan", &plan), ("date", &next_date_text)],
        )
    } else if charge {
        tf(
            locale,
            T::SummaryCharge,
            &[("amount", &total), ("plan", &plan)],
        )
    } else if credits > 0 {
        tf(
            locale,
            T::SummaryCredit,
            &[("plan", &plan), ("credit", &m(credits))],
        )
    } else {
        tf(locale, T::SummaryNoCharge, &[("plan", &plan)])
    };
    let consent = if scheduled {
        tf(
            locale,
            T::ConsentScheduled,
            &[
                ("plan", &plan),
                ("date", &next_date_text),
                ("next", &next_amount),
            ],
        )
    } else if charge {
        tf(
            locale,
            T::ConsentCharge,
            &[
                ("amount", &total),
                ("plan", &plan),
                ("next", &next_amount),
                ("date", &next_date_text),
            ],
        )
    } else {
        tf(
            locale,
            T::ConsentNoCharge,
            &[
                ("plan", &plan),
                ("next", &next_amount),
                ("date", &next_date_text),
            ],
        )
    };
    let button = if scheduled {
        tf(
            locale,
            T::SwitchOnButton,
            &[("plan", &plan), ("date", &next_date_text)],
        )
    } else if charge {
        tf(locale, T::PayNow, &[("amount", &total)])
    } else {
        tf(locale, T::SwitchNowButton, &[("plan", &plan)])
    };
    let downsell = loaded
        .family
        .downsell_for(p.target.id())
        .map(|(option, d)| DownsellView {
            product_id: option.plan.id().to_owned(),
            headline: d.headline.clone(),
            value_points: d.value_points.clone(),
            try_label: tf(
                locale,
                T::DownsellTry,
                &[("plan", &plan_name(&option.plan))],
            ),
            decline_label: tf(locale, T::DownsellDecline, &[("plan", &plan)]),
        });
    PreviewView {
        product_id: p.target.id().to_owned(),
        quantity: p.quantity,
        title,
        summary,
        lines,
        credit,
        credit_note: (credits > 0).then(|| t(locale, T::CreditNote).to_owned()),
        tax: m(pv.tax.unwrap_or(0)),
        total: total.clone(),
        agreed: agreed_facts(p),
        next_bill: Some(tf(
            locale,
            T::NextBillValue,
            &[("amount", &next_amount), ("date", &next_date_text)],
        )),
        card: card_label(state, &loaded.subscription, locale).await,
        consent,
        button,
        announcement: tf(locale, T::PreviewUpdated, &[("amount", &total)]),
        downsell,
    }
}

// --- confirm ----------------------------------------------------------------------------

/// What confirming led to.
#[derive(Debug)]
pub enum Confirmed {
    /// The attempt to show (new, or the one a double confirm already made).
    Attempt(String),
    /// Another change of the subscription is in flight: nothing was sent; this is that one.
    InFlight(String),
    /// A money fact of Dodo's fresh preview is not what the customer agreed to: nothing sent.
    Drifted(Drift),
    Problem(SwitchProblem),
}

/// Confirms a switch: re-derives everything from the token, previews again at Dodo, checks
/// the customer agreed to every money fact of that preview, and changes the plan exactly once
/// (one change in flight per subscription).
pub async fn confirm(
    state: &AppState,
    token: &str,
    product_id: &str,
    quantity: i64,
    agreed: &AgreedFacts,
) -> Result<Confirmed, PageError> {
    let claims = state.links.verify(Some(token), Audience::PlanChange)?;
    let subscription_id = claims.subscription_id.clone().ok_or(LinkError::Invalid)?;
    // The base of the key is read before the subscription, so a change settling in between
    // shows in the subscription (then "already on this plan") rather than in a new key.
    let base = state
        .store
        .latest_final_plan_change(&subscription_id)
        .await?;
    let loaded = load(state, Some(token)).await?;
    let sub = &loaded.subscription;
    let (plan, quantity) = match target(&loaded, product_id, quantity) {
        Ok(t) => t,
        Err(SwitchProblem::AlreadyOnPlan) => {
            // A repeated confirm of a change that already happened shows that change.
            return Ok(
                match state
                    .store
                    .latest_plan_change_to(&sub.id, product_id, sub.quantity)
                    .await?
                {
                    Some(a) => Confirmed::Attempt(a.id),
                    None => Confirmed::Problem(SwitchProblem::AlreadyOnPlan),
                },
            );
        }
        Err(problem) => return Ok(Confirmed::Problem(problem)),
    };
    // The same change is already scheduled (a repeated confirm): show it, send nothing.
    if let Some(c) = &sub.scheduled_change
        && c.product_id == plan.id()
        && c.quantity == quantity
        && let Some(a) = state
            .store
            .latest_plan_change_to(&sub.id, plan.id(), quantity)
            .await?
    {
        return Ok(Confirmed::Attempt(a.id));
    }
    let key = PlanChangeOrder::key_for(
        &sub.id,
        base.as_ref().map(|a| a.id.as_str()),
        (&sub.product_id, sub.quantity),
        (plan.id(), quantity),
    );
    if let Some(existing) = state.store.attempt_by_key(&key).await? {
        tracing::info!(attempt = %existing.id, "plan change confirmed again; showing the first");
        return Ok(Confirmed::Attempt(existing.id));
    }
    if let Some(open) = state.store.open_plan_change(&sub.id).await? {
        // This very change, recorded by a concurrent confirm since the key was looked up.
        if open.idempotency_key == key {
            return Ok(Confirmed::Attempt(open.id));
        }
        tracing::info!(attempt = %open.id, "another plan change is in flight; nothing sent");
        return Ok(Confirmed::InFlight(open.id));
    }
    let previewed = match preview(state, &loaded, plan.id(), quantity).await {
        Ok(p) => p,
        Err(problem) => return Ok(Confirmed::Problem(problem)),
    };
    // A concurrent confirm of the same change may have recorded it meanwhile (and moved the
    // subscription, so this preview no longer matches): show that one.
    if let Some(existing) = state.store.attempt_by_key(&key).await? {
        return Ok(Confirmed::Attempt(existing.id));
    }
    if let Some(moved) = drift(agreed, &agreed_facts(&previewed)) {
        tracing::info!(subscription = %sub.id, ?moved, "plan-change preview moved since the customer saw it; not sent");
        return Ok(Confirmed::Drifted(moved));
    }
    let request = &previewed.request;
    let order = PlanChangeOrder {
        idempotency_key: key.clone(),
        subscription_id: sub.id.clone(),
        customer_id: sub.customer_id.clone(),
        from_product_id: sub.product_id.clone(),
        from_quantity: sub.quantity,
        to_product_id: plan.id().to_owned(),
        quantity,
        proration_billing_mode: request.proration_billing_mode.clone(),
        effective_at: EffectiveAt::parse(request.effective_at.as_deref().unwrap_or("immediately")),
        on_payment_failure: OnPaymentFailure::parse(
            request
                .on_payment_failure
                .as_deref()
                .unwrap_or("prevent_change"),
        ),
        addons: request.addons.clone(),
        previewed_total_minor: previewed.preview.total_amount,
        currency: previewed.preview.currency.clone(),
        send_before: now_millis() + SEND_WINDOW.as_millis() as i64,
    };
    Ok(match state.engine.start(&Order::PlanChange(order)).await? {
        Started::Sent(a) | Started::Existing(a) => Confirmed::Attempt(a.id),
        Started::Refused(Refusal::ChangeInFlight(open)) => Confirmed::InFlight(open.id),
        Started::Refused(other) => {
            tracing::warn!(?other, "plan change refused by the store");
            Confirmed::Problem(SwitchProblem::NotOffered)
        }
    })
}

// --- status -----------------------------------------------------------------------------

const DECLINE_CODES: &[&str] = &[
    "CARD_DECLINED",
    "INSUFFICIENT_FUNDS",
    "EXPIRED_CARD",
    "AUTHENTICATION_FAILURE",
    "AUTHENTICATION_REQUIRED",
    "DO_NOT_HONOR",
    "PAYMENT_FAILED",
];

/// The attempt `attempt_id` of the link's subscription, moved along if it is still open.
pub async fn attempt_for(
    state: &AppState,
    loaded: &Loaded,
    attempt_id: &str,
) -> Result<Option<Attempt>, PageError> {
    let Some(attempt) = state.store.attempt(attempt_id).await? else {
        return Ok(None);
    };
    if attempt.subscription_id.as_deref() != Some(loaded.subscription.id.as_str()) {
        return Ok(None);
    }
    if attempt.status.is_final() {
        return Ok(Some(attempt));
    }
    // Webhooks settle most attempts; a lookup covers late or lost ones.
    match state.engine.reconcile(attempt.clone()).await {
        Ok(a) => Ok(Some(a)),
        Err(e) => {
            tracing::info!(attempt = %attempt.id, error = %e, "status: reconcile failed; showing the stored state");
            Ok(Some(attempt))
        }
    }
}

/// With `apply_change` the plan switches before its charge settles, so the attempt succeeds
/// (`subscription.plan_changed`) while the payment may still fail and put the subscription on
/// hold. The outcome is known only once that payment is final.
async fn charge_settled(state: &AppState, attempt: &Attempt) -> bool {
    let Some(order) = plan_change_order(attempt) else {
        return true;
    };
    if attempt.status != AttemptStatus::Succeeded
        || order.scheduled()
        || order.previewed_total_minor == 0
        || order.on_payment_failure != OnPaymentFailure::ApplyChange
    {
        return true;
    }
    let payment = match &attempt.dodo_payment_id {
        Some(id) => state.dodo_client.payment(id).await.ok(),
        None => crate::server::attempts::plan_change::find_payment(&state.dodo_client, attempt)
            .await
            .ok()
            .flatten(),
    };
    payment.and_then(|p| p.status).is_none_or(|s| s.is_final())
}

/// The plan-change order an attempt carries, if it is one.
fn plan_change_order(attempt: &Attempt) -> Option<PlanChangeOrder> {
    match Order::of(attempt).ok()? {
        Order::PlanChange(order) => Some(order),
        _ => None,
    }
}

/// The status page of an attempt.
pub async fn status_view(
    state: &AppState,
    token: &str,
    attempt_id: &str,
    locale: Locale,
) -> Result<Option<StatusView>, PageError> {
    let loaded = load(state, Some(token)).await?;
    let Some(attempt) = attempt_for(state, &loaded, attempt_id).await? else {
        return Ok(None);
    };
    // The subscription as it is now (after the change, if any).
    let sub = state
        .dodo_client
        .subscription(&loaded.subscription.id)
        .await
        .unwrap_or_else(|_| loaded.subscription.clone());
    let family = &loaded.family;
    let name_of = |id: &str| {
        family
            .plan(id)
            .map(plan_name)
            .or_else(|| {
                sub.scheduled_change
                    .as_ref()
                    .filter(|c| c.product_id == id)
                    .and_then(|c| c.product_name.clone())
            })
            .unwrap_or_else(|| id.to_owned())
    };
    let target = name_of(&attempt.product_id);
    let current = name_of(&sub.product_id);
    let charge_open = !charge_settled(state, &attempt).await;
    let scheduled = plan_change_order(&attempt).is_some_and(|o| o.scheduled());
    let next_bill = || {
        tf(
            locale,
            T::SuccessNextBill,
            &[
                (
                    "amount",
                    &money(locale, sub.recurring_pre_tax_amount, &sub.currency),
                ),
                ("date", &date(locale, sub.next_billing_date)),
            ],
        )
    };
    let (kind, title, body): (StatusKind, String, Vec<String>) = match attempt.status {
        AttemptStatus::Succeeded if charge_open => (
            StatusKind::Processing,
            t(locale, T::ProcessingTitle).to_owned(),
            vec![t(locale, T::ProcessingBody).to_owned()],
        ),
        AttemptStatus::Succeeded
            if scheduled
                && sub.product_id != attempt.product_id
                && sub
                    .scheduled_change
                    .as_ref()
                    .is_none_or(|c| c.product_id != attempt.product_id) =>
        {
            (
                StatusKind::Undone,
                t(locale, T::UndoneTitle).to_owned(),
                vec![tf(locale, T::UndoneBody, &[("plan", &current)])],
            )
        }
        AttemptStatus::Succeeded if scheduled && sub.product_id != attempt.product_id => {
            let when = sub
                .scheduled_change
                .as_ref()
                .map(|c| c.effective_at)
                .unwrap_or(sub.next_billing_date);
            (
                StatusKind::Scheduled,
                tf(
                    locale,
                    T::ScheduledTitle,
                    &[("plan", &target), ("date", &date(locale, when))],
                ),
                vec![t(locale, T::ScheduledBody).to_owned()],
            )
        }
        AttemptStatus::Succeeded | AttemptStatus::Failed
            if sub.status == SubscriptionStatus::OnHold =>
        {
            (
                StatusKind::OnHold,
                t(locale, T::OnHoldTitle).to_owned(),
                vec![tf(locale, T::OnHoldBody, &[("plan", &current)])],
            )
        }
        AttemptStatus::Succeeded => (
            StatusKind::Succeeded,
            tf(locale, T::SuccessTitle, &[("plan", &current)]),
            vec![next_bill()],
        ),
        AttemptStatus::Failed
            if attempt.error_code.as_deref() == Some(super::PENDING_CHANGE_EXISTS) =>
        {
            let mut body = vec![t(locale, T::PendingExistsBody).to_owned()];
            if let Some(line) = pending_payment_line(state, &sub, locale).await {
                body.push(line);
            }
            (
                StatusKind::PendingExists,
                t(locale, T::PendingExistsTitle).to_owned(),
                body,
            )
        }
        AttemptStatus::Failed
            if attempt.dodo_payment_id.is_some()
                || attempt
                    .error_code
                    .as_deref()
                    .is_some_and(|c| DECLINE_CODES.contains(&c)) =>
        {
            (
                StatusKind::Declined,
                t(locale, T::DeclinedTitle).to_owned(),
                vec![tf(locale, T::DeclinedBody, &[("plan", &current)])],
            )
        }
        AttemptStatus::Failed | AttemptStatus::Expired => (
            StatusKind::Failed,
            t(locale, T::FailedTitle).to_owned(),
            vec![t(locale, T::FailedBody).to_owned()],
        ),
        AttemptStatus::RequiresAction => (
            StatusKind::RequiresAction,
            t(locale, T::ActionTitle).to_owned(),
            vec![t(locale, T::ActionBody).to_owned()],
        ),
        _ => (
            StatusKind::Processing,
            t(locale, T::ProcessingTitle).to_owned(),
            vec![t(locale, T::ProcessingBody).to_owned()],
        ),
    };
    Ok(Some(StatusView {
        kind,
        title,
        body,
        token: token.to_owned(),
        attempt_id: attempt.id.clone(),
        action_link: attempt
            .payment_link
            .clone()
            .filter(|_| kind == StatusKind::RequiresAction),
        self_url: status_url(token, &attempt.id),
        back_url: page_url(token),
    }))
}

/// "Payment being processed: $25.00." for the subscription's plan-change payment in flight.
async fn pending_payment_line(
    state: &AppState,
    sub: &Subscription,
    locale: Locale,
) -> Option<String> {
    let payments = state
        .dodo_client
        .payments(&PaymentFilter {
            subscription_id: Some(sub.id.clone()),
            status: Some(IntentStatus::Processing),
            ..PaymentFilter::default()
        })
        .await
        .ok()?;
    let p = payments.first()?;
    Some(tf(
        locale,
        T::PendingPayment,
        &[("amount", &money(locale, p.total_amount, &p.currency))],
    ))
}

/// Whether the attempt is settled, for the status page's watcher.
pub async fn is_settled(
    state: &AppState,
    token: &str,
    attempt_id: &str,
) -> Result<bool, PageError> {
    let claims = state.links.verify(Some(token), Audience::PlanChange)?;
    let Some(attempt) = state.store.attempt(attempt_id).await? else {
        return Ok(true);
    };
    if claims.subscription_id.is_none() || claims.subscription_id != attempt.subscription_id {
        return Err(LinkError::Invalid.into());
    }
    // The store only: webhooks and the engine's reconciler move the attempt along.
    Ok(attempt.status.is_final() && charge_settled(state, &attempt).await)
}

// --- undo, payment method -----------------------------------------------------------------

/// Cancels the link's subscription's scheduled change. `Ok(Some(plan))`: undone, the
/// subscription stays on `plan`.
pub async fn undo(state: &AppState, token: &str, locale: Locale) -> Result<Banner, PageError> {
    let loaded = load(state, Some(token)).await?;
    let current = loaded
        .family
        .current
        .as_ref()
        .map(plan_name)
        .unwrap_or_else(|| loaded.subscription.product_id.clone());
    Ok(
        match super::undo_scheduled(&state.dodo_client, &loaded.subscription.id).await {
            Ok(true) => {
                tracing::info!(subscription = %loaded.subscription.id, "scheduled plan change undone");
                Banner::Notice {
                    text: tf(locale, T::UndoDone, &[("plan", &current)]),
                }
            }
            Ok(false) | Err(_) => Banner::Problem {
                text: t(locale, T::UndoFailed).to_owned(),
            },
        },
    )
}

/// A Dodo page where the subscriber enters a new card for this subscription (paying the dues
/// of an on-hold subscription); it returns to the plan-change page.
pub async fn update_payment_method_link(
    state: &AppState,
    token: &str,
) -> Result<String, PageError> {
    let loaded = load(state, Some(token)).await?;
    let outcome = state
        .dodo_client
        .update_payment_method(
            &loaded.subscription.id,
            &dodo_client::UpdatePaymentMethod::New {
                return_url: Some(format!("{}{}", state.config.public_url, page_url(token))),
            },
        )
        .await?;
    outcome.payment_link.ok_or_else(|| {
        PageError::Dodo(DodoError::Decode {
            detail: "update-payment-method answered without a payment_link".into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen() -> AgreedFacts {
        AgreedFacts {
            total_minor: 2500,
            currency: "USD".into(),
            tax_minor: 0,
            credits_minor: -1500,
            next_billing: 1_800_000_000,
        }
    }

    #[test]
    fn every_money_fact_is_compared() {
        assert_eq!(drift(&seen(), &seen()), None);
        assert_eq!(
            drift(
                &seen(),
                &AgreedFacts {
                    currency: "usd".into(),
                    ..seen()
                }
            ),
            None,
            "currency case does not matter"
        );
        let cases = [
            (
                AgreedFacts {
                    total_minor: 3000,
                    ..seen()
                },
                "total",
            ),
            (
                AgreedFacts {
                    tax_minor: 250,
                    ..seen()
                },
                "tax",
            ),
            (
                AgreedFacts {
                    credits_minor: -1000,
                    ..seen()
                },
                "credits",
            ),
            (
                AgreedFacts {
                    currency: "EUR".into(),
                    ..seen()
                },
                "currency",
            ),
            (
                AgreedFacts {
                    next_billing: 1_800_086_400,
                    ..seen()
                },
                "next",
            ),
        ];
        for (now, fact) in cases {
            let d = drift(&seen(), &now).unwrap_or_else(|| panic!("{fact} not compared"));
            let matched = matches!(
                (&d, fact),
                (
                    Drift::Total {
                        was: 2500,
                        now: 3000,
                        ..
                    },
                    "total"
                ) | (
                    Drift::Tax {
                        was: 0,
                        now: 250,
                        ..
                    },
                    "tax"
                ) | (
                    Drift::Credits {
                        was: -1500,
                        now: -1000,
                        ..
                    },
                    "credits"
                ) | (Drift::Currency { .. }, "currency")
                    | (Drift::NextBilling { .. }, "next")
            );
            assert!(matched, "{fact}: {d:?}");
        }
    }

    #[test]
    fn the_difference_is_one_line() {
        let text = drift_text(
            Locale::En,
            &Drift::Total {
                was: 2500,
                now: 3000,
                currency: "USD".into(),
            },
        );
        assert_eq!(
            text,
            "The amount due today changed from $25.00 to $30.00. Nothing was charged; check it and confirm again."
        );
        let text = drift_text(
            Locale::En,
            &Drift::NextBilling {
                was: 1_796_083_200,
                now: 1_796_169_600,
            },
        );
        assert!(
            text.starts_with("The next billing date changed from "),
            "{text}"
        );
    }
}
