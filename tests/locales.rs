//! Issue 14 end to end over HTTP: the customer's `preferred_locale` at Dodo picks the page's
//! language, money is written the way that language reads it (CLDR), `?lang=` switches and is
//! remembered, and `Accept-Language` counts when Dodo names no language.

use crate::support;

use support::shop::{browser, cross_sell_token, offer_page, purchase_with};
use support::{Options, TestApp, rules_file};

/// CLDR's no-break space between an alphabetic currency symbol and the digits.
const NBSP: char = '\u{a0}';

/// Upsell rules for the demo business's INR and IDR courses.
fn rules() -> String {
    rules_file(
        "locales",
        r#"
[[upsell.rules]]
id = "inr"
trigger_products = ["pdt_demo_course_inr"]
[upsell.rules.offer]
product = "pdt_demo_addon_inr"
headline = "Add code reviews"
[upsell.rules.offer.hi]
headline = "कोड समीक्षाएँ जोड़ें"

[[upsell.rules]]
id = "idr"
trigger_products = ["pdt_demo_course_idr"]
[upsell.rules.offer]
product = "pdt_demo_addon_idr"
headline = "Add code reviews"
"#,
    )
}

/// Every `Set-Cookie` of a response, name=value only.
fn cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect()
}

/// Buys `course` as `customer` with `method`, lands, and returns the offer page's address and
/// the cookies the landing set (session and language).
async fn land_on(
    app: &TestApp,
    client: &reqwest::Client,
    customer: &str,
    method: &str,
    course: &str,
) -> (String, String) {
    let payment = purchase_with(app, customer, method, course).await;
    let res = client
        .get(format!(
            "{}/offer/landing?payment_id={payment}&status=succeeded",
            app.url
        ))
        .send()
        .await
        .expect("landing");
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    (location, cookies(&res).join("; "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priya_reads_hindi_with_rupees_and_budi_indonesian_with_rupiah() {
    let app = TestApp::start_with(Options {
        merchant_config: rules(),
        ..Options::default()
    })
    .await;
    let client = browser();

    // Priya prefers Hindi at Dodo: the landing keeps it in the cookie for the offer page.
    let (offer, cookie) = land_on(
        &app,
        &client,
        "cus_demo_priya",
        "pm_demo_priya_visa",
        "pdt_demo_course_inr",
    )
    .await;
    assert!(offer.starts_with("/offer/"), "{offer}");
    assert!(cookie.contains("lang=hi"), "{cookie}");
    let id = offer.trim_start_matches("/offer/");
    let (status, html, state) = offer_page(&app, &client, id, &cookie).await;
    assert_eq!((status.as_u16(), state.as_str()), (200, "open"));
    assert!(html.contains(r#"<html lang="hi" dir="ltr""#), "{html}");
    assert!(html.contains("अभी ₹1,499.00 का भुगतान करें"), "{html}");
    assert!(html.contains("नहीं, धन्यवाद"), "{html}");
    // The merchant's Hindi copy, and Dodo's Hindi name of the product.
    assert!(html.contains("कोड समीक्षाएँ जोड़ें"), "{html}");
    assert!(
        html.contains("प्रीमियम ऐड-ऑन: कोड समीक्षा सत्र (भारत)"),
        "{html}"
    );

    // `?lang=en` switches back, and is remembered.
    let res = client
        .get(format!("{}{offer}?lang=en", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(cookies(&res), ["lang=en"]);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en""#), "{html}");
    assert!(html.contains("Pay ₹1,499.00 now"), "{html}");
    assert!(html.contains("Add code reviews"), "{html}");
    assert!(
        html.contains("Premium add-on: code review sessions (India)"),
        "{html}"
    );

    // Budi prefers Indonesian: rupiah with `.` grouping and no decimals.
    let (offer, cookie) = land_on(
        &app,
        &client,
        "cus_demo_budi",
        "pm_demo_budi_mastercard",
        "pdt_demo_course_idr",
    )
    .await;
    assert!(cookie.contains("lang=id"), "{cookie}");
    let id = offer.trim_start_matches("/offer/");
    let (_, html, state) = offer_page(&app, &client, id, &cookie).await;
    assert_eq!(state, "open");
    assert!(html.contains(r#"<html lang="id" dir="ltr""#), "{html}");
    assert!(
        html.contains(&format!("Bayar Rp{NBSP}299.000 sekarang")),
        "{html}"
    );
    // No Indonesian copy in the rules: the default headline; Dodo's Indonesian name.
    assert!(html.contains("Add code reviews"), "{html}");
    assert!(
        html.contains("Add-on premium: sesi tinjauan kode (Indonesia)"),
        "{html}"
    );
    // The switcher links to this page in the other languages, keeping nothing but `lang` new.
    assert!(
        html.contains(&format!(r#"href="{offer}?lang=hi""#)),
        "{html}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_link_follows_the_customer_then_the_browser() {
    let app = TestApp::start().await;
    let client = browser();

    // Priya's cross-sell link: her preferred_locale, remembered for what follows.
    let token = cross_sell_token(&app, "cus_demo_priya");
    let res = client
        .get(format!("{}/cross-sell?token={token}", app.url))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(cookies(&res), ["lang=hi"]);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="hi""#), "{html}");
    assert!(html.contains("आपके लिए सुझाव"), "{html}");

    // Alice names no language at Dodo: her browser's Indian English decides.
    let token = cross_sell_token(&app, "cus_demo_alice");
    let res = client
        .get(format!("{}/cross-sell?token={token}", app.url))
        .header("accept-language", "en-IN,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(cookies(&res), Vec::<String>::new());
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en-IN""#), "{html}");
    app.stop().await;
}
