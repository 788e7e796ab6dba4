//! Record → claim → send once → settle: the one copy of the life cycle.

use super::{Order, refusal_code, refusal_detail};
use crate::server::store::{
    Attempt, NewAttempt, Outcome, Recorded, Refusal, Store, StoreError, now_millis,
};
use dodo_client::{DodoClient, DodoError};
use std::sync::Arc;
use tokio::sync::Notify;

/// After Dodo accepted a request, the first look at its outcome (webhooks usually come first).
pub(super) const FIRST_CHECK_MILLIS: i64 = 2_000;
/// After an answer was lost, the first lookup.
pub(super) const UNKNOWN_CHECK_MILLIS: i64 = 1_000;
/// How long after a refusal without a payment we look once more for one.
pub(super) const PROVISIONAL_CHECK_MILLIS: i64 = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a stored order is unreadable: {0}")]
    Corrupt(String),
    #[error("the sending task ended abnormally: {0}")]
    Task(String),
}

/// What [`Engine::start`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Started {
    /// Recorded by this call and sent once; the attempt as it stands after Dodo's answer.
    Sent(Attempt),
    /// The same request was recorded before; nothing was sent.
    Existing(Attempt),
    /// Nothing recorded, nothing sent.
    Refused(Refusal),
}

impl Started {
    /// The attempt, when there is one.
    pub fn attempt(&self) -> Option<&Attempt> {
        match self {
            Started::Sent(a) | Started::Existing(a) => Some(a),
            Started::Refused(_) => None,
        }
    }
}

/// The engine: the store, the way to Dodo, and a bell that wakes the reconciler when an
/// attempt needs looking after sooner than its schedule.
#[derive(Clone)]
pub struct Engine {
    pub(super) store: Store,
    pub(super) dodo: DodoClient,
    pub(super) wake: Arc<Notify>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Order {
    /// The store row this order is recorded as.
    pub fn new_attempt(&self) -> Result<NewAttempt, EngineError> {
        new_attempt(self)
    }
}

fn new_attempt(order: &Order) -> Result<NewAttempt, EngineError> {
    let order_json =
        serde_json::to_string(order).map_err(|e| EngineError::Corrupt(e.to_string()))?;
    let kind = order.kind();
    let buying = |p: &super::Purchase| NewAttempt {
        kind,
        idempotency_key: p.idempotency_key.clone(),
        customer_id: p.customer_id.clone(),
        offer_id: p.offer_id.clone(),
        product_id: p.product_id.clone(),
        quantity: p.quantity,
        subscription_id: None,
        from_product_id: None,
        amount_minor: p.amount_minor,
        currency: p.currency.clone(),
        exclusive: p.exclusive,
        order_json: order_json.clone(),
    };
    Ok(match order {
        Order::Charge(o) => buying(&o.purchase),
        Order::Checkout(o) => buying(&o.purchase),
        Order::PlanChange(o) => NewAttempt {
            kind,
            idempotency_key: o.idempotency_key.clone(),
            customer_id: o.customer_id.clone(),
            offer_id: None,
            product_id: o.to_product_id.clone(),
            quantity: o.quantity,
            subscription_id: Some(o.subscription_id.clone()),
            from_product_id: Some(o.from_product_id.clone()),
            amount_minor: o.previewed_total_minor,
            currency: o.currency.clone(),
            exclusive: false,
            order_json,
        },
        // An undo claims nothing: the product stays the customer's to not be offered again
        // (they just said they did not want it).
        Order::Refund(o) => NewAttempt {
            kind,
            idempotency_key: o.idempotency_key.clone(),
            customer_id: o.customer_id.clone(),
            offer_id: None,
            product_id: o.product_id.clone(),
            quantity: 1,
            subscription_id: None,
            from_product_id: None,
            amount_minor: o.amount_minor,
            currency: o.currency.clone(),
            exclusive: false,
            order_json,
        },
    })
}

impl Engine {
    pub fn new(store: Store, dodo: DodoClient) -> Engine {
        Engine {
            store,
            dodo,
            wake: Arc::new(Notify::new()),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Records `order` and, if this call recorded it, sends it once. See the module doc of
    /// `attempts` for the three answers.
    pub async fn start(&self, order: &Order) -> Result<Started, EngineError> {
        let new = new_attempt(order)?;
        match self.store.record_attempt(&new).await? {
            Recorded::New(attempt) => Ok(Started::Sent(self.send_detached(attempt).await?)),
            Recorded::Existing(attempt) => {
                tracing::info!(attempt = %attempt.id, status = attempt.status.as_str(), "already recorded; not sending again");
                Ok(Started::Existing(attempt))
            }
            Recorded::Refused(refusal) => Ok(Started::Refused(refusal)),
        }
    }

    /// Sends in a task of its own and waits for it: if the request that asked is cancelled
    /// (a reload, a lost connection), the call still runs to its end and is settled.
    async fn send_detached(&self, attempt: Attempt) -> Result<Attempt, EngineError> {
        let engine = self.clone();
        tokio::spawn(async move { engine.send_recorded(attempt).await })
            .await
            .map_err(|e| EngineError::Task(e.to_string()))?
    }

    pub(super) async fn reload(&self, id: &str) -> Result<Attempt, EngineError> {
        self.store
            .attempt(id)
            .await?
            .ok_or_else(|| EngineError::Corrupt(format!("attempt {id} vanished")))
    }

    /// Sends a `recorded` attempt if this caller wins the claim and it is not too late.
    pub(super) async fn send_recorded(&self, attempt: Attempt) -> Result<Attempt, EngineError> {
        let order = Order::of(&attempt)?;
        if now_millis() > order.send_before() {
            self.store
                .settle_attempt(&attempt.id, &Outcome::Expired, None)
                .await?;
            return self.reload(&attempt.id).await;
        }
        if !self.store.claim_attempt(&attempt.id).await? {
            return self.reload(&attempt.id).await;
        }
        let result = order.send(&self.dodo, &attempt.id).await;
        let now = now_millis();
        match result {
            Ok(sent) => {
                self.store
                    .mark_attempt_accepted(
                        &attempt.id,
                        &sent.accepted,
                        Some(now + FIRST_CHECK_MILLIS),
                    )
                    .await?;
                if let Some(outcome) = &sent.settled {
                    self.store
                        .settle_attempt(&attempt.id, outcome, None)
                        .await?;
                }
                tracing::info!(attempt = %attempt.id, kind = attempt.kind.as_str(), payment = ?sent.accepted.payment_id, "accepted by Dodo");
            }
            // Nothing left this machine: certain that nothing happened.
            Err(
                e @ DodoError::Transport {
                    maybe_sent: false, ..
                },
            ) => {
                tracing::warn!(attempt = %attempt.id, error = %e, "Dodo unreachable; nothing was sent");
                self.store
                    .settle_attempt(
                        &attempt.id,
                        &Outcome::Failed {
                            code: "NOT_SENT".into(),
                            message: e.to_string(),
                            provisional: false,
                        },
                        None,
                    )
                    .await?;
            }
            Err(e) if e.outcome_unknown() => {
                tracing::warn!(attempt = %attempt.id, error = %e, "outcome unknown; will look it up, never resend");
                self.store
                    .mark_attempt_unknown(&attempt.id, &e.to_string(), now + UNKNOWN_CHECK_MILLIS)
                    .await?;
            }
            Err(e) => {
                // Dodo said no, but showed no payment: look once before believing it (an
                // answer can be lost and replaced by an error on the way back).
                let reloaded = self.reload(&attempt.id).await?;
                match order.lookup(&self.dodo, &reloaded).await.ok().flatten() {
                    Some(state) => {
                        tracing::warn!(attempt = %attempt.id, error = %e, payment = %state.dodo_payment_id, "refused, yet Dodo holds a payment for it; following the payment");
                        self.store.apply_payment(Some(&attempt.id), &state).await?;
                    }
                    None => {
                        let code = refusal_code(&e);
                        tracing::info!(attempt = %attempt.id, %code, "refused by Dodo");
                        self.store
                            .settle_attempt(
                                &attempt.id,
                                &Outcome::Failed {
                                    code,
                                    message: refusal_detail(&e),
                                    provisional: true,
                                },
                                Some(now + PROVISIONAL_CHECK_MILLIS),
                            )
                            .await?;
                    }
                }
            }
        }
        self.wake.notify_one();
        self.reload(&attempt.id).await
    }
}
