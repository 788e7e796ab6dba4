//! A saved payment method with what [`PaymentMethod`] does not carry: Dodo's finer
//! `payment_method_type` and a name to show the customer.
//!
//! Dodo's method item (spec 1.113.0, SDK 1.127.0) has card details only: there is no field
//! for a UPI VPA or a PayPal account, so a wallet is named by its type ("PayPal"), never by
//! its account.

use serde::{Deserialize, Serialize};

use crate::types::payment_method::PaymentMethod;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedPaymentMethod {
    pub method: PaymentMethod,
    /// Dodo's `payment_method_type`, lower-case: `credit`, `debit`, `paypal`, `upi_collect`,
    /// `apple_pay`, … `None` when Dodo did not send one.
    pub payment_method_type: Option<String>,
}

impl SavedPaymentMethod {
    /// "VISA •••• 4242", "PayPal", "UPI", "Apple Pay", … for buttons and receipts.
    pub fn display_name(&self) -> String {
        if let Some(card) = &self.method.card
            && self.method.kind == "card"
        {
            let network = card.network.as_deref().unwrap_or("Card");
            return match &card.last4 {
                Some(last4) => format!("{network} •••• {last4}"),
                None => network.to_owned(),
            };
        }
        match self.payment_method_type.as_deref() {
            Some(t) => method_type_name(t),
            None if self.method.kind == "upi" => "UPI".to_owned(),
            None => words(&self.method.kind),
        }
    }
}

/// How people call a Dodo `payment_method_type`: `paypal` → "PayPal", `upi_collect` → "UPI",
/// an unknown `go_pay` → "Go pay".
pub fn method_type_name(payment_method_type: &str) -> String {
    let known = match payment_method_type {
        "paypal" => "PayPal",
        "apple_pay" => "Apple Pay",
        "google_pay" => "Google Pay",
        "amazon_pay" => "Amazon Pay",
        "samsung_pay" => "Samsung Pay",
        "ali_pay" | "ali_pay_hk" => "Alipay",
        "we_chat_pay" => "WeChat Pay",
        "venmo" => "Venmo",
        "cashapp" => "Cash App",
        "upi_collect" | "upi_intent" => "UPI",
        "sepa" => "SEPA Direct Debit",
        "ach" => "ACH",
        "klarna" => "Klarna",
        "credit" | "debit" => "Card",
        other => return words(other),
    };
    known.to_owned()
}

/// `bank_transfer` → "Bank transfer".
fn words(snake: &str) -> String {
    let spaced = snake.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::payment_method::CardSummary;

    fn saved(kind: &str, type_: Option<&str>, card: Option<CardSummary>) -> SavedPaymentMethod {
        SavedPaymentMethod {
            method: PaymentMethod {
                id: "pm_1".into(),
                kind: kind.into(),
                card,
                recurring_enabled: Some(true),
                last_used_at: None,
            },
            payment_method_type: type_.map(str::to_owned),
        }
    }

    #[test]
    fn names() {
        let card = CardSummary {
            network: Some("VISA".into()),
            last4: Some("4242".into()),
            expiry_month: Some(12),
            expiry_year: Some(2030),
        };
        assert_eq!(
            saved("card", Some("credit"), Some(card)).display_name(),
            "VISA •••• 4242"
        );
        assert_eq!(
            saved("wallet", Some("paypal"), None).display_name(),
            "PayPal"
        );
        assert_eq!(
            saved("upi", Some("upi_collect"), None).display_name(),
            "UPI"
        );
        assert_eq!(saved("upi", None, None).display_name(), "UPI");
        assert_eq!(
            saved("bank_transfer", None, None).display_name(),
            "Bank transfer"
        );
        assert_eq!(
            saved("wallet", Some("go_pay"), None).display_name(),
            "Go pay"
        );
    }
}
