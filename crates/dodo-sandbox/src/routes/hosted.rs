//! Hosted pages: the checkout page behind every `checkout_url`, the 3DS challenge page and a
//! minimal customer portal. Plain HTML forms; each POST completes the step as Dodo would and
//! redirects (303) to `return_url` with `payment_id` or `subscription_id` and `status`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::cards;
use crate::html::{self, CartRow, CheckoutForm, SavedCard};
use crate::model::*;
use crate::money;
use crate::purchase::{CartItemReq, Purchase};
use crate::state::SandboxState;
use crate::store::{Event, ObjectRef, Store};

pub fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/checkout/{id}", get(show).post(submit))
        .route(
            "/sandbox/3ds/{id}",
            get(challenge_page).post(challenge_submit),
        )
        .route("/sandbox/portal/{id}", get(portal))
}

enum Page {
    Html(StatusCode, String),
    Redirect(String),
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        match self {
            Page::Html(status, body) => (status, Html(body)).into_response(),
            Page::Redirect(to) => (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response(),
        }
    }
}

fn not_found(s: &Store, what: &str) -> Page {
    Page::Html(
        StatusCode::NOT_FOUND,
        html::message(
            "Not found",
            &s.business.name,
            &format!("This {what} does not exist (or the sandbox was reset)."),
            None,
        ),
    )
}

/// Appends query parameters to a URL, before any `#fragment`.
pub fn with_params(url: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = base.to_owned();
    for (i, (k, v)) in params.iter().enumerate() {
        let sep = if i == 0 && !base.contains('?') {
            '?'
        } else {
            '&'
        };
        out.push(sep);
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What the buyer typed, to refill the form after an error.
#[derive(Default)]
struct Typed {
    email: String,
    name: String,
    country: String,
}

fn due_today(s: &Store, session: &CheckoutSession) -> i64 {
    match &session.kind {
        SessionKind::Purchase => session
            .cart
            .iter()
            .map(|l| s.plan_amount(&l.product_id, l.quantity))
            .sum(),
        SessionKind::PayExisting { payment_id } => s
            .payments
            .get(payment_id)
            .map(|p| p.total_amount)
            .unwrap_or(0),
        SessionKind::UpdatePaymentMethod { subscription_id } => s
            .subscriptions
            .get(subscription_id)
            .filter(|sub| sub.status == SubStatus::OnHold)
            .and_then(|sub| sub.dues.as_ref())
            .map(|d| d.amount)
            .unwrap_or(0),
    }
}

fn return_link(session: &CheckoutSession, s: &Store, status: &str) -> Option<String> {
    let url = session.return_url.as_ref()?;
    Some(match (&session.subscription_id, &session.payment_id) {
        (Some(sub), _) => with_params(url, &[("subscription_id", sub), ("status", status)]),
        (None, Some(pay)) => {
            let _ = s;
            with_params(url, &[("payment_id", pay), ("status", status)])
        }
        (None, None) => with_params(url, &[("status", status)]),
    })
}

fn render(
    s: &Store,
    id: &str,
    errors: Vec<String>,
    typed: Option<&Typed>,
    status: StatusCode,
) -> Page {
    let Some(session) = s.sessions.get(id) else {
        return not_found(s, "checkout session");
    };
    if session.completed {
        let link = return_link(session, s, "succeeded");
        return Page::Html(
            StatusCode::OK,
            html::message(
                "Checkout complete",
                &s.business.name,
                "This checkout session has already been paid.",
                link.as_deref().map(|l| (l, "Return to the store")),
            ),
        );
    }
    let customer = session
        .customer_id
        .as_ref()
        .and_then(|c| s.customers.get(c));
    let currency = session
        .cart
        .first()
        .and_then(|l| s.products.get(&l.product_id))
        .map(|p| p.currency.clone())
        .or_else(|| match &session.kind {
            SessionKind::PayExisting { payment_id } => {
                s.payments.get(payment_id).map(|p| p.currency.clone())
            }
            SessionKind::UpdatePaymentMethod { subscription_id } => s
                .subscriptions
                .get(subscription_id)
                .and_then(|sub| s.products.get(&sub.product_id))
                .map(|p| p.currency.clone()),
            SessionKind::Purchase => None,
        })
        .unwrap_or_else(|| "USD".to_owned());
    let rows: Vec<CartRow> = session
        .cart
        .iter()
        .filter_map(|l| {
            let p = s.products.get(&l.product_id)?;
            Some(CartRow {
                name: p.name.clone(),
                quantity: l.quantity,
                amount: p.price.saturating_mul(l.quantity),
                recurring: p.recurring.map(|r| format!("per {}", r.interval.noun())),
            })
        })
        .collect();
    let total = due_today(s, session);
    let heading = match &session.kind {
        SessionKind::UpdatePaymentMethod { .. } => "Update your payment method".to_owned(),
        _ => rows
            .first()
            .map(|r| r.name.clone())
            .unwrap_or_else(|| "Checkout".to_owned()),
    };
    let button = if total > 0 {
        format!("Pay {}", money::format(total, &currency))
    } else {
        "Save card".to_owned()
    };
    let saved_cards = if session.show_saved_payment_methods {
        let mut cards: Vec<_> = s
            .payment_methods
            .values()
            .filter(|pm| Some(&pm.customer_id) == session.customer_id.as_ref())
            .collect();
        cards.sort_by_key(|pm| pm.seq);
        cards
            .into_iter()
            .map(|pm| SavedCard {
                id: pm.id.clone(),
                label: format!("{} •••• {}", pm.network, pm.last4),
            })
            .collect()
    } else {
        Vec::new()
    };
    let email = typed
        .map(|t| t.email.clone())
        .or_else(|| customer.map(|c| c.email.clone()))
        .or_else(|| session.prefill_email.clone())
        .unwrap_or_default();
    let name = typed
        .map(|t| t.name.clone())
        .or_else(|| customer.map(|c| c.name.clone()))
        .or_else(|| session.prefill_name.clone())
        .unwrap_or_default();
    let country = typed
        .map(|t| t.country.clone())
        .or_else(|| session.billing.as_ref().map(|b| b.country.clone()))
        .unwrap_or_else(|| "US".to_owned());
    let back_link = if errors.is_empty() {
        None
    } else {
        return_link(session, s, "failed")
    };
    Page::Html(
        status,
        html::checkout_form(&CheckoutForm {
            action: format!("/checkout/{id}"),
            business: &s.business.name,
            heading: &heading,
            rows,
            total,
            currency: &currency,
            email: &email,
            name: &name,
            country: &country,
            errors,
            button,
            saved_cards,
            back_link,
            cancel_link: session.cancel_url.clone(),
        }),
    )
}

async fn show(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    state
        .with_store(|s| render(s, &id, Vec::new(), None, StatusCode::OK))
        .into_response()
}

async fn submit(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let (page, events) = state.with_store(|s| process(s, &id, &form));
    state.emit(events);
    page.into_response()
}

/// A valid typed card: what was typed, the digits, and (month, year).
type TypedCard = (Typed, String, (u8, i32));

/// A card typed on the page, checked like a card form would.
fn read_card(s: &Store, form: &HashMap<String, String>) -> Result<TypedCard, (Typed, Vec<String>)> {
    let field = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let typed = Typed {
        email: field("email"),
        name: field("name"),
        country: field("country"),
    };
    let mut errors = Vec::new();
    if !typed.email.contains('@') {
        errors.push("Enter a valid email address.".to_owned());
    }
    if typed.name.is_empty() {
        errors.push("Enter the name on the card.".to_owned());
    }
    let number = cards::normalize_number(&field("card_number")).filter(|n| cards::luhn_valid(n));
    if number.is_none() {
        errors.push("Enter a valid card number.".to_owned());
    }
    let expiry = cards::parse_expiry(&field("expiry"));
    match expiry {
        None => errors.push("Enter the expiry as MM/YY.".to_owned()),
        Some((m, y)) if cards::is_expired(m, y, s.now().date()) => {
            errors.push("This card has expired.".to_owned())
        }
        Some(_) => {}
    }
    let cvc = field("cvc");
    if !(3..=4).contains(&cvc.len()) || !cvc.chars().all(|c| c.is_ascii_digit()) {
        errors.push("Enter the 3 or 4 digit CVC.".to_owned());
    }
    if typed.country.len() != 2 || !typed.country.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push("Choose a country.".to_owned());
    }
    match (number, expiry) {
        (Some(n), Some(e)) if errors.is_empty() => Ok((typed, n, e)),
        _ => Err((typed, errors)),
    }
}

fn process(s: &mut Store, id: &str, form: &HashMap<String, String>) -> (Page, Vec<Event>) {
    let Some(session) = s.sessions.get(id).cloned() else {
        return (not_found(s, "checkout session"), Vec::new());
    };
    if session.completed {
        return (render(s, id, Vec::new(), None, StatusCode::OK), Vec::new());
    }
    let saved = form
        .get("saved_payment_method_id")
        .filter(|v| !v.is_empty())
        .cloned();
    let (customer_id, pm_id, country, typed) = match saved {
        Some(pm_id) => {
            let owned = s
                .payment_methods
                .get(&pm_id)
                .filter(|pm| Some(&pm.customer_id) == session.customer_id.as_ref());
            let (Some(pm), Some(customer_id)) = (owned, session.customer_id.clone()) else {
                let errors = vec!["That saved card cannot be used here.".to_owned()];
                return (
                    render(s, id, errors, None, StatusCode::UNPROCESSABLE_ENTITY),
                    Vec::new(),
                );
            };
            let country = pm.issuing_country.clone();
            (customer_id, pm_id, country, Typed::default())
        }
        None => {
            let (typed, digits, expiry) = match read_card(s, form) {
                Ok(card) => card,
                Err((typed, errors)) => {
                    return (
                        render(
                            s,
                            id,
                            errors,
                            Some(&typed),
                            StatusCode::UNPROCESSABLE_ENTITY,
                        ),
                        Vec::new(),
                    );
                }
            };
            let customer_id = match &session.customer_id {
                Some(c) => c.clone(),
                None => s.find_or_create_customer(
                    &typed.email,
                    Some(&typed.name),
                    None,
                    session.always_create_new_customer,
                ),
            };
            let pm_id = s.save_card(
                &customer_id,
                &digits,
                expiry,
                Some(&typed.name),
                &typed.country,
            );
            (customer_id, pm_id, typed.country.clone(), typed)
        }
    };
    let billing = session
        .billing
        .clone()
        .unwrap_or_else(|| Billing::country(&country));
    if let Some(sess) = s.sessions.get_mut(id) {
        sess.customer_id = Some(customer_id.clone());
    }
    match session.kind.clone() {
        SessionKind::Purchase => {
            let items = session
                .cart
                .iter()
                .map(|l| CartItemReq {
                    product_id: Some(l.product_id.clone()),
                    quantity: Some(l.quantity),
                    amount: None,
                    addons: None,
                })
                .collect();
            let cart = match s.validate_cart(Some(items)) {
                Ok(cart) => cart,
                Err(e) => {
                    return (
                        render(
                            s,
                            id,
                            vec![e.message],
                            Some(&typed),
                            StatusCode::UNPROCESSABLE_ENTITY,
                        ),
                        Vec::new(),
                    );
                }
            };
            let (payment_id, subscription_id) = s.start_purchase(
                Purchase {
                    customer_id,
                    cart,
                    billing,
                    payment_method_id: Some(pm_id),
                    session_id: Some(id.to_owned()),
                    metadata: session.metadata.clone(),
                    return_url: session.return_url.clone(),
                },
                PaymentStatus::Processing,
            );
            if let Some(sess) = s.sessions.get_mut(id) {
                sess.payment_id = Some(payment_id.clone());
                sess.subscription_id = subscription_id;
            }
            let events = s.settle(&payment_id);
            outcome(s, id, &payment_id, events, &typed)
        }
        SessionKind::PayExisting { payment_id } => {
            let card = s.payment_methods.get(&pm_id).map(CardSnapshot::from);
            let now = s.now();
            let payable = match s.payments.get_mut(&payment_id) {
                Some(p)
                    if matches!(
                        p.status,
                        PaymentStatus::RequiresPaymentMethod | PaymentStatus::Failed
                    ) =>
                {
                    p.payment_method_id = Some(pm_id.clone());
                    p.card = card;
                    p.status = PaymentStatus::Processing;
                    p.updated_at = now;
                    true
                }
                _ => false,
            };
            if !payable {
                return (
                    render(
                        s,
                        id,
                        vec!["This payment can no longer be paid.".to_owned()],
                        Some(&typed),
                        StatusCode::CONFLICT,
                    ),
                    Vec::new(),
                );
            }
            let events = s.settle(&payment_id);
            outcome(s, id, &payment_id, events, &typed)
        }
        SessionKind::UpdatePaymentMethod { subscription_id } => {
            if let Some(sub) = s.subscriptions.get_mut(&subscription_id) {
                sub.payment_method_id = Some(pm_id);
            }
            let mut events = vec![s.event(
                "subscription.updated",
                ObjectRef::Subscription(subscription_id.clone()),
            )];
            if let Some(payment_id) = s.charge_dues(&subscription_id) {
                if let Some(sess) = s.sessions.get_mut(id) {
                    sess.payment_id = Some(payment_id.clone());
                }
                events.extend(s.settle(&payment_id));
                return outcome(s, id, &payment_id, events, &typed);
            }
            if let Some(sess) = s.sessions.get_mut(id) {
                sess.completed = true;
            }
            let status = s
                .subscriptions
                .get(&subscription_id)
                .map(|sub| sub.status.as_str())
                .unwrap_or("active");
            finish_page(s, id, status, events)
        }
    }
}

/// After the charge: redirect on success, to the 3DS page if needed, or back to the form.
fn outcome(
    s: &mut Store,
    session_id: &str,
    payment_id: &str,
    events: Vec<Event>,
    typed: &Typed,
) -> (Page, Vec<Event>) {
    let Some(payment) = s.payments.get(payment_id).cloned() else {
        return (not_found(s, "payment"), events);
    };
    match payment.status {
        PaymentStatus::Succeeded => {
            if let Some(sess) = s.sessions.get_mut(session_id) {
                sess.completed = true;
            }
            let status = final_status(s, &payment);
            finish_page(s, session_id, &status, events)
        }
        PaymentStatus::RequiresCustomerAction => {
            (Page::Redirect(format!("/sandbox/3ds/{payment_id}")), events)
        }
        _ => {
            let reason = format!(
                "Payment failed: {} ({})",
                payment
                    .error_message
                    .as_deref()
                    .unwrap_or("the card was declined"),
                payment.error_code.as_deref().unwrap_or("GENERIC_DECLINE")
            );
            (
                render(
                    s,
                    session_id,
                    vec![reason],
                    Some(typed),
                    StatusCode::PAYMENT_REQUIRED,
                ),
                events,
            )
        }
    }
}

/// The `status` appended to `return_url`: the subscription's for subscription purchases,
/// else the payment's.
fn final_status(s: &Store, payment: &Payment) -> String {
    match &payment.purpose {
        Purpose::NewSubscription { subscription_id }
        | Purpose::Dues {
            subscription_id, ..
        } => s
            .subscriptions
            .get(subscription_id)
            .map(|sub| sub.status.as_str().to_owned())
            .unwrap_or_else(|| payment.status.as_str().to_owned()),
        _ => payment.status.as_str().to_owned(),
    }
}

fn finish_page(
    s: &Store,
    session_id: &str,
    status: &str,
    events: Vec<Event>,
) -> (Page, Vec<Event>) {
    let Some(session) = s.sessions.get(session_id) else {
        return (not_found(s, "checkout session"), events);
    };
    match return_link(session, s, status) {
        Some(link) => (Page::Redirect(link), events),
        None => (
            Page::Html(
                StatusCode::OK,
                html::message(
                    "Thank you",
                    &s.business.name,
                    &format!("Payment status: {status}."),
                    None,
                ),
            ),
            events,
        ),
    }
}

async fn challenge_page(State(state): State<SandboxState>, Path(id): Path<String>) -> Response {
    state
        .with_store(|s| {
            let Some(p) = s.payments.get(&id) else {
                return not_found(s, "payment");
            };
            if p.status != PaymentStatus::RequiresCustomerAction {
                return Page::Html(
                    StatusCode::OK,
                    html::message(
                        "Nothing to verify",
                        &s.business.name,
                        &format!("This payment is {}.", p.status.as_str()),
                        None,
                    ),
                );
            }
            let card = p
                .card
                .as_ref()
                .map(|c| format!("{} •••• {}", c.network, c.last4))
                .unwrap_or_else(|| "your card".to_owned());
            Page::Html(
                StatusCode::OK,
                html::challenge(
                    &format!("/sandbox/3ds/{id}"),
                    &s.business.name,
                    &money::format(p.total_amount, &p.currency),
                    &card,
                ),
            )
        })
        .into_response()
}

async fn challenge_submit(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let passed = form.get("outcome").map(String::as_str) == Some("complete");
    let (page, events) = state.with_store(|s| {
        let events = s.complete_challenge(&id, passed);
        let Some(payment) = s.payments.get(&id).cloned() else {
            return (not_found(s, "payment"), events);
        };
        let status = final_status(s, &payment);
        if let Some(session_id) = payment.checkout_session_id.clone()
            && s.sessions.contains_key(&session_id)
        {
            if payment.status == PaymentStatus::Succeeded
                && let Some(sess) = s.sessions.get_mut(&session_id)
            {
                sess.completed = true;
            }
            return finish_page(s, &session_id, &status, events);
        }
        let page = match &payment.return_url {
            Some(url) => Page::Redirect(with_params(
                url,
                &[("payment_id", &payment.id), ("status", &status)],
            )),
            None => Page::Html(
                StatusCode::OK,
                html::message(
                    "Verification finished",
                    &s.business.name,
                    &format!("Payment status: {status}."),
                    None,
                ),
            ),
        };
        (page, events)
    });
    state.emit(events);
    page.into_response()
}

async fn portal(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    // Only http(s) targets become the back link (never `javascript:` and the like).
    let return_url = query
        .get("return_url")
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .cloned();
    state
        .with_store(|s| {
            let Some(c) = s.customers.get(&id) else {
                return not_found(s, "customer");
            };
            let mut body = format!(
                "<h1>Customer portal</h1><p>{} &lt;{}&gt;</p><h2>Subscriptions</h2><ul>",
                html::esc(&c.name),
                html::esc(&c.email)
            );
            for sub in s.subscriptions.values().filter(|sub| sub.customer_id == id) {
                let name = s
                    .products
                    .get(&sub.product_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                body.push_str(&format!(
                    "<li>{} — {}</li>",
                    html::esc(&name),
                    sub.status.as_str()
                ));
            }
            body.push_str("</ul><h2>Saved cards</h2><ul>");
            for pm in s.payment_methods.values().filter(|pm| pm.customer_id == id) {
                if pm.is_card() {
                    body.push_str(&format!(
                        "<li>{} •••• {} (expires {:02}/{})</li>",
                        html::esc(&pm.network),
                        html::esc(&pm.last4),
                        pm.exp_month,
                        pm.exp_year
                    ));
                } else {
                    body.push_str(&format!("<li>{}</li>", html::esc(&pm.label())));
                }
            }
            body.push_str("</ul>");
            if let Some(url) = &return_url {
                body.push_str(&format!(
                    "<p><a id=\"return\" href=\"{}\">Return to {}</a></p>",
                    html::esc(url),
                    html::esc(&s.business.name)
                ));
            }
            Page::Html(
                StatusCode::OK,
                html::page("Customer portal", &s.business.name, &body),
            )
        })
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::with_params;

    #[test]
    fn params_are_appended_before_fragments() {
        assert_eq!(with_params("http://a/b", &[("x", "1")]), "http://a/b?x=1");
        assert_eq!(
            with_params("http://a/b?y=2#top", &[("x", "a b")]),
            "http://a/b?y=2&x=a%20b#top"
        );
    }
}
