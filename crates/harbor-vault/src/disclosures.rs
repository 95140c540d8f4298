//! The disclosure log: every disclosure of the vault's records in one append-only list,
//! written in the same transaction as the act (a packet sent, a receipt stored, an
//! attachment written out, a backup) or recorded by a person for one made outside Harbor.

use crate::{Result, UnlockedVault, VaultError, audit, records, time};
use chrono::{DateTime, Utc};
use harbor_core::disclosure::{Channel, Permission};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::json;

/// One logged disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Disclosure {
    /// Its number in the log, from 1.
    pub seq: i64,
    /// When the disclosure was made (for one recorded by a person: the date they gave).
    pub disclosed_at: DateTime<Utc>,
    /// When it was written to the log.
    pub recorded_at: DateTime<Utc>,
    /// Who made or recorded it.
    pub recorded_by: String,
    /// How.
    pub channel: Channel,
    /// To whom: a contact, the PSO, a file, or the recipient a person named.
    pub recipient: String,
    /// Under which permission.
    pub permission: Permission,
    /// The packet, submission, attachment or backup file it was, if any.
    pub reference: Option<String>,
    /// A note (recorded disclosures; a packet's purpose).
    pub note: Option<String>,
    /// A backup: every record in the vault at that time, rather than those listed.
    pub all_records: bool,
    /// The records disclosed (empty with `all_records`).
    pub records: Vec<String>,
}

/// A disclosure about to be logged.
pub(crate) struct NewDisclosure<'a> {
    pub disclosed_at: DateTime<Utc>,
    pub channel: Channel,
    pub recipient: &'a str,
    pub permission: Permission,
    pub reference: Option<&'a str>,
    pub note: Option<&'a str>,
    pub all_records: bool,
    pub records: &'a [String],
    /// Whether to add a `disclosed` entry to each record's ledger (not where the act
    /// writes its own: `disclosed_in_pses` for a packet, `reported` for a submission).
    pub ledger: bool,
}

impl<'a> NewDisclosure<'a> {
    /// A disclosure Harbor makes now, of no record yet (the caller sets what it covers).
    pub fn now(
        now: DateTime<Utc>,
        channel: Channel,
        recipient: &'a str,
        permission: Permission,
    ) -> Self {
        NewDisclosure {
            disclosed_at: now,
            channel,
            recipient,
            permission,
            reference: None,
            note: None,
            all_records: false,
            records: &[],
            ledger: false,
        }
    }
}

/// Logs a disclosure inside the caller's transaction, with a `disclosed` entry in each
/// record's PSES ledger. The caller writes the act's own audit row.
pub(crate) fn log_in(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &str,
    d: &NewDisclosure<'_>,
) -> Result<i64> {
    // The number is given, not left to SQLite: the table's insert trigger refuses any but
    // the next one (see migration 13).
    let seq: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM disclosures",
        [],
        |r| r.get(0),
    )?;
    conn.prepare_cached(
        "INSERT INTO disclosures (seq, disclosed_at, recorded_at, recorded_by, channel, recipient,
                                  permission, reference, note, all_records)
         VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        time::to_text(d.disclosed_at),
        time::to_text(now),
        actor,
        d.channel.as_str(),
        d.recipient,
        d.permission.as_str(),
        d.reference,
        d.note,
        d.all_records as i64,
        seq,
    ])?;
    let at = time::to_text(now);
    for id in d.records {
        conn.prepare_cached(
            "INSERT INTO disclosure_records (disclosure_seq, record_id) VALUES (?1, ?2)",
        )?
        .execute(params![seq, id])?;
        if !d.ledger {
            continue;
        }
        records::pses_event(
            conn,
            id,
            "disclosed",
            &at,
            actor,
            json!({"disclosure": seq, "channel": d.channel.as_str(), "to": d.recipient,
                   "permission": d.permission.as_str(), "disclosed_at": time::to_text(d.disclosed_at)}),
        )?;
    }
    Ok(seq)
}

/// Which disclosures to list.
#[derive(Debug, Clone, Default)]
pub struct DisclosureQuery {
    /// Only those of this record (a backup counts for every record it held).
    pub record: Option<String>,
    /// Made at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Made before this time.
    pub until: Option<DateTime<Utc>>,
}

impl UnlockedVault {
    /// Records a disclosure made outside Harbor (audited as `disclosure.record`). The
    /// caller has checked the role, the permission and the date; every record must exist,
    /// be inside the PSES (not an ePCR, not dropped out) and have entered it by the date.
    pub fn record_disclosure(
        &mut self,
        record_ids: &[String],
        to: &str,
        permission: Permission,
        disclosed_at: DateTime<Utc>,
        date_only: bool,
        note: Option<&str>,
    ) -> Result<Disclosure> {
        let actor = self.actor.name.clone();
        let now = time::now();
        let tx = self.conn.transaction()?;
        // A disclosure given as a date on the day a record entered the PSES counts from
        // that entry, so that no log shows a record disclosed before it entered.
        let mut disclosed_at = disclosed_at;
        for id in record_ids {
            let meta = records::load_meta(&tx, id)?;
            match meta.pses_state.as_str() {
                "original_record" => {
                    return Err(VaultError::BadSetting(format!(
                        "record {id} is an imported ePCR, an original record and never PSWP: its disclosures are not logged here"
                    )));
                }
                "dropped_out" => {
                    return Err(VaultError::BadSetting(format!(
                        "record {id} was dropped out of the PSES and is no longer PSWP: its disclosures are not logged here"
                    )));
                }
                _ => {}
            }
            let entered = meta.created_at;
            let before = if date_only {
                disclosed_at.date_naive() < entered.date_naive()
            } else {
                disclosed_at < entered
            };
            if before {
                return Err(VaultError::BadSetting(format!(
                    "record {id} entered the PSES at {}, after the disclosure date given: check the date",
                    entered.format("%Y-%m-%d %H:%M UTC")
                )));
            }
            if date_only && disclosed_at < entered {
                disclosed_at = entered;
            }
        }
        let seq = log_in(
            &tx,
            now,
            &actor,
            &NewDisclosure {
                disclosed_at,
                channel: Channel::OutsideHarbor,
                recipient: to,
                permission,
                reference: None,
                note,
                all_records: false,
                records: record_ids,
                ledger: true,
            },
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "disclosure.record",
            Some(&seq.to_string()),
            json!({"records": record_ids.len(), "to": to, "permission": permission.as_str(),
                   "disclosed_at": time::to_text(disclosed_at)}),
        )?;
        tx.commit()?;
        self.disclosure(seq)
    }

    /// One disclosure.
    pub fn disclosure(&self, seq: i64) -> Result<Disclosure> {
        let mut found = self.disclosures_where("d.seq = ?1", params![seq])?;
        found.pop().ok_or(VaultError::NotFound {
            what: "disclosure",
            id: seq.to_string(),
        })
    }

    /// The disclosures that match, oldest first.
    pub fn disclosures(&self, q: &DisclosureQuery) -> Result<Vec<Disclosure>> {
        let since = q.since.map(time::to_text);
        let until = q.until.map(time::to_text);
        self.disclosures_where(
            "(?1 IS NULL OR d.disclosed_at >= ?1) AND (?2 IS NULL OR d.disclosed_at < ?2)
             AND (?3 IS NULL
                  OR EXISTS (SELECT 1 FROM disclosure_records x
                             WHERE x.disclosure_seq = d.seq AND x.record_id = ?3)
                  OR (d.all_records = 1 AND EXISTS (SELECT 1 FROM records r
                             WHERE r.id = ?3 AND r.created_at <= d.disclosed_at)))",
            params![since, until, q.record],
        )
    }

    fn disclosures_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Disclosure>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT d.seq, d.disclosed_at, d.recorded_at, d.recorded_by, d.channel, d.recipient,
                    d.permission, d.reference, d.note, d.all_records,
                    (SELECT json_group_array(record_id) FROM
                        (SELECT record_id FROM disclosure_records
                         WHERE disclosure_seq = d.seq ORDER BY record_id))
             FROM disclosures d WHERE {condition} ORDER BY d.disclosed_at, d.seq"
        ))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, i64>(9)?,
                    r.get::<_, String>(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(seq, at, rec_at, by, channel, to, perm, reference, note, all, ids)| {
                    let bad = |what: &str| {
                        VaultError::Corrupt(format!("disclosure {seq} has an unknown {what}"))
                    };
                    Ok(Disclosure {
                        seq,
                        disclosed_at: time::from_text(&at),
                        recorded_at: time::from_text(&rec_at),
                        recorded_by: by,
                        channel: Channel::parse(&channel).ok_or_else(|| bad("channel"))?,
                        recipient: to,
                        permission: Permission::parse(&perm).map_err(|_| bad("permission"))?,
                        reference,
                        note,
                        all_records: all != 0,
                        records: serde_json::from_str(&ids).map_err(|_| bad("record list"))?,
                    })
                },
            )
            .collect()
    }
}
