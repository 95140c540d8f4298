// The typed calls to the desktop shell. Each is one command on the shell, which calls the
// service API; errors arrive as {code, message, fields, retry_after_secs}.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { CallReview } from "./generated/call_review";
import type { CaseNote } from "./generated/case_note";
import type { Investigation } from "./generated/investigation";
import type { EpcrReference } from "./generated/epcr";
import type {
  AppInfo,
  Attachment,
  AuditEntry,
  BackupSummary,
  Cadence,
  ChainReport,
  Conflict,
  ConflictRecord,
  Contact,
  Dashboard,
  DeviceInfo,
  Disabled,
  Disclosure,
  DisclosureFilters,
  DisclosureInput,
  Draft as StoredDraft,
  EffectiveRule,
  Enrolment,
  ErrorCode,
  HarborError,
  HarborRecord as StoredRecord,
  History,
  ImportProgress,
  ImportSummary,
  ListFilters,
  Opened,
  OutboxItem,
  PacketOutcome,
  PacketWritten,
  PermissionInfo,
  Page,
  PolicyVersion,
  PolicyView,
  PrivilegeFormat,
  PrivilegeLog,
  PrivilegeLogWritten,
  PrivilegeQuery,
  PromotionPreview,
  ReceivedRecord,
  RecordChoices,
  RecordKind,
  RecordMeta,
  RekeyOutcome,
  Role,
  SavedAttachment,
  SendProgress,
  SettingsView,
  Status,
  SubmissionRow,
  SubmitSummary,
  User,
} from "./generated/harbor-service";

// The service's types, generated from the Rust ones (schemas/harbor-service.schema.json).
export type * from "./generated/harbor-service";

export type RecordBody = CallReview | CaseNote | Investigation | EpcrReference;
/** A record whose body the caller knows the kind of. */
export type HarborRecord<B = RecordBody> = Omit<StoredRecord, "body"> & { body: B };
/** A draft whose body the caller knows the shape of. */
export type Draft<T = unknown> = Omit<StoredDraft, "body"> & { body: T };
export type TriggerRule = EffectiveRule;
export type DisabledUser = Disabled;
export type ReceivedRow = ReceivedRecord;
export type ConflictRow = ConflictRecord;
export type ListQuery = ListFilters;

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
    call<SavedAttachment | null>("save_attachment", { attachmentId }),
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
  triggers: () => call<EffectiveRule[]>("triggers"),
  previewPromotion: (ids: string[], profile: string, scrubbed?: Record<string, Record<string, string>>) =>
    call<PromotionPreview[]>("preview_promotion", { ids, profile, scrubbed: scrubbed ?? null }),
  promote: (ids: string[]) => call<OutboxItem[]>("promote", { ids }),
  dropOut: (id: string, reason: string) => call<RecordMeta>("drop_out", { id, reason }),
  unqueue: (id: string, reason: string) => call<OutboxItem>("unqueue", { id, reason }),
  outbox: () => call<OutboxItem[]>("outbox"),
  submit: (progress: (p: SendProgress) => void) => {
    const onProgress = new Channel<SendProgress>();
    onProgress.onmessage = progress;
    return call<SubmitSummary>("submit", { onProgress });
  },
  submissions: () => call<SubmissionRow[]>("submissions"),
  auditLog: (after: number | null, limit: number) => call<AuditEntry[]>("audit_log", { after, limit }),
  auditVerify: () => call<ChainReport>("audit_verify"),
  /** Asks where in the native save dialog (the shell opens it); null when cancelled. */
  backup: () =>
    call<BackupSummary | null>("backup"),
  users: () => call<User[]>("users"),
  addUser: (name: string, role: Role, passphrase: string) => call<User>("add_user", { name, role, passphrase }),
  disableUser: (name: string) => call<Disabled>("disable_user", { name }),
  rekeyVault: () => call<RekeyOutcome>("rekey_vault"),
  settings: () => call<SettingsView>("settings"),
  policy: (version: number | null) => call<PolicyView>("policy", { version }),
  adoptPolicy: (text: string) => call<PolicyVersion>("adopt_policy", { text }),
  disclosures: (filters: DisclosureFilters) => call<Disclosure[]>("disclosures", { filters }),
  recordDisclosure: (input: DisclosureInput) => call<Disclosure>("record_disclosure", { input }),
  disclosurePermissions: () => call<PermissionInfo[]>("disclosure_permissions"),
  privilegeLog: (query: PrivilegeQuery) => call<PrivilegeLog>("privilege_log", { query }),
  privilegeLogExport: (query: PrivilegeQuery, format: PrivilegeFormat) => call<PrivilegeLogWritten | null>("privilege_log_export", { query, format }),
  setSetting: (key: string, value: string) => call<void>("set_setting", { key, value }),
  psoEnroll: (url: string, token: string, caCertPath: string | null) =>
    call<Enrolment>("pso_enroll", { url, token, caCertPath }),
  setCadence: (every: string) => call<Cadence>("set_cadence", { every }),
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
    call<PacketWritten | null>("packet_export", p),
  packetReplyPreview: (packetId: string) => call<RecordMeta[]>("packet_reply_preview", { packetId }),
  packetImport: (path: string) => call<PacketOutcome>("packet_import", { path }),
  received: () => call<ReceivedRecord[]>("received"),
  conflicts: (includeResolved: boolean) => call<ConflictRecord[]>("conflicts", { includeResolved }),
  resolveConflict: (id: string, keep: "current" | "theirs") => call<Conflict>("resolve_conflict", { id, keep }),
};
