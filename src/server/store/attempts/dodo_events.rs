//! Dodo's word on an attempt (a payment's state, a plan switched), from webhooks and lookups.

use super::{AttemptKind, AttemptStatus, SettledState, fetch_one_where, sync_claim};
use crate::server::store::{StoreError, now_millis};
use sqlx::{AnyConnection, Row};

/// Applies Dodo's view of a payment to the attempt `attempt_id` (from the payment's metadata)
/// or, failing that, to the attempt that knows `payment_id`. Final states never regress except
/// a provisional failure, which Dodo's verified *final* payment replaces (one still under way
/// is remembered and watched); duplicate and out-of-order deliveries therefore converge on the
/// same row. Returns the attempt it changed.
pub async fn apply_payment_state(
    conn: &mut AnyConnection,
    attempt_id: Option<&str>,
    state: &SettledState,
) -> Result<Option<String>, StoreError> {
    let id = match attempt_id {
        Some(id) => id.to_owned(),
        None => {
            let row = sqlx::query("SELECT id FROM attempts WHERE dodo_payment_id = $1 LIMIT 1")
                .bind(&state.dodo_payment_id)
                .fetch_optional(&mut *conn)
                .await?;
            match row {
                Some(row) => row.try_get("id")?,
                None => return Ok(None),
            }
        }
    };
    let Some(current) = fetch_one_where(conn, "id = $1", &id).await? else {
        return Ok(None);
    };
    // A failed payment on a checkout page is not the end of the checkout: the customer sees
    // the error there and may pay with another card. The checkout stays open.
    let status = if current.kind == AttemptKind::Checkout && state.status == AttemptStatus::Failed {
        AttemptStatus::Pending
    } else {
        state.status
    };
    let provisional_failure = current.status == AttemptStatus::Failed && current.provisional;
    if provisional_failure && !status.is_final() {
        // Dodo holds a payment for it that is still under way: remember it and keep looking;
        // its final state decides. (Reopening could clash with an attempt started since.)
        sqlx::query(
            "UPDATE attempts SET dodo_payment_id = COALESCE(dodo_payment_id, $2), \
             next_check_at = COALESCE(next_check_at, $3) WHERE id = $1 AND status = 'failed' AND provisional = 1",
        )
        .bind(&id)
        .bind(&state.dodo_payment_id)
        .bind(now_millis() + 1000)
        .execute(&mut *conn)
        .await?;
        return Ok(None);
    }
    let may_change = !current.status.is_final() && current.status != AttemptStatus::Recorded
        || provisional_failure;
    let same = current.status == status
        && !current.provisional
        && current.dodo_payment_id.as_deref() == Some(state.dodo_payment_id.as_str())
        && (state.payment_link.is_none() || current.payment_link == state.payment_link)
        && current.error_code == state.error_code;
    if !may_change || same {
        return Ok(None);
    }
    let now = now_millis();
    let final_state = status.is_final();
    // The guard repeats `may_change` in SQL: a concurrent change since the read wins.
    let n = sqlx::query(
        "UPDATE attempts SET status = $2, provisional = 0, \
           dodo_payment_id = CASE WHEN kind = 'checkout' THEN $3 ELSE COALESCE(dodo_payment_id, $3) END, \
           payment_link = CASE WHEN kind = 'checkout' THEN payment_link ELSE COALESCE($4, payment_link) END, \
           error_code = $5, error_message = $6, updated_at = $7, answered_at = COALESCE(answered_at, $7), \
           settled_at = CASE WHEN $8 = 1 THEN COALESCE(settled_at, $7) ELSE NULL END, \
           next_check_at = CASE WHEN $8 = 1 THEN NULL \
             WHEN next_check_at IS NULL OR next_check_at > $9 THEN $9 ELSE next_check_at END \
         WHERE id = $1 AND (status IN ('sending', 'pending', 'unknown', 'requires_action') \
           OR (status = 'failed' AND provisional = 1))",
    )
    .bind(&id)
    .bind(status.as_str())
    .bind(&state.dodo_payment_id)
    .bind(&state.payment_link)
    .bind(&state.error_code)
    .bind(&state.error_message)
    .bind(now)
    .bind(i64::from(final_state))
    // An attempt still open is looked at again within a second: Dodo's word that it moved
    // (say, a webhook that overtook the send's own answer while the attempt was `sending`,
    // whose check waits for a stale send) means the next step may come without a webhook
    // (3-D Secure asks for the customer without one).
    .bind(now + 1000)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Ok(None);
    }
    sync_claim(conn, &id).await?;
    Ok(Some(id))
}

/// `subscription.plan_changed`: the subscription now is on `product_id` × `quantity`; the
/// plan change in flight that asked for exactly that succeeded. Returns the attempt changed.
pub async fn apply_plan_changed(
    conn: &mut AnyConnection,
    subscription_id: &str,
    product_id: &str,
    quantity: i64,
) -> Result<Option<String>, StoreError> {
    let now = now_millis();
    let row = sqlx::query(
        "SELECT id FROM attempts WHERE kind = 'plan_change' AND subscription_id = $1 AND product_id = $2 \
         AND quantity = $3 AND (status IN ('sending', 'pending', 'unknown', 'requires_action') \
           OR (status = 'failed' AND provisional = 1)) \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(subscription_id)
    .bind(product_id)
    .bind(quantity)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id: String = row.try_get("id")?;
    sqlx::query(
        "UPDATE attempts SET status = 'succeeded', provisional = 0, updated_at = $2, \
         settled_at = COALESCE(settled_at, $2), next_check_at = NULL WHERE id = $1",
    )
    .bind(&id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Some(id))
}
