//! Timestamps as stored: UTC, microseconds, fixed width, so text order is time order.

use chrono::{DateTime, SecondsFormat, Utc};

/// Now, in the stored form.
pub fn now() -> DateTime<Utc> {
    // Truncate to microseconds so what is stored and what is returned are equal.
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

/// The stored text form of a time.
pub fn to_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses a stored time.
pub fn from_text(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}
