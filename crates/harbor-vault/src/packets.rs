//! Case packets, the vault's side: what a packet carries out, and how a received one is
//! merged. New records keep their id; their creator and author are kept as the sender's
//! claim (`name@contact`), and their dates are this vault's (the import), with the sender's
//! claimed dates beside them in the ledger. An edit made on this vault's current revision
//! becomes a new revision; an edit made on an older one is kept as a conflict beside the
//! current revision until a person resolves it. A carried ePCR revises only an ePCR this
//! vault received from the same contact. A packet seen before changes nothing.

use crate::records::{current_revision, load_meta, pses_event, write_revision};
use crate::{Result, UnlockedVault, VaultError, audit, time};
use chrono::{DateTime, Utc};
use harbor_core::RecordKind;
use harbor_core::merge::Merge;
use harbor_core::records::RecordBody;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use harbor_protocol::{PacketAttachment, PacketEpcr, PacketRecord};

/// What importing a packet did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PacketOutcome {
    /// The packet.
    pub packet_id: String,
    /// Whether this vault had imported it already (then nothing changed).
    pub already_imported: bool,
    /// Records new to this vault.
    pub added: Vec<String>,
    /// Records that got a new revision.
    pub revised: Vec<String>,
    /// Records whose edit was made on an older revision: kept as conflicts.
    pub conflicts: Vec<String>,
    /// Records identical to this vault's.
    pub unchanged: Vec<String>,
    /// Attachments added.
    pub attachments: usize,
}

/// An edit that arrived on an older revision, kept until a person resolves it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Conflict {
    /// Its id.
    pub id: String,
    /// The record.
    pub record_id: String,
    /// The revision the edit was made on.
    pub base_revision_hash: String,
    /// This vault's revision when the edit arrived.
    pub current_revision_hash: String,
    /// Who made the edit.
    pub author: String,
    /// The edited body.
    pub body: Value,
    /// The contact it came from.
    pub from_contact: String,
    /// When it arrived.
    pub at: DateTime<Utc>,
    /// How it was resolved (`kept_current` or `took_theirs`), once it was.
    pub resolution: Option<String>,
}

/// A record this vault received, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Received {
    /// The record.
    pub record_id: String,
    /// The contact it came from.
    pub from_contact: String,
    /// The sender's revision hash it was received at.
    pub origin_revision_hash: String,
    /// The packet it came in.
    pub packet_id: String,
    /// When.
    pub received_at: DateTime<Utc>,
    /// Whether the record was created in this vault and came back (edited) in a reply,
    /// rather than first arriving in a packet.
    pub returned: bool,
}

impl UnlockedVault {
    /// The records to put in a packet, with their current revision; for a record this
    /// vault received, the sender's revision it stands on (so the sender can tell an edit
    /// from a conflict). With `changed_only`, records received and not changed since are
    /// left out (a reply carries what is new or edited).
    pub fn packet_records(&self, ids: &[String], changed_only: bool) -> Result<Vec<PacketRecord>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let meta = load_meta(&self.conn, id)?;
            if meta.kind.is_original_record() {
                return Err(harbor_core::PsesError::OriginalRecord.into());
            }
            let (hash, body) = current_revision(&self.conn, id, meta.revision)?;
            let author: String = self.conn.query_row(
                "SELECT author FROM revisions WHERE record_id = ?1 AND rev = ?2",
                params![id, meta.revision],
                |r| r.get(0),
            )?;
            let origin: Option<(String, String)> = self
                .conn
                .query_row(
                    "SELECT origin_revision_hash, local_revision_hash FROM record_origins WHERE record_id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if changed_only && origin.as_ref().is_some_and(|(_, local)| *local == hash) {
                continue;
            }
            let entered: String = self.conn.query_row(
                "SELECT at FROM pses_events WHERE record_id = ?1 AND event = 'entered_pses' ORDER BY at LIMIT 1",
                [id],
                |r| r.get(0),
            ).optional()?.unwrap_or_else(|| time::to_text(meta.created_at));
            out.push(PacketRecord {
                record_id: id.clone(),
                kind: meta.kind,
                entered_at: time::from_text(&entered),
                created_by: meta.created_by,
                author,
                revision_hash: hash,
                base_revision_hash: origin.map(|(o, _)| o),
                body,
            });
        }
        Ok(out)
    }

    /// The attachments of these records, with their content (checked against its hash).
    pub fn packet_attachments(&self, ids: &[String]) -> Result<Vec<PacketAttachment>> {
        use sha2::Digest;
        let mut out = Vec::new();
        for id in ids {
            for att in self.list_attachments(id)? {
                let mut content = Vec::with_capacity(att.size as usize);
                let mut idx = 0;
                while (content.len() as u64) < att.size {
                    let before = content.len();
                    self.attachment_chunk_into(&att.id, idx, &mut content)?;
                    if content.len() == before {
                        return Err(VaultError::Corrupt(format!(
                            "attachment {} is shorter than its recorded size",
                            att.id
                        )));
                    }
                    idx += 1;
                }
                if hex::encode(sha2::Sha256::digest(&content)) != att.sha256 {
                    return Err(VaultError::Corrupt(
                        "an attachment's content does not match its SHA-256".into(),
                    ));
                }
                out.push(PacketAttachment {
                    attachment_id: att.id,
                    record_id: att.record_id,
                    name: att.name,
                    size: att.size,
                    sha256: att.sha256,
                    content,
                });
            }
        }
        Ok(out)
    }

    /// The ePCRs among `ids` and those the call reviews among them refer to, each once,
    /// with their original XML; leaving out those that came from `to_contact` (it has them)
    /// and references to ePCRs this vault does not hold.
    pub fn packet_epcrs(&self, ids: &[String], to_contact: &str) -> Result<Vec<PacketEpcr>> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for id in ids {
            let meta = load_meta(&self.conn, id)?;
            let epcr_id = match meta.kind {
                RecordKind::Epcr => Some(id.clone()),
                RecordKind::CallReview => {
                    let (_, body) = current_revision(&self.conn, id, meta.revision)?;
                    body["call"]["epcr_id"].as_str().map(str::to_owned)
                }
                _ => None,
            };
            let Some(epcr_id) = epcr_id else { continue };
            if !seen.insert(epcr_id.clone()) {
                continue;
            }
            let from: Option<String> = self
                .conn
                .query_row(
                    "SELECT origin_contact FROM record_origins WHERE record_id = ?1",
                    [&epcr_id],
                    |r| r.get(0),
                )
                .optional()?;
            if from.as_deref() == Some(to_contact) {
                continue;
            }
            let meta = match load_meta(&self.conn, &epcr_id) {
                Ok(m) if m.kind == RecordKind::Epcr => m,
                Ok(_) | Err(VaultError::NotFound { .. }) => continue,
                Err(e) => return Err(e),
            };
            let (hash, body) = current_revision(&self.conn, &epcr_id, meta.revision)?;
            let (file_name, xml): (String, String) = self.conn.query_row(
                "SELECT file_name, xml FROM epcr_sources WHERE record_id = ?1 AND rev = ?2",
                params![epcr_id, meta.revision],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            out.push(PacketEpcr {
                record_id: epcr_id,
                imported_at: meta.created_at,
                imported_by: meta.created_by,
                revision_hash: hash,
                file_name,
                body,
                xml,
            });
        }
        Ok(out)
    }

    /// Records a sent packet: in the packet log, in the audit, and as a dated disclosure
    /// within the PSES on every record it carries (to whom, when, why).
    pub fn log_packet_export(
        &mut self,
        packet_id: &str,
        to_contact: &str,
        purpose: &str,
        record_ids: &[String],
        sha256: &str,
    ) -> Result<()> {
        let actor = self.actor.name.clone();
        let now = time::now();
        let at = time::to_text(now);
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO packets (packet_id, direction, peer, at, by_user, records, sha256) VALUES (?1, 'out', ?2, ?3, ?4, ?5, ?6)",
            params![packet_id, to_contact, at, actor, record_ids.len() as i64, sha256],
        )?;
        for id in record_ids {
            pses_event(
                &tx,
                id,
                "disclosed_in_pses",
                &at,
                &actor,
                json!({"to": to_contact, "purpose": purpose, "packet_id": packet_id}),
            )?;
        }
        crate::disclosures::log_in(
            &tx,
            now,
            &actor,
            &crate::disclosures::NewDisclosure {
                reference: Some(packet_id),
                note: Some(purpose).filter(|p| !p.is_empty()),
                // Each record's ledger has its `disclosed_in_pses` entry.
                records: record_ids,
                ..crate::disclosures::NewDisclosure::now(
                    now,
                    harbor_core::disclosure::Channel::Packet,
                    to_contact,
                    harbor_core::disclosure::Permission::WithinPses,
                )
            },
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "packet.export",
            Some(packet_id),
            json!({"to": to_contact, "records": record_ids.len(), "purpose": purpose, "sha256": sha256}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Whether this vault has sent or received the packet already.
    pub fn packet_known(&self, packet_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM packets WHERE packet_id = ?1",
                [packet_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Merges a received packet, all in one transaction (all or nothing). The bodies must
    /// have been validated by the caller.
    pub fn import_packet(
        &mut self,
        packet_id: &str,
        from_contact: &str,
        epcrs: &[(PacketEpcr, RecordBody)],
        records: &[(PacketRecord, RecordBody)],
        attachments: &[PacketAttachment],
        sha256: &str,
    ) -> Result<PacketOutcome> {
        let mut outcome = PacketOutcome {
            packet_id: packet_id.to_owned(),
            ..Default::default()
        };
        if self.packet_known(packet_id)? {
            outcome.already_imported = true;
            return Ok(outcome);
        }
        let actor = self.actor.name.clone();
        let now = time::now();
        let at = time::to_text(now);
        check_claims(records, attachments, now, self.attachment_max_bytes()?)?;
        let tx = self.conn.transaction()?;
        let mut kept = Vec::new();
        // The calls first: the reviews refer to them.
        for (e, body) in epcrs {
            let Some(local_hash) = import_epcr(
                &tx,
                e,
                body,
                from_contact,
                packet_id,
                &actor,
                &at,
                &mut outcome,
                &mut kept,
            )?
            else {
                continue;
            };
            record_origin(
                &tx,
                &e.record_id,
                from_contact,
                &e.revision_hash,
                &local_hash,
                packet_id,
                &at,
            )?;
        }
        for (r, body) in records {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT current_rev FROM records WHERE id = ?1",
                    [&r.record_id],
                    |row| row.get(0),
                )
                .optional()?;
            // Names are the sender's: labelled with the contact, never a user of this vault.
            let created_by = claimed(&r.created_by, from_contact);
            let author = claimed(&r.author, from_contact);
            let local_hash = match existing {
                None => {
                    // This vault's dates are this vault's: the record was created, first
                    // revised and entered this vault's PSES when it was imported. The
                    // sender's entry date is its claim, kept in the ledger and never a
                    // date here (so a backdated claim backdates nothing).
                    tx.execute(
                        "INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev)
                         VALUES (?1, ?2, ?3, 'in_pses', ?4, ?5, ?6, ?5, 1)",
                        params![r.record_id, r.kind.as_str(), body.status(), body.title(), at, created_by],
                    )?;
                    let hash =
                        write_revision(&tx, &r.record_id, 1, body, &author, &at, audit::GENESIS)?;
                    pses_event(
                        &tx,
                        &r.record_id,
                        "entered_pses",
                        &at,
                        &created_by,
                        json!({"revision_hash": hash, "received_in_packet": packet_id,
                               "claimed_by_sender": true, "claimed_entered_at": time::to_text(r.entered_at),
                               "imported_at": at, "imported_by": actor}),
                    )?;
                    pses_event(
                        &tx,
                        &r.record_id,
                        "received_in_pses",
                        &at,
                        &actor,
                        json!({"from": from_contact, "packet_id": packet_id, "origin_revision_hash": r.revision_hash}),
                    )?;
                    outcome.added.push(r.record_id.clone());
                    hash
                }
                Some(rev) => {
                    let meta = load_meta(&tx, &r.record_id)?;
                    if meta.kind != r.kind {
                        return Err(VaultError::BadSetting(format!(
                            "the packet's record {} is a {}, this vault's a {}",
                            r.record_id, r.kind, meta.kind
                        )));
                    }
                    let (current_hash, current_body) = current_revision(&tx, &r.record_id, rev)?;
                    let merge = harbor_core::merge::merge(
                        &current_hash,
                        &current_body,
                        r.base_revision_hash.as_deref(),
                        &r.body,
                    );
                    if merge == Merge::Unchanged {
                        outcome.unchanged.push(r.record_id.clone());
                        current_hash
                    } else if merge == Merge::Edit {
                        harbor_core::PsesState::parse(&meta.pses_state)
                            .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?
                            .allows_edit()?;
                        let hash = write_revision(
                            &tx,
                            &r.record_id,
                            rev + 1,
                            body,
                            &author,
                            &at,
                            &current_hash,
                        )?;
                        tx.execute(
                            "UPDATE records SET status = ?2, title = ?3, updated_at = ?4, current_rev = ?5 WHERE id = ?1",
                            params![r.record_id, body.status(), body.title(), at, rev + 1],
                        )?;
                        pses_event(
                            &tx,
                            &r.record_id,
                            "revised_from_packet",
                            &at,
                            &actor,
                            json!({"from": from_contact, "packet_id": packet_id, "author": author, "revision_hash": hash}),
                        )?;
                        outcome.revised.push(r.record_id.clone());
                        hash
                    } else {
                        let id = uuid::Uuid::now_v7().to_string();
                        tx.execute(
                            "INSERT INTO conflicts (id, record_id, base_revision_hash, current_revision_hash, author, body, from_contact, packet_id, at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            params![id, r.record_id, r.base_revision_hash.clone().unwrap_or_default(), current_hash,
                                    author, r.body.to_string(), from_contact, packet_id, at],
                        )?;
                        outcome.conflicts.push(r.record_id.clone());
                        current_hash
                    }
                }
            };
            record_origin(
                &tx,
                &r.record_id,
                from_contact,
                &r.revision_hash,
                &local_hash,
                packet_id,
                &at,
            )?;
        }
        // A call that arrived with its review is that review's call here too.
        for (r, _) in records {
            if let Some(epcr) = r.body["call"]["epcr_id"].as_str() {
                tx.execute(
                    "UPDATE epcr_refs SET review_id = ?2 WHERE record_id = ?1 AND review_id IS NULL
                     AND EXISTS (SELECT 1 FROM records WHERE id = ?2)",
                    params![epcr, r.record_id],
                )?;
            }
        }
        for a in attachments {
            let known: bool = tx
                .query_row(
                    "SELECT 1 FROM attachments WHERE id = ?1",
                    [&a.attachment_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if known {
                continue;
            }
            // Carried in this packet (checked above) and open to edits here.
            let meta = load_meta(&tx, &a.record_id)?;
            let open = harbor_core::PsesState::parse(&meta.pses_state)
                .is_some_and(|s| s.allows_edit().is_ok());
            if !open {
                return Err(VaultError::PacketRefused(format!(
                    "attachment {} is for record {}, which is {} here and takes no attachments",
                    a.attachment_id, a.record_id, meta.pses_state
                )));
            }
            crate::attachments::insert_attachment_bytes(&tx, a, &at, &actor)?;
            outcome.attachments += 1;
        }
        tx.execute(
            "INSERT INTO packets (packet_id, direction, peer, at, by_user, records, sha256) VALUES (?1, 'in', ?2, ?3, ?4, ?5, ?6)",
            params![packet_id, from_contact, at, actor, records.len() as i64, sha256],
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "packet.import",
            Some(packet_id),
            json!({"from": from_contact, "added": outcome.added.len(), "revised": outcome.revised.len(), "epcrs": epcrs.len(),
                   "epcrs_kept": kept, "conflicts": outcome.conflicts.len(), "attachments": outcome.attachments,
                   "sha256": sha256}),
        )?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Conflicts, unresolved first.
    pub fn conflicts(&self, include_resolved: bool) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, record_id, base_revision_hash, current_revision_hash, author, body, from_contact, at, resolution
             FROM conflicts WHERE ?1 OR resolved_at IS NULL ORDER BY resolved_at IS NOT NULL, id",
        )?;
        let rows = stmt
            .query_map([include_resolved], |r| {
                Ok(Conflict {
                    id: r.get(0)?,
                    record_id: r.get(1)?,
                    base_revision_hash: r.get(2)?,
                    current_revision_hash: r.get(3)?,
                    author: r.get(4)?,
                    body: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(Value::Null),
                    from_contact: r.get(6)?,
                    at: time::from_text(&r.get::<_, String>(7)?),
                    resolution: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Resolves a conflict: keeps this vault's current revision, or saves the incoming
    /// edit as a new revision on top of it (`body`, validated by the caller). Audited and
    /// entered in the record's PSES ledger.
    pub fn resolve_conflict(&mut self, id: &str, take: Option<&RecordBody>) -> Result<Conflict> {
        let conflict = self.conflict(id)?;
        if conflict.resolution.is_some() {
            return Err(VaultError::BadSetting(format!(
                "conflict {id} is resolved already"
            )));
        }
        let actor = self.actor.name.clone();
        let now = time::now();
        let at = time::to_text(now);
        let resolution = if take.is_some() {
            "took_theirs"
        } else {
            "kept_current"
        };
        let tx = self.conn.transaction()?;
        if let Some(body) = take {
            let meta = load_meta(&tx, &conflict.record_id)?;
            harbor_core::PsesState::parse(&meta.pses_state)
                .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?
                .allows_edit()?;
            let (current_hash, _) = current_revision(&tx, &meta.id, meta.revision)?;
            write_revision(
                &tx,
                &meta.id,
                meta.revision + 1,
                body,
                &conflict.author,
                &at,
                &current_hash,
            )?;
            tx.execute(
                "UPDATE records SET status = ?2, title = ?3, updated_at = ?4, current_rev = ?5 WHERE id = ?1",
                params![meta.id, body.status(), body.title(), at, meta.revision + 1],
            )?;
        }
        tx.execute(
            "UPDATE conflicts SET resolved_at = ?2, resolved_by = ?3, resolution = ?4 WHERE id = ?1",
            params![id, at, actor, resolution],
        )?;
        pses_event(
            &tx,
            &conflict.record_id,
            "conflict_resolved",
            &at,
            &actor,
            json!({"conflict": id, "resolution": resolution, "author": conflict.author}),
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "conflict.resolve",
            Some(&conflict.record_id),
            json!({"conflict": id, "resolution": resolution}),
        )?;
        tx.commit()?;
        self.conflict(id)
    }

    /// One conflict, resolved or not.
    pub fn conflict(&self, id: &str) -> Result<Conflict> {
        self.conflicts(true)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| VaultError::NotFound {
                what: "conflict",
                id: id.to_owned(),
            })
    }

    /// The records this vault received in packets, newest first.
    pub fn received_records(&self) -> Result<Vec<Received>> {
        let mut stmt = self.conn.prepare(
            "SELECT o.record_id, o.origin_contact, o.origin_revision_hash, o.packet_id, o.received_at,
                    NOT EXISTS (SELECT 1 FROM pses_events e WHERE e.record_id = o.record_id
                                AND e.event IN ('received_in_pses', 'received_original_record'))
             FROM record_origins o ORDER BY o.received_at DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Received {
                    record_id: r.get(0)?,
                    from_contact: r.get(1)?,
                    origin_revision_hash: r.get(2)?,
                    packet_id: r.get(3)?,
                    received_at: time::from_text(&r.get::<_, String>(4)?),
                    returned: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// How far a clock may run ahead of this vault's and its entry dates still be believed.
const CLOCK_SKEW_SECS: i64 = 300;

/// A name the sender gave (a creator, an author), as this vault records it: labelled with
/// the contact it came from (`dr.okafor@okafor-laptop`), so that it can never be read as
/// one of this vault's users (user names hold no `@`).
fn claimed(name: &str, from_contact: &str) -> String {
    format!("{name}@{from_contact}")
}

/// What a packet may ask of this vault, checked before anything is written: attachments
/// only on records the same packet carries and within this vault's size limit, entry
/// dates not in the future.
///
/// An entry date from before the contact was added is not refused: a medical director's
/// newly paired laptop legitimately receives reviews that entered the station's PSES long
/// before. The claimed date never becomes a date of this vault (the record is dated at
/// its import, the claim kept in the ledger as one), so a backdated claim backdates
/// nothing here. A claim in the future is refused: it is no honest vault's.
fn check_claims(
    records: &[(PacketRecord, RecordBody)],
    attachments: &[PacketAttachment],
    now: DateTime<Utc>,
    limit: u64,
) -> Result<()> {
    let carried: std::collections::HashSet<&str> =
        records.iter().map(|(r, _)| r.record_id.as_str()).collect();
    for a in attachments {
        if a.size > limit {
            return Err(VaultError::AttachmentTooLarge {
                size: a.size,
                limit,
            });
        }
        if !carried.contains(a.record_id.as_str()) {
            return Err(VaultError::PacketRefused(format!(
                "attachment {} is for record {}, which the packet does not carry",
                a.attachment_id, a.record_id
            )));
        }
    }
    let latest = now + chrono::Duration::seconds(CLOCK_SKEW_SECS);
    if let Some((r, _)) = records.iter().find(|(r, _)| r.entered_at > latest) {
        return Err(VaultError::PacketRefused(format!(
            "record {} claims to have entered the PSES in the future ({})",
            r.record_id,
            time::to_text(r.entered_at)
        )));
    }
    Ok(())
}

/// Where a received record came from, and at which of the sender's revisions: the base a
/// later packet to that sender names, so that it can tell an edit from a conflict.
fn record_origin(
    tx: &rusqlite::Connection,
    record_id: &str,
    from_contact: &str,
    origin_revision_hash: &str,
    local_revision_hash: &str,
    packet_id: &str,
    at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO record_origins (record_id, origin_contact, origin_revision_hash, local_revision_hash, packet_id, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (record_id) DO UPDATE SET origin_contact = excluded.origin_contact,
           origin_revision_hash = excluded.origin_revision_hash, local_revision_hash = excluded.local_revision_hash,
           packet_id = excluded.packet_id, received_at = excluded.received_at",
        params![record_id, from_contact, origin_revision_hash, local_revision_hash, packet_id, at],
    )?;
    Ok(())
}

/// Merges one carried ePCR: new here, it is added as the original record it is, dated at
/// this import, its importer labelled as the sender's claim, the sender's import date kept
/// in the ledger and its XML beside it. Known and received from this same contact: the
/// same XML changes nothing, other XML (the sender imported a newer version of the
/// report) becomes a new revision. Known otherwise (this vault imported it, or another
/// contact sent it): kept exactly as it is, whatever the packet carries (listed in `kept`
/// when the packet's XML differs); a contact does not revise this vault's original records. Returns this vault's
/// revision hash when the ePCR is (now) this contact's here, or `None` when it stays as
/// it was (its origin is not rewritten).
#[allow(clippy::too_many_arguments)]
fn import_epcr(
    tx: &rusqlite::Connection,
    e: &PacketEpcr,
    body: &RecordBody,
    from_contact: &str,
    packet_id: &str,
    actor: &str,
    at: &str,
    outcome: &mut PacketOutcome,
    kept: &mut Vec<String>,
) -> Result<Option<String>> {
    use sha2::Digest;
    let RecordBody::Epcr(reference) = body else {
        return Err(VaultError::BadSetting(format!(
            "the packet's ePCR {} is not an ePCR",
            e.record_id
        )));
    };
    let content_hash = hex::encode(sha2::Sha256::digest(e.xml.as_bytes()));
    let existing: Option<(i64, String)> = tx
        .query_row(
            "SELECT r.current_rev, x.content_hash FROM records r JOIN epcr_refs x ON x.record_id = r.id WHERE r.id = ?1",
            [&e.record_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if let Some((_, known)) = &existing {
        let origin: Option<String> = tx
            .query_row(
                "SELECT origin_contact FROM record_origins WHERE record_id = ?1",
                [&e.record_id],
                |r| r.get(0),
            )
            .optional()?;
        if origin.as_deref() != Some(from_contact) {
            outcome.unchanged.push(e.record_id.clone());
            if *known != content_hash {
                kept.push(e.record_id.clone());
            }
            return Ok(None);
        }
    }
    match existing {
        Some((rev, known)) if known == content_hash => {
            outcome.unchanged.push(e.record_id.clone());
            Ok(Some(current_revision(tx, &e.record_id, rev)?.0))
        }
        Some((rev, _)) => {
            let meta = load_meta(tx, &e.record_id)?;
            let (prev, _) = current_revision(tx, &e.record_id, rev)?;
            let hash = write_revision(tx, &e.record_id, rev + 1, body, actor, at, &prev)?;
            tx.execute(
                "UPDATE records SET status = ?2, title = ?3, updated_at = ?4, current_rev = ?5 WHERE id = ?1",
                params![meta.id, body.status(), body.title(), at, rev + 1],
            )?;
            tx.execute(
                "UPDATE epcr_refs SET content_hash = ?2 WHERE record_id = ?1",
                params![e.record_id, content_hash],
            )?;
            tx.execute(
                "INSERT INTO epcr_sources (record_id, rev, file_name, xml) VALUES (?1, ?2, ?3, ?4)",
                params![e.record_id, rev + 1, e.file_name, e.xml],
            )?;
            outcome.revised.push(e.record_id.clone());
            Ok(Some(hash))
        }
        None => {
            let taken = tx
                .query_row(
                    "SELECT 1 FROM records WHERE id = ?1",
                    [&e.record_id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if taken {
                return Err(VaultError::PacketRefused(format!(
                    "the packet's ePCR {} has the id of a record here that is not an ePCR",
                    e.record_id
                )));
            }
            let key = crate::epcr::agency_pcr(reference);
            let clash: bool = tx
                .query_row(
                    "SELECT 1 FROM epcr_refs WHERE agency_pcr = ?1 OR (?2 IS NOT NULL AND report_uuid = ?2)",
                    params![key, reference.report_uuid],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if clash {
                outcome.unchanged.push(e.record_id.clone());
                return Ok(None);
            }
            let imported_by = claimed(&e.imported_by, from_contact);
            tx.execute(
                "INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, 1)",
                params![
                    e.record_id,
                    RecordKind::Epcr.as_str(),
                    body.status(),
                    harbor_core::PsesState::OriginalRecord.as_str(),
                    body.title(),
                    at,
                    imported_by
                ],
            )?;
            let hash = write_revision(tx, &e.record_id, 1, body, &imported_by, at, audit::GENESIS)?;
            pses_event(
                tx,
                &e.record_id,
                "received_original_record",
                at,
                actor,
                json!({"from": from_contact, "packet_id": packet_id, "origin_revision_hash": e.revision_hash,
                       "file": e.file_name, "revision_hash": hash, "claimed_by_sender": true,
                       "claimed_imported_at": time::to_text(e.imported_at)}),
            )?;
            tx.execute(
                "INSERT INTO epcr_refs (record_id, report_uuid, agency_pcr, content_hash) VALUES (?1, ?2, ?3, ?4)",
                params![e.record_id, reference.report_uuid, key, content_hash],
            )?;
            tx.execute(
                "INSERT INTO epcr_sources (record_id, rev, file_name, xml) VALUES (?1, 1, ?2, ?3)",
                params![e.record_id, e.file_name, e.xml],
            )?;
            outcome.added.push(e.record_id.clone());
            Ok(Some(hash))
        }
    }
}
