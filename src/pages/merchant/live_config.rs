//! `GET /merchant/config`: what is live — the rules loaded from merchant.toml, each product
//! they name with its name and price at Dodo, and what the startup checks warned about.

use super::layout::{MerchantLayout, document};
use super::text;
use crate::server::dashboard::live_config::live_config;
use crate::server::merchant_auth::SignedInMerchant;
use crate::server::state::AppState;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use leptos::prelude::*;

pub async fn page(State(state): State<AppState>, merchant: SignedInMerchant) -> Response {
    let live = live_config(&state).await;
    let no_warnings = live.warnings.is_empty();
    let html = document(
        text::CONFIG_TITLE,
        view! {
            <MerchantLayout email=merchant.user.email csrf=merchant.csrf>
                <h1 class="text-2xl font-bold">{text::CONFIG_TITLE}</h1>
                <p class="mt-1 text-slate-700">{text::CONFIG_INTRO}</p>
                <section class="mt-6" aria-labelledby="warnings-heading">
                    <h2 id="warnings-heading" class="text-xl font-semibold">{text::WARNINGS_HEADING}</h2>
                    <Show when=move || no_warnings>
                        <p class="mt-2 text-slate-700" data-testid="no-warnings">{text::NO_WARNINGS}</p>
                    </Show>
                    <ul class="mt-2 grid gap-2">
                        {live.warnings.into_iter().map(|w| view! {
                            <li class="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="config-warning">{w}</li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class="mt-8" aria-labelledby="rules-heading">
                    <h2 id="rules-heading" class="text-xl font-semibold">{text::RULES_HEADING}</h2>
                    <div class="mt-3 overflow-x-auto" tabindex="0">
                        <table class="min-w-full border-collapse text-sm" data-testid="rules-table">
                            <thead>
                                <tr class="border-b border-slate-300 text-left">
                                    {text::RULE_COLUMNS.iter().map(|c| view! { <th scope="col" class="px-2 py-2 font-semibold">{*c}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {live.rules.into_iter().map(|r| view! {
                                    <tr class="border-b border-slate-200 align-top" data-testid="rule-row" data-rule=r.id.clone()>
                                        <td class="px-2 py-2">{r.kind}</td>
                                        <td class="px-2 py-2 font-mono">{r.id.clone()}</td>
                                        <td class="px-2 py-2 font-mono">{r.when.join(", ")}</td>
                                        <td class="px-2 py-2 font-mono">{r.offers.join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class="mt-8" aria-labelledby="products-heading">
                    <h2 id="products-heading" class="text-xl font-semibold">{text::PRODUCTS_HEADING}</h2>
                    <div class="mt-3 overflow-x-auto" tabindex="0">
                        <table class="min-w-full border-collapse text-sm" data-testid="products-table">
                            <thead>
                                <tr class="border-b border-slate-300 text-left">
                                    {text::PRODUCT_COLUMNS.iter().map(|c| view! { <th scope="col" class="px-2 py-2 font-semibold">{*c}</th> }).collect_view()}
                                </tr>
                            </thead>
                            <tbody>
                                {live.products.into_iter().map(|p| {
                                    let (name, price) = match p.at_dodo {
                                        Ok((name, price)) => (name, price),
                                        Err(problem) => (format!("{}: {problem}", text::NOT_AT_DODO), String::new()),
                                    };
                                    view! {
                                        <tr class="border-b border-slate-200 align-top" data-testid="product-row" data-product=p.id.clone()>
                                            <td class="px-2 py-2 font-mono">{p.id.clone()}</td>
                                            <td class="px-2 py-2" data-testid="product-name">{name}</td>
                                            <td class="px-2 py-2" data-testid="product-price">{price}</td>
                                            <td class="px-2 py-2 font-mono text-xs">{p.used_by.join(", ")}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            </MerchantLayout>
        },
    );
    Html(html).into_response()
}
