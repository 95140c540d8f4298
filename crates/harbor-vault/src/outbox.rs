//! Promotion to PSWP and the outbox. Promotion freezes a canonical snapshot of the record
//! (de-identified for the nonidentifiable profile) with its hash, records
//! `promoted_pswp` in the record's PSES ledger and queues the snapshot in the outbox, all
//! in one transaction. Un-queueing is logged the same way. Submission to the PSO (which
//! marks items reported) comes with the sync module.

use crate::records::{current, load_meta};
use crate::{Result, UnlockedVault, VaultError, audit, time};
use harbor_core::pses::{self, PsesState, PsesTransition};
use harbor_protocol::{Snapshot, SnapshotAttachment};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

/// A snapshot ready to be frozen: what the service built for one record.
#[derive(Debug, Clone)]
pub struct Promotion {
    /// The record.
    pub record_id: String,
    /// The revision the snapshot was built from (refused if the record moved on since).
    pub revision: i64,
    /// `identifiable` or `nonidentifiable`.
    pub profile: String,
    /// The body as it will leave (de-identified for the nonidentifiable profile).
    pub body: Value,
    /// The field-by-field report of what was removed or generalised.
    pub report: Value,
    /// The record's attachments that leave with the snapshot (by id); refused if one
    /// belongs to another record.
    pub attachments: Vec<String>,
    /// The PSO the snapshot is for (its pinned receipt key, or "" when none is enrolled):
    /// a nonidentifiable snapshot carries the record's pseudonymous id toward it.
    pub pso: String,
}

/// One outbox item.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OutboxItem {
    /// The item's id (UUIDv7; doubles as the idempotency key).
    pub id: String,
    /// The record.
    pub record_id: String,
    /// The record's revision frozen.
    pub revision: i64,
    /// The profile.
    pub profile: String,
    /// SHA-256 of the canonical snapshot.
    pub snapshot_hash: String,
    /// The earlier reported item this one amends, if any.
    pub amends: Option<String>,
    /// `queued`, `unqueued` or `reported`.
    pub state: String,
    /// When it was promoted.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Who promoted it.
    pub created_by: String,
}

impl UnlockedVault {
    /// The current body and revision hash of a record, without an audited read (for
    /// building a promotion preview, which is audited as such).
    pub fn current_body(&self, id: &str) -> Result<(crate::records::RecordMeta, String, Value)> {
        let meta = load_meta(&self.conn, id)?;
        let (hash, body) = current(&self.conn, &meta)?;
        Ok((meta, hash, body))
    }

    /// Freezes and queues the snapshots, all in one transaction (all or none).
    pub fn promote(&mut self, promotions: Vec<Promotion>) -> Result<Vec<OutboxItem>> {
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        let mut ids = Vec::new();
        for p in promotions {
            let meta = load_meta(&tx, &p.record_id)?;
            if meta.revision != p.revision {
                return Err(VaultError::BadSetting(format!(
                    "record {} changed while the promotion was being prepared: preview it again",
                    p.record_id
                )));
            }
            let state = PsesState::parse(&meta.pses_state)
                .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?;
            let last_reported: Option<(String, i64)> = tx
                .query_row(
                    "SELECT id, revision FROM outbox WHERE record_id = ?1 AND state = 'reported'
                     ORDER BY created_at DESC LIMIT 1",
                    [&p.record_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let changed = last_reported
                .as_ref()
                .is_none_or(|(_, rev)| *rev != meta.revision);
            let next = pses::next_state(
                state,
                PsesTransition::Promote {
                    changed_since_report: changed,
                },
            )?;
            let (revision_hash, _) = current(&tx, &meta)?;
            let mut attachments = Vec::with_capacity(p.attachments.len());
            for att_id in &p.attachments {
                let att = crate::attachments::attachment_in(&tx, att_id)?;
                if att.record_id != p.record_id {
                    return Err(VaultError::BadSetting(format!(
                        "attachment {att_id} belongs to another record"
                    )));
                }
                attachments.push(SnapshotAttachment {
                    attachment_id: att.id,
                    name: att.name,
                    media_type: att.media_type,
                    size: att.size,
                    sha256: att.sha256,
                });
            }
            let snapshot = if p.profile == "nonidentifiable" {
                Snapshot::nonidentifiable(
                    crate::pseudonyms::pseudonym(&tx, &p.record_id, &p.pso)?,
                    meta.kind,
                    meta.revision,
                    crate::pseudonyms::keyed_revision_hash(&tx, &revision_hash)?,
                    p.body,
                    attachments,
                )
            } else {
                Snapshot::identifiable(
                    p.record_id.clone(),
                    meta.kind,
                    meta.revision,
                    revision_hash,
                    p.body,
                    attachments,
                )
            };
            let canonical = snapshot.canonical_bytes();
            let hash = harbor_core::canonical::sha256_hex(&canonical);
            let id = uuid::Uuid::now_v7().to_string();
            let now = time::now();
            let at = time::to_text(now);
            tx.execute(
                "INSERT INTO outbox (id, record_id, revision, profile, snapshot, snapshot_hash, amends, state, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?9)",
                params![
                    id,
                    p.record_id,
                    meta.revision,
                    p.profile,
                    String::from_utf8(canonical).expect("canonical JSON is UTF-8"),
                    hash,
                    last_reported.as_ref().map(|(i, _)| i.clone()),
                    at,
                    actor
                ],
            )?;
            tx.execute(
                "UPDATE records SET pses_state = ?2, updated_at = ?3 WHERE id = ?1",
                params![p.record_id, next.as_str(), at],
            )?;
            tx.execute(
                "INSERT INTO pses_events (record_id, event, at, by_user, detail) VALUES (?1, 'promoted_pswp', ?2, ?3, ?4)",
                params![
                    p.record_id,
                    at,
                    actor,
                    json!({"snapshot_hash": hash, "profile": p.profile, "outbox_id": id, "revision": meta.revision,
                           "amends": last_reported.as_ref().map(|(i, _)| i), "report": p.report})
                    .to_string()
                ],
            )?;
            audit::append(
                &tx,
                now,
                &actor,
                "pses.promote",
                Some(&p.record_id),
                json!({"outbox_id": id, "snapshot_hash": hash, "profile": p.profile, "from": state, "to": next}),
            )?;
            ids.push(id);
        }
        tx.commit()?;
        ids.iter().map(|id| self.outbox_item(id)).collect()
    }

    /// Takes a queued snapshot back out of the outbox (logged in the ledger and the audit).
    pub fn unqueue(&mut self, record_id: &str, reason: &str) -> Result<OutboxItem> {
        let meta = load_meta(&self.conn, record_id)?;
        let state = PsesState::parse(&meta.pses_state)
            .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?;
        let next = pses::next_state(state, PsesTransition::Unqueue)?;
        let item: String = self
            .conn
            .query_row(
                "SELECT id FROM outbox WHERE record_id = ?1 AND state = 'queued' ORDER BY created_at DESC LIMIT 1",
                [record_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(harbor_core::PsesError::NotQueued)?;
        let actor = self.actor.name.clone();
        let now = time::now();
        let at = time::to_text(now);
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE outbox SET state = 'unqueued' WHERE id = ?1",
            [&item],
        )?;
        tx.execute(
            "UPDATE records SET pses_state = ?2, updated_at = ?3 WHERE id = ?1",
            params![record_id, next.as_str(), at],
        )?;
        tx.execute(
            "INSERT INTO pses_events (record_id, event, at, by_user, detail) VALUES (?1, 'unqueued', ?2, ?3, ?4)",
            params![record_id, at, actor, json!({"outbox_id": item, "reason": reason}).to_string()],
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "pses.unqueue",
            Some(record_id),
            json!({"outbox_id": item, "from": state, "to": next}),
        )?;
        tx.commit()?;
        self.outbox_item(&item)
    }

    /// One outbox item.
    pub fn outbox_item(&self, id: &str) -> Result<OutboxItem> {
        self.conn
            .query_row(
                "SELECT id, record_id, revision, profile, snapshot_hash, amends, state, created_at, created_by
                 FROM outbox WHERE id = ?1",
                [id],
                item_from_row,
            )
            .optional()?
            .ok_or_else(|| VaultError::NotFound { what: "outbox item", id: id.to_owned() })
    }

    /// The outbox, newest first (all states).
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, record_id, revision, profile, snapshot_hash, amends, state, created_at, created_by
             FROM outbox ORDER BY id DESC",
        )?;
        let items = stmt
            .query_map([], item_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(items)
    }

    /// The frozen canonical snapshot of an outbox item.
    pub fn outbox_snapshot(&self, id: &str) -> Result<String> {
        self.conn
            .query_row("SELECT snapshot FROM outbox WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| VaultError::NotFound {
                what: "outbox item",
                id: id.to_owned(),
            })
    }
}

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.get(0)?,
        record_id: r.get(1)?,
        revision: r.get(2)?,
        profile: r.get(3)?,
        snapshot_hash: r.get(4)?,
        amends: r.get(5)?,
        state: r.get(6)?,
        created_at: time::from_text(&r.get::<_, String>(7)?),
        created_by: r.get(8)?,
    })
}

/// Counts for the status view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Counts {
    /// Records by PSES state.
    pub by_pses_state: std::collections::BTreeMap<String, i64>,
    /// Call reviews not started (flagged and waiting).
    pub reviews_not_started: i64,
    /// Snapshots waiting in the outbox.
    pub queued: i64,
}

impl UnlockedVault {
    /// Counts of records by PSES state, reviews waiting and snapshots queued.
    pub fn counts(&self) -> Result<Counts> {
        let mut stmt = self
            .conn
            .prepare("SELECT pses_state, count(*) FROM records GROUP BY pses_state")?;
        let by_pses_state = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let reviews_not_started = self.conn.query_row(
            "SELECT count(*) FROM records WHERE kind = 'call_review' AND status = 'not_started'",
            [],
            |r| r.get(0),
        )?;
        let queued = self.conn.query_row(
            "SELECT count(*) FROM outbox WHERE state = 'queued'",
            [],
            |r| r.get(0),
        )?;
        Ok(Counts {
            by_pses_state,
            reviews_not_started,
            queued,
        })
    }
}

/// An outbox item id and its sealed bytes (`enc || ciphertext`), as uploaded.
pub type SealedItemBytes = (String, Vec<u8>);

/// An attachment blob of a submission: what re-seals it, identically, on every attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionBlob {
    /// The blob's upload id.
    pub blob_id: String,
    /// The outbox item it goes with.
    pub item_id: String,
    /// The attachment.
    pub attachment_id: String,
    /// The sealer's secret (encapsulated key and stream key).
    pub secret: Vec<u8>,
}

/// A submission still being sent: its row, the sealed items and the attachment blobs.
#[derive(Debug, Clone)]
pub struct OpenSubmission {
    /// The submission.
    pub row: SubmissionRow,
    /// Its items' sealed bytes.
    pub items: Vec<SealedItemBytes>,
    /// Its attachment blobs.
    pub blobs: Vec<SubmissionBlob>,
}

/// A submission as the vault keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SubmissionRow {
    /// The submission id.
    pub id: String,
    /// `open` (being sent) or `committed` (receipt stored).
    pub state: String,
    /// The signed manifest (JSON).
    pub manifest: String,
    /// The signed receipt (JSON), once committed.
    pub receipt: Option<String>,
    /// When it was assembled.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Who assembled it (and so sent it).
    pub created_by: String,
    /// When the receipt was stored.
    pub committed_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl UnlockedVault {
    /// The queued outbox items with their frozen snapshots, oldest first.
    pub fn queued_items(&self) -> Result<Vec<(OutboxItem, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, snapshot FROM outbox WHERE state = 'queued' ORDER BY id")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, snap)| Ok((self.outbox_item(&id)?, snap)))
            .collect()
    }

    /// Records a submission about to be sent: its manifest and sealed items, the items
    /// taken out of the queue into it, in one transaction.
    pub fn start_submission(
        &mut self,
        id: &str,
        manifest: &str,
        sealed: &[(String, Vec<u8>)],
        blobs: &[SubmissionBlob],
    ) -> Result<()> {
        let actor = self.actor.name.clone();
        let now = time::now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO submissions (id, state, manifest, created_at, created_by) VALUES (?1, 'open', ?2, ?3, ?4)",
            params![id, manifest, time::to_text(now), actor],
        )?;
        // Statements prepared once for the thousands of rows of a large submission.
        for (item, bytes) in sealed {
            tx.prepare_cached(
                "INSERT INTO submission_items (submission_id, item_id, sealed) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, item, bytes])?;
            let n = tx
                .prepare_cached(
                    "UPDATE outbox SET state = 'in_flight', submission_id = ?2 WHERE id = ?1 AND state = 'queued'",
                )?
                .execute(params![item, id])?;
            if n != 1 {
                return Err(VaultError::BadSetting(format!(
                    "outbox item {item} is no longer queued"
                )));
            }
        }
        for b in blobs {
            tx.prepare_cached(
                "INSERT INTO submission_blobs (submission_id, blob_id, item_id, attachment_id, secret) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, b.blob_id, b.item_id, b.attachment_id, b.secret])?;
        }
        audit::append(
            &tx,
            now,
            &actor,
            "pso.submission_start",
            Some(id),
            json!({"items": sealed.len(), "attachments": blobs.len()}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The submission still being sent, if any (after a crash or a failed network).
    pub fn open_submission(&self) -> Result<Option<OpenSubmission>> {
        let Some(row) = self
            .conn
            .query_row(
                "SELECT id, state, manifest, receipt, created_at, committed_at, created_by FROM submissions WHERE state = 'open' ORDER BY id LIMIT 1",
                [],
                submission_from_row,
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare("SELECT item_id, sealed FROM submission_items WHERE submission_id = ?1 ORDER BY item_id")?;
        let items = stmt
            .query_map([&row.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT blob_id, item_id, attachment_id, secret FROM submission_blobs WHERE submission_id = ?1 ORDER BY blob_id",
        )?;
        let blobs = stmt
            .query_map([&row.id], |r| {
                Ok(SubmissionBlob {
                    blob_id: r.get(0)?,
                    item_id: r.get(1)?,
                    attachment_id: r.get(2)?,
                    secret: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(OpenSubmission { row, items, blobs }))
    }

    /// Stores the verified receipt and marks every item of the submission reported: the
    /// outbox, the record's PSES state, its ledger (date, PSO, submission, receipt hash)
    /// and the audit (a disclosure: recipient and purpose), in one transaction.
    pub fn complete_submission(
        &mut self,
        id: &str,
        receipt_json: &str,
        pso: &str,
    ) -> Result<usize> {
        let actor = self.actor.name.clone();
        let now = time::now();
        let at = time::to_text(now);
        let receipt_hash = harbor_core::canonical::sha256_hex(receipt_json.as_bytes());
        let tx = self.conn.transaction()?;
        let items: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT id, record_id, snapshot_hash FROM outbox WHERE submission_id = ?1 AND state = 'in_flight'",
            )?;
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (item, record, snapshot_hash) in &items {
            let meta = load_meta(&tx, record)?;
            let state = PsesState::parse(&meta.pses_state)
                .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?;
            let next = pses::next_state(state, PsesTransition::Report)?;
            // Statements prepared once for the thousands of rows of a large submission.
            tx.prepare_cached("UPDATE outbox SET state = 'reported' WHERE id = ?1")?
                .execute([item])?;
            tx.prepare_cached("UPDATE records SET pses_state = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![record, next.as_str(), at])?;
            tx.prepare_cached(
                "INSERT INTO pses_events (record_id, event, at, by_user, detail) VALUES (?1, 'reported', ?2, ?3, ?4)",
            )?
            .execute(params![
                record,
                at,
                actor,
                json!({"pso": pso, "submission_id": id, "outbox_id": item, "snapshot_hash": snapshot_hash, "receipt_sha256": receipt_hash}).to_string()
            ])?;
        }
        tx.execute(
            "UPDATE submissions SET state = 'committed', receipt = ?2, committed_at = ?3 WHERE id = ?1",
            params![id, receipt_json, at],
        )?;
        tx.execute(
            "DELETE FROM submission_items WHERE submission_id = ?1",
            [id],
        )?;
        tx.execute(
            "DELETE FROM submission_blobs WHERE submission_id = ?1",
            [id],
        )?;
        let mut reported: Vec<String> = items.iter().map(|(_, r, _)| r.clone()).collect();
        reported.sort();
        reported.dedup();
        crate::disclosures::log_in(
            &tx,
            now,
            &actor,
            &crate::disclosures::NewDisclosure {
                reference: Some(id),
                // Each record's ledger has its `reported` entry.
                records: &reported,
                ..crate::disclosures::NewDisclosure::now(
                    now,
                    harbor_core::disclosure::Channel::PsoSubmission,
                    pso,
                    harbor_core::disclosure::Permission::Pso,
                )
            },
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "pso.reported",
            Some(id),
            json!({"recipient": pso, "purpose": "reporting to the PSO", "items": items.len(), "receipt_sha256": receipt_hash}),
        )?;
        tx.commit()?;
        Ok(items.len())
    }

    /// Every submission, newest first.
    pub fn submissions(&self) -> Result<Vec<SubmissionRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, state, manifest, receipt, created_at, committed_at, created_by FROM submissions ORDER BY id DESC",
        )?;
        let rows = stmt
            .query_map([], submission_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The head of the audit chain (carried in every submission).
    pub fn audit_head(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| audit::GENESIS.to_owned()))
    }
}

fn submission_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SubmissionRow> {
    Ok(SubmissionRow {
        id: r.get(0)?,
        state: r.get(1)?,
        manifest: r.get(2)?,
        receipt: r.get(3)?,
        created_at: time::from_text(&r.get::<_, String>(4)?),
        committed_at: r.get::<_, Option<String>>(5)?.map(|t| time::from_text(&t)),
        created_by: r.get(6)?,
    })
}
