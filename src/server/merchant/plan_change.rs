//! Plan families for subscription plan changes. (Filled in by the plan-change work.)

use super::Invalid;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanChangeConfig {}

impl PlanChangeConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    pub fn product_references(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}
