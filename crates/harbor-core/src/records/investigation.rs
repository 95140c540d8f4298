//! The investigation file: root cause analysis of a safety event (RCA²).

use super::common::{EmsCategory, EventType, Harm};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where an investigation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvestigationStatus {
    /// Opened, facts being gathered.
    #[default]
    Open,
    /// Analysis (timeline, 5 whys, fishbone) under way.
    Analysis,
    /// Corrective actions being carried out.
    ActionPlan,
    /// Finished.
    Closed,
}

impl InvestigationStatus {
    /// Every status, in workflow order.
    pub const ALL: [InvestigationStatus; 4] = [
        InvestigationStatus::Open,
        InvestigationStatus::Analysis,
        InvestigationStatus::ActionPlan,
        InvestigationStatus::Closed,
    ];

    /// The status as written in files and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            InvestigationStatus::Open => "open",
            InvestigationStatus::Analysis => "analysis",
            InvestigationStatus::ActionPlan => "action_plan",
            InvestigationStatus::Closed => "closed",
        }
    }
}

/// One entry of the event timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// When it happened (local time as recorded, without a zone).
    pub at: chrono::NaiveDateTime,
    /// What happened.
    #[schemars(length(min = 1, max = 5000))]
    pub description: String,
}

/// Fishbone (Ishikawa) factors by category.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fishbone {
    /// People.
    #[serde(default)]
    pub people: Vec<String>,
    /// Equipment.
    #[serde(default)]
    pub equipment: Vec<String>,
    /// Methods and procedures.
    #[serde(default)]
    pub methods: Vec<String>,
    /// Materials.
    #[serde(default)]
    pub materials: Vec<String>,
    /// Measurement.
    #[serde(default)]
    pub measurement: Vec<String>,
    /// Environment.
    #[serde(default)]
    pub environment: Vec<String>,
}

/// Strength of a corrective action (RCA² hierarchy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStrength {
    /// Architectural or forcing functions, standardised equipment.
    Strong,
    /// Checklists, redundancy, software enhancements.
    Intermediate,
    /// Training, new policy, warnings.
    Weak,
}

/// Where a corrective action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Agreed, not started.
    #[default]
    Planned,
    /// Being carried out.
    InProgress,
    /// Done.
    Done,
    /// Dropped, with the reason in the description.
    Cancelled,
}

/// A corrective action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectiveAction {
    /// What will be done.
    #[schemars(length(min = 1, max = 5000))]
    pub description: String,
    /// Who owns it (a role or a name).
    #[schemars(length(min = 1, max = 200))]
    pub owner: String,
    /// When it is due.
    pub due_date: chrono::NaiveDate,
    /// Its strength.
    pub strength: ActionStrength,
    /// Where it stands.
    #[serde(default)]
    pub status: ActionStatus,
}

/// An investigation file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Investigation {
    /// A short title, e.g. "Stretcher fall at County General ED bay".
    #[schemars(length(min = 1, max = 200))]
    pub title: String,
    /// Where the investigation stands.
    #[serde(default)]
    pub status: InvestigationStatus,
    /// What happened, in summary.
    #[schemars(length(min = 1, max = 50000))]
    pub event_summary: String,
    /// When the event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_date: Option<chrono::NaiveDate>,
    /// Common Formats event type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// EMS event categories that apply.
    #[serde(default)]
    pub ems_categories: Vec<EmsCategory>,
    /// Harm to the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm: Option<Harm>,
    /// Records this investigation concerns (call reviews, ePCRs).
    #[serde(default)]
    pub related_records: Vec<uuid::Uuid>,
    /// The event timeline.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// The 5 whys, in order.
    #[serde(default)]
    #[schemars(inner(length(min = 1, max = 2000)))]
    pub five_whys: Vec<String>,
    /// Fishbone factors by category.
    #[serde(default)]
    pub fishbone: Fishbone,
    /// Contributing factors.
    #[serde(default)]
    #[schemars(inner(length(min = 1, max = 2000)))]
    pub contributing_factors: Vec<String>,
    /// Corrective actions.
    #[serde(default)]
    pub corrective_actions: Vec<CorrectiveAction>,
}
