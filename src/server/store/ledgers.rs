//! The analytics ledgers (migration 0006): Dodo's verified word that a payment succeeded or a
//! refund went through, kept once per Dodo object. Written only from verified webhooks, inside
//! the transaction that stores the webhook, so "confirmed by Dodo" means exactly that — never
//! a success we inferred or read back ourselves.

use super::StoreError;
use sqlx::{AnyConnection, Row};

/// A verified `payment.succeeded`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfirmedPayment<'a> {
    pub payment_id: &'a str,
    /// The attempt id from the payment's metadata (ours carry one).
    pub attempt_id: Option<&'a str>,
    /// The offer id from the payment's metadata, when it names one without an attempt.
    pub offer_id: Option<&'a str>,
    pub amount_minor: i64,
    pub currency: &'a str,
    /// The webhook's timestamp, unix ms.
    pub at: i64,
}

/// A verified `refund.succeeded`; `amount_minor` / `currency` `None` when Dodo did not say.
#[derive(Clone, Debug, PartialEq)]
pub struct SeenRefund<'a> {
    pub refund_id: &'a str,
    pub payment_id: &'a str,
    pub amount_minor: Option<i64>,
    pub currency: Option<&'a str>,
    pub is_partial: bool,
    pub at: i64,
}

/// Records a confirmed payment once (`false`: known already). The attempt is the one the
/// metadata names if we have it, else the one that knows the payment id; the offer is that
/// attempt's, else the metadata's.
pub async fn record_confirmed_payment(
    conn: &mut AnyConnection,
    p: &ConfirmedPayment<'_>,
) -> Result<bool, StoreError> {
    let attempt = sqlx::query(
        "SELECT id, offer_id FROM attempts WHERE id = $1 OR dodo_payment_id = $2 \
         ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END LIMIT 1",
    )
    .bind(p.attempt_id.unwrap_or(""))
    .bind(p.payment_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (attempt_id, offer_id) = match attempt {
        Some(row) => (
            Some(row.try_get::<String, _>("id")?),
            row.try_get::<Option<String>, _>("offer_id")?,
        ),
        None => (None, None),
    };
    let offer_id = offer_id.or_else(|| p.offer_id.map(str::to_owned));
    let n = sqlx::query(
        "INSERT INTO confirmed_payments (payment_id, attempt_id, offer_id, amount_minor, currency, confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (payment_id) DO NOTHING",
    )
    .bind(p.payment_id)
    .bind(attempt_id)
    .bind(offer_id)
    .bind(p.amount_minor)
    .bind(p.currency)
    .bind(p.at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records a succeeded refund once (`false`: known already, or nothing to count). When Dodo
/// gave no amount, a full refund is the confirmed payment's amount; a partial one without an
/// amount cannot be counted and is skipped (logged by the caller).
pub async fn record_refund_seen(
    conn: &mut AnyConnection,
    r: &SeenRefund<'_>,
) -> Result<bool, StoreError> {
    let paid =
        sqlx::query("SELECT amount_minor, currency FROM confirmed_payments WHERE payment_id = $1")
            .bind(r.payment_id)
            .fetch_optional(&mut *conn)
            .await?;
    let paid = match paid {
        Some(row) => Some((
            row.try_get::<i64, _>("amount_minor")?,
            row.try_get::<String, _>("currency")?,
        )),
        None => None,
    };
    let amount = match (r.amount_minor, &paid) {
        (Some(a), _) => a,
        (None, Some((a, _))) if !r.is_partial => *a,
        _ => return Ok(false),
    };
    let currency = match (r.currency, &paid) {
        (Some(c), _) => c.to_owned(),
        (None, Some((_, c))) => c.clone(),
        (None, None) => return Ok(false),
    };
    let n = sqlx::query(
        "INSERT INTO refunds_seen (refund_id, payment_id, amount_minor, currency, succeeded_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (refund_id) DO NOTHING",
    )
    .bind(r.refund_id)
    .bind(r.payment_id)
    .bind(amount)
    .bind(currency)
    .bind(r.at)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}
