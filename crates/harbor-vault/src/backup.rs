//! Encrypted backups: one file holding the key slots and a SQLCipher copy of the database
//! under the same data key, restorable elsewhere with any user's passphrase or the
//! recovery code.
//!
//! Layout: the line `HARBOR-BACKUP-1`, one line of JSON ([`BackupHeader`]), then the
//! encrypted database's bytes. Nothing in the file is readable without a key slot secret.

use crate::keyslots::KeySlots;
use crate::vault::{Vault, VaultPaths};
use crate::{Result, SCHEMA_VERSION, UnlockedVault, VaultError, time};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

const MAGIC: &str = "HARBOR-BACKUP-1";
/// The longest header line accepted (key slots of many users fit easily).
const MAX_HEADER: u64 = 4 * 1024 * 1024;

/// The JSON header of a backup file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupHeader {
    /// The vault's id.
    pub vault_id: String,
    /// The schema version of the copy.
    pub schema_version: i64,
    /// When the backup was made.
    pub created_at: String,
    /// Size of the database copy.
    pub db_size: u64,
    /// SHA-256 of the database copy's (encrypted) bytes.
    pub db_sha256: String,
    /// The key slots at the time of the backup.
    pub keyslots: KeySlots,
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BackupSummary {
    /// The file written.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Records in the copy.
    pub records: i64,
    /// The schema version kept.
    pub schema_version: i64,
}

impl UnlockedVault {
    /// Writes an encrypted backup to `out` (which must not exist).
    pub fn backup(&mut self, out: &Path) -> Result<BackupSummary> {
        if out.exists() {
            return Err(VaultError::Io {
                action: "write",
                path: out.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "file exists; choose a new name",
                ),
            });
        }
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let records = self.record_count()?;
        // In the copy too: the backup's audit chain holds the row of its own making.
        self.audit("vault.backup", None, json!({"records": records}))?;
        let tmp = tempfile::Builder::new()
            .prefix(".harbor-backup-")
            .tempfile_in(dir)
            .map_err(VaultError::io("write", dir))?
            .into_temp_path();
        // An empty file is a new database to SQLite (the connection may not create files).
        let tmp_str = tmp
            .to_str()
            .ok_or_else(|| VaultError::BadSetting("the backup path must be valid UTF-8".into()))?;
        // The copy is made with the vault's own page settings, which the header carries.
        let keyslots = KeySlots::load(&self.paths.keyslots)?;
        let attach = zeroize::Zeroizing::new(format!(
            "ATTACH DATABASE ?1 AS backup KEY {}",
            *self.key.sqlcipher_pragma_value()
        ));
        self.conn.execute(&attach, params![tmp_str])?;
        let exported = (|| -> Result<()> {
            self.conn
                .execute_batch(&keyslots.page_cipher.pragmas("backup"))?;
            self.conn
                .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))?;
            // sqlcipher_export does not copy user_version.
            self.conn
                .execute_batch(&format!("PRAGMA backup.user_version = {SCHEMA_VERSION};"))?;
            Ok(())
        })();
        self.conn.execute_batch("DETACH DATABASE backup;")?;
        exported?;

        let db_bytes = std::fs::metadata(&tmp)
            .map_err(VaultError::io("read", &*tmp))?
            .len();
        let db_sha256 = {
            let mut h = Sha256::new();
            let mut f = std::fs::File::open(&tmp).map_err(VaultError::io("read", &*tmp))?;
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = f.read(&mut buf).map_err(VaultError::io("read", &*tmp))?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            hex::encode(h.finalize())
        };
        let header = BackupHeader {
            vault_id: self.vault_id.clone(),
            schema_version: SCHEMA_VERSION,
            created_at: time::to_text(time::now()),
            db_size: db_bytes,
            db_sha256,
            keyslots,
        };
        // 0600 whatever the umask: the file carries the key slots.
        let mut file = crate::vault::create_private_file(out)?;
        let write = |file: &mut std::fs::File| -> std::io::Result<()> {
            writeln!(file, "{MAGIC}")?;
            writeln!(
                file,
                "{}",
                serde_json::to_string(&header).expect("header serialises")
            )?;
            std::io::copy(&mut std::fs::File::open(&tmp)?, file)?;
            file.sync_all()
        };
        if let Err(e) = write(&mut file) {
            let _ = std::fs::remove_file(out);
            return Err(VaultError::io("write", out)(e));
        }
        // The disclosure log holds only backups that were written.
        let logged = (|| -> Result<()> {
            let actor = self.actor.name.clone();
            let now = crate::time::now();
            let tx = self.conn.transaction()?;
            crate::disclosures::log_in(
                &tx,
                now,
                &actor,
                &crate::disclosures::NewDisclosure {
                    all_records: true,
                    ..crate::disclosures::NewDisclosure::now(
                        now,
                        harbor_core::disclosure::Channel::Backup,
                        "an encrypted backup file",
                        harbor_core::disclosure::Permission::WithinPses,
                    )
                },
            )?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = logged {
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(BackupSummary {
            path: out.display().to_string(),
            bytes,
            records,
            schema_version: SCHEMA_VERSION,
        })
    }
}

impl Vault {
    /// Restores a backup into `dir` (missing or empty) and returns the vault, ready to be
    /// unlocked with any passphrase or the recovery code valid at backup time.
    pub fn restore(backup: &Path, dir: &Path) -> Result<Vault> {
        let bad = |reason: &str| VaultError::BadBackup {
            path: backup.to_owned(),
            reason: reason.to_owned(),
        };
        let file = std::fs::File::open(backup).map_err(VaultError::io("read", backup))?;
        let mut reader = BufReader::new(file);
        let mut magic = String::new();
        reader
            .by_ref()
            .take(64)
            .read_line(&mut magic)
            .map_err(|_| bad("it does not start like a Harbor backup"))?;
        if magic.trim_end() != MAGIC {
            return Err(bad("it does not start like a Harbor backup"));
        }
        let mut header_line = String::new();
        reader
            .by_ref()
            .take(MAX_HEADER)
            .read_line(&mut header_line)
            .map_err(|_| bad("its header is damaged"))?;
        let header: BackupHeader =
            serde_json::from_str(&header_line).map_err(|_| bad("its header is damaged"))?;
        if header.schema_version > SCHEMA_VERSION {
            return Err(VaultError::SchemaTooNew {
                found: header.schema_version,
                supported: SCHEMA_VERSION,
            });
        }
        crate::vault::prepare_empty_folder(dir)?;
        let paths = VaultPaths::new(dir);
        let result = (|| -> Result<()> {
            let mut db_file = crate::vault::create_private_file(&paths.db)?;
            let mut h = Sha256::new();
            let mut buf = vec![0u8; 1 << 16];
            let mut total = 0u64;
            loop {
                let n = reader
                    .read(&mut buf)
                    .map_err(VaultError::io("read", backup))?;
                if n == 0 {
                    break;
                }
                total += n as u64;
                h.update(&buf[..n]);
                db_file
                    .write_all(&buf[..n])
                    .map_err(VaultError::io("write", &paths.db))?;
            }
            db_file
                .sync_all()
                .map_err(VaultError::io("write", &paths.db))?;
            if total != header.db_size || hex::encode(h.finalize()) != header.db_sha256 {
                return Err(bad("the database copy is truncated or altered"));
            }
            header.keyslots.save(&paths.keyslots)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&paths.db);
            let _ = std::fs::remove_file(&paths.keyslots);
            return Err(e);
        }
        Vault::open(dir)
    }
}

impl UnlockedVault {
    /// Records in the audit chain that this vault was restored from a backup.
    pub fn note_restored(&mut self, from: &Path) -> Result<()> {
        let name = from.file_name().map(|n| n.to_string_lossy().into_owned());
        self.audit("vault.restore", None, json!({"backup_file": name}))
    }
}
