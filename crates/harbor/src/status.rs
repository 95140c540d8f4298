//! What the PSES holds now and when the next periodic submission to the PSO is due.

use crate::{HarborError, Result, Session};
use chrono::{DateTime, Utc};
use harbor_core::Action;
use serde::{Deserialize, Serialize};

/// How often the agency submits to its PSO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cadence {
    /// Days between submissions.
    pub days: u32,
    /// When the cadence was set (the clock starts there until the first submission).
    pub since: DateTime<Utc>,
}

impl Cadence {
    /// Parses `monthly`, `weekly` or a number of days (1 to 366), or says what it takes.
    pub fn parse_days(s: &str) -> crate::Result<u32> {
        match s.trim() {
            "monthly" => Some(30),
            "weekly" => Some(7),
            n => n.parse().ok().filter(|d| (1..=366).contains(d)),
        }
        .ok_or_else(|| {
            HarborError::invalid_input(format!(
                "the cadence is monthly, weekly or a number of days from 1 to 366, not '{s}'"
            ))
        })
    }
}

/// The status view.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Status {
    /// Records by PSES state, reviews waiting, snapshots queued.
    #[serde(flatten)]
    pub counts: harbor_vault::outbox::Counts,
    /// The submission cadence, if set.
    pub cadence: Option<Cadence>,
    /// When the next submission is due, if a cadence is set.
    pub next_submission_due: Option<DateTime<Utc>>,
    /// Whether it is due now (or overdue).
    pub due_now: bool,
    /// Whether the PSES policy still needs an administrator's review: none adopted, or
    /// Harbor's template as it came with the vault (`harbor policy`).
    pub policy_needs_review: bool,
}

impl Session {
    /// Sets how often the agency submits to its PSO.
    pub fn set_cadence(&mut self, days: u32) -> Result<Cadence> {
        self.require(Action::Promote)?;
        if !(1..=366).contains(&days) {
            return Err(HarborError::from(harbor_vault::VaultError::BadSetting(
                "the cadence is monthly, weekly or a number of days from 1 to 366".into(),
            )));
        }
        let cadence = Cadence {
            days,
            since: Utc::now(),
        };
        let text = serde_json::to_string(&cadence).expect("cadence serialises");
        self.vault
            .store_document("pso_cadence", &text, "pso.cadence")?;
        Ok(cadence)
    }

    /// What the PSES holds now and when the next submission is due.
    pub fn status(&mut self) -> Result<Status> {
        self.require(Action::RecordList)?;
        let counts = self.vault.counts()?;
        let cadence: Option<Cadence> = self
            .vault
            .stored_document("pso_cadence")?
            .and_then(|t| serde_json::from_str(&t).ok());
        // Submissions come with the sync module; until one has happened the clock runs
        // from when the cadence was set.
        let next = cadence.map(|c| c.since + chrono::Duration::days(i64::from(c.days)));
        Ok(Status {
            counts,
            cadence,
            due_now: next.is_some_and(|n| n <= Utc::now()),
            next_submission_due: next,
            policy_needs_review: self.policy_needs_review()?,
        })
    }
}
