//! Re-keying: a new random data key for the database, sealed to every remaining slot, so
//! that a copy of `keyslots.json` (or a backup) taken before no longer opens `vault.db`.
//!
//! Crash safety. The slot file and the database are two files, so the re-key moves in
//! steps that each leave a vault that opens:
//! 1. The new key is sealed to every slot *beside* the current one (`next_sealed_key`),
//!    and the file is written (its MAC still under the current key).
//! 2. The database is exported under the new key into `vault.db.rekey`, which is synced.
//! 3. This process's connection is checkpointed and closed (no WAL of the old key is left),
//!    and the copy is renamed over `vault.db`; the folder is synced.
//! 4. Each slot's next key becomes its current key; the file is sealed under the new key.
//!
//! A kill before 3 leaves the database under the old key, after it under the new one: the
//! next unlock opens a slot's two keys, tries both, and finishes or forgets step 4
//! ([`settle_slots`]).
//!
//! Other processes. A process that has the vault open (a desktop app, a second CLI) holds
//! a shared advisory lock on `vault.lock`; a re-key needs it exclusively and refuses while
//! anyone else holds it, because renaming a new file over a database another connection
//! has open would lose that connection's later writes (they would go to the old, unlinked
//! file and its WAL).

use crate::keyslots::{SlotKind, SlotsUpdate};
use crate::secret::{DataKey, RecoveryCode};
use crate::vault::VaultPaths;
use crate::{Result, SCHEMA_VERSION, UnlockedVault, VaultError, audit, db, time};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};

/// A shared (vault open) or exclusive (re-key) advisory lock on `vault.lock`; released
/// on drop or when the process ends, however it ends.
#[derive(Debug)]
pub struct OpenLock(std::fs::File);

fn lock_path(paths: &VaultPaths) -> PathBuf {
    paths.dir.join("vault.lock")
}

fn open_lock_file(paths: &VaultPaths) -> Result<std::fs::File> {
    let path = lock_path(paths);
    crate::filelock::open_lock_file(&path)
}

impl OpenLock {
    /// Takes the lock shared, waiting while a re-key holds it.
    pub fn shared(paths: &VaultPaths) -> Result<Self> {
        let file = open_lock_file(paths)?;
        file.lock_shared()
            .map_err(VaultError::io("lock", lock_path(paths)))?;
        Ok(OpenLock(file))
    }

    /// Takes the lock exclusively, or refuses at once if another process has the vault
    /// open.
    pub fn try_exclusive(paths: &VaultPaths) -> Result<Self> {
        let file = open_lock_file(paths)?;
        match file.try_lock() {
            Ok(()) => Ok(OpenLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(VaultError::VaultInUse),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(VaultError::io("lock", lock_path(paths))(e))
            }
        }
    }

    /// Another handle on the same lock (the lock lasts while any handle is open).
    pub fn try_clone(&self) -> Result<Self> {
        Ok(OpenLock(self.0.try_clone().map_err(|e| {
            VaultError::Storage(format!("cannot share the vault's lock: {e}"))
        })?))
    }
}

/// Where the database is exported under the new key.
fn staging_path(paths: &VaultPaths) -> PathBuf {
    paths.dir.join("vault.db.rekey")
}

/// Removes what a re-key that was killed before its rename left (only while no re-key
/// runs: the caller holds the open lock).
pub(crate) fn remove_staging(paths: &VaultPaths) -> Result<()> {
    let staging = staging_path(paths);
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = staging.clone().into_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(VaultError::io("remove", PathBuf::from(p))(e)),
        }
    }
    Ok(())
}

/// Finishes step 4 of an interrupted re-key (`reached_database`: the database opens with
/// the next key) or forgets the staged key (it does not). The file is re-read under its
/// lock: another process may have settled it already.
pub(crate) fn settle_slots(
    keyslots: &Path,
    current: &DataKey,
    opened_with: &DataKey,
    reached_database: bool,
) -> Result<()> {
    let Some(mut update) = SlotsUpdate::begin_pending(keyslots, current)? else {
        return Ok(());
    };
    if reached_database {
        update.slots.promote_next();
    } else {
        update.slots.drop_next();
    }
    update.commit(opened_with)
}

/// Ends the process here when `HARBOR_FAILPOINT` names this point, as a kill would: no
/// destructor runs, no connection is closed, the kernel drops the locks. Read only in
/// debug builds, for the crash tests.
fn failpoint(name: &str) {
    if cfg!(debug_assertions) && std::env::var("HARBOR_FAILPOINT").as_deref() == Ok(name) {
        std::process::exit(86);
    }
}

/// What a re-key did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RekeyOutcome {
    /// How many slots hold the new key.
    pub slots: usize,
    /// Users whose slots from before re-keying existed were dropped (`drop_old_slots`);
    /// they can unlock again once given a passphrase with the recovery code
    /// (`harbor recover`).
    pub dropped_users: Vec<String>,
    /// A new recovery code, when the old recovery slot could not be re-keyed and was
    /// replaced (shown once).
    #[serde(skip)]
    pub new_recovery_code: Option<RecoveryCode>,
}

impl UnlockedVault {
    /// Re-keys the database: a new random data key, sealed to every remaining slot; the old
    /// key (and every copy of the slot file or backup made before) no longer opens the
    /// database. `reason` goes into the audit row.
    ///
    /// Refuses with [`VaultError::VaultInUse`] while another process has the vault open,
    /// and with [`VaultError::OldKeySlots`] while slots from before re-keying remain,
    /// unless `drop_old_slots` (their users must then be given a passphrase with the
    /// recovery code; an old recovery slot is replaced by a new code).
    pub fn rekey(&mut self, reason: &str, drop_old_slots: bool) -> Result<RekeyOutcome> {
        drop(self.open_lock.take());
        let exclusive = match OpenLock::try_exclusive(&self.paths) {
            Ok(lock) => lock,
            Err(e) => {
                self.open_lock = Some(OpenLock::shared(&self.paths)?);
                return Err(e);
            }
        };
        let outcome = self.rekey_exclusive(reason, drop_old_slots);
        drop(exclusive);
        self.open_lock = Some(OpenLock::shared(&self.paths)?);
        outcome
    }

    fn rekey_exclusive(&mut self, reason: &str, drop_old_slots: bool) -> Result<RekeyOutcome> {
        let mut update = SlotsUpdate::begin(&self.paths.keyslots, &self.key, true)?;
        let pages = update.slots.page_cipher;
        let names = crate::vault::tag_names(&self.conn, &self.vault_id)?;
        let name_of = |tag: Option<&str>| {
            names
                .iter()
                .find(|(t, _)| Some(t.as_str()) == tag)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| "(unknown user)".into())
        };
        let old: Vec<(SlotKind, String)> = update
            .slots
            .old_slots()
            .into_iter()
            .map(|s| match s.kind {
                SlotKind::Recovery => (s.kind, "the recovery code".to_owned()),
                SlotKind::User => (s.kind, name_of(s.user_tag.as_deref())),
            })
            .collect();
        let mut dropped_users = Vec::new();
        let mut new_recovery_code = None;
        if !old.is_empty() {
            if !drop_old_slots {
                return Err(VaultError::OldKeySlots(
                    old.into_iter().map(|(_, n)| n).collect(),
                ));
            }
            update.slots.slots.retain(|s| s.version != 1);
            for (kind, name) in old {
                match kind {
                    SlotKind::User => dropped_users.push(name),
                    SlotKind::Recovery => {
                        let code = RecoveryCode::generate()?;
                        update
                            .slots
                            .set_recovery_slot(&self.key, code.expose().as_bytes())?;
                        new_recovery_code = Some(code);
                    }
                }
            }
        }

        // 1. Both keys in the slot file.
        let next = DataKey::generate()?;
        update.slots.stage_next(&next)?;
        update.write(&self.key)?;
        failpoint("rekey-staged");

        // 2. The database under the new key, beside the old one.
        remove_staging(&self.paths)?;
        let staging = staging_path(&self.paths);
        if let Err(e) = self.export_to(&staging, &next, pages) {
            let _ = remove_staging(&self.paths);
            update.slots.drop_next();
            update.write(&self.key)?;
            return Err(e);
        }
        failpoint("rekey-exported");

        // 3. Close this connection (checkpointing its WAL into the old file), then rename
        // the copy over the database.
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let old_conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old_conn.close().map_err(|(_, e)| e)?;
        failpoint("rekey-closed");
        let swapped = (|| -> Result<()> {
            for suffix in ["-wal", "-shm"] {
                let mut p = self.paths.db.clone().into_os_string();
                p.push(suffix);
                match std::fs::remove_file(&p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(VaultError::io("remove", PathBuf::from(p))(e)),
                }
            }
            std::fs::rename(&staging, &self.paths.db)
                .map_err(VaultError::io("replace", &self.paths.db))?;
            if let Ok(d) = std::fs::File::open(&self.paths.dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if let Err(e) = swapped {
            // The database was not replaced: back to the old key.
            self.conn = db::open(
                &self.paths.db,
                Some(&self.key),
                pages,
                db::OpenMode::Existing,
            )?;
            let _ = remove_staging(&self.paths);
            update.slots.drop_next();
            update.write(&self.key)?;
            return Err(e);
        }
        failpoint("rekey-swapped");
        self.conn = db::open(&self.paths.db, Some(&next), pages, db::OpenMode::Existing)?;

        // 4. The new key becomes every slot's only key.
        update.slots.promote_next();
        update.write(&next)?;
        let slots = update.slots.slots.len();
        drop(update);
        self.key = next;
        failpoint("rekey-done");

        let now = time::now();
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        audit::append(
            &tx,
            now,
            &actor,
            "vault.rekey",
            None,
            json!({
                "reason": reason,
                "slots": slots,
                "dropped_users": dropped_users,
                "new_recovery_code": new_recovery_code.is_some(),
            }),
        )?;
        tx.commit()?;
        Ok(RekeyOutcome {
            slots,
            dropped_users,
            new_recovery_code,
        })
    }

    /// Exports the whole database into `path` under `key` (same page settings, same schema
    /// version) and syncs it.
    fn export_to(&mut self, path: &Path, key: &DataKey, pages: crate::PageCipher) -> Result<()> {
        let path_str = path
            .to_str()
            .ok_or_else(|| VaultError::BadSetting("the vault path must be valid UTF-8".into()))?;
        // An empty file is a new database to SQLite (the connection may not create files),
        // and made here it is the owner's alone from the start.
        drop(crate::vault::create_private_file(path)?);
        let attach = zeroize::Zeroizing::new(format!(
            "ATTACH DATABASE ?1 AS rekeyed KEY {}",
            *key.sqlcipher_pragma_value()
        ));
        self.conn.execute(&attach, params![path_str])?;
        let exported = (|| -> Result<()> {
            self.conn.execute_batch(&pages.pragmas("rekeyed"))?;
            self.conn
                .query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
            // sqlcipher_export does not copy user_version.
            self.conn
                .execute_batch(&format!("PRAGMA rekeyed.user_version = {SCHEMA_VERSION};"))?;
            Ok(())
        })();
        self.conn.execute_batch("DETACH DATABASE rekeyed;")?;
        exported?;
        let file = std::fs::File::open(path).map_err(VaultError::io("read", path))?;
        file.sync_all().map_err(VaultError::io("write", path))?;
        // The copy must open with the new key before it replaces anything.
        drop(db::open(path, Some(key), pages, db::OpenMode::Existing)?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyslots::KeySlots;
    use crate::{KdfParams, Passphrase, Vault};
    use harbor_core::Role;

    const PASS: &str = "tide-pool-lantern-quarry";

    fn pass() -> Passphrase {
        Passphrase::new(PASS.into())
    }

    #[test]
    fn a_rekey_reaches_every_slot_without_their_passphrases() {
        let dir = tempfile::tempdir().unwrap();
        let (mut v, code) =
            Vault::create(dir.path(), "admin", &pass(), KdfParams::MINIMUM).unwrap();
        v.add_user("rita", Role::Reviewer, &pass()).unwrap();
        v.conn
            .execute("INSERT INTO meta VALUES ('canary', 'kept')", [])
            .unwrap();
        let old_key = v.key.clone();
        let outcome = v.rekey("test", false).unwrap();
        assert_eq!(outcome.slots, 3);
        assert_ne!(v.key.as_bytes(), old_key.as_bytes());
        drop(v);
        let slots = KeySlots::load(&dir.path().join("keyslots.json")).unwrap();
        assert!(!slots.rekey_pending());
        for user in ["admin", "rita"] {
            let u = Vault::open(dir.path())
                .unwrap()
                .unlock(user, &pass())
                .unwrap();
            assert_eq!(u.meta("canary").unwrap().as_deref(), Some("kept"));
        }
        let (_v, _new_code) = Vault::open(dir.path())
            .unwrap()
            .recover(&code, "rita", &pass())
            .unwrap();
        // The old key opens nothing.
        let err = db::open(
            &dir.path().join("vault.db"),
            Some(&old_key),
            slots.page_cipher,
            db::OpenMode::Existing,
        )
        .unwrap_err();
        assert_eq!(err.code(), "vault_corrupt");
    }

    #[test]
    fn a_rekey_is_refused_while_another_handle_has_the_vault_open() {
        let dir = tempfile::tempdir().unwrap();
        let (mut v, _code) =
            Vault::create(dir.path(), "admin", &pass(), KdfParams::MINIMUM).unwrap();
        let other = Vault::open(dir.path()).unwrap();
        assert_eq!(v.rekey("test", false).unwrap_err().code(), "vault_in_use");
        drop(other);
        v.rekey("test", false).unwrap();
    }

    #[test]
    fn old_slots_block_a_rekey_unless_dropped_and_an_old_recovery_slot_gets_a_new_code() {
        let dir = tempfile::tempdir().unwrap();
        let (mut v, code) =
            Vault::create(dir.path(), "admin", &pass(), KdfParams::MINIMUM).unwrap();
        v.add_user("rita", Role::Reviewer, &pass()).unwrap();
        // Make rita's and the recovery slot as Harbor wrote them before re-keying.
        let path = dir.path().join("keyslots.json");
        let mut update = SlotsUpdate::begin(&path, &v.key, true).unwrap();
        let rita = v.user("rita").unwrap();
        let tag = crate::keyslots::user_tag(&v.vault_id, "rita");
        let old_rita = update
            .slots
            .wrap_as(
                &v.key,
                SlotKind::User,
                Some(rita.id.as_str()),
                Some(tag),
                PASS.as_bytes(),
                1,
            )
            .unwrap();
        let old_recovery = update
            .slots
            .wrap_as(
                &v.key,
                SlotKind::Recovery,
                None,
                None,
                code.expose().as_bytes(),
                1,
            )
            .unwrap();
        update
            .slots
            .slots
            .retain(|s| s.user_id.as_deref() == Some(v.actor.user_id.as_str()));
        update.slots.slots.push(old_rita);
        update.slots.slots.push(old_recovery);
        update.commit(&v.key).unwrap();

        let err = v.rekey("test", false).unwrap_err();
        assert_eq!(err.code(), "old_key_slots");
        let text = err.to_string();
        assert!(
            text.contains("rita") && text.contains("the recovery code"),
            "{text}"
        );
        // Refused: nothing changed, everyone still opens.
        Vault::open(dir.path())
            .unwrap()
            .unlock("rita", &pass())
            .unwrap();

        // rita's unlock upgraded her slot; the recovery slot is still old.
        let err = v.rekey("test", false).unwrap_err();
        assert!(!err.to_string().contains("rita"), "{err}");
        let outcome = v.rekey("test", true).unwrap();
        assert!(outcome.dropped_users.is_empty());
        let new_code = outcome.new_recovery_code.expect("a new recovery code");
        drop(v);
        assert_eq!(
            Vault::open(dir.path())
                .unwrap()
                .recover(&code, "rita", &pass())
                .unwrap_err()
                .code(),
            "wrong_passphrase"
        );
        Vault::open(dir.path())
            .unwrap()
            .recover(&new_code, "rita", &pass())
            .unwrap();
    }
}
