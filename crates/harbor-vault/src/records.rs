//! Records: every save is a new revision (author, time, hash chained per record); the
//! PSES ledger, the full-text index and the audit row are written in the same transaction.

use crate::{Result, UnlockedVault, VaultError, audit, time};
use chrono::{DateTime, Utc};
use harbor_core::pses::{self, PsesState, PsesTransition};
use harbor_core::records::SignOff;
use harbor_core::{RecordBody, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

/// A record's header, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RecordMeta {
    /// The record's id (UUIDv7: ordered by creation).
    pub id: String,
    /// Its kind.
    pub kind: RecordKind,
    /// Its workflow status, where the kind has one.
    pub status: Option<String>,
    /// Where it stands in the PSES.
    pub pses_state: String,
    /// A one-line title (no patient or crew names).
    pub title: String,
    /// When it entered the vault.
    pub created_at: DateTime<Utc>,
    /// Who created it.
    pub created_by: String,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Its current revision number, from 1.
    pub revision: i64,
    /// Whether it is a deliberation (case note, investigation): protected without being
    /// reported, never swept into a submission.
    pub deliberation: bool,
}

/// A record with its current body.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "HarborRecord")] // not TypeScript's `Record`
pub struct Record {
    /// The header.
    #[serde(flatten)]
    pub meta: RecordMeta,
    /// The hash of the current revision.
    pub revision_hash: String,
    /// The current body.
    pub body: Value,
}

/// One revision in a record's history.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Revision {
    /// Its number, from 1.
    pub rev: i64,
    /// Who saved it.
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Its hash (chained to the previous revision's).
    pub hash: String,
    /// The body as saved.
    pub body: Value,
}

/// One PSES ledger event of a record.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PsesEvent {
    /// `entered_pses`, `dropped_out`, `promoted_pswp`, `reported`, ...
    pub event: String,
    /// When.
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: String,
    /// Details (the drop-out reason, snapshot hashes, receipts).
    pub detail: Value,
}

/// A record's history: every revision and every PSES event.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct History {
    /// The header.
    pub meta: RecordMeta,
    /// Revisions, oldest first.
    pub revisions: Vec<Revision>,
    /// PSES ledger events, oldest first.
    pub pses_events: Vec<PsesEvent>,
}

/// Filters and paging of [`UnlockedVault::list_records`].
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only this kind.
    pub kind: Option<RecordKind>,
    /// Only this workflow status.
    pub status: Option<String>,
    /// Only this PSES state.
    pub pses_state: Option<PsesState>,
    /// Created at or after.
    pub since: Option<DateTime<Utc>>,
    /// Created before.
    pub until: Option<DateTime<Utc>>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<u32>,
    /// The cursor returned with the previous page: records older than this one.
    pub after: Option<String>,
}

/// A page of records, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Page {
    /// The records.
    pub items: Vec<RecordMeta>,
    /// Give this as `after` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

const META_COLUMNS: &str =
    "id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev";

fn meta_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordMeta> {
    let kind: String = r.get(1)?;
    let kind: RecordKind = kind.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            "unknown kind".into(),
        )
    })?;
    Ok(RecordMeta {
        id: r.get(0)?,
        kind,
        status: r.get(2)?,
        pses_state: r.get(3)?,
        title: r.get(4)?,
        created_at: time::from_text(&r.get::<_, String>(5)?),
        created_by: r.get(6)?,
        updated_at: time::from_text(&r.get::<_, String>(7)?),
        revision: r.get(8)?,
        deliberation: kind.is_deliberation(),
    })
}

pub(crate) fn load_meta(conn: &Connection, id: &str) -> Result<RecordMeta> {
    conn.prepare_cached(&format!("SELECT {META_COLUMNS} FROM records WHERE id = ?1"))?
        .query_row([id], meta_from_row)
        .optional()?
        .ok_or_else(|| VaultError::NotFound {
            what: "record",
            id: id.to_owned(),
        })
}

pub(crate) fn current_revision(conn: &Connection, id: &str, rev: i64) -> Result<(String, Value)> {
    let (hash, body): (String, String) = conn.query_row(
        "SELECT hash, body FROM revisions WHERE record_id = ?1 AND rev = ?2",
        params![id, rev],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let body = serde_json::from_str(&body)
        .map_err(|_| VaultError::Corrupt(format!("revision {rev} of a record is not JSON")))?;
    Ok((hash, body))
}

fn revision_hash(
    record_id: &str,
    rev: i64,
    kind: RecordKind,
    author: &str,
    at: &str,
    body: &Value,
    prev_hash: &str,
) -> String {
    harbor_core::canonical::canonical_hash(&json!({
        "record_id": record_id, "rev": rev, "kind": kind, "author": author,
        "at": at, "body": body, "prev_hash": prev_hash,
    }))
}

/// Writes revision `rev` of a record, and its full-text entry.
pub(crate) fn write_revision(
    tx: &Connection,
    id: &str,
    rev: i64,
    body: &RecordBody,
    author: &str,
    at: &str,
    prev_hash: &str,
) -> Result<String> {
    let value = body.to_value();
    let hash = revision_hash(id, rev, body.kind(), author, at, &value, prev_hash);
    tx.prepare_cached(
        "INSERT INTO revisions (record_id, rev, author, at, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        rev,
        author,
        at,
        value.to_string(),
        prev_hash,
        hash
    ])?;
    if matches!(
        body.kind(),
        RecordKind::CallReview | RecordKind::Investigation
    ) {
        record_codes(tx, id, body.kind(), &value)?;
    }
    if rev > 1 {
        tx.prepare_cached("DELETE FROM records_fts WHERE record_id = ?1")?
            .execute([id])?;
    }
    tx.prepare_cached("INSERT INTO records_fts (record_id, text) VALUES (?1, ?2)")?
        .execute(params![id, body.search_text()])?;
    Ok(hash)
}

pub(crate) fn pses_event(
    tx: &Connection,
    id: &str,
    event: &str,
    at: &str,
    by: &str,
    detail: Value,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO pses_events (record_id, event, at, by_user, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, event, at, by, detail.to_string()])?;
    Ok(())
}

/// Inserts a new record with its first revision, its ledger entry and its audit row, inside
/// the caller's transaction. Returns the id and the revision hash. An original record (an
/// imported ePCR) does not enter the PSES: its ledger says where it was imported from.
pub(crate) fn insert_record(
    tx: &Connection,
    body: &RecordBody,
    actor: &str,
    imported_from: Option<&str>,
) -> Result<(String, String)> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = time::now();
    let at = time::to_text(now);
    let kind = body.kind();
    let state = pses::initial_state(kind);
    tx.prepare_cached(
        "INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, 1)",
    )?
    .execute(params![id, kind.as_str(), body.status(), state.as_str(), body.title(), at, actor])?;
    let hash = write_revision(tx, &id, 1, body, actor, &at, audit::GENESIS)?;
    let (event, detail) = match imported_from {
        Some(file) => (
            "imported_original_record",
            json!({"revision_hash": hash, "file": file}),
        ),
        None => ("entered_pses", json!({"revision_hash": hash})),
    };
    pses_event(tx, &id, event, &at, actor, detail)?;
    audit::append(
        tx,
        now,
        actor,
        if imported_from.is_some() {
            "epcr.import"
        } else {
            "record.create"
        },
        Some(&id),
        json!({"kind": kind, "revision": 1, "hash": hash}),
    )?;
    Ok((id, hash))
}

/// Saves revision `rev` of an existing record inside the caller's transaction.
pub(crate) fn append_revision(
    tx: &Connection,
    meta: &RecordMeta,
    body: &RecordBody,
    prev_hash: &str,
    actor: &str,
    action: &str,
) -> Result<String> {
    let now = time::now();
    let at = time::to_text(now);
    let rev = meta.revision + 1;
    let hash = write_revision(tx, &meta.id, rev, body, actor, &at, prev_hash)?;
    tx.prepare_cached(
        "UPDATE records SET status = ?2, title = ?3, updated_at = ?4, current_rev = ?5 WHERE id = ?1",
    )?
    .execute(params![meta.id, body.status(), body.title(), at, rev])?;
    audit::append(
        tx,
        now,
        actor,
        action,
        Some(&meta.id),
        json!({"revision": rev, "hash": hash}),
    )?;
    Ok(hash)
}

/// The hash and body of a record's current revision.
pub(crate) fn current(conn: &Connection, meta: &RecordMeta) -> Result<(String, Value)> {
    current_revision(conn, &meta.id, meta.revision)
}

/// Turns free text into an FTS5 query: every word quoted (so operators in input are just
/// words), all words required, the last one as a prefix.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut q = words.join(" ");
    q.push('*');
    Some(q)
}

impl UnlockedVault {
    fn check_references(&self, body: &RecordBody) -> Result<()> {
        let must_exist = |id: &uuid::Uuid, field: &str, kind: Option<RecordKind>| -> Result<()> {
            let found: Option<String> = self
                .conn
                .query_row(
                    "SELECT kind FROM records WHERE id = ?1",
                    [id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            let ok = match (&found, kind) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(k), Some(kind)) => k == kind.as_str(),
            };
            if ok {
                Ok(())
            } else {
                Err(VaultError::Invalid(harbor_core::CoreError::InvalidRecord {
                    kind: body.kind(),
                    errors: vec![harbor_core::FieldError {
                        field: field.to_owned(),
                        message: match kind {
                            Some(k) => format!("no {k} record with this id in the vault"),
                            None => "no record with this id in the vault".into(),
                        },
                    }],
                }))
            }
        };
        match body {
            RecordBody::CallReview(r) => {
                if let Some(epcr) = &r.call.epcr_id {
                    must_exist(epcr, "/call/epcr_id", Some(RecordKind::Epcr))?;
                }
            }
            RecordBody::CaseNote(n) => must_exist(&n.subject, "/subject", None)?,
            RecordBody::Investigation(i) => {
                for (n, id) in i.related_records.iter().enumerate() {
                    must_exist(id, &format!("/related_records/{n}"), None)?;
                }
            }
            RecordBody::Epcr(_) => {}
        }
        Ok(())
    }

    /// Creates a record by hand: it enters the PSES now, by the acting user. ePCR
    /// references are refused (they come only from the NEMSIS import), and so is a
    /// sign-off given in the input.
    pub fn create_record(&mut self, body: RecordBody) -> Result<RecordMeta> {
        let ids = self.create_records(vec![body])?;
        load_meta(&self.conn, &ids[0])
    }

    /// Creates many records in one transaction (all or none), each exactly as
    /// [`UnlockedVault::create_record`] would: revision, ledger entry, index entry and audit
    /// row. Returns their ids in input order.
    pub fn create_records(&mut self, bodies: Vec<RecordBody>) -> Result<Vec<String>> {
        for body in &bodies {
            if body.kind().is_original_record() {
                return Err(harbor_core::PsesError::OriginalRecord.into());
            }
            if matches!(body, RecordBody::CallReview(r) if r.sign_off.is_some()) {
                return Err(VaultError::SignOffInInput);
            }
            self.check_references(body)?;
        }
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(bodies.len());
        for body in &bodies {
            ids.push(insert_record(&tx, body, &actor, None)?.0);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Saves a new revision of a record. A body equal to the current one changes nothing.
    /// A change clears an earlier sign-off (it attested to the earlier revision).
    pub fn update_record(&mut self, id: &str, mut body: RecordBody) -> Result<RecordMeta> {
        let meta = load_meta(&self.conn, id)?;
        if meta.kind != body.kind() {
            return Err(VaultError::Invalid(harbor_core::CoreError::InvalidRecord {
                kind: body.kind(),
                errors: vec![harbor_core::FieldError {
                    field: String::new(),
                    message: format!("record {id} is a {}, not a {}", meta.kind, body.kind()),
                }],
            }));
        }
        PsesState::parse(&meta.pses_state)
            .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?
            .allows_edit()?;
        let (prev_hash, current) = current_revision(&self.conn, id, meta.revision)?;
        if let RecordBody::CallReview(new) = &mut body {
            let old_sign_off: Option<SignOff> = current
                .get("sign_off")
                .cloned()
                .and_then(|v| serde_json::from_value(v).ok());
            if new.sign_off.is_some() && new.sign_off != old_sign_off {
                return Err(VaultError::SignOffInInput);
            }
            new.sign_off = old_sign_off;
        }
        if body.to_value() == current {
            return Ok(meta);
        }
        if let RecordBody::CallReview(new) = &mut body {
            new.sign_off = None;
        }
        self.check_references(&body)?;
        self.save_revision(&meta, &body, &prev_hash, "record.update")
    }

    /// Signs off a call review as the acting user: a new revision carrying the sign-off.
    pub fn sign_off(&mut self, id: &str) -> Result<RecordMeta> {
        let meta = load_meta(&self.conn, id)?;
        PsesState::parse(&meta.pses_state)
            .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?
            .allows_edit()?;
        let (prev_hash, current) = current_revision(&self.conn, id, meta.revision)?;
        let Ok(RecordBody::CallReview(mut review)) =
            serde_json::from_value::<RecordBody>(json!({"kind": meta.kind, "body": current}))
        else {
            return Err(VaultError::NotFound {
                what: "call review",
                id: id.to_owned(),
            });
        };
        review.sign_off = Some(SignOff {
            by: self.actor.name.clone(),
            at: time::now(),
        });
        self.save_revision(
            &meta,
            &RecordBody::CallReview(review),
            &prev_hash,
            "call_review.sign_off",
        )
    }

    fn save_revision(
        &mut self,
        meta: &RecordMeta,
        body: &RecordBody,
        prev_hash: &str,
        action: &str,
    ) -> Result<RecordMeta> {
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        append_revision(&tx, meta, body, prev_hash, &actor, action)?;
        tx.commit()?;
        load_meta(&self.conn, &meta.id)
    }

    /// Reads a record (an audited read).
    pub fn get_record(&mut self, id: &str) -> Result<Record> {
        let meta = load_meta(&self.conn, id)?;
        let (revision_hash, body) = current_revision(&self.conn, id, meta.revision)?;
        self.audit("record.read", Some(id), json!({"revision": meta.revision}))?;
        Ok(Record {
            meta,
            revision_hash,
            body,
        })
    }

    /// A record's full history (an audited read).
    pub fn history(&mut self, id: &str) -> Result<History> {
        let meta = load_meta(&self.conn, id)?;
        let mut revs = self.conn.prepare(
            "SELECT rev, author, at, hash, body FROM revisions WHERE record_id = ?1 ORDER BY rev",
        )?;
        let revisions = revs
            .query_map([id], |r| {
                Ok(Revision {
                    rev: r.get(0)?,
                    author: r.get(1)?,
                    at: time::from_text(&r.get::<_, String>(2)?),
                    hash: r.get(3)?,
                    body: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or(Value::Null),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT event, at, by_user, detail FROM pses_events WHERE record_id = ?1 ORDER BY seq",
        )?;
        let pses_events = stmt
            .query_map([id], |r| {
                Ok(PsesEvent {
                    event: r.get(0)?,
                    at: time::from_text(&r.get::<_, String>(1)?),
                    by: r.get(2)?,
                    detail: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(Value::Null),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        drop(revs);
        self.audit("record.history", Some(id), json!({}))?;
        Ok(History {
            meta,
            revisions,
            pses_events,
        })
    }

    /// Lists records, newest first, with filters and keyset paging.
    pub fn list_records(&self, q: &ListQuery) -> Result<Page> {
        let limit = q.limit.unwrap_or(50).clamp(1, 1000);
        let mut sql = format!("SELECT {META_COLUMNS} FROM records WHERE 1 = 1");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let mut add = |clause: &str, v: Box<dyn rusqlite::ToSql>| {
            args.push(v);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        };
        if let Some(kind) = q.kind {
            add("kind =", Box::new(kind.as_str()));
        }
        if let Some(status) = &q.status {
            add("status =", Box::new(status.clone()));
        }
        if let Some(state) = q.pses_state {
            add("pses_state =", Box::new(state.as_str()));
        }
        if let Some(since) = q.since {
            add("created_at >=", Box::new(time::to_text(since)));
        }
        if let Some(until) = q.until {
            add("created_at <", Box::new(time::to_text(until)));
        }
        if let Some(after) = &q.after {
            add("id <", Box::new(after.clone()));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit + 1));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut items = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), meta_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let next_cursor = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|m| m.id.clone())
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    /// Full-text search over every field of every record, most recently saved first (an
    /// audited read; the query itself is not logged).
    pub fn search(&mut self, text: &str, limit: u32) -> Result<Vec<RecordMeta>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 1000);
        let items = {
            // FTS in an inner query with its own LIMIT; the join only sees the hits. Newest
            // index entries (the most recently saved records) first: FTS5 walks its doclists
            // backwards and stops at the limit, where ranking by relevance would score every
            // match first (17 ms for a common word at 100,000 records, against a 10 ms budget).
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {} FROM (SELECT rowid AS fts_row, record_id FROM records_fts WHERE records_fts MATCH ?1
                   ORDER BY rowid DESC LIMIT ?2) AS hits
                 JOIN records r ON r.id = hits.record_id ORDER BY hits.fts_row DESC",
                META_COLUMNS
                    .split(", ")
                    .map(|c| format!("r.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
            stmt.query_map(params![query, limit], meta_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        self.audit("record.search", None, json!({"results": items.len()}))?;
        Ok(items)
    }

    /// Drops a record out of the PSES before it is reported: dated, by the acting user,
    /// with the reason. Refused once queued or reported, and for ePCRs.
    pub fn drop_out(&mut self, id: &str, reason: &str) -> Result<RecordMeta> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(VaultError::BadSetting(
                "a drop-out needs a reason (--reason): it is part of the PSES record".into(),
            ));
        }
        let meta = load_meta(&self.conn, id)?;
        let state = PsesState::parse(&meta.pses_state)
            .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?;
        let next = pses::next_state(state, PsesTransition::DropOut)?;
        let now = time::now();
        let at = time::to_text(now);
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE records SET pses_state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, next.as_str(), at],
        )?;
        pses_event(
            &tx,
            id,
            "dropped_out",
            &at,
            &actor,
            json!({"reason": reason}),
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "pses.drop_out",
            Some(id),
            json!({"from": state, "to": next}),
        )?;
        tx.commit()?;
        load_meta(&self.conn, id)
    }

    /// A record's header, without an audited read (for role checks and lists).
    pub fn record_meta(&self, id: &str) -> Result<RecordMeta> {
        load_meta(&self.conn, id)
    }

    /// Counts records (all kinds).
    pub fn record_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))?)
    }
}

/// Keeps the dashboard's coded fields of a call review or investigation (see migration
/// 10) in step with the revision just written, which is always the record's current one.
fn record_codes(tx: &Connection, id: &str, kind: RecordKind, body: &Value) -> Result<()> {
    let date = body["call"]["call_date"]
        .as_str()
        .or_else(|| body["event_date"].as_str());
    let categories = body
        .get("ems_categories")
        .filter(|c| c.is_array())
        .map(Value::to_string);
    tx.prepare_cached(
        "INSERT INTO record_codes (record_id, kind, month, event_type, harm, categories)
         VALUES (?1, ?2, substr(coalesce(?3, (SELECT created_at FROM records WHERE id = ?1)), 1, 7), ?4, ?5, ?6)
         ON CONFLICT (record_id) DO UPDATE SET month = excluded.month, event_type = excluded.event_type,
           harm = excluded.harm, categories = excluded.categories",
    )?
    .execute(params![
        id,
        kind.as_str(),
        date,
        body["event_type"].as_str(),
        body["harm"]["level"].as_str(),
        categories
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_text_cannot_inject_fts_operators() {
        assert_eq!(
            fts_query("airway OR \"x"),
            Some("\"airway\" \"OR\" \"x\"*".into())
        );
        assert_eq!(fts_query("  -- "), None);
    }
}
