//! Every read method against the sandbox's demo business, correctly typed.

mod common;

use dodo_client::{
    DodoError, HostedCheckout, Interval, PaymentFilter, PlanChangeRequest, Price,
    SubscriptionStatus, Unusable, one_click_usability,
};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[tokio::test]
async fn customer_and_payment_methods() {
    let env = common::start().await;
    let alice = env.client.customer("cus_demo_alice").await.expect("alice");
    assert_eq!(alice.id, "cus_demo_alice");
    assert_eq!(alice.email, "alice@example.com");
    assert!(alice.created_at < OffsetDateTime::now_utc());

    let methods = env
        .client
        .payment_methods("cus_demo_alice")
        .await
        .expect("methods");
    assert_eq!(methods.len(), 1);
    let visa = &methods[0];
    assert_eq!(visa.id, "pm_demo_alice_visa");
    assert_eq!(visa.kind, "card");
    let card = visa.card.as_ref().expect("card summary");
    assert_eq!(card.network.as_deref(), Some("VISA"));
    assert_eq!(card.last4.as_deref(), Some("4242"));
    assert_eq!(
        (card.expiry_month, card.expiry_year),
        (Some(12), Some(2030))
    );
    assert_eq!(
        one_click_usability(visa, "USD", OffsetDateTime::now_utc()),
        Ok(())
    );

    let bob = env
        .client
        .payment_methods("cus_demo_bob")
        .await
        .expect("bob's methods");
    let expired = bob.first().expect("bob has a card");
    assert_eq!(
        expired
            .card
            .as_ref()
            .map(|c| (c.expiry_month, c.expiry_year)),
        Some((Some(1), Some(2024)))
    );
    assert_eq!(
        one_click_usability(expired, "USD", OffsetDateTime::now_utc()),
        Err(Unusable::Expired)
    );

    let frank = env
        .client
        .payment_methods("cus_demo_frank")
        .await
        .expect("frank");
    assert!(frank.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn products_and_prices() {
    let env = common::start().await;
    let course = env.client.product("pdt_demo_course").await.expect("course");
    assert!(!course.is_recurring);
    assert_eq!(
        course.price,
        Price::OneTime {
            amount: 4900,
            currency: "USD".into(),
            discount_percent: 0
        }
    );
    assert_eq!(course.product_collection_id, None);
    assert!(course.name.is_some_and(|n| n.contains("Rust")));

    let basic = env.client.product("pdt_demo_basic").await.expect("basic");
    assert!(basic.is_recurring);
    assert_eq!(
        basic.product_collection_id.as_deref(),
        Some("pcol_demo_plans")
    );
    assert!(matches!(
        basic.price,
        Price::Recurring { amount: 3000, ref currency, interval: Interval::Month, interval_count: 1, trial_days: 0, .. }
            if currency == "USD"
    ));
    let yearly = env
        .client
        .product("pdt_demo_pro_yearly")
        .await
        .expect("yearly");
    assert!(matches!(
        yearly.price,
        Price::Recurring {
            amount: 80000,
            interval: Interval::Year,
            ..
        }
    ));

    env.control.clear_requests().await;
    let all = env.client.products().await.expect("products");
    let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    // The nine USD products; the INR course, add-on and mentoring; the IDR course, add-on and
    // downsell; Basic and Pro in INR and in IDR.
    assert_eq!(ids.len(), 19, "{ids:?}");
    assert!(ids.contains(&"pdt_demo_team"));
    assert!(
        !ids.contains(&"pdt_demo_legacy"),
        "archived products are hidden"
    );
    let addon = all
        .iter()
        .find(|p| p.id == "pdt_demo_addon")
        .expect("addon");
    assert_eq!(addon.price.currency(), Some("USD"));
    assert!(matches!(addon.price, Price::OneTime { amount: 2900, .. }));
    // Page 0 with everything, then the empty page that ends the list.
    let pages = env.control.requests("GET", "/products").await;
    let queries: Vec<&str> = pages.iter().filter_map(|r| r["query"].as_str()).collect();
    assert_eq!(pages.len(), 2, "{queries:?}");
    assert!(queries[1].contains("page_number=1"), "{queries:?}");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn subscription_dates_and_collection() {
    let env = common::start().await;
    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.customer_id, "cus_demo_alice");
    assert_eq!(sub.product_id, "pdt_demo_basic");
    assert_eq!((sub.quantity, sub.recurring_pre_tax_amount), (1, 3000));
    assert_eq!(sub.currency, "USD");
    assert_eq!(
        (sub.interval.clone(), sub.interval_count),
        (Interval::Month, 1)
    );
    assert_eq!(sub.payment_method_id.as_deref(), Some("pm_demo_alice_visa"));
    assert!(!sub.cancel_at_next_billing_date);
    assert_eq!(sub.scheduled_change, None);
    // Day 15 of a 30-day cycle, by the sandbox's clock.
    let clock = env.control.get("/clock").await;
    let now = OffsetDateTime::parse(clock["now"].as_str().expect("now"), &Rfc3339).expect("now");
    assert_eq!(
        (sub.next_billing_date - sub.previous_billing_date).whole_days(),
        30
    );
    assert_eq!((now - sub.previous_billing_date).whole_days(), 15);

    let plans = env
        .client
        .product_collection("pcol_demo_plans")
        .await
        .expect("collection");
    assert_eq!(plans.name, "Demo plans");
    assert_eq!(
        plans.proration_on_upgrade.as_deref(),
        Some("prorated_immediately")
    );
    assert_eq!(
        plans.proration_on_downgrade.as_deref(),
        Some("difference_immediately")
    );
    assert_eq!(
        plans.effective_at_on_upgrade.as_deref(),
        Some("immediately")
    );
    assert_eq!(
        plans.effective_at_on_downgrade.as_deref(),
        Some("next_billing_date")
    );
    assert_eq!(
        plans.on_payment_failure, None,
        "null = inherit the business default"
    );
    let groups: Vec<&str> = plans.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(groups, ["pcg_demo_monthly", "pcg_demo_yearly"]);
    let monthly = &plans.groups[0];
    assert!(monthly.active);
    assert_eq!(monthly.name.as_deref(), Some("Monthly"));
    let pro = monthly
        .products
        .iter()
        .find(|p| p.product_id == "pdt_demo_pro")
        .expect("pro in the monthly group");
    assert!(pro.active && pro.is_recurring);
    assert_eq!(
        (pro.price, pro.currency.as_deref()),
        (Some(8000), Some("USD"))
    );
    let legacy = monthly
        .products
        .iter()
        .find(|p| p.product_id == "pdt_demo_legacy")
        .expect("legacy listed");
    assert!(!legacy.active);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn collection_ids_active_and_archived() {
    let env = common::start().await;
    let active = env
        .client
        .product_collection_ids(false)
        .await
        .expect("collections");
    assert_eq!(
        active,
        [
            "pcol_demo_plans",
            "pcol_demo_plans_inr",
            "pcol_demo_plans_idr"
        ]
    );
    // The sandbox has no archived collections.
    let archived = env
        .client
        .product_collection_ids(true)
        .await
        .expect("archived");
    assert!(archived.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn preview_basic_to_pro_on_day_15() {
    let env = common::start().await;
    let preview = env
        .client
        .preview_change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "prorated_immediately"),
        )
        .await
        .expect("preview");
    assert_eq!(preview.total_amount, 2500);
    assert_eq!(preview.currency, "USD");
    assert_eq!(preview.customer_credits, -1500);
    assert_eq!(preview.line_items.len(), 1);
    let line = &preview.line_items[0];
    assert_eq!(line.product_id.as_deref(), Some("pdt_demo_pro"));
    assert_eq!((line.unit_price, line.quantity), (8000, 1));
    assert!(
        (line.proration_factor - 0.5).abs() < 1e-9,
        "{}",
        line.proration_factor
    );
    assert_eq!(preview.new_plan.product_id, "pdt_demo_pro");
    assert_eq!(preview.new_plan.recurring_pre_tax_amount, 8000);

    let difference = env
        .client
        .preview_change_plan(
            "sub_demo_alice_basic",
            &PlanChangeRequest::new("pdt_demo_pro", 1, "difference_immediately"),
        )
        .await
        .expect("difference preview");
    assert_eq!(difference.total_amount, 5000);

    // Previews change nothing.
    let sub = env
        .client
        .subscription("sub_demo_alice_basic")
        .await
        .expect("subscription");
    assert_eq!(sub.product_id, "pdt_demo_basic");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn portal_link_hosted_checkout_and_its_status() {
    let env = common::start().await;
    let link = env
        .client
        .customer_portal_link("cus_demo_alice", Some("https://shop.example/account"))
        .await
        .expect("portal link");
    assert!(link.starts_with("http"), "{link}");

    let created = env
        .client
        .create_hosted_checkout(&HostedCheckout {
            product_cart: common::cart("pdt_demo_downsell"),
            customer_id: Some("cus_demo_frank".into()),
            show_saved_payment_methods: true,
            return_url: Some("https://shop.example/thanks".into()),
            cancel_url: None,
            redirect_immediately: false,
            metadata: [("offer_id".to_owned(), "o-hosted".to_owned())].into(),
        })
        .await
        .expect("hosted checkout");
    let url = created.checkout_url.as_deref().expect("checkout_url");
    assert!(
        url.starts_with(&format!("{}/checkout/cks_", env.base_url())),
        "{url}"
    );
    assert_eq!(created.payment_id, None);

    let sent = env.control.requests("POST", "/checkouts").await;
    assert_eq!(sent.len(), 1);
    let body = &sent[0]["body"];
    assert_eq!(body["confirm"], false);
    assert!(body.get("payment_method_id").is_none());
    assert_eq!(body["show_saved_payment_methods"], true);
    let flags = body["feature_flags"].as_object().expect("flags");
    assert!(
        flags.values().all(Value::is_boolean),
        "no null flags: {flags:?}"
    );

    let status = env
        .client
        .checkout_status(&created.session_id)
        .await
        .expect("status");
    assert_eq!(status.session_id, created.session_id);
    assert_eq!((status.payment_id, status.payment_status), (None, None));
    assert!(env.control.payments_of("cus_demo_frank").await.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn payments_filter() {
    let env = common::start().await;
    let before = OffsetDateTime::now_utc() - time::Duration::seconds(5);
    let created = env
        .client
        .create_one_click_checkout(&common::alice_course("o-filter"))
        .await
        .expect("one-click");
    let payment_id = created.payment_id.expect("payment id");

    let filter = PaymentFilter {
        customer_id: Some("cus_demo_alice".into()),
        status: Some(dodo_client::IntentStatus::Succeeded),
        created_at_gte: Some(before),
        ..PaymentFilter::default()
    };
    let found = env.client.payments(&filter).await.expect("payments");
    let mine: Vec<_> = found.iter().filter(|p| p.id == payment_id).collect();
    assert_eq!(mine.len(), 1, "{found:?}");
    assert_eq!(
        mine[0].metadata.get("offer_id").map(String::as_str),
        Some("o-filter")
    );
    assert_eq!(mine[0].total_amount, 4900);
    assert!(found.iter().all(|p| p.customer_id == "cus_demo_alice"));

    let none = env
        .client
        .payments(&PaymentFilter {
            customer_id: Some("cus_demo_frank".into()),
            ..PaymentFilter::default()
        })
        .await
        .expect("frank's payments");
    assert!(none.is_empty());

    let later = env
        .client
        .payments(&PaymentFilter {
            created_at_gte: Some(OffsetDateTime::now_utc() + time::Duration::hours(1)),
            ..PaymentFilter::default()
        })
        .await
        .expect("future window");
    assert!(later.is_empty());
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn unsafe_ids_never_leave_the_process() {
    let env = common::start().await;
    env.control.clear_requests().await;
    let err = env
        .client
        .payment("../customers/cus_demo_alice")
        .await
        .expect_err("refused");
    assert!(
        matches!(err, DodoError::InvalidRequest { ref code, .. } if code == "INVALID_ID"),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    assert!(env.control.all_requests().await.is_empty());
    // The log does see a real call, so the emptiness above means something.
    env.client.customer("cus_demo_alice").await.expect("alice");
    assert_eq!(env.control.all_requests().await.len(), 1);
    env.sandbox.shutdown().await;
}
