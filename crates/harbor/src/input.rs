//! Words and text the faces hand the service (record kinds, PSES states, roles, record
//! JSON) and the record templates and schemas they show, parsed once here so that both
//! faces accept and refuse the same things.

use crate::{HarborError, PsesState, RecordKind, Result, Role};
use serde_json::Value;

/// An empty record of `kind`, with every field the person fills in.
pub fn record_template(kind: RecordKind) -> Value {
    harbor_core::records::template(kind)
}

/// The JSON Schema a record of `kind` must satisfy.
pub fn record_schema(kind: RecordKind) -> Value {
    harbor_core::schema::schema_for(kind)
}

/// Parses a record's JSON text; `invalid_input` names the line and column that are wrong.
pub fn parse_record_json(text: &str) -> Result<Value> {
    Ok(harbor_core::schema::parse_json(text)?)
}

/// A record kind by its name (`call_review`, `investigation`, `case_note`).
pub fn parse_record_kind(name: &str) -> Result<RecordKind> {
    Ok(name.parse::<RecordKind>()?)
}

/// A PSES state by its name (`in_pses`, `queued`, ...); `invalid_input` lists them.
pub fn parse_pses_state(name: &str) -> Result<PsesState> {
    PsesState::parse(name).ok_or_else(|| {
        let known: Vec<&str> = PsesState::ALL.iter().map(|s| s.as_str()).collect();
        HarborError::invalid_input(format!(
            "unknown PSES state '{name}': use {}",
            known.join(", ")
        ))
    })
}

/// A role by its name (`admin`, `quality_officer`, `medical_director`, `reviewer`).
pub fn parse_role(name: &str) -> Result<Role> {
    Role::parse(name).ok_or_else(|| {
        HarborError::invalid_input(format!(
            "unknown role '{name}': use admin, quality_officer, medical_director or reviewer"
        ))
    })
}
