//! The axum handlers of the merchant pages: `GET`/`POST /merchant/login`, `POST
//! /merchant/logout`. Each turns a `server::merchant_auth` outcome into a page.

use super::layout::{MessagePage, document};
use super::login::LoginPage;
use super::text;
use crate::server::merchant_auth::login::{self, SignIn, SignOut};
use crate::server::merchant_auth::rate_limit::{ClientIp, LoginLimits};
use crate::server::merchant_auth::{HOME_PATH, LOGIN_PATH, SignedInMerchant, csrf};
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

/// `GET /merchant/login`: the form (with a pre-session token), or the dashboard when signed in.
pub async fn login_page(session: Session) -> Response {
    match login::login_page_token(&session).await {
        Ok(Some(token)) => login_answer(StatusCode::OK, String::new(), None, token),
        Ok(None) => Redirect::to(HOME_PATH).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot start a merchant pre-session");
            internal()
        }
    }
}

/// `POST /merchant/login`.
pub async fn login(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<LoginLimits>>,
    ClientIp(ip): ClientIp,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Response {
    let outcome = login::sign_in(
        &state,
        &limits,
        ip,
        &session,
        &form.email,
        form.password,
        &form.csrf_token,
    )
    .await;
    match outcome {
        SignIn::SignedIn(_) => Redirect::to(HOME_PATH).into_response(),
        SignIn::Forbidden => forbidden(),
        SignIn::Limited(wait, token) => {
            let mut answer = login_answer(
                StatusCode::TOO_MANY_REQUESTS,
                form.email,
                Some(text::too_many_attempts(wait.as_secs())),
                token,
            );
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                answer.headers_mut().insert(header::RETRY_AFTER, v);
            }
            answer
        }
        SignIn::WrongLogin(token) => login_answer(
            StatusCode::UNAUTHORIZED,
            form.email,
            Some(text::WRONG_LOGIN.to_string()),
            token,
        ),
        SignIn::Failed => internal(),
    }
}

/// `POST /merchant/logout` (signed in only: otherwise the extractor sends to sign-in).
pub async fn logout(merchant: SignedInMerchant, Form(form): Form<CsrfOnly>) -> Response {
    match login::sign_out(&merchant, &form.csrf_token).await {
        SignOut::SignedOut => Redirect::to(LOGIN_PATH).into_response(),
        SignOut::Forbidden => forbidden(),
        SignOut::Failed => internal(),
    }
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

/// 403: a merchant form without its session's CSRF token (answer this on `CsrfRefused`).
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
