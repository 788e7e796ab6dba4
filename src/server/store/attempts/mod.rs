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

mod dodo_events;
mod queries;
mod record;
mod transitions;

pub use dodo_events::{apply_payment_state, apply_plan_changed};
pub use transitions::sync_claim;

use super::StoreError;
use super::offers::Decision;
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
    /// A full refund undoing a one-click purchase.
    Refund,
}

impl AttemptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::Charge => "charge",
            AttemptKind::Checkout => "checkout",
            AttemptKind::PlanChange => "plan_change",
            AttemptKind::Refund => "refund",
        }
    }

    fn parse(s: &str) -> Result<AttemptKind, sqlx::Error> {
        Ok(match s {
            "charge" => AttemptKind::Charge,
            "checkout" => AttemptKind::Checkout,
            "plan_change" => AttemptKind::PlanChange,
            "refund" => AttemptKind::Refund,
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
pub(super) const OPEN_SQL: &str =
    "('recorded', 'sending', 'pending', 'unknown', 'requires_action')";

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

pub(super) async fn fetch_one_where(
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

/// How long a recorded attempt waits for the caller that recorded it to send it.
pub const RESUME_RECORDED_MILLIS: i64 = 10_000;

/// A `sending` attempt older than this belongs to a caller that died mid-call (the money
/// timeout of the Dodo client is 20 s).
pub const STALE_SENDING_MILLIS: i64 = 45_000;

pub(super) async fn open_of(
    conn: &mut AnyConnection,
    condition: &str,
    bind: &str,
) -> Result<Option<Attempt>, StoreError> {
    fetch_one_where(
        conn,
        &format!("{condition} AND status IN {OPEN_SQL} ORDER BY created_at DESC, id DESC LIMIT 1"),
        bind,
    )
    .await
}

/// The attempt holding the customer's claim on a product; `None` when a purchase known from
/// Dodo holds it (or nothing does).
pub(super) async fn claim_holder(
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
