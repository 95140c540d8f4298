/* Generated from schemas/*.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */
export * as callReviewNonidentifiable from "./call_review.nonidentifiable";
export * as callReview from "./call_review";
export * as caseNoteNonidentifiable from "./case_note.nonidentifiable";
export * as caseNote from "./case_note";
export * as epcr from "./epcr";
export * as harborService from "./harbor-service";
export * as investigationNonidentifiable from "./investigation.nonidentifiable";
export * as investigation from "./investigation";
export * as psoFeedback from "./pso-feedback";
export * as pswpSnapshot from "./pswp-snapshot";
export * as submissionManifest from "./submission-manifest";
export * as submissionReceipt from "./submission-receipt";
