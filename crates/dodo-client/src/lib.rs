//! # dodo-client
//!
//! The app's only door to Dodo Payments: a narrow wrapper of the official `dodopayments`
//! SDK (1.127.0) so the rest of the app sees our own types, never SDK types.
//!
//! - **Two SDK clients.** Reads go through one with the SDK's retries (2 retries on
//!   408/409/429/5xx and connection errors). Every call that can move money — one-click
//!   checkout, one-click payment, change-plan, cancelling a scheduled change, updating a
//!   subscription's payment method, creating a refund — goes through one with `max_retries(0)`: Dodo has no
//!   idempotency key, so a retried POST can charge twice.
//! - **Outcome unknown.** A money call that timed out, lost its connection after sending, got
//!   a 5xx or an unreadable 2xx answer may have charged. [`DodoError::outcome_unknown`] says
//!   so; the app must then reconcile (look the payment up, wait for webhooks), never resend.
//! - **Our own types** for what the SDK leaves untyped: payment methods, product prices, the
//!   change-plan preview's `immediate_charge` and webhook `data`.
//! - **Secrets.** The API key lives in [`ClientSettings`] (not `Serialize`, redacted `Debug`)
//!   and inside the SDK clients; it is scrubbed from every error text.
//!
//! Webhook *signature verification* is not here: the app verifies with `standardwebhooks`
//! before calling [`parse_webhook`].

mod client;
mod details;
mod error;
mod error_map;
mod ids;
mod money;
mod parse;
mod reads;
mod requests;
mod settings;
mod types;
mod usability;
mod webhook;

pub use client::DodoClient;
pub use error::DodoError;
pub use settings::{ClientSettings, LIVE_MODE_BASE_URL, TEST_MODE_BASE_URL};
pub use types::checkout::{
    BillingAddress, CartItem, CheckoutStatus, CreatedCheckout, CreatedPayment, HostedCheckout,
    OneClickCheckout, OneClickPayment, UpdatePaymentMethod, UpdatePaymentMethodOutcome,
};
pub use types::collection::{CollectionGroup, CollectionProduct, ProductCollection};
pub use types::customer::Customer;
pub use types::payment::{Payment, PaymentFilter};
pub use types::payment_method::{CardSummary, PaymentMethod};
pub use types::plan_change::{
    LineItem, LineItemKind, PlanChangeAccepted, PlanChangePreview, PlanChangeRequest,
};
pub use types::product::{Price, Product};
pub use types::refund::{Refund, RefundFilter, RefundItem, RefundRequest};
pub use types::saved_method::{SavedPaymentMethod, method_type_name};
pub use types::status::{IntentStatus, Interval, RefundStatus, SubscriptionStatus};
pub use types::subscription::{Addon, ScheduledChange, Subscription, SubscriptionSummary};
pub use types::translation::ProductTranslation;
pub use usability::{Unusable, one_click_usability};
pub use webhook::{WebhookData, WebhookEvent, parse_webhook};
