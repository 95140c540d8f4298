/* Generated from schemas/pso-feedback.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * The PSO's aggregate feedback to one agency (`GET /v1/feedback`).
 *
 * The other agencies' counts exclude the caller, so nothing is learnt by subtracting its
 * own; a cell is shown only when it counts at least `min_cell` items from at least
 * `min_agencies` agencies, and is also suppressed when the other cells of its group would
 * reveal a suppressed one by difference. With fewer than `min_agencies` other agencies
 * nothing of theirs is shown.
 */
export interface Feedback {
  /**
   * The caller's own stored items, exactly.
   */
  agency: {
    [k: string]:
      | {
          [k: string]: number | undefined;
        }
      | undefined;
  };
  /**
   * The fewest agencies a shown cell counts, and the fewest other agencies for
   * anything of theirs to be shown.
   */
  min_agencies: number;
  /**
   * The smallest count shown (the CMS cell-size rule: 11).
   */
  min_cell: number;
  /**
   * The other agencies' items (the caller excluded); `null` where suppressed, absent
   * where none.
   */
  other_agencies: {
    [k: string]:
      | {
          [k: string]: number | null | undefined;
        }
      | undefined;
  };
  /**
   * How many other agencies have stored items, when at least `min_agencies`; else
   * `null` (and `other_agencies` is empty).
   */
  other_agencies_reporting?: number | null;
}
