//! The read-only reference to an imported ePCR (an original record).
//!
//! Filled only by the NEMSIS importer; creating or editing one by hand is refused. It holds
//! the elements a call review needs, each as a [`NemsisValue`] that keeps a NEMSIS value
//! faithfully: the value as written (codes with their labels), or why it is absent (an NV
//! "not value", a PN pertinent negative, `xsi:nil`). A pertinent negative is not a missing
//! value: "naloxone: refused" is a fact about the call.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A code and its label from the NEMSIS code tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coded {
    /// The code as written.
    pub code: String,
    /// Its label, when the code is in Harbor's table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One NEMSIS element's value, or the documented reason it has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NemsisValue {
    /// The value as written (a code, a number, a time, text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The label of a coded value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The NV attribute ("Not Applicable", "Not Recorded", "Not Reporting").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_value: Option<Coded>,
    /// The PN attribute: a pertinent negative ("Refused", "Contraindication Noted", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pertinent_negative: Option<Coded>,
    /// Whether the element carried `xsi:nil="true"`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nil: bool,
}

impl NemsisValue {
    /// A plain value.
    pub fn of(value: impl Into<String>) -> Self {
        NemsisValue {
            value: Some(value.into()),
            ..NemsisValue::default()
        }
    }

    /// The value, if there is one (not NV, not PN-only, not nil).
    pub fn present(&self) -> Option<&str> {
        self.value.as_deref().filter(|v| !v.trim().is_empty())
    }
}

/// One crew member (eCrew.CrewGroup).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrewMember {
    /// eCrew.01 Crew Member ID (identifying).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<NemsisValue>,
    /// eCrew.02 Crew Member Level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<NemsisValue>,
    /// eCrew.03 Crew Member Response Role (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<NemsisValue>,
}

/// The call's times (eTimes), as written (ISO 8601 with offset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EpcrTimes {
    /// eTimes.01 PSAP Call Date/Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psap_call: Option<NemsisValue>,
    /// eTimes.03 Unit Notified by Dispatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_notified: Option<NemsisValue>,
    /// eTimes.05 Unit En Route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en_route: Option<NemsisValue>,
    /// eTimes.06 Unit Arrived on Scene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_scene: Option<NemsisValue>,
    /// eTimes.07 Arrived at Patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_patient: Option<NemsisValue>,
    /// eTimes.09 Unit Left Scene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_scene: Option<NemsisValue>,
    /// eTimes.11 Patient Arrived at Destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_destination: Option<NemsisValue>,
    /// eTimes.12 Destination Patient Transfer of Care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_of_care: Option<NemsisValue>,
    /// eTimes.13 Unit Back in Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_in_service: Option<NemsisValue>,
}

/// The patient as a review needs them (no name, address or date of birth).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EpcrPatient {
    /// ePatient.15 Age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<NemsisValue>,
    /// ePatient.16 Age Units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_units: Option<NemsisValue>,
    /// ePatient.25 Sex (3.5.1), or ePatient.13 Gender (3.5.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<NemsisValue>,
}

/// One set of vital signs (eVitals.VitalGroup).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VitalSigns {
    /// eVitals.01 Date/Time Vital Signs Taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<NemsisValue>,
    /// eVitals.06 SBP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systolic: Option<NemsisValue>,
    /// eVitals.07 DBP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diastolic: Option<NemsisValue>,
    /// eVitals.10 Heart Rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heart_rate: Option<NemsisValue>,
    /// eVitals.12 Pulse Oximetry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spo2: Option<NemsisValue>,
    /// eVitals.14 Respiratory Rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respiratory_rate: Option<NemsisValue>,
    /// eVitals.16 End Tidal CO2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etco2: Option<NemsisValue>,
    /// eVitals.18 Blood Glucose Level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glucose: Option<NemsisValue>,
    /// eVitals.19 GCS Eye.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs_eye: Option<NemsisValue>,
    /// eVitals.20 GCS Verbal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs_verbal: Option<NemsisValue>,
    /// eVitals.21 GCS Motor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs_motor: Option<NemsisValue>,
    /// eVitals.23 Total GCS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs_total: Option<NemsisValue>,
    /// eVitals.26 Level of Responsiveness (AVPU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avpu: Option<NemsisValue>,
    /// eVitals.27 Pain Scale Score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<NemsisValue>,
}

/// One medication (eMedications.MedicationGroup).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicationGiven {
    /// eMedications.01 Date/Time Medication Administered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_at: Option<NemsisValue>,
    /// eMedications.02 Administered Prior to this Unit's EMS Care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_to_ems: Option<NemsisValue>,
    /// eMedications.03 Medication (RxNorm), or its pertinent negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medication: Option<NemsisValue>,
    /// eMedications.04 Route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<NemsisValue>,
    /// eMedications.05 Dosage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<NemsisValue>,
    /// eMedications.06 Dosage Units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_units: Option<NemsisValue>,
    /// eMedications.07 Response to Medication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<NemsisValue>,
    /// eMedications.08 Medication Complication (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complications: Vec<NemsisValue>,
}

/// One procedure (eProcedures.ProcedureGroup).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureDone {
    /// eProcedures.01 Date/Time Procedure Performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performed_at: Option<NemsisValue>,
    /// eProcedures.02 Performed Prior to this Unit's EMS Care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_to_ems: Option<NemsisValue>,
    /// eProcedures.03 Procedure (SNOMED CT), or its pertinent negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<NemsisValue>,
    /// eProcedures.05 Number of Attempts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<NemsisValue>,
    /// eProcedures.06 Procedure Successful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful: Option<NemsisValue>,
    /// eProcedures.07 Procedure Complication (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complications: Vec<NemsisValue>,
}

/// Airway management (eAirway).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AirwayInfo {
    /// eAirway.01 Indications for Invasive Airway (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indications: Vec<NemsisValue>,
    /// eAirway.03 Airway Device Being Confirmed (one per confirmation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<NemsisValue>,
    /// eAirway.04 Placement Confirmed Method (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmation_methods: Vec<NemsisValue>,
    /// eAirway.08 Airway Complications Encountered (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complications: Vec<NemsisValue>,
    /// eAirway.09 Suspected Reasons for Failed Airway Management (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure_reasons: Vec<NemsisValue>,
}

/// Cardiac arrest (eArrest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrestInfo {
    /// eArrest.01 Cardiac Arrest (no / before EMS arrival / after EMS arrival).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardiac_arrest: Option<NemsisValue>,
    /// eArrest.02 Etiology.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etiology: Option<NemsisValue>,
    /// eArrest.11 First Monitored Arrest Rhythm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_rhythm: Option<NemsisValue>,
    /// eArrest.12 Any Return of Spontaneous Circulation (repeats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rosc: Vec<NemsisValue>,
    /// eArrest.14 Date/Time of Cardiac Arrest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrest_at: Option<NemsisValue>,
    /// eArrest.18 End of EMS Cardiac Arrest Event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<NemsisValue>,
}

/// Disposition (eDisposition).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispositionInfo {
    /// eDisposition.12 Incident/Patient Disposition (3.5.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_disposition: Option<NemsisValue>,
    /// eDisposition.27 Unit Disposition (3.5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_disposition: Option<NemsisValue>,
    /// eDisposition.28 Patient Evaluation/Care (3.5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_evaluation_care: Option<NemsisValue>,
    /// eDisposition.29 Crew Disposition (3.5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crew_disposition: Option<NemsisValue>,
    /// eDisposition.30 Transport Disposition (3.5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_disposition: Option<NemsisValue>,
}

/// A reference to an ePCR imported from the agency's ePCR system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EpcrReference {
    /// The NEMSIS version the document was written for ("3.5.0", "3.5.1").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nemsis_version: Option<String>,
    /// The `PatientCareReport` UUID attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_uuid: Option<String>,
    /// dAgency.02 EMS Agency Number (from the header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_number: Option<String>,
    /// eRecord.01 Patient Care Report Number.
    #[schemars(length(min = 1, max = 64))]
    pub pcr_number: String,
    /// The date of the call (from the PSAP call or unit notified time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_date: Option<chrono::NaiveDate>,
    /// eResponse.03 Incident Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_number: Option<NemsisValue>,
    /// eResponse.04 EMS Response Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_number: Option<NemsisValue>,
    /// eResponse.05 Type of Service Requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<NemsisValue>,
    /// eResponse.13 EMS Vehicle (Unit) Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<NemsisValue>,
    /// eResponse.14 EMS Unit Call Sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_sign: Option<NemsisValue>,
    /// eDispatch.01 Complaint Reported by Dispatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_complaint: Option<NemsisValue>,
    /// eCrew.CrewGroup.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crew: Vec<CrewMember>,
    /// eTimes.
    #[serde(default)]
    pub times: EpcrTimes,
    /// ePatient (age, sex).
    #[serde(default)]
    pub patient: EpcrPatient,
    /// eSituation.04 Complaint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chief_complaint: Option<NemsisValue>,
    /// eSituation.09 Primary Symptom (ICD-10-CM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_symptom: Option<NemsisValue>,
    /// eSituation.11 Provider's Primary Impression (ICD-10-CM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_impression: Option<NemsisValue>,
    /// eSituation.12 Provider's Secondary Impressions (ICD-10-CM).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_impressions: Vec<NemsisValue>,
    /// eSituation.13 Initial Patient Acuity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_acuity: Option<NemsisValue>,
    /// eVitals, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vitals: Vec<VitalSigns>,
    /// eMedications, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub medications: Vec<MedicationGiven>,
    /// eProcedures, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<ProcedureDone>,
    /// eAirway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airway: Option<AirwayInfo>,
    /// eArrest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrest: Option<ArrestInfo>,
    /// eDisposition.
    #[serde(default)]
    pub disposition: DispositionInfo,
    /// eOther.05 Suspected EMS Work Related Exposure, Injury, or Death.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crew_injury: Option<NemsisValue>,
    /// eNarrative.01 Patient Care Report Narrative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<NemsisValue>,
    /// Problems found while reading a structurally sound document (unknown codes, times
    /// out of order, missing elements a review needs). The document was imported anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}
