/* Generated from schemas/epcr.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * A reference to an ePCR imported from the agency's ePCR system.
 */
export interface EpcrReference {
  /**
   * dAgency.02 EMS Agency Number (from the header).
   */
  agency_number?: string | null;
  /**
   * eAirway.
   */
  airway?: AirwayInfo | null;
  /**
   * eArrest.
   */
  arrest?: ArrestInfo | null;
  /**
   * The date of the call (from the PSAP call or unit notified time).
   */
  call_date?: string | null;
  /**
   * eResponse.14 EMS Unit Call Sign.
   */
  call_sign?: NemsisValue | null;
  /**
   * eSituation.04 Complaint.
   */
  chief_complaint?: NemsisValue | null;
  /**
   * eCrew.CrewGroup.
   */
  crew?: CrewMember[];
  /**
   * eOther.05 Suspected EMS Work Related Exposure, Injury, or Death.
   */
  crew_injury?: NemsisValue | null;
  /**
   * eDispatch.01 Complaint Reported by Dispatch.
   */
  dispatch_complaint?: NemsisValue | null;
  disposition?: DispositionInfo;
  /**
   * eResponse.03 Incident Number.
   */
  incident_number?: NemsisValue | null;
  /**
   * eSituation.13 Initial Patient Acuity.
   */
  initial_acuity?: NemsisValue | null;
  /**
   * eMedications, in document order.
   */
  medications?: MedicationGiven[];
  /**
   * eNarrative.01 Patient Care Report Narrative.
   */
  narrative?: NemsisValue | null;
  /**
   * The NEMSIS version the document was written for ("3.5.0", "3.5.1").
   */
  nemsis_version?: string | null;
  patient?: EpcrPatient;
  /**
   * eRecord.01 Patient Care Report Number.
   */
  pcr_number: string;
  /**
   * eSituation.11 Provider's Primary Impression (ICD-10-CM).
   */
  primary_impression?: NemsisValue | null;
  /**
   * eSituation.09 Primary Symptom (ICD-10-CM).
   */
  primary_symptom?: NemsisValue | null;
  /**
   * eProcedures, in document order.
   */
  procedures?: ProcedureDone[];
  /**
   * The `PatientCareReport` UUID attribute.
   */
  report_uuid?: string | null;
  /**
   * eResponse.04 EMS Response Number.
   */
  response_number?: NemsisValue | null;
  /**
   * eSituation.12 Provider's Secondary Impressions (ICD-10-CM).
   */
  secondary_impressions?: NemsisValue[];
  /**
   * eResponse.05 Type of Service Requested.
   */
  service_type?: NemsisValue | null;
  times?: EpcrTimes;
  /**
   * eResponse.13 EMS Vehicle (Unit) Number.
   */
  unit?: NemsisValue | null;
  /**
   * eVitals, in document order.
   */
  vitals?: VitalSigns[];
  /**
   * Problems found while reading a structurally sound document (unknown codes, times
   * out of order, missing elements a review needs). The document was imported anyway.
   */
  warnings?: string[];
}
/**
 * Airway management (eAirway).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "AirwayInfo".
 */
export interface AirwayInfo {
  /**
   * eAirway.08 Airway Complications Encountered (repeats).
   */
  complications?: NemsisValue[];
  /**
   * eAirway.04 Placement Confirmed Method (repeats).
   */
  confirmation_methods?: NemsisValue[];
  /**
   * eAirway.03 Airway Device Being Confirmed (one per confirmation).
   */
  devices?: NemsisValue[];
  /**
   * eAirway.09 Suspected Reasons for Failed Airway Management (repeats).
   */
  failure_reasons?: NemsisValue[];
  /**
   * eAirway.01 Indications for Invasive Airway (repeats).
   */
  indications?: NemsisValue[];
}
/**
 * One NEMSIS element's value, or the documented reason it has none.
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "NemsisValue".
 */
export interface NemsisValue {
  /**
   * The label of a coded value.
   */
  label?: string | null;
  /**
   * Whether the element carried `xsi:nil="true"`.
   */
  nil?: boolean;
  /**
   * The NV attribute ("Not Applicable", "Not Recorded", "Not Reporting").
   */
  not_value?: Coded | null;
  /**
   * The PN attribute: a pertinent negative ("Refused", "Contraindication Noted", ...).
   */
  pertinent_negative?: Coded | null;
  /**
   * The value as written (a code, a number, a time, text).
   */
  value?: string | null;
}
/**
 * A code and its label from the NEMSIS code tables.
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "Coded".
 */
export interface Coded {
  /**
   * The code as written.
   */
  code: string;
  /**
   * Its label, when the code is in Harbor's table.
   */
  label?: string | null;
}
/**
 * Cardiac arrest (eArrest).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "ArrestInfo".
 */
export interface ArrestInfo {
  /**
   * eArrest.14 Date/Time of Cardiac Arrest.
   */
  arrest_at?: NemsisValue | null;
  /**
   * eArrest.01 Cardiac Arrest (no / before EMS arrival / after EMS arrival).
   */
  cardiac_arrest?: NemsisValue | null;
  /**
   * eArrest.02 Etiology.
   */
  etiology?: NemsisValue | null;
  /**
   * eArrest.11 First Monitored Arrest Rhythm.
   */
  first_rhythm?: NemsisValue | null;
  /**
   * eArrest.18 End of EMS Cardiac Arrest Event.
   */
  outcome?: NemsisValue | null;
  /**
   * eArrest.12 Any Return of Spontaneous Circulation (repeats).
   */
  rosc?: NemsisValue[];
}
/**
 * One crew member (eCrew.CrewGroup).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "CrewMember".
 */
export interface CrewMember {
  /**
   * eCrew.01 Crew Member ID (identifying).
   */
  id?: NemsisValue | null;
  /**
   * eCrew.02 Crew Member Level.
   */
  level?: NemsisValue | null;
  /**
   * eCrew.03 Crew Member Response Role (repeats).
   */
  roles?: NemsisValue[];
}
/**
 * eDisposition.
 */
export interface DispositionInfo {
  /**
   * eDisposition.29 Crew Disposition (3.5.1).
   */
  crew_disposition?: NemsisValue | null;
  /**
   * eDisposition.12 Incident/Patient Disposition (3.5.0).
   */
  incident_disposition?: NemsisValue | null;
  /**
   * eDisposition.28 Patient Evaluation/Care (3.5.1).
   */
  patient_evaluation_care?: NemsisValue | null;
  /**
   * eDisposition.30 Transport Disposition (3.5.1).
   */
  transport_disposition?: NemsisValue | null;
  /**
   * eDisposition.27 Unit Disposition (3.5.1).
   */
  unit_disposition?: NemsisValue | null;
}
/**
 * One medication (eMedications.MedicationGroup).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "MedicationGiven".
 */
export interface MedicationGiven {
  /**
   * eMedications.08 Medication Complication (repeats).
   */
  complications?: NemsisValue[];
  /**
   * eMedications.05 Dosage.
   */
  dose?: NemsisValue | null;
  /**
   * eMedications.06 Dosage Units.
   */
  dose_units?: NemsisValue | null;
  /**
   * eMedications.01 Date/Time Medication Administered.
   */
  given_at?: NemsisValue | null;
  /**
   * eMedications.03 Medication (RxNorm), or its pertinent negative.
   */
  medication?: NemsisValue | null;
  /**
   * eMedications.02 Administered Prior to this Unit's EMS Care.
   */
  prior_to_ems?: NemsisValue | null;
  /**
   * eMedications.07 Response to Medication.
   */
  response?: NemsisValue | null;
  /**
   * eMedications.04 Route.
   */
  route?: NemsisValue | null;
}
/**
 * ePatient (age, sex).
 */
export interface EpcrPatient {
  /**
   * ePatient.15 Age.
   */
  age?: NemsisValue | null;
  /**
   * ePatient.16 Age Units.
   */
  age_units?: NemsisValue | null;
  /**
   * ePatient.25 Sex (3.5.1), or ePatient.13 Gender (3.5.0).
   */
  sex?: NemsisValue | null;
}
/**
 * One procedure (eProcedures.ProcedureGroup).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "ProcedureDone".
 */
export interface ProcedureDone {
  /**
   * eProcedures.05 Number of Attempts.
   */
  attempts?: NemsisValue | null;
  /**
   * eProcedures.07 Procedure Complication (repeats).
   */
  complications?: NemsisValue[];
  /**
   * eProcedures.01 Date/Time Procedure Performed.
   */
  performed_at?: NemsisValue | null;
  /**
   * eProcedures.02 Performed Prior to this Unit's EMS Care.
   */
  prior_to_ems?: NemsisValue | null;
  /**
   * eProcedures.03 Procedure (SNOMED CT), or its pertinent negative.
   */
  procedure?: NemsisValue | null;
  /**
   * eProcedures.06 Procedure Successful.
   */
  successful?: NemsisValue | null;
}
/**
 * eTimes.
 */
export interface EpcrTimes {
  /**
   * eTimes.11 Patient Arrived at Destination.
   */
  at_destination?: NemsisValue | null;
  /**
   * eTimes.07 Arrived at Patient.
   */
  at_patient?: NemsisValue | null;
  /**
   * eTimes.13 Unit Back in Service.
   */
  back_in_service?: NemsisValue | null;
  /**
   * eTimes.05 Unit En Route.
   */
  en_route?: NemsisValue | null;
  /**
   * eTimes.09 Unit Left Scene.
   */
  left_scene?: NemsisValue | null;
  /**
   * eTimes.06 Unit Arrived on Scene.
   */
  on_scene?: NemsisValue | null;
  /**
   * eTimes.01 PSAP Call Date/Time.
   */
  psap_call?: NemsisValue | null;
  /**
   * eTimes.12 Destination Patient Transfer of Care.
   */
  transfer_of_care?: NemsisValue | null;
  /**
   * eTimes.03 Unit Notified by Dispatch.
   */
  unit_notified?: NemsisValue | null;
}
/**
 * One set of vital signs (eVitals.VitalGroup).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "VitalSigns".
 */
export interface VitalSigns {
  /**
   * eVitals.26 Level of Responsiveness (AVPU).
   */
  avpu?: NemsisValue | null;
  /**
   * eVitals.07 DBP.
   */
  diastolic?: NemsisValue | null;
  /**
   * eVitals.16 End Tidal CO2.
   */
  etco2?: NemsisValue | null;
  /**
   * eVitals.19 GCS Eye.
   */
  gcs_eye?: NemsisValue | null;
  /**
   * eVitals.21 GCS Motor.
   */
  gcs_motor?: NemsisValue | null;
  /**
   * eVitals.23 Total GCS.
   */
  gcs_total?: NemsisValue | null;
  /**
   * eVitals.20 GCS Verbal.
   */
  gcs_verbal?: NemsisValue | null;
  /**
   * eVitals.18 Blood Glucose Level.
   */
  glucose?: NemsisValue | null;
  /**
   * eVitals.10 Heart Rate.
   */
  heart_rate?: NemsisValue | null;
  /**
   * eVitals.27 Pain Scale Score.
   */
  pain?: NemsisValue | null;
  /**
   * eVitals.14 Respiratory Rate.
   */
  respiratory_rate?: NemsisValue | null;
  /**
   * eVitals.12 Pulse Oximetry.
   */
  spo2?: NemsisValue | null;
  /**
   * eVitals.06 SBP.
   */
  systolic?: NemsisValue | null;
  /**
   * eVitals.01 Date/Time Vital Signs Taken.
   */
  taken_at?: NemsisValue | null;
}
/**
 * Disposition (eDisposition).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "DispositionInfo".
 */
export interface DispositionInfo1 {
  /**
   * eDisposition.29 Crew Disposition (3.5.1).
   */
  crew_disposition?: NemsisValue | null;
  /**
   * eDisposition.12 Incident/Patient Disposition (3.5.0).
   */
  incident_disposition?: NemsisValue | null;
  /**
   * eDisposition.28 Patient Evaluation/Care (3.5.1).
   */
  patient_evaluation_care?: NemsisValue | null;
  /**
   * eDisposition.30 Transport Disposition (3.5.1).
   */
  transport_disposition?: NemsisValue | null;
  /**
   * eDisposition.27 Unit Disposition (3.5.1).
   */
  unit_disposition?: NemsisValue | null;
}
/**
 * The patient as a review needs them (no name, address or date of birth).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "EpcrPatient".
 */
export interface EpcrPatient1 {
  /**
   * ePatient.15 Age.
   */
  age?: NemsisValue | null;
  /**
   * ePatient.16 Age Units.
   */
  age_units?: NemsisValue | null;
  /**
   * ePatient.25 Sex (3.5.1), or ePatient.13 Gender (3.5.0).
   */
  sex?: NemsisValue | null;
}
/**
 * The call's times (eTimes), as written (ISO 8601 with offset).
 *
 * This interface was referenced by `EpcrReference`'s JSON-Schema
 * via the `definition` "EpcrTimes".
 */
export interface EpcrTimes1 {
  /**
   * eTimes.11 Patient Arrived at Destination.
   */
  at_destination?: NemsisValue | null;
  /**
   * eTimes.07 Arrived at Patient.
   */
  at_patient?: NemsisValue | null;
  /**
   * eTimes.13 Unit Back in Service.
   */
  back_in_service?: NemsisValue | null;
  /**
   * eTimes.05 Unit En Route.
   */
  en_route?: NemsisValue | null;
  /**
   * eTimes.09 Unit Left Scene.
   */
  left_scene?: NemsisValue | null;
  /**
   * eTimes.06 Unit Arrived on Scene.
   */
  on_scene?: NemsisValue | null;
  /**
   * eTimes.01 PSAP Call Date/Time.
   */
  psap_call?: NemsisValue | null;
  /**
   * eTimes.12 Destination Patient Transfer of Care.
   */
  transfer_of_care?: NemsisValue | null;
  /**
   * eTimes.03 Unit Notified by Dispatch.
   */
  unit_notified?: NemsisValue | null;
}
