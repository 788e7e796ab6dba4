//! `SignedInMerchant`: the extractor every merchant handler takes to require a sign-in. Without
//! a signed-in session the request is answered `303 See Other` to the login page and the
//! handler never runs. Only the merchant session (its own cookie, its own table) counts: a
//! customer's offer cookie or link token names no merchant user.

use super::{csrf, users};
use crate::server::state::AppState;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The session key of the signed-in merchant user's id.
pub(super) const USER_KEY: &str = "merchant_user_id";

pub struct SignedInMerchant {
    pub user: users::MerchantUser,
    /// For [`csrf::hidden_field`] in this page's forms.
    pub csrf: csrf::CsrfToken,
    pub session: Session,
}

/// A merchant form without its session's CSRF token: answer 403 and do nothing
/// (`pages::merchant::handlers::forbidden` is the page).
#[derive(Debug, PartialEq, Eq)]
pub struct CsrfRefused;

impl SignedInMerchant {
    /// Checks a form's `csrf_token` field (constant time).
    pub async fn verify_csrf(&self, submitted: &str) -> Result<(), CsrfRefused> {
        if csrf::verify(&self.session, submitted).await {
            Ok(())
        } else {
            Err(CsrfRefused)
        }
    }
}

/// 500 without details (they are in the log). Plain text: the server writes no page.
fn internal() -> Response {
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal error",
    )
        .into_response()
}

impl<S> FromRequestParts<S> for SignedInMerchant
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to(super::LOGIN_PATH).into_response();
        // Present on every route inside `merchant_auth::router`; a route outside it has no
        // merchant session and so no merchant.
        let Some(session) = parts.extensions.get::<Session>().cloned() else {
            tracing::error!("SignedInMerchant on a route without the merchant session layer");
            return Err(to_login());
        };
        let user_id = match session.get::<String>(USER_KEY).await {
            Ok(Some(id)) => id,
            Ok(None) => return Err(to_login()),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the merchant session");
                return Err(internal());
            }
        };
        let app = AppState::from_ref(state);
        let user = match users::find_by_id(&app.store, &user_id).await {
            Ok(Some(user)) => user,
            // The account is gone: so is its session.
            Ok(None) => {
                let _ = session.flush().await;
                return Err(to_login());
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read the merchant user");
                return Err(internal());
            }
        };
        let csrf = csrf::token(&session).await.map_err(|e| {
            tracing::error!(error = %e, "cannot read the merchant session");
            internal()
        })?;
        Ok(SignedInMerchant {
            user,
            csrf,
            session,
        })
    }
}
