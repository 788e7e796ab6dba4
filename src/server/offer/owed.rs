//! No pitch while the customer owes money: a subscription on hold (a renewal or plan-change
//! charge failed; `DodoReads::customer` finds it) turns every offer and cross-sell into a
//! notice with a way to fix the payment.

use super::super::state::AppState;
use dodo_client::{DodoError, SubscriptionSummary, UpdatePaymentMethod};

/// What the notice calls the subscription.
pub fn plan_name(subscription: &SubscriptionSummary) -> String {
    subscription
        .product_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| subscription.product_id.clone())
}

/// Dodo's page for a new payment method on `subscription` (paying it also pays what is owed),
/// coming back to `return_url`. Nothing is charged by asking for the page.
pub async fn fix_payment_link(
    state: &AppState,
    subscription: &SubscriptionSummary,
    return_url: &str,
) -> Result<Option<String>, DodoError> {
    Ok(state
        .dodo_client
        .update_payment_method(
            &subscription.id,
            &UpdatePaymentMethod::New {
                return_url: Some(return_url.to_owned()),
            },
        )
        .await?
        .payment_link)
}
