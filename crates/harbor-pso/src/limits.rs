//! What one agency may hold of the PSO at a time, so that no agency (a broken vault or a
//! hostile one) can stall the others: bounds on what a manifest declares, per-agency
//! quotas on open submissions and on the bytes they declare, an expiry for submissions
//! left open, and the server's timeouts and connection cap. Every bound is checked with
//! checked arithmetic before anything is stored. `docs/protocol.md` lists the defaults and
//! `harbor-pso serve --help` the flags that change them.

use std::time::Duration;

/// The limits the server applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Items one manifest may declare.
    pub max_items: usize,
    /// Attachments one manifest may declare (over all its items).
    pub max_attachments: usize,
    /// Largest snapshot (plaintext bytes) an item may declare.
    pub max_item_bytes: u64,
    /// Largest attachment (plaintext bytes) a manifest may declare.
    pub max_attachment_bytes: u64,
    /// Submissions one agency may have open (created, not yet committed) at once.
    pub max_open_submissions: u64,
    /// Sealed bytes the open submissions of one agency may declare together.
    pub max_open_bytes: u64,
    /// How long a submission may stay open; past that it is discarded with its parts.
    pub open_expiry: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// How long one request may take, body included, before it is answered 408.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_items: 10_000,
            max_attachments: 10_000,
            max_item_bytes: 16 * 1024 * 1024,
            max_attachment_bytes: 4 * 1024 * 1024 * 1024,
            max_open_submissions: 8,
            max_open_bytes: 64 * 1024 * 1024 * 1024,
            open_expiry: Duration::from_secs(7 * 24 * 3600),
            max_connections: 256,
            request_timeout: Duration::from_secs(300),
        }
    }
}

/// Why a manifest declares more than the limits allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// Too many items or attachments, or one too large.
    #[error("the manifest declares {what} {got}, more than the {limit} this PSO accepts")]
    TooLarge {
        /// What ("items", "attachments", "an item of bytes", ...).
        what: &'static str,
        /// What the manifest declares.
        got: u64,
        /// The limit.
        limit: u64,
    },
}

/// What a manifest declares, summed with checked arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared {
    /// Sealed bytes of all its parts.
    pub sealed_bytes: u64,
}

impl Limits {
    /// Checks what `manifest` declares against the limits; its sealed bytes if within.
    pub fn check_manifest(&self, m: &harbor_protocol::Manifest) -> Result<Declared, LimitError> {
        let too = |what, got: u64, limit: u64| LimitError::TooLarge { what, got, limit };
        if m.items.len() > self.max_items {
            return Err(too("items", m.items.len() as u64, self.max_items as u64));
        }
        let attachments: usize = m.items.iter().map(|i| i.attachments.len()).sum();
        if attachments > self.max_attachments {
            return Err(too(
                "attachments",
                attachments as u64,
                self.max_attachments as u64,
            ));
        }
        let mut sealed_bytes = 0u64;
        for item in &m.items {
            if item.size > self.max_item_bytes {
                return Err(too("an item of bytes", item.size, self.max_item_bytes));
            }
            let len = harbor_protocol::sealed_item_len(item.size).ok_or(too(
                "an item of bytes",
                item.size,
                self.max_item_bytes,
            ))?;
            sealed_bytes = sealed_bytes.saturating_add(len);
            for a in &item.attachments {
                if a.size > self.max_attachment_bytes {
                    return Err(too(
                        "an attachment of bytes",
                        a.size,
                        self.max_attachment_bytes,
                    ));
                }
                let len = harbor_protocol::checked_sealed_len(a.size).ok_or(too(
                    "an attachment of bytes",
                    a.size,
                    self.max_attachment_bytes,
                ))?;
                sealed_bytes = sealed_bytes.saturating_add(len);
            }
        }
        // Within the per-agency quota, or refused as a whole by it: a sum that saturated
        // is beyond any quota.
        if sealed_bytes > self.max_open_bytes {
            return Err(too("sealed bytes", sealed_bytes, self.max_open_bytes));
        }
        Ok(Declared { sealed_bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(item_size: u64, attachment_size: u64) -> harbor_protocol::Manifest {
        let id = "01900000-0000-7000-8000-000000000001".to_owned();
        harbor_protocol::Manifest {
            protocol: harbor_protocol::PROTOCOL.into(),
            submission_id: id.clone(),
            agency_id: "agency-1".into(),
            created_at: "2026-12-02T10:00:00Z".into(),
            schema_versions: Default::default(),
            items: vec![harbor_protocol::ManifestItem {
                item_id: id.clone(),
                record_id: id.clone(),
                kind: "call_review".into(),
                revision: 1,
                profile: "identifiable".into(),
                sha256: "00".repeat(32),
                size: item_size,
                amends: None,
                attachments: vec![harbor_protocol::ManifestAttachment {
                    blob_id: id.clone(),
                    attachment_id: id,
                    media_type: "text/plain".into(),
                    sha256: "00".repeat(32),
                    size: attachment_size,
                }],
            }],
            audit_head: "00".repeat(32),
            blob_cipher: harbor_protocol::BlobCipher::CURRENT,
            encapsulated_key: None,
        }
    }

    #[test]
    fn declared_sizes_near_the_top_of_u64_are_refused_not_wrapped() {
        let limits = Limits {
            max_item_bytes: u64::MAX,
            max_attachment_bytes: u64::MAX,
            max_open_bytes: u64::MAX - 1,
            ..Limits::default()
        };
        for (item, attachment) in [
            (u64::MAX, 1),
            (u64::MAX - 47, 1),
            (1, u64::MAX),
            (1, u64::MAX - 40),
        ] {
            assert!(
                limits.check_manifest(&manifest(item, attachment)).is_err(),
                "{item} {attachment}"
            );
        }
        let d = Limits::default();
        assert_eq!(
            d.check_manifest(&manifest(100, 10)).unwrap().sealed_bytes,
            100 + 48 + harbor_protocol::sealed_len(10)
        );
        assert!(
            d.check_manifest(&manifest(d.max_item_bytes + 1, 0))
                .is_err()
        );
        assert!(
            d.check_manifest(&manifest(1, d.max_attachment_bytes + 1))
                .is_err()
        );
    }
}
