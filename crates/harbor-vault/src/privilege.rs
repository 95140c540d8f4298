//! What the privilege log is made of, read without record content: each record's header,
//! its revisions' authors, times and hashes (never their bodies), and its PSES ledger.

use crate::records::{PsesEvent, RecordMeta, load_meta};
use crate::{Result, UnlockedVault, audit, time};
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde_json::{Value, json};

/// A revision as the privilege log names it: who, when, which hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionStamp {
    /// Its number, from 1.
    pub rev: i64,
    /// Who saved it.
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Its hash.
    pub hash: String,
}

/// One record's facts.
#[derive(Debug, Clone)]
pub struct RecordFacts {
    /// The header (its title is never used: it is made from the content).
    pub meta: RecordMeta,
    /// Every revision, oldest first.
    pub revisions: Vec<RevisionStamp>,
    /// Every PSES ledger event, oldest first.
    pub events: Vec<PsesEvent>,
}

impl UnlockedVault {
    /// The records inside the PSES (every kind but the imported ePCR) that entered it in
    /// `[since, until)`, either end open, oldest first.
    pub fn pses_record_ids(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM records WHERE kind != 'epcr'
               AND (?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2)
             ORDER BY created_at, id",
        )?;
        let ids = stmt
            .query_map(
                params![since.map(time::to_text), until.map(time::to_text)],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// The facts of each record in `ids`, in that order (a missing id is `NotFound`).
    pub fn record_facts(&self, ids: &[String]) -> Result<Vec<RecordFacts>> {
        let mut revs = self.conn.prepare(
            "SELECT rev, author, at, hash FROM revisions WHERE record_id = ?1 ORDER BY rev",
        )?;
        let mut events = self.conn.prepare(
            "SELECT event, at, by_user, detail FROM pses_events WHERE record_id = ?1 ORDER BY seq",
        )?;
        ids.iter()
            .map(|id| {
                let meta = load_meta(&self.conn, id)?;
                let revisions = revs
                    .query_map([id], |r| {
                        Ok(RevisionStamp {
                            rev: r.get(0)?,
                            author: r.get(1)?,
                            at: time::from_text(&r.get::<_, String>(2)?),
                            hash: r.get(3)?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let events = events
                    .query_map([id], |r| {
                        Ok(PsesEvent {
                            event: r.get(0)?,
                            at: time::from_text(&r.get::<_, String>(1)?),
                            by: r.get(2)?,
                            detail: serde_json::from_str(&r.get::<_, String>(3)?)
                                .unwrap_or(Value::Null),
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(RecordFacts {
                    meta,
                    revisions,
                    events,
                })
            })
            .collect()
    }

    /// Audits a privilege log written (`privilege.log`): how many records, which format,
    /// the SHA-256 of the file.
    pub fn note_privilege_log(&mut self, records: usize, format: &str, sha256: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        audit::append(
            &tx,
            time::now(),
            &self.actor.name,
            "privilege.log",
            None,
            json!({"records": records, "format": format, "sha256": sha256}),
        )?;
        tx.commit()?;
        Ok(())
    }
}
