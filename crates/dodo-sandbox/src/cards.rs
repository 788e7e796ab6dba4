//! Test cards and what a card does when charged.
//!
//! A card's behaviour is fixed when it is saved (from its number, or set in the fixtures) and
//! kept for every later one-click charge, so a saved `…0002` card keeps declining.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardBehaviour {
    /// Charges succeed (4242 4242 4242 4242, 5555 5555 5555 4444, any other valid number).
    Succeed,
    /// Declined with `CARD_DECLINED` (4000 0000 0000 0002).
    Decline,
    /// Declined with `INSUFFICIENT_FUNDS` (4000 0000 0000 9995).
    InsufficientFunds,
    /// Needs a 3DS challenge (4000 0000 0000 3220): the payment waits in
    /// `requires_customer_action` until the sandbox challenge page is completed or failed.
    ThreeDs,
}

impl CardBehaviour {
    /// Behaviour of a test card, by its last four digits.
    pub fn from_last4(last4: &str) -> Self {
        match last4 {
            "0002" => CardBehaviour::Decline,
            "9995" => CardBehaviour::InsufficientFunds,
            "3220" => CardBehaviour::ThreeDs,
            _ => CardBehaviour::Succeed,
        }
    }

    /// The `error_code`/`error_message` a failing charge gets (Dodo's failure reasons).
    pub fn failure(self) -> Option<(&'static str, &'static str)> {
        match self {
            CardBehaviour::Decline => Some(("CARD_DECLINED", "The card was declined.")),
            CardBehaviour::InsufficientFunds => Some((
                "INSUFFICIENT_FUNDS",
                "The card has insufficient funds to complete the purchase.",
            )),
            CardBehaviour::Succeed | CardBehaviour::ThreeDs => None,
        }
    }
}

/// Card network from the first digits (enough for test cards).
pub fn network(number: &str) -> &'static str {
    match number.as_bytes().first() {
        Some(b'4') => "VISA",
        Some(b'5') | Some(b'2') => "MASTERCARD",
        Some(b'3') => "AMEX",
        Some(b'6') => "DISCOVER",
        _ => "UNKNOWN",
    }
}

/// Digits of a card number typed with spaces or dashes; `None` if anything else is in it or
/// the length is not 12–19 digits.
pub fn normalize_number(input: &str) -> Option<String> {
    let mut digits = String::new();
    for c in input.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c != ' ' && c != '-' {
            return None;
        }
    }
    (12..=19).contains(&digits.len()).then_some(digits)
}

/// The Luhn checksum every real card number (and every test card) satisfies.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Parses `MM/YY` or `MM/YYYY` into (month, four-digit year).
pub fn parse_expiry(input: &str) -> Option<(u8, i32)> {
    let (m, y) = input.trim().split_once('/')?;
    let month: u8 = m.trim().parse().ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let y = y.trim();
    let year: i32 = y.parse().ok()?;
    let year = match y.len() {
        2 => 2000 + year,
        4 => year,
        _ => return None,
    };
    Some((month, year))
}

/// A card is usable through the last day of its expiry month.
pub fn is_expired(exp_month: u8, exp_year: i32, today: time::Date) -> bool {
    let current = (today.year(), u8::from(today.month()));
    (exp_year, exp_month) < current
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn test_cards_map_to_behaviours() {
        assert_eq!(CardBehaviour::from_last4("4242"), CardBehaviour::Succeed);
        assert_eq!(CardBehaviour::from_last4("0002"), CardBehaviour::Decline);
        assert_eq!(
            CardBehaviour::from_last4("9995"),
            CardBehaviour::InsufficientFunds
        );
        assert_eq!(CardBehaviour::from_last4("3220"), CardBehaviour::ThreeDs);
        assert_eq!(
            CardBehaviour::Decline.failure().map(|f| f.0),
            Some("CARD_DECLINED")
        );
    }

    #[test]
    fn test_card_numbers_pass_luhn() {
        for n in [
            "4242424242424242",
            "4000000000000002",
            "4000000000009995",
            "4000000000003220",
            "5555555555554444",
        ] {
            assert!(luhn_valid(n), "{n}");
        }
        assert!(!luhn_valid("4242424242424241"));
    }

    #[test]
    fn numbers_and_expiry_parse() {
        assert_eq!(
            normalize_number("4242 4242 4242 4242").as_deref(),
            Some("4242424242424242")
        );
        assert_eq!(normalize_number("4242x"), None);
        assert_eq!(parse_expiry("12/34"), Some((12, 2034)));
        assert_eq!(parse_expiry("1/2030"), Some((1, 2030)));
        assert_eq!(parse_expiry("13/30"), None);
        assert_eq!(parse_expiry("garbage"), None);
    }

    #[test]
    fn expiry_is_end_of_month() {
        assert!(!is_expired(11, 2026, date!(2026 - 11 - 30)));
        assert!(is_expired(10, 2026, date!(2026 - 11 - 01)));
        assert!(is_expired(12, 2025, date!(2026 - 01 - 01)));
    }
}
