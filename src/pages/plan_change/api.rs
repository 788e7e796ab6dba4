//! The plan-change server functions. Each takes the page's signed token and at most the
//! chosen plan and seats; the server re-verifies the token and re-derives everything else.
//! They answer islands (JSON) and plain HTML forms alike: a form post without JavaScript is
//! answered with a redirect to the page that shows the outcome.

// The confirm form carries every money fact the customer agreed to as its own field (so the
// no-JavaScript form posts them as they are); the server-function macro turns them into as
// many arguments.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::types::plan_change::ConfirmAnswer;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::server::state::AppState;
    use leptos::prelude::*;

    pub fn state() -> Result<AppState, AppError> {
        AppState::from_context()
    }

    /// True for a plain HTML form post (no JavaScript): the answer is then a redirect.
    pub fn plain_form() -> bool {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(axum::http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.contains("text/html"))
            })
            .unwrap_or(false)
    }

    /// Sends a plain form to `url`; an island gets the value instead.
    pub fn redirect_form(url: &str) {
        if plain_form() && axum::http::HeaderValue::from_str(url).is_ok() {
            leptos_axum::redirect(url);
        }
    }

    /// Tokens (JWT: base64url and dots) and Dodo ids travel into redirect URLs: anything else
    /// is refused before it gets there.
    pub fn url_safe(value: &str, field: &str) -> Result<(), AppError> {
        let ok = !value.is_empty()
            && value.len() <= 4096
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if ok {
            Ok(())
        } else {
            Err(AppError::Malformed(field.to_owned()))
        }
    }
}

/// Previews switching the link's subscription to `product_id` × `quantity` at Dodo, at the
/// timing `when` for a subscription in its trial (`trial_end`, the default, or `now`). The
/// answer is the preview rendered for the island to place (`preview_parts::fragment`), or the
/// customer's sentence for why there is none; only a malformed request is an error.
#[server(prefix = "/api", endpoint = "plan_change_preview")]
pub async fn preview_plan_change(
    token: String,
    product_id: String,
    quantity: i64,
    when: Option<String>,
) -> Result<String, AppError> {
    use crate::server::plan_change;
    ssr::url_safe(&token, "token")?;
    ssr::url_safe(&product_id, "product_id")?;
    let state = ssr::state()?;
    let locale = crate::context::current_locale();
    let previewed = async {
        let loaded = plan_change::load(&state, Some(&token)).await?;
        let timing = plan_change::Timing::parse(when.as_deref());
        let previewed =
            plan_change::preview(&state, &loaded, &product_id, quantity, timing).await?;
        Ok::<_, AppError>(plan_change::preview_facts(&state, &loaded, &previewed).await)
    };
    Ok(match previewed.await {
        Ok(facts) => super::fragment(super::present::preview(locale, &facts), token, locale),
        Err(e) => super::problem_fragment(e.message(locale)),
    })
}

/// Confirms the switch the customer agreed to. `when` is a trial's choice (`trial_end`, `now`).
/// The `agreed_*` fields are every money fact the
/// dialog showed (minor units; the next billing date in unix seconds), all required: a consent
/// check only — the server previews again and sends nothing when Dodo's preview differs in
/// any; it never charges the numbers it was given.
#[server(prefix = "/api", endpoint = "plan_change_confirm")]
pub async fn confirm_plan_change(
    token: String,
    product_id: String,
    quantity: Option<String>,
    agreed_total: Option<String>,
    agreed_currency: Option<String>,
    agreed_tax: Option<String>,
    agreed_credits: Option<String>,
    agreed_next_billing: Option<String>,
    when: Option<String>,
) -> Result<ConfirmAnswer, AppError> {
    use super::present;
    use super::urls::{self, ReviewProblem};
    use crate::server::plan_change::{self, Confirmed, PlanChangeError};
    use crate::types::plan_change::AgreedFacts;
    ssr::url_safe(&token, "token")?;
    ssr::url_safe(&product_id, "product_id")?;
    let locale = crate::context::current_locale();
    let number = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let currency = agreed_currency
        .as_deref()
        .map(str::trim)
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()));
    // A quantity that is not a whole number is a malformed request; missing agreed facts mean
    // the customer never saw the dialog's figures (no consent).
    let Some(quantity) = number(&quantity) else {
        return Err(AppError::Malformed("quantity".to_owned()));
    };
    let (Some(total), Some(currency), Some(tax), Some(credits), Some(next)) = (
        number(&agreed_total),
        currency,
        number(&agreed_tax),
        number(&agreed_credits),
        number(&agreed_next_billing),
    ) else {
        return Err(AppError::ConsentMissing);
    };
    let agreed = AgreedFacts {
        total_minor: total,
        currency: currency.to_ascii_uppercase(),
        tax_minor: tax,
        credits_minor: credits,
        next_billing: next,
    };
    let state = ssr::state()?;
    // Without JavaScript the review page says why nothing was sent (and previews again).
    let timing = plan_change::Timing::parse(when.as_deref());
    let review = |problem| {
        urls::review_with_problem(&token, &product_id, quantity, timing.as_str(), problem)
    };
    let answer =
        match plan_change::confirm(&state, &token, &product_id, quantity, timing, &agreed).await {
            Ok(Confirmed::Attempt(id)) => ConfirmAnswer {
                go_to: Some(crate::routes::plan_change_status(&token, &id)),
                ..ConfirmAnswer::default()
            },
            Ok(Confirmed::InFlight(id)) => ConfirmAnswer {
                go_to: Some(urls::status_in_flight(&token, &id)),
                ..ConfirmAnswer::default()
            },
            Ok(Confirmed::Drifted(drift)) => {
                ssr::redirect_form(&review(ReviewProblem::moved(&drift)));
                return Ok(ConfirmAnswer {
                    problem: Some(present::drift_text(locale, &drift)),
                    repreview: true,
                    ..ConfirmAnswer::default()
                });
            }
            Ok(Confirmed::Problem(problem)) => {
                ssr::redirect_form(&review(ReviewProblem::NotSent));
                return Ok(ConfirmAnswer {
                    problem: Some(present::switch_problem(locale, &problem).to_owned()),
                    ..ConfirmAnswer::default()
                });
            }
            Err(PlanChangeError::Link(e)) => {
                ssr::redirect_form(&crate::routes::plan_change(&token));
                return Err(e.into());
            }
            Err(e) => {
                ssr::redirect_form(&review(ReviewProblem::NotSent));
                tracing::warn!(error = %e, "plan change confirm failed");
                return Ok(ConfirmAnswer {
                    problem: Some(present::change_failed(locale).to_owned()),
                    ..ConfirmAnswer::default()
                });
            }
        };
    if let Some(url) = &answer.go_to {
        ssr::redirect_form(url);
    }
    Ok(answer)
}

/// Whether the change `attempt` has settled (for the status page's watcher).
#[server(prefix = "/api", endpoint = "plan_change_settled")]
pub async fn plan_change_settled(token: String, attempt: String) -> Result<bool, AppError> {
    ssr::url_safe(&token, "token")?;
    ssr::url_safe(&attempt, "attempt")?;
    let state = ssr::state()?;
    Ok(crate::server::plan_change::is_settled(&state, &token, &attempt).await?)
}

/// Undoes the subscription's scheduled change, then shows the plans again.
#[server(prefix = "/api", endpoint = "plan_change_undo")]
pub async fn undo_plan_change(token: String) -> Result<String, AppError> {
    use super::urls::{PlansNotice, plans_with_notice};
    use crate::server::plan_change::{self, PlanChangeError, UndoOutcome};
    ssr::url_safe(&token, "token")?;
    let state = ssr::state()?;
    let url = match plan_change::undo(&state, &token).await {
        Ok(UndoOutcome::Undone) => plans_with_notice(&token, PlansNotice::Undone),
        Ok(UndoOutcome::NotUndone) => plans_with_notice(&token, PlansNotice::UndoFailed),
        // The plans page explains a bad link.
        Err(PlanChangeError::Link(_)) => crate::routes::plan_change(&token),
        Err(e) => {
            tracing::warn!(error = %e, "undo failed");
            plans_with_notice(&token, PlansNotice::UndoFailed)
        }
    };
    ssr::redirect_form(&url);
    Ok(url)
}

/// Sends the subscriber to Dodo's page for a new card (which also pays an on-hold
/// subscription's dues); it comes back to the plan-change page.
#[server(prefix = "/api", endpoint = "plan_change_update_card")]
pub async fn update_payment_method(token: String) -> Result<String, AppError> {
    use super::urls::{PlansNotice, plans_with_notice};
    ssr::url_safe(&token, "token")?;
    let state = ssr::state()?;
    match crate::server::plan_change::update_payment_method_link(&state, &token).await {
        Ok(link) => {
            ssr::redirect_form(&link);
            Ok(link)
        }
        Err(e) => {
            ssr::redirect_form(&plans_with_notice(&token, PlansNotice::CardFailed));
            Err(e.into())
        }
    }
}
