//! Promotion to PSWP: a person chooses records one by one, sees field by field what would
//! leave (the de-identification report), and freezes the snapshots into the outbox.

use crate::{HarborError, Result, Session};
use harbor_core::deid;
use harbor_core::{Action, RecordKind};
use harbor_vault::outbox::{OutboxItem, Promotion};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What leaves with a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// What an agency may send its own PSO: the record as it is.
    Identifiable,
    /// 42 CFR 3.212 provider and reporter identifiers and HIPAA Safe Harbor patient
    /// identifiers removed, dates reduced to the year, free text withheld unless scrubbed.
    Nonidentifiable,
}

impl std::str::FromStr for Profile {
    type Err = crate::HarborError;

    /// `identifiable` or `nonidentifiable`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::parse(s).ok_or_else(|| {
            crate::HarborError::invalid_input(format!(
                "the profile is identifiable or nonidentifiable, not '{s}'"
            ))
        })
    }
}

impl Profile {
    /// The profile's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Identifiable => "identifiable",
            Profile::Nonidentifiable => "nonidentifiable",
        }
    }

    /// Parses a profile name.
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "identifiable" => Some(Profile::Identifiable),
            "nonidentifiable" => Some(Profile::Nonidentifiable),
            _ => None,
        }
    }
}

/// The preview of one record's promotion: what would leave and what would not.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PromotionPreview {
    /// The record.
    pub record_id: String,
    /// Its kind.
    pub kind: RecordKind,
    /// Whether it is a deliberation (protected without reporting; promoted only on purpose).
    pub deliberation: bool,
    /// The revision that would be frozen.
    pub revision: i64,
    /// The profile.
    pub profile: Profile,
    /// The body as it would leave.
    pub body: Value,
    /// Every field removed, generalised, withheld or scrubbed.
    pub report: Vec<deid::ReportLine>,
    /// The attachments that would leave with it (identifiable profile only: a file cannot
    /// be de-identified automatically, so the nonidentifiable profile withholds them and
    /// says so in the report).
    pub attachments: Vec<harbor_vault::attachments::Attachment>,
}

impl Session {
    /// Builds the previews of promoting `ids` with `profile`, without changing anything.
    /// `scrubbed` holds, per record id, free text a person rewrote without identifiers
    /// (by JSON Pointer). Refused for ePCRs (original records) and records whose PSES state
    /// does not allow promotion.
    pub fn preview_promotion(
        &mut self,
        ids: &[String],
        profile: Profile,
        scrubbed: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<Vec<PromotionPreview>> {
        self.require(Action::Promote)?;
        let empty = BTreeMap::new();
        let mut previews = Vec::with_capacity(ids.len());
        for id in ids {
            let (meta, _hash, body) = self.vault.current_body(id)?;
            let state = harbor_core::PsesState::parse(&meta.pses_state)
                .ok_or_else(|| harbor_vault::VaultError::Corrupt("unknown PSES state".into()))?;
            // Refuse early, with the state machine's reason (the vault checks again).
            harbor_core::pses::next_state(
                state,
                harbor_core::PsesTransition::Promote {
                    changed_since_report: true,
                },
            )
            .map_err(harbor_vault::VaultError::from)?;
            let (body, report) = match profile {
                Profile::Identifiable => (body, Vec::new()),
                Profile::Nonidentifiable => {
                    let d = deid::deidentify(meta.kind, &body, scrubbed.get(id).unwrap_or(&empty))
                        .map_err(|e| {
                            HarborError::from(harbor_vault::VaultError::BadSetting(e.to_string()))
                        })?;
                    (d.body, d.report)
                }
            };
            let mut attachments = self.vault.list_attachments(id)?;
            let mut report = report;
            if profile == Profile::Nonidentifiable {
                for (n, a) in attachments.drain(..).enumerate() {
                    report.push(deid::ReportLine {
                        field: format!("/attachments/{n}"),
                        treatment: deid::Treatment::Withheld,
                        reason: format!(
                            "a {} file ({} bytes) cannot be de-identified automatically; send it with the identifiable profile or not at all",
                            a.media_type, a.size
                        ),
                        to: None,
                    });
                }
            }
            previews.push(PromotionPreview {
                record_id: id.clone(),
                kind: meta.kind,
                deliberation: meta.kind.is_deliberation(),
                revision: meta.revision,
                profile,
                body,
                report,
                attachments,
            });
        }
        self.vault.audit(
            "pses.promote_preview",
            None,
            serde_json::json!({"records": ids.len(), "profile": profile.as_str()}),
        )?;
        self.pending_promotion = Some(previews.clone());
        Ok(previews)
    }

    /// Promotes what the last preview showed, exactly as it was shown: freezes each
    /// snapshot with its hash, records `promoted_pswp` in its ledger and queues it, all in
    /// one transaction. `ids` are the records the person confirmed; `preview_stale` (and
    /// nothing promoted) when there is no preview, when they are not the previewed records
    /// in the same order, or when one of them changed since. A preview is confirmed once.
    pub fn promote(&mut self, ids: &[String]) -> Result<Vec<OutboxItem>> {
        self.require(Action::Promote)?;
        let Some(previews) = self.pending_promotion.take() else {
            return Err(HarborError::new(
                crate::ErrorCode::PreviewStale,
                "there is no preview to confirm: preview the promotion again",
            ));
        };
        if previews.iter().map(|p| &p.record_id).ne(ids.iter()) {
            return Err(HarborError::new(
                crate::ErrorCode::PreviewStale,
                "the records confirmed are not the ones previewed: preview the promotion again",
            ));
        }
        for p in &previews {
            if self.vault.record_meta(&p.record_id)?.revision != p.revision {
                return Err(HarborError::new(
                    crate::ErrorCode::PreviewStale,
                    format!(
                        "record {} changed since the preview: preview the promotion again",
                        p.record_id
                    ),
                ));
            }
        }
        // Pseudonymous ids are per PSO: the enrolled one's pinned key names it.
        let pso = self
            .vault
            .stored_document("pso")?
            .and_then(|text| serde_json::from_str::<crate::PsoConfig>(&text).ok())
            .map(|c| c.pso_signing_key)
            .unwrap_or_default();
        let promotions = previews
            .into_iter()
            .map(|p| Promotion {
                record_id: p.record_id,
                revision: p.revision,
                profile: p.profile.as_str().to_owned(),
                body: p.body,
                report: serde_json::to_value(&p.report).expect("report serialises"),
                attachments: p.attachments.into_iter().map(|a| a.id).collect(),
                pso: pso.clone(),
            })
            .collect();
        Ok(self.vault.promote(promotions)?)
    }

    /// Takes a record's queued snapshot back out of the outbox.
    pub fn unqueue(&mut self, record_id: &str, reason: &str) -> Result<OutboxItem> {
        self.require(Action::Unqueue)?;
        Ok(self.vault.unqueue(record_id, reason)?)
    }

    /// A record's PSES state, without an audited read.
    pub fn record_meta_state(&mut self, id: &str) -> Result<String> {
        self.require(Action::RecordList)?;
        Ok(self.vault.record_meta(id)?.pses_state)
    }

    /// The outbox: every promoted snapshot and its state.
    pub fn outbox(&mut self) -> Result<Vec<OutboxItem>> {
        self.require(Action::RecordList)?;
        Ok(self.vault.outbox()?)
    }

    /// The frozen canonical snapshot of an outbox item (exactly the bytes that will leave).
    pub fn outbox_snapshot(&mut self, id: &str) -> Result<String> {
        self.require(Action::Promote)?;
        Ok(self.vault.outbox_snapshot(id)?)
    }
}
