//! The medical director's case note: a deliberation inside the PSES.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The medical director's finding on the standard of care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandardOfCare {
    /// Care met the standard.
    Met,
    /// Care met the standard, with opportunities to improve.
    MetWithOpportunities,
    /// Care did not meet the standard.
    NotMet,
    /// Cannot be determined from the record.
    Undetermined,
}

/// A medical director's case note on a call review, an investigation or an ePCR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseNote {
    /// The record the note is about (a call review, an investigation or an ePCR).
    pub subject: uuid::Uuid,
    /// The clinical assessment.
    #[schemars(length(min = 1, max = 50000))]
    pub clinical_assessment: String,
    /// The standard-of-care finding.
    pub standard_of_care: StandardOfCare,
    /// Recommendations.
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub recommendations: String,
}
