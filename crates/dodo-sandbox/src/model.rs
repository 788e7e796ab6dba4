//! The sandbox's in-memory records. They hold what the sandbox needs to behave like Dodo;
//! `render.rs` turns them into Dodo's JSON shapes.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;

use crate::cards::CardBehaviour;
use crate::clock::Interval;
use crate::fixtures::PlanChangeDefaults;

pub type Metadata = BTreeMap<String, String>;

#[derive(Debug, Clone)]
pub struct Business {
    pub business_id: String,
    pub brand_id: String,
    pub name: String,
    pub defaults: PlanChangeDefaults,
    /// `true`: plain `prorated_immediately` restarts the billing cycle today (the
    /// "credit the unused time, bill a new cycle" reading); `false`: it keeps the cycle.
    pub prorated_resets_cycle: bool,
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub seq: u64,
    pub email: String,
    pub name: String,
    pub phone_number: Option<String>,
    pub metadata: Metadata,
    pub created_at: OffsetDateTime,
    /// Dodo's `preferred_locale` (two-letter code such as `id` or `hi`), as given.
    pub preferred_locale: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PaymentMethod {
    pub id: String,
    pub seq: u64,
    pub customer_id: String,
    pub last4: String,
    pub network: String,
    pub card_type: String,
    pub exp_month: u8,
    pub exp_year: i32,
    pub holder_name: Option<String>,
    pub issuing_country: String,
    pub behaviour: CardBehaviour,
    /// Empty = every currency.
    pub currencies: Vec<String>,
    pub recurring_enabled: bool,
    pub last_used_at: Option<OffsetDateTime>,
    /// Dodo's category: `card`, `wallet`, `upi`, … Card fields above are empty otherwise.
    pub method: String,
    /// Dodo's finer `payment_method_type` for a non-card method (`paypal`, `upi_collect`).
    pub method_type: Option<String>,
    /// The account behind a non-card method (a UPI VPA, a PayPal e-mail). Dodo's API has no
    /// field for it, so only the sandbox's own pages show it.
    pub account: Option<String>,
}

impl PaymentMethod {
    pub fn accepts_currency(&self, currency: &str) -> bool {
        self.currencies.is_empty() || self.currencies.iter().any(|c| c == currency)
    }

    pub fn is_card(&self) -> bool {
        self.method == "card"
    }

    /// `payment_method_type` as Dodo reports it: `credit`/`debit` for cards.
    pub fn type_name(&self) -> String {
        match &self.method_type {
            Some(t) if !self.is_card() => t.clone(),
            _ if self.card_type.eq_ignore_ascii_case("debit") => "debit".to_owned(),
            _ => "credit".to_owned(),
        }
    }

    /// How the sandbox's pages name it: "VISA •••• 4242", "PayPal (a@b.c)", "UPI (x@bank)".
    pub fn label(&self) -> String {
        if self.is_card() {
            return format!("{} •••• {}", self.network, self.last4);
        }
        let kind = match self.method_type.as_deref() {
            Some("paypal") => "PayPal".to_owned(),
            Some(t) if t.starts_with("upi") => "UPI".to_owned(),
            Some(t) => t.to_owned(),
            None => self.method.clone(),
        };
        match &self.account {
            Some(a) => format!("{kind} ({a})"),
            None => kind,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Recurring {
    pub interval: Interval,
    pub interval_count: i64,
    pub period_interval: Interval,
    pub period_count: i64,
    pub trial_period_days: i64,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub description: Option<String>,
    pub image: Option<String>,
    pub price: i64,
    pub currency: String,
    pub tax_category: String,
    pub tax_inclusive: bool,
    pub discount: i64,
    pub archived: bool,
    pub metadata: Metadata,
    pub recurring: Option<Recurring>,
    pub collection_id: Option<String>,
    pub created_at: OffsetDateTime,
    /// Changed by `PATCH /products/{id}`.
    pub updated_at: OffsetDateTime,
    /// Locale → translated name/description (`GET /products/{id}/translations`).
    pub translations: BTreeMap<String, Translation>,
}

#[derive(Debug, Clone)]
pub struct Translation {
    pub name: Option<String>,
    pub description: Option<String>,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct Collection {
    pub id: String,
    pub seq: u64,
    pub name: String,
    pub description: Option<String>,
    pub image: Option<String>,
    pub proration_billing_mode_on_upgrade: Option<String>,
    pub proration_billing_mode_on_downgrade: Option<String>,
    pub effective_at_on_upgrade: Option<String>,
    pub effective_at_on_downgrade: Option<String>,
    pub on_payment_failure: Option<String>,
    pub groups: Vec<CollectionGroup>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct CollectionGroup {
    pub group_id: String,
    pub group_name: Option<String>,
    pub status: bool,
    /// (entry id, product id, active)
    pub products: Vec<(String, String, bool)>,
}

#[derive(Debug, Clone)]
pub struct Billing {
    pub country: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub street: Option<String>,
    pub zipcode: Option<String>,
}

impl Billing {
    pub fn country(country: &str) -> Self {
        Self {
            country: country.to_owned(),
            city: None,
            state: None,
            street: None,
            zipcode: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    RequiresPaymentMethod,
    Processing,
    RequiresCustomerAction,
    Succeeded,
    Failed,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::RequiresPaymentMethod => "requires_payment_method",
            PaymentStatus::Processing => "processing",
            PaymentStatus::RequiresCustomerAction => "requires_customer_action",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, PaymentStatus::Succeeded | PaymentStatus::Failed)
    }
}

#[derive(Debug, Clone)]
pub struct CartLine {
    pub product_id: String,
    pub quantity: i64,
    /// Pay-what-you-want amount, when given.
    pub amount: Option<i64>,
}

/// Why a payment exists; decides what its outcome does to other records.
#[derive(Debug, Clone)]
pub enum Purpose {
    OneTime,
    /// First payment of a subscription bought through a checkout or `/payments`.
    NewSubscription {
        subscription_id: String,
    },
    Renewal {
        subscription_id: String,
    },
    PlanChange {
        subscription_id: String,
        change: PlanChangeTarget,
        /// `prevent_change`: the change is applied only once this payment succeeds.
        apply_on_success: bool,
        /// Subscription credit balance after the change if it goes through.
        credit_after: i64,
    },
    /// Dues of an `on_hold` subscription, paid through update-payment-method.
    Dues {
        subscription_id: String,
        renewal: bool,
    },
}

#[derive(Debug, Clone)]
pub struct PlanChangeTarget {
    pub product_id: String,
    pub quantity: i64,
    pub reset_cycle: bool,
    /// The change ends the subscription's trial.
    pub ends_trial: bool,
}

#[derive(Debug, Clone)]
pub struct Payment {
    pub id: String,
    pub seq: u64,
    pub customer_id: String,
    pub status: PaymentStatus,
    pub total_amount: i64,
    pub currency: String,
    pub billing: Billing,
    pub product_cart: Vec<CartLine>,
    pub payment_method_id: Option<String>,
    pub subscription_id: Option<String>,
    pub checkout_session_id: Option<String>,
    pub charge_type: Option<&'static str>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub metadata: Metadata,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// Hosted page (pay link or 3DS challenge) when the buyer must act.
    pub payment_link: Option<String>,
    /// Where the 3DS challenge page sends the buyer afterwards.
    pub return_url: Option<String>,
    pub purpose: Purpose,
    /// (subscription id, starts, ends, proration factor) for subscription charges.
    pub service_period: Option<(String, OffsetDateTime, OffsetDateTime, String)>,
    pub card: Option<CardSnapshot>,
    /// `payment_method` / `payment_method_type` of the method charged.
    pub method: Option<(String, String)>,
    /// Set when the payment succeeds (Dodo issues the invoice then).
    pub invoice_id: Option<String>,
}

/// The card details Dodo copies onto a payment.
#[derive(Debug, Clone)]
pub struct CardSnapshot {
    pub last4: String,
    pub network: String,
    pub card_type: String,
    pub exp_month: u8,
    pub exp_year: i32,
    pub holder_name: Option<String>,
    pub issuing_country: String,
}

impl From<&PaymentMethod> for CardSnapshot {
    fn from(pm: &PaymentMethod) -> Self {
        Self {
            last4: pm.last4.clone(),
            network: pm.network.clone(),
            card_type: pm.card_type.clone(),
            exp_month: pm.exp_month,
            exp_year: pm.exp_year,
            holder_name: pm.holder_name.clone(),
            issuing_country: pm.issuing_country.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubStatus {
    Pending,
    Active,
    OnHold,
    Cancelled,
    Failed,
}

impl SubStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubStatus::Pending => "pending",
            SubStatus::Active => "active",
            SubStatus::OnHold => "on_hold",
            SubStatus::Cancelled => "cancelled",
            SubStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScheduledChange {
    pub id: String,
    pub product_id: String,
    pub quantity: i64,
    pub effective_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
}

/// What an `on_hold` subscription owes.
#[derive(Debug, Clone)]
pub struct Dues {
    pub amount: i64,
    /// A failed renewal (paying it advances the cycle) vs a failed plan-change charge.
    pub renewal: bool,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub seq: u64,
    pub customer_id: String,
    pub product_id: String,
    pub quantity: i64,
    pub status: SubStatus,
    pub payment_method_id: Option<String>,
    pub billing: Billing,
    pub metadata: Metadata,
    pub created_at: OffsetDateTime,
    pub previous_billing_date: OffsetDateTime,
    pub next_billing_date: OffsetDateTime,
    /// Downgrade credit (minor units), consumed by later charges of this subscription.
    pub credit_balance: i64,
    pub scheduled_change: Option<ScheduledChange>,
    /// Payment of a `prevent_change` plan change still awaiting its outcome.
    pub pending_change_payment: Option<String>,
    pub dues: Option<Dues>,
    pub cancel_at_next_billing_date: bool,
    pub cancelled_at: Option<OffsetDateTime>,
    /// Dodo's `trial_period_days` of this subscription (0 = none).
    pub trial_period_days: i64,
    /// While in trial: when it ends (= `next_billing_date`). `None` once it ended.
    pub trial_ends_at: Option<OffsetDateTime>,
}

impl Subscription {
    pub fn in_trial(&self, now: OffsetDateTime) -> bool {
        self.trial_ends_at.is_some_and(|end| now < end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    Pending,
    Succeeded,
    Failed,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
        }
    }
}

/// A refund of a payment, whole or of some of its items.
#[derive(Debug, Clone)]
pub struct Refund {
    pub id: String,
    pub seq: u64,
    pub payment_id: String,
    pub customer_id: String,
    pub amount: i64,
    /// (product id, amount) refunded per cart line.
    pub items: Vec<(String, i64)>,
    pub is_partial: bool,
    pub currency: String,
    pub status: RefundStatus,
    pub reason: Option<String>,
    pub metadata: Metadata,
    pub created_at: OffsetDateTime,
    /// What the refund will end as when it settles.
    pub outcome: RefundStatus,
    /// `false`: no webhook is sent about it (a refund the app never heard of).
    pub notify: bool,
}

#[derive(Debug, Clone)]
pub enum SessionKind {
    /// A purchase: the hosted page creates the payment (and subscription).
    Purchase,
    /// Pays an existing payment created by `POST /payments` with `payment_link: true`.
    PayExisting { payment_id: String },
    /// `update-payment-method` with `type: new`: saves a card for the subscription and
    /// charges its dues if it is `on_hold`.
    UpdatePaymentMethod { subscription_id: String },
}

#[derive(Debug, Clone)]
pub struct CheckoutSession {
    pub id: String,
    pub kind: SessionKind,
    pub created_at: OffsetDateTime,
    pub cart: Vec<CartLine>,
    pub customer_id: Option<String>,
    pub prefill_email: Option<String>,
    pub prefill_name: Option<String>,
    pub billing: Option<Billing>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    pub metadata: Metadata,
    pub always_create_new_customer: bool,
    pub show_saved_payment_methods: bool,
    pub payment_id: Option<String>,
    pub subscription_id: Option<String>,
    /// Completed successfully: the page no longer takes payments.
    pub completed: bool,
}
