//! Throttling of failed unlocks, kept in `unlock-throttle.json` beside the vault so that it
//! survives a restart. The file holds counters and times under user tags, nothing secret.
//! A failed unlock cannot write to the encrypted database (it has no key), so the failures
//! wait here and enter the audit chain at the next successful unlock.

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
    /// Reads the file; a missing or unreadable file is an empty throttle. (Whoever can
    /// write the vault folder can reset the throttle; Argon2id is what makes each guess
    /// expensive, the throttle slows guessing at the keyboard.)
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(serde_json::from_str(&text).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Throttle::default()),
            Err(e) => Err(VaultError::io("read", path)(e)),
        }
    }

    /// Writes the file atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("throttle serialises");
        crate::vault::write_atomically(path, text.as_bytes())
    }

    /// Seconds to wait before `tag` may try again, at `now_unix`.
    pub fn wait_secs(&self, tag: &str, now_unix: i64) -> u64 {
        let Some(f) = self.tags.get(tag) else {
            return 0;
        };
        let until = f.last_unix.saturating_add(delay_after(f.count) as i64);
        u64::try_from(until.saturating_sub(now_unix)).unwrap_or(0)
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
}
