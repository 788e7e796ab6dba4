//! What the server sends the plan-change pages and islands: every amount and sentence already
//! formatted on the server from what Dodo answered. The browser never computes a price.

use serde::{Deserialize, Serialize};

/// The dialog's (and the review page's) view of one previewed change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewView {
    pub product_id: String,
    pub quantity: i64,
    /// Dialog title by scenario ("Upgrade to Pro now", "Switch to Starter on 15 December 2026").
    pub title: String,
    /// One sentence naming the amount; describes the dialog.
    pub summary: String,
    pub lines: Vec<PreviewLine>,
    /// The credit row ("Credit applied" / "Credit added…", "−$15.00 credit").
    pub credit: Option<(String, String)>,
    /// Where added credit goes; set when credit is added.
    pub credit_note: Option<String>,
    pub tax: String,
    pub total: String,
    /// The money facts the customer is shown, echoed back by the confirm form as the consent
    /// check (the server refuses when its own fresh preview differs in any; it never charges
    /// these numbers).
    pub agreed: AgreedFacts,
    pub next_bill: Option<String>,
    pub card: String,
    /// First-person consent sentence ("I'll be charged $25.00 today…").
    pub consent: String,
    /// The primary button ("Pay $25.00 now", "Switch to Starter on 15 December 2026").
    pub button: String,
    /// For the live region ("Price updated: $25.00 due today.").
    pub announcement: String,
    /// Offered before this change when it is a downgrade and the merchant configured one.
    pub downsell: Option<DownsellView>,
    /// The timing this preview is of (`trial_end`, `now`, or empty: as configured), echoed
    /// by the confirm form.
    pub when: String,
    /// In a trial: its end and both choices with what each charges today.
    pub trial: Option<TrialView>,
    /// "Your billing date moves to 1 January 2027." when Dodo's preview moves it.
    pub billing_moves: Option<String>,
    /// What added credit covers ("$60.00 credit: your next 3 renewals of $20.00 are covered…").
    pub credit_covers: Option<String>,
}

/// A trial's two choices as the preview shows them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrialView {
    /// "Your free trial ends on 11 December 2026."
    pub heading: String,
    pub options: Vec<TrialOption>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrialOption {
    /// `trial_end` or `now`.
    pub when: String,
    /// "Start Pro now: pay $80.00 today, your trial ends."
    pub text: String,
    /// The choice this preview is of (and the dialog confirms).
    pub chosen: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub item: String,
    /// "$80.00 × 1 × 50% of the period", secondary to the amount.
    pub arithmetic: String,
    /// "$40.00"; `None` when the lines' amounts would not add up to Dodo's total.
    pub amount: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DownsellView {
    pub product_id: String,
    pub headline: String,
    pub value_points: Vec<String>,
    /// Link text to choose the downsell plan instead.
    pub try_label: String,
    /// Link text to go on with the downgrade.
    pub decline_label: String,
}

/// One plan on the comparison page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanCardView {
    pub product_id: String,
    pub name: String,
    /// "$30.00 per month" (per seat when seats can be chosen).
    pub price: String,
    pub badge: Option<String>,
    /// "Save 17% with yearly", from Dodo's prices.
    pub savings: Option<String>,
    pub features: Vec<String>,
    /// Relative to the current plan.
    pub gains: Vec<String>,
    pub losses: Vec<String>,
    /// "Upgrade" / "Downgrade".
    pub direction: Option<String>,
    /// Why this switch is not offered.
    pub blocked: Option<String>,
    /// Seats the plan allows (1 = no seat choice).
    pub max_quantity: i64,
}

/// A banner above the plans: a scheduled change (with Undo), a change in progress, a
/// subscription on hold, or the outcome of the last action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Banner {
    Scheduled { text: String },
    Pending { text: String, status_url: String },
    OnHold { text: String },
    Inactive { text: String },
    Notice { text: String },
    Problem { text: String },
}

/// The comparison page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ComparisonView {
    pub token: String,
    pub current: PlanCardView,
    pub current_quantity: i64,
    pub current_seats: Option<String>,
    pub options: Vec<PlanCardView>,
    pub banners: Vec<Banner>,
    /// Whether a seat stepper is shown (some plan allows more than one seat).
    pub seats_max: i64,
    /// The plan to preselect (coming back from the review page).
    pub selected: Option<String>,
    /// Whether switching is possible at all (active subscription with alternatives).
    pub can_change: bool,
    /// In a trial: the `when` choice of the form.
    pub trial: Option<TrialTiming>,
}

/// The form's choice of when a switch happens during a trial (radios named `when`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrialTiming {
    pub legend: String,
    /// "When your trial ends on 11 December 2026: nothing is charged today" (`trial_end`).
    pub at_trial_end: String,
    /// "Now: your trial ends today" (`now`).
    pub now: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusKind {
    Processing,
    Succeeded,
    Scheduled,
    /// A scheduled change that was undone before it took effect.
    Undone,
    Declined,
    OnHold,
    PendingExists,
    RequiresAction,
    Failed,
}

/// The status page of one confirmed change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusView {
    pub kind: StatusKind,
    pub title: String,
    pub body: Vec<String>,
    pub token: String,
    pub attempt_id: String,
    /// A link to finish the payment (3DS) when Dodo gave one.
    pub action_link: Option<String>,
    /// The current path with its query, for "Check again" without JavaScript.
    pub self_url: String,
    pub back_url: String,
}

impl StatusKind {
    pub fn is_final(self) -> bool {
        !matches!(self, StatusKind::Processing)
    }
}

/// Every money fact of a previewed change as Dodo's preview gave it: what the dialog shows and
/// what the customer consents to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedFacts {
    /// Charged now, minor units.
    pub total_minor: i64,
    pub currency: String,
    pub tax_minor: i64,
    /// Negative: credit used; positive: credit added.
    pub credits_minor: i64,
    /// The next bill's date, unix seconds.
    pub next_billing: i64,
}

/// What confirming answered: where to go, or why nothing was sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmAnswer {
    /// The status page of the change.
    pub go_to: Option<String>,
    /// Why the change was not sent, for the customer.
    pub problem: Option<String>,
    /// The price moved since the preview: preview again before asking for consent again.
    pub repreview: bool,
}
