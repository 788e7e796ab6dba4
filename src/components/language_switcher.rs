//! A small language switcher: one plain link per language, to this same page with `?lang=`
//! (the rest of the query — a link's token, `embed=1` — kept). No island: a link works in an
//! embedded frame and without JavaScript, and the server then remembers the choice in the
//! `lang` cookie.

use crate::context::request_context;
use crate::i18n::{Locale, Text, t};
use leptos::prelude::*;

/// `path_and_query` with `lang=tag` added (the context's address has no `lang` of its own).
pub fn switch_href(path_and_query: &str, tag: &str) -> String {
    let joiner = if path_and_query.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{path_and_query}{joiner}lang={tag}")
}

/// The tag a language's link asks for: the current variant when it is of that language (an
/// `en-IN` reader keeps Indian grouping), the language's own tag otherwise.
fn tag_for(language: Locale, current: Locale) -> &'static str {
    if current.language() == language {
        current.tag()
    } else {
        language.tag()
    }
}

#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let context = request_context();
    let current = context.locale;
    let links = Locale::LANGUAGES
        .iter()
        .map(|&language| {
            let name = language.native_name();
            let tag = language.tag();
            if current.language() == language {
                view! {
                    <span lang=tag aria-current="true" class="font-semibold text-slate-900">{name}</span>
                }
                .into_any()
            } else {
                let href = switch_href(&context.path_and_query, tag_for(language, current));
                view! {
                    <a href=href lang=tag hreflang=tag class="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">{name}</a>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <nav aria-label=t(current, Text::LanguageLabel) class="flex flex-wrap justify-end gap-x-3 text-sm">
            {links}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_query_and_the_variant() {
        assert_eq!(
            switch_href("/plan-change?token=abc&embed=1", "hi"),
            "/plan-change?token=abc&embed=1&lang=hi"
        );
        assert_eq!(switch_href("/", "id"), "/?lang=id");
        assert_eq!(tag_for(Locale::En, Locale::EnIn), "en-IN");
        assert_eq!(tag_for(Locale::En, Locale::Hi), "en");
        assert_eq!(tag_for(Locale::Hi, Locale::EnIn), "hi");
    }
}
