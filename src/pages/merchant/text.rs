//! Every string of the merchant pages, in one place (merchant pages are English only; the
//! customers' pages are translated, `crate::i18n`).

pub const PRODUCT: &str = "Dodo Upsell";
pub const SKIP_TO_CONTENT: &str = "Skip to content";

pub const SIGN_IN_TITLE: &str = "Sign in to your dashboard";
pub const SIGN_IN_INTRO: &str =
    "For merchants: your offers, what they earned, and why a purchase got no offer.";
pub const EMAIL_LABEL: &str = "Email";
pub const PASSWORD_LABEL: &str = "Password";
pub const SIGN_IN_BUTTON: &str = "Sign in";
/// The same for an unknown email and a wrong password: the page must not tell which emails
/// have accounts.
pub const WRONG_LOGIN: &str = "That email and password do not match an account.";

/// `{seconds}` is replaced by the wait.
pub const TOO_MANY_ATTEMPTS: &str =
    "Too many sign-in attempts. Please wait {seconds} seconds, then try again.";

pub const FORM_EXPIRED_TITLE: &str = "This form has expired";
pub const FORM_EXPIRED_BODY: &str = "The form was not sent from this dashboard's current page, so nothing was done. Open the page again and resend it.";
pub const BACK_TO_SIGN_IN: &str = "Back to sign in";

pub const SOMETHING_WENT_WRONG: &str = "Something went wrong on our side. Please try again.";

pub const NAV_LABEL: &str = "Merchant";
pub const NAV_DASHBOARD: &str = "Dashboard";
pub const SIGNED_IN_AS: &str = "Signed in as";
pub const SIGN_OUT: &str = "Sign out";

pub const HOME_TITLE: &str = "Dashboard";

/// The `<title>` of a merchant page.
pub fn page_title(page: &str) -> String {
    format!("{page} · {PRODUCT} merchants")
}

/// [`TOO_MANY_ATTEMPTS`] for a wait of `seconds`.
pub fn too_many_attempts(seconds: u64) -> String {
    TOO_MANY_ATTEMPTS.replace("{seconds}", &seconds.max(1).to_string())
}

// --- the dashboard's pages -----------------------------------------------------------------

pub const DASHBOARD_INTRO: &str =
    "What your offers earned: revenue confirmed by Dodo's webhooks, net of refunds.";
pub const FILTERS_LABEL: &str = "Filters";
pub const FILTER_FROM: &str = "From (UTC day)";
pub const FILTER_TO: &str = "To (UTC day, included)";
pub const FILTER_SURFACE: &str = "Shown";
pub const FILTER_LOCALE: &str = "Language";
pub const ALL: &str = "All";
pub const SURFACE_STANDALONE: &str = "On our page";
pub const SURFACE_EMBEDDED: &str = "Embedded in your site";
pub const APPLY: &str = "Show";
pub const SHOWING: &str = "Showing";
pub const CSV_OFFERS: &str = "Download the offers table (CSV)";
pub const CSV_DAILY: &str = "Download the daily numbers (CSV)";
pub const CHARTS_LABEL: &str = "Charts";
pub const OFFERS_HEADING: &str = "Offers";
pub const OFFERS_NOTE: &str = "Conversion is accepts per impression. Revenue counts payments Dodo confirmed by webhook; refunds include those made in Dodo's dashboard. Undone counts the refunds customers asked for themselves with \u{201c}Undo this purchase\u{201d}: a purchase taken back, counted in Refunded and never in Net.";
pub const NOTHING_IN_PERIOD: &str = "Nothing happened in this period.";
pub const OFFER_COLUMNS: [&str; 13] = [
    "Kind",
    "Rule",
    "Product",
    "Shown",
    "Accepted",
    "Declined",
    "Don't show again",
    "Expired",
    "Conversion",
    "Revenue",
    "Refunded",
    "Undone",
    "Net",
];
pub const PLAN_CHANGES_HEADING: &str = "Plan changes";
pub const PLAN_CHANGE_COLUMNS: [&str; 5] = [
    "Direction",
    "Confirmed",
    "Went through",
    "Charged now (net)",
    "Recurring revenue per month",
];

/// How the offers table names an offer's kind.
pub fn offer_kind(kind: &str) -> &'static str {
    match kind {
        "upsell" => "Post-purchase offer",
        "downsell" => "Downsell",
        "cross_sell" => "Cross-sell",
        _ => "Other",
    }
}

pub const NAV_LANDINGS: &str = "Why no offer";
pub const NAV_CONFIG: &str = "What is live";
pub const NAV_CHECK: &str = "Check against Dodo";

pub const LANDINGS_TITLE: &str = "Why no offer";
pub const LANDINGS_INTRO: &str = "Every return from Dodo's checkout, newest first, with the offer it led to or the reason there was none.";
pub const SEARCH_LABEL: &str = "Payment or customer id";
pub const SEARCH: &str = "Search";
pub const NO_LANDINGS: &str =
    "No purchase has come back from Dodo's checkout yet (or none with this id).";
pub const LANDING_COLUMNS: [&str; 5] = ["When", "Payment", "Customer", "What happened", "Details"];

/// What a landing led to, in the merchant's words.
pub fn landing_outcome(outcome: crate::server::store::LandingOutcome) -> &'static str {
    use crate::server::store::LandingOutcome as O;
    match outcome {
        O::Offered => "Offer shown",
        O::NoRuleMatched => "No rule matched what was bought",
        O::AskedForNoOffers => "The customer asked to see no offers",
        O::DontShowThisAgain => "The customer asked not to see this offer again",
        O::AlreadyBought => "The customer already owns the offered product",
        O::DeclinedRecently => "The customer declined it within the cool-off",
        O::OfferProductUnavailable => "The offered product is not available at Dodo",
        O::WindowPassed => "The offer window had passed",
        O::PaymentNotSucceeded => "The payment did not succeed",
        O::PaymentProcessing => "The payment was still processing",
        O::UnknownPayment => "Dodo does not know this payment",
        O::NotThisBrowser => "Opened in another browser than the one that paid",
        O::DodoUnavailable => "Dodo could not be reached",
    }
}

/// The rest of a landing: the rule and offer, why one click was not possible, money owed and
/// the rules skipped.
pub fn landing_details(l: &crate::server::store::Landing) -> String {
    let mut parts = Vec::new();
    if let Some(rule) = &l.rule_id {
        parts.push(format!("rule {rule}"));
    }
    if let Some(reason) = &l.one_click_blocked {
        parts.push(format!("normal checkout only: {}", fallback(reason)));
    }
    if l.owes_money == Some(true) {
        parts.push("owes a subscription payment (asked for it first)".to_owned());
    }
    if l.embedded {
        parts.push("embedded".to_owned());
    }
    if !l.skipped.is_empty() {
        parts.push(format!("skipped: {}", l.skipped.join("; ")));
    }
    parts.join(" · ")
}

fn fallback(code: &str) -> &str {
    match code {
        "no_saved_card" => "no saved card",
        "card_expired" => "the saved card has expired",
        "not_a_card" => "the saved method cannot be charged without the customer",
        "recurring_disabled" => "the saved card does not allow later charges",
        "currency_mismatch" => "the offer's currency differs from the purchase's",
        "card_not_accepted" => "Dodo refused the saved card",
        other => other,
    }
}

pub const UNREADABLE_HEADING: &str = "Webhooks we could not read";
pub const UNREADABLE_NOTE: &str = "Verified as Dodo's, stored as they came, but not in a shape we understand; nothing was changed because of them.";
pub const NO_UNREADABLE: &str = "None.";

pub const CONFIG_TITLE: &str = "What is live";
pub const CONFIG_INTRO: &str = "The rules loaded from merchant.toml when the server started, and every product they name as Dodo has it now.";
pub const WARNINGS_HEADING: &str = "Warnings";
pub const NO_WARNINGS: &str = "The startup checks found nothing wrong.";
pub const RULES_HEADING: &str = "Rules";
pub const RULE_COLUMNS: [&str; 4] = ["Kind", "Id", "When", "Offers"];
pub const PRODUCTS_HEADING: &str = "Products";
pub const PRODUCT_COLUMNS: [&str; 4] = ["Product", "Name at Dodo", "Price at Dodo", "Named by"];
pub const NOT_AT_DODO: &str = "Not available at Dodo";

pub const CHECK_TITLE: &str = "Check against Dodo";
pub const CHECK_INTRO: &str = "Compares the payments Dodo holds with our metadata for a period with what this dashboard recorded: payments only one side knows, other amounts, other statuses, refunds we did not hear of. Nothing is changed.";
pub const CHECK_FROM: &str = "From (UTC)";
pub const CHECK_TO: &str = "To (UTC, not included)";
pub const RUN_CHECK: &str = "Check";
pub const CHECK_FAILED: &str = "The check could not be completed";
pub const CHECK_OURS: &str = "payments recorded here";
pub const CHECK_THEIRS: &str = "payments at Dodo with our metadata";
pub const CHECK_CLEAN: &str = "No difference: every payment matches.";
pub const DIFF_ONLY_AT_DODO: &str = "Only at Dodo:";
pub const DIFF_ONLY_HERE: &str = "Only here:";
pub const DIFF_OTHER_AMOUNT: &str = "Another amount for";
pub const DIFF_OTHER_STATUS: &str = "Another status for";
pub const DIFF_OTHER_REFUNDS: &str = "Other refunds for";
pub const HERE: &str = "here";
pub const AT_DODO: &str = "at Dodo";
