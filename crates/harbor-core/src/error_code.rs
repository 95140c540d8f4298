//! The closed list of failure codes every face reports. The CLI picks its exit code and
//! the UI its words from the code, never from a message; a new failure is a new variant,
//! and every `match` over the list (the CLI's exit codes, the UI's words) must decide
//! what it means.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A stable failure code. Serialised (and written in docs, JSON output and the UI)
        /// as its snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code's name (`wrong_passphrase`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    /// Something unexpected: a bug, or the operating system failed us.
    Internal = "internal",
    /// The database refused in a way that is not damage.
    Storage = "storage",
    /// A file could not be read or written.
    Io = "io",
    /// The command line was wrong, or a secret it needs was not given (the CLI's own).
    Usage = "usage",
    /// The vault is locked (the desktop's own: it locked itself while idle).
    Locked = "locked",
    /// Unknown user or wrong passphrase.
    WrongPassphrase = "wrong_passphrase",
    /// Too many failed unlocks: wait `retry_after_secs`.
    Throttled = "throttled",
    /// The user is disabled.
    UserDisabled = "user_disabled",
    /// The acting user's role does not permit the action.
    Forbidden = "forbidden",
    /// Input refused: the message names the field or rule.
    InvalidInput = "invalid_input",
    /// A passphrase the policy refuses.
    PassphraseRejected = "passphrase_rejected",
    /// A setting Harbor does not know, or a bad value for one.
    BadSetting = "bad_setting",
    /// A user name Harbor cannot use.
    BadUserName = "bad_user_name",
    /// A user with that name exists already.
    UserExists = "user_exists",
    /// No user with that name (for an action on another user).
    UnknownUser = "unknown_user",
    /// An attachment over the configured limit.
    AttachmentTooLarge = "attachment_too_large",
    /// No record, attachment, revision or user with that id.
    NotFound = "not_found",
    /// An imported ePCR is an original record: it cannot enter the PSES.
    OriginalRecord = "original_record",
    /// Reported to the PSO: it can no longer drop out.
    AlreadyReported = "already_reported",
    /// Queued for the PSO: take it out of the queue first.
    QueuedForPso = "queued_for_pso",
    /// Already queued for the PSO.
    AlreadyQueued = "already_queued",
    /// Reported and unchanged since: nothing new to send.
    ReportedUnchanged = "reported_unchanged",
    /// Dropped out of the PSES.
    DroppedOut = "dropped_out",
    /// Not in the queue.
    NotQueued = "not_queued",
    /// The promotion confirmed is not the one last previewed, or a record changed since.
    PreviewStale = "preview_stale",
    /// The vault database is damaged or was tampered with.
    VaultCorrupt = "vault_corrupt",
    /// `keyslots.json` is damaged or was tampered with.
    KeyslotsDamaged = "keyslots_damaged",
    /// The audit chain does not verify.
    AuditBroken = "audit_broken",
    /// The vault was written by a newer Harbor.
    SchemaTooNew = "schema_too_new",
    /// No vault in that folder.
    NotAVault = "not_a_vault",
    /// A new vault's folder already holds files.
    FolderNotEmpty = "folder_not_empty",
    /// A file that is not a usable backup.
    BadBackup = "bad_backup",
    /// An import finished, but some files were not imported.
    ImportIncomplete = "import_incomplete",
    /// The vault is not enrolled with a PSO.
    NotEnrolled = "not_enrolled",
    /// The PSO refused: retrying the same cannot help.
    PsoRefused = "pso_refused",
    /// The PSO's receipt did not verify.
    BadReceipt = "bad_receipt",
    /// The PSO could not be reached or failed: retry later.
    PsoUnreachable = "pso_unreachable",
    /// A case packet that does not open.
    PacketDamaged = "packet_damaged",
    /// A case packet sealed to another vault.
    PacketWrongRecipient = "packet_wrong_recipient",
    /// A case packet from a vault that is not a contact.
    PacketUnknownSender = "packet_unknown_sender",
    /// A case packet asking for more than a contact may.
    PacketRefused = "packet_refused",
    /// Another process has the vault open, so it cannot be re-keyed now.
    VaultInUse = "vault_in_use",
    /// Slots from before re-keying existed would lose access at a re-key.
    OldKeySlots = "old_key_slots",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets a test say `assert_eq!(e.code(), "forbidden")`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serialises_as_its_name_and_names_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().to_owned())
            );
            assert_eq!(
                serde_json::from_value::<ErrorCode>(code.as_str().into()).unwrap(),
                *code
            );
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
    }
}
