//! Hostile input, one example at a time: each answers the exact 4xx with a reason a person can
//! read, and changes nothing (no store row, no request to Dodo). The generated suite is in
//! `hostile_generated.rs`; these are the cases found by hand, kept as named regressions.

use crate::support;

use serde_json::Value;
use support::TestApp;
use support::hostile::{StoreDump, dodo_writes_since, last_dodo_request};
use support::shop::{browser, land_on_offer, purchase};

/// What one refused request answered.
struct Refusal {
    status: u16,
    body: String,
}

/// Posts a server-function form (as an island does: no `Accept: text/html`) and checks that
/// nothing changed.
async fn post_api(app: &TestApp, endpoint: &str, form: &str, cookie: Option<&str>) -> Refusal {
    let before = StoreDump::take(&app.state.store).await;
    let dodo_before = last_dodo_request(app);
    let mut req = browser()
        .post(format!("{}/api/{endpoint}", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(form.to_owned());
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.expect("the connection is kept");
    let refusal = Refusal {
        status: res.status().as_u16(),
        body: res.text().await.expect("a whole body"),
    };
    before.assert_unchanged(&app.state.store, endpoint).await;
    assert_eq!(
        dodo_writes_since(app, dodo_before),
        0,
        "{endpoint}: sent to Dodo"
    );
    refusal
}

/// The `AppError` a server function answered, as JSON.
fn error_of(refusal: &Refusal) -> Value {
    serde_json::from_str(&refusal.body)
        .unwrap_or_else(|_| panic!("not an AppError: {:?}", refusal.body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offer_functions_refuse_bad_input_with_the_exact_4xx() {
    let app = TestApp::start().await;
    let payment_id = purchase(&app).await;
    let (offer_id, cookie) = land_on_offer(&app, &browser(), &payment_id).await;

    // Only `offer_id`: the access field is missing.
    let r = post_api(&app, "offer_accept", "offer_id=x", None).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        error_of(&r),
        serde_json::json!({"Malformed": "missing field `access`"})
    );

    // An offer nobody made.
    let r = post_api(
        &app,
        "offer_status",
        "offer_id=off_nothing&access=",
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!("NotFound"));

    // A real offer without the customer's session.
    let form = format!("offer_id={offer_id}&access=");
    let r = post_api(&app, "offer_status", &form, None).await;
    assert_eq!(r.status, 403, "{}", r.body);

    // A session token with a trailing newline (it once reached a redirect header, after the
    // side effect): refused before anything happens.
    let token = cookie.split_once('=').expect("name=value").1;
    let form = format!("offer_id={offer_id}&access={token}%0A");
    let r = post_api(&app, "offer_unsuppress", &form, None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!("NotYours"));
    let form =
        format!("offer_id={offer_id}&access={token}%0A&agreed_amount=2900&agreed_currency=USD");
    let r = post_api(&app, "offer_accept", &form, None).await;
    assert_eq!(r.status, 403, "{}", r.body);

    // Not a number where the agreed amount goes: nothing to agree to.
    let form = format!("offer_id={offer_id}&access=&agreed_amount=NaN&agreed_currency=USD");
    let r = post_api(&app, "offer_accept", &form, Some(&cookie)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!("ConsentMissing"));

    // A field given twice.
    let form = format!("offer_id={offer_id}&offer_id=off_other&access=");
    let r = post_api(&app, "offer_decline", &form, Some(&cookie)).await;
    assert_eq!(r.status, 400, "{}", r.body);
    app.stop().await;
}

/// The status the server answers to a form post to `path` that announces a body of `length`
/// bytes and sends none of it (within 10 s, or the test fails).
async fn status_of_announced_body(base: &str, path: &str, length: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         sec-fetch-site: same-origin\r\ncontent-length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("headers");
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while !answer.windows(2).any(|w| w == b"\r\n") {
            let n = stream.read(&mut buf).await.expect("read");
            assert!(n > 0, "closed without an answer");
            answer.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .expect("an answer before the body was sent");
    let line = String::from_utf8_lossy(&answer);
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {line}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offer_routes_refuse_bad_ids_and_oversized_bodies() {
    let app = TestApp::start().await;
    let client = browser();

    // Back from a checkout with an id that is not one of ours: no header built from it.
    let res = client
        .get(format!("{}/offer/a%20b%0D%0AX:%20y/result", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers().get("location").is_none());

    // A body far larger than any form we serve: refused from its Content-Length, before a
    // byte of it is read. Sent by hand, headers only: a client still writing 3 MiB when the
    // answer comes and the connection closes may see a broken pipe instead of the 413.
    let before = StoreDump::take(&app.state.store).await;
    assert_eq!(
        status_of_announced_body(&app.url, "/api/offer_decline", 3 << 20).await,
        413
    );
    before.assert_unchanged(&app.state.store, "oversized").await;

    // A landing whose payment id would address another Dodo endpoint.
    let res = client
        .get(format!(
            "{}/offer/landing?payment_id=..%2Fcustomers",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/offer/unavailable?reason=unknown"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_pages_are_never_cached_nor_named_in_a_referer() {
    let app = TestApp::start().await;
    let client = browser();
    let payment_id = purchase(&app).await;
    let (offer_id, cookie) = land_on_offer(&app, &client, &payment_id).await;
    let token = support::shop::plan_token(&app, "cus_demo_alice", "sub_demo_alice_basic");
    let private = [
        format!("/offer/{offer_id}"),
        format!("/plan-change?token={token}"),
        "/cross-sell?token=x".to_string(),
        "/offer/link?token=x".to_string(),
    ];
    for path in &private {
        let res = client
            .get(format!("{}{path}", app.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer", "{path}");
    }
    let res = client
        .post(format!("{}/api/offer_status", app.url))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &cookie)
        .form(&[("offer_id", offer_id.as_str()), ("access", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    // The start page and static files keep the ordinary policy.
    let res = client
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    app.stop().await;
}

/// How many of 200 server-function calls from this test's (loopback) address were let
/// through, each call naming a different client in `X-Forwarded-For` when `spoof` is set.
async fn let_through(app: &TestApp, spoof: bool) -> usize {
    let mut passed = 0;
    for i in 0..200u32 {
        let mut req = app
            .http
            .post(format!("{}/api/server_status", app.url))
            .header("sec-fetch-site", "same-origin");
        if spoof {
            req = req.header(
                "x-forwarded-for",
                format!("203.0.113.{}, 10.0.{}.1", i % 250, i / 250),
            );
        }
        match req.send().await.unwrap().status().as_u16() {
            200 => passed += 1,
            429 => {}
            other => panic!("server_status answered {other}"),
        }
    }
    passed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changing_forwarded_for_does_not_escape_the_limit() {
    let limited = || support::Options {
        server_function_budget: Some(30),
        ..support::Options::default()
    };
    // No proxy is trusted (the default): the header is the client's own claim.
    let app = TestApp::start_with(limited()).await;
    assert_eq!(let_through(&app, true).await, 30, "200 addresses claimed");
    app.stop().await;
    let app = TestApp::start_with(limited()).await;
    assert_eq!(let_through(&app, false).await, 30, "one address");
    app.stop().await;

    // Behind a trusted proxy the right-most address it added is the client: 200 clients.
    let app = TestApp::start_with(support::Options {
        env: vec![("TRUSTED_PROXIES", "127.0.0.1/32, 10.0.0.0/8".into())],
        ..limited()
    })
    .await;
    assert_eq!(let_through(&app, true).await, 200, "200 real clients");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_thanks_on_a_cross_sell_answers_what_happened() {
    let app = TestApp::start().await;
    // Cross-sells follow what the customer bought.
    let payment_id = purchase(&app).await;
    land_on_offer(&app, &browser(), &payment_id).await;
    let token = support::shop::cross_sell_token(&app, "cus_demo_alice");
    let html = browser()
        .get(format!("{}/cross-sell?token={token}", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The first offer's hidden fields.
    let field = |name: &str| {
        html.split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no {name} on the cross-sell page: {html}"))
            .to_owned()
    };
    let (offer_id, access) = (field("offer_id"), field("access"));
    let res = browser()
        .post(format!("{}/api/offer_decline", app.url))
        .header("sec-fetch-site", "same-origin")
        .form(&[("offer_id", offer_id.as_str()), ("access", access.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let decided: String = sqlx::query_scalar("SELECT decision FROM decisions WHERE offer_id = $1")
        .bind(&offer_id)
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(decided, "declined");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_change_functions_refuse_bad_input_with_the_exact_4xx() {
    let app = TestApp::start().await;
    let token = support::shop::plan_token(&app, "cus_demo_alice", "sub_demo_alice_basic");
    let agreed =
        "agreed_total=0&agreed_currency=USD&agreed_tax=0&agreed_credits=0&agreed_next_billing=0";

    // A token with a space in it never reaches the link check, nor Dodo.
    let r = post_api(
        &app,
        "plan_change_preview",
        "token=a%20b&product_id=pdt_demo_pro&quantity=1",
        None,
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!({"Malformed": "token"}));

    // Seats that are not a number: a malformed request, not a missing consent.
    let form = format!("token={token}&product_id=pdt_demo_pro&quantity=NaN&{agreed}");
    let r = post_api(&app, "plan_change_confirm", &form, None).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!({"Malformed": "quantity"}));

    // A token shaped like ours that we never signed.
    let form = format!("token=x.y.z&product_id=pdt_demo_pro&quantity=1&{agreed}");
    let r = post_api(&app, "plan_change_confirm", &form, None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!({"Link": "Invalid"}));

    // Asking whether a change settled, with a bad token.
    let r = post_api(
        &app,
        "plan_change_settled",
        "token=x.y.z&attempt=att_x",
        None,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(error_of(&r), serde_json::json!({"Link": "Invalid"}));
    // An attempt id that names nothing: there is nothing to wait for, so the status page's
    // poller stops and the page itself says what it finds.
    let form = format!("token={token}&attempt=att_nobodys");
    let r = post_api(&app, "plan_change_settled", &form, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body, "true");
    app.stop().await;
}
