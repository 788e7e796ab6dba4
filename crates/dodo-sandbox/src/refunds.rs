//! Refunds on the store: validation against what was paid and already refunded, creation
//! (`pending`), settling (`succeeded`/`failed` with `refund.*` webhooks) and the control
//! API's refunds made "in the dashboard", optionally without any webhook.

use time::Duration;

use crate::error::{ApiError, ApiResult};
use crate::model::*;
use crate::store::{Event, ObjectRef, Store};

/// Dodo's refund window (docs: refunds must be initiated within 30 days of the payment).
const REFUND_WINDOW_DAYS: i64 = 30;
/// Dodo's limit on `reason` (spec: "Maximum length is 3000 characters").
const MAX_REASON_CHARS: usize = 3000;

/// One `items[]` entry of `POST /refunds`: a cart line's product and an optional amount
/// (none = the whole line).
#[derive(Debug, Clone)]
pub struct RefundItem {
    pub item_id: String,
    pub amount: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub payment_id: String,
    pub reason: Option<String>,
    /// `None` = the whole payment.
    pub items: Option<Vec<RefundItem>>,
    pub metadata: Metadata,
}

impl Store {
    /// What is still refundable of each cart line: (product id, line total − refunded).
    fn refundable_lines(&self, payment: &Payment) -> Vec<(String, i64)> {
        let mut lines: Vec<(String, i64)> = payment
            .product_cart
            .iter()
            .map(|l| {
                let unit = self
                    .products
                    .get(&l.product_id)
                    .map(|p| p.price)
                    .unwrap_or(0);
                (
                    l.product_id.clone(),
                    l.amount.unwrap_or(unit).saturating_mul(l.quantity),
                )
            })
            .collect();
        // A plan-change or prorated charge is not the cart's list price: the whole charge
        // belongs to its one line.
        if lines.len() == 1 {
            lines[0].1 = payment.total_amount;
        }
        for r in self
            .refunds
            .values()
            .filter(|r| r.payment_id == payment.id && r.status != RefundStatus::Failed)
        {
            for (item, amount) in &r.items {
                if let Some(line) = lines.iter_mut().find(|(id, _)| id == item) {
                    line.1 -= amount;
                }
            }
        }
        lines
    }

    /// Checks a refund request and returns the amount per line it refunds.
    fn check_refund(&self, req: &RefundRequest) -> ApiResult<(Payment, Vec<(String, i64)>)> {
        let payment = self.payment(&req.payment_id)?.clone();
        if payment.status != PaymentStatus::Succeeded {
            return Err(ApiError::invalid_params(format!(
                "payment {} is {}; only succeeded payments can be refunded",
                payment.id,
                payment.status.as_str()
            )));
        }
        if self.now() - payment.created_at > Duration::days(REFUND_WINDOW_DAYS) {
            return Err(ApiError::invalid_params(format!(
                "payment {} is older than {REFUND_WINDOW_DAYS} days and can no longer be refunded",
                payment.id
            )));
        }
        if req
            .reason
            .as_ref()
            .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
        {
            return Err(ApiError::invalid_body(format!(
                "reason is longer than {MAX_REASON_CHARS} characters"
            )));
        }
        let remaining = self.refundable_lines(&payment);
        let wanted: Vec<(String, i64)> = match &req.items {
            None => remaining
                .iter()
                .filter(|(_, left)| *left > 0)
                .cloned()
                .collect(),
            Some(items) if items.is_empty() => {
                return Err(ApiError::invalid_params(
                    "items is empty: leave it out to refund the whole payment",
                ));
            }
            Some(items) => {
                let mut out = Vec::new();
                for item in items {
                    let Some((_, left)) = remaining.iter().find(|(id, _)| *id == item.item_id)
                    else {
                        return Err(ApiError::invalid_params(format!(
                            "item {} is not part of payment {}",
                            item.item_id, payment.id
                        )));
                    };
                    let amount = item.amount.unwrap_or(*left);
                    if amount <= 0 && item.amount.is_some() {
                        return Err(ApiError::invalid_params(format!(
                            "the amount to refund of item {} must be above 0",
                            item.item_id
                        )));
                    }
                    if amount > *left {
                        return Err(ApiError::invalid_params(format!(
                            "item {}: refunding {amount} is more than the {left} left to refund",
                            item.item_id
                        )));
                    }
                    out.push((item.item_id.clone(), amount));
                }
                out
            }
        };
        if wanted.iter().map(|(_, a)| a).sum::<i64>() <= 0 {
            return Err(ApiError::invalid_params(format!(
                "payment {} is already refunded in full",
                payment.id
            )));
        }
        Ok((payment, wanted))
    }

    /// `POST /refunds`: a `pending` refund (it settles later). Returns its id.
    pub fn create_refund(&mut self, req: &RefundRequest, notify: bool) -> ApiResult<String> {
        let (payment, items) = self.check_refund(req)?;
        let outcome = if self.refunds_to_fail > 0 {
            self.refunds_to_fail -= 1;
            RefundStatus::Failed
        } else {
            RefundStatus::Succeeded
        };
        Ok(self.insert_refund(&payment, items, req, outcome, notify))
    }

    /// `POST /_sandbox/refunds`: a refund made outside the app (Dodo's dashboard), settled
    /// at once; with `notify: false` no webhook is ever sent about it.
    pub fn dashboard_refund(
        &mut self,
        req: &RefundRequest,
        outcome: RefundStatus,
        notify: bool,
    ) -> ApiResult<(String, Vec<Event>)> {
        let (payment, items) = self.check_refund(req)?;
        let id = self.insert_refund(&payment, items, req, outcome, notify);
        let events = self.settle_refund(&id);
        Ok((id, events))
    }

    fn insert_refund(
        &mut self,
        payment: &Payment,
        items: Vec<(String, i64)>,
        req: &RefundRequest,
        outcome: RefundStatus,
        notify: bool,
    ) -> String {
        let id = self.ids.next("ref");
        let seq = self.next_seq();
        let amount: i64 = items.iter().map(|(_, a)| a).sum();
        self.refunds.insert(
            id.clone(),
            Refund {
                id: id.clone(),
                seq,
                payment_id: payment.id.clone(),
                customer_id: payment.customer_id.clone(),
                amount,
                is_partial: amount < payment.total_amount,
                items,
                currency: payment.currency.clone(),
                status: RefundStatus::Pending,
                reason: req.reason.clone(),
                metadata: req.metadata.clone(),
                created_at: self.now(),
                outcome,
                notify,
            },
        );
        id
    }

    /// A `pending` refund reaches its outcome: `refund.succeeded` or `refund.failed`
    /// (none for a silent refund). No-op for anything else.
    pub fn settle_refund(&mut self, refund_id: &str) -> Vec<Event> {
        let Some(refund) = self.refunds.get_mut(refund_id) else {
            return Vec::new();
        };
        if refund.status != RefundStatus::Pending {
            return Vec::new();
        }
        refund.status = refund.outcome;
        let notify = refund.notify;
        let kind = match refund.status {
            RefundStatus::Succeeded => "refund.succeeded",
            _ => "refund.failed",
        };
        if !notify {
            return Vec::new();
        }
        vec![self.event(kind, ObjectRef::Refund(refund_id.to_owned()))]
    }
}
