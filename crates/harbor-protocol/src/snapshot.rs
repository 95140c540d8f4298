//! The PSWP snapshot: the frozen copy of one record revision that a promotion queues and a
//! submission seals to the PSO. The vault stores its canonical JSON, the client reads it
//! to build the manifest entry, and the PSO checks it against that entry: all three
//! through this one type.

use harbor_core::RecordKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One record revision promoted to PSWP, as sealed to the PSO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The record's id in the vault; under the `nonidentifiable` profile its pseudonym for
    /// this PSO instead.
    pub record_id: String,
    /// The record kind (never an original record: an ePCR is not promoted).
    pub kind: RecordKind,
    /// The revision frozen.
    pub revision: i64,
    /// `identifiable` only: the revision's hash in the vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_hash: Option<String>,
    /// `nonidentifiable` only: a keyed hash of the revision, which confirms no guessed
    /// revision to anyone without the vault's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_mac: Option<String>,
    /// `identifiable` or `nonidentifiable`.
    pub profile: String,
    /// Whether the record is a deliberation (case note, investigation).
    pub deliberation: bool,
    /// The record body under the profile (de-identified for `nonidentifiable`).
    pub body: serde_json::Value,
    /// The attachments that go with it, each uploaded as its own sealed blob.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<SnapshotAttachment>,
}

/// An attachment listed in a snapshot (the file name travels only here, sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotAttachment {
    /// The attachment's id in the vault.
    pub attachment_id: String,
    /// Its file name.
    pub name: String,
    /// The sniffed media type.
    pub media_type: String,
    /// Size of the plaintext in bytes.
    pub size: u64,
    /// SHA-256 (hex) of the plaintext.
    pub sha256: String,
}

/// Why bytes are not a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not JSON at all.
    #[error("not JSON")]
    NotJson,
    /// JSON, but not a snapshot's shape.
    #[error("not a snapshot: {0}")]
    Shape(String),
}

impl Snapshot {
    /// The snapshot of an identifiable promotion: the record's own id and revision hash.
    pub fn identifiable(
        record_id: String,
        kind: RecordKind,
        revision: i64,
        revision_hash: String,
        body: serde_json::Value,
        attachments: Vec<SnapshotAttachment>,
    ) -> Self {
        Snapshot {
            record_id,
            kind,
            revision,
            revision_hash: Some(revision_hash),
            revision_mac: None,
            profile: "identifiable".into(),
            deliberation: kind.is_deliberation(),
            body,
            attachments,
        }
    }

    /// The snapshot of a nonidentifiable promotion: no unique code of the record (its id
    /// is a UUIDv7, a creation time; its plain revision hash confirms a guessed revision),
    /// only its pseudonym for the PSO and a keyed revision hash.
    pub fn nonidentifiable(
        pseudonym: String,
        kind: RecordKind,
        revision: i64,
        revision_mac: String,
        body: serde_json::Value,
        attachments: Vec<SnapshotAttachment>,
    ) -> Self {
        Snapshot {
            record_id: pseudonym,
            kind,
            revision,
            revision_hash: None,
            revision_mac: Some(revision_mac),
            profile: "nonidentifiable".into(),
            deliberation: kind.is_deliberation(),
            body,
            attachments,
        }
    }

    /// The canonical JSON that is stored, hashed and sealed.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        harbor_core::canonical::to_canonical_bytes(self)
    }

    /// Reads a snapshot.
    pub fn parse(bytes: &[u8]) -> Result<Self, SnapshotError> {
        serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => SnapshotError::Shape(e.to_string()),
            _ => SnapshotError::NotJson,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The stored form is the one snapshots had when they were JSON literals: a vault's
    /// queued snapshots keep their hashes.
    #[test]
    fn the_canonical_form_is_the_one_stored_before() {
        let s = Snapshot::nonidentifiable(
            "p".into(),
            RecordKind::CaseNote,
            2,
            "mac".into(),
            json!({"a": 1}),
            vec![],
        );
        assert_eq!(
            String::from_utf8(s.canonical_bytes()).unwrap(),
            r#"{"body":{"a":1},"deliberation":true,"kind":"case_note","profile":"nonidentifiable","record_id":"p","revision":2,"revision_mac":"mac"}"#
        );
        let s = Snapshot::identifiable(
            "r".into(),
            RecordKind::CallReview,
            1,
            "h".into(),
            json!({}),
            vec![SnapshotAttachment {
                attachment_id: "a".into(),
                name: "n.pdf".into(),
                media_type: "application/pdf".into(),
                size: 3,
                sha256: "s".into(),
            }],
        );
        assert_eq!(
            String::from_utf8(s.canonical_bytes()).unwrap(),
            r#"{"attachments":[{"attachment_id":"a","media_type":"application/pdf","name":"n.pdf","sha256":"s","size":3}],"body":{},"deliberation":false,"kind":"call_review","profile":"identifiable","record_id":"r","revision":1,"revision_hash":"h"}"#
        );
        assert_eq!(Snapshot::parse(&s.canonical_bytes()).unwrap(), s);
    }

    #[test]
    fn bytes_that_are_not_a_snapshot_say_which_way() {
        assert_eq!(Snapshot::parse(b"{not json"), Err(SnapshotError::NotJson));
        assert!(matches!(
            Snapshot::parse(br#"{"record_id":"r"}"#),
            Err(SnapshotError::Shape(_))
        ));
        assert!(matches!(
            Snapshot::parse(
                br#"{"record_id":"r","kind":"case_note","revision":1,"profile":"identifiable","deliberation":true,"body":{},"extra":1}"#
            ),
            Err(SnapshotError::Shape(_))
        ));
    }
}
