//! The service API's one failure type: a closed [`ErrorCode`], a message for a person
//! (never record content, a passphrase or a key), the fields that did not validate, and
//! the throttle's wait. The lower crates' errors are mapped to it here, once; the CLI
//! maps the code to its exit code and the desktop shell sends it to the UI as it is.

pub use harbor_core::ErrorCode;
use harbor_core::{Action, FieldError, Role};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A failure of the service API.
#[derive(Debug, Clone, PartialEq)]
pub struct HarborError {
    code: ErrorCode,
    message: String,
    fields: Vec<FieldError>,
    retry_after_secs: Option<u64>,
    refused: Option<(Role, Action)>,
}

/// A failure as it crosses to a face: `{code, message, fields, retry_after_secs}`. The
/// desktop UI receives exactly this, and `harbor --json` prints it under `"error"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "HarborError")]
pub struct ErrorBody {
    // The stable code: the faces choose their words and exit codes from it. No doc
    // comment: a description beside the reference makes the generated TypeScript spell
    // the whole `ErrorCode` union out again instead of naming it.
    #[allow(missing_docs)]
    pub code: ErrorCode,
    /// What happened and what to do, for a person.
    pub message: String,
    /// The fields that did not validate (JSON Pointer and problem); empty otherwise.
    pub fields: Vec<FieldError>,
    /// With `throttled`: seconds until the next unlock attempt is allowed.
    pub retry_after_secs: Option<u64>,
}

impl std::fmt::Display for HarborError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HarborError {}

impl HarborError {
    /// A failure with `code` and `message` (what happened and what to do).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        HarborError {
            code,
            message: message.into(),
            fields: Vec::new(),
            retry_after_secs: None,
            refused: None,
        }
    }

    /// `invalid_input`: a word or value the service does not accept.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        HarborError::new(ErrorCode::InvalidInput, message)
    }

    /// `forbidden`: the acting user's role does not permit `action`.
    pub fn forbidden(role: Role, action: Action) -> Self {
        HarborError {
            refused: Some((role, action)),
            ..HarborError::new(
                ErrorCode::Forbidden,
                format!(
                    "your role ({role}) does not permit {action}: ask a user whose role does (see docs/roles.md)"
                ),
            )
        }
    }

    /// The stable code's name: `forbidden`, `wrong_passphrase`, `throttled`, ...
    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// The stable code.
    pub fn error_code(&self) -> ErrorCode {
        self.code
    }

    /// What happened and what to do.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How long to wait before the next attempt, when the unlock throttle refused.
    pub fn retry_after_secs(&self) -> Option<u64> {
        self.retry_after_secs
    }

    /// Field-level problems, when the input did not validate.
    pub fn field_errors(&self) -> &[FieldError] {
        &self.fields
    }

    /// With `forbidden`: the role refused and the action it asked for.
    pub fn refused_action(&self) -> Option<(Role, Action)> {
        self.refused
    }

    /// The failure as it crosses to a face.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code,
            message: self.message.clone(),
            fields: self.fields.clone(),
            retry_after_secs: self.retry_after_secs,
        }
    }

    /// `audit_broken`, when an audit verification found a bad row.
    pub fn if_audit_broken(report: &crate::ChainReport) -> Option<Self> {
        report.first_bad.as_ref().map(|bad| {
            HarborError::new(
                ErrorCode::AuditBroken,
                format!(
                    "the audit chain is broken at row {}: {}",
                    bad.seq, bad.reason
                ),
            )
        })
    }

    /// `vault_corrupt`, when a vault check found problems.
    pub fn if_check_failed(problems: &[String]) -> Option<Self> {
        (!problems.is_empty()).then(|| {
            HarborError::new(
                ErrorCode::VaultCorrupt,
                format!("the vault has problems: {}", problems.join("; ")),
            )
        })
    }

    /// `import_incomplete`, when an import left files out.
    pub fn if_import_incomplete(summary: &crate::ImportSummary) -> Option<Self> {
        (!summary.failed.is_empty()).then(|| {
            HarborError::new(
                ErrorCode::ImportIncomplete,
                format!(
                    "{} of {} files were not imported (nothing of those files entered the vault; the others did)",
                    summary.failed.len(),
                    summary.files
                ),
            )
        })
    }
}

impl Serialize for HarborError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body().serialize(s)
    }
}

impl From<harbor_vault::VaultError> for HarborError {
    fn from(e: harbor_vault::VaultError) -> Self {
        let mut out = HarborError::new(e.code(), e.to_string());
        match e {
            harbor_vault::VaultError::Throttled { retry_after_secs } => {
                out.retry_after_secs = Some(retry_after_secs);
            }
            harbor_vault::VaultError::Invalid(harbor_core::CoreError::InvalidRecord {
                errors,
                ..
            }) => out.fields = errors,
            _ => {}
        }
        out
    }
}

impl From<harbor_core::CoreError> for HarborError {
    fn from(e: harbor_core::CoreError) -> Self {
        harbor_vault::VaultError::from(e).into()
    }
}

impl From<harbor_core::PsesError> for HarborError {
    fn from(e: harbor_core::PsesError) -> Self {
        harbor_vault::VaultError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_carries_its_wait_and_field_problems_cross_whole() {
        let e: HarborError = harbor_vault::VaultError::Throttled {
            retry_after_secs: 42,
        }
        .into();
        assert_eq!(e.code(), "throttled");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "throttled");
        assert_eq!(json["retry_after_secs"], 42);
        let e: HarborError = harbor_core::CoreError::InvalidRecord {
            kind: harbor_core::RecordKind::CallReview,
            errors: vec![FieldError {
                field: "/call/pcr_number".into(),
                message: "is required".into(),
            }],
        }
        .into();
        let body: ErrorBody = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(body.code, ErrorCode::InvalidInput);
        assert_eq!(body.fields[0].field, "/call/pcr_number");
        assert_eq!(body.retry_after_secs, None);
    }
}
