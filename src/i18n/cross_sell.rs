//! The cross-sell page's strings.

crate::catalogue! {
    pub enum CrossSellText {
        Title { en: "Recommended for you" },
        Intro { en: "Based on what you already have. Each is one click away on your saved card." },
        Nothing { en: "We have no recommendations for you right now." },
        Purchased { en: "Purchased" },
        ViewDetails { en: "See details" },
        SucceededTitle { en: "It's yours" },
        SucceededBody { en: "Your payment went through. You'll receive a receipt from Dodo Payments by email." },
        BackToRecommendations { en: "Back to your recommendations" },
    }
}
