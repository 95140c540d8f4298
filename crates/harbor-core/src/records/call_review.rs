//! The call review: a quality officer's review of one call.

use super::common::{EmsCategory, EventType, Harm, JustCulture, SignOff};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The call a review is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallRef {
    /// The patient care report number (NEMSIS eRecord.01).
    #[schemars(length(min = 1, max = 64))]
    pub pcr_number: String,
    /// The date of the call.
    pub call_date: chrono::NaiveDate,
    /// The responding unit or call sign (NEMSIS eResponse.13/.14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 64))]
    pub unit: Option<String>,
    /// The imported ePCR reference this review is about, if the call was imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epcr_id: Option<uuid::Uuid>,
}

/// Where a call review stands in the review workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Flagged or chosen, not yet opened.
    #[default]
    NotStarted,
    /// A reviewer is working on it.
    InProgress,
    /// Waiting for the crew's response.
    WaitingForCrew,
    /// Waiting for the medical director.
    PendingMedicalDirector,
    /// Finished.
    Closed,
}

impl ReviewStatus {
    /// Every status, in workflow order.
    pub const ALL: [ReviewStatus; 5] = [
        ReviewStatus::NotStarted,
        ReviewStatus::InProgress,
        ReviewStatus::WaitingForCrew,
        ReviewStatus::PendingMedicalDirector,
        ReviewStatus::Closed,
    ];

    /// The status as written in files and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::NotStarted => "not_started",
            ReviewStatus::InProgress => "in_progress",
            ReviewStatus::WaitingForCrew => "waiting_for_crew",
            ReviewStatus::PendingMedicalDirector => "pending_medical_director",
            ReviewStatus::Closed => "closed",
        }
    }
}

/// A review trigger that fired on the call (e.g. from the EMS Trigger Tool rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerHit {
    /// The rule's identifier, e.g. `cardiac_arrest`.
    #[schemars(length(min = 1, max = 64))]
    pub rule: String,
    /// Why it fired: the values that made it fire.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub detail: String,
}

/// Whether care followed a protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compliance {
    /// Care followed the protocol.
    Compliant,
    /// Care deviated from the protocol.
    Deviation,
    /// The protocol did not apply.
    NotApplicable,
}

/// One protocol compliance finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtocolFinding {
    /// The protocol, e.g. "Adult cardiac arrest 4.2".
    #[schemars(length(min = 1, max = 200))]
    pub protocol: String,
    /// The finding.
    pub compliance: Compliance,
    /// The reviewer's comment.
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub comment: String,
}

/// A quality officer's review of one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallReview {
    /// The call under review.
    pub call: CallRef,
    /// Where the review stands.
    #[serde(default)]
    pub status: ReviewStatus,
    /// The triggers that flagged the call, if any.
    #[serde(default)]
    pub triggers: Vec<TriggerHit>,
    /// Protocol compliance findings.
    #[serde(default)]
    pub protocol_findings: Vec<ProtocolFinding>,
    /// Common Formats event type, when the review found a safety event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// EMS event categories that apply.
    #[serde(default)]
    pub ems_categories: Vec<EmsCategory>,
    /// Harm to the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm: Option<Harm>,
    /// Contributing factors, in words.
    #[serde(default)]
    #[schemars(inner(length(min = 1, max = 2000)))]
    pub contributing_factors: Vec<String>,
    /// Just Culture classification of the behaviour involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub just_culture: Option<JustCulture>,
    /// Recommendations.
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub recommendations: String,
    /// The reviewer's sign-off. Read-only: set with `harbor record sign-off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_off: Option<SignOff>,
}

impl CallReview {
    /// The review a flagged call opens with: the call named (PCR number, date, unit, and
    /// the imported ePCR's id), the rules that flagged it, nothing assessed yet. A call
    /// with no call time is reviewed under `today` (the import's date).
    pub fn flagged(
        call: &super::EpcrReference,
        epcr_id: uuid::Uuid,
        triggers: Vec<super::TriggerHit>,
        today: chrono::NaiveDate,
    ) -> Self {
        CallReview {
            call: CallRef {
                pcr_number: call.pcr_number.chars().take(64).collect(),
                call_date: call.call_date.unwrap_or(today),
                unit: call
                    .unit
                    .as_ref()
                    .or(call.call_sign.as_ref())
                    .and_then(|u| u.present())
                    .map(|u| u.chars().take(64).collect()),
                epcr_id: Some(epcr_id),
            },
            status: ReviewStatus::NotStarted,
            triggers,
            protocol_findings: Vec::new(),
            event_type: None,
            ems_categories: Vec::new(),
            harm: None,
            contributing_factors: Vec::new(),
            just_culture: None,
            recommendations: String::new(),
            sign_off: None,
        }
    }
}
