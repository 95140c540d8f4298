/* Generated from schemas/submission-receipt.schema.json by ui/scripts/gen-types.mjs: do not edit.
 * Regenerate with `npm run gen:types` in ui/. */

/**
 * A receipt with the PSO's signature over its canonical bytes.
 */
export interface SignedReceipt {
  /**
   * The PSO signing key's id.
   */
  key_id: string;
  receipt: Receipt;
  /**
   * Ed25519 signature (hex) over the receipt's canonical JSON.
   */
  signature: string;
}
/**
 * The receipt.
 */
export interface Receipt {
  /**
   * The audit head the PSO saw in the manifest: the outside anchor of the vault's chain.
   */
  audit_head: string;
  /**
   * The items and attachment blobs stored, and their hashes.
   */
  items: ReceiptItem[];
  /**
   * Always [`PROTOCOL`].
   */
  protocol: string;
  /**
   * When the PSO stored it (RFC 3339, UTC).
   */
  received_at: string;
  /**
   * The submission.
   */
  submission_id: string;
}
/**
 * One stored item, as the PSO acknowledges it.
 *
 * This interface was referenced by `SignedReceipt`'s JSON-Schema
 * via the `definition` "ReceiptItem".
 */
export interface ReceiptItem {
  /**
   * The item id, or an attachment's blob id.
   */
  item_id: string;
  /**
   * The SHA-256 the PSO computed over the opened plaintext.
   */
  sha256: string;
}
/**
 * The PSO's receipt for a submission.
 *
 * This interface was referenced by `SignedReceipt`'s JSON-Schema
 * via the `definition` "Receipt".
 */
export interface Receipt1 {
  /**
   * The audit head the PSO saw in the manifest: the outside anchor of the vault's chain.
   */
  audit_head: string;
  /**
   * The items and attachment blobs stored, and their hashes.
   */
  items: ReceiptItem[];
  /**
   * Always [`PROTOCOL`].
   */
  protocol: string;
  /**
   * When the PSO stored it (RFC 3339, UTC).
   */
  received_at: string;
  /**
   * The submission.
   */
  submission_id: string;
}
