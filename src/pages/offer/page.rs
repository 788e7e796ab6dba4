//! `/offer/{id}`: the post-purchase offer, rendered on the server in whatever state it is in.
//! The card (`card.rs`) shows what is offered; the section below it (`states.rs`) what the
//! customer can do now.

use super::api::offer_page;
use super::card::OfferCard;
use super::states::StateSection;
use crate::components::embed_frame::{EmbedEvent, EmbedEvents};
use crate::components::error_page::ErrorPage;
use crate::context::current_locale;
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::types::offer::{OfferNotice, OfferState, OfferView};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OfferPage() -> impl IntoView {
    let locale = current_locale();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let query = use_query_map().read_untracked();
    let access = query.get("access");
    let notice = query.get("notice").as_deref().and_then(OfferNotice::parse);
    let confirm_undo = query.get("undo").as_deref() == Some("confirm");
    let data = Resource::new_blocking(|| (), move |_| offer_page(id.clone(), access.clone()));
    view! {
        <Suspense fallback=move || view! { <p>{t(locale, crate::i18n::Text::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Offer view notice confirm_undo locale/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn notice_text(notice: OfferNotice) -> OfferText {
    match notice {
        OfferNotice::PaymentInProgress => OfferText::NoticeInProgress,
        OfferNotice::AlreadyDeclined => OfferText::NoticeDeclined,
        OfferNotice::AlreadyOwned => OfferText::NoticeOwned,
    }
}

#[component]
fn Offer(
    view: OfferView,
    notice: Option<OfferNotice>,
    confirm_undo: bool,
    locale: Locale,
) -> impl IntoView {
    let state_name = view.state.name();
    let confirmed = if view.purchased.is_empty() {
        t(locale, OfferText::OrderConfirmedNoName).to_string()
    } else {
        tf(
            locale,
            OfferText::OrderConfirmed,
            &[("product", &view.purchased)],
        )
    };
    let events =
        crate::context::is_embedded().then(|| view! { <EmbedEvents events=embed_events(&view)/> });
    view! {
        <div data-testid="offer" data-state=state_name class="mx-auto max-w-xl">
            {events}
            {(!view.is_cross_sell).then(|| view! { <PurchaseHeader confirmed continue_url=view.continue_url.clone() locale/> })}
            {notice.map(|n| view! {
                <p data-testid="offer-notice-line" role="status" class="mb-4 rounded-lg border border-sky-300 bg-sky-50 px-3 py-2 text-sky-950">
                    {t(locale, notice_text(n))}
                </p>
            })}
            <OfferCard view=view.clone() locale/>
            <StateSection view confirm_undo locale/>
        </div>
    }
}

/// The embed contract's events for the state this page shows (the frame script posts each
/// once per frame, so a reload does not repeat them).
fn embed_events(view: &OfferView) -> Vec<EmbedEvent> {
    let id = view.offer_id.as_str();
    match &view.state {
        OfferState::Open | OfferState::CheckoutOnly(_) => {
            vec![EmbedEvent::new(
                "offer_shown",
                &[("offer_id", id), ("product", &view.product_name)],
            )]
        }
        OfferState::Processing
        | OfferState::Confirming
        | OfferState::CheckoutOpen { .. }
        | OfferState::NeedsAction { .. } => {
            vec![EmbedEvent::new("offer_accepted", &[("offer_id", id)])]
        }
        OfferState::Owned => vec![EmbedEvent::new(
            "error",
            &[("offer_id", id), ("code", "already_owned")],
        )],
        OfferState::Succeeded { .. } => vec![
            EmbedEvent::new("offer_accepted", &[("offer_id", id)]),
            EmbedEvent::new("payment_succeeded", &[("offer_id", id)]),
        ],
        OfferState::Failed { code } => vec![EmbedEvent::new(
            "payment_failed",
            &[("offer_id", id), ("code", code)],
        )],
        OfferState::Declined => vec![EmbedEvent::new("offer_declined", &[("offer_id", id)])],
        OfferState::Expired => vec![EmbedEvent::new(
            "error",
            &[("offer_id", id), ("code", "offer_expired")],
        )],
        OfferState::Undoing { .. } => vec![
            EmbedEvent::new("offer_accepted", &[("offer_id", id)]),
            EmbedEvent::new("payment_succeeded", &[("offer_id", id)]),
        ],
        OfferState::Undone { .. } => vec![
            EmbedEvent::new("offer_accepted", &[("offer_id", id)]),
            EmbedEvent::new("payment_succeeded", &[("offer_id", id)]),
            EmbedEvent::new("purchase_undone", &[("offer_id", id)]),
        ],
        OfferState::OwesMoney { .. } => vec![EmbedEvent::new(
            "error",
            &[("offer_id", id), ("code", "payment_owed")],
        )],
        OfferState::Suppressed => vec![EmbedEvent::new(
            "offer_declined",
            &[("offer_id", id), ("reason", "suppressed")],
        )],
    }
}

/// At the top, as wide as the offer card and scrolling with the page (on a phone a sticky bar
/// would cover the offer): the first purchase succeeded, whatever happens below.
#[component]
fn PurchaseHeader(confirmed: String, continue_url: String, locale: Locale) -> impl IntoView {
    view! {
        <div
            data-testid="purchase-confirmed"
            class="mb-4 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 rounded-xl border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm sm:mb-6"
        >
            <p class="text-emerald-900">
                <span class="font-semibold">"✓ " {t(locale, OfferText::PaymentReceived)}</span>
                " "
                <span>{confirmed}</span>
            </p>
            <a href=continue_url class="shrink-0 text-sm text-emerald-900 underline underline-offset-2">
                {t(locale, OfferText::SkipOffer)}
            </a>
        </div>
    }
}
