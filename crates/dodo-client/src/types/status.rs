//! Dodo's string enums as ours, each with an `Other(String)` fallback so a value Dodo adds
//! later is carried instead of failing. Serialized as Dodo's wire strings.

use serde::{Deserialize, Serialize};

/// Defines an enum of known wire strings plus `Other(String)`, with `as_str`, `From<&str>`
/// (exact match first, then ASCII-case-insensitive) and serde as a plain string.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($variant,)+
            /// A value this client does not know (kept as sent).
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $(if s.eq_ignore_ascii_case($wire) { return $name::$variant; })+
                $name::Other(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::from(s.as_str())
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// A payment's status. Only `Succeeded` means money moved; a saved-card charge goes
    /// `Processing` → `Succeeded`/`Failed`, a 3DS card may stop at `RequiresCustomerAction`.
    IntentStatus {
        Succeeded = "succeeded",
        Failed = "failed",
        Cancelled = "cancelled",
        Processing = "processing",
        RequiresCustomerAction = "requires_customer_action",
        RequiresMerchantAction = "requires_merchant_action",
        RequiresPaymentMethod = "requires_payment_method",
        RequiresConfirmation = "requires_confirmation",
        RequiresCapture = "requires_capture",
        PartiallyCaptured = "partially_captured",
        PartiallyCapturedAndCapturable = "partially_captured_and_capturable",
    }
}

impl IntentStatus {
    /// True when the payment will not change by itself any more.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            IntentStatus::Succeeded | IntentStatus::Failed | IntentStatus::Cancelled
        )
    }
}

wire_enum! {
    /// A subscription's status. `OnHold`: a renewal or plan-change charge failed.
    SubscriptionStatus {
        Pending = "pending",
        Active = "active",
        OnHold = "on_hold",
        Paused = "paused",
        Cancelled = "cancelled",
        Failed = "failed",
        Expired = "expired",
        PastDue = "past_due",
    }
}

wire_enum! {
    /// A refund's status: `Pending` until it settles; `Review` when Dodo holds it.
    RefundStatus {
        Succeeded = "succeeded",
        Failed = "failed",
        Pending = "pending",
        Review = "review",
    }
}

wire_enum! {
    /// A billing interval (Dodo writes them capitalised: `"Month"`).
    Interval {
        Day = "Day",
        Week = "Week",
        Month = "Month",
        Year = "Year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_unknown_and_case() {
        assert_eq!(IntentStatus::from("succeeded"), IntentStatus::Succeeded);
        assert_eq!(
            IntentStatus::from("partially_refunded"),
            IntentStatus::Other("partially_refunded".into())
        );
        assert_eq!(Interval::from("month"), Interval::Month);
        assert_eq!(Interval::Month.as_str(), "Month");
        assert_eq!(
            SubscriptionStatus::from("on_hold"),
            SubscriptionStatus::OnHold
        );
    }

    #[test]
    fn serde_as_wire_strings() {
        let json = serde_json::to_string(&IntentStatus::RequiresCustomerAction).expect("json");
        assert_eq!(json, "\"requires_customer_action\"");
        let back: IntentStatus = serde_json::from_str(&json).expect("back");
        assert_eq!(back, IntentStatus::RequiresCustomerAction);
        let other: SubscriptionStatus = serde_json::from_str("\"frozen\"").expect("other");
        assert_eq!(other, SubscriptionStatus::Other("frozen".into()));
    }
}
