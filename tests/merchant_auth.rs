//! Merchant sign-in over HTTP (filled in below).
