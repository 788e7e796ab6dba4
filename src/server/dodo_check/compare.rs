//! The comparison behind "check against Dodo": our store's money-moving attempts of a period
//! next to the payments Dodo holds with our metadata, and every way they disagree. Pure, so
//! each kind of difference is tested without a Dodo.

use std::collections::BTreeMap;

/// Where a payment stands, on either side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Succeeded,
    Failed,
    /// Not settled yet (sent, processing, awaiting 3-D Secure, unknown).
    Open,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Succeeded => "succeeded",
            Standing::Failed => "failed",
            Standing::Open => "not settled",
        }
    }
}

/// A payment as our store records it: the attempt that asked for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Ours {
    pub attempt_id: String,
    pub payment_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub standing: Standing,
    /// What the store knows was refunded of it (Dodo's refund webhooks).
    pub refunded_minor: i64,
}

/// A payment as Dodo holds it, found by the attempt id in its metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct Theirs {
    pub payment_id: String,
    pub attempt_id: String,
    /// The payment's total, tax included.
    pub amount_minor: i64,
    /// The tax in it (0 when Dodo says none).
    pub tax_minor: i64,
    pub currency: String,
    pub standing: Standing,
    /// The succeeded refunds Dodo lists for it.
    pub refunded_minor: i64,
}

/// One way the two sides disagree.
#[derive(Clone, Debug, PartialEq)]
pub enum Difference {
    /// Dodo has a payment with our metadata that the store does not know (made behind our
    /// back, or by an attempt whose record was lost).
    OnlyAtDodo(Theirs),
    /// The store holds a succeeded payment Dodo does not list.
    OnlyHere(Ours),
    /// Both know it; the amounts (or currencies) differ.
    OtherAmount { ours: Ours, theirs: Theirs },
    /// Both know it; one side has it succeeded, failed or not settled, the other not.
    OtherStatus { ours: Ours, theirs: Theirs },
    /// Dodo refunded more (or less) of it than the store knows: a refund webhook we missed.
    OtherRefunds { ours: Ours, theirs: Theirs },
}

impl Difference {
    /// The payment (or attempt) the difference is about, for sorting and display.
    pub fn key(&self) -> &str {
        match self {
            Difference::OnlyAtDodo(t) => &t.payment_id,
            Difference::OnlyHere(o) => o.payment_id.as_deref().unwrap_or(&o.attempt_id),
            Difference::OtherAmount { theirs, .. }
            | Difference::OtherStatus { theirs, .. }
            | Difference::OtherRefunds { theirs, .. } => &theirs.payment_id,
        }
    }
}

/// Whether the amounts agree: our attempt holds what the customer agreed to on our page, which
/// is Dodo's total with or without the tax (whether the price includes tax is the product's
/// setting at Dodo, and a plan change's preview already names the total).
fn same_amount(o: &Ours, t: &Theirs) -> bool {
    o.currency.eq_ignore_ascii_case(&t.currency)
        && (o.amount_minor == t.amount_minor || o.amount_minor == t.amount_minor - t.tax_minor)
}

/// Every difference between `ours` and `theirs`, ordered by payment id. Attempts that never
/// reached Dodo (failed before a payment existed) are not differences.
pub fn differences(ours: &[Ours], theirs: &[Theirs]) -> Vec<Difference> {
    let by_attempt: BTreeMap<&str, &Ours> =
        ours.iter().map(|o| (o.attempt_id.as_str(), o)).collect();
    let mut found = Vec::new();
    let mut matched = std::collections::BTreeSet::new();
    for t in theirs {
        let Some(o) = by_attempt.get(t.attempt_id.as_str()) else {
            found.push(Difference::OnlyAtDodo(t.clone()));
            continue;
        };
        matched.insert(o.attempt_id.as_str());
        let (o, t) = ((*o).clone(), t.clone());
        if o.payment_id.as_deref().is_some_and(|p| p != t.payment_id) {
            // The attempt is tied to another payment: this one is a second payment for it.
            found.push(Difference::OnlyAtDodo(t));
        } else if o.standing != t.standing {
            found.push(Difference::OtherStatus { ours: o, theirs: t });
        } else if !same_amount(&o, &t) {
            found.push(Difference::OtherAmount { ours: o, theirs: t });
        } else if o.refunded_minor != t.refunded_minor {
            found.push(Difference::OtherRefunds { ours: o, theirs: t });
        }
    }
    for o in ours {
        if !matched.contains(o.attempt_id.as_str()) && o.standing == Standing::Succeeded {
            found.push(Difference::OnlyHere(o.clone()));
        }
    }
    found.sort_by(|a, b| a.key().cmp(b.key()));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(attempt: &str, payment: &str, amount: i64) -> Ours {
        Ours {
            attempt_id: attempt.into(),
            payment_id: Some(payment.into()),
            amount_minor: amount,
            currency: "USD".into(),
            standing: Standing::Succeeded,
            refunded_minor: 0,
        }
    }

    fn theirs(attempt: &str, payment: &str, amount: i64) -> Theirs {
        Theirs {
            payment_id: payment.into(),
            attempt_id: attempt.into(),
            amount_minor: amount,
            tax_minor: 0,
            currency: "USD".into(),
            standing: Standing::Succeeded,
            refunded_minor: 0,
        }
    }

    #[test]
    fn a_total_with_tax_on_top_is_the_same_amount() {
        let o = [ours("att_1", "pay_1", 2900)];
        let mut taxed = theirs("att_1", "pay_1", 3190);
        taxed.tax_minor = 290;
        assert_eq!(differences(&o, &[taxed.clone()]), []);
        taxed.tax_minor = 100;
        assert_eq!(differences(&o, &[taxed]).len(), 1);
    }

    #[test]
    fn the_same_payments_have_no_difference() {
        let o = [ours("att_1", "pay_1", 2900), ours("att_2", "pay_2", 900)];
        let t = [
            theirs("att_2", "pay_2", 900),
            theirs("att_1", "pay_1", 2900),
        ];
        assert_eq!(differences(&o, &t), []);
    }

    #[test]
    fn a_payment_made_behind_our_back_is_only_at_dodo() {
        let t = [theirs("att_x", "pay_x", 500)];
        assert_eq!(differences(&[], &t), [Difference::OnlyAtDodo(t[0].clone())]);
    }

    #[test]
    fn a_second_payment_for_one_attempt_is_only_at_dodo() {
        let o = [ours("att_1", "pay_1", 2900)];
        let t = [
            theirs("att_1", "pay_1", 2900),
            theirs("att_1", "pay_2", 2900),
        ];
        assert_eq!(differences(&o, &t), [Difference::OnlyAtDodo(t[1].clone())]);
    }

    #[test]
    fn a_succeeded_payment_dodo_does_not_list_is_only_here_but_a_failed_attempt_is_not() {
        let mut failed = ours("att_2", "pay_2", 900);
        failed.standing = Standing::Failed;
        let o = [ours("att_1", "pay_1", 2900), failed];
        assert_eq!(differences(&o, &[]), [Difference::OnlyHere(o[0].clone())]);
    }

    #[test]
    fn other_amount_currency_status_and_refunds_are_told_apart() {
        let o = [
            ours("att_a", "pay_a", 2900),
            ours("att_b", "pay_b", 2900),
            ours("att_c", "pay_c", 2900),
            ours("att_d", "pay_d", 2900),
        ];
        let mut in_eur = theirs("att_b", "pay_b", 2900);
        in_eur.currency = "EUR".into();
        let mut failed = theirs("att_c", "pay_c", 2900);
        failed.standing = Standing::Failed;
        let mut refunded = theirs("att_d", "pay_d", 2900);
        refunded.refunded_minor = 2900;
        let t = [theirs("att_a", "pay_a", 2500), in_eur, failed, refunded];
        let found = differences(&o, &t);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            matches!(&found[0], Difference::OtherAmount { theirs, .. } if theirs.amount_minor == 2500)
        );
        assert!(
            matches!(&found[1], Difference::OtherAmount { theirs, .. } if theirs.currency == "EUR")
        );
        assert!(
            matches!(&found[2], Difference::OtherStatus { theirs, .. } if theirs.standing == Standing::Failed)
        );
        assert!(
            matches!(&found[3], Difference::OtherRefunds { theirs, .. } if theirs.refunded_minor == 2900)
        );
    }
}
