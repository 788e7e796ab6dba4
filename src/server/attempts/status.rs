//! How a Dodo payment's status maps onto an attempt.

use super::super::store::{AttemptStatus, SettledState};
use dodo_client::{IntentStatus, Payment};

/// `None` for statuses that say nothing new (e.g. `requires_payment_method` on a checkout
/// nobody has paid yet).
pub fn attempt_status(status: &IntentStatus) -> Option<AttemptStatus> {
    Some(match status {
        IntentStatus::Succeeded => AttemptStatus::Succeeded,
        IntentStatus::Failed | IntentStatus::Cancelled => AttemptStatus::Failed,
        IntentStatus::Processing => AttemptStatus::Pending,
        IntentStatus::RequiresCustomerAction => AttemptStatus::RequiresAction,
        _ => return None,
    })
}

/// The attempt-side view of `payment`, if its status says anything.
pub fn settled_state(payment: &Payment) -> Option<SettledState> {
    let status = payment.status.as_ref().and_then(attempt_status)?;
    Some(SettledState {
        status,
        dodo_payment_id: payment.id.clone(),
        payment_link: payment.payment_link.clone(),
        error_code: payment.error_code.clone(),
        error_message: payment.error_message.clone(),
    })
}

/// The attempt id we put into the metadata of every payment we start.
pub fn attempt_id_of(payment: &Payment) -> Option<&str> {
    payment.metadata.get("attempt_id").map(String::as_str)
}
