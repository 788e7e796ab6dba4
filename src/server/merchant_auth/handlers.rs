//! The sign-in pages: `GET`/`POST /merchant/login`, `POST /merchant/logout`, `GET /merchant`.

use super::rate_limit::{ClientIp, LoginLimits};
use super::signed_in::{SignedInMerchant, USER_KEY};
use super::{csrf, passwords, users};
use crate::pages::merchant::home::MerchantHome;
use crate::pages::merchant::layout::{MerchantLayout, MessagePage, document};
use crate::pages::merchant::login::LoginPage;
use crate::pages::merchant::text;
use crate::server::state::AppState;
use axum::extract::{Extension, Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;
use tower_sessions::Session;

/// A missing field reads as empty: a form without its token is refused (403) like one with
/// a wrong token, not answered 422 by the form parser.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// A form whose only field is the CSRF token (Sign out).
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

/// `GET /merchant/login`. The login form is protected like every other merchant form, with a
/// token in a pre-session: a forged sign-in would put the merchant's browser into an account
/// of the attacker's choosing (login CSRF). The Origin check alone (`request_guard`) would
/// hold only as far as browsers send the headers; the token also covers the rest, and it is
/// the same check every merchant form uses. The cost is a session row per login page view,
/// dropped when it expires.
pub async fn login_page(session: Session) -> Response {
    if matches!(session.get::<String>(USER_KEY).await, Ok(Some(_))) {
        return Redirect::to(super::HOME_PATH).into_response();
    }
    match csrf::token(&session).await {
        Ok(token) => login_answer(StatusCode::OK, String::new(), None, token),
        Err(e) => {
            tracing::error!(error = %e, "cannot start a merchant pre-session");
            internal()
        }
    }
}

/// `POST /merchant/login`: token, then the rate limits, then the password; on success a new
/// session id (so an id planted before sign-in is worth nothing) and a new CSRF token.
pub async fn login(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<LoginLimits>>,
    ClientIp(ip): ClientIp,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Response {
    if !csrf::verify(&session, &form.csrf_token).await {
        return forbidden();
    }
    let Ok(token) = csrf::token(&session).await else {
        return internal();
    };
    if let Err(wait) = limits.check(ip, &form.email) {
        tracing::warn!(%ip, "merchant sign-in rate limited");
        let mut answer = login_answer(
            StatusCode::TOO_MANY_REQUESTS,
            form.email,
            Some(text::too_many_attempts(wait.as_secs())),
            token,
        );
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            answer.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return answer;
    }
    let user = match check_password(&state, &form.email, form.password).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return login_answer(
                StatusCode::UNAUTHORIZED,
                form.email,
                Some(text::WRONG_LOGIN.to_string()),
                token,
            );
        }
        Err(()) => return internal(),
    };
    let signed_in = async {
        session.cycle_id().await?;
        session.insert(USER_KEY, &user.id).await?;
        csrf::rotate(&session).await
    };
    match signed_in.await {
        Ok(_) => {
            tracing::info!(user = %user.id, "merchant signed in");
            Redirect::to(super::HOME_PATH).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot start the merchant session");
            internal()
        }
    }
}

/// The user whose password this is, `None` for a wrong password or an unknown email. Both
/// cost one argon2 verification (an unknown email is checked against a dummy hash), so the
/// answer's timing does not tell whether the email has an account.
async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<Option<users::MerchantUser>, ()> {
    let found = users::find_by_email(&state.store, email)
        .await
        .map_err(|e| tracing::error!(error = %e, "cannot look up a merchant user"))?;
    tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => passwords::verify(&password, &hash).then_some(user),
        None => {
            passwords::verify_dummy(&password);
            None
        }
    })
    .await
    .map_err(|e| tracing::error!(error = %e, "password verification failed"))
}

/// `POST /merchant/logout`: the session's row is deleted, so its cookie opens nothing any
/// more, on any instance.
pub async fn logout(merchant: SignedInMerchant, Form(form): Form<CsrfOnly>) -> Response {
    if let Err(refused) = merchant.verify_csrf(&form.csrf_token).await {
        return refused;
    }
    match merchant.session.flush().await {
        Ok(()) => Redirect::to(super::LOGIN_PATH).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot end the merchant session");
            internal()
        }
    }
}

/// `GET /merchant`: the dashboard, signed in only.
pub async fn home(merchant: SignedInMerchant) -> Response {
    Html(document(
        text::HOME_TITLE,
        view! {
            <MerchantLayout email=merchant.user.email csrf=merchant.csrf>
                <MerchantHome/>
            </MerchantLayout>
        },
    ))
    .into_response()
}

fn login_answer(
    status: StatusCode,
    email: String,
    error: Option<String>,
    csrf: csrf::CsrfToken,
) -> Response {
    let page = document(
        text::SIGN_IN_BUTTON,
        view! { <LoginPage email error csrf/> },
    );
    (status, Html(page)).into_response()
}

/// 403: a merchant form without its session's CSRF token.
pub fn forbidden() -> Response {
    let page = document(
        text::FORM_EXPIRED_TITLE,
        view! { <MessagePage title=text::FORM_EXPIRED_TITLE body=text::FORM_EXPIRED_BODY/> },
    );
    (StatusCode::FORBIDDEN, Html(page)).into_response()
}

/// 500, without details (they are in the log).
pub fn internal() -> Response {
    let page = document(
        text::SOMETHING_WENT_WRONG,
        view! { <MessagePage title=text::SOMETHING_WENT_WRONG body=""/> },
    );
    (StatusCode::INTERNAL_SERVER_ERROR, Html(page)).into_response()
}
