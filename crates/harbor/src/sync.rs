//! Enrolment with the PSO and submission of the outbox: exactly once, whatever the network
//! or the machine does. The submission (manifest, sealed items) is written into the vault
//! before the first byte leaves, so a crash or a failed network resumes the same
//! submission with the same bytes; the server's receipt is verified with the pinned PSO key
//! before anything is marked reported.

use crate::{HarborError, Result, Session};
use harbor_core::Action;
use harbor_protocol::{
    AgencySigningKey, BlobCipher, BlobSealer, Manifest, ManifestAttachment, ManifestItem, PROTOCOL,
    SealRangeError, SignedManifest, SignedReceipt, SigningPublicKey, SubmissionKeys, UPLOAD_PIECE,
    batch_frame_len, push_batch_frame, sealed_len,
};

// An attachment's stored chunks are exactly the sealed blob's segments.
const _: () = assert!(harbor_vault::attachments::CHUNK_BYTES == harbor_protocol::SEGMENT);
use harbor_sync::{Piece, PsoClient, SyncError};
use harbor_vault::VaultError;
use harbor_vault::outbox::SubmissionBlob;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The PSO connection as the vault keeps it (inside the encrypted database).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PsoConfig {
    /// The PSO's URL.
    pub url: String,
    /// The agency's bearer token.
    pub token: String,
    /// The agency's id at the PSO.
    pub agency_id: String,
    /// The PSO's receipt key, pinned at enrolment (hex).
    pub pso_signing_key: String,
    /// The PSO's receiving key, pinned at enrolment (hex).
    pub pso_receive_key: String,
    /// A CA certificate to trust for this PSO (PEM), if given at enrolment.
    pub ca_pem: Option<String>,
}

/// What enrolment tells the person: where, as whom, and the PSO key now pinned (never the
/// token, which stays in the vault).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Enrolment {
    /// The PSO's address.
    pub url: String,
    /// The agency's id at the PSO.
    pub agency_id: String,
    /// The PSO's receipt-signing key, pinned (hex).
    pub pso_signing_key: String,
}

/// What a submission did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SubmitSummary {
    /// The submission id, if one was sent.
    pub submission_id: Option<String>,
    /// Items reported.
    pub reported: usize,
    /// Whether an interrupted submission was resumed.
    pub resumed: bool,
}

fn sync_err(e: SyncError) -> HarborError {
    if e.is_permanent() {
        HarborError::new(
            crate::ErrorCode::PsoRefused,
            format!(
                "{e}; nothing was lost: the records stay queued; fix the cause and run `harbor submit` again, which resumes the same submission"
            ),
        )
    } else {
        HarborError::new(crate::ErrorCode::PsoUnreachable, e.to_string())
    }
}

impl Session {
    pub(crate) fn pso_config(&self) -> Result<PsoConfig> {
        let text = self.vault.stored_document("pso")?.ok_or_else(|| {
            HarborError::new(crate::ErrorCode::NotEnrolled, "this vault is not enrolled with a PSO: run `harbor pso enroll --url URL --token TOKEN`")
        })?;
        serde_json::from_str(&text).map_err(|_| {
            VaultError::Corrupt("the stored PSO settings are not readable".into()).into()
        })
    }

    fn agency_key(&mut self) -> Result<AgencySigningKey> {
        if let Some(hex_secret) = self.vault.stored_document("agency_signing_key")? {
            let bytes: [u8; 32] = serde_json::from_str::<String>(&hex_secret)
                .ok()
                .and_then(|h| hex::decode(h).ok())
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    VaultError::Corrupt("the agency signing key is not readable".into())
                })?;
            return Ok(AgencySigningKey::from_secret(&bytes));
        }
        let key =
            AgencySigningKey::generate().map_err(|e| VaultError::BadSetting(e.to_string()))?;
        let doc = serde_json::to_string(&hex::encode(*key.secret())).expect("serialises");
        self.vault
            .store_document("agency_signing_key", &doc, "pso.agency_key_created")?;
        Ok(key)
    }

    fn client(&self, config: &PsoConfig) -> Result<PsoClient> {
        PsoClient::with_timeout(
            &config.url,
            &config.token,
            config.ca_pem.as_deref().map(str::as_bytes),
            std::time::Duration::from_secs(self.vault.pso_timeout_seconds()?),
        )
        .map_err(sync_err)
    }

    /// Enrols this vault with a PSO: fetches and pins its keys, registers the agency's
    /// signing key (created now if the vault has none). `ca_cert` is a PEM file of a CA
    /// to trust besides the system's (a PSO with its own certificate).
    pub fn pso_enroll(
        &mut self,
        url: &str,
        token: &str,
        ca_cert: Option<&Path>,
    ) -> Result<Enrolment> {
        self.require(Action::PsoSubmit)?;
        let ca_pem = ca_cert
            .map(|path| {
                std::fs::read_to_string(path).map_err(|source| {
                    HarborError::from(VaultError::Io {
                        action: "read",
                        path: path.to_owned(),
                        source,
                    })
                })
            })
            .transpose()?;
        let client =
            PsoClient::new(url, token, ca_pem.as_deref().map(str::as_bytes)).map_err(sync_err)?;
        let keys = client.keys().map_err(sync_err)?;
        if keys.protocol != PROTOCOL {
            return Err(HarborError::new(
                crate::ErrorCode::PsoRefused,
                format!("the PSO speaks {}, this Harbor {PROTOCOL}", keys.protocol),
            ));
        }
        let agency_key = self.agency_key()?;
        let agency_id = client
            .enroll(&agency_key.public().to_hex())
            .map_err(sync_err)?;
        let config = PsoConfig {
            url: url.to_owned(),
            token: token.to_owned(),
            agency_id,
            pso_signing_key: keys.signing_key,
            pso_receive_key: keys.receive_key,
            ca_pem,
        };
        let text = serde_json::to_string(&config).expect("serialises");
        self.vault.store_document("pso", &text, "pso.enroll")?;
        Ok(Enrolment {
            url: config.url,
            agency_id: config.agency_id,
            pso_signing_key: config.pso_signing_key,
        })
    }

    /// Sends everything queued as one submission (or resumes the interrupted one), verifies
    /// the receipt and marks each item reported. `progress` gets (bytes sent, bytes total).
    pub fn submit(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<SubmitSummary> {
        self.require(Action::PsoSubmit)?;
        let config = self.pso_config()?;
        let client = self.client(&config)?;
        let pso_key = SigningPublicKey::from_hex(&config.pso_signing_key)
            .map_err(|e| VaultError::Corrupt(e.to_string()))?;
        let (signed, sealed, blobs, resumed) = match self.vault.open_submission()? {
            Some(open) => {
                let signed: SignedManifest = serde_json::from_str(&open.row.manifest)
                    .map_err(|_| VaultError::Corrupt("a stored manifest is not readable".into()))?;
                (signed, open.items, open.blobs, true)
            }
            None => {
                let queued = self.vault.queued_items()?;
                if queued.is_empty() {
                    return Ok(SubmitSummary {
                        submission_id: None,
                        reported: 0,
                        resumed: false,
                    });
                }
                let submission_id = uuid::Uuid::now_v7().to_string();
                // One HPKE context for the whole submission; each part's key derives from it.
                let keys = SubmissionKeys::for_sender(
                    &config.pso_receive_key,
                    &submission_id,
                    BlobCipher::CURRENT,
                )
                .map_err(|e| VaultError::Corrupt(e.to_string()))?;
                let mut items = Vec::new();
                let mut sealed = Vec::new();
                let mut blobs = Vec::new();
                for (item, snapshot) in &queued {
                    let one = seal_one(&keys, item, snapshot)?;
                    sealed.push((one.item.item_id.clone(), one.sealed));
                    blobs.extend(one.blobs);
                    items.push(one.item);
                }
                let manifest = Manifest {
                    protocol: PROTOCOL.into(),
                    submission_id: submission_id.clone(),
                    agency_id: config.agency_id.clone(),
                    created_at: chrono::Utc::now()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    schema_versions: [(
                        "harbor-vault".to_owned(),
                        harbor_vault::SCHEMA_VERSION.to_string(),
                    )]
                    .into(),
                    items,
                    audit_head: self.vault.audit_head()?,
                    blob_cipher: BlobCipher::CURRENT,
                    encapsulated_key: Some(keys.encapsulated_key()),
                };
                let signed = manifest.sign(&self.agency_key()?);
                let text = serde_json::to_string(&signed).expect("serialises");
                self.vault
                    .start_submission(&submission_id, &text, &sealed, &blobs)?;
                (signed, sealed, blobs, false)
            }
        };
        let id = signed.manifest.submission_id.clone();
        let created = client.create(&signed).map_err(sync_err)?;
        let receipt = match created.receipt {
            Some(receipt) => receipt,
            None => {
                self.upload_all(&client, &signed, sealed, blobs, created.new, progress)?;
                client.commit(&id).map_err(sync_err)?
            }
        };
        verify_receipt(&receipt, &pso_key, &signed)?;
        let text = serde_json::to_string(&receipt).expect("serialises");
        let reported = self.vault.complete_submission(&id, &text, &config.url)?;
        Ok(SubmitSummary {
            submission_id: Some(id),
            reported,
            resumed,
        })
    }

    /// Uploads every item and attachment blob of a submission, resuming each from what the
    /// server holds: items from their sealed bytes, attachment blobs re-sealed from the
    /// vault's chunks with their stored sealer secret as they go.
    fn upload_all(
        &self,
        client: &PsoClient,
        signed: &SignedManifest,
        rows: Vec<harbor_vault::outbox::SealedItemBytes>,
        blob_rows: Vec<SubmissionBlob>,
        fresh: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<()> {
        let id = &signed.manifest.submission_id;
        let rows: std::collections::HashMap<String, Vec<u8>> = rows.into_iter().collect();
        let row = |key: &str| {
            rows.get(key).ok_or_else(|| {
                HarborError::from(VaultError::Corrupt(format!(
                    "the open submission lacks its part {key}"
                )))
            })
        };
        let blobs: Vec<&ManifestAttachment> = signed
            .manifest
            .items
            .iter()
            .flat_map(|i| &i.attachments)
            .collect();
        let total: u64 = signed
            .manifest
            .items
            .iter()
            .map(|i| i.size + harbor_protocol::ITEM_OVERHEAD)
            .sum::<u64>()
            + blobs.iter().map(|b| sealed_len(b.size)).sum::<u64>();
        // Every part in manifest order: items from their sealed bytes, blobs re-sealed from
        // the vault's chunks.
        let mut parts: Vec<(&str, u64, Part<'_>)> = Vec::new();
        for item in &signed.manifest.items {
            let bytes = row(&item.item_id)?;
            parts.push((&item.item_id, bytes.len() as u64, Part::Item(bytes)));
        }
        for blob in blobs {
            let secret = blob_rows
                .iter()
                .find(|b| b.blob_id == blob.blob_id && b.attachment_id == blob.attachment_id)
                .ok_or_else(|| {
                    VaultError::Corrupt(format!(
                        "the open submission lacks its attachment blob {}",
                        blob.blob_id
                    ))
                })?;
            let sealer = BlobSealer::from_secret(
                signed.manifest.blob_cipher,
                &secret.secret,
                id,
                &blob.blob_id,
                blob.size,
            )
            .map_err(|e| VaultError::Corrupt(e.to_string()))?;
            parts.push((&blob.blob_id, sealer.sealed_len(), Part::Blob(blob, sealer)));
        }
        let vault = &self.vault;
        let piece = |part: &Part<'_>, offset: u64| -> std::result::Result<Vec<u8>, String> {
            match part {
                Part::Item(bytes) => {
                    let start = offset as usize;
                    Ok(bytes[start..(start + harbor_sync::CHUNK).min(bytes.len())].to_vec())
                }
                Part::Blob(blob, sealer) => sealer
                    .sealed_range(offset, UPLOAD_PIECE, &mut |i, buf| {
                        vault.attachment_chunk_into(&blob.attachment_id, i, buf)
                    })
                    .map_err(|e| match e {
                        SealRangeError::Read(e) => e.to_string(),
                        SealRangeError::Seal(_) => format!(
                            "attachment {} no longer has its declared size",
                            blob.attachment_id
                        ),
                    }),
            }
        };
        if fresh {
            // A new submission: stream every piece, reading and sealing the next while the
            // current one travels. At the first hiccup, fall back to resuming part by part.
            let (mut index, mut offset) = (0usize, 0u64);
            let mut next = || {
                while index < parts.len() && offset >= parts[index].1 {
                    index += 1;
                    offset = 0;
                }
                // Items that fit whole go together, a request's worth at a time.
                let mut body = Vec::new();
                let mut bytes = 0u64;
                while let Some((id, len, Part::Item(item))) = parts.get(index) {
                    let frame = batch_frame_len(id.len(), item.len());
                    if offset != 0 || body.len() + frame > harbor_sync::CHUNK {
                        break;
                    }
                    push_batch_frame(&mut body, id, 0, item);
                    bytes += len;
                    index += 1;
                }
                if !body.is_empty() {
                    return Some(Ok(Piece::Batch { body, bytes }));
                }
                let (part_id, _, part) = parts.get(index)?;
                Some(piece(part, offset).map(|bytes| {
                    let at = offset;
                    offset += bytes.len() as u64;
                    Piece::Part {
                        part: (*part_id).to_owned(),
                        offset: at,
                        bytes,
                    }
                }))
            };
            let all = client
                .upload_stream(id, &mut next, &mut |sent| progress(sent, total))
                .map_err(sync_err)?;
            if all {
                return Ok(());
            }
        }
        let mut done = 0u64;
        for (part_id, len, part) in &parts {
            client
                .upload_from(
                    id,
                    part_id,
                    *len,
                    false,
                    &mut |offset| piece(part, offset),
                    &mut |have| progress(done + have, total),
                )
                .map_err(sync_err)?;
            done += len;
        }
        Ok(())
    }

    /// The PSO's aggregate feedback: this agency's reported items by kind, event type,
    /// harm and EMS category, beside the other agencies' (small cells suppressed; see
    /// `docs/protocol.md`).
    pub fn pso_feedback(&mut self) -> Result<harbor_protocol::Feedback> {
        self.require(Action::RecordList)?;
        let config = self.pso_config()?;
        let feedback = self.client(&config)?.feedback().map_err(sync_err)?;
        self.vault
            .audit("pso.feedback", None, serde_json::json!({}))?;
        Ok(feedback)
    }

    /// Every submission, newest first.
    pub fn submissions(&mut self) -> Result<Vec<harbor_vault::outbox::SubmissionRow>> {
        self.require(Action::RecordList)?;
        Ok(self.vault.submissions()?)
    }
}

/// One part of a submission to upload.
enum Part<'a> {
    /// A sealed item's bytes.
    Item(&'a [u8]),
    /// An attachment blob and what re-seals it.
    Blob(&'a ManifestAttachment, BlobSealer),
}

/// One queued item made ready to send: its manifest entry, its sealed bytes and its
/// attachment blobs (with the secrets that re-seal them identically on resume).
struct SealedQueued {
    item: ManifestItem,
    sealed: Vec<u8>,
    blobs: Vec<SubmissionBlob>,
}

/// Seals a queued item with its submission's keys and sets up a sealer for each of its
/// attachments.
fn seal_one(
    keys: &SubmissionKeys,
    item: &harbor_vault::outbox::OutboxItem,
    snapshot: &str,
) -> Result<SealedQueued> {
    let sealed = keys
        .seal_item(&item.id, snapshot.as_bytes())
        .map_err(|e| VaultError::Corrupt(e.to_string()))?;
    // The vault wrote it from the same type; its reason is not repeated (serde's may
    // quote a value).
    let frozen = harbor_protocol::Snapshot::parse(snapshot.as_bytes())
        .map_err(|_| VaultError::Corrupt("a queued snapshot is not readable".into()))?;
    let mut attachments = Vec::new();
    let mut blobs = Vec::new();
    for a in &frozen.attachments {
        let attachment = ManifestAttachment {
            blob_id: uuid::Uuid::now_v7().to_string(),
            attachment_id: a.attachment_id.clone(),
            media_type: a.media_type.clone(),
            sha256: a.sha256.clone(),
            size: a.size,
        };
        // The blob's row keeps the sealer's secret, not the sealed bytes: a gigabyte is
        // re-sealed piece by piece, identically, on resume.
        let sealer = keys
            .blob_sealer(&attachment.blob_id, attachment.size)
            .map_err(|e| VaultError::Corrupt(e.to_string()))?;
        blobs.push(SubmissionBlob {
            blob_id: attachment.blob_id.clone(),
            item_id: item.id.clone(),
            attachment_id: attachment.attachment_id.clone(),
            secret: sealer.secret().to_vec(),
        });
        attachments.push(attachment);
    }
    Ok(SealedQueued {
        item: ManifestItem {
            item_id: item.id.clone(),
            // What the frozen snapshot names: a nonidentifiable one, its pseudonymous id.
            record_id: frozen.record_id.clone(),
            kind: frozen.kind.as_str().to_owned(),
            revision: item.revision,
            profile: item.profile.clone(),
            sha256: item.snapshot_hash.clone(),
            size: snapshot.len() as u64,
            amends: item.amends.clone(),
            attachments,
        },
        sealed,
        blobs,
    })
}

/// A receipt counts only if the pinned PSO key signed it, it names this submission and
/// acknowledges every item with the hash the manifest declared, and it saw this audit head.
fn verify_receipt(
    receipt: &SignedReceipt,
    pso: &SigningPublicKey,
    signed: &SignedManifest,
) -> Result<()> {
    let bad = |why: &str| {
        HarborError::new(
            crate::ErrorCode::BadReceipt,
            format!("the PSO's receipt is rejected: {why}; nothing was marked reported"),
        )
    };
    let r = receipt.verify(pso).map_err(|e| bad(&e.to_string()))?;
    let m = &signed.manifest;
    if r.submission_id != m.submission_id || r.audit_head != m.audit_head {
        return Err(bad("it names another submission or audit head"));
    }
    let mut expected: Vec<(&str, &str)> = m
        .items
        .iter()
        .map(|i| (i.item_id.as_str(), i.sha256.as_str()))
        .chain(
            m.items
                .iter()
                .flat_map(|i| &i.attachments)
                .map(|a| (a.blob_id.as_str(), a.sha256.as_str())),
        )
        .collect();
    let mut got: Vec<(&str, &str)> = r
        .items
        .iter()
        .map(|i| (i.item_id.as_str(), i.sha256.as_str()))
        .collect();
    expected.sort();
    got.sort();
    if expected != got {
        return Err(bad("its item hashes differ from the manifest"));
    }
    Ok(())
}
