/* Generated from schemas/call_review.nonidentifiable.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * A field without a de-identification rule: only emptied containers, null or booleans remain.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "emptied".
 */
export type Emptied =
  | null
  | boolean
  | Emptied[]
  | {
      [k: string]: Emptied | undefined;
    };
/**
 * EMS event categories, from the published EMS adverse-event literature.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
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
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "EventType".
 */
export type EventType = "incident" | "near_miss" | "unsafe_condition";
/**
 * How long the harm lasts.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "HarmDuration".
 */
export type HarmDuration = "permanent" | "temporary" | "unknown";
/**
 * Whether care followed a protocol.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "Compliance".
 */
export type Compliance = "compliant" | "deviation" | "not_applicable";
/**
 * AHRQ Harm Scale level.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "HarmLevel".
 */
export type HarmLevel =
  "death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown";
/**
 * Just Culture classification of the *behaviour* (not the outcome). Sensitive: never part
 * of a nonidentifiable submission.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "JustCulture".
 */
export type JustCulture =
  "human_error" | "at_risk_behaviour" | "reckless_behaviour" | "not_applicable";
/**
 * Where a call review stands in the review workflow.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "ReviewStatus".
 */
export type ReviewStatus =
  "not_started" | "in_progress" | "waiting_for_crew" | "pending_medical_director" | "closed";

export interface CallReviewNonidentifiableProfile {
  call?:
    | {
        call_date?: string | null | boolean;
        [k: string]: Emptied | string | null | boolean | undefined;
      }
    | null
    | boolean;
  contributing_factors?: (string | null | boolean)[] | null | boolean;
  ems_categories?: (EmsCategory | null | boolean)[] | null | boolean;
  event_type?: (EventType | null) | null | boolean;
  harm?:
    | {
        duration?: (HarmDuration | null) | null | boolean;
        level?:
          | ("death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown")
          | null
          | boolean;
        [k: string]:
          | Emptied
          | HarmDuration
          | null
          | boolean
          | "death"
          | "severe_harm"
          | "moderate_harm"
          | "mild_harm"
          | "no_harm"
          | "unknown"
          | undefined;
      }
    | null
    | boolean;
  protocol_findings?:
    | (
        | {
            comment?: string | null | boolean;
            compliance?: ("compliant" | "deviation" | "not_applicable") | null | boolean;
            protocol?: string | null | boolean;
            [k: string]:
              | Emptied
              | string
              | null
              | boolean
              | "compliant"
              | "deviation"
              | "not_applicable"
              | undefined;
          }
        | null
        | boolean
      )[]
    | null
    | boolean;
  recommendations?: string | null | boolean;
  sign_off?:
    | {
        at?: string | null | boolean;
        [k: string]: Emptied | string | null | boolean | undefined;
      }
    | null
    | boolean;
  status?:
    | ("not_started" | "in_progress" | "waiting_for_crew" | "pending_medical_director" | "closed")
    | null
    | boolean;
  triggers?:
    | (
        | {
            detail?: string | null | boolean;
            rule?: string | null | boolean;
            [k: string]: Emptied | string | null | boolean | undefined;
          }
        | null
        | boolean
      )[]
    | null
    | boolean;
  [k: string]:
    | Emptied
    | {
        call_date?: string | null | boolean;
        [k: string]: Emptied | string | null | boolean | undefined;
      }
    | null
    | boolean
    | (string | null | boolean)[]
    | (EmsCategory | null | boolean)[]
    | EventType
    | {
        duration?: (HarmDuration | null) | null | boolean;
        level?:
          | ("death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown")
          | null
          | boolean;
        [k: string]:
          | Emptied
          | HarmDuration
          | null
          | boolean
          | "death"
          | "severe_harm"
          | "moderate_harm"
          | "mild_harm"
          | "no_harm"
          | "unknown"
          | undefined;
      }
    | (
        | {
            comment?: string | null | boolean;
            compliance?: ("compliant" | "deviation" | "not_applicable") | null | boolean;
            protocol?: string | null | boolean;
            [k: string]:
              | Emptied
              | string
              | null
              | boolean
              | "compliant"
              | "deviation"
              | "not_applicable"
              | undefined;
          }
        | null
        | boolean
      )[]
    | string
    | {
        at?: string | null | boolean;
        [k: string]: Emptied | string | null | boolean | undefined;
      }
    | "not_started"
    | "in_progress"
    | "waiting_for_crew"
    | "pending_medical_director"
    | "closed"
    | (
        | {
            detail?: string | null | boolean;
            rule?: string | null | boolean;
            [k: string]: Emptied | string | null | boolean | undefined;
          }
        | null
        | boolean
      )[]
    | undefined;
}
/**
 * The call a review is about.
 *
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "CallRef".
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
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
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
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
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
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
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
 * This interface was referenced by `CallReviewNonidentifiableProfile`'s JSON-Schema
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
