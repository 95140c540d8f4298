//! Harbor's encrypted vault: one folder per agency vault.
//!
//! - `vault.db`: SQLCipher 4, keyed with a random 256-bit data key given as a raw key.
//! - `keyslots.json`: per-user copies of the data key, each wrapped with a key derived from
//!   the user's passphrase by Argon2id (XChaCha20-Poly1305, associated data binding vault,
//!   slot and user), plus the recovery slot. No secret is stored in clear.
//! - `unlock-throttle.json`: failed-unlock counters (no secrets), so throttling survives a
//!   restart, and `unlock-throttle.lock`, empty, whose exclusive lock serialises attempts.
//!
//! The folder is 0700 and its files 0600 on Unix, whatever the umask.
//!
//! [`Vault`] creates and unlocks a vault; [`UnlockedVault`] is the storage API the service
//! layer (`harbor`) builds on. Each write here runs in one transaction together with its
//! audit row, revision, ledger event and full-text index entry.

pub mod attachments;
pub mod audit;
pub mod backup;
#[cfg(feature = "plaintext-bench")]
pub mod bench;
pub mod contacts;
mod db;
pub mod desktop;
pub mod disclosures;
pub mod epcr;
pub mod error;
mod filelock;
pub mod keyslots;
mod migrations;
pub mod outbox;
pub mod packets;
pub mod page_cipher;
pub mod policy;
pub mod privilege;
mod pseudonyms;
pub mod records;
pub mod rekey;
pub mod secret;
mod throttle;
mod time;
pub mod users;
mod vault;

pub use db::SCHEMA_VERSION;
pub use error::VaultError;
pub use keyslots::KdfParams;
pub use page_cipher::PageCipher;
pub use secret::{DataKey, Passphrase, RecoveryCode};
pub use vault::{Actor, UnlockedVault, Vault, VaultPaths, create_private_file};

/// Result type of this crate.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;
