//! Throttling of failed unlocks, kept in `unlock-throttle.json` beside the vault so that it
//! survives a restart. The file holds counters and times under user tags, nothing secret.
//! A failed unlock cannot write to the encrypted database (it has no key), so the failures
//! wait here and enter the audit chain at the next successful unlock.
//!
//! Every read-check-write of the file happens under an exclusive lock on
//! `unlock-throttle.lock`, held across the Argon2 derivation, so parallel processes see
//! each other's failures. A file that does not parse is not "no failures": it makes every
//! attempt wait [`MAX_DELAY_SECS`] from the time the file was last written, and the next
//! successful unlock records in the audit chain that it was found unreadable.

use crate::filelock::FileLock;
use crate::{Result, VaultError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Failures allowed before any delay.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest delay, in seconds.
pub const MAX_DELAY_SECS: u64 = 15 * 60;
/// How many failure times are kept per tag for the audit trail.
const KEEP_FAILURES: usize = 100;

/// Failures of one user tag.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Failures {
    /// Consecutive failures since the last success.
    pub count: u32,
    /// When the last failure happened (Unix seconds).
    pub last_unix: i64,
    /// Times of failures not yet written to the audit chain (RFC 3339).
    #[serde(default)]
    pub unaudited: Vec<String>,
}

/// The whole throttle file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Throttle {
    /// Failures by user tag.
    pub tags: BTreeMap<String, Failures>,
    /// When a throttle file was found unreadable (RFC 3339), not yet audited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
    /// While loaded from an unreadable file: no attempt before this time (Unix seconds).
    #[serde(skip)]
    unreadable_until: Option<i64>,
}

/// The delay after `count` consecutive failures.
pub fn delay_after(count: u32) -> u64 {
    if count < FREE_ATTEMPTS {
        0
    } else {
        let exp = (count - FREE_ATTEMPTS).min(20);
        (1u64 << exp).min(MAX_DELAY_SECS)
    }
}

impl Throttle {
    /// Takes the exclusive lock that serialises every use of the throttle file at `path`
    /// (the lock file is `path` with the extension `lock`).
    pub fn lock(path: &Path) -> Result<FileLock> {
        FileLock::exclusive(&path.with_extension("lock"))
    }

    /// Reads the file; a missing file is an empty throttle. A file that does not parse
    /// makes every attempt wait [`MAX_DELAY_SECS`] from its modification time and is
    /// remembered for the audit chain. (Whoever can write the vault folder can still
    /// delete the file; Argon2id is what makes each guess expensive, the throttle slows
    /// guessing through Harbor.)
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(throttle) => Ok(throttle),
                Err(_) => Ok(Self::unreadable(path)),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Throttle::default()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Ok(Self::unreadable(path)),
            Err(e) => Err(VaultError::io("read", path)(e)),
        }
    }

    /// The throttle standing for a file that does not parse.
    fn unreadable(path: &Path) -> Self {
        let now = chrono::Utc::now();
        let written = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .map(chrono::DateTime::<chrono::Utc>::from)
            .unwrap_or(now)
            // A modification time in the future must not lock out for longer.
            .min(now);
        Throttle {
            tags: BTreeMap::new(),
            unreadable: vec![crate::time::to_text(now)],
            unreadable_until: Some(written.timestamp().saturating_add(MAX_DELAY_SECS as i64)),
        }
    }

    /// Writes the file atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("throttle serialises");
        crate::vault::write_atomically(path, text.as_bytes())
    }

    /// Seconds to wait before `tag` may try again, at `now_unix`.
    pub fn wait_secs(&self, tag: &str, now_unix: i64) -> u64 {
        let unreadable = self
            .unreadable_until
            .map(|until| u64::try_from(until.saturating_sub(now_unix)).unwrap_or(0))
            .unwrap_or(0);
        let Some(f) = self.tags.get(tag) else {
            return unreadable;
        };
        let until = f.last_unix.saturating_add(delay_after(f.count) as i64);
        u64::try_from(until.saturating_sub(now_unix))
            .unwrap_or(0)
            .max(unreadable)
    }

    /// Takes the times an unreadable throttle file was found, for the audit chain.
    pub fn take_unreadable(&mut self) -> Vec<String> {
        std::mem::take(&mut self.unreadable)
    }

    /// Records a failure of `tag`.
    pub fn record_failure(&mut self, tag: &str, now: chrono::DateTime<chrono::Utc>) {
        let f = self.tags.entry(tag.to_owned()).or_default();
        f.count = f.count.saturating_add(1);
        f.last_unix = now.timestamp();
        f.unaudited.push(crate::time::to_text(now));
        if f.unaudited.len() > KEEP_FAILURES {
            let excess = f.unaudited.len() - KEEP_FAILURES;
            f.unaudited.drain(..excess);
        }
    }

    /// Takes every failure not yet audited, for every tag, and resets `tag`'s counter.
    pub fn take_on_success(&mut self, tag: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (t, f) in &mut self.tags {
            out.extend(f.unaudited.drain(..).map(|at| (t.clone(), at)));
        }
        self.tags.remove(tag);
        self.tags.retain(|_, f| f.count > 0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_after_the_free_attempts_and_is_capped() {
        assert_eq!(delay_after(0), 0);
        assert_eq!(delay_after(2), 0);
        assert_eq!(delay_after(3), 1);
        assert_eq!(delay_after(4), 2);
        assert_eq!(delay_after(8), 32);
        assert_eq!(delay_after(40), MAX_DELAY_SECS);
    }

    #[test]
    fn waits_are_counted_from_the_last_failure() {
        let mut t = Throttle::default();
        let now = chrono::Utc::now();
        for _ in 0..5 {
            t.record_failure("a", now);
        }
        assert_eq!(t.wait_secs("a", now.timestamp()), 4);
        assert_eq!(t.wait_secs("a", now.timestamp() + 4), 0);
        assert_eq!(t.wait_secs("b", now.timestamp()), 0);
        let audited = t.take_on_success("a");
        assert_eq!(audited.len(), 5);
        assert_eq!(t.wait_secs("a", now.timestamp()), 0);
    }

    #[test]
    fn a_garbage_throttle_file_makes_every_tag_wait_the_maximum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unlock-throttle.json");
        std::fs::write(&path, b"{ not json").unwrap();
        let t = Throttle::load(&path).unwrap();
        let now = chrono::Utc::now().timestamp();
        assert!(t.wait_secs("anyone", now) >= MAX_DELAY_SECS - 5);
        assert_eq!(t.wait_secs("anyone", now + MAX_DELAY_SECS as i64 + 5), 0);
        assert_eq!(t.unreadable.len(), 1);
        // Saved again, the record that it was unreadable survives until audited.
        t.save(&path).unwrap();
        let mut again = Throttle::load(&path).unwrap();
        assert_eq!(again.take_unreadable().len(), 1);
    }

    #[test]
    fn an_unknown_user_name_runs_the_same_argon2_derivation_as_a_wrong_passphrase() {
        use crate::{KdfParams, Passphrase, Vault};
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("v");
        let pass = Passphrase::new("tidal-orchid-ledger-42".into());
        Vault::create(&folder, "admin", &pass, KdfParams::MINIMUM).unwrap();
        let vault = Vault::open(&folder).unwrap();
        let wrong = Passphrase::new("not-the-right-passphrase".into());
        let before = crate::keyslots::derivation_count();
        assert!(vault.unlock("admin", &wrong).is_err());
        let known = crate::keyslots::derivation_count() - before;
        let before = crate::keyslots::derivation_count();
        assert!(vault.unlock("nobody-by-this-name", &wrong).is_err());
        let unknown = crate::keyslots::derivation_count() - before;
        assert_eq!(known, 1);
        assert_eq!(
            unknown, known,
            "an unknown name must cost one derivation too"
        );
    }
}
