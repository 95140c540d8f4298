/* Generated from schemas/harbor-service.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * A stable failure code. Serialised (and written in docs, JSON output and the UI)
 * as its snake_case name.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | "internal"
  | "storage"
  | "io"
  | "usage"
  | "locked"
  | "wrong_passphrase"
  | "throttled"
  | "user_disabled"
  | "forbidden"
  | "invalid_input"
  | "passphrase_rejected"
  | "bad_setting"
  | "bad_user_name"
  | "user_exists"
  | "unknown_user"
  | "attachment_too_large"
  | "not_found"
  | "original_record"
  | "already_reported"
  | "queued_for_pso"
  | "already_queued"
  | "reported_unchanged"
  | "dropped_out"
  | "not_queued"
  | "preview_stale"
  | "vault_corrupt"
  | "keyslots_damaged"
  | "audit_broken"
  | "schema_too_new"
  | "not_a_vault"
  | "folder_not_empty"
  | "bad_backup"
  | "import_incomplete"
  | "not_enrolled"
  | "pso_refused"
  | "bad_receipt"
  | "pso_unreachable"
  | "packet_damaged"
  | "packet_wrong_recipient"
  | "packet_unknown_sender"
  | "packet_refused"
  | "vault_in_use"
  | "old_key_slots";

/**
 * Every service type the UI names (the fields are only there to list them).
 */
export interface HarborService {
  error: HarborError;
  record_choices: RecordChoices;
}
/**
 * A failure as it crosses to a face: `{code, message, fields, retry_after_secs}`. The
 * desktop UI receives exactly this, and `harbor --json` prints it under `"error"`.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ErrorBody".
 */
export interface HarborError {
  code: ErrorCode;
  /**
   * The fields that did not validate (JSON Pointer and problem); empty otherwise.
   */
  fields: FieldError[];
  /**
   * What happened and what to do, for a person.
   */
  message: string;
  /**
   * With `throttled`: seconds until the next unlock attempt is allowed.
   */
  retry_after_secs?: number | null;
}
/**
 * One problem with one field of a record's input.
 *
 * `field` is a JSON Pointer into the input (`/call/pcr_number`); the message never
 * repeats the field's value, because the value may be patient information.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "FieldError".
 */
export interface FieldError {
  /**
   * JSON Pointer of the offending field ("" for the document itself).
   */
  field: string;
  /**
   * What is wrong, in words, without the value.
   */
  message: string;
}
/**
 * The PSES decisions open to the signed-in user on one record.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "RecordChoices".
 */
export interface RecordChoices {
  /**
   * Drop out of the PSES with a reason.
   */
  drop_out: boolean;
  /**
   * Why a decision is not offered, in words, when one is not.
   */
  note?: string | null;
  /**
   * Promote to PSWP (through the preview).
   */
  promote: boolean;
  /**
   * Put the record in a case packet.
   */
  send: boolean;
  /**
   * Take the queued snapshot back (under Submissions).
   */
  unqueue: boolean;
}
