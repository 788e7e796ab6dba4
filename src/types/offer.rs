//! What the offer page shows, as decided by the server. Islands receive parts of it as props,
//! so everything here is plain data: amounts already formatted or as [`Money`], no secrets
//! beyond the customer's own session token.

use crate::money::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferView {
    pub offer_id: String,
    /// The browser's session token, repeated in every form so the actions also work where
    /// cookies do not (a merchant's iframe).
    pub access: String,
    /// This page's own address, keeping the session and the embed layout ("Check again"):
    /// inside an iframe without third-party cookies the address is all the frame has.
    pub page_url: String,
    pub is_downsell: bool,
    /// A cross-sell to an existing customer (no purchase to confirm at the top).
    pub is_cross_sell: bool,
    /// What the customer just bought, for the confirmation header.
    pub purchased: String,
    pub product_name: String,
    pub description: Option<String>,
    pub image: Option<String>,
    pub headline: String,
    pub value_points: Vec<String>,
    pub badge: Option<String>,
    pub price: Money,
    /// What the offer cost before Dodo's price moved, when it did since the offer was made:
    /// the page says so before asking again.
    pub price_was: Option<Money>,
    pub compare_at: Option<Money>,
    pub recurring: Option<RecurringTerms>,
    pub tax_inclusive: Option<bool>,
    pub card: Option<CardView>,
    /// Unix seconds; the server refuses to charge after it.
    pub expires_at: i64,
    /// The same moment as RFC 3339, for `<time datetime>`.
    pub expires_at_iso: String,
    pub minutes_left: i64,
    pub state: OfferState,
    pub continue_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurringTerms {
    /// `Day`, `Week`, `Month` or `Year`.
    pub interval: String,
    pub count: i64,
}

/// The saved card a one-click charge would use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    /// Dodo's id of the method. The Pay form sends it back: the customer agreed to be charged
    /// on this method, and the server charges no other.
    pub id: String,
    pub network: String,
    pub last4: String,
    /// `MM/YY`, or empty when Dodo did not say.
    pub expiry: String,
    /// A method that is not a card, by name ("PayPal", "UPI"); then the card fields are empty.
    pub method: Option<String>,
}

/// Why the offer cannot be bought with one click (the page offers a normal checkout instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FallbackReason {
    NoSavedCard,
    CardExpired,
    NotACard,
    RecurringDisabled,
    CurrencyMismatch,
    /// Dodo refused the saved card for this charge (e.g. not eligible for the currency).
    CardNotAccepted,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OfferState {
    /// One click away.
    Open,
    /// Only a normal checkout is possible, for this reason.
    CheckoutOnly(FallbackReason),
    /// The charge was sent; the outcome is on its way.
    Processing,
    /// Dodo's answer was lost; we are asking Dodo what happened (never charging again).
    Confirming,
    /// A normal checkout for the offer is open at this link (pay there, or come back).
    CheckoutOpen { link: String },
    /// The customer owns the product already (or is buying it through another offer).
    Owned,
    /// The bank wants the customer to confirm (3-D Secure) at this link.
    NeedsAction { link: String },
    /// Paid. `next` is the next offer of this purchase, if any; `receipt` what was bought
    /// (when Dodo's payment could be read); `undo` whether it can still be taken back.
    Succeeded {
        next: Option<String>,
        receipt: Option<Receipt>,
        undo: Undo,
    },
    /// The customer undid the purchase: the refund is on its way.
    Undoing { receipt: Option<Receipt> },
    /// The purchase was refunded in full (Dodo confirmed it).
    Undone { receipt: Option<Receipt> },
    /// The customer owes money on a subscription (a renewal failed, it is on hold): no pitch,
    /// a way to fix the payment instead.
    OwesMoney { plan: String },
    /// Not charged, for this reason (Dodo's code, e.g. `CARD_DECLINED`).
    Failed { code: String },
    /// The customer asked not to see offers like this again.
    Suppressed,
    /// The customer said no thanks.
    Declined,
    /// The offer window closed before anything was charged.
    Expired,
}

/// What a paid offer's page says was bought: the product, the amount, the method charged and
/// Dodo's invoice when there is one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub product_name: String,
    pub amount: Money,
    /// "VISA •••• 4242", "PayPal", … (empty when Dodo did not say).
    pub method: String,
    pub invoice_url: Option<String>,
}

/// Whether a paid offer can be undone (refunded in full by the customer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Undo {
    /// Until `until` (unix seconds, Dodo's clock), `minutes_left` from now.
    Available { until: i64, minutes_left: i64 },
    /// The refund was asked for and Dodo refused it: nothing was refunded.
    Failed,
    /// Not (or no longer) possible: the window passed, undo is off, or it was not a one-click
    /// charge.
    Unavailable,
}

/// Why an undo was refused (nothing was sent to Dodo).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UndoRefusal {
    /// The undo window has passed.
    WindowPassed,
    /// The payment was refunded already (in full or in part, here or by the merchant).
    AlreadyRefunded,
    /// Only a paid one-click purchase can be undone (and only where the merchant allows it).
    NotUndoable,
}

/// Which state an offer is in, without its details: what the page's progress poller compares.
/// On the wire it is its [`name`](Self::name), so the poller compares the status endpoint's
/// answer as a plain string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OfferStateKind {
    Open,
    CheckoutOnly,
    Processing,
    Confirming,
    CheckoutOpen,
    Owned,
    NeedsAction,
    Succeeded,
    Failed,
    Suppressed,
    Declined,
    Expired,
    Undoing,
    Undone,
    OwesMoney,
}

impl OfferStateKind {
    /// A short machine name, for tests and merchants' analytics (`data-state`).
    pub fn name(self) -> &'static str {
        match self {
            OfferStateKind::Open => "open",
            OfferStateKind::CheckoutOnly => "checkout-only",
            OfferStateKind::Processing => "processing",
            OfferStateKind::Confirming => "confirming",
            OfferStateKind::CheckoutOpen => "checkout-open",
            OfferStateKind::Owned => "owned",
            OfferStateKind::NeedsAction => "needs-action",
            OfferStateKind::Succeeded => "succeeded",
            OfferStateKind::Failed => "failed",
            OfferStateKind::Suppressed => "suppressed",
            OfferStateKind::Declined => "declined",
            OfferStateKind::Expired => "expired",
            OfferStateKind::Undoing => "undoing",
            OfferStateKind::Undone => "undone",
            OfferStateKind::OwesMoney => "owes-money",
        }
    }
}

impl OfferState {
    pub fn kind(&self) -> OfferStateKind {
        match self {
            OfferState::Open => OfferStateKind::Open,
            OfferState::CheckoutOnly(_) => OfferStateKind::CheckoutOnly,
            OfferState::Processing => OfferStateKind::Processing,
            OfferState::Confirming => OfferStateKind::Confirming,
            OfferState::CheckoutOpen { .. } => OfferStateKind::CheckoutOpen,
            OfferState::Owned => OfferStateKind::Owned,
            OfferState::NeedsAction { .. } => OfferStateKind::NeedsAction,
            OfferState::Succeeded { .. } => OfferStateKind::Succeeded,
            OfferState::Failed { .. } => OfferStateKind::Failed,
            OfferState::Suppressed => OfferStateKind::Suppressed,
            OfferState::Declined => OfferStateKind::Declined,
            OfferState::Expired => OfferStateKind::Expired,
            OfferState::Undoing { .. } => OfferStateKind::Undoing,
            OfferState::Undone { .. } => OfferStateKind::Undone,
            OfferState::OwesMoney { .. } => OfferStateKind::OwesMoney,
        }
    }

    /// A short machine name, for tests and merchants' analytics (`data-state`).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}

/// Why an action did not do what was asked, shown above the offer after the redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferNotice {
    /// "No thanks" (or a second Pay) while the payment is being processed.
    PaymentInProgress,
    /// Pay after "No thanks".
    AlreadyDeclined,
    /// The customer already has the product (bought through another offer or elsewhere).
    AlreadyOwned,
}

impl OfferNotice {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferNotice::PaymentInProgress => "in_progress",
            OfferNotice::AlreadyDeclined => "declined",
            OfferNotice::AlreadyOwned => "owned",
        }
    }

    /// The notice named in a page address; anything else is ignored.
    pub fn parse(s: &str) -> Option<OfferNotice> {
        Some(match s {
            "in_progress" => OfferNotice::PaymentInProgress,
            "declined" => OfferNotice::AlreadyDeclined,
            "owned" => OfferNotice::AlreadyOwned,
            _ => return None,
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::OfferStateKind::{self, *};

    #[test]
    fn an_offer_state_travels_as_its_name() {
        let all: [OfferStateKind; 15] = [
            Open,
            CheckoutOnly,
            Processing,
            Confirming,
            CheckoutOpen,
            Owned,
            NeedsAction,
            Succeeded,
            Failed,
            Suppressed,
            Declined,
            Expired,
            Undoing,
            Undone,
            OwesMoney,
        ];
        for kind in all {
            let wire = serde_json::to_value(kind).unwrap();
            assert_eq!(wire, serde_json::Value::from(kind.name()));
        }
    }
}
