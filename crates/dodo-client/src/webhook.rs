//! Parsing a webhook body (after the app verified its signature).
//!
//! Not the SDK's `UnwrapWebhookEvent`: it is `#[serde(untagged)]` and its first variant
//! accepts any envelope, so every event comes out as `AbandonedCheckoutDetectedWebhookEvent`.
//! We read the envelope ourselves and pick the object by `data.payload_type` (or, without
//! one, the prefix of `type`), then decode it with the SDK's strict `Payment` /
//! `Subscription` models — the same shapes as `GET /payments/{id}` and
//! `GET /subscriptions/{id}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::error::DodoError;
use crate::parse::{self, Fields, decode_err};
use crate::types::payment::Payment;
use crate::types::refund::Refund;
use crate::types::subscription::Subscription;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// e.g. `payment.succeeded`, `subscription.plan_changed`.
    pub event_type: String,
    /// When the event happened.
    #[serde(with = "time::serde::rfc3339")]
    pub timestamp: OffsetDateTime,
    pub business_id: String,
    pub data: WebhookData,
}

/// The object's state at delivery time (Dodo sends the latest state, not a diff).
// Not boxed: the app matches `WebhookData::Payment(payment)` and uses it as `&Payment`;
// one webhook at a time makes the size irrelevant.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WebhookData {
    Payment(Payment),
    Subscription(Subscription),
    /// `refund.succeeded` / `refund.failed` (`payload_type: "Refund"`).
    Refund(Refund),
    /// Disputes, license keys, … as sent.
    Other(Value),
}

/// Parses a webhook body. Malformed JSON, a missing envelope field, or a payment /
/// subscription that does not decode → `DodoError::Decode`.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, DodoError> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|e| decode_err(format!("webhook body is not JSON: {e}")))?;
    let envelope = Fields::new("webhook", &json)?;
    let event_type = envelope.str("type")?.to_owned();
    let business_id = envelope.str("business_id")?.to_owned();
    let timestamp = parse::timestamp("webhook.timestamp", envelope.str("timestamp")?)?;
    let data = envelope
        .raw("data")
        .ok_or_else(|| decode_err("webhook.data is missing"))?;

    let payload_type = data.get("payload_type").and_then(Value::as_str);
    let data = match (payload_type, event_type.split('.').next()) {
        (Some("Payment"), _) | (None, Some("payment")) => {
            let p = serde_json::from_value::<dodopayments::models::Payment>(data.clone())
                .map_err(|e| decode_err(format!("{event_type}: data is not a Payment: {e}")))?;
            WebhookData::Payment(Payment::from_sdk(p)?)
        }
        (Some("Subscription"), _) | (None, Some("subscription")) => {
            let s = serde_json::from_value::<dodopayments::models::Subscription>(data.clone())
                .map_err(|e| {
                    decode_err(format!("{event_type}: data is not a Subscription: {e}"))
                })?;
            WebhookData::Subscription(Subscription::from_sdk(s)?)
        }
        (Some("Refund"), _) | (None, Some("refund")) => {
            let r = serde_json::from_value::<dodopayments::models::Refund>(data.clone())
                .map_err(|e| decode_err(format!("{event_type}: data is not a Refund: {e}")))?;
            WebhookData::Refund(Refund::from_sdk(r)?)
        }
        _ => WebhookData::Other(data.clone()),
    };
    Ok(WebhookEvent {
        event_type,
        timestamp,
        business_id,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_broken_envelopes_are_decode_errors() {
        for body in [
            &b"not json"[..],
            b"",
            b"[]",
            br#"{"type":"payment.succeeded"}"#,
            br#"{"type":"x.y","business_id":"bus","timestamp":"later","data":{}}"#,
            br#"{"type":"payment.succeeded","business_id":"bus","timestamp":"2026-01-01T00:00:00Z","data":{"payload_type":"Payment"}}"#,
        ] {
            assert!(
                matches!(parse_webhook(body), Err(DodoError::Decode { .. })),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn unknown_objects_are_kept() {
        let event = parse_webhook(
            br#"{"type":"dispute.opened","business_id":"bus_1","timestamp":"2026-01-01T00:00:00Z","data":{"payload_type":"Dispute","dispute_id":"dsp_1"}}"#,
        )
        .expect("parses");
        assert_eq!(event.event_type, "dispute.opened");
        assert_eq!(event.business_id, "bus_1");
        assert!(matches!(event.data, WebhookData::Other(v) if v["dispute_id"] == "dsp_1"));
    }

    #[test]
    fn a_refund_with_missing_fields_is_a_decode_error() {
        assert!(matches!(
            parse_webhook(br#"{"type":"refund.succeeded","business_id":"bus_1","timestamp":"2026-01-01T00:00:00Z","data":{"payload_type":"Refund","refund_id":"ref_1"}}"#),
            Err(DodoError::Decode { .. })
        ));
    }
}
