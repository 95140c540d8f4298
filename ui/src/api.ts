// The typed calls to the desktop shell. Each is one command on the shell, which calls the
// service API; errors arrive as {code, message, fields, retry_after_secs}.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { CallReview } from "./generated/call_review";
import type { CaseNote } from "./generated/case_note";
import type { Investigation } from "./generated/investigation";
import type { EpcrReference } from "./generated/epcr";
import type { ErrorCode, HarborError, RecordChoices } from "./generated/harbor-service";

export type { ErrorCode, RecordChoices };

export type Role = "admin" | "quality_officer" | "medical_director" | "reviewer";
export type RecordKind = "call_review" | "case_note" | "investigation" | "epcr";

export interface SessionInfo {
  user: string;
  role: Role;
  auto_lock_minutes: number;
  /** The actions this role may take (`pses.drop_out`, ...); the service checks each again. */
  allowed: string[];
}
export interface AppInfo {
  vault_dir: string;
  vault_exists: boolean;
  session: SessionInfo | null;
  version: string;
}
export interface Opened {
  session: SessionInfo | null;
  recovery_code: string | null;
  /** After a recovery: whether the vault was re-keyed. */
  rekey: RekeyStatus | null;
}
export interface RecordMeta {
  id: string;
  kind: RecordKind;
  status: string | null;
  pses_state: string;
  title: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  revision: number;
  deliberation: boolean;
}
export type RecordBody = CallReview | CaseNote | Investigation | EpcrReference;
export interface HarborRecord<B = RecordBody> extends RecordMeta {
  revision_hash: string;
  body: B;
}
export interface Page {
  items: RecordMeta[];
  next_cursor: string | null;
}
export interface ListQuery {
  kind?: RecordKind | null;
  status?: string | null;
  pses_state?: string | null;
  since?: string | null;
  until?: string | null;
  limit?: number;
  after?: string | null;
}
export interface Revision {
  rev: number;
  author: string;
  at: string;
  hash: string;
  body: unknown;
}
export interface PsesEvent {
  event: string;
  at: string;
  by: string;
  detail: unknown;
}
export interface History {
  meta: RecordMeta;
  revisions: Revision[];
  pses_events: PsesEvent[];
}
export interface Attachment {
  id: string;
  record_id: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  created_at: string;
  created_by: string;
}
export interface Status {
  by_pses_state: Record<string, number>;
  reviews_not_started: number;
  queued: number;
  cadence: { days: number; since: string } | null;
  next_submission_due: string | null;
  due_now: boolean;
}
export interface Series {
  key: string;
  counts: number[];
  total: number;
}
export interface Dashboard {
  reviews_by_status: Record<string, number>;
  months: string[];
  by_category: Series[];
  by_event_type: Series[];
  by_harm: Series[];
}
export interface ImportProgress {
  files_done: number;
  files_total: number;
  reports: number;
  elapsed_secs: number;
}
export interface ImportSummary {
  files: number;
  reports: number;
  imported: number;
  updated: number;
  unchanged: number;
  flagged_for_review: number;
  by_rule: Record<string, number>;
  with_warnings: number;
  failed: { file: string; reason: string }[];
  elapsed_secs: number;
  bytes: number;
}
export interface ReportLine {
  field: string;
  treatment: "kept" | "generalised" | "removed" | "withheld" | "scrubbed";
  reason: string;
  to?: string | null;
}
export interface PromotionPreview {
  record_id: string;
  kind: RecordKind;
  deliberation: boolean;
  revision: number;
  profile: "identifiable" | "nonidentifiable";
  body: unknown;
  report: ReportLine[];
}
export interface OutboxItem {
  id: string;
  record_id: string;
  revision: number;
  profile: string;
  snapshot_hash: string;
  amends: string | null;
  state: string;
  created_at: string;
  created_by: string;
}
export interface SubmissionRow {
  id: string;
  state: string;
  manifest: string;
  receipt: string | null;
  created_at: string;
  created_by: string;
  committed_at?: string | null;
}
export interface SubmitSummary {
  submission_id: string | null;
  reported: number;
  resumed: boolean;
}
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  prev_hash: string;
  hash: string;
}
export interface ChainReport {
  rows: number;
  head: string;
  first_bad: { seq: number; reason: string } | null;
}
export interface User {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  disabled_at: string | null;
}
/** What a re-key did (`harbor vault rekey`). */
export interface RekeyOutcome {
  slots: number;
  dropped_users: string[];
}
/** A disabled user and whether the vault was re-keyed after it. */
export type RekeyStatus = ({ status: "done" } & RekeyOutcome) | { status: "not_done"; code: string; reason: string };
export interface DisabledUser extends User {
  rekey: RekeyStatus;
}
export interface SettingsView {
  settings: { key: string; value: string; help: string }[];
  cadence: { days: number; since: string } | null;
  next_submission_due: string | null;
  auto_lock_minutes: number;
}
export interface TriggerRule {
  id: string;
  title: string;
  enabled: boolean;
  elements: string[];
  params: [string, unknown, string][];
}
export interface Draft<T = unknown> {
  key: string;
  body: T;
  updated_at: string;
}

export interface DeviceInfo {
  identity: string;
  fingerprint: string;
}
export interface Contact {
  name: string;
  signing_key: string;
  receive_key: string;
  fingerprint: string;
  added_at: string;
  added_by: string;
}
export interface PacketSummary {
  packet_id: string;
  to: string;
  records: number;
  /** ePCRs carried with the call reviews that point to them. */
  epcrs: number;
  attachments: number;
  bytes: number;
}
export interface PacketOutcome {
  packet_id: string;
  already_imported: boolean;
  added: string[];
  revised: string[];
  conflicts: string[];
  unchanged: string[];
  attachments: number;
}
/** A record received in a packet, with where it came from and what it is now. */
export interface ReceivedRow {
  record_id: string;
  from_contact: string;
  origin_revision_hash: string;
  packet_id: string;
  received_at: string;
  /** Written in this vault, sent out, and back with edits (not first received here). */
  returned: boolean;
  record: RecordMeta;
}
export interface Conflict {
  id: string;
  record_id: string;
  base_revision_hash: string;
  current_revision_hash: string;
  author: string;
  body: unknown;
  from_contact: string;
  at: string;
  resolution: "kept_current" | "took_theirs" | null;
}
export interface ConflictRow extends Conflict {
  record: RecordMeta;
}

/** A command's failure, as the shell sends it (the service's `HarborError`). */
export class HarborFailure extends Error {
  constructor(
    public code: ErrorCode,
    message: string,
    public fields: { field: string; message: string }[] = [],
    public retryAfterSecs: number | null = null,
  ) {
    super(message);
  }
}

export function toFailure(e: unknown): HarborFailure {
  if (e instanceof HarborFailure) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Partial<HarborError> & Pick<HarborError, "code" | "message">;
    return new HarborFailure(o.code, o.message, o.fields ?? [], o.retry_after_secs ?? null);
  }
  return new HarborFailure("internal", typeof e === "string" ? e : "Something went wrong.");
}

let onLocked: () => void = () => {};
/** What to do when a command finds the vault locked (the app shows the unlock screen). */
export function setLockedHandler(f: () => void) {
  onLocked = f;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    const f = toFailure(e);
    if (f.code === "locked") onLocked();
    throw f;
  }
}

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  createVault: (admin: string, passphrase: string) => call<Opened>("create_vault", { admin, passphrase }),
  unlock: (user: string, passphrase: string) => call<Opened>("unlock", { user, passphrase }),
  recover: (user: string, code: string, newPassphrase: string) =>
    call<Opened>("recover", { user, code, newPassphrase }),
  lock: () => call<boolean>("lock"),
  activity: () => call<boolean>("activity"),
  status: () => call<Status>("status"),
  dashboard: () => call<Dashboard>("dashboard"),
  list: (query: ListQuery) => call<Page>("list_records", { query }),
  search: (text: string, limit = 50) => call<RecordMeta[]>("search", { text, limit }),
  record: <B = RecordBody>(id: string) => call<HarborRecord<B>>("get_record", { id }),
  history: (id: string) => call<History>("record_history", { id }),
  recordChoices: (id: string) => call<RecordChoices | null>("record_choices", { id }),
  template: <B = RecordBody>(kind: RecordKind) => call<B>("record_template", { kind }),
  create: (kind: RecordKind, body: unknown) => call<RecordMeta>("create_record", { kind, body }),
  update: (id: string, body: unknown) => call<RecordMeta>("update_record", { id, body }),
  signOff: (id: string) => call<RecordMeta>("sign_off", { id }),
  attachments: (recordId: string) => call<Attachment[]>("attachments", { recordId }),
  attach: (recordId: string, path: string) => call<Attachment>("attach", { recordId, path }),
  attachmentContent: (attachmentId: string) => call<ArrayBuffer>("attachment_content", { attachmentId }),
  /** Opens the shell's save dialog and writes a copy there; null when the person cancels. */
  saveAttachment: (attachmentId: string) =>
    call<{ attachment: Attachment; path: string } | null>("save_attachment", { attachmentId }),
  importNemsis: (
    paths: string[],
    review: "triggered" | "all" | "none",
    samplePercent: number | null,
    progress: (p: ImportProgress) => void,
  ) => {
    const onProgress = new Channel<ImportProgress>();
    onProgress.onmessage = progress;
    return call<ImportSummary>("import_nemsis", { paths, review, samplePercent, onProgress });
  },
  triggers: () => call<TriggerRule[]>("triggers"),
  previewPromotion: (ids: string[], profile: string, scrubbed?: Record<string, Record<string, string>>) =>
    call<PromotionPreview[]>("preview_promotion", { ids, profile, scrubbed: scrubbed ?? null }),
  promote: (ids: string[]) => call<OutboxItem[]>("promote", { ids }),
  dropOut: (id: string, reason: string) => call<RecordMeta>("drop_out", { id, reason }),
  unqueue: (id: string, reason: string) => call<OutboxItem>("unqueue", { id, reason }),
  outbox: () => call<OutboxItem[]>("outbox"),
  submit: (progress: (p: { sent: number; total: number }) => void) => {
    const onProgress = new Channel<{ sent: number; total: number }>();
    onProgress.onmessage = progress;
    return call<SubmitSummary>("submit", { onProgress });
  },
  submissions: () => call<SubmissionRow[]>("submissions"),
  auditLog: (after: number | null, limit: number) => call<AuditEntry[]>("audit_log", { after, limit }),
  auditVerify: () => call<ChainReport>("audit_verify"),
  /** Asks where in the native save dialog (the shell opens it); null when cancelled. */
  backup: () =>
    call<{ path: string; bytes: number; records: number; schema_version: number } | null>("backup"),
  users: () => call<User[]>("users"),
  addUser: (name: string, role: Role, passphrase: string) => call<User>("add_user", { name, role, passphrase }),
  disableUser: (name: string) => call<DisabledUser>("disable_user", { name }),
  rekeyVault: () => call<RekeyOutcome>("rekey_vault"),
  settings: () => call<SettingsView>("settings"),
  setSetting: (key: string, value: string) => call<void>("set_setting", { key, value }),
  psoEnroll: (url: string, token: string, caCertPath: string | null) =>
    call<{ url: string; agency_id: string }>("pso_enroll", { url, token, caCertPath }),
  setCadence: (every: string) => call<{ days: number; since: string }>("set_cadence", { every }),
  setAutoLock: (minutes: number) => call<number>("set_auto_lock", { minutes }),
  saveDraft: (key: string, body: unknown) => call<void>("save_draft", { key, body }),
  loadDraft: <T>(key: string) => call<Draft<T> | null>("load_draft", { key }),
  discardDraft: (key: string) => call<void>("discard_draft", { key }),
  deviceIdentity: () => call<DeviceInfo>("device_identity"),
  contacts: () => call<Contact[]>("contacts"),
  contactAdd: (name: string, identity: string) => call<Contact>("contact_add", { name, identity }),
  contactRemove: (name: string) => call<Contact>("contact_remove", { name }),
  /** Asks where in the native save dialog (the shell opens it; `fileName` only proposes a
   * name); null when cancelled. */
  packetExport: (p: { to: string; records: string[]; replyTo: string | null; withAttachments: boolean; purpose: string; fileName: string }) =>
    call<(PacketSummary & { path: string }) | null>("packet_export", p),
  packetReplyPreview: (packetId: string) => call<RecordMeta[]>("packet_reply_preview", { packetId }),
  packetImport: (path: string) => call<PacketOutcome>("packet_import", { path }),
  received: () => call<ReceivedRow[]>("received"),
  conflicts: (includeResolved: boolean) => call<ConflictRow[]>("conflicts", { includeResolved }),
  resolveConflict: (id: string, keep: "current" | "theirs") => call<Conflict>("resolve_conflict", { id, keep }),
};
