//! Server-rendered HTML of the hosted pages: plain forms, no JavaScript, labelled fields.

use crate::money;

pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#1a1a1a}\
main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:12px;box-shadow:0 1px 4px #0002}\
label{display:block;margin-top:.8rem;font-weight:600;font-size:.9rem}\
input,select{width:100%;box-sizing:border-box;padding:.55rem;margin-top:.25rem;border:1px solid #bbb;border-radius:6px;font-size:1rem}\
button{margin-top:1.2rem;width:100%;padding:.75rem;border:0;border-radius:6px;background:#1f6feb;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}\
button.secondary{background:#6e7781}.alert{background:#ffebe9;border:1px solid #cf222e;padding:.6rem;border-radius:6px;margin:.8rem 0}\
.muted{color:#57606a;font-size:.85rem}ul.cart{padding-left:1.1rem}.badge{font-size:.75rem;background:#fff8c5;padding:.1rem .4rem;border-radius:4px}";

pub fn page(title: &str, business: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><link rel=\"icon\" href=\"data:,\">\
<title>{title} · {business}</title><style>{STYLE}</style></head><body><main>\
<p class=\"muted\">{business} <span class=\"badge\">Dodo sandbox · test mode</span></p>{body}</main></body></html>",
        title = esc(title),
        business = esc(business),
    )
}

pub struct CartRow {
    pub name: String,
    pub quantity: i64,
    pub amount: i64,
    /// "per month" for subscriptions.
    pub recurring: Option<String>,
}

pub struct SavedCard {
    pub id: String,
    pub label: String,
}

pub struct CheckoutForm<'a> {
    pub action: String,
    pub business: &'a str,
    pub heading: &'a str,
    pub rows: Vec<CartRow>,
    pub total: i64,
    pub currency: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub errors: Vec<String>,
    pub button: String,
    pub saved_cards: Vec<SavedCard>,
    pub back_link: Option<String>,
    /// The session's `cancel_url`: a way back without paying.
    pub cancel_link: Option<String>,
}

const COUNTRIES: [(&str, &str); 10] = [
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("IN", "India"),
    ("CA", "Canada"),
    ("AU", "Australia"),
    ("NL", "Netherlands"),
    ("ES", "Spain"),
    ("JP", "Japan"),
];

pub fn checkout_form(f: &CheckoutForm) -> String {
    let mut body = format!("<h1>{}</h1>", esc(f.heading));
    if !f.rows.is_empty() {
        body.push_str("<section aria-label=\"Order summary\"><ul class=\"cart\">");
        for r in &f.rows {
            let per = r
                .recurring
                .as_ref()
                .map(|p| format!(" {}", esc(p)))
                .unwrap_or_default();
            body.push_str(&format!(
                "<li>{} × {} — {}{}</li>",
                esc(&r.name),
                r.quantity,
                esc(&money::format(r.amount, f.currency)),
                per
            ));
        }
        body.push_str(&format!(
            "</ul><p>Total due today: <strong>{}</strong></p></section>",
            esc(&money::format(f.total, f.currency))
        ));
    }
    if !f.errors.is_empty() {
        body.push_str("<div class=\"alert\" role=\"alert\">");
        for e in &f.errors {
            body.push_str(&format!("<p>{}</p>", esc(e)));
        }
        if let Some(link) = &f.back_link {
            body.push_str(&format!(
                "<p><a href=\"{}\">Return to the store</a></p>",
                esc(link)
            ));
        }
        body.push_str("</div>");
    }
    for card in &f.saved_cards {
        body.push_str(&format!(
            "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"saved_payment_method_id\" value=\"{id}\">\
<button type=\"submit\" class=\"secondary\">Use saved {label}</button></form>",
            action = esc(&f.action),
            id = esc(&card.id),
            label = esc(&card.label)
        ));
    }
    let mut options = String::new();
    for (code, name) in COUNTRIES {
        let selected = if code == f.country { " selected" } else { "" };
        options.push_str(&format!(
            "<option value=\"{code}\"{selected}>{name}</option>"
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{action}\" novalidate>\
<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\"{email}\">\
<label for=\"name\">Name on card</label><input id=\"name\" name=\"name\" autocomplete=\"cc-name\" required value=\"{name}\">\
<label for=\"card_number\">Card number</label><input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" placeholder=\"4242 4242 4242 4242\" required>\
<label for=\"expiry\">Expiry (MM/YY)</label><input id=\"expiry\" name=\"expiry\" autocomplete=\"cc-exp\" placeholder=\"MM/YY\" required>\
<label for=\"cvc\">CVC</label><input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" placeholder=\"123\" required>\
<label for=\"country\">Country</label><select id=\"country\" name=\"country\" autocomplete=\"country\">{options}</select>\
<button type=\"submit\">{button}</button></form>\
<p class=\"muted\">Test cards: 4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · \
4000 0000 0000 9995 has insufficient funds · 4000 0000 0000 3220 asks for 3D Secure. Any future expiry, any CVC.</p>",
        action = esc(&f.action),
        email = esc(f.email),
        name = esc(f.name),
        button = esc(&f.button),
    ));
    if let Some(cancel) = &f.cancel_link {
        body.push_str(&format!(
            "<p><a href=\"{}\">Cancel and return to the store</a></p>",
            esc(cancel)
        ));
    }
    page("Checkout", f.business, &body)
}

pub fn message(title: &str, business: &str, text: &str, link: Option<(&str, &str)>) -> String {
    let link = link
        .map(|(href, label)| format!("<p><a href=\"{}\">{}</a></p>", esc(href), esc(label)))
        .unwrap_or_default();
    page(
        title,
        business,
        &format!(
            "<h1>{}</h1><p role=\"status\">{}</p>{link}",
            esc(title),
            esc(text)
        ),
    )
}

pub fn challenge(action: &str, business: &str, amount: &str, card: &str) -> String {
    let body = format!(
        "<h1>3D Secure verification</h1><p>Your bank asks you to confirm a payment of <strong>{amount}</strong> with {card}.</p>\
<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"outcome\" value=\"complete\"><button type=\"submit\">Complete</button></form>\
<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"outcome\" value=\"fail\"><button type=\"submit\" class=\"secondary\">Fail</button></form>",
        amount = esc(amount),
        card = esc(card),
        action = esc(action),
    );
    page("3D Secure", business, &body)
}
