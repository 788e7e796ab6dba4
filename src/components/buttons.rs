//! The looks of buttons and links that every customer page shares, so a Pay button reads the
//! same on an offer, a cross-sell and a plan change. Tailwind finds these classes here
//! (`style/tailwind.css` sources `src/`).

/// The page's one money action (Pay, Pay with another method): full width, large, for thumbs.
pub const PRIMARY_LARGE: &str = "w-full rounded-xl bg-indigo-700 px-5 py-4 text-lg font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
/// [`PRIMARY_LARGE`] on a link (`<a>`), which needs `block` and centred text.
pub const PRIMARY_LARGE_LINK: &str = "block w-full rounded-xl bg-indigo-700 px-5 py-4 text-center text-lg font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
/// A main action in a list of several (each cross-sell item).
pub const PRIMARY: &str = "w-full rounded-xl bg-indigo-700 px-4 py-3 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
/// The other choice beside a primary one (No thanks).
pub const SECONDARY: &str = "w-full rounded-xl border border-slate-300 bg-white px-5 py-3 font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
/// An action that gives money back or undoes (Yes, refund it).
pub const DANGER: &str = "w-full rounded-xl bg-rose-700 px-5 py-3 font-semibold text-white hover:bg-rose-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-700";
/// Buttons that sit in a row with others (the plan-change dialog and cards).
pub const PRIMARY_INLINE: &str = "inline-flex justify-center rounded-lg bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700";
pub const SECONDARY_INLINE: &str = "inline-flex justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-700";
/// A link in running text.
pub const TEXT_LINK: &str = "text-indigo-700 underline hover:text-indigo-900";
/// A quiet link below an action (Undo this purchase, Check again).
pub const QUIET_LINK: &str = "mt-3 inline-block text-indigo-800 underline underline-offset-2";
