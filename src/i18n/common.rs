//! Strings shared by every page.

crate::catalogue! {
    /// Strings shared by every page.
    pub enum Text {
        AppName { en: "Dodo Upsell" },
        SkipToContent { en: "Skip to content" },
        FooterSecure { en: "Payments are processed securely by Dodo Payments." },
        HomeTitle { en: "Offers after the first sale" },
        HomeIntro { en: "One-click upsells, cross-sells and plan changes for Dodo Payments merchants." },
        HomeModeSandbox { en: "Running against the built-in Dodo sandbox: no real money moves." },
        HomeModeTest { en: "Connected to Dodo Payments in test mode." },
        HomeModeLive { en: "Connected to Dodo Payments in live mode." },
        StatusCheckButton { en: "Check the server" },
        StatusChecking { en: "Checking…" },
        StatusIdle { en: "Not checked yet." },
        /// `{mode}`, `{store}`
        StatusAnswer { en: "The server answered: Dodo {mode}, store {store}." },
        StatusFailed { en: "The server could not be reached. Please try again." },
        NotFoundTitle { en: "Page not found" },
        NotFoundBody { en: "The page you asked for does not exist or has moved." },
        BackHome { en: "Back to the start page" },
        LinkMissingTitle { en: "This link is incomplete" },
        LinkMissingBody { en: "The address is missing part of the link. Please open the link from your email again." },
        LinkExpiredTitle { en: "This link has expired" },
        LinkExpiredBody { en: "For your security, links work for a limited time. Please ask the shop for a new link." },
        LinkInvalidTitle { en: "This link is not valid" },
        LinkInvalidBody { en: "The link may have been copied incompletely or changed. Please open the link from your email again." },
        OpenInNewTab { en: "Open in a new tab" },
        Loading { en: "Loading…" },
        ErrorTitle { en: "Something went wrong" },
        ErrorMalformed { en: "This request was incomplete, so nothing happened. Please reload the page and try again." },
        ErrorConsentMissing { en: "The amount you agreed to was not sent with the request, so nothing was charged. Please reload the page and try again." },
        ErrorRateLimited { en: "Too many requests at once. Please wait a moment and try again." },
        SomethingWentWrong { en: "Something went wrong on our side. Nothing was charged. Please try again in a moment." },
    }
}
