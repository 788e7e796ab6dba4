//! Undoing a one-click purchase: a full refund of its payment through `POST /refunds`. Money
//! moves back, so it is an attempt like a charge — recorded first, sent once (one refund per
//! offer, whatever is clicked), and settled by the `refund.*` webhook, which carries the
//! attempt id in its metadata, or by looking the refund up.

use super::{Sent, find_since};
use crate::server::store::{Accepted, Attempt, AttemptStatus, Outcome, SettledState};
use dodo_client::{DodoClient, DodoError, Refund, RefundFilter, RefundRequest, RefundStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything the server decided about an undo. The browser supplies none of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundOrder {
    pub idempotency_key: String,
    /// The offer whose purchase is undone.
    pub offer_id: String,
    /// The charge attempt that bought it.
    pub charge_attempt_id: String,
    /// The payment refunded, in full.
    pub payment_id: String,
    pub customer_id: String,
    pub product_id: String,
    pub amount_minor: i64,
    pub currency: String,
    /// Unix millis (wall clock): the end of the undo window; not sent after it.
    pub send_before: i64,
}

/// The idempotency key of an offer's undo: one refund per offer.
pub fn key_for(offer_id: &str) -> String {
    format!("undo:{offer_id}")
}

/// The reason Dodo records with the refund.
const REASON: &str = "The customer undid a one-click purchase within the undo window.";

pub(super) async fn send(
    dodo: &DodoClient,
    order: &RefundOrder,
    attempt_id: &str,
) -> Result<Sent, DodoError> {
    let metadata = BTreeMap::from([
        ("attempt_id".to_owned(), attempt_id.to_owned()),
        ("upsell_offer_id".to_owned(), order.offer_id.clone()),
        ("source".to_owned(), "undo".to_owned()),
    ]);
    let refund = dodo
        .create_refund(&RefundRequest {
            payment_id: order.payment_id.clone(),
            reason: Some(REASON.to_owned()),
            // No items: the whole payment.
            items: Vec::new(),
            metadata,
        })
        .await?;
    let settled = match settled_state(&refund).map(|s| s.status) {
        Some(AttemptStatus::Succeeded) => Some(Outcome::Succeeded),
        Some(AttemptStatus::Failed) => Some(Outcome::Failed {
            code: "REFUND_FAILED".into(),
            message: "Dodo could not refund the payment.".into(),
            provisional: false,
        }),
        _ => None,
    };
    Ok(Sent {
        accepted: Accepted {
            session_id: None,
            // The refund's id stands where other attempts keep their payment's.
            payment_id: Some(refund.id),
            link: None,
        },
        settled,
    })
}

/// The attempt-side view of a refund (`Review`: Dodo holds it, still pending for us).
pub fn settled_state(refund: &Refund) -> Option<SettledState> {
    let status = match &refund.status {
        RefundStatus::Succeeded => AttemptStatus::Succeeded,
        RefundStatus::Failed => AttemptStatus::Failed,
        RefundStatus::Pending | RefundStatus::Review => AttemptStatus::Pending,
        RefundStatus::Other(_) => return None,
    };
    Some(SettledState {
        status,
        dodo_payment_id: refund.id.clone(),
        payment_link: None,
        error_code: (status == AttemptStatus::Failed).then(|| "REFUND_FAILED".to_owned()),
        error_message: None,
    })
}

/// The refund Dodo made for `attempt`: by its id once known, else among the customer's
/// refunds since shortly before the attempt, by the attempt id in its metadata.
pub(super) async fn find(
    dodo: &DodoClient,
    attempt: &Attempt,
) -> Result<Option<Refund>, DodoError> {
    if let Some(id) = &attempt.dodo_payment_id {
        return match dodo.refund(id).await {
            Ok(r) => Ok(Some(r)),
            Err(DodoError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        };
    }
    let refunds = dodo
        .refunds(&RefundFilter {
            customer_id: Some(attempt.customer_id.clone()),
            created_at_gte: Some(find_since(attempt)),
            ..RefundFilter::default()
        })
        .await?;
    Ok(refunds
        .into_iter()
        .find(|r| r.metadata.get("attempt_id").map(String::as_str) == Some(attempt.id.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refund(status: RefundStatus) -> Refund {
        Refund {
            id: "ref_1".into(),
            payment_id: "pay_1".into(),
            status,
            amount: Some(2900),
            currency: Some("USD".into()),
            is_partial: false,
            reason: None,
            customer_id: Some("cus_1".into()),
            metadata: BTreeMap::new(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn refund_statuses_map_onto_attempts() {
        let status = |s| settled_state(&refund(s)).map(|s| s.status);
        assert_eq!(
            status(RefundStatus::Succeeded),
            Some(AttemptStatus::Succeeded)
        );
        assert_eq!(status(RefundStatus::Failed), Some(AttemptStatus::Failed));
        assert_eq!(status(RefundStatus::Pending), Some(AttemptStatus::Pending));
        assert_eq!(status(RefundStatus::Review), Some(AttemptStatus::Pending));
        assert_eq!(status(RefundStatus::Other("new".into())), None);
        assert_eq!(key_for("off_1"), "undo:off_1");
    }
}
