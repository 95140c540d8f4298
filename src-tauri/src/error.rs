//! The error every command returns: the service error's stable code, its message, and
//! what the UI needs to say more (the fields that did not validate, the throttle's wait).
//! The UI chooses its words from `code`; nobody matches on `message`.

use harbor::HarborError;
use serde::Serialize;

/// One field that did not validate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldProblem {
    /// JSON Pointer of the field (`/call/pcr_number`); empty for the whole document.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// A command's failure as the UI receives it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CmdError {
    /// Stable code: `wrong_passphrase`, `throttled`, `forbidden`, `locked`, ... (the codes of
    /// `HarborError::code()`, plus the shell's own `locked`, `busy` and `internal`).
    pub code: String,
    /// What happened, for a person.
    pub message: String,
    /// Field-level problems, when the input did not validate.
    pub fields: Vec<FieldProblem>,
    /// With `throttled`: seconds until the next unlock attempt is allowed.
    pub retry_after_secs: Option<u64>,
}

impl CmdError {
    /// An error of the shell itself.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CmdError {
            code: code.to_owned(),
            message: message.into(),
            fields: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// The vault is locked: the UI goes back to the unlock screen.
    pub fn locked() -> Self {
        CmdError::new("locked", "Harbor is locked: unlock it to go on.")
    }
}

impl From<HarborError> for CmdError {
    fn from(e: HarborError) -> Self {
        let retry_after_secs = e.retry_after_secs();
        CmdError {
            code: e.code().to_owned(),
            fields: e
                .field_errors()
                .iter()
                .map(|f| FieldProblem {
                    field: f.field.clone(),
                    message: f.message.clone(),
                })
                .collect(),
            message: e.to_string(),
            retry_after_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_carries_its_wait_and_codes_are_the_service_codes() {
        let e: CmdError = HarborError::Vault(harbor::VaultError::Throttled {
            retry_after_secs: 42,
        })
        .into();
        assert_eq!(e.code, "throttled");
        assert_eq!(e.retry_after_secs, Some(42));
        let e: CmdError = HarborError::Vault(harbor::VaultError::WrongPassphrase).into();
        assert_eq!(e.code, "wrong_passphrase");
        assert_eq!(e.retry_after_secs, None);
        let json = serde_json::to_value(CmdError::locked()).unwrap();
        assert_eq!(json["code"], "locked");
    }
}
