/* Generated from schemas/investigation.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * EMS event categories, from the published EMS adverse-event literature.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
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
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "EventType".
 */
export type EventType = "incident" | "near_miss" | "unsafe_condition";
/**
 * How long the harm lasts.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "HarmDuration".
 */
export type HarmDuration = "permanent" | "temporary" | "unknown";
/**
 * Where a corrective action stands.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "ActionStatus".
 */
export type ActionStatus = "planned" | "in_progress" | "done" | "cancelled";
/**
 * Strength of a corrective action (RCA² hierarchy).
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "ActionStrength".
 */
export type ActionStrength = "strong" | "intermediate" | "weak";
/**
 * AHRQ Harm Scale level.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "HarmLevel".
 */
export type HarmLevel =
  "death" | "severe_harm" | "moderate_harm" | "mild_harm" | "no_harm" | "unknown";
/**
 * Where an investigation stands.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "InvestigationStatus".
 */
export type InvestigationStatus = "open" | "analysis" | "action_plan" | "closed";

/**
 * An investigation file.
 */
export interface Investigation {
  /**
   * Contributing factors.
   */
  contributing_factors?: string[];
  /**
   * Corrective actions.
   */
  corrective_actions?: CorrectiveAction[];
  /**
   * EMS event categories that apply.
   */
  ems_categories?: EmsCategory[];
  /**
   * When the event happened.
   */
  event_date?: string | null;
  /**
   * What happened, in summary.
   */
  event_summary: string;
  /**
   * Common Formats event type.
   */
  event_type?: EventType | null;
  fishbone?: Fishbone;
  /**
   * The 5 whys, in order.
   */
  five_whys?: string[];
  /**
   * Harm to the patient.
   */
  harm?: Harm | null;
  /**
   * Records this investigation concerns (call reviews, ePCRs).
   */
  related_records?: string[];
  /**
   * Where the investigation stands.
   */
  status?: "open" | "analysis" | "action_plan" | "closed";
  /**
   * The event timeline.
   */
  timeline?: TimelineEntry[];
  /**
   * A short title, e.g. "Stretcher fall at County General ED bay".
   */
  title: string;
}
/**
 * A corrective action.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
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
 * Fishbone factors by category.
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
 * This interface was referenced by `Investigation`'s JSON-Schema
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
 * This interface was referenced by `Investigation`'s JSON-Schema
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
/**
 * Fishbone (Ishikawa) factors by category.
 *
 * This interface was referenced by `Investigation`'s JSON-Schema
 * via the `definition` "Fishbone".
 */
export interface Fishbone1 {
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
