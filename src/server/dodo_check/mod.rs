//! "Check against Dodo": the payments Dodo holds with our metadata for a period, next to what
//! our store recorded, and every difference (see `compare`). Reads only: nothing is changed on
//! either side; a difference is for the merchant to look into (the reconciler already settles
//! attempts whose outcome we did not hear).

pub mod compare;

use crate::server::state::AppState;
use crate::server::store::{CheckedAttempt, StoreError};
use compare::{Difference, Ours, Standing, Theirs};
use dodo_client::{DodoError, IntentStatus, PaymentFilter, RefundFilter, RefundStatus};
use std::collections::{BTreeMap, BTreeSet};
use time::OffsetDateTime;

/// What the check found for `[from, to)`.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    pub from: i64,
    pub to: i64,
    /// How many payments each side holds for the period.
    pub ours_count: usize,
    pub theirs_count: usize,
    pub differences: Vec<Difference>,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("cannot read Dodo's payments: {0}")]
    Dodo(#[from] DodoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the period is not a valid time")]
    Period,
}

/// The metadata key our charges, checkouts and plan changes carry (see `server::attempts`).
const ATTEMPT_KEY: &str = "attempt_id";

/// Compares the period `[from, to)` (unix ms). A payment at one edge whose attempt lies on
/// the other side of it is still matched: both sides include what the other names.
pub async fn check(state: &AppState, from: i64, to: i64) -> Result<CheckReport, CheckError> {
    let since = OffsetDateTime::from_unix_timestamp_nanos(i128::from(from) * 1_000_000)
        .map_err(|_| CheckError::Period)?;
    let dodo = &state.dodo_client;
    let payment_filter = PaymentFilter {
        created_at_gte: Some(since),
        ..PaymentFilter::default()
    };
    let refund_filter = RefundFilter {
        status: Some(RefundStatus::Succeeded),
        created_at_gte: Some(since),
        ..RefundFilter::default()
    };
    let (payments, refunds) =
        tokio::try_join!(dodo.payments(&payment_filter), dodo.refunds(&refund_filter))?;
    let mut refunded: BTreeMap<&str, i64> = BTreeMap::new();
    for r in &refunds {
        *refunded.entry(r.payment_id.as_str()).or_default() += r.amount.unwrap_or(0);
    }

    let mut ours = state.store.attempts_for_check(from, to).await?;
    let ours_ids: BTreeSet<String> = ours.iter().map(|a| a.attempt_id.clone()).collect();
    let in_period = |p: &dodo_client::Payment| {
        let at = (p.created_at.unix_timestamp_nanos() / 1_000_000) as i64;
        at < to
    };
    let theirs: Vec<Theirs> = payments
        .iter()
        .filter_map(|p| {
            let attempt = p.metadata.get(ATTEMPT_KEY)?;
            (in_period(p) || ours_ids.contains(attempt)).then(|| Theirs {
                payment_id: p.id.clone(),
                attempt_id: attempt.clone(),
                amount_minor: p.total_amount,
                tax_minor: p.tax.unwrap_or(0),
                currency: p.currency.clone(),
                standing: dodo_standing(p.status.as_ref()),
                refunded_minor: refunded.get(p.id.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    // Attempts recorded before the period whose payment Dodo made inside it.
    let missing: Vec<String> = theirs
        .iter()
        .map(|t| t.attempt_id.clone())
        .filter(|id| !ours_ids.contains(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    ours.extend(state.store.attempts_for_check_by_id(&missing).await?);
    let ours: Vec<Ours> = ours.into_iter().map(our_side).collect();
    let mut theirs = theirs;
    // List items carry no tax: a payment whose amount seems to differ is read in full, and
    // compared again with its tax.
    let first = compare::differences(&ours, &theirs);
    for d in &first {
        if let Difference::OtherAmount { theirs: t, .. } = d {
            let full = dodo.payment(&t.payment_id).await?;
            if let Some(entry) = theirs.iter_mut().find(|e| e.payment_id == t.payment_id) {
                entry.tax_minor = full.tax.unwrap_or(0);
            }
        }
    }
    Ok(CheckReport {
        from,
        to,
        ours_count: ours.iter().filter(|o| o.payment_id.is_some()).count(),
        theirs_count: theirs.len(),
        differences: compare::differences(&ours, &theirs),
    })
}

fn our_side(a: CheckedAttempt) -> Ours {
    Ours {
        standing: match a.status.as_str() {
            "succeeded" => Standing::Succeeded,
            "failed" | "expired" => Standing::Failed,
            _ => Standing::Open,
        },
        attempt_id: a.attempt_id,
        payment_id: a.payment_id,
        amount_minor: a.amount_minor,
        currency: a.currency,
        refunded_minor: a.refunded_minor,
    }
}

fn dodo_standing(status: Option<&IntentStatus>) -> Standing {
    match status {
        Some(IntentStatus::Succeeded) => Standing::Succeeded,
        Some(IntentStatus::Failed | IntentStatus::Cancelled) => Standing::Failed,
        _ => Standing::Open,
    }
}
