//! What the plan-change pages' addresses carry beyond [`crate::routes`]: the outcome of the
//! last action (`notice=`), the plan to preselect, why a confirm sent nothing (`problem=`).
//! The server functions write these and the pages read them, both through this module, so
//! writer and reader cannot disagree. (Private to the plan-change pages; `crate::routes`
//! builds the addresses themselves.)

use crate::routes;
use crate::server::plan_change::Drift;

/// What the plans page reports on top after an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlansNotice {
    /// The scheduled change was undone.
    Undone,
    UndoFailed,
    /// Dodo's page for a new card could not be opened.
    CardFailed,
}

impl PlansNotice {
    fn as_str(self) -> &'static str {
        match self {
            PlansNotice::Undone => "undone",
            PlansNotice::UndoFailed => "undo_failed",
            PlansNotice::CardFailed => "card_failed",
        }
    }

    pub fn parse(value: &str) -> Option<PlansNotice> {
        [
            PlansNotice::Undone,
            PlansNotice::UndoFailed,
            PlansNotice::CardFailed,
        ]
        .into_iter()
        .find(|n| n.as_str() == value)
    }
}

/// The plans page, reporting `notice`.
pub fn plans_with_notice(token: &str, notice: PlansNotice) -> String {
    format!("{}&notice={}", routes::plan_change(token), notice.as_str())
}

/// The plans page with `plan` preselected (back from the review page).
pub fn plans_with_choice(token: &str, plan: &str) -> String {
    format!("{}&plan={plan}", routes::plan_change(token))
}

const IN_FLIGHT: &str = "in_flight";

/// The status page of the change already in flight, saying that a new confirm sent nothing.
pub fn status_in_flight(token: &str, attempt_id: &str) -> String {
    format!(
        "{}&notice={IN_FLIGHT}",
        routes::plan_change_status(token, attempt_id)
    )
}

/// Whether the status page's `notice` is the one [`status_in_flight`] writes.
pub fn is_in_flight(notice: Option<&str>) -> bool {
    notice == Some(IN_FLIGHT)
}

/// The review page going straight to the confirm form (the downsell declined).
pub fn review_without_downsell(token: &str, plan: &str, quantity: i64) -> String {
    format!(
        "{}&downsell=no",
        routes::plan_change_review(token, plan, quantity)
    )
}

/// Whether the review page's `downsell` says it was declined.
pub fn downsell_declined(downsell: Option<&str>) -> bool {
    downsell == Some("no")
}

/// Which money fact a refused confirm found moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MovedFact {
    Total,
    Tax,
    Credits,
    Currency,
    NextBilling,
}

impl MovedFact {
    const ALL: [MovedFact; 5] = [
        MovedFact::Total,
        MovedFact::Tax,
        MovedFact::Credits,
        MovedFact::Currency,
        MovedFact::NextBilling,
    ];

    fn as_str(self) -> &'static str {
        match self {
            MovedFact::Total => "total",
            MovedFact::Tax => "tax",
            MovedFact::Credits => "credits",
            MovedFact::Currency => "currency",
            MovedFact::NextBilling => "next_billing",
        }
    }
}

/// Why the review page is shown again after a confirm that sent nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewProblem {
    /// Dodo's fresh preview differs in `fact`, which the customer saw as `was` (minor units,
    /// or unix seconds for the next billing date; `None` for the currency).
    Moved { fact: MovedFact, was: Option<i64> },
    /// The price changed (an address of earlier versions).
    PriceChanged,
    /// Anything else: nothing was sent.
    NotSent,
}

impl ReviewProblem {
    pub fn moved(drift: &Drift) -> ReviewProblem {
        let (fact, was) = match drift {
            Drift::Total { was, .. } => (MovedFact::Total, Some(*was)),
            Drift::Tax { was, .. } => (MovedFact::Tax, Some(*was)),
            Drift::Credits { was, .. } => (MovedFact::Credits, Some(*was)),
            Drift::Currency { .. } => (MovedFact::Currency, None),
            Drift::NextBilling { was, .. } => (MovedFact::NextBilling, Some(*was)),
        };
        ReviewProblem::Moved { fact, was }
    }

    /// Reads the review page's `problem`, `fact` and `was`.
    pub fn parse(problem: &str, fact: Option<&str>, was: Option<&str>) -> ReviewProblem {
        match problem {
            "drift" => match MovedFact::ALL
                .into_iter()
                .find(|f| Some(f.as_str()) == fact)
            {
                Some(fact) => ReviewProblem::Moved {
                    fact,
                    was: was.and_then(|w| w.parse().ok()),
                },
                // An unknown fact still says the price moved.
                None => ReviewProblem::PriceChanged,
            },
            "price_changed" => ReviewProblem::PriceChanged,
            _ => ReviewProblem::NotSent,
        }
    }

    fn query(self) -> String {
        match self {
            ReviewProblem::Moved { fact, was } => format!(
                "drift&fact={}&was={}",
                fact.as_str(),
                was.map(|w| w.to_string()).unwrap_or_default()
            ),
            ReviewProblem::PriceChanged => "price_changed".to_owned(),
            ReviewProblem::NotSent => "not_sent".to_owned(),
        }
    }
}

/// The review page of `plan` × `quantity` at the timing `when` (a trial's `trial_end` or
/// `now`; empty: as configured).
pub fn review_with_timing(token: &str, plan: &str, quantity: i64, when: &str) -> String {
    let review = routes::plan_change_review(token, plan, quantity);
    if when.is_empty() {
        review
    } else {
        format!("{review}&when={when}")
    }
}

/// The review page of `plan` × `quantity` at `when`, saying why the confirm sent nothing.
pub fn review_with_problem(
    token: &str,
    plan: &str,
    quantity: i64,
    when: &str,
    problem: ReviewProblem,
) -> String {
    format!(
        "{}&problem={}",
        review_with_timing(token, plan, quantity, when),
        problem.query()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        for notice in [
            PlansNotice::Undone,
            PlansNotice::UndoFailed,
            PlansNotice::CardFailed,
        ] {
            let url = plans_with_notice("t", notice);
            let value = url.rsplit("notice=").next().unwrap_or_default();
            assert_eq!(PlansNotice::parse(value), Some(notice), "{url}");
        }
        assert_eq!(
            plans_with_notice("t", PlansNotice::Undone),
            "/plan-change?token=t&notice=undone"
        );
        let drift = Drift::Total {
            was: 2500,
            now: 3000,
            currency: "USD".into(),
        };
        let url = review_with_problem("t", "pdt_pro", 1, "", ReviewProblem::moved(&drift));
        assert_eq!(
            review_with_timing("t", "pdt_pro", 1, "now"),
            "/plan-change/review?token=t&plan=pdt_pro&quantity=1&when=now"
        );
        assert_eq!(
            url,
            "/plan-change/review?token=t&plan=pdt_pro&quantity=1&problem=drift&fact=total&was=2500"
        );
        assert_eq!(
            ReviewProblem::parse("drift", Some("total"), Some("2500")),
            ReviewProblem::moved(&drift)
        );
        assert_eq!(
            ReviewProblem::parse("drift", Some("currency"), Some("")),
            ReviewProblem::Moved {
                fact: MovedFact::Currency,
                was: None
            }
        );
        assert_eq!(
            ReviewProblem::parse("not_sent", None, None),
            ReviewProblem::NotSent
        );
        assert!(is_in_flight(Some(
            status_in_flight("t", "pca_1")
                .rsplit("notice=")
                .next()
                .unwrap_or_default()
        )));
    }
}
