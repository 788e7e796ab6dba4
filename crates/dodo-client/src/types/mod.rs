//! Our own types for Dodo's objects. All are `Clone, Debug, PartialEq` and serde-able (the
//! app hands some to the browser); none holds a secret.

pub mod checkout;
pub mod collection;
pub mod customer;
pub mod payment;
pub mod payment_method;
pub mod plan_change;
pub mod product;
pub mod refund;
pub mod saved_method;
pub mod status;
pub mod subscription;
pub mod translation;
