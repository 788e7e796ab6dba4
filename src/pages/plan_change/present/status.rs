//! The status page of a confirmed change, worded: a title and a few sentences per outcome.

use super::{credit_covers, date, money};
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t, tf};
use crate::server::plan_change::{Outcome, StatusFacts};
use crate::types::plan_change::StatusView;

pub fn status(locale: Locale, facts: &StatusFacts, token: &str) -> StatusView {
    let text = |key: T| t(locale, key).to_owned();
    let (title, body) = match &facts.outcome {
        Outcome::Processing => (text(T::ProcessingTitle), vec![text(T::ProcessingBody)]),
        Outcome::Succeeded {
            current,
            next_bill,
            credit,
        } => (
            tf(locale, T::SuccessTitle, &[("plan", &current.name)]),
            // With credit, the next bill is not what the card pays: say what the credit covers.
            vec![match credit {
                Some(c) => credit_covers(locale, c),
                None => tf(
                    locale,
                    T::SuccessNextBill,
                    &[
                        ("amount", &money(locale, &next_bill.amount)),
                        ("date", &date(locale, next_bill.on)),
                    ],
                ),
            }],
        ),
        Outcome::Scheduled { target, on } => (
            tf(
                locale,
                T::ScheduledTitle,
                &[("plan", &target.name), ("date", &date(locale, *on))],
            ),
            vec![text(T::ScheduledBody)],
        ),
        Outcome::Undone { current } => (
            text(T::UndoneTitle),
            vec![tf(locale, T::UndoneBody, &[("plan", &current.name)])],
        ),
        Outcome::Declined { current } => (
            text(T::DeclinedTitle),
            vec![tf(locale, T::DeclinedBody, &[("plan", &current.name)])],
        ),
        Outcome::OnHold { current } => (
            text(T::OnHoldTitle),
            vec![tf(locale, T::OnHoldBody, &[("plan", &current.name)])],
        ),
        Outcome::PendingExists { payment_in_flight } => (
            text(T::PendingExistsTitle),
            std::iter::once(text(T::PendingExistsBody))
                .chain(payment_in_flight.iter().map(|amount| {
                    tf(
                        locale,
                        T::PendingPayment,
                        &[("amount", &money(locale, amount))],
                    )
                }))
                .collect(),
        ),
        Outcome::RequiresAction { .. } => (text(T::ActionTitle), vec![text(T::ActionBody)]),
        Outcome::Failed => (text(T::FailedTitle), vec![text(T::FailedBody)]),
    };
    StatusView {
        kind: facts.outcome.kind(),
        title,
        body,
        token: token.to_owned(),
        attempt_id: facts.attempt_id.clone(),
        action_link: match &facts.outcome {
            Outcome::RequiresAction { payment_link } => payment_link.clone(),
            _ => None,
        },
        self_url: crate::routes::plan_change_status(token, &facts.attempt_id),
        back_url: crate::routes::plan_change(token),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{DEC_15, bill, plan_ref, usd};
    use super::*;
    use crate::types::plan_change::StatusKind;

    fn view(outcome: Outcome) -> StatusView {
        status(
            Locale::En,
            &StatusFacts {
                attempt_id: "pca_1".into(),
                outcome,
            },
            "tok",
        )
    }

    #[test]
    fn each_outcome_has_its_title_and_words() {
        let succeeded = view(Outcome::Succeeded {
            current: plan_ref("Pro"),
            next_bill: bill(8000),
            credit: None,
        });
        assert_eq!(succeeded.kind, StatusKind::Succeeded);
        assert_eq!(succeeded.title, "You are now on Pro");
        assert_eq!(
            succeeded.body,
            ["Your next bill is $80.00 on 15 December 2026."]
        );
        let scheduled = view(Outcome::Scheduled {
            target: plan_ref("Starter"),
            on: DEC_15,
        });
        assert_eq!(
            scheduled.title,
            "Your plan changes to Starter on 15 December 2026"
        );
        let undone = view(Outcome::Undone {
            current: plan_ref("Basic"),
        });
        assert_eq!(undone.body, ["You stay on Basic. Nothing was charged."]);
        let declined = view(Outcome::Declined {
            current: plan_ref("Basic"),
        });
        assert_eq!(declined.title, "Your payment did not go through");
        assert!(
            declined.body[0].contains("you are still on Basic"),
            "{:?}",
            declined.body
        );
        let on_hold = view(Outcome::OnHold {
            current: plan_ref("Pro"),
        });
        assert_eq!(on_hold.title, "Your subscription is on hold");
        assert!(on_hold.body[0].starts_with("Your plan changed to Pro, but the payment failed"));
        assert_eq!(view(Outcome::Failed).title, "We could not change your plan");
        assert_eq!(view(Outcome::Processing).title, "Changing your plan…");
    }

    #[test]
    fn a_downgrade_that_left_credit_says_what_it_covers() {
        use crate::server::plan_change::CreditTimeline;
        use time::macros::datetime;
        let down = view(Outcome::Succeeded {
            current: plan_ref("Starter"),
            next_bill: bill(2000),
            credit: Some(CreditTimeline {
                credit: usd(6000),
                renewal: usd(2000),
                covered: 3,
                pay_again_on: datetime!(2027-03-15 00:00 UTC),
                pay_again: usd(2000),
            }),
        });
        assert_eq!(
            down.body,
            [
                "$60.00 credit: your next 3 renewals of $20.00 are covered; you pay again on 15 March 2027."
            ]
        );
    }

    #[test]
    fn a_change_refused_for_another_in_flight_names_its_payment() {
        let pending = view(Outcome::PendingExists {
            payment_in_flight: Some(usd(2500)),
        });
        assert_eq!(pending.kind, StatusKind::PendingExists);
        assert_eq!(pending.title, "A plan change is already in progress");
        assert_eq!(
            pending.body,
            [
                "An earlier change is still waiting for its payment. Once it completes, you can change your plan again.",
                "Payment being processed: $25.00."
            ]
        );
        let unknown = view(Outcome::PendingExists {
            payment_in_flight: None,
        });
        assert_eq!(unknown.body.len(), 1);
    }

    #[test]
    fn only_a_payment_to_confirm_carries_its_link_and_every_page_links_back() {
        let action = view(Outcome::RequiresAction {
            payment_link: Some("https://pay.example/3ds".into()),
        });
        assert_eq!(action.kind, StatusKind::RequiresAction);
        assert_eq!(
            action.action_link.as_deref(),
            Some("https://pay.example/3ds")
        );
        assert_eq!(
            action.self_url,
            "/plan-change/status?token=tok&attempt=pca_1"
        );
        assert_eq!(action.back_url, "/plan-change?token=tok");
        assert_eq!(view(Outcome::Failed).action_link, None);
    }
}
