//! When a switch takes effect. Usually the family's settings for its direction decide; two
//! cases override them, so that nothing the customer did not ask for happens to their money:
//!
//! - **In a trial** the customer chooses: at the trial's end (nothing charged now, the trial
//!   runs its course) or now (Dodo ends the trial and charges). Without a choice, the trial's
//!   end — a switch never ends a trial unasked.
//! - **To a free plan** the switch waits for the next billing date: the subscriber keeps what
//!   they paid for until then, and no immediate refund or credit is made.

use super::EffectiveAt;
use super::family::Plan;
use dodo_client::Subscription;

/// When the customer asked the switch to happen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Timing {
    /// As the family's settings for the direction say (outside a trial).
    #[default]
    AsConfigured,
    /// At the end of the subscription's trial.
    TrialEnd,
    /// Now, ending the trial.
    Now,
}

impl Timing {
    /// From a form or address value; anything else is [`Timing::AsConfigured`].
    pub fn parse(value: Option<&str>) -> Timing {
        match value.map(str::trim) {
            Some("trial_end") => Timing::TrialEnd,
            Some("now") => Timing::Now,
            _ => Timing::AsConfigured,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Timing::AsConfigured => "",
            Timing::TrialEnd => "trial_end",
            Timing::Now => "now",
        }
    }

    /// The timing that applies to `sub`: outside a trial only the settings decide; in one, the
    /// customer's choice, its end by default.
    pub fn for_subscription(self, sub: &Subscription) -> Timing {
        match (sub.trial_ends_at(), self) {
            (None, _) => Timing::AsConfigured,
            (Some(_), Timing::Now) => Timing::Now,
            (Some(_), _) => Timing::TrialEnd,
        }
    }

    /// The other choice of a trial.
    pub fn other(self) -> Option<Timing> {
        match self {
            Timing::TrialEnd => Some(Timing::Now),
            Timing::Now => Some(Timing::TrialEnd),
            Timing::AsConfigured => None,
        }
    }
}

/// When Dodo is asked to apply a switch to `target` from `current_amount` (the current plan's
/// price), given the family's `configured` setting and the timing (already resolved with
/// [`Timing::for_subscription`]).
pub fn effective_at(
    configured: EffectiveAt,
    timing: Timing,
    current_amount: i64,
    target: &Plan,
) -> EffectiveAt {
    if target.amount == 0 && current_amount > 0 {
        return EffectiveAt::NextBillingDate;
    }
    match timing {
        Timing::AsConfigured => configured,
        Timing::TrialEnd => EffectiveAt::NextBillingDate,
        Timing::Now => EffectiveAt::Immediately,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::plan_change::family::tests::product;
    use dodo_client::Interval;

    fn plan(id: &str, amount: i64, interval: Interval) -> Plan {
        Plan {
            product: product(id, amount, interval.clone(), None),
            amount,
            currency: "USD".into(),
            interval,
            interval_count: 1,
            tier: None,
        }
    }

    #[test]
    fn a_free_plan_waits_for_the_billing_date_and_a_trial_for_its_end_unless_now() {
        let pro = plan("Pro", 8000, Interval::Month);
        let free = plan("Free", 0, Interval::Month);
        use EffectiveAt::{Immediately, NextBillingDate};
        assert_eq!(
            effective_at(Immediately, Timing::AsConfigured, 3000, &pro),
            Immediately
        );
        assert_eq!(
            effective_at(Immediately, Timing::AsConfigured, 3000, &free),
            NextBillingDate
        );
        assert_eq!(
            effective_at(Immediately, Timing::Now, 3000, &free),
            NextBillingDate
        );
        assert_eq!(
            effective_at(Immediately, Timing::TrialEnd, 3000, &pro),
            NextBillingDate
        );
        assert_eq!(
            effective_at(NextBillingDate, Timing::Now, 3000, &pro),
            Immediately
        );
        // From free to free: nothing to keep, the settings decide.
        assert_eq!(
            effective_at(Immediately, Timing::AsConfigured, 0, &free),
            Immediately
        );
    }

    #[test]
    fn values_round_trip_and_anything_else_is_as_configured() {
        for t in [Timing::TrialEnd, Timing::Now] {
            assert_eq!(Timing::parse(Some(t.as_str())), t);
        }
        assert_eq!(Timing::parse(Some("later")), Timing::AsConfigured);
        assert_eq!(Timing::parse(None), Timing::AsConfigured);
    }
}
