//! The app keeps one `DodoClient` in shared state and awaits its calls in axum handlers and
//! Leptos server functions: the client must be `Send + Sync + Clone` and every future
//! `Send`. This only has to compile; nothing is awaited or sent.

mod common;

use std::time::Duration;

use dodo_client::{
    DodoClient, HostedCheckout, OneClickPayment, PaymentFilter, PlanChangeRequest,
    UpdatePaymentMethod,
};

fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
fn send<F: std::future::Future + Send>(_: F) {}

#[test]
fn client_and_futures_are_send() {
    let client: DodoClient =
        common::client("http://127.0.0.1:9", "sk_test", Duration::from_secs(1));
    shareable(&client);
    let plan = PlanChangeRequest::new("pdt", 1, "prorated_immediately");
    let hosted = HostedCheckout {
        product_cart: common::cart("pdt"),
        customer_id: None,
        show_saved_payment_methods: false,
        return_url: None,
        cancel_url: None,
        redirect_immediately: false,
        metadata: Default::default(),
    };
    let payment = OneClickPayment {
        customer_id: "cus".into(),
        payment_method_id: "pm".into(),
        product_cart: common::cart("pdt"),
        billing: dodo_client::BillingAddress {
            country: "US".into(),
            city: None,
            state: None,
            street: None,
            zipcode: None,
        },
        return_url: None,
        metadata: Default::default(),
    };
    let checkout = common::alice_course("o");
    let filter = PaymentFilter::default();
    let update = UpdatePaymentMethod::New { return_url: None };
    send(client.customer("c"));
    send(client.payment_methods("c"));
    send(client.product("p"));
    send(client.products());
    send(client.payment("p"));
    send(client.payments(&filter));
    send(client.checkout_status("s"));
    send(client.subscription("s"));
    send(client.product_collection("c"));
    send(client.preview_change_plan("s", &plan));
    send(client.customer_portal_link("c", None));
    send(client.create_hosted_checkout(&hosted));
    send(client.create_one_click_checkout(&checkout));
    send(client.create_one_click_payment(&payment));
    send(client.change_plan("s", &plan));
    send(client.cancel_scheduled_change("s"));
    send(client.update_payment_method("s", &update));
}
