//! `/merchant/login`: the sign-in form (and its answer when sign-in fails).

use super::text;
use crate::components::buttons::PRIMARY;
use crate::server::merchant_auth::csrf::{CsrfToken, hidden_field};
use leptos::prelude::*;

const INPUT: &str = "mt-1 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-700";

/// The form, with `email` filled in again and `error` above it after a failed attempt.
#[component]
pub fn LoginPage(email: String, error: Option<String>, csrf: CsrfToken) -> impl IntoView {
    view! {
        <main id="main" class="mx-auto max-w-md px-4 py-10">
            <p class="text-sm font-semibold text-indigo-800">{text::PRODUCT}</p>
            <h1 class="mt-1 text-2xl font-bold">{text::SIGN_IN_TITLE}</h1>
            <p class="mt-2 text-slate-700">{text::SIGN_IN_INTRO}</p>
            {error.map(|message| view! {
                <p
                    role="alert"
                    data-testid="login-error"
                    class="mt-4 rounded-lg border border-rose-300 bg-rose-50 px-3 py-2 text-rose-900"
                >
                    {message}
                </p>
            })}
            <form
                method="post"
                action="/merchant/login"
                class="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6"
            >
                {hidden_field(&csrf)}
                <div>
                    <label for="email" class="block text-sm font-medium">{text::EMAIL_LABEL}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        value=email
                        class=INPUT
                    />
                </div>
                <div>
                    <label for="password" class="block text-sm font-medium">
                        {text::PASSWORD_LABEL}
                    </label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        class=INPUT
                    />
                </div>
                <button type="submit" class=PRIMARY>{text::SIGN_IN_BUTTON}</button>
            </form>
        </main>
    }
}
