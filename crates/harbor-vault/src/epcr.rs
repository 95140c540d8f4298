//! Imported ePCRs: original records kept outside the PSES, read-only, with the original
//! XML beside them. Re-importing a report (same `PatientCareReport` UUID, or same agency and
//! PCR number) never duplicates it: unchanged, it is skipped; changed, it becomes a new
//! revision. Each file is one transaction.

use crate::records::{append_revision, current, insert_record, load_meta};
use crate::{Result, UnlockedVault, VaultError, audit, time};
use harbor_core::RecordBody;
use harbor_core::records::{CallReview, EpcrReference, TriggerHit};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// One report to import.
#[derive(Debug, Clone)]
pub struct EpcrInput {
    /// What was read.
    pub reference: EpcrReference,
    /// The report's original XML.
    pub xml: String,
    /// Create a call review with these hits, unless the call already has one.
    pub review: Option<Vec<TriggerHit>>,
}

/// What happened to one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EpcrOutcome {
    /// New reference.
    Imported {
        /// The epcr record.
        record_id: String,
        /// The call review created for it, if any.
        review_id: Option<String>,
    },
    /// A changed report: a new revision of the reference.
    Updated {
        /// The epcr record.
        record_id: String,
        /// Its new revision number.
        revision: i64,
        /// The call review created for it now, if any.
        review_id: Option<String>,
    },
    /// The same report again: nothing changed.
    Unchanged {
        /// The epcr record.
        record_id: String,
    },
}

pub(crate) fn agency_pcr(r: &EpcrReference) -> String {
    format!(
        "{}\u{1f}{}",
        r.agency_number.as_deref().unwrap_or(""),
        r.pcr_number
    )
}

fn attach_review(
    tx: &rusqlite::Connection,
    epcr_id: &str,
    r: &EpcrReference,
    hits: Vec<TriggerHit>,
    actor: &str,
) -> Result<String> {
    let epcr = uuid::Uuid::parse_str(epcr_id)
        .map_err(|_| VaultError::Corrupt("an ePCR id is not a UUID".into()))?;
    let review = CallReview::flagged(r, epcr, hits, time::now().date_naive());
    let (review_id, _) = insert_record(tx, &RecordBody::CallReview(review), actor, None)?;
    tx.prepare_cached("UPDATE epcr_refs SET review_id = ?2 WHERE record_id = ?1")?
        .execute(params![epcr_id, review_id])?;
    Ok(review_id)
}

impl UnlockedVault {
    /// Imports the reports of one file in one transaction: all of them or none.
    pub fn import_epcrs(
        &mut self,
        file_name: &str,
        inputs: Vec<EpcrInput>,
    ) -> Result<Vec<EpcrOutcome>> {
        self.import_epcr_files(vec![(file_name.to_owned(), inputs)])
            .pop()
            .expect("one file in, one result out")
    }

    /// Imports several files: each file all or nothing (a savepoint of its own), the batch
    /// committed together, so that one fsync serves many small files. A file that fails
    /// leaves no trace and the others go on. If the batch commit itself fails, every file
    /// of the batch reports that error.
    pub fn import_epcr_files(
        &mut self,
        files: Vec<(String, Vec<EpcrInput>)>,
    ) -> Vec<Result<Vec<EpcrOutcome>>> {
        let actor = self.actor.name.clone();
        let mut tx = match self.conn.transaction() {
            Ok(tx) => tx,
            Err(e) => {
                let e = VaultError::from(e);
                return files.iter().map(|_| Err(clone_err(&e))).collect();
            }
        };
        let mut results = Vec::with_capacity(files.len());
        for (file_name, inputs) in files {
            let result = tx.savepoint().map_err(VaultError::from).and_then(|sp| {
                let outcomes = import_file(&sp, &actor, &file_name, inputs)?;
                sp.commit()?;
                Ok(outcomes)
            });
            results.push(result);
        }
        if let Err(e) = tx.commit() {
            let e = VaultError::from(e);
            return results.iter().map(|_| Err(clone_err(&e))).collect();
        }
        results
    }

    /// The original XML of an imported ePCR's current revision (an audited read).
    pub fn epcr_source(&mut self, id: &str) -> Result<String> {
        let meta = load_meta(&self.conn, id)?;
        let xml: Option<String> = self
            .conn
            .query_row(
                "SELECT xml FROM epcr_sources WHERE record_id = ?1 AND rev = ?2",
                params![id, meta.revision],
                |r| r.get(0),
            )
            .optional()?;
        let xml = xml.ok_or_else(|| VaultError::NotFound {
            what: "imported ePCR",
            id: id.to_owned(),
        })?;
        self.audit(
            "epcr.read_source",
            Some(id),
            json!({"revision": meta.revision}),
        )?;
        Ok(xml)
    }
}

/// Imports one file's reports inside the caller's transaction or savepoint.
fn import_file(
    tx: &rusqlite::Connection,
    actor: &str,
    file_name: &str,
    inputs: Vec<EpcrInput>,
) -> Result<Vec<EpcrOutcome>> {
    let mut outcomes = Vec::with_capacity(inputs.len());
    for input in inputs {
        let r = &input.reference;
        let hash = hex::encode(Sha256::digest(input.xml.as_bytes()));
        let key = agency_pcr(r);
        let existing: Option<(String, String, Option<String>)> = {
            let mut by_uuid = tx.prepare_cached(
                "SELECT record_id, content_hash, review_id FROM epcr_refs WHERE report_uuid = ?1",
            )?;
            let found = match &r.report_uuid {
                Some(uuid) => by_uuid
                    .query_row([uuid], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .optional()?,
                None => None,
            };
            match found {
                    Some(f) => Some(f),
                    None => tx
                        .prepare_cached(
                            "SELECT record_id, content_hash, review_id FROM epcr_refs WHERE agency_pcr = ?1",
                        )?
                        .query_row([&key], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                        .optional()?,
                }
        };
        let body = RecordBody::Epcr(Box::new(input.reference.clone()));
        match existing {
            None => {
                let (id, _) = insert_record(tx, &body, actor, Some(file_name))?;
                tx.prepare_cached(
                        "INSERT INTO epcr_refs (record_id, report_uuid, agency_pcr, content_hash) VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![id, r.report_uuid, key, hash])?;
                tx.prepare_cached(
                        "INSERT INTO epcr_sources (record_id, rev, file_name, xml) VALUES (?1, 1, ?2, ?3)",
                    )?
                    .execute(params![id, file_name, input.xml])?;
                let review_id = match input.review {
                    Some(hits) => Some(attach_review(tx, &id, r, hits, actor)?),
                    None => None,
                };
                outcomes.push(EpcrOutcome::Imported {
                    record_id: id,
                    review_id,
                });
            }
            Some((id, old_hash, _)) if old_hash == hash => {
                outcomes.push(EpcrOutcome::Unchanged { record_id: id });
            }
            Some((id, _, review)) => {
                let meta = load_meta(tx, &id)?;
                let (prev_hash, _) = current(tx, &meta)?;
                append_revision(tx, &meta, &body, &prev_hash, actor, "epcr.update")?;
                let revision = meta.revision + 1;
                tx.prepare_cached(
                        "UPDATE epcr_refs SET content_hash = ?2, report_uuid = coalesce(report_uuid, ?3) WHERE record_id = ?1",
                    )?
                    .execute(params![id, hash, r.report_uuid])?;
                tx.prepare_cached(
                        "INSERT INTO epcr_sources (record_id, rev, file_name, xml) VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![id, revision, file_name, input.xml])?;
                let review_id = match (review, input.review) {
                    (None, Some(hits)) => Some(attach_review(tx, &id, r, hits, actor)?),
                    _ => None,
                };
                outcomes.push(EpcrOutcome::Updated {
                    record_id: id,
                    revision,
                    review_id,
                });
            }
        }
    }
    audit::append(
        tx,
        time::now(),
        actor,
        "epcr.import_file",
        None,
        json!({
            "reports": outcomes.len(),
            "imported": outcomes.iter().filter(|o| matches!(o, EpcrOutcome::Imported { .. })).count(),
            "updated": outcomes.iter().filter(|o| matches!(o, EpcrOutcome::Updated { .. })).count(),
        }),
    )?;
    Ok(outcomes)
}

fn clone_err(e: &VaultError) -> VaultError {
    match e {
        VaultError::Corrupt(m) => VaultError::Corrupt(m.clone()),
        other => VaultError::Storage(other.to_string()),
    }
}
