//! The privilege log: for every record in scope, every PSES fact (entry under which policy
//! version, revisions, drop-out, promotion, disclosures, reporting with the PSO's receipt),
//! in date order, and nothing of the records' content. It is the document counsel serves
//! on the other side when privilege is challenged (`docs/counsel.md`).

use crate::{HarborError, Result, Session};
use chrono::{DateTime, Utc};
use harbor_core::disclosure::Permission;
use harbor_core::{Action, RecordKind};
use harbor_vault::disclosures::{Disclosure, DisclosureQuery};
use harbor_vault::policy::PolicyVersion;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The format tag of the JSON form.
pub const PRIVILEGE_LOG_FORMAT: &str = "harbor-privilege-log-1";

/// Which records the log covers: exactly one of `records`, a period (`since` and/or
/// `until`) or `all`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PrivilegeQuery {
    /// These records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
    /// The records that entered the PSES on or after this date (`YYYY-MM-DD` or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// ... and on or before this date (a date counts whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Every record in the PSES.
    #[serde(default)]
    pub all: bool,
}

/// The scope a log was made for, as its cover states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrivilegeScope {
    /// Records chosen by id.
    Records,
    /// The records that entered the PSES in a period.
    Period {
        /// From (inclusive), if given.
        since: Option<DateTime<Utc>>,
        /// Until (exclusive), if given.
        until: Option<DateTime<Utc>>,
    },
    /// Every record in the PSES.
    All,
}

/// What the log says of the audit chain and its outside anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AuditStatement {
    /// Rows in the chain when the log was made.
    pub rows: i64,
    /// Its head hash then.
    pub head: String,
    /// Whether the chain verified (every row's hash and link recomputed).
    pub verified: bool,
    /// The last head the PSO acknowledged in a signed receipt, if any.
    pub pso_anchor: Option<PsoAnchor>,
}

/// An audit head the PSO signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PsoAnchor {
    /// The head hash the receipt acknowledges.
    pub audit_head: String,
    /// The submission whose receipt it is.
    pub submission_id: String,
    /// When the PSO stored it.
    pub received_at: String,
}

/// A backup of the whole vault, as the disclosure log recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BackupStatement {
    /// When it was written.
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: String,
}

/// What a fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// Entered the PSES.
    EnteredPses,
    /// A revision was saved.
    Revision,
    /// Dropped out of the PSES (before reporting).
    DroppedOut,
    /// Promoted to PSWP: a snapshot frozen for the PSO.
    PromotedPswp,
    /// The snapshot was taken back out of the queue.
    Unqueued,
    /// Disclosed (see the disclosure log).
    Disclosed,
    /// Reported to the PSO, with its signed receipt.
    Reported,
    /// Another ledger entry (named in `event`).
    Other,
}

impl FactKind {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::EnteredPses => "entered_pses",
            FactKind::Revision => "revision",
            FactKind::DroppedOut => "dropped_out",
            FactKind::PromotedPswp => "promoted_pswp",
            FactKind::Unqueued => "unqueued",
            FactKind::Disclosed => "disclosed",
            FactKind::Reported => "reported",
            FactKind::Other => "other",
        }
    }
}

/// One PSES fact of a record. Only the fields of its kind are set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PrivilegeFact {
    /// What.
    pub fact: Option<FactKind>,
    /// When (UTC).
    pub at: Option<DateTime<Utc>>,
    /// By whom (a user of this vault, or `name@contact` for what a packet brought).
    pub by: String,
    /// The ledger entry's name, for `other`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The policy version in force (entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_version: Option<i64>,
    /// The revision (revision, promotion).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    /// A hash: the revision's (entry, revision) or the snapshot's (promotion, reporting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Why (drop-out, un-queueing), as the person wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The submission profile (promotion).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// To whom (disclosure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Under which permission (disclosure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<Permission>,
    /// Its citation (disclosure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// How (disclosure: packet, pso_submission, attachment_export, backup, outside_harbor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The PSO (reporting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pso: Option<String>,
    /// The submission (reporting) or the packet, attachment or submission (disclosure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// SHA-256 of the PSO's signed receipt (reporting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_sha256: Option<String>,
    /// The PSO's Ed25519 signature over the receipt (reporting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pso_signature: Option<String>,
    /// The id of the PSO key that signed it (reporting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pso_key_id: Option<String>,
}

/// One record of the log: what it is, and its facts in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PrivilegeRecord {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: RecordKind,
    /// A deliberation or analysis of the PSES (protected without reporting).
    pub deliberation: bool,
    /// Its PSES state when the log was made.
    pub pses_state: String,
    /// When it entered the PSES.
    pub entered_pses: DateTime<Utc>,
    /// The policy version in force then (none: before the vault kept its policy).
    pub policy_version: Option<i64>,
    /// Whether that version was Harbor's template, not yet the agency's own words.
    pub policy_template: bool,
    /// Every fact, oldest first.
    pub facts: Vec<PrivilegeFact>,
}

/// The privilege log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PrivilegeLog {
    /// Always [`PRIVILEGE_LOG_FORMAT`].
    pub format: String,
    /// The vault.
    pub vault_id: String,
    /// The agency's id at its PSO and the PSO's address, when enrolled.
    pub agency_id: Option<String>,
    /// The PSO's address.
    pub pso_url: Option<String>,
    /// When it was made.
    pub generated_at: DateTime<Utc>,
    /// By whom.
    pub generated_by: String,
    /// Which records it covers.
    pub scope: PrivilegeScope,
    /// Every version of the PSES policy (no text: `harbor policy show --version N`).
    pub policy_versions: Vec<PolicyVersion>,
    /// The audit chain and its anchor at the PSO.
    pub audit: AuditStatement,
    /// The encrypted backups of the whole vault (each holds every record then in it,
    /// within the PSES): listed once here rather than under every record.
    pub backups: Vec<BackupStatement>,
    /// The records.
    pub records: Vec<PrivilegeRecord>,
}

/// A written log: where, what, its hash.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PrivilegeLogWritten {
    /// The file.
    pub path: String,
    /// `json`, `csv` or `pdf`.
    pub format: String,
    /// Records in it.
    pub records: usize,
    /// Facts in it.
    pub facts: usize,
    /// SHA-256 of the file (also in the audit chain).
    pub sha256: String,
}

/// The forms the log is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrivilegeFormat {
    /// The JSON form (the typed [`PrivilegeLog`]).
    Json,
    /// One row per fact.
    Csv,
    /// For a court: a cover page and a table per record.
    Pdf,
}

impl PrivilegeFormat {
    /// `json`, `csv` or `pdf`; `invalid_input` otherwise.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "json" => Ok(PrivilegeFormat::Json),
            "csv" => Ok(PrivilegeFormat::Csv),
            "pdf" => Ok(PrivilegeFormat::Pdf),
            other => Err(HarborError::invalid_input(format!(
                "the privilege log is written as csv, pdf or json, not '{other}'"
            ))),
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            PrivilegeFormat::Json => "json",
            PrivilegeFormat::Csv => "csv",
            PrivilegeFormat::Pdf => "pdf",
        }
    }
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_owned)
}

impl Session {
    /// The privilege log of the records `query` names (administrators and quality
    /// officers). Refused with words for no scope or two, an unknown record, an ePCR (an
    /// original record, outside the PSES).
    pub fn privilege_log(&mut self, query: &PrivilegeQuery) -> Result<PrivilegeLog> {
        self.require(Action::PrivilegeLog)?;
        let period = query.since.is_some() || query.until.is_some();
        let chosen = [!query.records.is_empty(), period, query.all]
            .iter()
            .filter(|c| **c)
            .count();
        if chosen != 1 {
            return Err(HarborError::invalid_input(
                "say which records the privilege log covers: records by id, a period (since and/or until), or all",
            ));
        }
        let (scope, ids) = if query.all {
            (PrivilegeScope::All, self.vault.pses_record_ids(None, None)?)
        } else if period {
            let since = query
                .since
                .as_deref()
                .map(|s| crate::parse_when(s, "start date"))
                .transpose()?;
            let until = query.until.as_deref().map(crate::parse_until).transpose()?;
            (
                PrivilegeScope::Period { since, until },
                self.vault.pses_record_ids(since, until)?,
            )
        } else {
            let mut ids: Vec<String> = Vec::new();
            for id in &query.records {
                let id = id.trim().to_owned();
                if !id.is_empty() && !ids.contains(&id) {
                    ids.push(id);
                }
            }
            (PrivilegeScope::Records, ids)
        };
        let facts = self.vault.record_facts(&ids)?;
        let receipts = self.receipts_by_submission()?;
        // The whole disclosure log, read once: backups for the cover, the others by record.
        let (backups, disclosed): (Vec<_>, Vec<_>) = self
            .vault
            .disclosures(&DisclosureQuery::default())?
            .into_iter()
            .partition(|d| d.all_records);
        let mut by_record: HashMap<&str, Vec<&Disclosure>> = HashMap::new();
        for d in &disclosed {
            for id in &d.records {
                by_record.entry(id.as_str()).or_default().push(d);
            }
        }
        let mut records = Vec::with_capacity(facts.len());
        for f in facts {
            if f.meta.kind.is_original_record() {
                return Err(HarborError::invalid_input(format!(
                    "record {} is an imported ePCR, an original record outside the PSES: it has no place in the privilege log",
                    f.meta.id
                )));
            }
            let of_record = by_record.remove(f.meta.id.as_str()).unwrap_or_default();
            records.push(self.privilege_record(f, &receipts, &of_record)?);
        }
        let chain = self.vault.audit_verify()?;
        let pso = self.pso_config().ok();
        let policy_versions = self.vault.policy_versions()?;
        // Each version's text must still match the hash its adoption audited: a log that
        // names a policy the vault no longer holds as adopted is not made.
        for p in &policy_versions {
            self.vault.policy(Some(p.version))?;
        }
        Ok(PrivilegeLog {
            format: PRIVILEGE_LOG_FORMAT.to_owned(),
            vault_id: self.vault.vault_id().to_owned(),
            agency_id: pso.as_ref().map(|p| p.agency_id.clone()),
            pso_url: pso.map(|p| p.url),
            generated_at: Utc::now(),
            generated_by: self.user_name().to_owned(),
            scope,
            policy_versions,
            backups: backups
                .into_iter()
                .map(|d| BackupStatement {
                    at: d.disclosed_at,
                    by: d.recorded_by,
                })
                .collect(),
            audit: AuditStatement {
                rows: chain.rows,
                head: chain.head,
                verified: chain.first_bad.is_none(),
                pso_anchor: receipts.last_anchor,
            },
            records,
        })
    }

    /// Writes the privilege log to `out` (a new file) as `format`, and audits it with the
    /// file's hash.
    pub fn write_privilege_log(
        &mut self,
        query: &PrivilegeQuery,
        format: PrivilegeFormat,
        out: &Path,
    ) -> Result<PrivilegeLogWritten> {
        let log = self.privilege_log(query)?;
        let bytes = match format {
            PrivilegeFormat::Json => {
                let mut b = serde_json::to_vec_pretty(&log).expect("the log serialises");
                b.push(b'\n');
                b
            }
            PrivilegeFormat::Csv => privilege_csv(&log).into_bytes(),
            PrivilegeFormat::Pdf => crate::privilege_pdf::render(&log)?,
        };
        write_new_file(out, &bytes)?;
        let sha256 = harbor_core::canonical::sha256_hex(&bytes);
        // A log the audit chain does not name must not be handed out: it goes if the
        // audit row cannot be written.
        if let Err(e) = self
            .vault
            .note_privilege_log(log.records.len(), format.as_str(), &sha256)
        {
            let _ = std::fs::remove_file(out);
            return Err(e.into());
        }
        Ok(PrivilegeLogWritten {
            path: out.display().to_string(),
            format: format.as_str().to_owned(),
            records: log.records.len(),
            facts: log.records.iter().map(|r| r.facts.len()).sum(),
            sha256,
        })
    }

    fn receipts_by_submission(&self) -> Result<Receipts> {
        let mut out = Receipts::default();
        // Oldest first, so the last one seen is the newest anchor.
        let mut rows = self.vault.submissions()?;
        rows.reverse();
        for row in rows {
            let Some(receipt) = row.receipt.as_deref() else {
                continue;
            };
            let Ok(signed) = serde_json::from_str::<harbor_protocol::SignedReceipt>(receipt) else {
                continue;
            };
            out.last_anchor = Some(PsoAnchor {
                audit_head: signed.receipt.audit_head.clone(),
                submission_id: row.id.clone(),
                received_at: signed.receipt.received_at.clone(),
            });
            out.by_submission.insert(
                row.id.clone(),
                (
                    harbor_core::canonical::sha256_hex(receipt.as_bytes()),
                    signed.signature.clone(),
                    signed.key_id.clone(),
                ),
            );
        }
        Ok(out)
    }

    fn privilege_record(
        &self,
        f: harbor_vault::privilege::RecordFacts,
        receipts: &Receipts,
        disclosures: &[&Disclosure],
    ) -> Result<PrivilegeRecord> {
        let entered_at = f
            .events
            .iter()
            .find(|e| e.event == "entered_pses")
            .map(|e| e.at)
            .unwrap_or(f.meta.created_at);
        let in_force = self.vault.policy_in_force_at(entered_at)?;
        let policy_version = in_force.as_ref().map(|p| p.version);
        let policy_template = in_force.is_some_and(|p| p.template);
        let mut facts: Vec<PrivilegeFact> = Vec::new();
        for e in &f.events {
            let d = &e.detail;
            let base = PrivilegeFact {
                at: Some(e.at),
                by: e.by.clone(),
                ..Default::default()
            };
            let fact = match e.event.as_str() {
                "entered_pses" => PrivilegeFact {
                    fact: Some(FactKind::EnteredPses),
                    policy_version,
                    hash: text(d, "revision_hash"),
                    ..base
                },
                "dropped_out" => PrivilegeFact {
                    fact: Some(FactKind::DroppedOut),
                    reason: text(d, "reason"),
                    ..base
                },
                "promoted_pswp" => PrivilegeFact {
                    fact: Some(FactKind::PromotedPswp),
                    hash: text(d, "snapshot_hash"),
                    profile: text(d, "profile"),
                    revision: d.get("revision").and_then(|r| r.as_i64()),
                    ..base
                },
                "unqueued" => PrivilegeFact {
                    fact: Some(FactKind::Unqueued),
                    reason: text(d, "reason"),
                    ..base
                },
                "reported" => {
                    let submission = text(d, "submission_id");
                    let signed = submission
                        .as_ref()
                        .and_then(|s| receipts.by_submission.get(s));
                    PrivilegeFact {
                        fact: Some(FactKind::Reported),
                        hash: text(d, "snapshot_hash"),
                        pso: text(d, "pso"),
                        receipt_sha256: text(d, "receipt_sha256"),
                        pso_signature: signed.map(|s| s.1.clone()),
                        pso_key_id: signed.map(|s| s.2.clone()),
                        reference: submission,
                        ..base
                    }
                }
                // Disclosures come from the disclosure log, which has them all.
                "disclosed" | "disclosed_in_pses" => continue,
                other => PrivilegeFact {
                    fact: Some(FactKind::Other),
                    event: Some(other.to_owned()),
                    ..base
                },
            };
            facts.push(fact);
        }
        for r in &f.revisions {
            facts.push(PrivilegeFact {
                fact: Some(FactKind::Revision),
                at: Some(r.at),
                by: r.author.clone(),
                revision: Some(r.rev),
                hash: Some(r.hash.clone()),
                ..Default::default()
            });
        }
        // Backups hold every record: the cover lists them once (see `PrivilegeLog::backups`).
        for d in disclosures {
            facts.push(PrivilegeFact {
                fact: Some(FactKind::Disclosed),
                at: Some(d.disclosed_at),
                by: d.recorded_by.clone(),
                to: Some(d.recipient.clone()),
                permission: Some(d.permission),
                citation: d.permission.citation().map(str::to_owned),
                channel: Some(d.channel.as_str().to_owned()),
                reference: d.reference.clone(),
                ..Default::default()
            });
        }
        // Date order; at one instant, the entry first and the reporting last.
        facts.sort_by_key(|x| (x.at, fact_rank(x.fact)));
        Ok(PrivilegeRecord {
            id: f.meta.id,
            kind: f.meta.kind,
            deliberation: f.meta.deliberation,
            pses_state: f.meta.pses_state,
            entered_pses: entered_at,
            policy_version,
            policy_template,
            facts,
        })
    }
}

fn fact_rank(f: Option<FactKind>) -> u8 {
    match f {
        Some(FactKind::EnteredPses) => 0,
        Some(FactKind::Revision) => 1,
        Some(FactKind::Reported) => 9,
        _ => 5,
    }
}

#[derive(Default)]
struct Receipts {
    /// Submission id → (receipt SHA-256, signature, key id).
    by_submission: HashMap<String, (String, String, String)>,
    last_anchor: Option<PsoAnchor>,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 22] = [
    "record_id",
    "kind",
    "deliberation",
    "pses_state",
    "entered_pses",
    "policy_version_at_entry",
    "fact",
    "at",
    "by",
    "event",
    "policy_version",
    "revision",
    "hash",
    "reason",
    "profile",
    "to",
    "permission",
    "citation",
    "channel",
    "reference",
    "receipt_sha256",
    "pso_signature",
];

/// One row per fact (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@` first) is prefixed with `'`, so a name typed into Harbor cannot become one.
pub fn privilege_csv(log: &PrivilegeLog) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    let t = |d: &Option<DateTime<Utc>>| {
        d.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    for r in &log.records {
        for f in &r.facts {
            let cells: [String; 22] = [
                r.id.clone(),
                r.kind.as_str().to_owned(),
                r.deliberation.to_string(),
                r.pses_state.clone(),
                t(&Some(r.entered_pses)),
                r.policy_version.map(|v| v.to_string()).unwrap_or_default(),
                f.fact.map(|k| k.as_str()).unwrap_or_default().to_owned(),
                t(&f.at),
                f.by.clone(),
                f.event.clone().unwrap_or_default(),
                f.policy_version.map(|v| v.to_string()).unwrap_or_default(),
                f.revision.map(|v| v.to_string()).unwrap_or_default(),
                f.hash.clone().unwrap_or_default(),
                f.reason.clone().unwrap_or_default(),
                f.profile.clone().unwrap_or_default(),
                f.to.clone().unwrap_or_default(),
                f.permission
                    .map(|p| p.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                f.citation.clone().unwrap_or_default(),
                f.channel.clone().unwrap_or_default(),
                f.reference.clone().unwrap_or_default(),
                f.receipt_sha256.clone().unwrap_or_default(),
                f.pso_signature.clone().unwrap_or_default(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{c}")
    } else {
        c.to_owned()
    };
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

/// Writes `bytes` to `out`, which must not exist: through a temporary file in the same
/// folder, so a crash leaves either nothing or the whole file.
fn write_new_file(out: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |action: &'static str| {
        move |source: std::io::Error| {
            HarborError::from(harbor_vault::VaultError::Io {
                action,
                path: out.to_owned(),
                source,
            })
        }
    };
    if out.exists() {
        return Err(HarborError::invalid_input(format!(
            "{} exists: choose a new file name (nothing was overwritten)",
            out.display()
        )));
    }
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".harbor-privilege-")
        .tempfile_in(dir)
        .map_err(io("write"))?;
    tmp.write_all(bytes).map_err(io("write"))?;
    tmp.as_file().sync_all().map_err(io("write"))?;
    tmp.persist_noclobber(out)
        .map_err(|e| io("write")(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_cannot_become_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
    }
}
