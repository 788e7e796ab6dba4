//! Generated hostile requests against every route and server function, through the router
//! without a socket: missing, duplicated and unknown fields, wrong types, huge and unicode
//! values, control characters, mutated and truncated tokens, another customer's ids, random
//! bytes, wrong methods and content types, oversized bodies, forged webhooks.
//!
//! It passes when no answer is a 5xx, nothing panics, every body arrives whole, and every
//! refusal (a 4xx) left each row of the store as it was and sent nothing to Dodo. The values
//! are drawn around real ones (a live offer, its session, a plan-change link), so mutations
//! reach past the first check. `HOSTILE_CASES` sets how many (default 10,000).

use crate::support;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Duration;
use support::hostile::{StoreDump, dodo_writes_since, last_dodo_request};
use support::shop::{browser, land_on_offer, plan_token, purchase, purchase_with};
use support::{Options, TestApp, WEBHOOK_SECRET, eventually};
use tower::ServiceExt;

const ADMIN_KEY: &str = "admin-key-for-integration-tests";

/// Real values the generated requests start from.
#[derive(Clone, Debug)]
struct Known {
    offer_id: String,
    /// `name=value` of the offer's session cookie.
    cookie: String,
    /// The session token alone (what `access` carries on embedded pages).
    access: String,
    /// Another customer's offer.
    other_offer_id: String,
    plan_token: String,
    payment_id: String,
}

/// The server functions and the fields each takes.
const FUNCTIONS: &[(&str, &[&str])] = &[
    ("offer_page", &["offer_id", "access"]),
    (
        "offer_accept",
        &["offer_id", "access", "agreed_amount", "agreed_currency"],
    ),
    ("offer_decline", &["offer_id", "access"]),
    ("offer_suppress", &["offer_id", "access"]),
    ("offer_unsuppress", &["offer_id", "access"]),
    (
        "offer_checkout",
        &["offer_id", "access", "agreed_amount", "agreed_currency"],
    ),
    ("offer_portal", &["offer_id", "access"]),
    ("offer_status", &["offer_id", "access"]),
    ("cross_sell_page", &["token", "embed"]),
    ("server_status", &[]),
    ("demo_products", &[]),
    ("demo_buy", &["product_id"]),
    ("plan_change_preview", &["token", "product_id", "quantity"]),
    (
        "plan_change_confirm",
        &[
            "token",
            "product_id",
            "quantity",
            "agreed_total",
            "agreed_currency",
            "agreed_tax",
            "agreed_credits",
            "agreed_next_billing",
        ],
    ),
    ("plan_change_settled", &["token", "attempt"]),
    ("plan_change_undo", &["token"]),
    ("plan_change_update_card", &["token"]),
    ("no_such_function", &["x"]),
];

/// Pages and plain routes (`{id}` is replaced by a generated value).
const PAGES: &[&str] = &[
    "/",
    "/offer/{id}",
    "/offer/{id}/result",
    "/offer/landing",
    "/offer/unavailable",
    "/offer/link",
    "/cross-sell",
    "/plan-change",
    "/plan-change/review",
    "/plan-change/status",
    "/thanks",
    "/demo/plan-change",
    "/healthz",
    "/embed.js",
    "/pkg/{id}",
    "/{id}",
    "/api/{id}",
];

/// Query parameters any page reads.
const QUERY_KEYS: &[&str] = &[
    "token",
    "access",
    "lang",
    "embed",
    "payment_id",
    "status",
    "reason",
    "plan",
    "quantity",
    "attempt",
    "notice",
    "cancelled",
    "product_id",
    "id",
];

/// One generated request.
#[derive(Clone)]
struct Hostile {
    method: Method,
    /// Path and query, percent-encoded.
    uri: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    peer: Ipv4Addr,
}

impl std::fmt::Debug for Hostile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = |b: &[u8]| {
            let s = String::from_utf8_lossy(&b[..b.len().min(300)]).into_owned();
            if b.len() > 300 {
                format!("{s}… ({} bytes)", b.len())
            } else {
                s
            }
        };
        f.debug_struct("Hostile")
            .field("request", &format!("{} {}", self.method, self.uri))
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", text(v)))
                    .collect::<Vec<_>>(),
            )
            .field("body", &text(&self.body))
            .field("peer", &self.peer)
            .finish()
    }
}

/// `value` percent-encoded for a URL, at most 8 KB of it (HTTP's URIs stop at 64 KB).
fn pct(value: &str) -> String {
    let mut encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let mut end = encoded.len().min(8 * 1024);
    while !encoded.is_char_boundary(end) {
        end -= 1;
    }
    encoded.truncate(end);
    encoded
}

/// A token changed a little: a character flipped, cut short, a suffix, segments swapped.
fn mutated(token: String) -> impl Strategy<Value = String> {
    let len = token.len().max(1);
    (0..len, 0usize..6, "[\\x00-\\x7f]{1,3}").prop_map(move |(at, how, extra)| {
        let at = at.min(token.len());
        let mut t = token.clone();
        match how {
            0 => t.truncate(at),
            1 => t.push_str(&extra),
            2 => {
                let flipped = if t.as_bytes().get(at) == Some(&b'A') {
                    "B"
                } else {
                    "A"
                };
                if at < t.len() && t.is_char_boundary(at) && t.is_char_boundary(at + 1) {
                    t.replace_range(at..at + 1, flipped);
                }
            }
            3 => {
                let parts: Vec<&str> = t.split('.').collect();
                t = parts.iter().rev().copied().collect::<Vec<_>>().join(".");
            }
            4 => t = format!("{t}.{t}"),
            _ => t.insert_str(at, &extra),
        }
        t
    })
}

/// A field's value: real ones, near-real ones, and junk.
fn value(known: &Known) -> BoxedStrategy<String> {
    let real = prop_oneof![
        Just(known.offer_id.clone()),
        Just(known.other_offer_id.clone()),
        Just(known.access.clone()),
        Just(known.plan_token.clone()),
        Just(known.payment_id.clone()),
        Just("pdt_demo_addon".to_string()),
        Just("pdt_demo_pro".to_string()),
        Just("2900".to_string()),
        Just("USD".to_string()),
        Just("cus_demo_bob".to_string()),
        Just("sub_demo_alice_basic".to_string()),
    ];
    let near = prop_oneof![
        mutated(known.access.clone()),
        mutated(known.plan_token.clone()),
        mutated(known.offer_id.clone()),
        mutated(known.payment_id.clone()),
    ];
    let numbers = prop_oneof![
        Just("NaN".to_string()),
        Just("-1".to_string()),
        Just("1e309".to_string()),
        Just("18446744073709551616".to_string()),
        Just("0x10".to_string()),
        Just(" 7 ".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
    ];
    let junk = prop_oneof![
        Just(String::new()),
        "[a-z_]{1,12}",
        "\\PC{0,40}",
        "[\\x00-\\x1f\\x7f]{1,6}",
        Just("../../payments".to_string()),
        Just("%0d%0aSet-Cookie: x=y".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("'; DROP TABLE offers; --".to_string()),
        Just("é".repeat(2_000)),
        Just("x".repeat(100_000)),
    ];
    prop_oneof![4 => real, 3 => near, 2 => numbers, 3 => junk].boxed()
}

/// A set of fields: the expected ones (some missing), some twice, some unknown.
fn fields(names: &'static [&'static str], known: &Known) -> BoxedStrategy<Vec<(String, String)>> {
    let each = names
        .iter()
        .map(|name| {
            (
                prop::option::weighted(0.85, value(known)),
                prop::option::weighted(0.05, value(known)),
            )
                .prop_map(move |(first, again)| {
                    let mut out = Vec::new();
                    if let Some(v) = first {
                        out.push((name.to_string(), v));
                    }
                    if let Some(v) = again {
                        out.push((name.to_string(), v));
                    }
                    out
                })
                .boxed()
        })
        .collect::<Vec<_>>();
    let extra = prop::collection::vec(("[a-z_]{1,8}", value(known)), 0..2);
    (each, extra)
        .prop_map(|(each, extra)| {
            let mut all: Vec<(String, String)> = each.into_iter().flatten().collect();
            all.extend(extra);
            all
        })
        .boxed()
}

/// How the fields travel.
fn encode(fields: &[(String, String)], how: u8, junk: &[u8]) -> (Option<&'static str>, Vec<u8>) {
    match how {
        0..=5 => {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (k, v) in fields {
                form.append_pair(k, v);
            }
            (
                Some("application/x-www-form-urlencoded"),
                form.finish().into_bytes(),
            )
        }
        6 => {
            let object: BTreeMap<&str, &str> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            (
                Some("application/json"),
                serde_json::to_vec(&object).unwrap_or_default(),
            )
        }
        7 => (Some("application/x-www-form-urlencoded"), junk.to_vec()),
        8 => (Some("application/cbor"), junk.to_vec()),
        9 => (Some("multipart/form-data; boundary=x"), junk.to_vec()),
        10 => (Some("text/plain"), junk.to_vec()),
        11 => (None, junk.to_vec()),
        _ => (
            Some("application/x-www-form-urlencoded"),
            vec![b'a'; 300 * 1024],
        ),
    }
}

/// Headers any request may carry: the customer's cookie or a broken one, what a browser
/// says about the fetch, forwarded addresses.
fn common_headers(known: &Known) -> BoxedStrategy<Vec<(String, Vec<u8>)>> {
    let cookie = prop_oneof![
        Just(None),
        Just(Some(known.cookie.clone())),
        mutated(known.cookie.clone()).prop_map(Some),
        "\\PC{0,30}".prop_map(Some),
    ];
    let accept = prop_oneof![
        Just(None),
        Just(Some("text/html")),
        Just(Some("application/json")),
        Just(Some("*/*")),
    ];
    let fetch_site = prop_oneof![
        3 => Just(Some("same-origin")),
        1 => Just(None),
        1 => Just(Some("cross-site")),
        1 => Just(Some("same-site")),
    ];
    let forwarded = prop::option::weighted(0.2, "[0-9a-f.:, ]{1,40}");
    let lang = prop::option::weighted(0.2, "[a-zA-Z;=.,* -]{0,20}");
    (cookie, accept, fetch_site, forwarded, lang)
        .prop_map(|(cookie, accept, site, forwarded, lang)| {
            let mut h = Vec::new();
            if let Some(c) = cookie {
                h.push(("cookie".into(), c.into_bytes()));
            }
            if let Some(a) = accept {
                h.push(("accept".into(), a.as_bytes().to_vec()));
            }
            if let Some(s) = site {
                h.push(("sec-fetch-site".into(), s.as_bytes().to_vec()));
            }
            if let Some(f) = forwarded {
                h.push(("x-forwarded-for".into(), f.into_bytes()));
            }
            if let Some(l) = lang {
                h.push(("accept-language".into(), l.into_bytes()));
            }
            h
        })
        .boxed()
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        8 => Just(Method::POST),
        4 => Just(Method::GET),
        1 => Just(Method::PUT),
        1 => Just(Method::DELETE),
        1 => Just(Method::PATCH),
        1 => Just(Method::HEAD),
        1 => Just(Method::OPTIONS),
    ]
}

/// A server-function call.
fn function_call(known: &Known) -> BoxedStrategy<Hostile> {
    let known = known.clone();
    (0..FUNCTIONS.len())
        .prop_flat_map(move |i| {
            let (name, names) = FUNCTIONS[i];
            (
                Just(name),
                fields(names, &known),
                0u8..13,
                prop::collection::vec(any::<u8>(), 0..200),
                method(),
                common_headers(&known),
                any::<u32>(),
            )
        })
        .prop_map(|(name, fields, how, junk, method, mut headers, peer)| {
            let (content_type, body) = encode(&fields, how, &junk);
            if let Some(ct) = content_type {
                headers.push(("content-type".into(), ct.as_bytes().to_vec()));
            }
            Hostile {
                method,
                uri: format!("/api/{name}"),
                headers,
                body,
                peer: Ipv4Addr::from(peer),
            }
        })
        .boxed()
}

/// A page or route, with generated query parameters.
fn page_visit(known: &Known) -> BoxedStrategy<Hostile> {
    let k = known.clone();
    (
        0..PAGES.len(),
        value(known),
        prop::collection::vec((0..QUERY_KEYS.len(), value(known)), 0..4),
        prop_oneof![6 => Just(Method::GET), 1 => method()],
        common_headers(known),
        any::<u32>(),
    )
        .prop_map(move |(page, id, query, method, headers, peer)| {
            let path = PAGES[page].replace("{id}", &pct(&id));
            let query: Vec<String> = query
                .iter()
                .map(|(key, v)| format!("{}={}", QUERY_KEYS[*key], pct(v)))
                .collect();
            let _ = &k;
            Hostile {
                method,
                uri: if query.is_empty() {
                    path
                } else {
                    format!("{path}?{}", query.join("&"))
                },
                headers,
                body: Vec::new(),
                peer: Ipv4Addr::from(peer),
            }
        })
        .boxed()
}

/// A webhook: correctly signed (with a generated body) or forged, stale, unsigned.
fn webhook() -> BoxedStrategy<Hostile> {
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        (
            "[a-z]{1,10}\\.[a-z_]{1,12}",
            prop_oneof![
                Just("Payment"),
                Just("Subscription"),
                Just("Refund"),
                Just("Other")
            ],
            "\\PC{0,20}"
        )
            .prop_map(|(kind, payload, id)| {
                serde_json::json!({
                    "business_id": "bus_demo", "type": kind,
                    "timestamp": "2026-11-21T00:00:00Z",
                    "data": {"payload_type": payload, "payment_id": id, "subscription_id": id}
                })
                .to_string()
                .into_bytes()
            }),
    ];
    (
        body,
        0u8..5,
        "[a-zA-Z0-9_]{0,20}",
        any::<u32>(),
        any::<i64>(),
    )
        .prop_map(|(body, how, id, peer, random_time)| {
            let now = dodo_upsell::server::store::now_millis() / 1000;
            let signer = standardwebhooks::Webhook::new(WEBHOOK_SECRET).expect("secret");
            let (timestamp, signature) = match how {
                0 | 1 => (now, signer.sign(&id, now, &body).unwrap_or_default()),
                2 => (
                    now - 3600,
                    signer.sign(&id, now - 3600, &body).unwrap_or_default(),
                ),
                3 => (now, "v1,AAAA".to_string()),
                _ => (random_time, String::new()),
            };
            let mut headers = vec![("content-type".to_string(), b"application/json".to_vec())];
            if !id.is_empty() {
                headers.push(("webhook-id".into(), id.into_bytes()));
            }
            headers.push((
                "webhook-timestamp".into(),
                timestamp.to_string().into_bytes(),
            ));
            if !signature.is_empty() {
                headers.push(("webhook-signature".into(), signature.into_bytes()));
            }
            Hostile {
                method: Method::POST,
                uri: "/webhooks/dodo".into(),
                headers,
                body,
                peer: Ipv4Addr::from(peer),
            }
        })
        .boxed()
}

/// The link API: with and without the admin key, any JSON.
fn link_api(known: &Known) -> BoxedStrategy<Hostile> {
    let fields = fields(
        &[
            "audience",
            "customer_id",
            "subscription_id",
            "offer_id",
            "ttl_seconds",
        ],
        known,
    );
    (
        fields,
        any::<bool>(),
        prop_oneof![Just(0u8), Just(6), Just(10)],
        any::<u32>(),
    )
        .prop_map(|(fields, with_key, how, peer)| {
            let (content_type, body) = encode(&fields, how, b"{");
            let mut headers = Vec::new();
            if let Some(ct) = content_type {
                headers.push(("content-type".into(), ct.as_bytes().to_vec()));
            }
            if with_key {
                headers.push((
                    "authorization".into(),
                    format!("Bearer {ADMIN_KEY}").into_bytes(),
                ));
            }
            Hostile {
                method: Method::POST,
                uri: "/api/links".into(),
                headers,
                body,
                peer: Ipv4Addr::from(peer),
            }
        })
        .boxed()
}

fn hostile(known: &Known) -> BoxedStrategy<Hostile> {
    prop_oneof![
        6 => function_call(known),
        4 => page_visit(known),
        1 => webhook(),
        1 => link_api(known),
    ]
    .boxed()
}

fn to_request(h: &Hostile) -> Request<Body> {
    let mut builder = Request::builder()
        .method(h.method.clone())
        .uri(h.uri.as_str());
    for (name, value) in &h.headers {
        // What HTTP cannot carry never reaches the server: skip it, as hyper would refuse it.
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            builder = builder.header(n, v);
        }
    }
    builder = builder.header("content-length", h.body.len());
    let mut request = builder.body(Body::from(h.body.clone())).expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((h.peer, 40_000))));
    request
}

/// Tallies for the summary line.
#[derive(Default, Debug)]
struct Tally {
    sent: usize,
    by_status: BTreeMap<u16, usize>,
}

async fn quiet(app: &TestApp) {
    // A request that was accepted may have started work that finishes after its answer (the
    // engine's send, Dodo's webhooks): wait for it, so the next refusal is judged alone.
    eventually(Duration::from_secs(10), || async {
        let sending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM attempts WHERE status IN ('recorded', 'sending')",
        )
        .fetch_one(app.state.store.pool())
        .await
        .expect("attempts");
        let delivering = app
            .sandbox
            .state()
            .webhook_deliveries()
            .iter()
            .any(|d| d.status == "pending");
        (sending == 0 && !delivering).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_hostile_requests_get_no_5xx_and_change_nothing_when_refused() {
    let cases: u32 = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let app = TestApp::start_with(Options {
        // Nothing may write to the store but the requests themselves.
        reconciler: false,
        ..Options::default()
    })
    .await;
    let payment_id = purchase(&app).await;
    let (offer_id, cookie) = land_on_offer(&app, &browser(), &payment_id).await;
    let bob_payment = purchase_with(
        &app,
        "cus_demo_tara",
        "pm_demo_tara_visa",
        "pdt_demo_course",
    )
    .await;
    let (other_offer_id, _) = land_on_offer(&app, &browser(), &bob_payment).await;
    let known = Known {
        access: cookie.split_once('=').expect("name=value").1.to_owned(),
        cookie,
        offer_id,
        other_offer_id,
        plan_token: plan_token(&app, "cus_demo_alice", "sub_demo_alice_basic"),
        payment_id,
    };
    quiet(&app).await;

    let router = dodo_upsell::server::http::router(app.state.clone());
    let handle = tokio::runtime::Handle::current();
    let tally = Mutex::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    });
    let strategy = hostile(&known);
    let result = tokio::task::block_in_place(|| {
        runner
            .run(&strategy, |h| {
                handle.block_on(async {
                    let before = StoreDump::take(&app.state.store).await;
                    let dodo_before = last_dodo_request(&app);
                    let response = router
                        .clone()
                        .oneshot(to_request(&h))
                        .await
                        .map_err(|e| TestCaseError::fail(format!("router error: {e:?}")))?;
                    let status = response.status().as_u16();
                    let body = axum::body::to_bytes(response.into_body(), 64 << 20)
                        .await
                        .map_err(|e| TestCaseError::fail(format!("body cut short: {e}")))?;
                    {
                        let mut t = tally.lock().expect("tally");
                        t.sent += 1;
                        *t.by_status.entry(status).or_default() += 1;
                    }
                    prop_assert!(
                        status < 500,
                        "{status} for {h:?}: {}",
                        String::from_utf8_lossy(&body[..body.len().min(400)])
                    );
                    if status >= 400 {
                        let after = StoreDump::take(&app.state.store).await;
                        prop_assert!(
                            before == after,
                            "the refusal ({status}) changed the store: {h:?}"
                        );
                        let writes = dodo_writes_since(&app, dodo_before);
                        prop_assert_eq!(
                            writes,
                            0,
                            "the refusal ({}) wrote to Dodo: {:?}",
                            status,
                            h
                        );
                    } else {
                        quiet(&app).await;
                    }
                    Ok(())
                })
            })
            // The failure, shrunk, as text (proptest's error value is large).
            .map_err(|e| e.to_string())
    });
    let tally = tally.into_inner().expect("tally");
    println!(
        "hostile input: {} requests sent, answers by status: {:?}",
        tally.sent, tally.by_status
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(tally.sent >= cases as usize, "{} sent", tally.sent);
    app.stop().await;
}
