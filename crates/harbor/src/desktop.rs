//! Actions the desktop app offers beyond the CLI's: drafts saved as a person types, an
//! attachment's content for a preview, the dashboard's counts and trends, and the idle
//! time after which the app locks itself. Each checks the role like every other action.

use crate::{HarborError, Result, Session};
use harbor_core::Action;
use harbor_vault::VaultError;
use harbor_vault::attachments::Attachment;
pub use harbor_vault::desktop::Draft;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The idle time after which the desktop app locks, when the vault sets none.
pub const DEFAULT_AUTO_LOCK_MINUTES: f64 = 15.0;
/// The shortest idle time accepted (6 seconds; useful for a demonstration or a test).
pub const MIN_AUTO_LOCK_MINUTES: f64 = 0.1;
/// The longest idle time accepted (8 hours: one shift).
pub const MAX_AUTO_LOCK_MINUTES: f64 = 480.0;
/// The largest attachment shown in a preview (larger ones are exported to be opened).
pub const MAX_PREVIEW_BYTES: u64 = 32 * 1024 * 1024;
/// How many months the dashboard's trends cover.
pub const TREND_MONTHS: usize = 12;

/// A count per month for one value of a coded field.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Series {
    /// The coded value (`medication`, `near_miss`, `mild_harm`, ...).
    pub key: String,
    /// Counts, one per month of [`Dashboard::months`].
    pub counts: Vec<i64>,
    /// Their sum.
    pub total: i64,
}

/// What the dashboard shows: reviews by status and trends by category, event type and
/// harm (call reviews and investigations, by the month of the call or event).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Dashboard {
    /// Call reviews by workflow status.
    pub reviews_by_status: BTreeMap<String, i64>,
    /// The months the trends cover (`YYYY-MM`), oldest first.
    pub months: Vec<String>,
    /// By EMS event category (a record can count under several).
    pub by_category: Vec<Series>,
    /// By Common Formats event type.
    pub by_event_type: Vec<Series>,
    /// By harm level.
    pub by_harm: Vec<Series>,
}

/// The desktop app's own settings, stored in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DesktopSettings {
    /// Minutes without input after which the app locks.
    pub auto_lock_minutes: f64,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        DesktopSettings {
            auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES,
        }
    }
}

fn series(months: &[String], counts: BTreeMap<String, BTreeMap<String, i64>>) -> Vec<Series> {
    let mut out: Vec<Series> = counts
        .into_iter()
        .map(|(key, per_month)| {
            let counts: Vec<i64> = months
                .iter()
                .map(|m| per_month.get(m).copied().unwrap_or(0))
                .collect();
            let total = counts.iter().sum();
            Series { key, counts, total }
        })
        .filter(|s| s.total > 0)
        .collect();
    out.sort_by(|a, b| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
    out
}

impl Session {
    /// Saves the acting user's draft of a form under `key` (replacing the previous one).
    pub fn save_draft(&mut self, key: &str, body: &serde_json::Value) -> Result<()> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.save_draft(key, body)?)
    }

    /// The acting user's draft under `key`, if any.
    pub fn draft(&mut self, key: &str) -> Result<Option<Draft>> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.draft(key)?)
    }

    /// The keys of the acting user's drafts and when each was saved, newest first.
    pub fn drafts(&mut self) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.draft_keys()?)
    }

    /// Discards the acting user's draft under `key`.
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        self.require(Action::RecordRead)?;
        Ok(self.vault.discard_draft(key)?)
    }

    /// An attachment's content for a preview in the app (audited; hash checked; up to
    /// [`MAX_PREVIEW_BYTES`]).
    pub fn attachment_content(&mut self, attachment_id: &str) -> Result<(Attachment, Vec<u8>)> {
        self.require(Action::RecordRead)?;
        Ok(self
            .vault
            .attachment_content(attachment_id, MAX_PREVIEW_BYTES)?)
    }

    /// Reviews by status, and counts per month by EMS category, event type and harm over
    /// the last [`TREND_MONTHS`] months that have records.
    pub fn dashboard(&mut self) -> Result<Dashboard> {
        self.require(Action::RecordList)?;
        let reviews_by_status = self
            .vault
            .review_status_counts()?
            .into_iter()
            .collect::<BTreeMap<_, _>>();
        let months = self.vault.trend_months(TREND_MONTHS)?;
        let mut by_category: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        let mut by_event_type: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        let mut by_harm: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        if let Some(since) = months.first() {
            for c in self.vault.trend_counts(since)? {
                let table = match c.field {
                    "category" => &mut by_category,
                    "event_type" => &mut by_event_type,
                    _ => &mut by_harm,
                };
                table.entry(c.key).or_default().insert(c.month, c.count);
            }
        }
        Ok(Dashboard {
            reviews_by_status,
            by_category: series(&months, by_category),
            by_event_type: series(&months, by_event_type),
            by_harm: series(&months, by_harm),
            months,
        })
    }

    /// The desktop app's settings (every user reads them: the app locks for everyone).
    pub fn desktop_settings(&mut self) -> Result<DesktopSettings> {
        self.require(Action::RecordList)?;
        Ok(match self.vault.stored_document("desktop")? {
            Some(text) => serde_json::from_str(&text).map_err(|_| {
                VaultError::Corrupt("the stored desktop settings are not readable".into())
            })?,
            None => DesktopSettings::default(),
        })
    }

    /// Sets the idle time after which the desktop app locks (audited).
    pub fn set_auto_lock_minutes(&mut self, minutes: f64) -> Result<DesktopSettings> {
        self.require(Action::Settings)?;
        if !(MIN_AUTO_LOCK_MINUTES..=MAX_AUTO_LOCK_MINUTES).contains(&minutes) {
            return Err(HarborError::from(VaultError::BadSetting(format!(
                "the idle time before locking is {MIN_AUTO_LOCK_MINUTES} to {MAX_AUTO_LOCK_MINUTES} minutes"
            ))));
        }
        let settings = DesktopSettings {
            auto_lock_minutes: minutes,
        };
        let text = serde_json::to_string(&settings).expect("settings serialise");
        self.vault
            .store_document("desktop", &text, "settings.auto_lock")?;
        Ok(settings)
    }
}

/// Whether `dir` holds a vault (its key slot file reads), so the app offers to unlock it
/// rather than to set one up.
pub fn vault_exists(dir: &std::path::Path) -> bool {
    harbor_vault::Vault::open(dir).is_ok()
}

/// Who is signed in, as the desktop shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SessionInfo {
    /// The user's name.
    pub user: String,
    /// Their role.
    pub role: harbor_core::Role,
    /// Minutes without input after which the app locks.
    pub auto_lock_minutes: f64,
    /// The actions this role may take (`pses.drop_out`, ...), so the UI offers no button
    /// that can only be refused; the service checks every one again.
    pub allowed: Vec<String>,
}

impl SessionInfo {
    /// The session's user, role and allowed actions, with the shell's idle lock.
    pub fn of(session: &Session, auto_lock: std::time::Duration) -> Self {
        SessionInfo {
            user: session.user_name().to_owned(),
            role: session.role(),
            auto_lock_minutes: auto_lock.as_secs_f64() / 60.0,
            allowed: session
                .allowed_actions()
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect(),
        }
    }
}

/// What the desktop needs at start: whether a vault exists in its folder, and who is
/// signed in.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AppInfo {
    /// The vault folder.
    pub vault_dir: std::path::PathBuf,
    /// Whether a vault is there.
    pub vault_exists: bool,
    /// Who is signed in, if anyone.
    pub session: Option<SessionInfo>,
    /// The app's version.
    pub version: String,
}

/// A vault opened (created, unlocked or recovered).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Opened {
    /// Who is now signed in.
    pub session: Option<SessionInfo>,
    /// A new recovery code, to be shown once (after creating a vault or recovering one).
    pub recovery_code: Option<String>,
    /// After a recovery: whether the vault was re-keyed (see [`crate::Recovered`]).
    pub rekey: Option<crate::RekeyStatus>,
}

/// The settings screen: every setting with its help, the cadence and the idle lock.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SettingsView {
    /// Every setting, its value and what it means.
    pub settings: Vec<crate::Setting>,
    /// The submission cadence, if set.
    pub cadence: Option<crate::Cadence>,
    /// When the next submission is due, if a cadence is set.
    pub next_submission_due: Option<chrono::DateTime<chrono::Utc>>,
    /// Minutes without input after which the app locks.
    pub auto_lock_minutes: f64,
}

impl Session {
    /// What the settings screen shows (see [`SettingsView`]).
    pub fn settings_view(&mut self) -> Result<SettingsView> {
        let settings = self.settings_explained()?;
        let status = self.status()?;
        let desktop = self.desktop_settings()?;
        Ok(SettingsView {
            settings,
            cadence: status.cadence,
            next_submission_due: status.next_submission_due,
            auto_lock_minutes: desktop.auto_lock_minutes,
        })
    }
}

/// An attachment written out where the person chose, and where.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SavedAttachment {
    /// The attachment.
    pub attachment: Attachment,
    /// Where its copy is.
    pub path: std::path::PathBuf,
}

/// A case packet written where the person chose, and where.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PacketWritten {
    /// What it holds.
    #[serde(flatten)]
    pub summary: crate::PacketSummary,
    /// Where it is.
    pub path: std::path::PathBuf,
}

/// How far a submission's upload is: bytes sent of its total.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct SendProgress {
    /// Bytes sent.
    pub sent: u64,
    /// Bytes in all.
    pub total: u64,
}

/// The record list's filters as the desktop sends them: names, not types, so that a bad
/// one is refused with words ([`ListFilters::into_query`]). Each may be left out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListFilters {
    /// Only this kind (`call_review`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Only this workflow status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Only this PSES state (`in_pses`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pses_state: Option<String>,
    /// Created at or after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Created before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Page size (default 50, at most 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The cursor returned with the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl ListFilters {
    /// The query they name; an unknown kind or PSES state is `invalid_input`.
    pub fn into_query(self) -> Result<crate::ListQuery> {
        Ok(crate::ListQuery {
            kind: self
                .kind
                .as_deref()
                .map(crate::parse_record_kind)
                .transpose()?,
            status: self.status,
            pses_state: self
                .pses_state
                .as_deref()
                .map(crate::parse_pses_state)
                .transpose()?,
            since: self.since,
            until: self.until,
            limit: self.limit,
            after: self.after,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_name_a_query_and_an_unknown_name_is_refused_with_words() {
        let filters: ListFilters =
            serde_json::from_str(r#"{"kind": "call_review", "pses_state": "in_pses"}"#).unwrap();
        let q = filters.into_query().unwrap();
        assert_eq!(q.kind, Some(crate::RecordKind::CallReview));
        assert_eq!(q.pses_state, Some(crate::PsesState::InPses));
        let empty: ListFilters = serde_json::from_str("{}").unwrap();
        assert_eq!(empty.into_query().unwrap().kind, None);
        for bad in [r#"{"kind": "diary"}"#, r#"{"pses_state": "secret"}"#] {
            let filters: ListFilters = serde_json::from_str(bad).unwrap();
            let e = filters.into_query().unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{bad}: {}", e.message());
        }
    }
}
