//! The disclosure log: every disclosure of PSWP, those Harbor makes (case packets,
//! submissions to the PSO, attachments written out, backups, logged as they happen) and
//! those people make outside Harbor and record here, each with the permission of
//! 42 CFR 3.206 it was made under.

use crate::{HarborError, Result, Session};
use harbor_core::Action;
use harbor_core::disclosure::Permission;
use harbor_vault::disclosures::{Disclosure, DisclosureQuery};
use serde::{Deserialize, Serialize};

/// The longest recipient accepted, in characters.
const MAX_RECIPIENT: usize = 200;
/// The longest note accepted, in characters.
const MAX_NOTE: usize = 2000;
/// The most records one recorded disclosure may name.
const MAX_RECORDS: usize = 10_000;

/// A disclosure made outside Harbor, as a person records it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DisclosureInput {
    /// The records disclosed (their ids).
    pub records: Vec<String>,
    /// To whom (a person or an organisation).
    pub to: String,
    /// The permission it was made under.
    pub exception: Permission,
    /// When: a date (`YYYY-MM-DD`, taken as midnight UTC) or an RFC 3339 time; not in the
    /// future.
    pub date: String,
    /// What was disclosed and why, in a few words (no patient details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which disclosures to list; each may be left out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DisclosureFilters {
    /// Only those of this record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Made on or after this date (`YYYY-MM-DD` or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Made on or before this date (a date counts whole; an RFC 3339 time: before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// A permission, for a face to offer.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PermissionInfo {
    /// Its name.
    pub name: Permission,
    /// The paragraph of 42 CFR Part 3 it rests on (none for a use within the PSES).
    pub citation: Option<&'static str>,
    /// What it permits.
    pub description: &'static str,
}

/// Every disclosure permission with its citation.
pub fn disclosure_permissions() -> Vec<PermissionInfo> {
    Permission::ALL
        .into_iter()
        .map(|p| PermissionInfo {
            name: p,
            citation: p.citation(),
            description: p.description(),
        })
        .collect()
}

/// A disclosure permission by its name; `invalid_input` lists them.
pub fn parse_permission(name: &str) -> Result<Permission> {
    Permission::parse(name).map_err(HarborError::invalid_input)
}

/// A date (`YYYY-MM-DD`, midnight UTC) or an RFC 3339 time; `invalid_input` names `what`.
pub fn parse_when(s: &str, what: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        .map_err(|_| {
            HarborError::invalid_input(format!(
                "the {what} is a date (YYYY-MM-DD) or an RFC 3339 time, not '{s}'"
            ))
        })
}

/// The end of a period: a date counts whole (the next midnight), a time as given.
pub fn parse_until(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    let at = parse_when(s, "end date")?;
    Ok(if chrono::DateTime::parse_from_rfc3339(s.trim()).is_ok() {
        at
    } else {
        at + chrono::Duration::days(1)
    })
}

fn check_text(what: &str, text: &str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(HarborError::invalid_input(format!(
            "the {what} is over {max} characters: shorten it"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(HarborError::invalid_input(format!(
            "the {what} has a control character (a line break or tab): write it on one line"
        )));
    }
    Ok(())
}

impl Session {
    /// Records a disclosure made outside Harbor (administrators and quality officers;
    /// audited). Refused with words for no records, an empty or overlong recipient, a date
    /// in the future or before a record entered the PSES, an ePCR or a dropped-out record.
    pub fn record_disclosure(&mut self, input: &DisclosureInput) -> Result<Disclosure> {
        self.require(Action::DisclosureRecord)?;
        let mut records: Vec<String> = input.records.iter().map(|r| r.trim().to_owned()).collect();
        records.retain(|r| !r.is_empty());
        records.sort();
        records.dedup();
        if records.is_empty() {
            return Err(HarborError::invalid_input(
                "name at least one record that was disclosed",
            ));
        }
        if records.len() > MAX_RECORDS {
            return Err(HarborError::invalid_input(format!(
                "one disclosure names at most {MAX_RECORDS} records: record it in parts"
            )));
        }
        let to = input.to.trim();
        if to.is_empty() {
            return Err(HarborError::invalid_input(
                "say to whom the records were disclosed",
            ));
        }
        check_text("recipient", to, MAX_RECIPIENT)?;
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        if let Some(n) = note {
            check_text("note", n, MAX_NOTE)?;
        }
        if input.exception == Permission::WithinPses {
            return Err(HarborError::invalid_input(
                "within_pses is for Harbor's own packets and backups, not a disclosure to someone: choose the permission of 42 CFR 3.206 it was made under",
            ));
        }
        let at = parse_when(&input.date, "disclosure date")?;
        let date_only = chrono::DateTime::parse_from_rfc3339(input.date.trim()).is_err();
        if at > chrono::Utc::now() {
            return Err(HarborError::invalid_input(
                "the disclosure date is in the future: record a disclosure once it is made",
            ));
        }
        Ok(self
            .vault
            .record_disclosure(&records, to, input.exception, at, date_only, note)?)
    }

    /// The disclosure log, oldest first (administrators and quality officers).
    pub fn disclosures(&mut self, filters: &DisclosureFilters) -> Result<Vec<Disclosure>> {
        self.require(Action::DisclosureRead)?;
        let query = DisclosureQuery {
            record: filters
                .record
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
            since: filters
                .since
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse_when(s, "start date"))
                .transpose()?,
            until: filters
                .until
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(parse_until)
                .transpose()?,
        };
        if let Some(id) = &query.record {
            // An unknown record is named as such rather than listed as never disclosed.
            self.vault.record_meta(id)?;
        }
        Ok(self.vault.disclosures(&query)?)
    }
}
