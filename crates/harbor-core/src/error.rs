//! Errors of the domain core.

use serde::{Deserialize, Serialize};

/// One problem with one field of a record's input.
///
/// `field` is a JSON Pointer into the input (`/call/pcr_number`); the message never
/// repeats the field's value, because the value may be patient information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FieldError {
    /// JSON Pointer of the offending field ("" for the document itself).
    pub field: String,
    /// What is wrong, in words, without the value.
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = if self.field.is_empty() {
            "(document)"
        } else {
            &self.field
        };
        write!(f, "{field}: {}", self.message)
    }
}

/// Errors of the domain core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input does not match the record kind's schema.
    #[error("the {kind} record is not valid: {}", join_fields(.errors))]
    InvalidRecord {
        /// The record kind being validated.
        kind: crate::RecordKind,
        /// Every problem found, one per field.
        errors: Vec<FieldError>,
    },
    /// The input is not JSON at all.
    #[error("the input is not valid JSON (line {line}, column {column}): {reason}")]
    NotJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the JSON reader expected.
        reason: String,
    },
    /// A record kind name that Harbor does not know.
    #[error("unknown record kind '{0}': use call_review, case_note, investigation or epcr")]
    UnknownKind(String),
}

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
