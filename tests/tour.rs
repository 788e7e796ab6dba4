//! The start page as a newcomer's tour (sandbox mode) and as nothing but a title against real
//! Dodo; and an old offer whose purchase Dodo no longer knows.

use crate::support;

use dodo_upsell::server::store::new_id;
use support::shop::{browser, land_on_offer, offer_page, purchase};
use support::{Db, Options, TestApp};

/// The `href` of the element with `data-testid="{testid}"` (attributes as Leptos writes them).
fn href_of(html: &str, testid: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{testid}\""))?;
    let start = html[..at].rfind("<a ")?;
    let tag = &html[start..at];
    let href = tag.split("href=\"").nth(1)?.split('"').next()?;
    Some(href.replace("&amp;", "&"))
}

async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let res = app
        .http
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("get");
    let status = res.status().as_u16();
    (status, res.text().await.expect("html"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_sandbox_mode_the_start_page_is_a_tour_whose_links_work() {
    let app = TestApp::start().await;
    let (status, html) = get(&app, "/").await;
    assert_eq!(status, 200);
    // Step 1: the demo store, naming the test card.
    assert!(html.contains("data-testid=\"demo-store\""), "{html}");
    assert!(html.contains("data-product=\"pdt_demo_course\""), "{html}");
    assert!(
        html.contains("4242 4242 4242 4242"),
        "the test card is named"
    );
    // No developer widget.
    assert!(!html.contains("status-check"), "{html}");
    assert!(!html.contains("Check the server"), "{html}");
    // Step 2: the plan-change demo, which lists signed links.
    assert_eq!(
        href_of(&html, "tour-plan-change-link").as_deref(),
        Some("/demo/plan-change")
    );
    let (status, demo) = get(&app, "/demo/plan-change").await;
    assert_eq!(status, 200);
    assert!(
        demo.contains("data-testid=\"demo-sub_demo_alice_basic\""),
        "{demo}"
    );
    // Step 3: a cross-sell link for the demo customer who bought the course before.
    let cross_sell = href_of(&html, "tour-cross-sell-link").expect("a cross-sell link");
    assert!(cross_sell.starts_with("/cross-sell?token="), "{cross_sell}");
    let (status, page) = get(&app, &cross_sell).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page.matches("data-testid=\"cross-sell-item\"").count(),
        2,
        "{page}"
    );
    assert!(page.contains("Instructor code reviews"), "{page}");
    assert!(page.contains("Course Workbook"), "{page}");
    assert!(
        page.contains("•••• 4242"),
        "one click on her saved card: {page}"
    );
    // Step 4: the merchant dashboard's sign-in, with the demo login named.
    assert_eq!(
        href_of(&html, "tour-merchant-link").as_deref(),
        Some("/merchant/login")
    );
    assert!(html.contains("demo@merchant.test"), "{html}");
    let (status, login) = get(&app, "/merchant/login").await;
    assert_eq!(status, 200, "{login}");
    assert!(login.contains("name=\"csrf_token\""), "{login}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_real_dodo_the_start_page_shows_no_demo_and_no_developer_widgets() {
    let app = TestApp::start_with(Options {
        env: vec![
            ("DODO_PAYMENTS_API_KEY", "sk_test_real_dodo_stand_in".into()),
            ("DODO_SANDBOX", "off".into()),
        ],
        ..Options::default()
    })
    .await;
    let (status, html) = get(&app, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Offers after the first sale"), "{html}");
    for absent in [
        "data-testid=\"tour\"",
        "data-testid=\"demo-store\"",
        "data-testid=\"dodo-mode\"",
        "status-check",
        "/demo/plan-change",
        "/cross-sell?token=",
        "4242 4242",
        "built-in Dodo sandbox",
    ] {
        assert!(
            !html.contains(absent),
            "{absent} on the production start page: {html}"
        );
    }
    assert_eq!(get(&app, "/demo/plan-change").await.0, 404);
    app.stop().await;
}

/// The server restarts with a fresh sandbox (as `make run` does) while the store keeps the
/// offer: Dodo answers 404 for its purchase, and the page says the offer is gone — 410, not an
/// outage.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_whose_purchase_dodo_no_longer_knows_is_no_longer_available() {
    let dir = std::env::temp_dir().join(format!("dodo-upsell-it-{}", new_id("db")));
    let db = Db::Url(format!("sqlite://{}/app.db", dir.display()));
    let first = TestApp::start_with(Options {
        db: db.clone(),
        ..Options::default()
    })
    .await;
    let client = browser();
    let payment = purchase(&first).await;
    let (offer, cookie) = land_on_offer(&first, &client, &payment).await;
    let (status, _, state) = offer_page(&first, &client, &offer, &cookie).await;
    assert_eq!((status.as_u16(), state.as_str()), (200, "open"));
    first.stop().await;

    let second = TestApp::start_with(Options {
        db,
        ..Options::default()
    })
    .await;
    let (status, html, _) = offer_page(&second, &client, &offer, &cookie).await;
    assert_eq!(status.as_u16(), 410, "{html}");
    assert!(html.contains("data-error=\"offer-gone\""), "{html}");
    assert!(html.contains("This offer is no longer available"), "{html}");
    assert!(!html.contains("couldn't reach"), "{html}");
    assert!(!html.contains("data-testid=\"accept\""), "{html}");
    second.stop().await;
}
