//! The wire between a Harbor vault and its Patient Safety Organization.
//!
//! - A submission's [`Manifest`] lists every item (record id, kind, revision, SHA-256 of the
//!   sealed snapshot's plaintext, size) and the vault's audit-chain head, and is signed with
//!   the agency's Ed25519 key ([`SignedManifest`]).
//! - Each item's content and each attachment blob is sealed to the PSO's X25519 key under
//!   one HPKE context per submission (RFC 9180, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256;
//!   [`SubmissionKeys`]), each part with a key of its own and the submission and part ids
//!   as associated data, so storage and TLS terminators in between see nothing and a part
//!   cannot be moved to another submission. Manifests of earlier versions sealed each part
//!   under a context of its own ([`seal`], [`BlobSealer::new`]); the PSO still opens them.
//! - The PSO answers with a [`Receipt`] signed by its own Ed25519 key ([`SignedReceipt`]).
//!
//! Everything hashed or signed is in the canonical JSON form of
//! [`harbor_core::canonical`]: UTF-8, object keys sorted by byte order, no insignificant
//! whitespace, integers only. `docs/protocol.md` describes it for implementers.

mod batch;
mod blob;
mod device;
pub mod http;
mod ids;
mod keys;
mod messages;
mod packet;
mod packet_body;
mod seal;
mod snapshot;
mod submission_keys;

pub use batch::{BatchError, BatchFrame, batch_frame_len, parse_batch, push_batch_frame};
pub use blob::{
    BlobOpener, BlobSealer, ENC_LEN, ITEM_OVERHEAD, SEGMENT, SealRangeError, TAG_LEN, UPLOAD_PIECE,
    checked_sealed_len, sealed_item_len, sealed_len, segment_count,
};
pub use device::DeviceIdentity;
pub use ids::{WIRE_ID_PATTERN, check_wire_id, is_wire_id};
pub use keys::{AgencySigningKey, PsoKeys, SigningPublicKey, key_id, random_secret};
pub use messages::schema_files;
pub use messages::{
    BlobCipher, Feedback, FeedbackCounts, Manifest, ManifestAttachment, ManifestItem, PROTOCOL,
    Receipt, ReceiptItem, SignedManifest, SignedReceipt,
};
pub use packet::{
    OpenedPacket, PacketError, PacketHeader, open_packet, packet_header, seal_packet,
};
pub use packet_body::{PacketAttachment, PacketAttachmentV1, PacketEpcr, PacketRecord};
pub use seal::{SealedItem, open, seal};
pub use snapshot::{Snapshot, SnapshotAttachment, SnapshotError};
pub use submission_keys::SubmissionKeys;

/// Why a message or an item is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// A signature that does not verify with the expected key.
    #[error("the {what} signature does not verify: it was altered or signed by another key")]
    BadSignature {
        /// What was signed ("manifest", "receipt").
        what: &'static str,
    },
    /// A key that is not a key.
    #[error("the {what} key is not a valid key")]
    BadKey {
        /// Which key.
        what: &'static str,
    },
    /// A sealed item that does not open with this key and these ids.
    #[error(
        "the sealed item does not open: wrong key, altered content, or it belongs to another submission"
    )]
    SealBroken,
    /// An id that is not a UUID in canonical form (see [`is_wire_id`]).
    #[error(
        "the {what} is not a UUID in canonical form (36 characters, lower-case hex in groups of 8-4-4-4-12)"
    )]
    BadId {
        /// Which field ("submission_id", "item_id", "blob_id", ...).
        what: &'static str,
    },
    /// A message of another protocol version.
    #[error("unknown protocol '{0}' (this Harbor speaks {PROTOCOL})")]
    UnknownProtocol(String),
    /// The operating system's random generator failed.
    #[error("the operating system's random number generator failed")]
    Randomness,
}

#[cfg(test)]
mod tests;
