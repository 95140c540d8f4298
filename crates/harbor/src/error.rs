//! The service API's error: a role refusal, or what the vault or the domain refused.

use harbor_core::{Action, Role};

/// Errors of the service API. [`HarborError::code`] is the stable code the faces map to
/// their words and exit codes.
#[derive(Debug, thiserror::Error)]
pub enum HarborError {
    /// The acting user's role does not permit the action.
    #[error(
        "your role ({role}) does not permit {action}: ask a user whose role does (see docs/roles.md)"
    )]
    Forbidden {
        /// The acting user's role.
        role: Role,
        /// The action refused.
        action: Action,
    },
    /// The vault or the domain refused.
    #[error(transparent)]
    Vault(#[from] harbor_vault::VaultError),
    /// A case packet was refused: nothing was imported.
    #[error("{message}")]
    Packet {
        /// `packet_damaged`, `packet_wrong_recipient`, `packet_unknown_sender`.
        code: &'static str,
        /// What happened and what to do.
        message: String,
    },
    /// A word the person gave is not one the service knows (a state, a mode, a role).
    #[error("{0}")]
    InvalidInput(String),
    /// A promotion was confirmed that is not the one last previewed, or a record changed
    /// since: nothing was promoted; preview again.
    #[error("{0}")]
    PreviewStale(String),
    /// The PSO connection failed or refused.
    #[error("{message}")]
    Sync {
        /// `not_enrolled`, `pso_refused` (permanent), `pso_unreachable` (retry later),
        /// `bad_receipt`.
        code: &'static str,
        /// What happened, with the server's reason.
        message: String,
    },
}

impl From<harbor_core::CoreError> for HarborError {
    fn from(e: harbor_core::CoreError) -> Self {
        HarborError::Vault(e.into())
    }
}

impl HarborError {
    /// A stable code: `forbidden`, `wrong_passphrase`, `throttled`, `invalid_input`, ...
    pub fn code(&self) -> &'static str {
        match self {
            HarborError::Forbidden { .. } => "forbidden",
            HarborError::Vault(e) => e.code(),
            HarborError::Sync { code, .. } => code,
            HarborError::Packet { code, .. } => code,
            HarborError::InvalidInput(_) => "invalid_input",
            HarborError::PreviewStale(_) => "preview_stale",
        }
    }

    /// How long to wait before the next attempt, when the unlock throttle refused.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            HarborError::Vault(harbor_vault::VaultError::Throttled { retry_after_secs }) => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    /// Field-level problems, when the input did not validate.
    pub fn field_errors(&self) -> &[harbor_core::FieldError] {
        match self {
            HarborError::Vault(harbor_vault::VaultError::Invalid(
                harbor_core::CoreError::InvalidRecord { errors, .. },
            )) => errors,
            _ => &[],
        }
    }
}
