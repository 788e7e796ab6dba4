//! `GET /offer/landing`: where Dodo's checkout sends the customer back (`return_url`), with
//! `payment_id` and `status` appended. Verifies the purchase with Dodo, binds this browser to
//! it, picks the first offer and redirects to it — dropping the payment id from the address.

use super::super::state::AppState;
use super::selection::{choose_for_step, window_end};
use super::session::{self, OfferSession};
use super::trace;
use crate::server::store::LandingOutcome;
use axum::{
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use dodo_client::{DodoError, IntentStatus, Payment};
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, Deserialize)]
pub struct LandingQuery {
    payment_id: Option<String>,
    /// `1` when the page is shown inside a merchant's iframe (see `embed.js`).
    embed: Option<String>,
    /// The session a reloaded merchant page hands back to its frame (`embed.js` keeps it where
    /// the frame's cookie is blocked).
    access: Option<String>,
    #[allow(dead_code)] // Dodo's claim; we ask Dodo ourselves instead of trusting the URL.
    status: Option<String>,
}

/// Why there is no offer page to show; the `/offer/unavailable` page explains each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    Missing,
    Unknown,
    NotPaid,
    Processing,
    Expired,
    OtherBrowser,
    DodoDown,
}

impl Unavailable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unavailable::Missing => "missing",
            Unavailable::Unknown => "unknown",
            Unavailable::NotPaid => "not-paid",
            Unavailable::Processing => "processing",
            Unavailable::Expired => "expired",
            Unavailable::OtherBrowser => "other-browser",
            Unavailable::DodoDown => "unavailable",
        }
    }
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn unavailable(reason: Unavailable) -> Response {
    see_other(&crate::routes::offer_unavailable(reason.as_str()))
}

/// How long the landing waits for a purchase Dodo is still processing (Dodo can send the
/// customer back a moment before the payment settles), and how often it asks meanwhile.
const PROCESSING_WAIT: Duration = Duration::from_secs(4);
const PROCESSING_POLL: Duration = Duration::from_millis(500);

/// The purchase as Dodo holds it, waiting up to [`PROCESSING_WAIT`] while it is processing.
/// A final payment already known (from its signed `payment.succeeded` webhook, or an earlier
/// landing) is not read again: against real Dodo that saves a round trip before the offer. A
/// final payment read here is kept the same way, for the offer pages.
async fn settled_purchase(state: &AppState, payment_id: &str) -> Result<Payment, DodoError> {
    let deadline = tokio::time::Instant::now() + PROCESSING_WAIT;
    loop {
        let payment = state.dodo_reads.payment(payment_id).await?;
        let processing = matches!(payment.status, Some(IntentStatus::Processing) | None);
        if !processing || tokio::time::Instant::now() + PROCESSING_POLL > deadline {
            return Ok(payment);
        }
        tokio::time::sleep(PROCESSING_POLL).await;
    }
}

pub async fn land(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<LandingQuery>,
) -> Response {
    let Some(payment_id) = query.payment_id.filter(|p| !p.trim().is_empty()) else {
        return unavailable(Unavailable::Missing);
    };
    let embedded = query.embed.as_deref() == Some("1");
    // Each early return below is also a line of the merchant's trace (`trace`); an id the Dodo
    // client refuses as malformed is not traced: it names no purchase anyone could look up.
    let stop = |outcome: LandingOutcome, purchase: Option<&Payment>, reason: Unavailable| {
        let landing = trace::before_choice(&payment_id, purchase, embedded);
        let state = state.clone();
        async move {
            trace::record(&state, outcome, landing).await;
            unavailable(reason)
        }
    };
    let purchase = match settled_purchase(&state, &payment_id).await {
        Ok(p) => p,
        Err(DodoError::NotFound { .. }) => {
            return stop(LandingOutcome::UnknownPayment, None, Unavailable::Unknown).await;
        }
        Err(DodoError::InvalidRequest { .. }) => return unavailable(Unavailable::Unknown),
        Err(e) => {
            tracing::warn!(error = %e, "landing: cannot verify the purchase with Dodo");
            return stop(LandingOutcome::DodoUnavailable, None, Unavailable::DodoDown).await;
        }
    };
    match purchase.status {
        Some(IntentStatus::Succeeded) => {}
        Some(IntentStatus::Processing) | None => {
            return stop(
                LandingOutcome::PaymentProcessing,
                Some(&purchase),
                Unavailable::Processing,
            )
            .await;
        }
        Some(_) => {
            return stop(
                LandingOutcome::PaymentNotSucceeded,
                Some(&purchase),
                Unavailable::NotPaid,
            )
            .await;
        }
    }
    // Verified now, and kept by `dodo_reads` (a succeeded payment is final): the offer pages
    // read it from there instead of asking Dodo again.
    super::cross_sell::remember_purchase(&state, &purchase).await;
    let closes = window_end(&state, &purchase);
    let now = state.clock.now_millis();
    if now >= closes {
        return stop(
            LandingOutcome::WindowPassed,
            Some(&purchase),
            Unavailable::Expired,
        )
        .await;
    }

    // Reuse this browser's session for the purchase (a reload), or start one.
    let existing = session::from_request(&state, query.access.as_deref(), &headers)
        .filter(|s| s.payment_id == purchase.id && s.embedded == embedded);
    let session: OfferSession = match existing {
        Some(s) => s,
        None => match session::issue(
            &state,
            &purchase.customer_id,
            &purchase.id,
            super::now_secs() + (closes - now) / 1000,
            embedded,
        ) {
            // The cookie set below carries it from now on (inside an iframe it may be blocked,
            // so embedded pages also carry it in the address).
            Ok(s) => OfferSession {
                via_cookie: true,
                ..s
            },
            Err(e) => {
                tracing::error!(error = %e, "landing: cannot sign the session");
                return stop(
                    LandingOutcome::DodoUnavailable,
                    Some(&purchase),
                    Unavailable::DodoDown,
                )
                .await;
            }
        },
    };
    match state
        .store
        .bind_purchase(&purchase.id, &session.session_id, &purchase.customer_id)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return stop(
                LandingOutcome::NotThisBrowser,
                Some(&purchase),
                Unavailable::OtherBrowser,
            )
            .await;
        }
        Err(e) => {
            tracing::error!(error = %e, "landing: store unavailable");
            return unavailable(Unavailable::DodoDown);
        }
    }

    // What the offer page will need (the customer's methods and money owed, the name of what
    // they bought) is asked for while the offer is chosen: the page's first view then makes
    // no call of its own. A failure here only means the page asks.
    let bought = purchase.product_ids.first().cloned().unwrap_or_default();
    let (chosen, customer, product, lang_cookie) = tokio::join!(
        choose_for_step(&state, &purchase, 1),
        // Fresh: the purchase itself may just have saved a new method.
        state.dodo_reads.fresh_customer(&purchase.customer_id),
        state.dodo_reads.product(&bought),
        // The customer's language at Dodo, kept in a cookie for the offer pages.
        crate::server::locale::remember_preferred(
            &state,
            uri.query(),
            &headers,
            &purchase.customer_id
        )
    );
    // The landing's trace: which purchase, what was chosen or why nothing was, whether one
    // click can buy it, and whether the customer owes money (the offer page then shows the
    // payment notice instead of the offer). Kept in the store for the merchant dashboard.
    let owes_money = customer.as_ref().ok().map(|c| c.owed.is_some());
    tracing::info!(
        payment = %purchase.id,
        offer = chosen.as_ref().ok().and_then(|c| c.offer.as_ref()).map(|o| o.id.as_str()),
        owes_money,
        "landing"
    );
    if let Ok(choice) = &chosen {
        let (outcome, landing) =
            trace::of_choice(&purchase, choice, customer.as_deref().ok(), embedded);
        trace::record(&state, outcome, landing).await;
    }
    if let Some(e) = customer.err().or(product.err()) {
        tracing::info!(error = %e, "landing: not all prefetched; the page asks");
    }
    let target = match chosen.map(|c| c.offer) {
        Ok(Some(offer)) => session.location(&crate::routes::offer(&offer.id)),
        Ok(None) => state.merchant.upsell.continue_url.clone(),
        Err(e) => {
            tracing::error!(error = %e, "landing: cannot choose an offer");
            state.merchant.upsell.continue_url.clone()
        }
    };
    let mut response = see_other(&target);
    let max_age = (closes - now) / 1000;
    if let Ok(cookie) = HeaderValue::from_str(&session::set_cookie_value(
        &session,
        max_age,
        state.config.behind_tls(),
    )) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    if let Some(cookie) = lang_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Debug, Deserialize)]
pub struct ResultQuery {
    access: Option<String>,
    /// `1` when the customer left the fallback checkout without paying (its `cancel_url`).
    cancelled: Option<String>,
}

/// `GET /offer/{id}/result`: back from a 3-D Secure confirmation or the fallback checkout.
pub async fn result(
    State(state): State<AppState>,
    axum::extract::Path(offer_id): axum::extract::Path<String>,
    headers: HeaderMap,
    Query(query): Query<ResultQuery>,
) -> Response {
    // The id goes back into a Location header below: only ours get that far.
    if !crate::server::request::is_our_id("off", &offer_id) {
        return (StatusCode::NOT_FOUND, "No such offer.").into_response();
    }
    let session = session::from_request(&state, query.access.as_deref(), &headers);
    match super::actions::result(
        &state,
        &offer_id,
        session.as_ref(),
        query.cancelled.as_deref() == Some("1"),
    )
    .await
    {
        Ok(next) => see_other(&next),
        Err(e) => {
            tracing::warn!(error = %e, "offer result refused");
            see_other(&crate::routes::offer(&offer_id))
        }
    }
}
