/* Generated from schemas/case_note.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * The medical director's finding on the standard of care.
 *
 * This interface was referenced by `CaseNote`'s JSON-Schema
 * via the `definition` "StandardOfCare".
 */
export type StandardOfCare = "met" | "met_with_opportunities" | "not_met" | "undetermined";

/**
 * A medical director's case note on a call review, an investigation or an ePCR.
 */
export interface CaseNote {
  /**
   * The clinical assessment.
   */
  clinical_assessment: string;
  /**
   * Recommendations.
   */
  recommendations?: string;
  /**
   * The standard-of-care finding.
   */
  standard_of_care: "met" | "met_with_opportunities" | "not_met" | "undetermined";
  /**
   * The record the note is about (a call review, an investigation or an ePCR).
   */
  subject: string;
}
