/* Generated from schemas/pswp-snapshot.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * The kinds of record a vault holds.
 *
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "RecordKind".
 */
export type RecordKind = "call_review" | "case_note" | "investigation" | "epcr";

/**
 * One record revision promoted to PSWP, as sealed to the PSO.
 */
export interface Snapshot {
  /**
   * The attachments that go with it, each uploaded as its own sealed blob.
   */
  attachments?: SnapshotAttachment[];
  /**
   * The record body under the profile (de-identified for `nonidentifiable`).
   */
  body: {
    [k: string]: unknown | undefined;
  };
  /**
   * Whether the record is a deliberation (case note, investigation).
   */
  deliberation: boolean;
  /**
   * The record kind (never an original record: an ePCR is not promoted).
   */
  kind: "call_review" | "case_note" | "investigation" | "epcr";
  /**
   * `identifiable` or `nonidentifiable`.
   */
  profile: string;
  /**
   * The record's id in the vault; under the `nonidentifiable` profile its pseudonym for
   * this PSO instead.
   */
  record_id: string;
  /**
   * The revision frozen.
   */
  revision: number;
  /**
   * `identifiable` only: the revision's hash in the vault.
   */
  revision_hash?: string | null;
  /**
   * `nonidentifiable` only: a keyed hash of the revision, which confirms no guessed
   * revision to anyone without the vault's key.
   */
  revision_mac?: string | null;
}
/**
 * An attachment listed in a snapshot (the file name travels only here, sealed).
 *
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "SnapshotAttachment".
 */
export interface SnapshotAttachment {
  /**
   * The attachment's id in the vault.
   */
  attachment_id: string;
  /**
   * The sniffed media type.
   */
  media_type: string;
  /**
   * Its file name.
   */
  name: string;
  /**
   * SHA-256 (hex) of the plaintext.
   */
  sha256: string;
  /**
   * Size of the plaintext in bytes.
   */
  size: number;
}
