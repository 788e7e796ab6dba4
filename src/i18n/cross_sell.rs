//! The cross-sell page's strings.

crate::catalogue! {
    pub enum CrossSellText {
        Title { en: "Recommended for you" },
        Intro { en: "Based on what you already have. Each is one click away on your saved card." },
        Nothing { en: "We have no recommendations for you right now." },
        Purchased { en: "Purchased" },
        ViewDetails { en: "See details" },
    }
}
