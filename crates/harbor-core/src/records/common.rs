//! Vocabulary shared by several record kinds (AHRQ Common Formats adapted to EMS).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Common Formats event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// The event reached the patient.
    Incident,
    /// The event did not reach the patient.
    NearMiss,
    /// A circumstance that increases the chance of an event.
    UnsafeCondition,
}

/// EMS event categories, from the published EMS adverse-event literature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmsCategory {
    /// Medication (wrong drug, dose, route, omission).
    Medication,
    /// Airway management.
    Airway,
    /// Clinical judgement or assessment.
    ClinicalJudgement,
    /// A procedure or skill.
    ProcedureSkill,
    /// Patient handling, lifting, stretcher, fall.
    PatientHandling,
    /// Vehicle and transport (crash, diversion).
    VehicleTransport,
    /// Equipment or device.
    EquipmentDevice,
    /// Communication, dispatch and handoff.
    CommunicationDispatch,
    /// Deviation from protocol.
    ProtocolDeviation,
    /// Documentation.
    Documentation,
    /// Scene safety.
    SceneSafety,
    /// Staffing and resources.
    StaffingResources,
}

/// AHRQ Harm Scale level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HarmLevel {
    /// Death.
    Death,
    /// Severe harm.
    SevereHarm,
    /// Moderate harm.
    ModerateHarm,
    /// Mild harm.
    MildHarm,
    /// No harm.
    NoHarm,
    /// Not known.
    Unknown,
}

/// How long the harm lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HarmDuration {
    /// Permanent harm.
    Permanent,
    /// Temporary harm.
    Temporary,
    /// Not known.
    Unknown,
}

/// Harm to the patient, on the AHRQ Harm Scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Harm {
    /// The level of harm.
    pub level: HarmLevel,
    /// Its duration, where there was harm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<HarmDuration>,
}

/// Just Culture classification of the *behaviour* (not the outcome). Sensitive: never part
/// of a nonidentifiable submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JustCulture {
    /// Human error: console, fix the system.
    HumanError,
    /// At-risk behaviour: coach.
    AtRiskBehaviour,
    /// Reckless behaviour: remedial or disciplinary action.
    RecklessBehaviour,
    /// Not yet classified, or no individual behaviour involved.
    NotApplicable,
}

/// A person's sign-off: who, when, and what they attest. Set by Harbor from the acting
/// user and the clock, never taken from input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// The user name of the person who signed off.
    pub by: String,
    /// When they signed off (UTC).
    pub at: chrono::DateTime<chrono::Utc>,
}
