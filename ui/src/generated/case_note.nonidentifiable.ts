/* Generated from schemas/case_note.nonidentifiable.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * The medical director's finding on the standard of care.
 *
 * This interface was referenced by `CaseNoteNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "StandardOfCare".
 */
export type StandardOfCare = "met" | "met_with_opportunities" | "not_met" | "undetermined";
/**
 * A field without a de-identification rule: only emptied containers, null or booleans remain.
 *
 * This interface was referenced by `CaseNoteNonidentifiableProfile`'s JSON-Schema
 * via the `definition` "emptied".
 */
export type Emptied =
  | null
  | boolean
  | Emptied[]
  | {
      [k: string]: Emptied | undefined;
    };

export interface CaseNoteNonidentifiableProfile {
  clinical_assessment?: string | null | boolean;
  recommendations?: string | null | boolean;
  standard_of_care?:
    ("met" | "met_with_opportunities" | "not_met" | "undetermined") | null | boolean;
  [k: string]:
    | Emptied
    | string
    | null
    | boolean
    | "met"
    | "met_with_opportunities"
    | "not_met"
    | "undetermined"
    | undefined;
}
