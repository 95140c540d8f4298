//! The audit chain: an append-only table whose rows each carry the hash of the row before,
//! so that an edit, deletion or reordering shows up in [`verify`]. The head hash travels
//! with every PSO submission and comes back in the signed receipt, an outside anchor that
//! a restored older vault or a rewritten chain cannot match.

use crate::{Result, UnlockedVault, time};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row of the audit chain.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who: a user name.
    pub actor: String,
    /// What: a stable action name such as `record.create`.
    pub action: String,
    /// On what: a record, attachment or user id, if any.
    pub target: Option<String>,
    /// Details without record content (counts, kinds, states, hashes).
    pub detail: Value,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

fn row_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: Option<&str>,
    detail: &Value,
    prev_hash: &str,
) -> String {
    harbor_core::canonical::canonical_hash(&json!({
        "seq": seq, "at": at, "actor": actor, "action": action,
        "target": target, "detail": detail, "prev_hash": prev_hash,
    }))
}

/// Appends a row inside the caller's transaction.
pub(crate) fn append(
    conn: &Connection,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    target: Option<&str>,
    detail: Value,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = time::to_text(at);
    let hash = row_hash(seq, &at, actor, action, target, &detail, &prev);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            seq,
            at,
            actor,
            action,
            target,
            detail.to_string(),
            prev,
            hash
        ],
    )?;
    Ok(())
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChainReport {
    /// Rows checked.
    pub rows: i64,
    /// The head hash (the last row's hash).
    pub head: String,
    /// The first bad row and what is wrong with it; `None` when the chain holds.
    pub first_bad: Option<BadRow>,
}

/// A row that breaks the chain.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BadRow {
    /// Its sequence number (or the expected one, for a gap).
    pub seq: i64,
    /// What is wrong.
    pub reason: String,
}

/// Checks the whole chain and names the first bad row.
pub(crate) fn verify(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let actor: String = r.get(2)?;
        let action: String = r.get(3)?;
        let target: Option<String> = r.get(4)?;
        let detail_text: String = r.get(5)?;
        let prev_hash: String = r.get(6)?;
        let hash: String = r.get(7)?;
        let bad = |reason: &str| ChainReport {
            rows: count,
            head: prev.clone(),
            first_bad: Some(BadRow {
                seq: if seq == expected_seq {
                    seq
                } else {
                    expected_seq
                },
                reason: reason.to_owned(),
            }),
        };
        if seq != expected_seq {
            return Ok(bad(&format!(
                "row {expected_seq} is missing (the next row is {seq}): rows were deleted"
            )));
        }
        if prev_hash != prev {
            return Ok(bad(
                "its link to the previous row does not match: rows were deleted, inserted or reordered",
            ));
        }
        let Ok(detail) = serde_json::from_str::<Value>(&detail_text) else {
            return Ok(bad("its detail is not JSON: the row was edited"));
        };
        if row_hash(
            seq,
            &at,
            &actor,
            &action,
            target.as_deref(),
            &detail,
            &prev_hash,
        ) != hash
        {
            return Ok(bad(
                "its content does not match its hash: the row was edited",
            ));
        }
        prev = hash;
        expected_seq += 1;
        count += 1;
    }
    Ok(ChainReport {
        rows: count,
        head: prev,
        first_bad: None,
    })
}

/// A page of the audit log.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditQuery {
    /// Only rows after this sequence number.
    pub after: Option<i64>,
    /// At most this many rows (default 100).
    pub limit: Option<u32>,
}

impl UnlockedVault {
    /// Appends an audit row for the acting user in its own transaction.
    pub fn audit(&mut self, action: &str, target: Option<&str>, detail: Value) -> Result<()> {
        let tx = self.conn.transaction()?;
        append(&tx, time::now(), &self.actor.name, action, target, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Reads the audit log in chain order.
    pub fn audit_log(&self, q: AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![q.after.unwrap_or(0), q.limit.unwrap_or(100)], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: time::from_text(&r.get::<_, String>(1)?),
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(Value::Null),
                    prev_hash: r.get(6)?,
                    hash: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Verifies the whole audit chain.
    pub fn audit_verify(&self) -> Result<ChainReport> {
        verify(&self.conn)
    }

    /// Full check of the vault: SQLCipher's page authentication over every page, SQLite's
    /// integrity check, and the audit chain. Returns the problems found (empty when sound).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let cipher: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        problems.extend(
            cipher
                .into_iter()
                .map(|p| format!("page authentication: {p}")),
        );
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let integrity: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        problems.extend(
            integrity
                .into_iter()
                .filter(|p| p != "ok")
                .map(|p| format!("integrity: {p}")),
        );
        let chain = verify(&self.conn)?;
        if let Some(bad) = chain.first_bad {
            problems.push(format!("audit chain: row {}: {}", bad.seq, bad.reason));
        }
        Ok(problems)
    }

    /// Test-only back door (feature `tamper-tests`, enabled only by dev-dependencies): runs
    /// raw SQL on the unlocked vault, as an attacker holding the key could.
    #[cfg(feature = "tamper-tests")]
    pub fn raw_sql_for_tamper_tests(&self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }
}
