//! `/offer/{id}`: the post-purchase offer, rendered on the server in whatever state it is in.

use super::api::{OfferCheckout, OfferPortal, UnsuppressOffers, offer_page};
use super::islands::{ChargeProgress, OfferActions};
use crate::components::embed_frame::{EmbedEvent, EmbedEvents};
use crate::components::error_page::ErrorPage;
use crate::context::current_locale;
use crate::i18n::offer::OfferText;
use crate::i18n::{Locale, t, tf};
use crate::money::Money;
use crate::types::offer::{FallbackReason, OfferNotice, OfferState, OfferView};
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
    let data = Resource::new_blocking(|| (), move |_| offer_page(id.clone(), access.clone()));
    view! {
        <Suspense fallback=move || view! { <p>{t(locale, crate::i18n::Text::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Offer view notice locale/> }.into_any(),
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
fn Offer(view: OfferView, notice: Option<OfferNotice>, locale: Locale) -> impl IntoView {
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
            <StateSection view locale/>
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
        OfferState::Suppressed => vec![EmbedEvent::new(
            "offer_declined",
            &[("offer_id", id), ("reason", "suppressed")],
        )],
    }
}

/// Fixed at the top: the first purchase succeeded, whatever happens below.
#[component]
fn PurchaseHeader(confirmed: String, continue_url: String, locale: Locale) -> impl IntoView {
    view! {
        <div
            data-testid="purchase-confirmed"
            class="sticky top-0 z-10 -mx-4 mb-6 flex items-center justify-between gap-3 border-b border-emerald-200 bg-emerald-50 px-4 py-3"
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

fn recurring_text(view: &OfferView, locale: Locale) -> Option<String> {
    let terms = view.recurring.as_ref()?;
    let amount = view.price.format(locale);
    let key = match (terms.count, terms.interval.as_str()) {
        (1, "Month") => OfferText::ThenEveryMonth,
        (1, "Year") => OfferText::ThenEveryYear,
        (1, "Week") => OfferText::ThenEveryWeek,
        (1, "Day") => OfferText::ThenEveryDay,
        _ => {
            return Some(tf(
                locale,
                OfferText::ThenEveryN,
                &[
                    ("amount", &amount),
                    ("count", &terms.count.to_string()),
                    ("interval", &terms.interval.to_lowercase()),
                ],
            ));
        }
    };
    Some(tf(locale, key, &[("amount", &amount)]))
}

#[component]
fn OfferCard(view: OfferView, locale: Locale) -> impl IntoView {
    let price = view.price.format(locale);
    let compare = view.compare_at.as_ref().map(|c: &Money| c.format(locale));
    let tax = match view.tax_inclusive {
        Some(true) => t(locale, OfferText::TaxIncluded),
        _ => t(locale, OfferText::TaxExtra),
    };
    let recurring = recurring_text(&view, locale);
    let open = matches!(view.state, OfferState::Open | OfferState::CheckoutOnly(_));
    let price_changed = view.price_was.as_ref().filter(|_| open).map(|was| {
        tf(
            locale,
            OfferText::PriceChanged,
            &[("was", &was.format(locale)), ("now", &price)],
        )
    });
    let expiry = (open).then(|| {
        if view.minutes_left >= 1 {
            tf(
                locale,
                OfferText::ExpiresIn,
                &[("minutes", &view.minutes_left.to_string())],
            )
        } else {
            t(locale, OfferText::ExpiresSoon).to_string()
        }
    });
    let expires_iso = view.expires_at_iso.clone();
    view! {
        <article class="overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm" aria-labelledby="offer-headline">
            {view.image.clone().map(|src| view! { <img src=src alt="" class="h-48 w-full object-cover"/> })}
            <div class="p-5 sm:p-6">
                <p class="text-sm font-medium uppercase tracking-wide text-indigo-800">{t(locale, OfferText::SpecialOffer)}</p>
                {view.badge.clone().map(|b| view! {
                    <p data-testid="badge" class="mt-2 inline-block rounded-full bg-amber-100 px-3 py-1 text-sm font-semibold text-amber-900">{b}</p>
                })}
                <h1 id="offer-headline" class="mt-2 text-2xl font-bold leading-tight sm:text-3xl">{view.headline.clone()}</h1>
                <p class="mt-1 text-lg text-slate-800" data-testid="product-name">{view.product_name.clone()}</p>
                {view.description.clone().map(|d| view! { <p class="mt-2 text-slate-700">{d}</p> })}
                {(!view.value_points.is_empty()).then(|| view! {
                    <h2 class="sr-only">{t(locale, OfferText::ValuePointsHeading)}</h2>
                    <ul class="mt-4 space-y-2">
                        {view.value_points.iter().map(|p| view! {
                            <li class="flex gap-2"><span aria-hidden="true" class="text-emerald-700">"✓"</span><span>{p.clone()}</span></li>
                        }).collect_view()}
                    </ul>
                })}
                <p class="mt-5 flex items-baseline gap-3" data-testid="price">
                    {compare.map(|c| view! {
                        <span class="text-lg text-slate-600 line-through">
                            <span class="sr-only">{t(locale, OfferText::OriginalPrice)} " "</span>{c}
                        </span>
                    })}
                    <span class="text-3xl font-bold">
                        <span class="sr-only">{t(locale, OfferText::OfferPrice)} " "</span>{price}
                    </span>
                </p>
                {price_changed.map(|line| view! {
                    <p data-testid="price-changed" role="status" class="mt-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950">{line}</p>
                })}
                {recurring.map(|r| view! { <p class="mt-1 text-slate-700" data-testid="recurring-terms">{r}</p> })}
                <p class="mt-1 text-sm text-slate-600">{tax}</p>
                {view.card.clone().map(|card| {
                    let line = if card.expiry.is_empty() {
                        tf(locale, OfferText::CardLineNoExpiry, &[("network", &card.network), ("last4", &card.last4)])
                    } else {
                        tf(locale, OfferText::CardLine, &[("network", &card.network), ("last4", &card.last4), ("expiry", &card.expiry)])
                    };
                    view! { <p id="card-line" data-testid="card-line" class="mt-4 rounded-lg bg-slate-100 px-3 py-2 text-slate-800">{line}</p> }
                })}
                {expiry.map(|e| view! {
                    <p data-testid="expiry" class="mt-3 text-sm text-slate-700"><time datetime=expires_iso>{e}</time></p>
                })}
            </div>
        </article>
    }
}

pub fn fallback_text(reason: FallbackReason) -> OfferText {
    match reason {
        FallbackReason::NoSavedCard => OfferText::NoOneClickNoCard,
        FallbackReason::CardExpired => OfferText::NoOneClickExpired,
        FallbackReason::NotACard => OfferText::NoOneClickNotCard,
        FallbackReason::RecurringDisabled => OfferText::NoOneClickRecurring,
        FallbackReason::CurrencyMismatch => OfferText::NoOneClickCurrency,
        FallbackReason::CardNotAccepted => OfferText::FailedNotAccepted,
    }
}

fn failure_text(code: &str) -> OfferText {
    match code {
        "CARD_DECLINED" | "GENERIC_DECLINE" | "DO_NOT_HONOR" => OfferText::FailedDeclined,
        "INSUFFICIENT_FUNDS" => OfferText::FailedInsufficientFunds,
        "EXPIRED_CARD" => OfferText::FailedExpired,
        "NO_ELIGIBLE_PAYMENT_METHODS" | "INVALID_REQUEST_PARAMETERS" => {
            OfferText::FailedNotAccepted
        }
        "AUTHENTICATION_FAILURE" | "AUTHENTICATION_REQUIRED" => OfferText::FailedAuthentication,
        "NOT_CHARGED" => OfferText::FailedNotCharged,
        "NOT_SENT" => OfferText::FailedNotSent,
        "RATE_LIMITED" => OfferText::FailedBusy,
        "NOT_AUTHENTICATED" => OfferText::FailedAuthentication,
        "CHECKOUT_CANCELLED" | "CHECKOUT_NOT_COMPLETED" => OfferText::FailedCheckoutLeft,
        _ => OfferText::FailedOther,
    }
}

/// A small form that posts one server function with the offer id and session (and, for a
/// form that can lead to a payment, the amount the page shows).
macro_rules! offer_form {
    (paying $action:ty, $view:expr, $class:expr, $testid:expr, $label:expr) => {{
        let action = ServerAction::<$action>::new();
        let (offer_id, access) = ($view.offer_id.clone(), $view.access.clone());
        let (amount, currency) = ($view.price.minor.to_string(), $view.price.currency.clone());
        view! {
            <ActionForm action=action>
                <input type="hidden" name="offer_id" value=offer_id/>
                <input type="hidden" name="access" value=access/>
                <input type="hidden" name="agreed_amount" value=amount/>
                <input type="hidden" name="agreed_currency" value=currency/>
                <button type="submit" data-testid=$testid class=$class>{$label}</button>
            </ActionForm>
        }
    }};
    ($action:ty, $view:expr, $class:expr, $testid:expr, $label:expr) => {{
        let action = ServerAction::<$action>::new();
        let (offer_id, access) = ($view.offer_id.clone(), $view.access.clone());
        view! {
            <ActionForm action=action>
                <input type="hidden" name="offer_id" value=offer_id/>
                <input type="hidden" name="access" value=access/>
                <button type="submit" data-testid=$testid class=$class>{$label}</button>
            </ActionForm>
        }
    }};
}

const PRIMARY: &str = "w-full rounded-xl bg-indigo-700 px-5 py-4 text-lg font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
const SECONDARY: &str = "w-full rounded-xl border border-slate-300 bg-white px-5 py-3 font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
const LINK_BUTTON: &str = "block w-full rounded-xl bg-indigo-700 px-5 py-4 text-center text-lg font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";

#[component]
fn StateSection(view: OfferView, locale: Locale) -> impl IntoView {
    let continue_link = {
        let url = view.continue_url.clone();
        move || {
            view! {
                <a href=url.clone() data-testid="continue" class="mt-3 block text-center text-indigo-800 underline underline-offset-2">
                    {t(locale, OfferText::Continue)}
                </a>
            }
        }
    };
    match view.state.clone() {
        OfferState::Open => {
            let pay_label = tf(locale, OfferText::PayNow, &[("amount", &view.price.format(locale))]);
            view! {
                <OfferActions
                    offer_id=view.offer_id.clone()
                    access=view.access.clone()
                    amount_minor=view.price.minor
                    currency=view.price.currency.clone()
                    locale
                    pay_label
                />
            }
            .into_any()
        }
        OfferState::CheckoutOnly(reason) => {
            let checkout = offer_form!(paying OfferCheckout, view, PRIMARY, "checkout-fallback", t(locale, OfferText::CheckoutInstead));
            let decline = offer_form!(super::api::DeclineOffer, view, SECONDARY, "decline", t(locale, OfferText::NoThanks));
            let suppress = offer_form!(
                super::api::SuppressOffers,
                view,
                "w-full px-5 py-2 text-sm text-slate-700 underline",
                "suppress",
                t(locale, OfferText::DontShowAgain)
            );
            view! {
                <section class="mt-6 space-y-3">
                    <p data-testid="fallback-reason" class="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950">
                        {t(locale, fallback_text(reason))}
                    </p>
                    {checkout}
                    {decline}
                    {suppress}
                </section>
            }
            .into_any()
        }
        OfferState::Processing => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="processing">
                <p role="status" aria-live="polite" class="text-lg font-semibold">{t(locale, OfferText::Processing)}</p>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::ProcessingHint)}</p>
                <a href=format!("/offer/{}", view.offer_id) class="mt-3 inline-block text-indigo-800 underline">{t(locale, OfferText::CheckAgain)}</a>
                <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown="processing".to_string()/>
            </section>
        }
        .into_any(),
        OfferState::Confirming => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="confirming">
                <p role="status" aria-live="polite" class="text-lg font-semibold">{t(locale, OfferText::ConfirmingTitle)}</p>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::ConfirmingBody)}</p>
                <a href=format!("/offer/{}", view.offer_id) class="mt-3 inline-block text-indigo-800 underline">{t(locale, OfferText::CheckAgain)}</a>
                <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown="confirming".to_string()/>
            </section>
        }
        .into_any(),
        OfferState::CheckoutOpen { link } => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="checkout-open">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::CheckoutOpenTitle)}</h2></div>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::CheckoutOpenBody)}</p>
                <a href=link data-testid="open-checkout" class=format!("mt-4 {LINK_BUTTON}")>{t(locale, OfferText::ContinueToCheckout)}</a>
                {continue_link()}
                <ChargeProgress offer_id=view.offer_id.clone() access=view.access.clone() shown="checkout-open".to_string()/>
            </section>
        }
        .into_any(),
        OfferState::Owned => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="owned">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::OwnedTitle)}</h2></div>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::OwnedBody)}</p>
                {continue_link()}
            </section>
        }
        .into_any(),
        OfferState::NeedsAction { link } => view! {
            <section class="mt-6 rounded-xl border border-amber-300 bg-amber-50 p-5" data-testid="needs-action">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::NeedsActionTitle)}</h2></div>
                <p class="mt-1 text-slate-800">{t(locale, OfferText::NeedsActionBody)}</p>
                <a href=link data-testid="confirm-with-bank" class=format!("mt-4 {LINK_BUTTON}")>{t(locale, OfferText::ConfirmWithBank)}</a>
            </section>
        }
        .into_any(),
        OfferState::Succeeded { next } => view! {
            <section class="mt-6 rounded-xl border border-emerald-300 bg-emerald-50 p-5" data-testid="succeeded">
                <div role="status"><h2 class="text-xl font-bold text-emerald-900">"✓ " {t(locale, OfferText::SucceededTitle)}</h2></div>
                <p class="mt-1 text-emerald-950">{t(locale, OfferText::SucceededBody)}</p>
                {next.map(|n| view! { <a href=n data-testid="next-offer" class=format!("mt-4 {LINK_BUTTON}")>{t(locale, OfferText::NextOffer)}</a> })}
                {continue_link()}
            </section>
        }
        .into_any(),
        OfferState::Failed { code } => {
            let reason = failure_text(&code);
            let message = if reason == OfferText::FailedOther {
                tf(locale, reason, &[("code", &code)])
            } else {
                t(locale, reason).to_string()
            };
            let checkout = offer_form!(paying OfferCheckout, view, PRIMARY, "checkout-fallback", t(locale, OfferText::PayWithAnotherMethod));
            let portal = offer_form!(OfferPortal, view, SECONDARY, "update-payment-method", t(locale, OfferText::UpdatePaymentMethod));
            view! {
                <section class="mt-6 space-y-3" data-testid="failed">
                    <div role="alert" class="rounded-xl border border-rose-300 bg-rose-50 p-5">
                        <h2 class="text-lg font-bold text-rose-900">{t(locale, OfferText::FailedTitle)}</h2>
                        <p class="mt-1 text-rose-950" data-testid="failure-reason">{message}</p>
                        <p class="mt-1 text-rose-950">{t(locale, OfferText::FailedNothingCharged)}</p>
                    </div>
                    {checkout}
                    {portal}
                    {continue_link()}
                </section>
            }
            .into_any()
        }
        OfferState::Suppressed => {
            let undo = offer_form!(UnsuppressOffers, view, SECONDARY, "unsuppress", t(locale, OfferText::Undo));
            view! {
                <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="suppressed">
                    <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::SuppressedTitle)}</h2></div>
                    <p class="mt-1 text-slate-700">{t(locale, OfferText::SuppressedBody)}</p>
                    <div class="mt-3">{undo}</div>
                    {continue_link()}
                </section>
            }
            .into_any()
        }
        OfferState::Declined => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="declined">
                <h2 class="text-lg font-semibold">{t(locale, OfferText::DeclinedTitle)}</h2>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::DeclinedBody)}</p>
                {continue_link()}
            </section>
        }
        .into_any(),
        OfferState::Expired => view! {
            <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5" data-testid="expired">
                <div role="status"><h2 class="text-lg font-semibold">{t(locale, OfferText::ExpiredTitle)}</h2></div>
                <p class="mt-1 text-slate-700">{t(locale, OfferText::ExpiredBody)}</p>
                {continue_link()}
            </section>
        }
        .into_any(),
    }
}
