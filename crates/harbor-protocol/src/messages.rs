//! The signed messages: the submission manifest and the PSO's receipt.

use crate::ProtocolError;
use crate::keys::{AgencySigningKey, SigningPublicKey};
use harbor_core::canonical::to_canonical_bytes;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::check_wire_id;

/// The protocol name and version carried by every message.
pub const PROTOCOL: &str = "harbor-pso/1";

/// One item of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestItem {
    /// The outbox item id (UUIDv7); also the item's idempotency key.
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub item_id: String,
    /// The record's id in the vault; under the `nonidentifiable` profile a pseudonymous
    /// id instead (a random UUID per record and PSO, the same for its amendments).
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub record_id: String,
    /// The record kind.
    pub kind: String,
    /// The record revision frozen in the snapshot.
    pub revision: i64,
    /// `identifiable` or `nonidentifiable`.
    pub profile: String,
    /// SHA-256 (hex) of the snapshot's canonical JSON, before sealing.
    pub sha256: String,
    /// Size of the snapshot in bytes, before sealing.
    pub size: u64,
    /// The item this one amends, if it is an amendment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub amends: Option<String>,
    /// The attachments that go with the snapshot, each uploaded as its own sealed blob.
    /// Names stay inside the sealed snapshot; the manifest carries no file names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<ManifestAttachment>,
}

/// One attachment of an item: uploaded as a blob sealed in segments (see `BlobSealer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestAttachment {
    /// The upload id of the sealed blob (UUIDv7); the receipt acknowledges it by this id.
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub blob_id: String,
    /// The attachment's id in the vault.
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub attachment_id: String,
    /// The sniffed media type.
    pub media_type: String,
    /// SHA-256 (hex) of the plaintext.
    pub sha256: String,
    /// Size of the plaintext in bytes.
    pub size: u64,
}

/// A submission's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`PROTOCOL`].
    pub protocol: String,
    /// The submission id (UUIDv7); also its idempotency key.
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub submission_id: String,
    /// The agency's id at the PSO.
    pub agency_id: String,
    /// When the submission was assembled (RFC 3339, UTC).
    pub created_at: String,
    /// Versions of the record schemas the items follow, by kind.
    pub schema_versions: std::collections::BTreeMap<String, String>,
    /// The items.
    pub items: Vec<ManifestItem>,
    /// The head hash of the vault's audit chain when the submission was assembled.
    pub audit_head: String,
    /// The AEAD that seals the attachment blobs' segments. Left out of the JSON when it is
    /// ChaCha20-Poly1305, the cipher of the first Harbor versions, so that their manifests
    /// keep their canonical bytes and signatures.
    #[serde(default, skip_serializing_if = "BlobCipher::is_original")]
    pub blob_cipher: BlobCipher,
    /// The encapsulated key (hex) of the submission's one HPKE context, from which the key
    /// of every item and blob is derived (see `SubmissionKeys`). Absent in the manifests of
    /// earlier versions, whose parts each carry a context of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encapsulated_key: Option<String>,
}

/// The AEAD of a blob's segments (see `BlobSealer`). New submissions use AES-256-GCM, several
/// times faster where the processor has AES instructions (as every desktop of the last
/// decade has); submissions started by earlier versions keep ChaCha20-Poly1305.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum BlobCipher {
    /// ChaCha20-Poly1305 (the default when the manifest names none).
    #[default]
    #[serde(rename = "chacha20-poly1305")]
    ChaCha20Poly1305,
    /// AES-256-GCM.
    #[serde(rename = "aes-256-gcm")]
    Aes256Gcm,
}

impl BlobCipher {
    /// The cipher new submissions use.
    pub const CURRENT: BlobCipher = BlobCipher::Aes256Gcm;

    /// Whether this is the cipher of manifests that name none.
    pub fn is_original(&self) -> bool {
        *self == BlobCipher::ChaCha20Poly1305
    }

    /// Its name in the manifest.
    pub fn as_str(&self) -> &'static str {
        match self {
            BlobCipher::ChaCha20Poly1305 => "chacha20-poly1305",
            BlobCipher::Aes256Gcm => "aes-256-gcm",
        }
    }

    /// The cipher of a manifest name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "chacha20-poly1305" => Some(BlobCipher::ChaCha20Poly1305),
            "aes-256-gcm" => Some(BlobCipher::Aes256Gcm),
            _ => None,
        }
    }
}

/// A manifest with the agency's signature over its canonical bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedManifest {
    /// The manifest.
    pub manifest: Manifest,
    /// The signing key's id.
    pub key_id: String,
    /// Ed25519 signature (hex) over the manifest's canonical JSON.
    pub signature: String,
}

/// One stored item, as the PSO acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptItem {
    /// The item id, or an attachment's blob id.
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub item_id: String,
    /// The SHA-256 the PSO computed over the opened plaintext.
    pub sha256: String,
}

/// The PSO's receipt for a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Always [`PROTOCOL`].
    pub protocol: String,
    /// The submission.
    #[schemars(regex(
        pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    ))]
    pub submission_id: String,
    /// When the PSO stored it (RFC 3339, UTC).
    pub received_at: String,
    /// The items and attachment blobs stored, and their hashes.
    pub items: Vec<ReceiptItem>,
    /// The audit head the PSO saw in the manifest: the outside anchor of the vault's chain.
    pub audit_head: String,
}

/// A receipt with the PSO's signature over its canonical bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignedReceipt {
    /// The receipt.
    pub receipt: Receipt,
    /// The PSO signing key's id.
    pub key_id: String,
    /// Ed25519 signature (hex) over the receipt's canonical JSON.
    pub signature: String,
}

impl Manifest {
    /// Refuses the manifest unless every id in it (submission, item, record, amended item,
    /// blob, attachment) is a wire id (see [`crate::is_wire_id`]): the receiver may name
    /// files, rows and log lines after them.
    pub fn check_ids(&self) -> Result<(), ProtocolError> {
        check_wire_id("submission_id", &self.submission_id)?;
        for item in &self.items {
            check_wire_id("item_id", &item.item_id)?;
            check_wire_id("record_id", &item.record_id)?;
            if let Some(amends) = &item.amends {
                check_wire_id("amends", amends)?;
            }
            for a in &item.attachments {
                check_wire_id("blob_id", &a.blob_id)?;
                check_wire_id("attachment_id", &a.attachment_id)?;
            }
        }
        Ok(())
    }

    /// Signs the manifest.
    pub fn sign(self, key: &AgencySigningKey) -> SignedManifest {
        let signature = key.sign(&to_canonical_bytes(&self));
        SignedManifest {
            key_id: key.public().id(),
            manifest: self,
            signature,
        }
    }
}

impl SignedManifest {
    /// Verifies the signature with the agency's registered key, the protocol version, and
    /// that every id is a wire id ([`Manifest::check_ids`]).
    pub fn verify(&self, agency: &SigningPublicKey) -> Result<&Manifest, ProtocolError> {
        if self.manifest.protocol != PROTOCOL {
            return Err(ProtocolError::UnknownProtocol(
                self.manifest.protocol.clone(),
            ));
        }
        agency.verify(
            &to_canonical_bytes(&self.manifest),
            &self.signature,
            "manifest",
        )?;
        self.manifest.check_ids()?;
        Ok(&self.manifest)
    }
}

impl Receipt {
    /// Signs the receipt with the PSO's key.
    pub fn sign(self, key: &AgencySigningKey) -> SignedReceipt {
        let signature = key.sign(&to_canonical_bytes(&self));
        SignedReceipt {
            key_id: key.public().id(),
            receipt: self,
            signature,
        }
    }
}

impl SignedReceipt {
    /// Verifies the receipt with the PSO's pinned key, and that its ids are wire ids.
    pub fn verify(&self, pso: &SigningPublicKey) -> Result<&Receipt, ProtocolError> {
        if self.receipt.protocol != PROTOCOL {
            return Err(ProtocolError::UnknownProtocol(
                self.receipt.protocol.clone(),
            ));
        }
        pso.verify(
            &to_canonical_bytes(&self.receipt),
            &self.signature,
            "receipt",
        )?;
        check_wire_id("submission_id", &self.receipt.submission_id)?;
        for item in &self.receipt.items {
            check_wire_id("item_id", &item.item_id)?;
        }
        Ok(&self.receipt)
    }
}

/// Counts by group (`kind`, `event_type`, `harm`, `ems_category`) and value.
pub type FeedbackCounts<T> =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, T>>;

/// The PSO's aggregate feedback to one agency (`GET /v1/feedback`).
///
/// The other agencies' counts exclude the caller, so nothing is learnt by subtracting its
/// own; a cell is shown only when it counts at least `min_cell` items from at least
/// `min_agencies` agencies, and is also suppressed when the other cells of its group would
/// reveal a suppressed one by difference. With fewer than `min_agencies` other agencies
/// nothing of theirs is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// The caller's own stored items, exactly.
    pub agency: FeedbackCounts<u64>,
    /// The other agencies' items (the caller excluded); `null` where suppressed, absent
    /// where none.
    pub other_agencies: FeedbackCounts<Option<u64>>,
    /// How many other agencies have stored items, when at least `min_agencies`; else
    /// `null` (and `other_agencies` is empty).
    pub other_agencies_reporting: Option<u64>,
    /// The smallest count shown (the CMS cell-size rule: 11).
    pub min_cell: u64,
    /// The fewest agencies a shown cell counts, and the fewest other agencies for
    /// anything of theirs to be shown.
    pub min_agencies: u64,
}

/// The generated JSON Schemas: (file name, pretty JSON).
pub fn schema_files() -> Vec<(String, String)> {
    let pretty =
        |s: schemars::Schema| serde_json::to_string_pretty(&s).expect("schema serialises") + "\n";
    vec![
        (
            "submission-manifest.schema.json".into(),
            pretty(schemars::schema_for!(SignedManifest)),
        ),
        (
            "submission-receipt.schema.json".into(),
            pretty(schemars::schema_for!(SignedReceipt)),
        ),
        (
            "pso-feedback.schema.json".into(),
            pretty(schemars::schema_for!(Feedback)),
        ),
        (
            "pswp-snapshot.schema.json".into(),
            pretty(schemars::schema_for!(crate::Snapshot)),
        ),
    ]
}
