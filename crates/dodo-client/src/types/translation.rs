//! A product's name and description in one locale (`GET /products/{id}/translations`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductTranslation {
    /// As Dodo sent it (lower-case, e.g. `"id"`, `"hi"`).
    pub locale: String,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}
