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
        TourTitle { en: "Try the three flows" },
        TourBuyTitle { en: "Buy, then see the post-purchase offer" },
        TourBuyBody { en: "Buy a product on the sandbox checkout and pay with the test card" },
        TourBuyCardHint { en: "(any future expiry, any CVC): you come back to the one-click offer that follows a purchase." },
        TourPlanTitle { en: "Change a subscription plan" },
        TourPlanBody { en: "Open a demo subscriber's signed link to compare plans, see Dodo's exact preview of what a switch costs now, and confirm it." },
        TourPlanLink { en: "Open the plan-change demo" },
        TourCrossTitle { en: "Recommend more to an existing customer" },
        TourCrossBody { en: "A demo customer who bought the course earlier opens a signed cross-sell link: products related to what they own, each one click on their saved card." },
        TourCrossLink { en: "Open the cross-sell demo" },
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
