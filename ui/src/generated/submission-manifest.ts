/* Generated from schemas/submission-manifest.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * The AEAD of a blob's segments (see `BlobSealer`). New submissions use AES-256-GCM, several
 * times faster where the processor has AES instructions (as every desktop of the last
 * decade has); submissions started by earlier versions keep ChaCha20-Poly1305.
 *
 * This interface was referenced by `SignedManifest`'s JSON-Schema
 * via the `definition` "BlobCipher".
 */
export type BlobCipher = "chacha20-poly1305" | "aes-256-gcm";

/**
 * A manifest with the agency's signature over its canonical bytes.
 */
export interface SignedManifest {
  /**
   * The signing key's id.
   */
  key_id: string;
  manifest: Manifest;
  /**
   * Ed25519 signature (hex) over the manifest's canonical JSON.
   */
  signature: string;
}
/**
 * The manifest.
 */
export interface Manifest {
  /**
   * The agency's id at the PSO.
   */
  agency_id: string;
  /**
   * The head hash of the vault's audit chain when the submission was assembled.
   */
  audit_head: string;
  /**
   * The AEAD that seals the attachment blobs' segments. Left out of the JSON when it is
   * ChaCha20-Poly1305, the cipher of the first Harbor versions, so that their manifests
   * keep their canonical bytes and signatures.
   */
  blob_cipher?: "chacha20-poly1305" | "aes-256-gcm";
  /**
   * When the submission was assembled (RFC 3339, UTC).
   */
  created_at: string;
  /**
   * The encapsulated key (hex) of the submission's one HPKE context, from which the key
   * of every item and blob is derived (see `SubmissionKeys`). Absent in the manifests of
   * earlier versions, whose parts each carry a context of their own.
   */
  encapsulated_key?: string | null;
  /**
   * The items.
   */
  items: ManifestItem[];
  /**
   * Always [`PROTOCOL`].
   */
  protocol: string;
  /**
   * Versions of the record schemas the items follow, by kind.
   */
  schema_versions: {
    [k: string]: string | undefined;
  };
  /**
   * The submission id (UUIDv7); also its idempotency key.
   */
  submission_id: string;
}
/**
 * One item of a submission.
 *
 * This interface was referenced by `SignedManifest`'s JSON-Schema
 * via the `definition` "ManifestItem".
 */
export interface ManifestItem {
  /**
   * The item this one amends, if it is an amendment.
   */
  amends?: string | null;
  /**
   * The attachments that go with the snapshot, each uploaded as its own sealed blob.
   * Names stay inside the sealed snapshot; the manifest carries no file names.
   */
  attachments?: ManifestAttachment[];
  /**
   * The outbox item id (UUIDv7); also the item's idempotency key.
   */
  item_id: string;
  /**
   * The record kind.
   */
  kind: string;
  /**
   * `identifiable` or `nonidentifiable`.
   */
  profile: string;
  /**
   * The record's id in the vault; under the `nonidentifiable` profile a pseudonymous
   * id instead (a random UUID per record and PSO, the same for its amendments).
   */
  record_id: string;
  /**
   * The record revision frozen in the snapshot.
   */
  revision: number;
  /**
   * SHA-256 (hex) of the snapshot's canonical JSON, before sealing.
   */
  sha256: string;
  /**
   * Size of the snapshot in bytes, before sealing.
   */
  size: number;
}
/**
 * One attachment of an item: uploaded as a blob sealed in segments (see `BlobSealer`).
 *
 * This interface was referenced by `SignedManifest`'s JSON-Schema
 * via the `definition` "ManifestAttachment".
 */
export interface ManifestAttachment {
  /**
   * The attachment's id in the vault.
   */
  attachment_id: string;
  /**
   * The upload id of the sealed blob (UUIDv7); the receipt acknowledges it by this id.
   */
  blob_id: string;
  /**
   * The sniffed media type.
   */
  media_type: string;
  /**
   * SHA-256 (hex) of the plaintext.
   */
  sha256: string;
  /**
   * Size of the plaintext in bytes.
   */
  size: number;
}
/**
 * A submission's manifest.
 *
 * This interface was referenced by `SignedManifest`'s JSON-Schema
 * via the `definition` "Manifest".
 */
export interface Manifest1 {
  /**
   * The agency's id at the PSO.
   */
  agency_id: string;
  /**
   * The head hash of the vault's audit chain when the submission was assembled.
   */
  audit_head: string;
  /**
   * The AEAD that seals the attachment blobs' segments. Left out of the JSON when it is
   * ChaCha20-Poly1305, the cipher of the first Harbor versions, so that their manifests
   * keep their canonical bytes and signatures.
   */
  blob_cipher?: "chacha20-poly1305" | "aes-256-gcm";
  /**
   * When the submission was assembled (RFC 3339, UTC).
   */
  created_at: string;
  /**
   * The encapsulated key (hex) of the submission's one HPKE context, from which the key
   * of every item and blob is derived (see `SubmissionKeys`). Absent in the manifests of
   * earlier versions, whose parts each carry a context of their own.
   */
  encapsulated_key?: string | null;
  /**
   * The items.
   */
  items: ManifestItem[];
  /**
   * Always [`PROTOCOL`].
   */
  protocol: string;
  /**
   * Versions of the record schemas the items follow, by kind.
   */
  schema_versions: {
    [k: string]: string | undefined;
  };
  /**
   * The submission id (UUIDv7); also its idempotency key.
   */
  submission_id: string;
}
