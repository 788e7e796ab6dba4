//! Attempts: the one record of every call that can move money, written before Dodo is called.
//!
//! Life cycle (the engine in `server::attempts` drives it; the SQL here enforces it):
//! `recorded` (row written, Dodo not called) → `sending` (exactly one caller claimed it) →
//! `pending` / `requires_action` (Dodo accepted; the payment settles later) or `unknown` (the
//! answer was lost) → `succeeded` | `failed` | `expired` (never sent, too late now).
//!
//! Final states never regress, with one exception: a failure we only *inferred* (Dodo answered
//! 4xx without a payment, or nothing turned up when we looked) is `provisional`, and Dodo's
//! verified payment carrying the attempt's id replaces it — whatever it says.
//!
//! Recording an attempt, the customer's decision on the offer and the product claim happen in
//! one transaction ([`Store::record_attempt`]), so no interleaving of tabs, requests or server
//! instances gets past them; every status change keeps the claim in step in the same
//! transaction ([`sync_claim`]).

use super::offers::Decision;
use super::{Store, StoreError, new_id, now_millis};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// What kind of call an attempt makes at Dodo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptKind {
    /// A one-click charge of a saved method (upsell, downsell, cross-sell).
    Charge,
    /// The hosted checkout offered when one click is not possible or failed.
    Checkout,
    /// A subscription plan change.
    PlanChange,
}

impl AttemptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::Charge => "charge",
            AttemptKind::Checkout => "checkout",
            AttemptKind::PlanChange => "plan_change",
        }
    }

    fn parse(s: &str) -> Result<AttemptKind, sqlx::Error> {
        Ok(match s {
            "charge" => AttemptKind::Charge,
            "checkout" => AttemptKind::Checkout,
            "plan_change" => AttemptKind::PlanChange,
            other => {
                return Err(sqlx::Error::Decode(
                    format!("unknown attempt kind `{other}`").into(),
                ));
            }
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AttemptStatus {
    Recorded,
    Sending,
    Pending,
    Succeeded,
    Failed,
    RequiresAction,
    Unknown,
    Expired,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::Recorded => "recorded",
            AttemptStatus::Sending => "sending",
            AttemptStatus::Pending => "pending",
            AttemptStatus::Succeeded => "succeeded",
            AttemptStatus::Failed => "failed",
            AttemptStatus::RequiresAction => "requires_action",
            AttemptStatus::Unknown => "unknown",
            AttemptStatus::Expired => "expired",
        }
    }

    /// A status written by an older or newer version that this one does not know reads as
    /// `unknown`: the reconciler then asks Dodo, which is always safe.
    pub fn parse(s: &str) -> AttemptStatus {
        match s {
            "recorded" => AttemptStatus::Recorded,
            "sending" => AttemptStatus::Sending,
            "pending" => AttemptStatus::Pending,
            "succeeded" => AttemptStatus::Succeeded,
            "failed" => AttemptStatus::Failed,
            "requires_action" => AttemptStatus::RequiresAction,
            "expired" => AttemptStatus::Expired,
            _ => AttemptStatus::Unknown,
        }
    }

    /// Final states never change again — except a provisional failure (see the module doc).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AttemptStatus::Succeeded | AttemptStatus::Failed | AttemptStatus::Expired
        )
    }
}

/// The statuses of an attempt still in flight, as SQL.
const OPEN: &str = "('recorded', 'sending', 'pending', 'unknown', 'requires_action')";

/// What to record before calling Dodo.
#[derive(Clone, Debug)]
pub struct NewAttempt {
    pub kind: AttemptKind,
    pub idempotency_key: String,
    pub customer_id: String,
    /// Charges and checkouts: the offer they buy. Recording also records the customer's
    /// decision to accept it.
    pub offer_id: Option<String>,
    pub product_id: String,
    pub quantity: i64,
    pub subscription_id: Option<String>,
    pub from_product_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    /// The product may be bought once per customer: the attempt must claim it.
    pub exclusive: bool,
    pub order_json: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub id: String,
    pub kind: AttemptKind,
    pub idempotency_key: String,
    pub customer_id: String,
    pub offer_id: Option<String>,
    pub product_id: String,
    pub quantity: i64,
    pub subscription_id: Option<String>,
    pub from_product_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub exclusive: bool,
    pub order_json: String,
    pub status: AttemptStatus,
    /// Failed only as far as we could tell (see the module doc).
    pub provisional: bool,
    pub dodo_session_id: Option<String>,
    pub dodo_payment_id: Option<String>,
    pub payment_link: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub duplicate_of: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub settled_at: Option<i64>,
    pub next_check_at: Option<i64>,
    pub checks: i64,
}

/// What recording an attempt led to.
#[derive(Clone, Debug, PartialEq)]
pub enum Recorded {
    /// This call wrote it: the caller may go on and send it.
    New(Attempt),
    /// The same request was recorded before (a double click, a second tab, a resubmitted form,
    /// another instance): this is that attempt. Send nothing.
    Existing(Attempt),
    /// Refused before anything was written.
    Refused(Refusal),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// The customer owns the product, or another attempt is buying it right now.
    Owned { holder: Option<Attempt> },
    /// The customer already answered the offer another way.
    Decided(Decision),
    /// Another plan change of the subscription is in flight.
    ChangeInFlight(Attempt),
}

/// Dodo's answer to a sent request that it accepted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accepted {
    pub session_id: Option<String>,
    pub payment_id: Option<String>,
    /// A page the customer must visit: the 3-D Secure challenge or the hosted checkout.
    pub link: Option<String>,
}

/// A final outcome decided by us rather than read from a Dodo payment.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Succeeded,
    /// `provisional`: inferred, not read from a Dodo payment.
    Failed {
        code: String,
        message: String,
        provisional: bool,
    },
    /// Never sent, too late to send.
    Expired,
}

/// A payment's state as Dodo reports it, applied to the attempt it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct SettledState {
    pub status: AttemptStatus,
    pub dodo_payment_id: String,
    pub payment_link: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

const COLUMNS: &str = "id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, subscription_id, \
    from_product_id, amount_minor, currency, exclusive, order_json, status, provisional, dodo_session_id, \
    dodo_payment_id, payment_link, error_code, error_message, duplicate_of, created_at, updated_at, sent_at, \
    answered_at, settled_at, next_check_at, checks";

fn from_row(row: &AnyRow) -> Result<Attempt, sqlx::Error> {
    Ok(Attempt {
        id: row.try_get("id")?,
        kind: AttemptKind::parse(&row.try_get::<String, _>("kind")?)?,
        idempotency_key: row.try_get("idempotency_key")?,
        customer_id: row.try_get("customer_id")?,
        offer_id: row.try_get("offer_id")?,
        product_id: row.try_get("product_id")?,
        quantity: row.try_get("quantity")?,
        subscription_id: row.try_get("subscription_id")?,
        from_product_id: row.try_get("from_product_id")?,
        amount_minor: row.try_get("amount_minor")?,
        currency: row.try_get("currency")?,
        exclusive: row.try_get::<i64, _>("exclusive")? != 0,
        order_json: row.try_get("order_json")?,
        status: AttemptStatus::parse(&row.try_get::<String, _>("status")?),
        provisional: row.try_get::<i64, _>("provisional")? != 0,
        dodo_session_id: row.try_get("dodo_session_id")?,
        dodo_payment_id: row.try_get("dodo_payment_id")?,
        payment_link: row.try_get("payment_link")?,
        error_code: row.try_get("error_code")?,
        error_message: row.try_get("error_message")?,
        duplicate_of: row.try_get("duplicate_of")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        sent_at: row.try_get("sent_at")?,
        answered_at: row.try_get("answered_at")?,
        settled_at: row.try_get("settled_at")?,
        next_check_at: row.try_get("next_check_at")?,
        checks: row.try_get("checks")?,
    })
}

async fn fetch_one_where(
    conn: &mut AnyConnection,
    condition: &str,
    bind: &str,
) -> Result<Option<Attempt>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM attempts WHERE {condition}");
    let row = sqlx::query(&sql)
        .bind(bind)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

impl Store {
    /// Records `new` unless the same request was recorded before, together with what it
    /// implies, all in one transaction:
    /// - for an offer: the customer's decision to accept it (refused if they declined);
    /// - for an exclusive product: the customer's claim on it (refused if they own it or
    ///   another attempt of another offer is buying it);
    /// - for a plan change: refused while another change of the subscription is in flight.
    pub async fn record_attempt(&self, new: &NewAttempt) -> Result<Recorded, StoreError> {
        let now = now_millis();
        let mut tx = self.pool().begin().await?;
        // The first statement writes, so SQLite takes its write lock here and a concurrent
        // writer waits (busy timeout) instead of failing the snapshot later.
        if let Some(offer_id) = &new.offer_id {
            // An upsert, not DO NOTHING: it locks the decision row (PostgreSQL), so a "No
            // thanks" for this offer waits for this transaction and then sees its attempt.
            sqlx::query(
                "INSERT INTO decisions (offer_id, decision, decided_at) VALUES ($1, 'accepted', $2) \
                 ON CONFLICT (offer_id) DO UPDATE SET decision = decisions.decision",
            )
            .bind(offer_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        } else if self.backend == super::Backend::Sqlite {
            sqlx::query("UPDATE app_meta SET value = value WHERE key = 'created_at'")
                .execute(&mut *tx)
                .await?;
        }
        if let Some(existing) =
            fetch_one_where(&mut tx, "idempotency_key = $1", &new.idempotency_key).await?
        {
            tx.rollback().await?;
            return Ok(Recorded::Existing(existing));
        }
        if let Some(offer_id) = &new.offer_id {
            let row = sqlx::query("SELECT decision FROM decisions WHERE offer_id = $1")
                .bind(offer_id)
                .fetch_one(&mut *tx)
                .await?;
            let decision = Decision::parse(&row.try_get::<String, _>("decision")?);
            if let Some(other) = decision.filter(|d| *d != Decision::Accepted) {
                tx.rollback().await?;
                return Ok(Recorded::Refused(Refusal::Decided(other)));
            }
        }
        let id = new_id(match new.kind {
            AttemptKind::PlanChange => "pca",
            _ => "att",
        });
        if new.exclusive {
            let claimed = sqlx::query(
                "INSERT INTO product_claims (customer_id, product_id, attempt_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&new.customer_id)
            .bind(&new.product_id)
            .bind(&id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !claimed {
                let holder = claim_holder(&mut tx, &new.customer_id, &new.product_id).await?;
                tx.rollback().await?;
                // The holder buys this very offer (a checkout after a charge, say): show it.
                return Ok(match holder {
                    Some(h) if h.offer_id.is_some() && h.offer_id == new.offer_id => {
                        Recorded::Existing(h)
                    }
                    holder => Recorded::Refused(Refusal::Owned { holder }),
                });
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO attempts (id, kind, idempotency_key, customer_id, offer_id, product_id, quantity, \
             subscription_id, from_product_id, amount_minor, currency, exclusive, order_json, status, \
             created_at, updated_at, next_check_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'recorded', $14, $14, $15) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(new.kind.as_str())
        .bind(&new.idempotency_key)
        .bind(&new.customer_id)
        .bind(&new.offer_id)
        .bind(&new.product_id)
        .bind(new.quantity)
        .bind(&new.subscription_id)
        .bind(&new.from_product_id)
        .bind(new.amount_minor)
        .bind(&new.currency)
        .bind(i64::from(new.exclusive))
        .bind(&new.order_json)
        .bind(now)
        // Should the recording server die before it claims the attempt, the reconciler sends
        // it (inside its window) after this.
        .bind(now + RESUME_RECORDED_MILLIS)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !inserted {
            // The same key, recorded by a transaction that committed while this one waited
            // (PostgreSQL reads committed rows per statement): that attempt.
            if let Some(existing) =
                fetch_one_where(&mut tx, "idempotency_key = $1", &new.idempotency_key).await?
            {
                tx.rollback().await?;
                return Ok(Recorded::Existing(existing));
            }
            // Else a one-open-per-… index refused it.
            let open = match (new.kind, &new.subscription_id, &new.offer_id) {
                (AttemptKind::PlanChange, Some(sub), _) => {
                    open_of(
                        &mut tx,
                        "kind = 'plan_change' AND subscription_id = $1",
                        sub,
                    )
                    .await?
                }
                (AttemptKind::Checkout, _, Some(offer)) => {
                    open_of(&mut tx, "kind = 'checkout' AND offer_id = $1", offer).await?
                }
                _ => None,
            };
            tx.rollback().await?;
            return match (new.kind, open) {
                (AttemptKind::PlanChange, Some(open)) => {
                    Ok(Recorded::Refused(Refusal::ChangeInFlight(open)))
                }
                (_, Some(open)) => Ok(Recorded::Existing(open)),
                // Raced with a transaction that has settled since: the caller may try again.
                (_, None) => Err(StoreError::Query(sqlx::Error::RowNotFound)),
            };
        }
        let attempt = fetch_one_where(&mut tx, "id = $1", &id)
            .await?
            .ok_or(StoreError::Query(sqlx::Error::RowNotFound))?;
        tx.commit().await?;
        Ok(Recorded::New(attempt))
    }

    pub async fn attempt(&self, id: &str) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch_one_where(&mut conn, "id = $1", id).await
    }

    pub async fn attempt_by_key(&self, key: &str) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch_one_where(&mut conn, "idempotency_key = $1", key).await
    }

    /// Every attempt to buy `offer_id` (its one-click charge, its fallback checkouts), oldest
    /// first.
    pub async fn attempts_for_offer(&self, offer_id: &str) -> Result<Vec<Attempt>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM attempts WHERE offer_id = $1 ORDER BY created_at, id");
        let rows = sqlx::query(&sql)
            .bind(offer_id)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Moves `recorded` → `sending`. Only the caller that gets `true` may call Dodo: this is
    /// the step that keeps concurrent requests, tabs and server instances from sending twice.
    pub async fn claim_attempt(&self, id: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE attempts SET status = 'sending', sent_at = $2, updated_at = $2, next_check_at = $3 \
             WHERE id = $1 AND status = 'recorded'",
        )
        .bind(id)
        .bind(now_millis())
        // A caller that dies mid-call leaves `sending`; the reconciler looks after this.
        .bind(now_millis() + STALE_SENDING_MILLIS)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Dodo accepted the request: remember what it gave back and wait for the outcome. A
    /// webhook may have settled the attempt already; then only the ids are filled in.
    pub async fn mark_attempt_accepted(
        &self,
        id: &str,
        accepted: &Accepted,
        next_check_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        sqlx::query(
            "UPDATE attempts SET dodo_session_id = COALESCE(dodo_session_id, $2), \
             dodo_payment_id = COALESCE(dodo_payment_id, $3), payment_link = COALESCE(payment_link, $4), \
             answered_at = COALESCE(answered_at, $5), updated_at = $5, \
             next_check_at = CASE WHEN status IN ('sending', 'unknown') THEN $6 ELSE next_check_at END, \
             status = CASE WHEN status IN ('sending', 'unknown') THEN 'pending' ELSE status END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(&accepted.session_id)
        .bind(&accepted.payment_id)
        .bind(&accepted.link)
        .bind(now)
        .bind(next_check_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The request may or may not have reached Dodo: only a lookup or a webhook settles it.
    pub async fn mark_attempt_unknown(
        &self,
        id: &str,
        detail: &str,
        next_check_at: i64,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        sqlx::query(
            "UPDATE attempts SET status = 'unknown', error_message = $2, answered_at = $3, updated_at = $3, \
             next_check_at = $4 WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(detail)
        .bind(now)
        .bind(next_check_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Settles an open attempt (or a provisional failure) with an outcome we decided; keeps the
    /// product claim in step. `next_check_at`: when a provisional failure is looked at again.
    /// Returns whether the attempt changed.
    pub async fn settle_attempt(
        &self,
        id: &str,
        outcome: &Outcome,
        next_check_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let now = now_millis();
        let mut tx = self.pool().begin().await?;
        let n = match outcome {
            Outcome::Succeeded => sqlx::query(&format!(
                "UPDATE attempts SET status = 'succeeded', provisional = 0, updated_at = $2, \
                 settled_at = COALESCE(settled_at, $2), next_check_at = NULL \
                 WHERE id = $1 AND (status IN {OPEN} OR (status = 'failed' AND provisional = 1))"
            ))
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Outcome::Failed {
                code,
                message,
                provisional,
            } => sqlx::query(&format!(
                "UPDATE attempts SET status = 'failed', provisional = $2, error_code = $3, error_message = $4, \
                 updated_at = $5, settled_at = COALESCE(settled_at, $5), answered_at = COALESCE(answered_at, $5), \
                 next_check_at = $6 \
                 WHERE id = $1 AND (status IN {OPEN} OR (status = 'failed' AND provisional = 1 AND $2 = 0))"
            ))
            .bind(id)
            .bind(i64::from(*provisional))
            .bind(code)
            .bind(message)
            .bind(now)
            .bind(next_check_at.filter(|_| *provisional))
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Outcome::Expired => sqlx::query(
                "UPDATE attempts SET status = 'expired', updated_at = $2, settled_at = $2, next_check_at = NULL \
                 WHERE id = $1 AND status = 'recorded'",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        if n > 0 {
            sync_claim(&mut tx, id).await?;
        }
        tx.commit().await?;
        Ok(n > 0)
    }

    /// [`apply_payment_state`] on a connection of its own (outside a webhook's transaction).
    pub async fn apply_payment(
        &self,
        attempt_id: Option<&str>,
        state: &SettledState,
    ) -> Result<Option<String>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        apply_payment_state(&mut conn, attempt_id, state).await
    }

    /// When the reconciler looks at an attempt again (`None`: nothing left to learn; webhooks
    /// still apply).
    pub async fn schedule_check(
        &self,
        id: &str,
        next_check_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE attempts SET next_check_at = $2, checks = checks + 1 WHERE id = $1")
            .bind(id)
            .bind(next_check_at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Attempts whose next check is due at `now` (millis), the longest waiting first.
    pub async fn due_attempts(&self, now: i64, limit: i64) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attempts WHERE next_check_at IS NOT NULL AND next_check_at <= $1 \
             ORDER BY next_check_at LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Attempts that are not final (or only provisionally failed), oldest first: what the
    /// engine's tests and the startup log look at.
    pub async fn open_attempts(&self) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attempts WHERE status IN {OPEN} ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Every attempt (for the invariant checks of the randomised test and for merchants'
    /// reports), oldest first.
    pub async fn all_attempts(&self) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM attempts ORDER BY created_at, id");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The plan change of `subscription_id` in flight, if any.
    pub async fn open_plan_change(
        &self,
        subscription_id: &str,
    ) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        open_of(
            &mut conn,
            "kind = 'plan_change' AND subscription_id = $1",
            subscription_id,
        )
        .await
    }

    /// The most recent plan change of a subscription that reached a final state: the base of
    /// the next change's idempotency key (a new change may start once the previous settled).
    pub async fn latest_final_plan_change(
        &self,
        subscription_id: &str,
    ) -> Result<Option<Attempt>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        fetch_one_where(
            &mut conn,
            "kind = 'plan_change' AND subscription_id = $1 AND status IN ('succeeded', 'failed', 'expired') \
             ORDER BY created_at DESC, id DESC LIMIT 1",
            subscription_id,
        )
        .await
    }

    /// The most recent plan change of a subscription that asked for `product_id` × `quantity`.
    pub async fn latest_plan_change_to(
        &self,
        subscription_id: &str,
        product_id: &str,
        quantity: i64,
    ) -> Result<Option<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attempts \
             WHERE kind = 'plan_change' AND subscription_id = $1 AND product_id = $2 AND quantity = $3 \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(subscription_id)
            .bind(product_id)
            .bind(quantity)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }
}

/// How long a recorded attempt waits for the caller that recorded it to send it.
pub const RESUME_RECORDED_MILLIS: i64 = 10_000;

/// A `sending` attempt older than this belongs to a caller that died mid-call (the money
/// timeout of the Dodo client is 20 s).
pub const STALE_SENDING_MILLIS: i64 = 45_000;

async fn open_of(
    conn: &mut AnyConnection,
    condition: &str,
    bind: &str,
) -> Result<Option<Attempt>, StoreError> {
    fetch_one_where(
        conn,
        &format!("{condition} AND status IN {OPEN} ORDER BY created_at DESC, id DESC LIMIT 1"),
        bind,
    )
    .await
}

/// The attempt holding the customer's claim on a product; `None` when a purchase known from
/// Dodo holds it (or nothing does).
async fn claim_holder(
    conn: &mut AnyConnection,
    customer_id: &str,
    product_id: &str,
) -> Result<Option<Attempt>, StoreError> {
    let row = sqlx::query(
        "SELECT attempt_id FROM product_claims WHERE customer_id = $1 AND product_id = $2",
    )
    .bind(customer_id)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row.map(|r| r.try_get::<Option<String>, _>("attempt_id")) {
        Some(Ok(Some(id))) => fetch_one_where(conn, "id = $1", &id).await,
        Some(Err(e)) => Err(e.into()),
        _ => Ok(None),
    }
}

/// Keeps the product claim in step with the attempt's status: a failed or expired attempt gives
/// its claim back; an attempt that (again) is in flight or succeeded takes it if it is free. A
/// success that finds the claim held by someone else is a duplicate charge: it is marked, so it
/// can be refunded, and logged by the caller.
pub async fn sync_claim(conn: &mut AnyConnection, attempt_id: &str) -> Result<(), StoreError> {
    let now = now_millis();
    sqlx::query(
        "DELETE FROM product_claims WHERE attempt_id = $1 \
         AND EXISTS (SELECT 1 FROM attempts WHERE id = $1 AND status IN ('failed', 'expired'))",
    )
    .bind(attempt_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO product_claims (customer_id, product_id, attempt_id, payment_id, created_at) \
         SELECT customer_id, product_id, id, dodo_payment_id, $2 FROM attempts \
         WHERE id = $1 AND exclusive = 1 AND status NOT IN ('failed', 'expired') \
         ON CONFLICT DO NOTHING",
    )
    .bind(attempt_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE attempts SET duplicate_of = (SELECT COALESCE(c.attempt_id, c.payment_id, 'purchase') \
             FROM product_claims c WHERE c.customer_id = attempts.customer_id AND c.product_id = attempts.product_id) \
         WHERE id = $1 AND status = 'succeeded' AND exclusive = 1 AND duplicate_of IS NULL \
           AND NOT EXISTS (SELECT 1 FROM product_claims c WHERE c.attempt_id = $1)",
    )
    .bind(attempt_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

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
           next_check_at = CASE WHEN $8 = 1 THEN NULL ELSE COALESCE(next_check_at, $9) END \
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
    // An attempt still open keeps being looked after.
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
