//! The read-only reference to an imported ePCR (an original record).
//!
//! Filled by the NEMSIS importer; creating or editing one by hand is refused.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A reference to an ePCR imported from the agency's ePCR system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EpcrReference {
    /// The `PatientCareReport` UUID of the NEMSIS document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_uuid: Option<String>,
    /// The patient care report number (eRecord.01).
    #[schemars(length(min = 1, max = 64))]
    pub pcr_number: String,
    /// The date of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_date: Option<chrono::NaiveDate>,
    /// The responding unit (eResponse.13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}
