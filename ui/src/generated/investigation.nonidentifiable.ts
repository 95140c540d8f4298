/* Generated from schemas/investigation.nonidentifiable.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * A field without a de-identification rule: only emptied containers, null or booleans remain.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
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
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
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
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "EventType".
 */
export type EventType = "incident" | "near_miss" | "unsafe_condition";
/**
 * How long the harm lasts.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "HarmDuration".
 */
export type HarmDuration = "permanent" | "temporary" | "unknown";
/**
 * Where a corrective action stands.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "ActionStatus".
 */
export type ActionStatus = "planned" | "in_progress" | "done" | "cancelled";
/**
 * Strength of a corrective action (RCA² hierarchy).
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "ActionStrength".
 */
export type ActionStrength = "strong" | "intermediate" | "weak";
/**
 * AHRQ Harm Scale level.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "HarmLevel".
 */
export type HarmLevel =
  "death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown";
/**
 * Where an investigation stands.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "InvestigationStatus".
 */
export type InvestigationStatus = "open" | "analysis" | "action_plan" | "closed";

export interface InvestigationNonidentifiableProfile {
  contributing_factors?: (string | null | boolean)[] | null | boolean;
  corrective_actions?:
    | (
        | {
            description?: string | null | boolean;
            due_date?: string | null | boolean;
            status?: ("planned" | "in_progress" | "done" | "cancelled") | null | boolean;
            strength?: ("strong" | "intermediate" | "weak") | null | boolean;
            [k: string]:
              | Emptied
              | string
              | null
              | boolean
              | "planned"
              | "in_progress"
              | "done"
              | "cancelled"
              | "strong"
              | "intermediate"
              | "weak"
              | undefined;
          }
        | null
        | boolean
      )[]
    | null
    | boolean;
  ems_categories?: (EmsCategory | null | boolean)[] | null | boolean;
  event_date?: string | null | boolean;
  event_summary?: string | null | boolean;
  event_type?: (EventType | null) | null | boolean;
  fishbone?:
    | {
        [k: string]: (string | null | boolean)[] | null | boolean | undefined;
      }
    | null
    | boolean;
  five_whys?: (string | null | boolean)[] | null | boolean;
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
  status?: ("open" | "analysis" | "action_plan" | "closed") | null | boolean;
  timeline?:
    | (
        | {
            at?: string | null | boolean;
            description?: string | null | boolean;
            [k: string]: Emptied | string | null | boolean | undefined;
          }
        | null
        | boolean
      )[]
    | null
    | boolean;
  title?: string | null | boolean;
  [k: string]:
    | Emptied
    | (string | null | boolean)[]
    | null
    | boolean
    | (
        | {
            description?: string | null | boolean;
            due_date?: string | null | boolean;
            status?: ("planned" | "in_progress" | "done" | "cancelled") | null | boolean;
            strength?: ("strong" | "intermediate" | "weak") | null | boolean;
            [k: string]:
              | Emptied
              | string
              | null
              | boolean
              | "planned"
              | "in_progress"
              | "done"
              | "cancelled"
              | "strong"
              | "intermediate"
              | "weak"
              | undefined;
          }
        | null
        | boolean
      )[]
    | (EmsCategory | null | boolean)[]
    | string
    | EventType
    | {
        [k: string]: (string | null | boolean)[] | null | boolean | undefined;
      }
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
    | "open"
    | "analysis"
    | "action_plan"
    | "closed"
    | (
        | {
            at?: string | null | boolean;
            description?: string | null | boolean;
            [k: string]: Emptied | string | null | boolean | undefined;
          }
        | null
        | boolean
      )[]
    | undefined;
}
/**
 * A corrective action.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "CorrectiveAction".
 */
export interface CorrectiveAction {
  /**
   * What will be done.
   */
  description: string;
  /**
   * When it is due.
   */
  due_date: string;
  /**
   * Who owns it (a role or a name).
   */
  owner: string;
  /**
   * Where it stands.
   */
  status?: "planned" | "in_progress" | "done" | "cancelled";
  /**
   * Its strength.
   */
  strength: "strong" | "intermediate" | "weak";
}
/**
 * Fishbone (Ishikawa) factors by category.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "Fishbone".
 */
export interface Fishbone {
  /**
   * Environment.
   */
  environment?: string[];
  /**
   * Equipment.
   */
  equipment?: string[];
  /**
   * Materials.
   */
  materials?: string[];
  /**
   * Measurement.
   */
  measurement?: string[];
  /**
   * Methods and procedures.
   */
  methods?: string[];
  /**
   * People.
   */
  people?: string[];
}
/**
 * Harm to the patient, on the AHRQ Harm Scale.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
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
 * One entry of the event timeline.
 *
 * This interface was referenced by `InvestigationNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "TimelineEntry".
 */
export interface TimelineEntry {
  /**
   * When it happened (local time as recorded, without a zone).
   */
  at: string;
  /**
   * What happened.
   */
  description: string;
}
