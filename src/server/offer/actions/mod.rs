//! What the offer page's buttons do. Each takes only the offer id, the browser's session and —
//! for the buttons that pay — the amount the customer was shown; everything else (customer,
//! card, product, price) the server looks up itself. Each returns where the browser goes next.
//!
//! Money moves only through the engine (`server::attempts`): a charge or a fallback checkout is
//! recorded together with the customer's decision and their claim on the product, so a second
//! tab, a second offer of the same product, or "No thanks" while paying cannot get past it.

mod answers;
mod checkout;
mod pay;
mod undo;

pub use answers::{decline, suppress, unsuppress};
pub use checkout::{checkout, portal, result};
pub use pay::{accept, accept_to_the_end};
pub use undo::{fix_payment, undo};

use super::session::OfferSession;
use crate::routes;
use crate::types::offer::OfferNotice;

/// The amount the customer was shown on the button they pressed. A consent check only: the
/// server charges what Dodo prices, and refuses when that is not what the customer saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreed {
    pub amount_minor: i64,
    pub currency: String,
    /// The saved method the Pay button named (`None` where no method is charged: a checkout).
    pub method_id: Option<String>,
}

/// The offer page, keeping the session (and the embed layout) across the redirect.
pub(super) fn page_for(session: Option<&OfferSession>, offer_id: &str) -> String {
    page_with(session, &routes::offer(offer_id))
}

pub(super) fn page_with(session: Option<&OfferSession>, path: &str) -> String {
    match session {
        Some(s) => s.location(path),
        None => path.to_owned(),
    }
}

/// The offer page with a notice saying why nothing happened.
pub(super) fn page_noting(
    session: Option<&OfferSession>,
    offer_id: &str,
    notice: OfferNotice,
) -> String {
    page_with(
        session,
        &format!("{}?notice={}", routes::offer(offer_id), notice.as_str()),
    )
}
