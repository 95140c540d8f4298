//! Errors of the vault. Messages say what happened and what to do, and never hold record
//! content, passphrases or keys.

use std::path::PathBuf;

/// Errors of the vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// No vault at the path.
    #[error(
        "no Harbor vault at {0}: check --vault (or HARBOR_VAULT), or create one with `harbor init`"
    )]
    NotAVault(PathBuf),
    /// `init` or `restore` into a folder that already holds files.
    #[error("{0} is not empty: choose a new or empty folder for the vault")]
    FolderNotEmpty(PathBuf),
    /// The passphrase (or recovery code) does not unlock the vault for that user.
    #[error(
        "unknown user or wrong passphrase: nothing was changed; check the user name and try again"
    )]
    WrongPassphrase,
    /// Too many failed attempts.
    #[error("too many failed unlock attempts: wait {retry_after_secs} s before trying again")]
    Throttled {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// The user has been disabled.
    #[error("user '{0}' is disabled: ask an administrator")]
    UserDisabled(String),
    /// The user does not exist (for actions on another user).
    #[error("no user named '{0}' in this vault")]
    UnknownUser(String),
    /// A user with that name exists already.
    #[error("a user named '{0}' exists already")]
    UserExists(String),
    /// A user name Harbor cannot use.
    #[error("'{0}' is not a usable user name: use 1 to 64 letters, digits, '.', '_' or '-'")]
    BadUserName(String),
    /// The vault was written by a newer Harbor.
    #[error(
        "this vault has schema version {found}, newer than this Harbor supports ({supported}): install a newer Harbor; the vault was not changed"
    )]
    SchemaTooNew {
        /// The vault's schema version.
        found: i64,
        /// The newest version this binary knows.
        supported: i64,
    },
    /// The database is damaged or was tampered with.
    #[error(
        "the vault database is damaged or was tampered with ({0}): nothing was changed; restore from a backup (`harbor restore`) and run `harbor vault check`"
    )]
    Corrupt(String),
    /// `keyslots.json` is unreadable.
    #[error("the key slot file {path} is damaged ({reason}): restore it from a backup")]
    KeySlotsDamaged {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// No record, attachment or revision with that id.
    #[error("no {what} with id {id}")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// A PSES transition or edit that the state machine refuses.
    #[error(transparent)]
    Pses(#[from] harbor_core::PsesError),
    /// Input that does not validate.
    #[error(transparent)]
    Invalid(#[from] harbor_core::CoreError),
    /// A passphrase refused by the policy.
    #[error(transparent)]
    PassphraseRejected(#[from] harbor_core::passphrase::PassphraseRejected),
    /// An attachment over the configured limit.
    #[error(
        "the file is {size} bytes, over the attachment limit of {limit} bytes (an administrator can raise it with `harbor settings set attachment_max_bytes N`)"
    )]
    AttachmentTooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A case packet that asks for more than a contact may: an attachment on a record it
    /// does not carry or that is closed here, an entry date in the future.
    #[error(
        "the packet was refused: {0}; nothing was imported. Ask the sender to export it again from Harbor"
    )]
    PacketRefused(String),
    /// A setting Harbor does not know, or a bad value.
    #[error("{0}")]
    BadSetting(String),
    /// A sign-off given in input rather than by `sign-off`.
    #[error("the sign-off cannot be written in a record file: use `harbor record sign-off ID`")]
    SignOffInInput,
    /// A backup file that is not one, or is damaged.
    #[error("{path} is not a usable Harbor backup ({reason})")]
    BadBackup {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Another process has the vault open, so it cannot be re-keyed now.
    #[error(
        "another Harbor (the desktop app or another command) has this vault open: close it and try again; nothing was changed"
    )]
    VaultInUse,
    /// Slots from before re-keying existed would lose access at a re-key.
    #[error(
        "cannot re-key while these slots are from before re-keying existed: {}; each of those users should unlock once (any `harbor` command upgrades their slot), or re-key with --drop-old-slots, after which they need a new passphrase through `harbor recover` (an old recovery code is replaced by a new one); nothing was changed",
        .0.join(", ")
    )]
    OldKeySlots(Vec<String>),
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The operating system's random generator failed.
    #[error("the operating system's random number generator failed")]
    Randomness,
    /// Another storage failure.
    #[error("storage error: {0}")]
    Storage(String),
}

impl VaultError {
    /// A stable code for the faces: the CLI picks its exit code and the UI its words from
    /// it; nobody matches on message text.
    pub fn code(&self) -> harbor_core::ErrorCode {
        use harbor_core::ErrorCode as C;
        match self {
            VaultError::NotAVault(_) => C::NotAVault,
            VaultError::FolderNotEmpty(_) => C::FolderNotEmpty,
            VaultError::WrongPassphrase => C::WrongPassphrase,
            VaultError::Throttled { .. } => C::Throttled,
            VaultError::UserDisabled(_) => C::UserDisabled,
            VaultError::UnknownUser(_) => C::UnknownUser,
            VaultError::UserExists(_) => C::UserExists,
            VaultError::BadUserName(_) => C::BadUserName,
            VaultError::SchemaTooNew { .. } => C::SchemaTooNew,
            VaultError::Corrupt(_) => C::VaultCorrupt,
            VaultError::KeySlotsDamaged { .. } => C::KeyslotsDamaged,
            VaultError::NotFound { .. } => C::NotFound,
            VaultError::Pses(e) => e.code(),
            VaultError::Invalid(_) => C::InvalidInput,
            VaultError::PassphraseRejected(_) => C::PassphraseRejected,
            VaultError::AttachmentTooLarge { .. } => C::AttachmentTooLarge,
            VaultError::PacketRefused(_) => C::PacketRefused,
            VaultError::BadSetting(_) => C::BadSetting,
            VaultError::SignOffInInput => C::InvalidInput,
            VaultError::BadBackup { .. } => C::BadBackup,
            VaultError::Io { .. } => C::Io,
            VaultError::VaultInUse => C::VaultInUse,
            VaultError::OldKeySlots(_) => C::OldKeySlots,
            VaultError::Randomness => C::Internal,
            VaultError::Storage(_) => C::Storage,
        }
    }

    /// Maps an I/O error on `path` while doing `action` ("read", "write", ...).
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> VaultError {
        let path = path.into();
        move |source| VaultError::Io {
            action,
            path,
            source,
        }
    }
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                VaultError::Corrupt("a database page failed its integrity check".into())
            }
            // Once a page fails its check, SQLCipher makes the connection read-only (and
            // hands back zeroed pages); `db::open` refuses a read-only file, so a plain
            // "read-only" refusal in a session means damage.
            Some(ErrorCode::ReadOnly)
                if matches!(&e, rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_READONLY) =>
            {
                VaultError::Corrupt("a database page failed its integrity check".into())
            }
            // SQLite's own messages name tables and constraints, never values.
            _ => VaultError::Storage(e.to_string()),
        }
    }
}
