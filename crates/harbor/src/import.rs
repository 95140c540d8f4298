//! NEMSIS import through the service: walk the paths, read each file with the hardened
//! reader, decide which calls need a review (trigger rules, "all", or a random sample),
//! and hand each file to the vault as one transaction. A file that fails imports nothing
//! and the batch goes on.

use crate::{HarborError, Result, Session};
use harbor_core::Action;
use harbor_nemsis::triggers::{self, TriggerConfig};
use harbor_nemsis::{Limits, read_document};
use harbor_vault::epcr::{EpcrInput, EpcrOutcome};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which calls get a call review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewMode {
    /// Calls on which a trigger rule fires (the default).
    #[default]
    Triggered,
    /// Every call.
    All,
    /// None: import the references only.
    None,
}

impl std::str::FromStr for ReviewMode {
    type Err = crate::HarborError;

    /// `triggered`, `all` or `none`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "triggered" => Ok(ReviewMode::Triggered),
            "all" => Ok(ReviewMode::All),
            "none" => Ok(ReviewMode::None),
            other => Err(crate::HarborError::invalid_input(format!(
                "the review choice is triggered, all or none, not '{other}'"
            ))),
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Which calls get a review.
    pub review: ReviewMode,
    /// Also review this share (0 to 100 %) of the calls no rule flagged, chosen at random.
    pub sample_percent: Option<f64>,
    /// Reader limits.
    pub limits: Limits,
}

/// A file that was not imported, and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileFailure {
    /// The file.
    pub file: String,
    /// Why, naming the line or element.
    pub reason: String,
}

/// Progress, reported after each file.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct ImportProgress {
    /// Files done (imported or failed).
    pub files_done: usize,
    /// Files found.
    pub files_total: usize,
    /// Reports read so far.
    pub reports: usize,
    /// Seconds since the start.
    pub elapsed_secs: f64,
}

/// The end of an import.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct ImportSummary {
    /// Files found.
    pub files: usize,
    /// Reports read.
    pub reports: usize,
    /// New references.
    pub imported: usize,
    /// Changed reports saved as new revisions.
    pub updated: usize,
    /// Reports already in the vault unchanged.
    pub unchanged: usize,
    /// Call reviews created (flagged for review).
    pub flagged_for_review: usize,
    /// Reviews created by each rule (a review can count under several).
    pub by_rule: std::collections::BTreeMap<String, usize>,
    /// Reports imported with warnings (imperfect but readable).
    pub with_warnings: usize,
    /// Files not imported.
    pub failed: Vec<FileFailure>,
    /// Seconds taken.
    pub elapsed_secs: f64,
    /// Bytes read.
    pub bytes: u64,
}

/// Every NEMSIS file under `paths`: files as given, folders walked for `*.xml`, sorted.
/// Unreadable folders become failures.
fn collect(paths: &[PathBuf], failed: &mut Vec<FileFailure>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => match std::fs::read_dir(&p) {
                Ok(entries) => {
                    let mut children: Vec<PathBuf> =
                        entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    for c in children.into_iter().rev() {
                        if c.is_dir()
                            || c.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                        {
                            stack.push(c);
                        }
                    }
                }
                Err(e) => failed.push(FileFailure {
                    file: p.display().to_string(),
                    reason: format!("cannot read the folder: {e}"),
                }),
            },
            Ok(_) => out.push(p),
            Err(e) => failed.push(FileFailure {
                file: p.display().to_string(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    out
}

fn read_file(path: &Path, limits: &Limits) -> std::result::Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if size > limits.max_file_bytes {
        return Err(format!(
            "the file is {size} bytes, over the limit of {} bytes",
            limits.max_file_bytes
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

/// A parsed file waiting for its batch commit.
struct Pending {
    file: String,
    inputs: Vec<EpcrInput>,
}

/// The trigger hits that decide whether a call gets a review.
fn review_hits(
    r: &harbor_core::records::EpcrReference,
    config: &TriggerConfig,
    options: &ImportOptions,
) -> Vec<harbor_core::records::TriggerHit> {
    let mut hits = match options.review {
        ReviewMode::None => Vec::new(),
        _ => triggers::evaluate(r, config),
    };
    if options.review == ReviewMode::All && hits.is_empty() {
        hits.push(harbor_core::records::TriggerHit {
            rule: "review_all".into(),
            detail: "every call is reviewed (--review all)".into(),
        });
    }
    if hits.is_empty()
        && let Some(pct) = options.sample_percent
        && (uuid::Uuid::new_v4().as_u128() % 10_000) as f64 / 100.0 < pct
    {
        hits.push(harbor_core::records::TriggerHit {
            rule: "random_sample".into(),
            detail: format!("chosen in a {pct}% random sample"),
        });
    }
    hits
}

impl Session {
    /// Hands a batch of parsed files to the vault and tallies the outcomes. A damaged vault
    /// stops the import; any other failure fails that file only.
    fn flush(&mut self, batch: Vec<Pending>, summary: &mut ImportSummary) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let rules: Vec<Vec<Vec<String>>> = batch
            .iter()
            .map(|p| {
                p.inputs
                    .iter()
                    .map(|i| i.review.iter().flatten().map(|h| h.rule.clone()).collect())
                    .collect()
            })
            .collect();
        let names: Vec<String> = batch.iter().map(|p| p.file.clone()).collect();
        let results = self
            .vault
            .import_epcr_files(batch.into_iter().map(|p| (p.file, p.inputs)).collect());
        for ((result, rules), file) in results.into_iter().zip(rules).zip(names) {
            let outcomes = match result {
                Ok(o) => o,
                Err(e @ harbor_vault::VaultError::Corrupt(_)) => return Err(e.into()),
                Err(e) => {
                    summary.failed.push(FileFailure {
                        file,
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            for (outcome, rules) in outcomes.iter().zip(rules) {
                let review = match outcome {
                    EpcrOutcome::Imported { review_id, .. } => {
                        summary.imported += 1;
                        review_id.is_some()
                    }
                    EpcrOutcome::Updated { review_id, .. } => {
                        summary.updated += 1;
                        review_id.is_some()
                    }
                    EpcrOutcome::Unchanged { .. } => {
                        summary.unchanged += 1;
                        false
                    }
                };
                if review {
                    summary.flagged_for_review += 1;
                    for r in rules {
                        *summary.by_rule.entry(r).or_default() += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// The review trigger settings (defaults where the agency changed nothing).
    pub fn triggers(&mut self) -> Result<TriggerConfig> {
        self.require(Action::RecordList)?;
        self.trigger_config()
    }

    fn trigger_config(&self) -> Result<TriggerConfig> {
        Ok(match self.vault.stored_document("triggers")? {
            Some(text) => serde_json::from_str(&text).map_err(|_| {
                harbor_vault::VaultError::Corrupt(
                    "the stored trigger settings are not readable".into(),
                )
            })?,
            None => TriggerConfig::default(),
        })
    }

    /// Enables or disables a rule and changes its parameters (audited).
    pub fn set_trigger(
        &mut self,
        rule: &str,
        enabled: Option<bool>,
        params: &[(String, String)],
    ) -> Result<TriggerConfig> {
        self.require(Action::TriggersChange)?;
        let mut config = self.trigger_config()?;
        config
            .set(rule, enabled, params)
            .map_err(|e| HarborError::from(harbor_vault::VaultError::BadSetting(e.to_string())))?;
        let text = serde_json::to_string(&config).expect("trigger config serialises");
        self.vault
            .store_document("triggers", &text, "triggers.change")?;
        Ok(config)
    }

    /// The original XML of an imported ePCR (audited).
    pub fn epcr_source(&mut self, id: &str) -> Result<String> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.epcr_source(id)?)
    }

    /// Imports NEMSIS files and folders. Each file is imported whole or not at all (its
    /// own savepoint; up to 64 files share one commit); a file that fails is listed with
    /// its reason and the rest go on. Progress is reported after each commit.
    pub fn import_nemsis(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportSummary> {
        self.require(Action::EpcrImport)?;
        let config = self.trigger_config()?;
        let start = Instant::now();
        let mut summary = ImportSummary::default();
        let files = collect(paths, &mut summary.failed);
        summary.files = files.len() + summary.failed.len();
        let mut pending: Vec<Pending> = Vec::new();
        let mut pending_bytes = 0usize;
        let mut last_flush = Instant::now();
        let mut done = 0;
        for (n, path) in files.iter().enumerate() {
            let name = path.display().to_string();
            let parsed = read_file(path, &options.limits).and_then(|bytes| {
                summary.bytes += bytes.len() as u64;
                read_document(&bytes, &options.limits).map_err(|e| e.to_string())
            });
            match parsed {
                Err(reason) => {
                    summary.failed.push(FileFailure { file: name, reason });
                    done += 1;
                }
                Ok(reports) => {
                    summary.reports += reports.len();
                    let inputs: Vec<EpcrInput> = reports
                        .into_iter()
                        .map(|p| {
                            summary.with_warnings += usize::from(!p.reference.warnings.is_empty());
                            let hits = review_hits(&p.reference, &config, options);
                            EpcrInput {
                                reference: p.reference,
                                xml: p.xml,
                                review: (!hits.is_empty()).then_some(hits),
                            }
                        })
                        .collect();
                    pending_bytes += inputs.iter().map(|i| i.xml.len()).sum::<usize>();
                    pending.push(Pending { file: name, inputs });
                }
            }
            // Many small files share one commit (each file still all or nothing).
            let last = n + 1 == files.len();
            if last
                || pending.len() >= 64
                || pending_bytes >= 16 << 20
                || last_flush.elapsed().as_millis() >= 250
            {
                done += pending.len();
                self.flush(std::mem::take(&mut pending), &mut summary)?;
                pending_bytes = 0;
                last_flush = Instant::now();
                progress(&ImportProgress {
                    files_done: done,
                    files_total: files.len(),
                    reports: summary.reports,
                    elapsed_secs: start.elapsed().as_secs_f64(),
                });
            }
        }
        summary.elapsed_secs = start.elapsed().as_secs_f64();
        Ok(summary)
    }
}
