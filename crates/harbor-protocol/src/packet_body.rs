//! What a case packet's signed body carries: its records, the ePCRs they refer to, and
//! the descriptions of its attachments (whose bytes follow in the payload). Written by the
//! sending vault, read by the receiving one; sealing and signing are in `packet`.

use chrono::{DateTime, Utc};
use harbor_core::RecordKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One record as a packet carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketRecord {
    /// The record's id, the same in every vault.
    pub record_id: String,
    /// Its kind.
    pub kind: RecordKind,
    /// When it entered the PSES where it was created.
    pub entered_at: DateTime<Utc>,
    /// Who created it.
    pub created_by: String,
    /// Who wrote its current revision.
    pub author: String,
    /// The sender's hash of its current revision.
    pub revision_hash: String,
    /// For a record the sender received and changed: the revision hash of the receiving
    /// vault it was changed from (its base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_revision_hash: Option<String>,
    /// The current body.
    pub body: Value,
}

/// One attachment as a packet carries it: described in the signed body (size and SHA-256),
/// its bytes in the packet's payload, in the body's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketAttachment {
    /// Its id.
    pub attachment_id: String,
    /// Its record.
    pub record_id: String,
    /// Its file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 (hex) of its content.
    pub sha256: String,
    /// Its content (in the payload, not the body).
    #[serde(skip)]
    pub content: Vec<u8>,
}

impl PacketAttachment {
    /// Takes each described attachment's bytes from `payload`, in order, checking sizes
    /// and hashes; the payload must hold exactly them. Returns what does not match.
    pub fn fill_from_payload(
        attachments: &mut [PacketAttachment],
        payload: &[u8],
    ) -> std::result::Result<(), String> {
        use sha2::Digest;
        let mut rest = payload;
        for a in attachments.iter_mut() {
            let size = usize::try_from(a.size)
                .ok()
                .filter(|n| *n <= rest.len())
                .ok_or_else(|| format!("attachment {} is cut short", a.attachment_id))?;
            let (content, tail) = rest.split_at(size);
            if hex::encode(sha2::Sha256::digest(content)) != a.sha256 {
                return Err(format!(
                    "attachment {} does not match its hash",
                    a.attachment_id
                ));
            }
            a.content = content.to_vec();
            rest = tail;
        }
        if rest.is_empty() {
            Ok(())
        } else {
            Err("bytes follow the last attachment".into())
        }
    }
}

/// An attachment as version 1 packets carried it: base64 inside the signed body.
#[derive(Debug, Clone, Deserialize)]
pub struct PacketAttachmentV1 {
    attachment_id: String,
    record_id: String,
    name: String,
    #[serde(deserialize_with = "base64_bytes::deserialize")]
    content: Vec<u8>,
}

impl From<PacketAttachmentV1> for PacketAttachment {
    fn from(a: PacketAttachmentV1) -> Self {
        use sha2::Digest;
        PacketAttachment {
            size: a.content.len() as u64,
            sha256: hex::encode(sha2::Sha256::digest(&a.content)),
            attachment_id: a.attachment_id,
            record_id: a.record_id,
            name: a.name,
            content: a.content,
        }
    }
}

/// An imported ePCR a packet carries beside the records that refer to it, so that the
/// reader sees the call: its extracted reference and its original XML. ePCRs are original
/// records, outside the PSES: a packet carries them as they are and never as edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketEpcr {
    /// The record's id, the same in every vault.
    pub record_id: String,
    /// When the sender imported it.
    pub imported_at: DateTime<Utc>,
    /// Who imported it.
    pub imported_by: String,
    /// The sender's hash of its current revision.
    pub revision_hash: String,
    /// The name of the file it was imported from.
    pub file_name: String,
    /// The extracted reference (the record's body).
    pub body: Value,
    /// The original NEMSIS XML.
    pub xml: String,
}

mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        STANDARD
            .decode(String::deserialize(d)?)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sha2::Digest;

    fn described(id: &str, content: &[u8]) -> PacketAttachment {
        PacketAttachment {
            attachment_id: id.into(),
            record_id: "r".into(),
            name: format!("{id}.bin"),
            size: content.len() as u64,
            sha256: hex::encode(sha2::Sha256::digest(content)),
            content: Vec::new(),
        }
    }

    #[test]
    fn a_version_1_attachment_carries_its_content_in_base64_and_gets_its_size_and_hash() {
        let v1: PacketAttachmentV1 = serde_json::from_value(json!({
            "attachment_id": "a", "record_id": "r", "name": "strip.pdf", "content": "JVBERi0xLjQ="
        }))
        .unwrap();
        let a = PacketAttachment::from(v1);
        assert_eq!(a.content, b"%PDF-1.4");
        assert_eq!(a.size, 8);
        assert_eq!(a.sha256, hex::encode(sha2::Sha256::digest(b"%PDF-1.4")));
        assert!(
            serde_json::from_value::<PacketAttachmentV1>(json!({
                "attachment_id": "a", "record_id": "r", "name": "n", "content": "not base64!"
            }))
            .is_err()
        );
    }

    #[test]
    fn attachments_come_from_the_payload_only_when_sizes_and_hashes_match_exactly() {
        let mut list = vec![described("a", b"first"), described("b", b"")];
        PacketAttachment::fill_from_payload(&mut list, b"first").unwrap();
        assert_eq!(list[0].content, b"first");
        assert!(list[1].content.is_empty());
        let mut list = vec![described("a", b"first")];
        for (payload, why) in [
            (&b"firs"[..], "cut short"),
            (b"fir5t", "does not match its hash"),
            (b"first!", "bytes follow"),
        ] {
            let err = PacketAttachment::fill_from_payload(&mut list, payload).unwrap_err();
            assert!(err.contains(why), "{err}");
        }
    }
}
