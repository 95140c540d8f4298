/* Generated from schemas/call_review.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * EMS event categories, from the published EMS adverse-event literature.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "EmsCategory".
 */
export type EmsCategory =
  | "medication"
  | "airway"
  | "clinical_judgement"
  | "procedure_skill"
  | "patient_handling"
  | "vehicle_transport"
  | "equipment_device"
  | "communication_dispatch"
  | "protocol_deviation"
  | "documentation"
  | "scene_safety"
  | "staffing_resources";
/**
 * Common Formats event type.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "EventType".
 */
export type EventType = "incident" | "near_miss" | "unsafe_condition";
/**
 * How long the harm lasts.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "HarmDuration".
 */
export type HarmDuration = "permanent" | "temporary" | "unknown";
/**
 * Just Culture classification of the *behaviour* (not the outcome). Sensitive: never part
 * of a nonidentifiable submission.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "JustCulture".
 */
export type JustCulture =
  "human_error" | "at_risk_behaviour" | "reckless_behaviour" | "not_applicable";
/**
 * Whether care followed a protocol.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "Compliance".
 */
export type Compliance = "compliant" | "deviation" | "not_applicable";
/**
 * AHRQ Harm Scale level.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "HarmLevel".
 */
export type HarmLevel =
  "death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown";
/**
 * Where a call review stands in the review workflow.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "ReviewStatus".
 */
export type ReviewStatus =
  "not_started" | "in_progress" | "waiting_for_crew" | "pending_medical_director" | "closed";

/**
 * A quality officer's review of one call.
 */
export interface CallReview {
  call: CallRef;
  /**
   * Contributing factors, in words.
   */
  contributing_factors?: string[];
  /**
   * EMS event categories that apply.
   */
  ems_categories?: EmsCategory[];
  /**
   * Common Formats event type, when the review found a safety event.
   */
  event_type?: EventType | null;
  /**
   * Harm to the patient.
   */
  harm?: Harm | null;
  /**
   * Just Culture classification of the behaviour involved.
   */
  just_culture?: JustCulture | null;
  /**
   * Protocol compliance findings.
   */
  protocol_findings?: ProtocolFinding[];
  /**
   * Recommendations.
   */
  recommendations?: string;
  /**
   * The reviewer's sign-off. Read-only: set with `harbor record sign-off`.
   */
  sign_off?: SignOff | null;
  /**
   * Where the review stands.
   */
  status?:
    "not_started" | "in_progress" | "waiting_for_crew" | "pending_medical_director" | "closed";
  /**
   * The triggers that flagged the call, if any.
   */
  triggers?: TriggerHit[];
}
/**
 * The call under review.
 */
export interface CallRef {
  /**
   * The date of the call.
   */
  call_date: string;
  /**
   * The imported ePCR reference this review is about, if the call was imported.
   */
  epcr_id?: string | null;
  /**
   * The patient care report number (NEMSIS eRecord.01).
   */
  pcr_number: string;
  /**
   * The responding unit or call sign (NEMSIS eResponse.13/.14).
   */
  unit?: string | null;
}
/**
 * Harm to the patient, on the AHRQ Harm Scale.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "Harm".
 */
export interface Harm {
  /**
   * Its duration, where there was harm.
   */
  duration?: HarmDuration | null;
  /**
   * The level of harm.
   */
  level: "death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown";
}
/**
 * One protocol compliance finding.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "ProtocolFinding".
 */
export interface ProtocolFinding {
  /**
   * The reviewer's comment.
   */
  comment?: string;
  /**
   * The finding.
   */
  compliance: "compliant" | "deviation" | "not_applicable";
  /**
   * The protocol, e.g. "Adult cardiac arrest 4.2".
   */
  protocol: string;
}
/**
 * A person's sign-off: who, when, and what they attest. Set by Harbor from the acting
 * user and the clock, never taken from input.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "SignOff".
 */
export interface SignOff {
  /**
   * When they signed off (UTC).
   */
  at: string;
  /**
   * The user name of the person who signed off.
   */
  by: string;
}
/**
 * A review trigger that fired on the call (e.g. from the EMS Trigger Tool rules).
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "TriggerHit".
 */
export interface TriggerHit {
  /**
   * Why it fired: the values that made it fire.
   */
  detail?: string;
  /**
   * The rule's identifier, e.g. `cardiac_arrest`.
   */
  rule: string;
}
/**
 * The call a review is about.
 *
 * This interface was referenced by `CallReview`'s JSON-Schema
 * via the `definition` "CallRef".
 */
export interface CallRef1 {
  /**
   * The date of the call.
   */
  call_date: string;
  /**
   * The imported ePCR reference this review is about, if the call was imported.
   */
  epcr_id?: string | null;
  /**
   * The patient care report number (NEMSIS eRecord.01).
   */
  pcr_number: string;
  /**
   * The responding unit or call sign (NEMSIS eResponse.13/.14).
   */
  unit?: string | null;
}
