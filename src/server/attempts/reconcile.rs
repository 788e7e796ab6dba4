//! The reconciler: one loop for every kind of attempt. It looks at an attempt when its
//! `next_check_at` is due, backs off while nothing changes, stops when there is nothing left to
//! learn (webhooks still apply afterwards), and logs only changes.

use super::engine::{Engine, EngineError};
use super::{Order, plan_change};
use crate::server::store::{Attempt, AttemptStatus, Outcome, STALE_SENDING_MILLIS, now_millis};
use std::time::Duration;

/// A call that ended without an answer and left no trace at Dodo for this long did nothing
/// (Dodo lists a payment as soon as it exists). The failure stays provisional: a verified
/// payment arriving later still wins.
const SILENT_FOR_MILLIS: i64 = 5_000;
/// After that, a provisional failure is looked at this many more times, this far apart.
const PROVISIONAL_LOOKS: i64 = 3;
const PROVISIONAL_EVERY_MILLIS: i64 = 60_000;
/// How long past the offer window an unanswered 3-D Secure or pending charge is watched.
const CHARGE_GRACE_MILLIS: i64 = 30 * 60_000;
/// How long an accepted plan change may show neither a payment nor the switch.
const PLAN_CHANGE_GRACE_MILLIS: i64 = 15 * 60_000;
/// How long a refund Dodo accepted may stay pending before we stop watching it (its webhook
/// still settles it).
const REFUND_GRACE_MILLIS: i64 = 24 * 3_600_000;
/// The longest pause between two looks at an open attempt.
const MAX_BACKOFF_MILLIS: i64 = 5 * 60_000;
/// Attempts looked at per pass.
const BATCH: i64 = 200;

/// 1 s, 2 s, 4 s … after the `checks`th look, at most [`MAX_BACKOFF_MILLIS`].
fn backoff(checks: i64) -> i64 {
    (1_000i64 << checks.clamp(0, 20)).min(MAX_BACKOFF_MILLIS)
}

/// When an attempt still open after Dodo accepted it is given up (as a provisional failure).
fn give_up_at(order: &Order, attempt: &Attempt) -> i64 {
    match order {
        Order::Charge(o) => o.purchase.send_before + CHARGE_GRACE_MILLIS,
        Order::Checkout(o) => o.pay_before,
        Order::PlanChange(_) => attempt.created_at + PLAN_CHANGE_GRACE_MILLIS,
        Order::Refund(_) => attempt.created_at + REFUND_GRACE_MILLIS,
    }
}

fn given_up_code(order: &Order, status: AttemptStatus) -> &'static str {
    match (order, status) {
        (Order::Checkout(_), _) => "CHECKOUT_NOT_COMPLETED",
        (Order::Refund(_), _) => "REFUND_NOT_COMPLETED",
        (_, AttemptStatus::RequiresAction) => "NOT_AUTHENTICATED",
        _ => "NOT_CHARGED",
    }
}

impl Engine {
    /// Brings one attempt closer to its final state without ever sending twice.
    pub async fn reconcile(&self, attempt: Attempt) -> Result<Attempt, EngineError> {
        let order = Order::of(&attempt)?;
        let now = now_millis();
        match attempt.status {
            AttemptStatus::Recorded => {
                // A server died between recording and sending.
                let resume = match &order {
                    Order::PlanChange(o) => plan_change::may_resume(&self.dodo, o).await,
                    _ => Some(true),
                };
                return match resume {
                    Some(true) => self.send_recorded(attempt).await,
                    Some(false) => {
                        tracing::warn!(attempt = %attempt.id, "recorded change is out of date; not sending");
                        self.store
                            .settle_attempt(&attempt.id, &Outcome::Expired, None)
                            .await?;
                        self.reload(&attempt.id).await
                    }
                    None => {
                        self.schedule(&attempt, Some(now + backoff(attempt.checks)))
                            .await?;
                        Ok(attempt)
                    }
                };
            }
            AttemptStatus::Sending => {
                let stale_at = attempt.sent_at.unwrap_or(attempt.updated_at) + STALE_SENDING_MILLIS;
                if now < stale_at {
                    self.schedule(&attempt, Some(stale_at)).await?;
                    return Ok(attempt);
                }
            }
            AttemptStatus::Succeeded | AttemptStatus::Expired => {
                self.schedule(&attempt, None).await?;
                return Ok(attempt);
            }
            AttemptStatus::Failed if !attempt.provisional => {
                self.schedule(&attempt, None).await?;
                return Ok(attempt);
            }
            _ => {}
        }
        self.look(&order, attempt, now).await
    }

    /// Asks Dodo about an attempt that was (maybe) sent.
    async fn look(
        &self,
        order: &Order,
        attempt: Attempt,
        now: i64,
    ) -> Result<Attempt, EngineError> {
        let found = match order.lookup(&self.dodo, &attempt).await {
            Ok(found) => found,
            Err(e) => {
                tracing::debug!(attempt = %attempt.id, error = %e, "Dodo unavailable; later");
                self.schedule(&attempt, Some(now + backoff(attempt.checks)))
                    .await?;
                return Ok(attempt);
            }
        };
        if let Some(state) = found {
            self.store.apply_payment(Some(&attempt.id), &state).await?;
            let now_state = self.reload(&attempt.id).await?;
            if !now_state.status.is_final() {
                self.schedule(&now_state, Some(now + backoff(now_state.checks)))
                    .await?;
            }
            return self.reload(&attempt.id).await;
        }
        if let Order::PlanChange(o) = order
            && !matches!(attempt.status, AttemptStatus::Failed)
            && plan_change::subscription_shows(&self.dodo, o).await == Some(true)
        {
            self.store
                .settle_attempt(&attempt.id, &Outcome::Succeeded, None)
                .await?;
            return self.reload(&attempt.id).await;
        }
        match attempt.status {
            AttemptStatus::Sending | AttemptStatus::Unknown => {
                let ended = attempt
                    .answered_at
                    .or(attempt.sent_at)
                    .unwrap_or(attempt.created_at);
                if now - ended >= SILENT_FOR_MILLIS {
                    tracing::warn!(attempt = %attempt.id, "no trace at Dodo; nothing was charged (provisional)");
                    self.store
                        .settle_attempt(
                            &attempt.id,
                            &Outcome::Failed {
                                code: "NOT_CHARGED".into(),
                                message: "Dodo has no record of this request.".into(),
                                provisional: true,
                            },
                            Some(now + PROVISIONAL_EVERY_MILLIS),
                        )
                        .await?;
                } else {
                    let next = (now + backoff(attempt.checks)).min(ended + SILENT_FOR_MILLIS);
                    self.schedule(&attempt, Some(next)).await?;
                }
            }
            AttemptStatus::Pending | AttemptStatus::RequiresAction => {
                if now >= give_up_at(order, &attempt) {
                    tracing::info!(attempt = %attempt.id, "not completed in time; no longer watched");
                    self.store
                        .settle_attempt(
                            &attempt.id,
                            &Outcome::Failed {
                                code: given_up_code(order, attempt.status).into(),
                                message: "Not completed in time.".into(),
                                provisional: true,
                            },
                            None,
                        )
                        .await?;
                } else {
                    let next =
                        (now + backoff(attempt.checks)).min(give_up_at(order, &attempt).max(now));
                    self.schedule(&attempt, Some(next)).await?;
                }
            }
            _ => {
                // A provisional failure with still nothing at Dodo.
                let more = attempt.checks < PROVISIONAL_LOOKS;
                self.schedule(&attempt, more.then_some(now + PROVISIONAL_EVERY_MILLIS))
                    .await?;
            }
        }
        self.reload(&attempt.id).await
    }

    async fn schedule(&self, attempt: &Attempt, next: Option<i64>) -> Result<(), EngineError> {
        Ok(self.store.schedule_check(&attempt.id, next).await?)
    }

    /// Looks at every attempt whose check is due. Returns how many changed state.
    pub async fn reconcile_due(&self) -> Result<usize, EngineError> {
        let due = self.store.due_attempts(now_millis(), BATCH).await?;
        let mut changed = 0;
        for attempt in due {
            let before = (attempt.status, attempt.provisional);
            match self.reconcile(attempt.clone()).await {
                Ok(after) if (after.status, after.provisional) != before => {
                    changed += 1;
                    tracing::info!(attempt = %after.id, kind = after.kind.as_str(), from = before.0.as_str(), to = after.status.as_str(), "attempt settled further");
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(attempt = %attempt.id, error = %e, "reconcile failed; later");
                    let _ = self
                        .store
                        .schedule_check(&attempt.id, Some(now_millis() + backoff(attempt.checks)))
                        .await;
                }
            }
        }
        Ok(changed)
    }

    /// Runs [`Engine::reconcile_due`] every `every` (and at once when woken), until the
    /// process ends. At startup this resumes what a previous run left open.
    pub fn spawn_reconciler(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = engine.reconcile_due().await {
                    tracing::warn!(error = %e, "reconciler pass failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = engine.wake.notified() => {}
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0), 1_000);
        assert_eq!(backoff(3), 8_000);
        assert_eq!(backoff(30), MAX_BACKOFF_MILLIS);
        assert_eq!(backoff(-1), 1_000);
    }
}
