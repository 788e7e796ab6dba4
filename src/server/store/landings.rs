//! Every return from Dodo's checkout, with what came of it: the offer shown (and whether it is
//! one click or a checkout), or why there was none. A merchant reads these to answer "why
//! didn't my customer see the offer?" without our logs.

use super::{Store, StoreError, new_id, now_millis};
use sqlx::Row;
use sqlx::any::AnyRow;

/// What one landing recorded. `outcome` is a [`LandingOutcome`] code; the rest is what was
/// known at that point (an unknown payment has no customer).
#[derive(Clone, Debug, PartialEq)]
pub struct Landing {
    pub id: String,
    pub payment_id: String,
    pub customer_id: Option<String>,
    pub landed_at: i64,
    pub outcome: LandingOutcome,
    pub rule_id: Option<String>,
    pub offer_id: Option<String>,
    /// Why the offer shown can only be bought through a normal checkout (a fallback reason
    /// code, e.g. `card_expired`); `None` when one click works or no offer was shown.
    pub one_click_blocked: Option<String>,
    /// Whether the customer owed Dodo a subscription payment (the offer page then asks for it
    /// first); `None` when Dodo could not tell us.
    pub owes_money: Option<bool>,
    pub embedded: bool,
    /// The rules that matched the purchase but were skipped, and why: `rule: reason` entries.
    pub skipped: Vec<String>,
}

/// Why a landing did or did not lead to an offer. Stored as its code; the dashboard words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LandingOutcome {
    Offered,
    NoRuleMatched,
    AskedForNoOffers,
    DontShowThisAgain,
    AlreadyBought,
    DeclinedRecently,
    OfferProductUnavailable,
    WindowPassed,
    PaymentNotSucceeded,
    PaymentProcessing,
    UnknownPayment,
    NotThisBrowser,
    DodoUnavailable,
}

impl LandingOutcome {
    pub const ALL: [LandingOutcome; 13] = [
        LandingOutcome::Offered,
        LandingOutcome::NoRuleMatched,
        LandingOutcome::AskedForNoOffers,
        LandingOutcome::DontShowThisAgain,
        LandingOutcome::AlreadyBought,
        LandingOutcome::DeclinedRecently,
        LandingOutcome::OfferProductUnavailable,
        LandingOutcome::WindowPassed,
        LandingOutcome::PaymentNotSucceeded,
        LandingOutcome::PaymentProcessing,
        LandingOutcome::UnknownPayment,
        LandingOutcome::NotThisBrowser,
        LandingOutcome::DodoUnavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LandingOutcome::Offered => "offered",
            LandingOutcome::NoRuleMatched => "no_rule_matched",
            LandingOutcome::AskedForNoOffers => "asked_for_no_offers",
            LandingOutcome::DontShowThisAgain => "dont_show_this_again",
            LandingOutcome::AlreadyBought => "already_bought",
            LandingOutcome::DeclinedRecently => "declined_recently",
            LandingOutcome::OfferProductUnavailable => "offer_product_unavailable",
            LandingOutcome::WindowPassed => "window_passed",
            LandingOutcome::PaymentNotSucceeded => "payment_not_succeeded",
            LandingOutcome::PaymentProcessing => "payment_processing",
            LandingOutcome::UnknownPayment => "unknown_payment",
            LandingOutcome::NotThisBrowser => "not_this_browser",
            LandingOutcome::DodoUnavailable => "dodo_unavailable",
        }
    }

    pub fn parse(code: &str) -> Option<LandingOutcome> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// A landing to record; the store adds the id and the time.
#[derive(Clone, Debug, Default)]
pub struct NewLanding {
    pub payment_id: String,
    pub customer_id: Option<String>,
    pub rule_id: Option<String>,
    pub offer_id: Option<String>,
    pub one_click_blocked: Option<String>,
    pub owes_money: Option<bool>,
    pub embedded: bool,
    pub skipped: Vec<String>,
}

/// The most landings one search returns (the dashboard pages through nothing larger).
pub const MAX_LANDINGS: i64 = 200;

const COLUMNS: &str = "id, payment_id, customer_id, landed_at, outcome, rule_id, offer_id, \
    one_click_blocked, owes_money, embedded, skipped";

fn from_row(row: &AnyRow) -> Result<Landing, sqlx::Error> {
    let outcome: String = row.try_get("outcome")?;
    let skipped: String = row.try_get("skipped")?;
    let owes_money: Option<i64> = row.try_get("owes_money")?;
    let embedded: i64 = row.try_get("embedded")?;
    Ok(Landing {
        id: row.try_get("id")?,
        payment_id: row.try_get("payment_id")?,
        customer_id: row.try_get("customer_id")?,
        landed_at: row.try_get("landed_at")?,
        // Only this file writes the column, from `LandingOutcome::code`.
        outcome: LandingOutcome::parse(&outcome).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown landing outcome {outcome:?}").into())
        })?,
        rule_id: row.try_get("rule_id")?,
        offer_id: row.try_get("offer_id")?,
        one_click_blocked: row.try_get("one_click_blocked")?,
        owes_money: owes_money.map(|v| v != 0),
        embedded: embedded != 0,
        skipped: serde_json::from_str(&skipped)
            .map_err(|e| sqlx::Error::Decode(format!("landing skipped rules: {e}").into()))?,
    })
}

impl Store {
    pub async fn record_landing(
        &self,
        outcome: LandingOutcome,
        landing: &NewLanding,
    ) -> Result<String, StoreError> {
        let id = new_id("lnd");
        sqlx::query(
            "INSERT INTO landings (id, payment_id, customer_id, landed_at, outcome, rule_id, offer_id, \
             one_click_blocked, owes_money, embedded, skipped) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(&landing.payment_id)
        .bind(&landing.customer_id)
        .bind(now_millis())
        .bind(outcome.code())
        .bind(&landing.rule_id)
        .bind(&landing.offer_id)
        .bind(&landing.one_click_blocked)
        .bind(landing.owes_money.map(i64::from))
        .bind(i64::from(landing.embedded))
        // A JSON list in a TEXT column: the same on both backends, whatever a rule id holds.
        .bind(serde_json::to_string(&landing.skipped).unwrap_or_else(|_| "[]".into()))
        .execute(self.pool())
        .await?;
        Ok(id)
    }

    /// The latest landings, newest first; with `search`, only those of that payment or
    /// customer id (exactly: ids are what a merchant copies from Dodo's dashboard).
    pub async fn recent_landings(
        &self,
        search: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Landing>, StoreError> {
        let limit = limit.clamp(1, MAX_LANDINGS);
        let rows = match search.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM landings WHERE payment_id = $1 OR customer_id = $1 \
                     ORDER BY landed_at DESC, id DESC LIMIT $2"
                ))
                .bind(id)
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM landings ORDER BY landed_at DESC, id DESC LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
        };
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }
}
