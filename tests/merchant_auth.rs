//! Merchant sign-in over HTTP, as a browser does it: the login form and its CSRF token, the
//! session cookie, sign-out, the rate limits, and what must never open `/merchant` (no session,
//! an old session, a customer's cookie or link, a frame).

use crate::support;

use dodo_upsell::pages::merchant::text;
use dodo_upsell::server::merchant_auth::{rate_limit, sessions::COOKIE_NAME, users};
use support::{Options, TestApp, shop};

const EMAIL: &str = "ana@shop.test";
const PASSWORD: &str = "correct horse battery";

/// A browser that keeps nothing by itself: the test passes cookies explicitly, so it can
/// replay an old one.
struct Browser {
    http: reqwest::Client,
    base: String,
}

/// What a merchant page answered.
struct Answer {
    status: u16,
    location: Option<String>,
    /// `name=value` of the merchant session cookie it set, if any.
    cookie: Option<String>,
    /// The whole `Set-Cookie` line of that cookie.
    cookie_line: Option<String>,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Answer {
    async fn from(res: reqwest::Response) -> Answer {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let cookie_line = headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|line| line.starts_with(&format!("{COOKIE_NAME}=")))
            .map(str::to_string);
        let cookie = cookie_line
            .as_deref()
            .and_then(|line| line.split(';').next())
            .map(str::to_string);
        let body = res.text().await.expect("body");
        Answer {
            status,
            location,
            cookie,
            cookie_line,
            headers,
            body,
        }
    }

    /// The value of the page's CSRF hidden field.
    fn csrf(&self) -> String {
        let marker = r#"name="csrf_token" value=""#;
        let start = self.body.find(marker).expect("a csrf field") + marker.len();
        let len = self.body[start..].find('"').expect("end of the value");
        self.body[start..start + len].to_string()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        Browser {
            http: shop::browser(),
            base: app.url.clone(),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        Answer::from(req.send().await.expect("GET")).await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Answer {
        let mut req = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        Answer::from(req.send().await.expect("POST")).await
    }

    /// Opens the login page: the pre-session cookie and the form's token.
    async fn login_page(&self) -> (String, String) {
        let page = self.get("/merchant/login", None).await;
        assert_eq!(page.status, 200);
        (
            page.cookie.clone().expect("a pre-session cookie"),
            page.csrf(),
        )
    }

    /// Opens the login page and signs in; the answer to the POST.
    async fn sign_in(&self, email: &str, password: &str) -> Answer {
        let (cookie, csrf) = self.login_page().await;
        self.post(
            "/merchant/login",
            Some(&cookie),
            &[
                ("email", email),
                ("password", password),
                ("csrf_token", &csrf),
            ],
        )
        .await
    }

    /// Signs in as the test merchant; the signed-in session cookie.
    async fn signed_in(&self) -> String {
        let answer = self.sign_in(EMAIL, PASSWORD).await;
        assert_eq!(answer.status, 303, "{}", answer.body);
        answer.cookie.expect("a session cookie")
    }
}

async fn app_with_merchant(options: Options) -> TestApp {
    let app = TestApp::start_with(options).await;
    users::add_user(&app.state.store, EMAIL, PASSWORD)
        .await
        .expect("add merchant user");
    app
}

async fn stored_sessions(app: &TestApp, cookie: &str) -> i64 {
    let id = cookie.split_once('=').expect("name=value").1;
    let row = sqlx::query("SELECT COUNT(*) AS n FROM merchant_sessions WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.store.pool())
        .await
        .expect("count");
    sqlx::Row::get(&row, "n")
}

#[tokio::test]
async fn the_right_password_signs_in_with_a_new_session_id() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let (before, csrf) = browser.login_page().await;
    let answer = browser
        .post(
            "/merchant/login",
            Some(&before),
            // The email as the merchant typed it: any case, spaces around.
            &[
                ("email", " Ana@Shop.test "),
                ("password", PASSWORD),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(answer.location.as_deref(), Some("/merchant"));
    let after = answer.cookie.clone().expect("a session cookie");
    assert_ne!(after, before, "signing in changes the session id");
    let line = answer.cookie_line.expect("cookie line");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/merchant",
        "Max-Age=43200",
    ] {
        assert!(line.contains(attribute), "{attribute} in {line}");
    }
    assert!(
        !line.contains("Secure"),
        "no Secure over plain http: {line}"
    );

    let home = browser.get("/merchant", Some(&after)).await;
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains(
            r#"<strong data-testid="merchant-email" class="text-slate-900">ana@shop.test</strong>"#
        ),
        "{}",
        home.body
    );
    assert!(home.body.contains(text::SIGN_OUT));
    assert!(
        !home.body.contains("<script"),
        "merchant pages run no script"
    );

    // The id from before signing in opens nothing (session fixation).
    let old = browser.get("/merchant", Some(&before)).await;
    assert_eq!(old.status, 303);
    assert_eq!(old.location.as_deref(), Some("/merchant/login"));
    assert_eq!(stored_sessions(&app, &before).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let wrong = browser.sign_in(EMAIL, "not the password").await;
    let unknown = browser
        .sign_in("nobody@shop.test", "not the password")
        .await;
    for (answer, email) in [(&wrong, EMAIL), (&unknown, "nobody@shop.test")] {
        assert_eq!(answer.status, 401);
        assert_eq!(answer.location, None);
        assert!(answer.body.contains(text::WRONG_LOGIN), "{}", answer.body);
        assert!(answer.body.contains(r#"autocomplete="current-password""#));
        assert!(answer.body.contains(&format!(r#"value="{email}""#)));
    }
    // The same page but for the email typed in and the session's token.
    let normalise =
        |a: &Answer, email: &str| a.body.replace(email, "EMAIL").replace(&a.csrf(), "TOKEN");
    assert_eq!(
        normalise(&wrong, EMAIL),
        normalise(&unknown, "nobody@shop.test")
    );
    // Neither session is signed in.
    for answer in [&wrong, &unknown] {
        let cookie = answer.cookie.clone().expect("the pre-session stays");
        let home = browser.get("/merchant", Some(&cookie)).await;
        assert_eq!(home.status, 303);
    }
    app.stop().await;
}

#[tokio::test]
async fn without_a_session_the_dashboard_redirects_to_sign_in() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let home = browser.get("/merchant", None).await;
    assert_eq!(home.status, 303);
    assert_eq!(home.location.as_deref(), Some("/merchant/login"));
    // A made-up session id is no session.
    let forged = format!("{COOKIE_NAME}=AAAAAAAAAAAAAAAAAAAAAA");
    let home = browser.get("/merchant", Some(&forged)).await;
    assert_eq!(home.status, 303);
    assert_eq!(home.location.as_deref(), Some("/merchant/login"));
    app.stop().await;
}

#[tokio::test]
async fn signing_out_ends_the_session_in_the_store() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let cookie = browser.signed_in().await;
    let home = browser.get("/merchant", Some(&cookie)).await;
    assert_eq!(home.status, 200);
    assert_eq!(stored_sessions(&app, &cookie).await, 1);

    let out = browser
        .post(
            "/merchant/logout",
            Some(&cookie),
            &[("csrf_token", &home.csrf())],
        )
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/merchant/login"));
    assert_eq!(stored_sessions(&app, &cookie).await, 0);
    // The browser is told to forget the cookie, and replaying it opens nothing.
    assert!(
        out.cookie_line
            .as_deref()
            .is_some_and(|l| l.contains("Max-Age=0")),
        "{:?}",
        out.cookie_line
    );
    let again = browser.get("/merchant", Some(&cookie)).await;
    assert_eq!(again.status, 303);
    assert_eq!(again.location.as_deref(), Some("/merchant/login"));
    app.stop().await;
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let (cookie, csrf) = browser.login_page().await;
    let login = |token: Option<&'static str>, cookie: Option<String>| {
        let browser = &browser;
        async move {
            let mut form = vec![("email", EMAIL), ("password", PASSWORD)];
            if let Some(token) = token {
                form.push(("csrf_token", token));
            }
            browser
                .post("/merchant/login", cookie.as_deref(), &form)
                .await
        }
    };
    // No token, a wrong one, the right password without any session: 403 and no sign-in.
    for answer in [
        login(None, Some(cookie.clone())).await,
        login(Some("wrong-token"), Some(cookie.clone())).await,
        login(Some(""), Some(cookie.clone())).await,
        login(Some("wrong-token"), None).await,
    ] {
        assert_eq!(answer.status, 403);
        assert!(answer.body.contains(text::FORM_EXPIRED_TITLE));
    }
    assert_eq!(browser.get("/merchant", Some(&cookie)).await.status, 303);
    // Another session's token is a wrong token.
    let (_, other_csrf) = browser.login_page().await;
    let answer = browser
        .post(
            "/merchant/login",
            Some(&cookie),
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("csrf_token", &other_csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, 403);

    // The pre-session's token stops working at sign-in: the signed-in session has a new one.
    let answer = browser
        .post(
            "/merchant/login",
            Some(&cookie),
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, 303);
    let signed_in = answer.cookie.expect("session");
    for token in ["", "wrong-token", csrf.as_str()] {
        let out = browser
            .post(
                "/merchant/logout",
                Some(&signed_in),
                &[("csrf_token", token)],
            )
            .await;
        assert_eq!(out.status, 403, "token {token:?}");
    }
    let out = browser
        .post("/merchant/logout", Some(&signed_in), &[])
        .await;
    assert_eq!(out.status, 403);
    assert_eq!(browser.get("/merchant", Some(&signed_in)).await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_even_with_the_token() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let (cookie, csrf) = browser.login_page().await;
    let res = browser
        .http
        .post(format!("{}/merchant/login", app.url))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[
            ("email", EMAIL),
            ("password", PASSWORD),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account_then_per_address() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    for attempt in 0..rate_limit::PER_ACCOUNT_BURST {
        let answer = browser.sign_in(EMAIL, "not the password").await;
        assert_eq!(answer.status, 401, "attempt {attempt}");
    }
    // The account waits now, even with the right password.
    let limited = browser.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(limited.status, 429);
    assert!(
        limited
            .body
            .contains("Too many sign-in attempts. Please wait "),
        "{}",
        limited.body
    );
    let wait: u64 = limited.header("retry-after").parse().expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        browser
            .get("/merchant", limited.cookie.as_deref())
            .await
            .status,
        303
    );

    // The address has used PER_ACCOUNT_BURST + 1 of its attempts; other accounts get the rest.
    let left = rate_limit::PER_IP_BURST - rate_limit::PER_ACCOUNT_BURST - 1;
    for i in 0..left {
        let answer = browser
            .sign_in(&format!("other{i}@shop.test"), "not the password")
            .await;
        assert_eq!(answer.status, 401, "other account {i}");
    }
    let limited = browser.sign_in("fresh@shop.test", "not the password").await;
    assert_eq!(limited.status, 429);
    app.stop().await;
}

#[tokio::test]
async fn merchant_pages_are_never_framed_or_cached() {
    let app = app_with_merchant(Options {
        env: vec![("MERCHANT_ORIGINS", "http://127.0.0.1:3900".to_string())],
        ..Options::default()
    })
    .await;
    let browser = Browser::new(&app);
    let cookie = browser.signed_in().await;
    // As a merchant's iframe asks for a page.
    let framed = |path: &'static str, cookie: Option<String>| {
        let browser = &browser;
        async move {
            let mut req = browser
                .http
                .get(format!("{}{path}", browser.base))
                .header("sec-fetch-dest", "iframe")
                .header("sec-fetch-site", "cross-site")
                .header("referer", "http://127.0.0.1:3900/shop");
            if let Some(cookie) = cookie {
                req = req.header("cookie", cookie);
            }
            Answer::from(req.send().await.expect("GET")).await
        }
    };
    for (path, signed_in, status) in [
        ("/merchant/login", false, 200),
        ("/merchant", true, 200),
        ("/merchant/no-such-page", true, 404),
    ] {
        let answer = framed(path, signed_in.then(|| cookie.clone())).await;
        assert_eq!(answer.status, status, "{path}");
        assert_eq!(answer.header("x-frame-options"), "DENY", "{path}");
        let csp = answer.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("3900"), "{path}: {csp}");
        assert_eq!(answer.header("cache-control"), "no-store", "{path}");
        assert_eq!(answer.header("referrer-policy"), "no-referrer", "{path}");
    }
    let redirect = framed("/merchant", None).await;
    assert_eq!(redirect.status, 303);
    assert_eq!(redirect.header("x-frame-options"), "DENY");
    // Customer pages, by contrast, may be framed by the configured merchant.
    let customer = framed("/offer/unavailable?reason=missing", None).await;
    assert!(
        customer
            .header("content-security-policy")
            .contains("frame-ancestors 'self' http://127.0.0.1:3900")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_customer_cookie_or_link_never_opens_the_dashboard() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let payment = shop::purchase(&app).await;
    let (_, customer_cookie) = shop::land_on_offer(&app, &shop::browser(), &payment).await;
    assert!(
        customer_cookie.starts_with("dodo_upsell_offer="),
        "{customer_cookie}"
    );
    let customer_value = customer_cookie.split_once('=').expect("value").1;
    let token = shop::cross_sell_token(&app, "cus_demo_alice");
    for (path, cookie) in [
        ("/merchant", Some(customer_cookie.clone())),
        // The customer's session id in the merchant cookie's name.
        ("/merchant", Some(format!("{COOKIE_NAME}={customer_value}"))),
        (&*format!("/merchant?token={token}"), None),
        (&*format!("/merchant?access={customer_value}"), None),
    ] {
        let answer = browser.get(path, cookie.as_deref()).await;
        assert_eq!(answer.status, 303, "{path} {cookie:?}");
        assert_eq!(answer.location.as_deref(), Some("/merchant/login"));
    }
    app.stop().await;
}

#[tokio::test]
async fn the_cookie_is_secure_behind_tls() {
    let app = app_with_merchant(Options {
        env: vec![("PUBLIC_URL", "https://offers.example".to_string())],
        ..Options::default()
    })
    .await;
    let page = Browser::new(&app).get("/merchant/login", None).await;
    let line = page.cookie_line.expect("cookie");
    assert!(line.contains("Secure"), "{line}");
    app.stop().await;
}

/// Sets the stored expiry of the session behind `cookie`, `from_now_ms` from now.
async fn set_session_expiry(app: &TestApp, cookie: &str, from_now_ms: i64) {
    let id = cookie.split_once('=').expect("name=value").1;
    sqlx::query("UPDATE merchant_sessions SET expires_at = $1 WHERE id = $2")
        .bind(dodo_upsell::server::store::now_millis() + from_now_ms)
        .bind(id)
        .execute(app.state.store.pool())
        .await
        .expect("update");
}

async fn session_expiry(app: &TestApp, cookie: &str) -> i64 {
    let id = cookie.split_once('=').expect("name=value").1;
    let row = sqlx::query("SELECT expires_at FROM merchant_sessions WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.store.pool())
        .await
        .expect("session row");
    sqlx::Row::get(&row, "expires_at")
}

#[tokio::test]
async fn a_session_lasts_12_hours_from_its_last_request() {
    let app = app_with_merchant(Options::default()).await;
    let browser = Browser::new(&app);
    let cookie = browser.signed_in().await;
    const TWELVE_HOURS_MS: i64 = 12 * 3600 * 1000;
    // Nearly idle for 12 hours: a request now counts the 12 hours again.
    set_session_expiry(&app, &cookie, 60_000).await;
    let before = dodo_upsell::server::store::now_millis();
    assert_eq!(browser.get("/merchant", Some(&cookie)).await.status, 200);
    let expiry = session_expiry(&app, &cookie).await;
    assert!(
        expiry >= before + TWELVE_HOURS_MS - 1_000 && expiry <= before + TWELVE_HOURS_MS + 60_000,
        "expires {} ms after the request",
        expiry - before
    );
    // Idle past it: the session is over.
    set_session_expiry(&app, &cookie, -1).await;
    let home = browser.get("/merchant", Some(&cookie)).await;
    assert_eq!(home.status, 303);
    assert_eq!(home.location.as_deref(), Some("/merchant/login"));
    app.stop().await;
}

#[tokio::test]
async fn postgres_sign_in_and_out() {
    let Some((url, database)) = support::pg::fresh_database().await else {
        eprintln!("TEST_POSTGRES_URL not set: skipped (scripts/test-postgres.sh runs it)");
        return;
    };
    let app = app_with_merchant(Options {
        db: support::Db::Url(url),
        ..Options::default()
    })
    .await;
    let browser = Browser::new(&app);
    let wrong = browser.sign_in(EMAIL, "not the password").await;
    assert_eq!(wrong.status, 401);
    let cookie = browser.signed_in().await;
    let home = browser.get("/merchant", Some(&cookie)).await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains(EMAIL));
    let out = browser
        .post(
            "/merchant/logout",
            Some(&cookie),
            &[("csrf_token", &home.csrf())],
        )
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(stored_sessions(&app, &cookie).await, 0);
    assert_eq!(browser.get("/merchant", Some(&cookie)).await.status, 303);
    app.stop().await;
    support::pg::drop_database(&database).await;
}
