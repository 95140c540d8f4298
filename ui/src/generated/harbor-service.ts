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
 * Whether a re-key that follows another action happened.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "RekeyStatus".
 */
export type RekeyStatus =
  | {
      /**
       * Users whose slots from before re-keying existed were dropped (`drop_old_slots`);
       * they can unlock again once given a passphrase with the recovery code
       * (`harbor recover`).
       */
      dropped_users: string[];
      /**
       * How many slots hold the new key.
       */
      slots: number;
      status: "done";
    }
  | {
      /**
       * The error's stable code (`vault_in_use`, `old_key_slots`, ...).
       */
      code:
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
       * What to do.
       */
      reason: string;
      status: "not_done";
    };
/**
 * The forms the log is written in.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeFormat".
 */
export type PrivilegeFormat = "json" | "csv" | "pdf";
/**
 * What a fact is.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "FactKind".
 */
export type FactKind =
  | "entered_pses"
  | "revision"
  | "dropped_out"
  | "promoted_pswp"
  | "unqueued"
  | "disclosed"
  | "reported"
  | "other";
/**
 * The permission a disclosure is made under: a paragraph of 42 CFR 3.206, or `within_pses`
 * for a use that stays inside the agency's own PSES (not a disclosure to anyone else).
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Permission".
 */
export type Permission =
  | "within_pses"
  | "pso"
  | "contractor"
  | "affiliated_provider"
  | "other_pso_or_provider"
  | "nonidentifiable"
  | "provider_authorization"
  | "business_operations"
  | "accrediting_body"
  | "fda"
  | "research"
  | "law_enforcement"
  | "criminal_proceeding"
  | "equitable_relief"
  | "secretary";
/**
 * How a disclosure left (or stayed in) the vault.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Channel".
 */
export type Channel =
  "packet" | "pso_submission" | "attachment_export" | "backup" | "outside_harbor";
/**
 * The scope a log was made for, as its cover states it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeScope".
 */
export type PrivilegeScope =
  | {
      kind: "records";
    }
  | {
      kind: "period";
      /**
       * From (inclusive), if given.
       */
      since: string | null;
      /**
       * Until (exclusive), if given.
       */
      until: string | null;
    }
  | {
      kind: "all";
    };
/**
 * What leaves with a submission.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Profile".
 */
export type Profile = "identifiable" | "nonidentifiable";
/**
 * The kinds of record a vault holds.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "RecordKind".
 */
export type RecordKind = "call_review" | "case_note" | "investigation" | "epcr";
/**
 * A user's role in the vault.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Role".
 */
export type Role = "admin" | "quality_officer" | "medical_director" | "reviewer";
/**
 * What happened to one field.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Treatment".
 */
export type Treatment = "kept" | "generalised" | "removed" | "withheld" | "scrubbed";

/**
 * Every service type the UI names (the fields are only there to list them).
 */
export interface HarborService {
  app_info: AppInfo;
  attachment: Attachment;
  audit_entry: AuditEntry;
  backup_summary: BackupSummary;
  cadence: Cadence;
  chain_report: ChainReport;
  conflict: Conflict;
  conflict_record: ConflictRecord;
  contact: Contact;
  dashboard: Dashboard;
  desktop_settings: DesktopSettings;
  device_info: DeviceInfo;
  disabled: Disabled;
  disclosure: Disclosure;
  disclosure_filters: DisclosureFilters;
  disclosure_input: DisclosureInput;
  draft: Draft;
  enrolment: Enrolment;
  error: HarborError;
  history: History;
  import_progress: ImportProgress;
  import_summary: ImportSummary;
  list_filters: ListFilters;
  opened: Opened;
  outbox_item: OutboxItem;
  packet_outcome: PacketOutcome;
  packet_summary: PacketSummary;
  packet_written: PacketWritten;
  page: Page;
  permission_info: PermissionInfo;
  policy_version: PolicyVersion;
  policy_view: PolicyView;
  privilege_format: PrivilegeFormat;
  privilege_log: PrivilegeLog;
  privilege_log_written: PrivilegeLogWritten;
  privilege_query: PrivilegeQuery;
  promotion_preview: PromotionPreview;
  received_record: ReceivedRecord;
  record: HarborRecord;
  record_choices: RecordChoices;
  record_meta: RecordMeta2;
  rekey_outcome: RekeyOutcome;
  saved_attachment: SavedAttachment;
  send_progress: SendProgress;
  settings_view: SettingsView;
  status: Status;
  submission_row: SubmissionRow;
  submit_summary: SubmitSummary;
  trigger_rule: EffectiveRule;
  user: User;
}
/**
 * What the desktop needs at start: whether a vault exists in its folder, and who is
 * signed in.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "AppInfo".
 */
export interface AppInfo {
  /**
   * Who is signed in, if anyone.
   */
  session: SessionInfo | null;
  /**
   * The vault folder.
   */
  vault_dir: string;
  /**
   * Whether a vault is there.
   */
  vault_exists: boolean;
  /**
   * The app's version.
   */
  version: string;
}
/**
 * Who is signed in, as the desktop shows it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "SessionInfo".
 */
export interface SessionInfo {
  /**
   * The actions this role may take (`pses.drop_out`, ...), so the UI offers no button
   * that can only be refused; the service checks every one again.
   */
  allowed: string[];
  /**
   * Minutes without input after which the app locks.
   */
  auto_lock_minutes: number;
  /**
   * Their role.
   */
  role: "admin" | "quality_officer" | "medical_director" | "reviewer";
  /**
   * The user's name.
   */
  user: string;
}
/**
 * An attachment's description.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Attachment".
 */
export interface Attachment {
  /**
   * When it was attached.
   */
  created_at: string;
  /**
   * Who attached it.
   */
  created_by: string;
  /**
   * Its id.
   */
  id: string;
  /**
   * The sniffed media type.
   */
  media_type: string;
  /**
   * The sanitised file name.
   */
  name: string;
  /**
   * The record it belongs to.
   */
  record_id: string;
  /**
   * SHA-256 of the content (hex).
   */
  sha256: string;
  /**
   * Size in bytes.
   */
  size: number;
}
/**
 * One row of the audit chain.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "AuditEntry".
 */
export interface AuditEntry {
  /**
   * What: a stable action name such as `record.create`.
   */
  action: string;
  /**
   * Who: a user name.
   */
  actor: string;
  /**
   * When (UTC).
   */
  at: string;
  /**
   * Details without record content (counts, kinds, states, hashes).
   */
  detail: {
    [k: string]: unknown | undefined;
  };
  /**
   * This row's hash.
   */
  hash: string;
  /**
   * The previous row's hash.
   */
  prev_hash: string;
  /**
   * Position in the chain, from 1.
   */
  seq: number;
  /**
   * On what: a record, attachment or user id, if any.
   */
  target: string | null;
}
/**
 * What a backup wrote.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "BackupSummary".
 */
export interface BackupSummary {
  /**
   * Its size in bytes.
   */
  bytes: number;
  /**
   * The file written.
   */
  path: string;
  /**
   * Records in the copy.
   */
  records: number;
  /**
   * The schema version kept.
   */
  schema_version: number;
}
/**
 * How often the agency submits to its PSO.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Cadence".
 */
export interface Cadence {
  /**
   * Days between submissions.
   */
  days: number;
  /**
   * When the cadence was set (the clock starts there until the first submission).
   */
  since: string;
}
/**
 * The outcome of [`verify`].
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ChainReport".
 */
export interface ChainReport {
  /**
   * The first bad row and what is wrong with it; `None` when the chain holds.
   */
  first_bad: BadRow | null;
  /**
   * The head hash (the last row's hash).
   */
  head: string;
  /**
   * Rows checked.
   */
  rows: number;
}
/**
 * A row that breaks the chain.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "BadRow".
 */
export interface BadRow {
  /**
   * What is wrong.
   */
  reason: string;
  /**
   * Its sequence number (or the expected one, for a gap).
   */
  seq: number;
}
/**
 * An edit that arrived on an older revision, kept until a person resolves it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Conflict".
 */
export interface Conflict {
  /**
   * When it arrived.
   */
  at: string;
  /**
   * Who made the edit.
   */
  author: string;
  /**
   * The revision the edit was made on.
   */
  base_revision_hash: string;
  /**
   * The edited body.
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * This vault's revision when the edit arrived.
   */
  current_revision_hash: string;
  /**
   * The contact it came from.
   */
  from_contact: string;
  /**
   * Its id.
   */
  id: string;
  /**
   * The record.
   */
  record_id: string;
  /**
   * How it was resolved (`kept_current` or `took_theirs`), once it was.
   */
  resolution: string | null;
}
/**
 * A conflict with its record's title and state.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ConflictRecord".
 */
export interface ConflictRecord {
  /**
   * When it arrived.
   */
  at: string;
  /**
   * Who made the edit.
   */
  author: string;
  /**
   * The revision the edit was made on.
   */
  base_revision_hash: string;
  /**
   * The edited body.
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * This vault's revision when the edit arrived.
   */
  current_revision_hash: string;
  /**
   * The contact it came from.
   */
  from_contact: string;
  /**
   * Its id.
   */
  id: string;
  record: RecordMeta;
  /**
   * The record.
   */
  record_id: string;
  /**
   * How it was resolved (`kept_current` or `took_theirs`), once it was.
   */
  resolution: string | null;
}
/**
 * The record it is on.
 */
export interface RecordMeta {
  /**
   * When it entered the vault.
   */
  created_at: string;
  /**
   * Who created it.
   */
  created_by: string;
  /**
   * Whether it is a deliberation (case note, investigation): protected without being
   * reported, never swept into a submission.
   */
  deliberation: boolean;
  /**
   * The record's id (UUIDv7: ordered by creation).
   */
  id: string;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * Where it stands in the PSES.
   */
  pses_state: string;
  /**
   * Its current revision number, from 1.
   */
  revision: number;
  /**
   * Its workflow status, where the kind has one.
   */
  status: string | null;
  /**
   * A one-line title (no patient or crew names).
   */
  title: string;
  /**
   * When it last changed.
   */
  updated_at: string;
}
/**
 * A contact.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Contact".
 */
export interface Contact {
  /**
   * When it was added.
   */
  added_at: string;
  /**
   * Who added it.
   */
  added_by: string;
  /**
   * The fingerprint people compare aloud.
   */
  fingerprint: string;
  /**
   * The name this vault knows it by (a person or a laptop, e.g. `dr.okafor-laptop`).
   */
  name: string;
  /**
   * The X25519 key packets to it are encrypted to (hex).
   */
  receive_key: string;
  /**
   * The Ed25519 key its packets are signed with (hex).
   */
  signing_key: string;
}
/**
 * What the dashboard shows: reviews by status and trends by category, event type and
 * harm (call reviews and investigations, by the month of the call or event).
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Dashboard".
 */
export interface Dashboard {
  /**
   * By EMS event category (a record can count under several).
   */
  by_category: Series[];
  /**
   * By Common Formats event type.
   */
  by_event_type: Series[];
  /**
   * By harm level.
   */
  by_harm: Series[];
  /**
   * The months the trends cover (`YYYY-MM`), oldest first.
   */
  months: string[];
  /**
   * Call reviews by workflow status.
   */
  reviews_by_status: {
    [k: string]: number | undefined;
  };
}
/**
 * A count per month for one value of a coded field.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Series".
 */
export interface Series {
  /**
   * Counts, one per month of [`Dashboard::months`].
   */
  counts: number[];
  /**
   * The coded value (`medication`, `near_miss`, `mild_harm`, ...).
   */
  key: string;
  /**
   * Their sum.
   */
  total: number;
}
/**
 * The desktop app's own settings, stored in the vault.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "DesktopSettings".
 */
export interface DesktopSettings {
  /**
   * Minutes without input after which the app locks.
   */
  auto_lock_minutes: number;
}
/**
 * This vault's public identity, to give to the people it exchanges packets with.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "DeviceInfo".
 */
export interface DeviceInfo {
  /**
   * What the two people read to each other to compare.
   */
  fingerprint: string;
  /**
   * One line to paste into `harbor contact add` on the other vault.
   */
  identity: string;
}
/**
 * A disabled user, and whether the vault was re-keyed after it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Disabled".
 */
export interface Disabled {
  /**
   * When the user was added.
   */
  created_at: string;
  /**
   * When the user was disabled, if so.
   */
  disabled_at: string | null;
  /**
   * The user's id.
   */
  id: string;
  /**
   * The user's name.
   */
  name: string;
  /**
   * The re-key that followed.
   */
  rekey:
    | {
        /**
         * Users whose slots from before re-keying existed were dropped (`drop_old_slots`);
         * they can unlock again once given a passphrase with the recovery code
         * (`harbor recover`).
         */
        dropped_users: string[];
        /**
         * How many slots hold the new key.
         */
        slots: number;
        status: "done";
      }
    | {
        /**
         * The error's stable code (`vault_in_use`, `old_key_slots`, ...).
         */
        code:
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
         * What to do.
         */
        reason: string;
        status: "not_done";
      };
  /**
   * The role.
   */
  role: "admin" | "quality_officer" | "medical_director" | "reviewer";
}
/**
 * One logged disclosure.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Disclosure".
 */
export interface Disclosure {
  /**
   * A backup: every record in the vault at that time, rather than those listed.
   */
  all_records: boolean;
  /**
   * How.
   */
  channel: "packet" | "pso_submission" | "attachment_export" | "backup" | "outside_harbor";
  /**
   * When the disclosure was made (for one recorded by a person: the date they gave).
   */
  disclosed_at: string;
  /**
   * A note (recorded disclosures; a packet's purpose).
   */
  note: string | null;
  /**
   * Under which permission.
   */
  permission:
    | "within_pses"
    | "pso"
    | "contractor"
    | "affiliated_provider"
    | "other_pso_or_provider"
    | "nonidentifiable"
    | "provider_authorization"
    | "business_operations"
    | "accrediting_body"
    | "fda"
    | "research"
    | "law_enforcement"
    | "criminal_proceeding"
    | "equitable_relief"
    | "secretary";
  /**
   * To whom: a contact, the PSO, a file, or the recipient a person named.
   */
  recipient: string;
  /**
   * When it was written to the log.
   */
  recorded_at: string;
  /**
   * Who made or recorded it.
   */
  recorded_by: string;
  /**
   * The records disclosed (empty with `all_records`).
   */
  records: string[];
  /**
   * The packet, submission, attachment or backup file it was, if any.
   */
  reference: string | null;
  /**
   * Its number in the log, from 1.
   */
  seq: number;
}
/**
 * Which disclosures to list; each may be left out.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "DisclosureFilters".
 */
export interface DisclosureFilters {
  /**
   * Only those of this record.
   */
  record?: string | null;
  /**
   * Made on or after this date (`YYYY-MM-DD` or RFC 3339).
   */
  since?: string | null;
  /**
   * Made on or before this date (a date counts whole; an RFC 3339 time: before it).
   */
  until?: string | null;
}
/**
 * A disclosure made outside Harbor, as a person records it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "DisclosureInput".
 */
export interface DisclosureInput {
  /**
   * When: a date (`YYYY-MM-DD`, taken as midnight UTC) or an RFC 3339 time; not in the
   * future.
   */
  date: string;
  /**
   * The permission it was made under.
   */
  exception:
    | "within_pses"
    | "pso"
    | "contractor"
    | "affiliated_provider"
    | "other_pso_or_provider"
    | "nonidentifiable"
    | "provider_authorization"
    | "business_operations"
    | "accrediting_body"
    | "fda"
    | "research"
    | "law_enforcement"
    | "criminal_proceeding"
    | "equitable_relief"
    | "secretary";
  /**
   * What was disclosed and why, in a few words (no patient details).
   */
  note?: string | null;
  /**
   * The records disclosed (their ids).
   */
  records: string[];
  /**
   * To whom (a person or an organisation).
   */
  to: string;
}
/**
 * A draft as stored.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Draft".
 */
export interface Draft {
  /**
   * The form's input, as the UI wrote it (JSON).
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * What the draft is of (for example `call_review:<id>` or `new:case_note`).
   */
  key: string;
  /**
   * When it was last saved.
   */
  updated_at: string;
}
/**
 * What enrolment tells the person: where, as whom, and the PSO key now pinned (never the
 * token, which stays in the vault).
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Enrolment".
 */
export interface Enrolment {
  /**
   * The agency's id at the PSO.
   */
  agency_id: string;
  /**
   * The PSO's receipt-signing key, pinned (hex).
   */
  pso_signing_key: string;
  /**
   * The PSO's address.
   */
  url: string;
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
  retry_after_secs: number | null;
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
 * A record's history: every revision and every PSES event.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "History".
 */
export interface History {
  meta: RecordMeta1;
  /**
   * PSES ledger events, oldest first.
   */
  pses_events: PsesEvent[];
  /**
   * Revisions, oldest first.
   */
  revisions: Revision[];
}
/**
 * The header.
 */
export interface RecordMeta1 {
  /**
   * When it entered the vault.
   */
  created_at: string;
  /**
   * Who created it.
   */
  created_by: string;
  /**
   * Whether it is a deliberation (case note, investigation): protected without being
   * reported, never swept into a submission.
   */
  deliberation: boolean;
  /**
   * The record's id (UUIDv7: ordered by creation).
   */
  id: string;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * Where it stands in the PSES.
   */
  pses_state: string;
  /**
   * Its current revision number, from 1.
   */
  revision: number;
  /**
   * Its workflow status, where the kind has one.
   */
  status: string | null;
  /**
   * A one-line title (no patient or crew names).
   */
  title: string;
  /**
   * When it last changed.
   */
  updated_at: string;
}
/**
 * One PSES ledger event of a record.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PsesEvent".
 */
export interface PsesEvent {
  /**
   * When.
   */
  at: string;
  /**
   * By whom.
   */
  by: string;
  /**
   * Details (the drop-out reason, snapshot hashes, receipts).
   */
  detail: {
    [k: string]: unknown | undefined;
  };
  /**
   * `entered_pses`, `dropped_out`, `promoted_pswp`, `reported`, ...
   */
  event: string;
}
/**
 * One revision in a record's history.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Revision".
 */
export interface Revision {
  /**
   * When.
   */
  at: string;
  /**
   * Who saved it.
   */
  author: string;
  /**
   * The body as saved.
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * Its hash (chained to the previous revision's).
   */
  hash: string;
  /**
   * Its number, from 1.
   */
  rev: number;
}
/**
 * Progress, reported after each file.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ImportProgress".
 */
export interface ImportProgress {
  /**
   * Seconds since the start.
   */
  elapsed_secs: number;
  /**
   * Files done (imported or failed).
   */
  files_done: number;
  /**
   * Files found.
   */
  files_total: number;
  /**
   * Reports read so far.
   */
  reports: number;
}
/**
 * The end of an import.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ImportSummary".
 */
export interface ImportSummary {
  /**
   * Reviews created by each rule (a review can count under several).
   */
  by_rule: {
    [k: string]: number | undefined;
  };
  /**
   * Bytes read.
   */
  bytes: number;
  /**
   * Seconds taken.
   */
  elapsed_secs: number;
  /**
   * Files not imported.
   */
  failed: FileFailure[];
  /**
   * Files found.
   */
  files: number;
  /**
   * Call reviews created (flagged for review).
   */
  flagged_for_review: number;
  /**
   * New references.
   */
  imported: number;
  /**
   * Reports read.
   */
  reports: number;
  /**
   * Reports already in the vault unchanged.
   */
  unchanged: number;
  /**
   * Changed reports saved as new revisions.
   */
  updated: number;
  /**
   * Reports imported with warnings (imperfect but readable).
   */
  with_warnings: number;
}
/**
 * A file that was not imported, and why.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "FileFailure".
 */
export interface FileFailure {
  /**
   * The file.
   */
  file: string;
  /**
   * Why, naming the line or element.
   */
  reason: string;
}
/**
 * The record list's filters as the desktop sends them: names, not types, so that a bad
 * one is refused with words ([`ListFilters::into_query`]). Each may be left out.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ListFilters".
 */
export interface ListFilters {
  /**
   * The cursor returned with the previous page.
   */
  after?: string | null;
  /**
   * Only this kind (`call_review`, ...).
   */
  kind?: string | null;
  /**
   * Page size (default 50, at most 1000).
   */
  limit?: number | null;
  /**
   * Only this PSES state (`in_pses`, ...).
   */
  pses_state?: string | null;
  /**
   * Created at or after.
   */
  since?: string | null;
  /**
   * Only this workflow status.
   */
  status?: string | null;
  /**
   * Created before.
   */
  until?: string | null;
}
/**
 * A vault opened (created, unlocked or recovered).
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Opened".
 */
export interface Opened {
  /**
   * A new recovery code, to be shown once (after creating a vault or recovering one).
   */
  recovery_code: string | null;
  /**
   * After a recovery: whether the vault was re-keyed (see [`crate::Recovered`]).
   */
  rekey: RekeyStatus | null;
  /**
   * Who is now signed in.
   */
  session: SessionInfo | null;
}
/**
 * One outbox item.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "OutboxItem".
 */
export interface OutboxItem {
  /**
   * The earlier reported item this one amends, if any.
   */
  amends: string | null;
  /**
   * When it was promoted.
   */
  created_at: string;
  /**
   * Who promoted it.
   */
  created_by: string;
  /**
   * The item's id (UUIDv7; doubles as the idempotency key).
   */
  id: string;
  /**
   * The profile.
   */
  profile: string;
  /**
   * The record.
   */
  record_id: string;
  /**
   * The record's revision frozen.
   */
  revision: number;
  /**
   * SHA-256 of the canonical snapshot.
   */
  snapshot_hash: string;
  /**
   * `queued`, `unqueued` or `reported`.
   */
  state: string;
}
/**
 * What importing a packet did.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PacketOutcome".
 */
export interface PacketOutcome {
  /**
   * Records new to this vault.
   */
  added: string[];
  /**
   * Whether this vault had imported it already (then nothing changed).
   */
  already_imported: boolean;
  /**
   * Attachments added.
   */
  attachments: number;
  /**
   * Records whose edit was made on an older revision: kept as conflicts.
   */
  conflicts: string[];
  /**
   * The packet.
   */
  packet_id: string;
  /**
   * Records that got a new revision.
   */
  revised: string[];
  /**
   * Records identical to this vault's.
   */
  unchanged: string[];
}
/**
 * What an export wrote.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PacketSummary".
 */
export interface PacketSummary {
  /**
   * Attachments carried.
   */
  attachments: number;
  /**
   * The file's size.
   */
  bytes: number;
  /**
   * ePCRs carried with them (the calls the reviews refer to).
   */
  epcrs: number;
  /**
   * The packet's id (the reply names it).
   */
  packet_id: string;
  /**
   * PSES records carried.
   */
  records: number;
  /**
   * The contact it is for.
   */
  to: string;
}
/**
 * A case packet written where the person chose, and where.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PacketWritten".
 */
export interface PacketWritten {
  /**
   * Attachments carried.
   */
  attachments: number;
  /**
   * The file's size.
   */
  bytes: number;
  /**
   * ePCRs carried with them (the calls the reviews refer to).
   */
  epcrs: number;
  /**
   * The packet's id (the reply names it).
   */
  packet_id: string;
  /**
   * Where it is.
   */
  path: string;
  /**
   * PSES records carried.
   */
  records: number;
  /**
   * The contact it is for.
   */
  to: string;
}
/**
 * A page of records, newest first.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Page".
 */
export interface Page {
  /**
   * The records.
   */
  items: RecordMeta2[];
  /**
   * Give this as `after` to get the next page; `None` on the last page.
   */
  next_cursor: string | null;
}
/**
 * A record's header, as lists show it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "RecordMeta".
 */
export interface RecordMeta2 {
  /**
   * When it entered the vault.
   */
  created_at: string;
  /**
   * Who created it.
   */
  created_by: string;
  /**
   * Whether it is a deliberation (case note, investigation): protected without being
   * reported, never swept into a submission.
   */
  deliberation: boolean;
  /**
   * The record's id (UUIDv7: ordered by creation).
   */
  id: string;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * Where it stands in the PSES.
   */
  pses_state: string;
  /**
   * Its current revision number, from 1.
   */
  revision: number;
  /**
   * Its workflow status, where the kind has one.
   */
  status: string | null;
  /**
   * A one-line title (no patient or crew names).
   */
  title: string;
  /**
   * When it last changed.
   */
  updated_at: string;
}
/**
 * A permission, for a face to offer.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PermissionInfo".
 */
export interface PermissionInfo {
  /**
   * The paragraph of 42 CFR Part 3 it rests on (none for a use within the PSES).
   */
  citation: string | null;
  /**
   * What it permits.
   */
  description: string;
  /**
   * Its name.
   */
  name:
    | "within_pses"
    | "pso"
    | "contractor"
    | "affiliated_provider"
    | "other_pso_or_provider"
    | "nonidentifiable"
    | "provider_authorization"
    | "business_operations"
    | "accrediting_body"
    | "fda"
    | "research"
    | "law_enforcement"
    | "criminal_proceeding"
    | "equitable_relief"
    | "secretary";
}
/**
 * One adopted version of the policy, without its text.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PolicyVersion".
 */
export interface PolicyVersion {
  /**
   * When it was adopted (UTC): it is in force from then until the next version.
   */
  adopted_at: string;
  /**
   * Who adopted it.
   */
  adopted_by: string;
  /**
   * Its length in bytes.
   */
  bytes: number;
  /**
   * SHA-256 of its text (hex), as the audit chain recorded it.
   */
  sha256: string;
  /**
   * Harbor's template as it came with the vault, not yet the agency's own words.
   */
  template: boolean;
  /**
   * Its number, from 1.
   */
  version: number;
}
/**
 * The policy as a face shows it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PolicyView".
 */
export interface PolicyView {
  /**
   * Whether the current policy still needs an administrator's review: none adopted,
   * or the template as it came with the vault.
   */
  needs_review: boolean;
  /**
   * The placeholders (`{{NAME}}`) left in the text shown: while any is left, the
   * agency has not yet put its own words in.
   */
  placeholders: string[];
  /**
   * The version asked for (the current one by default); `None` when the vault has
   * none yet (made before Harbor kept the policy): [`PolicyView::template`] is then
   * the starting point.
   */
  policy: Policy | null;
  /**
   * Harbor's template.
   */
  template: string;
  /**
   * Every version, oldest first.
   */
  versions: PolicyVersion[];
}
/**
 * A version of the policy and its text.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Policy".
 */
export interface Policy {
  /**
   * When it was adopted (UTC): it is in force from then until the next version.
   */
  adopted_at: string;
  /**
   * Who adopted it.
   */
  adopted_by: string;
  /**
   * Its length in bytes.
   */
  bytes: number;
  /**
   * SHA-256 of its text (hex), as the audit chain recorded it.
   */
  sha256: string;
  /**
   * Harbor's template as it came with the vault, not yet the agency's own words.
   */
  template: boolean;
  /**
   * The text (Markdown).
   */
  text: string;
  /**
   * Its number, from 1.
   */
  version: number;
}
/**
 * The privilege log.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeLog".
 */
export interface PrivilegeLog {
  /**
   * The agency's id at its PSO and the PSO's address, when enrolled.
   */
  agency_id: string | null;
  audit: AuditStatement;
  /**
   * The encrypted backups of the whole vault (each holds every record then in it,
   * within the PSES): listed once here rather than under every record.
   */
  backups: BackupStatement[];
  /**
   * Always [`PRIVILEGE_LOG_FORMAT`].
   */
  format: string;
  /**
   * When it was made.
   */
  generated_at: string;
  /**
   * By whom.
   */
  generated_by: string;
  /**
   * Every version of the PSES policy (no text: `harbor policy show --version N`).
   */
  policy_versions: PolicyVersion[];
  /**
   * The PSO's address.
   */
  pso_url: string | null;
  /**
   * The records.
   */
  records: PrivilegeRecord[];
  /**
   * Which records it covers.
   */
  scope:
    | {
        kind: "records";
      }
    | {
        kind: "period";
        /**
         * From (inclusive), if given.
         */
        since: string | null;
        /**
         * Until (exclusive), if given.
         */
        until: string | null;
      }
    | {
        kind: "all";
      };
  /**
   * The vault.
   */
  vault_id: string;
}
/**
 * The audit chain and its anchor at the PSO.
 */
export interface AuditStatement {
  /**
   * Its head hash then.
   */
  head: string;
  /**
   * The last head the PSO acknowledged in a signed receipt, if any.
   */
  pso_anchor: PsoAnchor | null;
  /**
   * Rows in the chain when the log was made.
   */
  rows: number;
  /**
   * Whether the chain verified (every row's hash and link recomputed).
   */
  verified: boolean;
}
/**
 * An audit head the PSO signed.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PsoAnchor".
 */
export interface PsoAnchor {
  /**
   * The head hash the receipt acknowledges.
   */
  audit_head: string;
  /**
   * When the PSO stored it.
   */
  received_at: string;
  /**
   * The submission whose receipt it is.
   */
  submission_id: string;
}
/**
 * A backup of the whole vault, as the disclosure log recorded it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "BackupStatement".
 */
export interface BackupStatement {
  /**
   * When it was written.
   */
  at: string;
  /**
   * By whom.
   */
  by: string;
}
/**
 * One record of the log: what it is, and its facts in date order.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeRecord".
 */
export interface PrivilegeRecord {
  /**
   * A deliberation or analysis of the PSES (protected without reporting).
   */
  deliberation: boolean;
  /**
   * When it entered the PSES.
   */
  entered_pses: string;
  /**
   * Every fact, oldest first.
   */
  facts: PrivilegeFact[];
  /**
   * Its id.
   */
  id: string;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * Whether that version was Harbor's template, not yet the agency's own words.
   */
  policy_template: boolean;
  /**
   * The policy version in force then (none: before the vault kept its policy).
   */
  policy_version: number | null;
  /**
   * Its PSES state when the log was made.
   */
  pses_state: string;
}
/**
 * One PSES fact of a record. Only the fields of its kind are set.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeFact".
 */
export interface PrivilegeFact {
  /**
   * When (UTC).
   */
  at: string | null;
  /**
   * By whom (a user of this vault, or `name@contact` for what a packet brought).
   */
  by: string;
  /**
   * How (disclosure: packet, pso_submission, attachment_export, backup, outside_harbor).
   */
  channel?: string | null;
  /**
   * Its citation (disclosure).
   */
  citation?: string | null;
  /**
   * The ledger entry's name, for `other`.
   */
  event?: string | null;
  /**
   * What.
   */
  fact: FactKind | null;
  /**
   * A hash: the revision's (entry, revision) or the snapshot's (promotion, reporting).
   */
  hash?: string | null;
  /**
   * Under which permission (disclosure).
   */
  permission?: Permission | null;
  /**
   * The policy version in force (entry).
   */
  policy_version?: number | null;
  /**
   * The submission profile (promotion).
   */
  profile?: string | null;
  /**
   * The PSO (reporting).
   */
  pso?: string | null;
  /**
   * The id of the PSO key that signed it (reporting).
   */
  pso_key_id?: string | null;
  /**
   * The PSO's Ed25519 signature over the receipt (reporting).
   */
  pso_signature?: string | null;
  /**
   * Why (drop-out, un-queueing), as the person wrote it.
   */
  reason?: string | null;
  /**
   * SHA-256 of the PSO's signed receipt (reporting).
   */
  receipt_sha256?: string | null;
  /**
   * The submission (reporting) or the packet, attachment or submission (disclosure).
   */
  reference?: string | null;
  /**
   * The revision (revision, promotion).
   */
  revision?: number | null;
  /**
   * To whom (disclosure).
   */
  to?: string | null;
}
/**
 * A written log: where, what, its hash.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeLogWritten".
 */
export interface PrivilegeLogWritten {
  /**
   * Facts in it.
   */
  facts: number;
  /**
   * `json`, `csv` or `pdf`.
   */
  format: string;
  /**
   * The file.
   */
  path: string;
  /**
   * Records in it.
   */
  records: number;
  /**
   * SHA-256 of the file (also in the audit chain).
   */
  sha256: string;
}
/**
 * Which records the log covers: exactly one of `records`, a period (`since` and/or
 * `until`) or `all`.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PrivilegeQuery".
 */
export interface PrivilegeQuery {
  /**
   * Every record in the PSES.
   */
  all: boolean;
  /**
   * These records.
   */
  records?: string[];
  /**
   * The records that entered the PSES on or after this date (`YYYY-MM-DD` or RFC 3339).
   */
  since?: string | null;
  /**
   * ... and on or before this date (a date counts whole).
   */
  until?: string | null;
}
/**
 * The preview of one record's promotion: what would leave and what would not.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "PromotionPreview".
 */
export interface PromotionPreview {
  /**
   * The attachments that would leave with it (identifiable profile only: a file cannot
   * be de-identified automatically, so the nonidentifiable profile withholds them and
   * says so in the report).
   */
  attachments: Attachment[];
  /**
   * The body as it would leave.
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * Whether it is a deliberation (protected without reporting; promoted only on purpose).
   */
  deliberation: boolean;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * The profile.
   */
  profile: "identifiable" | "nonidentifiable";
  /**
   * The record.
   */
  record_id: string;
  /**
   * Every field removed, generalised, withheld or scrubbed.
   */
  report: ReportLine[];
  /**
   * The revision that would be frozen.
   */
  revision: number;
}
/**
 * One line of the removal report.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ReportLine".
 */
export interface ReportLine {
  /**
   * JSON Pointer of the field.
   */
  field: string;
  /**
   * Why, in words (the rule that applies).
   */
  reason: string;
  /**
   * The value sent instead, for generalised fields.
   */
  to?: string | null;
  /**
   * What happened to it.
   */
  treatment: "kept" | "generalised" | "removed" | "withheld" | "scrubbed";
}
/**
 * A received record: where it came from, and what it is now.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "ReceivedRecord".
 */
export interface ReceivedRecord {
  /**
   * The contact it came from.
   */
  from_contact: string;
  /**
   * The sender's revision hash it was received at.
   */
  origin_revision_hash: string;
  /**
   * The packet it came in.
   */
  packet_id: string;
  /**
   * When.
   */
  received_at: string;
  record: RecordMeta3;
  /**
   * The record.
   */
  record_id: string;
  /**
   * Whether the record was created in this vault and came back (edited) in a reply,
   * rather than first arriving in a packet.
   */
  returned: boolean;
}
/**
 * A record's header, as lists show it.
 */
export interface RecordMeta3 {
  /**
   * When it entered the vault.
   */
  created_at: string;
  /**
   * Who created it.
   */
  created_by: string;
  /**
   * Whether it is a deliberation (case note, investigation): protected without being
   * reported, never swept into a submission.
   */
  deliberation: boolean;
  /**
   * The record's id (UUIDv7: ordered by creation).
   */
  id: string;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * Where it stands in the PSES.
   */
  pses_state: string;
  /**
   * Its current revision number, from 1.
   */
  revision: number;
  /**
   * Its workflow status, where the kind has one.
   */
  status: string | null;
  /**
   * A one-line title (no patient or crew names).
   */
  title: string;
  /**
   * When it last changed.
   */
  updated_at: string;
}
/**
 * A record with its current body.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "HarborRecord".
 */
export interface HarborRecord {
  /**
   * The current body.
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * When it entered the vault.
   */
  created_at: string;
  /**
   * Who created it.
   */
  created_by: string;
  /**
   * Whether it is a deliberation (case note, investigation): protected without being
   * reported, never swept into a submission.
   */
  deliberation: boolean;
  /**
   * The record's id (UUIDv7: ordered by creation).
   */
  id: string;
  /**
   * Its kind.
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * Where it stands in the PSES.
   */
  pses_state: string;
  /**
   * Its current revision number, from 1.
   */
  revision: number;
  /**
   * The hash of the current revision.
   */
  revision_hash: string;
  /**
   * Its workflow status, where the kind has one.
   */
  status: string | null;
  /**
   * A one-line title (no patient or crew names).
   */
  title: string;
  /**
   * When it last changed.
   */
  updated_at: string;
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
  note: string | null;
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
/**
 * What a re-key did.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "RekeyOutcome".
 */
export interface RekeyOutcome {
  /**
   * Users whose slots from before re-keying existed were dropped (`drop_old_slots`);
   * they can unlock again once given a passphrase with the recovery code
   * (`harbor recover`).
   */
  dropped_users: string[];
  /**
   * How many slots hold the new key.
   */
  slots: number;
}
/**
 * An attachment written out where the person chose, and where.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "SavedAttachment".
 */
export interface SavedAttachment {
  attachment: Attachment1;
  /**
   * Where its copy is.
   */
  path: string;
}
/**
 * An attachment's description.
 */
export interface Attachment1 {
  /**
   * When it was attached.
   */
  created_at: string;
  /**
   * Who attached it.
   */
  created_by: string;
  /**
   * Its id.
   */
  id: string;
  /**
   * The sniffed media type.
   */
  media_type: string;
  /**
   * The sanitised file name.
   */
  name: string;
  /**
   * The record it belongs to.
   */
  record_id: string;
  /**
   * SHA-256 of the content (hex).
   */
  sha256: string;
  /**
   * Size in bytes.
   */
  size: number;
}
/**
 * How far a submission's upload is: bytes sent of its total.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "SendProgress".
 */
export interface SendProgress {
  /**
   * Bytes sent.
   */
  sent: number;
  /**
   * Bytes in all.
   */
  total: number;
}
/**
 * The settings screen: every setting with its help, the cadence and the idle lock.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "SettingsView".
 */
export interface SettingsView {
  /**
   * Minutes without input after which the app locks.
   */
  auto_lock_minutes: number;
  /**
   * The submission cadence, if set.
   */
  cadence: Cadence | null;
  /**
   * When the next submission is due, if a cadence is set.
   */
  next_submission_due: string | null;
  /**
   * Every setting, its value and what it means.
   */
  settings: Setting[];
}
/**
 * A setting, its value and what it means.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Setting".
 */
export interface Setting {
  /**
   * What it means, its range and its default.
   */
  help: string;
  /**
   * Its key, as `harbor settings set` takes it.
   */
  key: string;
  /**
   * Its value now.
   */
  value: string;
}
/**
 * The status view.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "Status".
 */
export interface Status {
  /**
   * Records by PSES state.
   */
  by_pses_state: {
    [k: string]: number | undefined;
  };
  /**
   * The submission cadence, if set.
   */
  cadence: Cadence | null;
  /**
   * Whether it is due now (or overdue).
   */
  due_now: boolean;
  /**
   * When the next submission is due, if a cadence is set.
   */
  next_submission_due: string | null;
  /**
   * Whether the PSES policy still needs an administrator's review: none adopted, or
   * Harbor's template as it came with the vault (`harbor policy`).
   */
  policy_needs_review: boolean;
  /**
   * Snapshots waiting in the outbox.
   */
  queued: number;
  /**
   * Call reviews not started (flagged and waiting).
   */
  reviews_not_started: number;
}
/**
 * A submission as the vault keeps it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "SubmissionRow".
 */
export interface SubmissionRow {
  /**
   * When the receipt was stored.
   */
  committed_at: string | null;
  /**
   * When it was assembled.
   */
  created_at: string;
  /**
   * Who assembled it (and so sent it).
   */
  created_by: string;
  /**
   * The submission id.
   */
  id: string;
  /**
   * The signed manifest (JSON).
   */
  manifest: string;
  /**
   * The signed receipt (JSON), once committed.
   */
  receipt: string | null;
  /**
   * `open` (being sent) or `committed` (receipt stored).
   */
  state: string;
}
/**
 * What a submission did.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "SubmitSummary".
 */
export interface SubmitSummary {
  /**
   * Items reported.
   */
  reported: number;
  /**
   * Whether an interrupted submission was resumed.
   */
  resumed: boolean;
  /**
   * The submission id, if one was sent.
   */
  submission_id: string | null;
}
/**
 * One rule with its effective settings, for listing.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "EffectiveRule".
 */
export interface EffectiveRule {
  /**
   * Elements it reads.
   */
  elements: string[];
  /**
   * Whether it runs.
   */
  enabled: boolean;
  /**
   * Rule id.
   */
  id: string;
  /**
   * Effective parameters, with their meaning.
   */
  params: [unknown, unknown, unknown][];
  /**
   * What it looks for.
   */
  title: string;
}
/**
 * A user, as `user list` shows it.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "User".
 */
export interface User {
  /**
   * When the user was added.
   */
  created_at: string;
  /**
   * When the user was disabled, if so.
   */
  disabled_at: string | null;
  /**
   * The user's id.
   */
  id: string;
  /**
   * The user's name.
   */
  name: string;
  /**
   * The role.
   */
  role: "admin" | "quality_officer" | "medical_director" | "reviewer";
}
/**
 * What the log says of the audit chain and its outside anchor.
 *
 * This interface was referenced by `HarborService`'s JSON-Schema
 * via the `definition` "AuditStatement".
 */
export interface AuditStatement1 {
  /**
   * Its head hash then.
   */
  head: string;
  /**
   * The last head the PSO acknowledged in a signed receipt, if any.
   */
  pso_anchor: PsoAnchor | null;
  /**
   * Rows in the chain when the log was made.
   */
  rows: number;
  /**
   * Whether the chain verified (every row's hash and link recomputed).
   */
  verified: boolean;
}
