//! Whether a saved payment method is worth offering for a one-click charge.
//!
//! A pre-filter only: Dodo validates again when charging. Its purpose is not to show a
//! "buy with Visa •• 4242" button that is bound to fail.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::types::payment_method::PaymentMethod;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unusable {
    /// Not a card, and Dodo did not mark it usable without the customer (`recurring_enabled`
    /// true): a wallet, UPI mandate or bank debit that may need the customer present.
    NotACard,
    /// Past the last day of its expiry month.
    Expired,
    /// Dodo says the method may not be charged without the customer present.
    RecurringDisabled,
    /// The offer's currency is not an ISO 4217 code (a bug in the caller).
    BadCurrency,
}

/// `Ok(())` when `pm` may be offered for a one-click charge of an offer in `offer_currency`
/// at `now`.
///
/// - A card is valid through the last day of its expiry month, judged in UTC (near midnight
///   at month end this may refuse a card a few hours early, never late). A card whose
///   expiry Dodo did not send is let through: Dodo checks it when charging.
/// - For a card, `recurring_enabled: None` (not reported) is let through; only an explicit
///   `false` refuses. Any other method (PayPal, a wallet, a UPI mandate) is let through only
///   when Dodo marks it `recurring_enabled: true` — usable for a merchant-initiated charge.
/// - **Currency compatibility cannot be known from the method**: Dodo's method summary says
///   nothing about currencies. `offer_currency` is only checked for shape here; the app
///   must treat Dodo's refusal of the charge (422, e.g. `NO_ELIGIBLE_PAYMENT_METHODS`) as
///   "fall back to hosted checkout".
pub fn one_click_usability(
    pm: &PaymentMethod,
    offer_currency: &str,
    now: OffsetDateTime,
) -> Result<(), Unusable> {
    if offer_currency.len() != 3 || !offer_currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Unusable::BadCurrency);
    }
    if !pm.kind.eq_ignore_ascii_case("card") {
        return match pm.recurring_enabled {
            Some(true) => Ok(()),
            Some(false) => Err(Unusable::RecurringDisabled),
            None => Err(Unusable::NotACard),
        };
    }
    if pm.recurring_enabled == Some(false) {
        return Err(Unusable::RecurringDisabled);
    }
    if let Some(card) = &pm.card
        && let (Some(month), Some(year)) = (card.expiry_month, card.expiry_year)
    {
        let today = now.to_offset(time::UtcOffset::UTC);
        let current = (today.year(), u8::from(today.month()));
        if (i32::from(year), month) < current {
            return Err(Unusable::Expired);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::payment_method::CardSummary;
    use time::macros::datetime;

    fn card(month: u8, year: u16) -> PaymentMethod {
        PaymentMethod {
            id: "pm_1".into(),
            kind: "card".into(),
            card: Some(CardSummary {
                network: Some("VISA".into()),
                last4: Some("4242".into()),
                expiry_month: Some(month),
                expiry_year: Some(year),
            }),
            recurring_enabled: Some(true),
            last_used_at: None,
        }
    }

    #[test]
    fn valid_through_the_last_day_of_the_expiry_month() {
        let pm = card(6, 2030);
        assert_eq!(
            one_click_usability(&pm, "USD", datetime!(2030-06-30 23:59:59 UTC)),
            Ok(())
        );
        assert_eq!(
            one_click_usability(&pm, "USD", datetime!(2030-07-01 00:00:00 UTC)),
            Err(Unusable::Expired)
        );
        assert_eq!(
            one_click_usability(&pm, "USD", datetime!(2030-06-01 00:00:00 UTC)),
            Ok(())
        );
    }

    #[test]
    fn year_boundaries() {
        let december = card(12, 2029);
        assert_eq!(
            one_click_usability(&december, "USD", datetime!(2029-12-31 12:00 UTC)),
            Ok(())
        );
        assert_eq!(
            one_click_usability(&december, "USD", datetime!(2030-01-01 00:00 UTC)),
            Err(Unusable::Expired)
        );
        // A later year with an earlier month is still valid.
        assert_eq!(
            one_click_usability(&card(1, 2031), "USD", datetime!(2030-12-15 00:00 UTC)),
            Ok(())
        );
    }

    #[test]
    fn judged_in_utc() {
        // 2030-07-01 01:00 in UTC is still June 30 in New York: UTC decides.
        assert_eq!(
            one_click_usability(&card(6, 2030), "USD", datetime!(2030-06-30 21:00 -04:00)),
            Err(Unusable::Expired)
        );
    }

    #[test]
    fn not_a_card_and_recurring_disabled() {
        let mut wallet = card(1, 2040);
        wallet.kind = "wallet".into();
        wallet.recurring_enabled = None;
        assert_eq!(
            one_click_usability(&wallet, "USD", datetime!(2030-01-01 00:00 UTC)),
            Err(Unusable::NotACard)
        );
        // A wallet Dodo marks chargeable without the customer is one-click; one it marks not
        // is refused as such.
        wallet.recurring_enabled = Some(true);
        assert_eq!(
            one_click_usability(&wallet, "USD", datetime!(2030-01-01 00:00 UTC)),
            Ok(())
        );
        wallet.recurring_enabled = Some(false);
        assert_eq!(
            one_click_usability(&wallet, "USD", datetime!(2030-01-01 00:00 UTC)),
            Err(Unusable::RecurringDisabled)
        );
        let mut no_recurring = card(1, 2040);
        no_recurring.recurring_enabled = Some(false);
        assert_eq!(
            one_click_usability(&no_recurring, "USD", datetime!(2030-01-01 00:00 UTC)),
            Err(Unusable::RecurringDisabled)
        );
        let mut unknown = card(1, 2040);
        unknown.recurring_enabled = None;
        assert_eq!(
            one_click_usability(&unknown, "USD", datetime!(2030-01-01 00:00 UTC)),
            Ok(())
        );
    }

    #[test]
    fn unknown_expiry_is_left_to_dodo_and_currency_shape_is_checked() {
        let mut pm = card(1, 2000);
        pm.card = None;
        assert_eq!(
            one_click_usability(&pm, "usd", datetime!(2030-01-01 00:00 UTC)),
            Ok(())
        );
        assert_eq!(
            one_click_usability(&pm, "", datetime!(2030-01-01 00:00 UTC)),
            Err(Unusable::BadCurrency)
        );
    }
}
