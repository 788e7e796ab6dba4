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
pub const HOME_PLACEHOLDER: &str = "Your offers' numbers will appear here.";

/// The `<title>` of a merchant page.
pub fn page_title(page: &str) -> String {
    format!("{page} · {PRODUCT} merchants")
}

/// [`TOO_MANY_ATTEMPTS`] for a wait of `seconds`.
pub fn too_many_attempts(seconds: u64) -> String {
    TOO_MANY_ATTEMPTS.replace("{seconds}", &seconds.max(1).to_string())
}
