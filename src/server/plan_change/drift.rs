//! The consent check of a confirm: the customer agreed to every money fact of the preview
//! they were shown; Dodo's fresh preview must show the same ones, or nothing is sent.

use crate::types::plan_change::AgreedFacts;

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
    // An amount that moved, as `fact`, in the (shared) currency of the fresh preview.
    let amount = |was: i64, is: i64, fact: fn(i64, i64, String) -> Drift| {
        (was != is).then(|| fact(was, is, now.currency.clone()))
    };
    amount(agreed.total_minor, now.total_minor, |was, now, currency| {
        Drift::Total { was, now, currency }
    })
    .or_else(|| {
        amount(agreed.tax_minor, now.tax_minor, |was, now, currency| {
            Drift::Tax { was, now, currency }
        })
    })
    .or_else(|| {
        amount(
            agreed.credits_minor,
            now.credits_minor,
            |was, now, currency| Drift::Credits { was, now, currency },
        )
    })
    .or_else(|| {
        (agreed.next_billing != now.next_billing).then_some(Drift::NextBilling {
            was: agreed.next_billing,
            now: now.next_billing,
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
}
