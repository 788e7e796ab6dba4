//! The plan-change pages, rendered on the server (routes use `SsrMode::Async`, so a page is
//! complete — status code included — before its first byte leaves; that is also what makes
//! them work without JavaScript).
//!
//! - `/plan-change?token=…`: current plan and alternatives, a GET form to the review page,
//!   enhanced by the [`PlanChooser`] island (live preview, confirm dialog).
//! - `/plan-change/review?token=…&plan=…&quantity=…`: the server-rendered preview and a
//!   confirm form that posts to the confirm server function (the path without JavaScript);
//!   a downgrade with a configured downsell shows the downsell first.
//! - `/plan-change/status?token=…&attempt=…`: the outcome of a confirmed change.
//! - `/demo/plan-change`: sandbox mode only, signed links to the demo subscriptions.

use super::islands::{PlanChooser, StatusWatcher};
use crate::components::error_page::ErrorPage;
use crate::context::current_locale;
use crate::error::AppError;
use crate::i18n::plan_change::PlanChangeText as T;
use crate::i18n::{Locale, t};
use crate::types::plan_change::{
    Banner, ComparisonView, PlanCardView, PreviewView, StatusKind, StatusView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PRIMARY: &str = "inline-flex justify-center rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
const SECONDARY: &str = "inline-flex justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700";
const LINK: &str = "text-indigo-700 underline hover:text-indigo-900";

fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

/// Pages carry signed tokens in their URL: never cache them anywhere.
fn no_store() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}

// --- comparison ---------------------------------------------------------------------------

#[cfg(feature = "ssr")]
async fn load_comparison(
    token: Option<String>,
    selected: Option<String>,
    notice: Option<String>,
    locale: Locale,
) -> Result<ComparisonView, AppError> {
    use crate::server::plan_changes::page;
    let state = crate::server::state::AppState::from_context()?;
    let loaded = page::load(&state, token.as_deref()).await?;
    let current = loaded
        .family
        .current
        .as_ref()
        .map(page::plan_name)
        .unwrap_or_default();
    let banner = match notice.as_deref() {
        Some("undone") => Some(Banner::Notice {
            text: crate::i18n::tf(locale, T::UndoDone, &[("plan", &current)]),
        }),
        Some("undo_failed") => Some(Banner::Problem {
            text: t(locale, T::UndoFailed).to_owned(),
        }),
        Some("card_failed") => Some(Banner::Problem {
            text: t(locale, crate::i18n::Text::SomethingWentWrong).to_owned(),
        }),
        _ => None,
    };
    Ok(page::comparison(
        &state,
        &loaded,
        token.as_deref().unwrap_or_default(),
        locale,
        selected,
        banner,
    )
    .await)
}

#[cfg(not(feature = "ssr"))]
async fn load_comparison(
    _token: Option<String>,
    _selected: Option<String>,
    _notice: Option<String>,
    _locale: Locale,
) -> Result<ComparisonView, AppError> {
    Err(AppError::Internal)
}

/// `/plan-change?token=…`
#[component]
pub fn PlanChangePage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    let (token, selected, notice) = (query("token"), query("plan"), query("notice"));
    view! {
        <Title text=t(locale, T::PageTitle)/>
        <Suspense fallback=move || view! { <p>{t(locale, crate::i18n::Text::Loading)}</p> }>
            {Suspend::new(async move {
                match load_comparison(token, selected, notice, locale).await {
                    Ok(view) => view! { <Comparison view locale/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Banners(banners: Vec<Banner>, token: String, locale: Locale) -> impl IntoView {
    banners
        .into_iter()
        .map(|banner| {
            let token = token.clone();
            match banner {
                Banner::Scheduled { text } => view! {
                    <div class="mb-4 flex flex-col gap-3 rounded-lg border border-sky-300 bg-sky-50 p-4 sm:flex-row sm:items-center sm:justify-between" data-testid="scheduled-banner">
                        <p class="font-medium">{text}</p>
                        <form method="post" action="/api/plan_change_undo">
                            <input type="hidden" name="token" value=token/>
                            <button type="submit" class=SECONDARY data-testid="undo">{t(locale, T::UndoButton)}</button>
                        </form>
                    </div>
                }
                .into_any(),
                Banner::Pending { text, status_url } => view! {
                    <div class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="pending-banner">
                        <p class="font-medium">{text}</p>
                        <a class=LINK href=status_url>{t(locale, T::SeeStatus)}</a>
                    </div>
                }
                .into_any(),
                Banner::OnHold { text } => view! {
                    <div class="mb-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="on-hold-banner">
                        <p class="font-medium">{text}</p>
                        <UpdateCardForm token locale/>
                    </div>
                }
                .into_any(),
                Banner::Inactive { text } => view! {
                    <p class="mb-4 rounded-lg border border-slate-300 bg-white p-4" data-testid="inactive-banner">{text}</p>
                }
                .into_any(),
                Banner::Notice { text } => view! {
                    <p role="status" class="mb-4 rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid="notice">{text}</p>
                }
                .into_any(),
                Banner::Problem { text } => view! {
                    <p role="alert" class="mb-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="problem">{text}</p>
                }
                .into_any(),
            }
        })
        .collect_view()
}

#[component]
fn UpdateCardForm(token: String, locale: Locale) -> impl IntoView {
    view! {
        <form method="post" action="/api/plan_change_update_card" class="mt-3">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class=PRIMARY data-testid="update-card">{t(locale, T::UpdatePaymentMethod)}</button>
        </form>
    }
}

#[component]
fn FeatureList(heading: &'static str, items: Vec<String>, class: &'static str) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <div class="mt-2">
                {(!heading.is_empty())
                    .then(|| view! { <p class=format!("text-xs font-semibold uppercase tracking-wide {class}")>{heading}</p> })}
                <ul class="mt-1 list-disc pl-5 text-sm">
                    {items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any()
    })
}

/// One plan, as a labelled radio (alternatives) or a plain card (current plan).
#[component]
fn PlanCard(
    card: PlanCardView,
    locale: Locale,
    /// `None`: the current plan, not selectable.
    selectable: Option<bool>,
    checked: bool,
    #[prop(optional)] current: bool,
) -> impl IntoView {
    let id = format!("plan-{}", card.product_id);
    let desc = format!("{id}-desc");
    let disabled = card.blocked.is_some();
    let border = if current {
        "border-indigo-300 bg-indigo-50"
    } else {
        "border-slate-200 bg-white has-[:checked]:border-indigo-700 has-[:checked]:ring-2 has-[:checked]:ring-indigo-700"
    };
    let PlanCardView {
        product_id,
        name,
        price,
        badge,
        savings,
        features,
        gains,
        losses,
        direction,
        blocked,
        ..
    } = card;
    view! {
        <div class=format!("relative flex flex-col rounded-xl border p-4 {border}") data-testid=format!("card-{product_id}")>
            <div class="flex items-start gap-3">
                {selectable
                    .map(|_| {
                        view! {
                            <input
                                type="radio"
                                name="plan"
                                id=id.clone()
                                value=product_id.clone()
                                checked=checked
                                disabled=disabled
                                aria-describedby=desc.clone()
                                class="mt-1 h-5 w-5 accent-indigo-700"
                            />
                        }
                    })}
                <div class="flex-1">
                    {if selectable.is_some() {
                        view! { <label for=id.clone() class="text-lg font-semibold">{name}</label> }.into_any()
                    } else {
                        view! { <h3 class="text-lg font-semibold">{name}</h3> }.into_any()
                    }}
                    <div id=desc.clone()>
                        <p class="tabular-nums text-slate-800" data-testid="price">{price}</p>
                        <p class="mt-1 flex flex-wrap gap-2 text-xs">
                            {current
                                .then(|| view! { <span class="rounded-full bg-indigo-700 px-2 py-0.5 font-semibold text-white">{t(locale, T::CurrentBadge)}</span> })}
                            {direction.map(|d| view! { <span class="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-800">{d}</span> })}
                            {badge.map(|b| view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900">{b}</span> })}
                            {savings.map(|s| view! { <span class="rounded-full bg-emerald-100 px-2 py-0.5 font-medium text-emerald-900" data-testid="savings">{s}</span> })}
                        </p>
                        {blocked
                            .map(|reason| {
                                view! {
                                    <p class="mt-2 text-sm text-slate-700" data-testid="blocked-reason">
                                        <strong>{t(locale, T::NotAvailable)}</strong>
                                        " "
                                        {reason}
                                    </p>
                                }
                            })}
                    </div>
                    {if current {
                        view! { <FeatureList heading="" items=features class=""/> }.into_any()
                    } else {
                        view! {
                            <FeatureList heading=t(locale, T::YouGain) items=gains class="text-emerald-800"/>
                            <FeatureList heading=t(locale, T::YouLose) items=losses class="text-rose-800"/>
                        }
                        .into_any()
                    }}
                </div>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn Comparison(view: ComparisonView, locale: Locale) -> impl IntoView {
    let ComparisonView {
        token,
        current,
        current_quantity,
        current_seats,
        options,
        banners,
        seats_max,
        selected,
        can_change,
    } = view;
    let current_selectable = current.max_quantity > 1;
    let current_checked = selected.as_deref() == Some(current.product_id.as_str());
    let plan_cards = options
        .into_iter()
        .map(|card| {
            let checked = selected.as_deref() == Some(card.product_id.as_str());
            view! { <PlanCard card locale selectable=Some(true) checked/> }
        })
        .collect_view();
    let choices = view! {
                        <fieldset>
                            <legend class="mb-2 text-lg font-semibold">{t(locale, T::ChoosePlanLegend)}</legend>
                            <div class="grid grid-cols-1 gap-4 sm:grid-cols-2">
                                {current_selectable
                                    .then(|| {
                                        view! { <PlanCard card=current.clone() locale selectable=Some(true) checked=current_checked current=true/> }
                                    })}
                                {plan_cards}
                            </div>
                        </fieldset>
                        {(seats_max > 1)
                            .then(|| {
                                view! {
                                    <div class="mt-4">
                                        <label for="pc-quantity" class="block font-medium">{t(locale, T::SeatsLabel)}</label>
                                        <input
                                            id="pc-quantity"
                                            name="quantity"
                                            type="number"
                                            inputmode="numeric"
                                            min="1"
                                            max=seats_max.to_string()
                                            value=current_quantity.to_string()
                                            aria-describedby="pc-quantity-hint"
                                            class="mt-1 w-28 rounded-lg border border-slate-300 px-3 py-2 tabular-nums"
                                            data-testid="quantity"
                                        />
                                        <p id="pc-quantity-hint" class="mt-1 text-sm text-slate-600">
                                            {crate::i18n::tf(locale, T::SeatsHint, &[("max", &seats_max.to_string())])}
                                        </p>
                                    </div>
                                }
                            })}
                        {(seats_max <= 1).then(|| view! { <input type="hidden" name="quantity" value=current_quantity.to_string()/> })}
    }
    .into_any();
    let nothing = !can_change;
    view! {
        <h1 class="text-2xl font-bold sm:text-3xl">{t(locale, T::PageTitle)}</h1>
        <p class="mt-2 mb-6 text-slate-700">{t(locale, T::Intro)}</p>
        <Banners banners token=token.clone() locale/>
        <section aria-labelledby="pc-current-heading" class="mb-6">
            <h2 id="pc-current-heading" class="mb-2 text-lg font-semibold">{t(locale, T::CurrentPlanHeading)}</h2>
            <PlanCard card=current.clone() locale selectable=None checked=false current=true/>
            {current_seats.map(|s| view! { <p class="mt-2 text-sm text-slate-700">{s}</p> })}
        </section>
        {if nothing {
            view! { <p class="rounded-lg border border-slate-200 bg-white p-4" data-testid="no-alternatives">{t(locale, T::NoAlternatives)}</p> }.into_any()
        } else {
            view! {
                <form method="get" action="/plan-change/review" data-testid="plan-form">
                    <input type="hidden" name="token" value=token.clone()/>
                    <PlanChooser locale token=token.clone() current_quantity selected=selected.clone()>
                        {choices}
                    </PlanChooser>
                </form>
            }
            .into_any()
        }}
    }
}

/// The line items (a real table with the credit, tax and total as footer rows), the next bill
/// and the card. Shared by the dialog and the no-JavaScript review page.
#[component]
fn PreviewDetails(preview: PreviewView, locale: Locale) -> impl IntoView {
    let PreviewView {
        lines,
        credit,
        credit_note,
        tax,
        total,
        next_bill,
        card,
        ..
    } = preview;
    let has_lines = !lines.is_empty();
    view! {
        <table class="mt-4 w-full text-left text-sm tabular-nums" data-testid="line-items">
            <caption class="sr-only">{t(locale, T::TableCaption)}</caption>
            <thead class="text-xs text-slate-600">
                <tr>
                    <th scope="col" class="py-1 pr-2 font-medium">{t(locale, T::ColItem)}</th>
                    <th scope="col" class="py-1 pr-2 text-right font-medium">{t(locale, T::ColUnitPrice)}</th>
                    <th scope="col" class="py-1 pr-2 text-right font-medium">{t(locale, T::ColQuantity)}</th>
                    <th scope="col" class="py-1 text-right font-medium">{t(locale, T::ColPeriod)}</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|l| {
                        view! {
                            <tr class="border-t border-slate-200">
                                <td class="py-2 pr-2">{l.item}</td>
                                <td class="py-2 pr-2 text-right">{l.unit_price}</td>
                                <td class="py-2 pr-2 text-right">{l.quantity}</td>
                                <td class="py-2 text-right">{l.period}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
                {(!has_lines)
                    .then(|| {
                        view! {
                            <tr class="border-t border-slate-200">
                                <td colspan="4" class="py-2 text-slate-700">{t(locale, T::NoLineItems)}</td>
                            </tr>
                        }
                    })}
            </tbody>
            <tfoot class="border-t-2 border-slate-300">
                {credit
                    .map(|(label, value)| {
                        view! {
                            <tr>
                                <th scope="row" colspan="3" class="py-1 pr-2 font-normal">{label}</th>
                                <td class="py-1 text-right font-medium text-emerald-800" data-testid="credit">{value}</td>
                            </tr>
                        }
                    })}
                <tr>
                    <th scope="row" colspan="3" class="py-1 pr-2 font-normal">{t(locale, T::Tax)}</th>
                    <td class="py-1 text-right" data-testid="tax">{tax}</td>
                </tr>
                <tr class="text-base">
                    <th scope="row" colspan="3" class="py-1 pr-2 font-semibold">{t(locale, T::TotalDueToday)}</th>
                    <td class="py-1 text-right font-semibold" data-testid="total-due">{total}</td>
                </tr>
            </tfoot>
        </table>
        {credit_note.map(|note| view! { <p class="mt-2 text-sm text-slate-700">{note}</p> })}
        <dl class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {next_bill
                .map(|next| {
                    view! {
                        <dt class="text-slate-600">{t(locale, T::NextBill)}</dt>
                        <dd data-testid="next-bill">{next}</dd>
                    }
                })}
            <dt class="text-slate-600">{t(locale, T::ChargedTo)}</dt>
            <dd data-testid="card">{card}</dd>
        </dl>
    }
    .into_any()
}

// --- preview fragments ----------------------------------------------------------------------

/// The live preview's panel: total due today, the summary sentence, the next bill, and the
/// downsell offer (whose buttons the island handles through `data-choose` / `data-dismiss`).
#[cfg(feature = "ssr")]
#[component]
fn PreviewPanel(preview: PreviewView, locale: Locale) -> impl IntoView {
    let PreviewView {
        total,
        summary,
        next_bill,
        downsell,
        ..
    } = preview;
    view! {
        {downsell
            .map(|d| {
                view! {
                    <div class="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3" data-testid="downsell" data-downsell="">
                        <p class="font-semibold">{t(locale, T::DownsellHeading)}</p>
                        <p class="mt-1">{d.headline}</p>
                        <ul class="mt-1 list-disc pl-5 text-sm">
                            {d.value_points.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}
                        </ul>
                        <div class="mt-3 flex flex-col gap-2 sm:flex-row">
                            <button
                                type="button"
                                data-choose=d.product_id
                                class="rounded-lg bg-amber-800 px-3 py-2 text-sm font-medium text-white hover:bg-amber-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-800"
                            >
                                {d.try_label}
                            </button>
                            <button
                                type="button"
                                data-dismiss=""
                                class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700"
                            >
                                {d.decline_label}
                            </button>
                        </div>
                    </div>
                }
            })}
        <p class="text-sm text-slate-600">{t(locale, T::TotalDueToday)}</p>
        <p class="text-3xl font-bold tabular-nums" data-testid="preview-total">{total}</p>
        <p class="mt-2 text-slate-700" data-testid="preview-summary">{summary}</p>
        {next_bill
            .map(|n| {
                view! {
                    <p class="mt-1 text-sm text-slate-600">
                        {crate::i18n::tf(locale, T::NextBillLine, &[("value", &n)])}
                    </p>
                }
            })}
    }
    .into_any()
}

/// The confirm dialog's content: title and summary (which label and describe the dialog), the
/// line items and the consent sentence. The island adds the buttons.
#[cfg(feature = "ssr")]
#[component]
fn DialogBody(preview: PreviewView, locale: Locale) -> impl IntoView {
    let (title, summary, consent) = (
        preview.title.clone(),
        preview.summary.clone(),
        preview.consent.clone(),
    );
    view! {
        <h2 id="pc-dialog-title" class="text-xl font-bold">{title}</h2>
        <p id="pc-dialog-summary" class="mt-2 text-slate-700">{summary}</p>
        <PreviewDetails preview locale/>
        <p class="mt-4 rounded-md bg-slate-100 p-3 text-sm" data-testid="consent">{consent}</p>
    }
    .into_any()
}

/// The preview as the island receives it: its panel and dialog rendered to HTML here.
#[cfg(feature = "ssr")]
pub fn fragment(
    preview: PreviewView,
    locale: Locale,
) -> crate::types::plan_change::PreviewFragment {
    crate::types::plan_change::PreviewFragment {
        product_id: preview.product_id.clone(),
        quantity: preview.quantity,
        agreed: preview.agreed.clone(),
        button: preview.button.clone(),
        announcement: preview.announcement.clone(),
        panel_html: view! { <PreviewPanel preview=preview.clone() locale/> }.to_html(),
        dialog_html: view! { <DialogBody preview locale/> }.to_html(),
    }
}

// --- review (no JavaScript) --------------------------------------------------------------

/// What the review page shows.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
enum Review {
    Preview {
        token: String,
        preview: PreviewView,
        problem: Option<String>,
    },
    /// A downgrade with a downsell: offer it first.
    Downsell { token: String, preview: PreviewView },
    /// The switch cannot be previewed (with why), linking back to the plans.
    Problem { token: String, text: String },
}

#[cfg(feature = "ssr")]
async fn load_review(locale: Locale) -> Result<Review, AppError> {
    use crate::server::plan_changes::page;
    let token = query("token");
    let plan = query("plan").unwrap_or_default();
    let quantity = query("quantity")
        .and_then(|q| q.parse::<i64>().ok())
        .unwrap_or(1);
    let skip_downsell = query("downsell").as_deref() == Some("no");
    let problem = query("problem");
    let state = crate::server::state::AppState::from_context()?;
    let loaded = page::load(&state, token.as_deref()).await?;
    let token = token.unwrap_or_default();
    match page::preview(&state, &loaded, &plan, quantity).await {
        Ok(p) => {
            let preview = page::preview_view(&state, &loaded, &p, locale).await;
            let problem = problem.map(|kind| match kind.as_str() {
                // What moved, from the value the confirm form carried to Dodo's fresh preview.
                "drift" => review_drift(&preview.agreed)
                    .map(|d| page::drift_text(locale, &d))
                    .unwrap_or_else(|| t(locale, T::PriceChanged).to_owned()),
                "price_changed" => t(locale, T::PriceChanged).to_owned(),
                _ => t(locale, T::ChangeFailed).to_owned(),
            });
            if preview.downsell.is_some() && !skip_downsell && problem.is_none() {
                Ok(Review::Downsell { token, preview })
            } else {
                Ok(Review::Preview {
                    token,
                    preview,
                    problem,
                })
            }
        }
        Err(problem) => Ok(Review::Problem {
            token,
            text: problem.text(locale).to_owned(),
        }),
    }
}

/// The difference a refused confirm reported (`fact`, `was` in the query), against `now`.
#[cfg(feature = "ssr")]
fn review_drift(
    now: &crate::types::plan_change::AgreedFacts,
) -> Option<crate::server::plan_changes::page::Drift> {
    use crate::server::plan_changes::page::Drift;
    let was = query("was").and_then(|w| w.parse::<i64>().ok());
    let currency = now.currency.clone();
    Some(match (query("fact")?.as_str(), was) {
        ("total", Some(was)) => Drift::Total {
            was,
            now: now.total_minor,
            currency,
        },
        ("tax", Some(was)) => Drift::Tax {
            was,
            now: now.tax_minor,
            currency,
        },
        ("credits", Some(was)) => Drift::Credits {
            was,
            now: now.credits_minor,
            currency,
        },
        ("next_billing", Some(was)) => Drift::NextBilling {
            was,
            now: now.next_billing,
        },
        _ => return None,
    })
}

#[cfg(not(feature = "ssr"))]
async fn load_review(_locale: Locale) -> Result<Review, AppError> {
    Err(AppError::Internal)
}

/// `/plan-change/review?token=…&plan=…&quantity=…`
#[component]
pub fn ReviewPage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    view! {
        <Title text=t(locale, T::PageTitle)/>
        <Suspense fallback=move || view! { <p>{t(locale, crate::i18n::Text::Loading)}</p> }>
            {Suspend::new(async move {
                match load_review(locale).await {
                    Ok(review) => view! { <ReviewView review locale/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn review_url(token: &str, preview: &PreviewView, product: &str, extra: &str) -> String {
    format!(
        "/plan-change/review?token={token}&plan={product}&quantity={}{extra}",
        preview.quantity
    )
}

#[component]
fn ReviewView(review: Review, locale: Locale) -> impl IntoView {
    match review {
        Review::Problem { token, text } => view! {
            <h1 class="text-2xl font-bold">{t(locale, T::PageTitle)}</h1>
            <p role="alert" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="review-problem">{text}</p>
            <p class="mt-4"><a class=LINK href=format!("/plan-change?token={token}")>{t(locale, T::BackToPlans)}</a></p>
        }
        .into_any(),
        Review::Downsell { token, preview } => {
            let d = preview.downsell.clone().unwrap_or_default();
            let try_url = format!(
                "/plan-change/review?token={token}&plan={}&quantity=1",
                d.product_id
            );
            let continue_url = review_url(&token, &preview, &preview.product_id, "&downsell=no");
            view! {
                <h1 class="text-2xl font-bold">{t(locale, T::DownsellHeading)}</h1>
                <section class="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-5" data-testid="downsell">
                    <h2 class="text-lg font-semibold">{d.headline}</h2>
                    <ul class="mt-2 list-disc pl-5">
                        {d.value_points.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}
                    </ul>
                    <div class="mt-4 flex flex-col gap-3 sm:flex-row">
                        <a class=PRIMARY href=try_url data-testid="downsell-try">{d.try_label}</a>
                        <a class=SECONDARY href=continue_url data-testid="downsell-decline">{d.decline_label}</a>
                    </div>
                </section>
            }
            .into_any()
        }
        Review::Preview {
            token,
            preview,
            problem,
        } => {
            let back = format!("/plan-change?token={token}&plan={}", preview.product_id);
            let PreviewView {
                product_id,
                quantity,
                title,
                summary,
                consent,
                button,
                agreed,
                ..
            } = preview.clone();
            view! {
                <h1 class="text-2xl font-bold" data-testid="review-title">{title}</h1>
                <p class="mt-2 text-slate-700" data-testid="review-summary">{summary}</p>
                {problem.map(|p| view! { <p role="alert" class="mt-4 rounded-lg border border-rose-300 bg-rose-50 p-4" data-testid="review-problem">{p}</p> })}
                <section class="mt-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
                    <PreviewDetails preview locale/>
                    <form method="post" action="/api/plan_change_confirm" class="mt-6" data-testid="confirm-form">
                        <input type="hidden" name="token" value=token.clone()/>
                        <input type="hidden" name="product_id" value=product_id/>
                        <input type="hidden" name="quantity" value=quantity.to_string()/>
                        <input type="hidden" name="agreed_total" value=agreed.total_minor.to_string()/>
                        <input type="hidden" name="agreed_currency" value=agreed.currency.clone()/>
                        <input type="hidden" name="agreed_tax" value=agreed.tax_minor.to_string()/>
                        <input type="hidden" name="agreed_credits" value=agreed.credits_minor.to_string()/>
                        <input type="hidden" name="agreed_next_billing" value=agreed.next_billing.to_string()/>
                        <p class="rounded-md bg-slate-100 p-3 text-sm" data-testid="consent">{consent}</p>
                        <div class="mt-4 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
                            <a class=SECONDARY href=back>{t(locale, T::GoBack)}</a>
                            <button type="submit" class=PRIMARY data-testid="confirm-submit">{button}</button>
                        </div>
                    </form>
                </section>
            }
            .into_any()
        }
    }
}

// --- status ---------------------------------------------------------------------------------

#[cfg(feature = "ssr")]
async fn load_status(locale: Locale) -> Result<StatusView, AppError> {
    use crate::server::plan_changes::page;
    let token = query("token");
    let attempt = query("attempt").unwrap_or_default();
    let state = crate::server::state::AppState::from_context()?;
    match page::status_view(
        &state,
        token.as_deref().unwrap_or_default(),
        &attempt,
        locale,
    )
    .await
    {
        Ok(Some(view)) => Ok(view),
        // Not an attempt of this link's subscription: as good as a wrong link.
        Ok(None) => Err(AppError::Link(crate::types::link::LinkProblem::Invalid)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(feature = "ssr"))]
async fn load_status(_locale: Locale) -> Result<StatusView, AppError> {
    Err(AppError::Internal)
}

/// `/plan-change/status?token=…&attempt=…`
#[component]
pub fn StatusPage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    view! {
        <Title text=t(locale, T::PageTitle)/>
        <Suspense fallback=move || view! { <p>{t(locale, crate::i18n::Text::Loading)}</p> }>
            {Suspend::new(async move {
                let in_flight = query("notice").as_deref() == Some("in_flight");
                match load_status(locale).await {
                    Ok(view) => view! {
                        {in_flight.then(|| view! {
                            <p role="status" class="mb-4 rounded-lg border border-sky-300 bg-sky-50 p-4" data-testid="status-notice">
                                {t(locale, T::InFlightNotice)}
                            </p>
                        })}
                        <Status view locale/>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Status(view: StatusView, locale: Locale) -> impl IntoView {
    let StatusView {
        kind,
        title,
        body,
        token,
        attempt_id,
        action_link,
        self_url,
        back_url,
    } = view;
    let tone = match kind {
        StatusKind::Succeeded | StatusKind::Scheduled | StatusKind::Undone => {
            "border-emerald-300 bg-emerald-50"
        }
        StatusKind::Processing | StatusKind::PendingExists | StatusKind::RequiresAction => {
            "border-amber-300 bg-amber-50"
        }
        _ => "border-rose-300 bg-rose-50",
    };
    let role = match kind {
        StatusKind::Declined | StatusKind::OnHold | StatusKind::Failed => "alert",
        _ => "status",
    };
    let kind_name = format!("{kind:?}").to_lowercase();
    let events = crate::context::is_embedded().then(|| {
        use crate::components::embed_frame::{EmbedEvent, EmbedEvents};
        let event = match kind {
            StatusKind::Succeeded => Some(EmbedEvent::new(
                "plan_changed",
                &[("attempt_id", &attempt_id), ("status", "succeeded")],
            )),
            StatusKind::Scheduled => Some(EmbedEvent::new(
                "plan_changed",
                &[("attempt_id", &attempt_id), ("status", "scheduled")],
            )),
            StatusKind::Declined | StatusKind::Failed | StatusKind::OnHold => {
                Some(EmbedEvent::new(
                    "payment_failed",
                    &[("attempt_id", &attempt_id), ("status", &kind_name)],
                ))
            }
            _ => None,
        };
        view! { <EmbedEvents events=event.into_iter().collect()/> }
    });
    view! {
        {events}
        <section class=format!("rounded-xl border p-6 {tone}") data-testid="plan-change-status" data-status=kind_name.clone()>
            <div role=role>
                <h1 class="text-2xl font-bold" data-testid="status-title">{title}</h1>
                {body.into_iter().map(|b| view! { <p class="mt-2 text-slate-800">{b}</p> }).collect_view()}
            </div>
            <div class="mt-5 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-center">
                {match kind {
                    StatusKind::Processing => view! {
                        <a class=SECONDARY href=self_url data-testid="check-again">{t(locale, T::CheckAgain)}</a>
                        <StatusWatcher token=token.clone() attempt=attempt_id.clone()/>
                    }
                    .into_any(),
                    StatusKind::Scheduled => view! {
                        <form method="post" action="/api/plan_change_undo">
                            <input type="hidden" name="token" value=token.clone()/>
                            <button type="submit" class=SECONDARY data-testid="undo">{t(locale, T::UndoButton)}</button>
                        </form>
                    }
                    .into_any(),
                    StatusKind::Declined | StatusKind::OnHold => view! {
                        <UpdateCardForm token=token.clone() locale/>
                    }
                    .into_any(),
                    StatusKind::RequiresAction => action_link
                        .map(|link| view! { <a class=PRIMARY href=link>{t(locale, T::ActionLink)}</a> })
                        .into_any(),
                    _ => ().into_any(),
                }}
                <a class=LINK href=back_url data-testid="back-to-plans">{t(locale, T::BackToPlans)}</a>
            </div>
        </section>
    }
}

// --- demo links (sandbox only) ----------------------------------------------------------------

/// A demo subscription and a signed link to its plan-change page.
#[derive(Clone, Debug)]
struct DemoLink {
    customer: String,
    subscription: String,
    url: String,
}

#[cfg(feature = "ssr")]
fn demo_links() -> Option<Vec<DemoLink>> {
    use crate::server::links::{Audience, LinkSubject};
    let state = crate::server::state::AppState::from_context().ok()?;
    if !state.config.dodo.sandbox_enabled() {
        return None;
    }
    let now = crate::server::store::now_millis() / 1000;
    let links = dodo_sandbox::Fixtures::demo()
        .subscriptions
        .into_iter()
        .filter_map(|s| {
            let (token, _) = state
                .links
                .mint(
                    Audience::PlanChange,
                    &LinkSubject {
                        customer_id: s.customer_id.clone(),
                        subscription_id: Some(s.subscription_id.clone()),
                        ..LinkSubject::default()
                    },
                    std::time::Duration::from_secs(24 * 3600),
                    now,
                )
                .ok()?;
            Some(DemoLink {
                customer: s.customer_id,
                subscription: s.subscription_id,
                url: format!("/plan-change?token={token}"),
            })
        })
        .collect();
    Some(links)
}

#[cfg(not(feature = "ssr"))]
fn demo_links() -> Option<Vec<DemoLink>> {
    None
}

/// `/demo/plan-change`: in sandbox mode, signed links to the demo subscriptions' plan-change
/// pages (for trying the page and for the browser tests); a 404 otherwise.
#[component]
pub fn DemoLinksPage() -> impl IntoView {
    let locale = current_locale();
    no_store();
    match demo_links() {
        None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
        Some(links) => view! {
            <Title text=t(locale, T::DemoTitle)/>
            <h1 class="text-2xl font-bold">{t(locale, T::DemoTitle)}</h1>
            <p class="mt-2 text-slate-700">{t(locale, T::DemoIntro)}</p>
            <ul class="mt-4 space-y-2">
                {links
                    .into_iter()
                    .map(|l| {
                        let text = crate::i18n::tf(
                            locale,
                            T::DemoLink,
                            &[("customer", &l.customer), ("subscription", &l.subscription)],
                        );
                        view! {
                            <li>
                                <a class=LINK href=l.url data-testid=format!("demo-{}", l.subscription)>{text}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}
