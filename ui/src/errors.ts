// Words a person can act on, chosen by the stable error code (never by the message text):
// what happened, whether anything was lost, what to do next.
import type { HarborFailure } from "./api";
import type { ErrorCode } from "./generated/harbor-service";

// Every code the service knows has its words (the compiler checks): a new code in
// crates/harbor-core/src/error_code.rs fails the build here until it is given some.
// `throttled` is worded with its wait, below.
const WORDS: Record<Exclude<ErrorCode, "throttled">, string> = {
  wrong_passphrase: "That user name and passphrase do not match. Nothing was changed: check both and try again.",
  user_disabled: "This user has been disabled. Ask an administrator.",
  forbidden: "Your role does not allow this. Nothing was changed: ask a colleague whose role does.",
  locked: "Harbor locked itself. Unlock it to go on: nothing you typed was lost.",
  invalid_input: "Some of what was entered is not valid. Nothing was saved: correct the fields named below.",
  passphrase_rejected: "That passphrase is too easy to guess. Choose a longer one: a few unrelated words work well.",
  bad_user_name: "User names are 1 to 64 letters, digits, dots, dashes or underscores.",
  user_exists: "A user with that name exists already.",
  unknown_user: "There is no user with that name.",
  not_found: "That record is no longer there. Go back to the list and open it again.",
  not_a_vault: "There is no Harbor vault in this folder.",
  folder_not_empty: "The vault folder already holds other files. Choose an empty folder.",
  vault_corrupt: "The vault is damaged or was tampered with. Nothing was changed. Restore it from a backup and ask your administrator.",
  keyslots_damaged: "The vault's key file is damaged. Restore it from a backup.",
  schema_too_new: "This vault was written by a newer Harbor. Install the newer Harbor; the vault was not changed.",
  attachment_too_large: "That file is larger than the vault accepts. An administrator can raise the limit in Settings.",
  bad_setting: "That value is not accepted.",
  io: "A file could not be read or written. Check that it exists and that you may read it.",
  original_record: "An imported ePCR is an original record: it cannot be promoted, dropped out or changed.",
  already_reported: "This record was already reported to the PSO: it can no longer drop out. A change is sent as an amendment.",
  queued_for_pso: "This record is queued for the PSO. Take it out of the queue first.",
  already_queued: "This record is already queued for the PSO.",
  reported_unchanged: "This record was reported and has not changed since: there is nothing new to send.",
  dropped_out: "This record was dropped out of the PSES.",
  not_queued: "This record is not in the queue.",
  import_incomplete: "The import finished, but some files were not imported: each is listed with its reason.",
  not_enrolled: "This vault is not enrolled with a PSO yet. An administrator enrols it in Settings.",
  pso_refused: "The PSO refused the submission. Nothing was lost and nothing was marked reported; the reason is below.",
  pso_unreachable: "The PSO could not be reached. Nothing was lost: submit again later and it resumes where it stopped.",
  bad_receipt: "The PSO's receipt did not verify. Nothing was marked reported. Tell your PSO.",
  packet_damaged:
    "This file is not a case packet Harbor can open: it was altered, cut short or damaged, or is another kind of file. Nothing was imported. Ask the sender to write the packet again and bring a fresh copy.",
  packet_wrong_recipient:
    "This packet was written for another vault, not this one. Nothing was imported. Ask the sender to write it again for this vault: they choose this vault's contact name when they send.",
  packet_unknown_sender:
    "This packet comes from a vault that is not one of this vault's contacts. Nothing was imported. Add the sender under Case packets › Devices and contacts (compare the fingerprint with them), then import the packet again.",
  preview_stale: "The preview is out of date. Preview the promotion again.",
  packet_refused:
    "The packet asks for more than this contact may send (an attachment on a record it does not carry, or a date in the future). Nothing was imported. Ask the sender to export it again from Harbor.",
  bad_backup: "That file is not a usable Harbor backup. Nothing was changed: choose the backup file again.",
  vault_in_use:
    "Another Harbor (the desktop app or a command) has this vault open, so it cannot be re-keyed now. Nothing was changed: close the other one and try again.",
  old_key_slots:
    "Some users still have key slots from before re-keying existed. Nothing was changed: each of them should unlock once, then try again.",
  audit_broken: "The vault's audit chain does not verify: it was damaged or tampered with. Restore from a backup and ask your administrator.",
  usage: "That command was not complete. Nothing was changed.",
  storage: "The vault could not complete the action. Nothing was changed. Try again; if it keeps happening, run a vault check.",
  internal: "Something unexpected happened. Nothing was lost. Try again.",
};

/** Whole seconds as "4 min 05 s" or "12 s". */
export function formatWait(secs: number): string {
  const s = Math.max(0, Math.ceil(secs));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, "0")} s`;
}

/** The words to show for a failure. */
export function describeError(f: Pick<HarborFailure, "message" | "retryAfterSecs"> & { code: string }): string {
  if (f.code === "throttled") {
    const wait = f.retryAfterSecs ?? 0;
    return `Too many failed attempts. Wait ${formatWait(wait)} before trying again; nothing was changed.`;
  }
  const words = (WORDS as Record<string, string | undefined>)[f.code];
  if (words) return words;
  return f.message || WORDS.internal;
}

/** Whether the failure's own message adds detail worth showing under the words. */
export function showDetail(code: string): boolean {
  return ["pso_refused", "pso_unreachable", "bad_setting", "io", "invalid_input", "import_incomplete", "bad_receipt", "packet_damaged", "not_found"].includes(code);
}
