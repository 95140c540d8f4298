//! Creating, opening and unlocking a vault folder.

use crate::db::{self, OpenMode};
use crate::keyslots::{self, KdfParams, KeySlots, Slot, SlotsUpdate};
use crate::page_cipher::PageCipher;
use crate::rekey::OpenLock;
use crate::secret::{DataKey, Passphrase, RecoveryCode};
use crate::throttle::Throttle;
use crate::{Result, VaultError, audit, time};
use harbor_core::Role;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files of a vault folder.
#[derive(Debug, Clone)]
pub struct VaultPaths {
    /// The folder.
    pub dir: PathBuf,
    /// `vault.db`.
    pub db: PathBuf,
    /// `keyslots.json`.
    pub keyslots: PathBuf,
    /// `unlock-throttle.json`.
    pub throttle: PathBuf,
}

impl VaultPaths {
    /// The paths of the vault in `dir`.
    pub fn new(dir: &Path) -> Self {
        VaultPaths {
            dir: dir.to_owned(),
            db: dir.join("vault.db"),
            keyslots: dir.join("keyslots.json"),
            throttle: dir.join("unlock-throttle.json"),
        }
    }
}

/// The user acting in an unlocked vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id.
    pub user_id: String,
    /// The user's name.
    pub name: String,
    /// The user's role.
    pub role: Role,
}

/// A vault folder, not yet unlocked.
#[derive(Debug)]
pub struct Vault {
    paths: VaultPaths,
    slots: KeySlots,
    open_lock: OpenLock,
}

/// An unlocked vault: an open, keyed connection and the acting user. Dropping it closes
/// the connection and zeroizes the key.
pub struct UnlockedVault {
    pub(crate) conn: Connection,
    pub(crate) key: DataKey,
    pub(crate) actor: Actor,
    pub(crate) paths: VaultPaths,
    pub(crate) vault_id: String,
    /// Held while the vault is open, so that a re-key never replaces the database under
    /// another process (`None` only in the middle of a re-key).
    pub(crate) open_lock: Option<OpenLock>,
}

impl std::fmt::Debug for UnlockedVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnlockedVault")
            .field("vault", &self.paths.dir)
            .field("actor", &self.actor.name)
            .finish_non_exhaustive()
    }
}

/// Checks a user name: 1 to 64 of letters, digits, '.', '_', '-'.
pub fn check_user_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(VaultError::BadUserName(name.chars().take(64).collect()))
    }
}

impl Vault {
    /// Creates a vault in `dir` (which must be missing or empty) with its first admin.
    /// Returns the unlocked vault and the recovery code, which is shown once and never
    /// stored in clear.
    pub fn create(
        dir: &Path,
        admin: &str,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<(UnlockedVault, RecoveryCode)> {
        Self::create_with_pages(dir, admin, passphrase, params, PageCipher::CURRENT)
    }

    /// [`Vault::create`] with chosen page settings (tests make vaults as older versions
    /// did).
    pub(crate) fn create_with_pages(
        dir: &Path,
        admin: &str,
        passphrase: &Passphrase,
        params: KdfParams,
        pages: PageCipher,
    ) -> Result<(UnlockedVault, RecoveryCode)> {
        check_user_name(admin)?;
        harbor_core::passphrase::check(passphrase.expose(), admin)?;
        params.check()?;
        prepare_empty_folder(dir)?;
        let paths = VaultPaths::new(dir);
        let open_lock = OpenLock::shared(&paths)?;
        let key = DataKey::generate()?;
        let vault_id = uuid::Uuid::new_v4().to_string();
        let admin_id = uuid::Uuid::now_v7().to_string();
        let now = time::now();

        // SQLite gives -wal and -shm the database file's mode: create it 0600 first.
        drop(create_private_file(&paths.db)?);
        let mut conn = db::open(&paths.db, Some(&key), pages, OpenMode::Create)?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('vault_id', ?1), ('created_at', ?2)",
            params![vault_id, time::to_text(now)],
        )?;
        tx.execute(
            "INSERT INTO users (id, name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![admin_id, admin, Role::Admin.as_str(), time::to_text(now)],
        )?;
        audit::append(&tx, now, admin, "vault.create", Some(&vault_id), json!({}))?;
        audit::append(
            &tx,
            now,
            admin,
            "user.add",
            Some(admin),
            json!({"role": Role::Admin.as_str()}),
        )?;
        // The PSES documents itself from its first day: Harbor's template, which the
        // administrator is asked to review and adopt in the agency's words.
        crate::policy::adopt_in(&tx, now, admin, harbor_core::policy::TEMPLATE, true)?;
        tx.commit()?;

        let code = RecoveryCode::generate()?;
        let mut slots = KeySlots::new(&vault_id, params, pages);
        slots.set_user_slot(&key, &admin_id, admin, passphrase.expose().as_bytes())?;
        slots.set_recovery_slot(&key, code.expose().as_bytes())?;
        slots.seal(&key);
        mark_sealed(&conn)?;
        // The slot file is written last: a folder without it is an unfinished vault.
        slots.save(&paths.keyslots)?;
        let unlocked = UnlockedVault {
            conn,
            key,
            actor: Actor {
                user_id: admin_id,
                name: admin.to_owned(),
                role: Role::Admin,
            },
            paths,
            vault_id,
            open_lock: Some(open_lock),
        };
        Ok((unlocked, code))
    }

    /// Opens the vault folder (reads its key slots; nothing is decrypted yet).
    pub fn open(dir: &Path) -> Result<Self> {
        let paths = VaultPaths::new(dir);
        if !paths.db.is_file() || !paths.keyslots.is_file() {
            return Err(VaultError::NotAVault(dir.to_owned()));
        }
        restrict_permissions(dir)?;
        // Waits while a re-key replaces the database, then reads the slots it left.
        let open_lock = OpenLock::shared(&paths)?;
        let slots = KeySlots::load(&paths.keyslots)?;
        Ok(Vault {
            paths,
            slots,
            open_lock,
        })
    }

    /// The folder's paths.
    pub fn paths(&self) -> &VaultPaths {
        &self.paths
    }

    /// Opens the database with an unwrapped key and the vault's page settings.
    fn open_db(&self, key: &DataKey) -> Result<Connection> {
        db::open(
            &self.paths.db,
            Some(key),
            self.slots.page_cipher,
            OpenMode::Existing,
        )
    }

    /// Unlocks the vault as `user` with their passphrase.
    ///
    /// A wrong passphrase changes nothing but the throttle file; after
    /// [`crate::throttle::FREE_ATTEMPTS`] failures each further attempt must wait, and the
    /// wait survives a restart. Failures enter the audit chain at the next success.
    pub fn unlock(&self, user: &str, passphrase: &Passphrase) -> Result<UnlockedVault> {
        let tag = keyslots::user_tag(&self.slots.vault_id, user);
        let mut opened: Option<(Slot, Option<DataKey>)> = None;
        let key = self.guarded(&tag, |slots| {
            let Some(slot) = slots.user_slot(user) else {
                if slots.is_disabled(user) {
                    return Err(VaultError::UserDisabled(user.to_owned()));
                }
                // The same Argon2id work as a real slot, so the time taken does not tell
                // which names exist.
                keyslots::derive_dummy(passphrase.expose().as_bytes(), slots.default_params)?;
                return Ok(None);
            };
            let Some(keys) = slots.open_slot(slot, passphrase.expose().as_bytes())? else {
                return Ok(None);
            };
            opened = Some((slot.clone(), keys.next));
            Ok(Some(keys.current))
        })?;
        let (slot, next) = opened.expect("a key comes from a slot");
        let sealed = self.slots.verify(&key, &self.paths.keyslots)?;
        let (mut conn, key) = self.open_db_settling(key, next)?;
        if !sealed && is_sealed(&conn)? {
            return Err(KeySlots::unsealed(&self.paths.keyslots));
        }
        let actor = load_actor(&conn, user)?;
        // The slot opened with this passphrase must be this user's own: a slot copied under
        // another user's tag is refused even where its tag was not bound.
        if slot.user_id.as_deref() != Some(actor.user_id.as_str()) {
            return Err(VaultError::KeySlotsDamaged {
                path: self.paths.keyslots.clone(),
                reason: "a slot is filed under another user's name".into(),
            });
        }
        if !sealed || slot.version < 2 {
            self.upgrade_slots(&mut conn, &key, |slots| {
                // A slot from before the tag was bound is wrapped anew, with it.
                if slots.user_slot(user).is_some_and(|s| s.version < 2) {
                    slots.set_user_slot(
                        &key,
                        &actor.user_id,
                        &actor.name,
                        passphrase.expose().as_bytes(),
                    )?;
                }
                Ok(())
            })?;
        }
        self.finish_unlock(conn, key, actor, &tag, "vault.unlock")
    }

    /// Opens the database with the slot's key, settling a re-key that a crash interrupted:
    /// if the database still opens with the current key, the staged key is forgotten; if
    /// only with the next one (the database was replaced), the slots are moved to it.
    fn open_db_settling(
        &self,
        current: DataKey,
        next: Option<DataKey>,
    ) -> Result<(Connection, DataKey)> {
        let Some(next) = next else {
            return Ok((self.open_db(&current)?, current));
        };
        // No re-key is running (this process holds the open lock): its copy is stale.
        crate::rekey::remove_staging(&self.paths)?;
        match self.open_db(&current) {
            Ok(conn) => {
                crate::rekey::settle_slots(&self.paths.keyslots, &current, &current, false)?;
                Ok((conn, current))
            }
            Err(VaultError::Corrupt(_)) => {
                let conn = self.open_db(&next)?;
                crate::rekey::settle_slots(&self.paths.keyslots, &current, &next, true)?;
                Ok((conn, next))
            }
            Err(e) => Err(e),
        }
    }

    /// Rewrites a slot file from before format 3 (or with old slots) under the lock: `change`
    /// runs on the file as read under the lock, the file is sealed with its MAC, and the
    /// database records that the file is sealed, so that a copy without the MAC is refused
    /// from then on.
    fn upgrade_slots(
        &self,
        conn: &mut Connection,
        key: &DataKey,
        change: impl FnOnce(&mut KeySlots) -> Result<()>,
    ) -> Result<()> {
        let required = is_sealed(conn)?;
        let mut update = SlotsUpdate::begin(&self.paths.keyslots, key, required)?;
        change(&mut update.slots)?;
        update.commit(key)?;
        mark_sealed(conn)
    }

    /// Unlocks with the recovery code, then sets a new passphrase for `user` (who must be
    /// an active user) and replaces the recovery code. Returns the unlocked vault and the
    /// new recovery code, to be shown once.
    pub fn recover(
        &self,
        code: &RecoveryCode,
        user: &str,
        new_passphrase: &Passphrase,
    ) -> Result<(UnlockedVault, RecoveryCode)> {
        harbor_core::passphrase::check(new_passphrase.expose(), user)?;
        let mut next = None;
        let key = self.guarded(keyslots::RECOVERY_TAG, |slots| {
            let Some(slot) = slots.recovery_slot() else {
                return Ok(None);
            };
            Ok(slots
                .open_slot(slot, code.expose().as_bytes())?
                .map(|keys| {
                    next = keys.next;
                    keys.current
                }))
        })?;
        let sealed = self.slots.verify(&key, &self.paths.keyslots)?;
        let (mut conn, key) = self.open_db_settling(key, next)?;
        if !sealed && is_sealed(&conn)? {
            return Err(KeySlots::unsealed(&self.paths.keyslots));
        }
        let actor = load_actor(&conn, user)?;
        let new_code = RecoveryCode::generate()?;
        self.upgrade_slots(&mut conn, &key, |slots| {
            slots.set_user_slot(
                &key,
                &actor.user_id,
                &actor.name,
                new_passphrase.expose().as_bytes(),
            )?;
            slots.set_recovery_slot(&key, new_code.expose().as_bytes())
        })?;
        let vault =
            self.finish_unlock(conn, key, actor, keyslots::RECOVERY_TAG, "vault.recover")?;
        Ok((vault, new_code))
    }

    /// Runs `attempt` under the throttle of `tag`: refuses while a wait is due, records a
    /// failure when `attempt` yields no key.
    fn guarded(
        &self,
        tag: &str,
        attempt: impl FnOnce(&KeySlots) -> Result<Option<DataKey>>,
    ) -> Result<DataKey> {
        // Held across load, check, derivation and save: parallel attempts take turns and
        // each sees the failures before it.
        let _lock = Throttle::lock(&self.paths.throttle)?;
        let mut throttle = Throttle::load(&self.paths.throttle)?;
        let now = time::now();
        let wait = throttle.wait_secs(tag, now.timestamp());
        if wait > 0 {
            return Err(VaultError::Throttled {
                retry_after_secs: wait,
            });
        }
        match attempt(&self.slots)? {
            Some(key) => Ok(key),
            None => {
                throttle.record_failure(tag, now);
                throttle.save(&self.paths.throttle)?;
                Err(VaultError::WrongPassphrase)
            }
        }
    }

    fn finish_unlock(
        &self,
        mut conn: Connection,
        key: DataKey,
        actor: Actor,
        tag: &str,
        action: &str,
    ) -> Result<UnlockedVault> {
        let vault_id: String =
            conn.query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| {
                r.get(0)
            })?;
        let _lock = Throttle::lock(&self.paths.throttle)?;
        let mut throttle = Throttle::load(&self.paths.throttle)?;
        let failures = throttle.take_on_success(tag);
        let unreadable = throttle.take_unreadable();
        let names = tag_names(&conn, &vault_id)?;
        let tx = conn.transaction()?;
        for (failed_tag, at) in &failures {
            let who = names
                .iter()
                .find(|(t, _)| t == failed_tag)
                .map(|(_, n)| n.as_str())
                .unwrap_or(if failed_tag == keyslots::RECOVERY_TAG {
                    "(recovery code)"
                } else {
                    "(unknown user)"
                });
            audit::append(
                &tx,
                time::from_text(at),
                who,
                "vault.unlock_failed",
                None,
                json!({}),
            )?;
        }
        for at in &unreadable {
            audit::append(
                &tx,
                time::from_text(at),
                "(throttle)",
                "vault.throttle_unreadable",
                None,
                json!({}),
            )?;
        }
        audit::append(&tx, time::now(), &actor.name, action, None, json!({}))?;
        tx.commit()?;
        if !failures.is_empty()
            || !unreadable.is_empty()
            || throttle.tags.contains_key(tag)
            || self.paths.throttle.exists()
        {
            throttle.save(&self.paths.throttle)?;
        }
        let open_lock = self.open_lock.try_clone()?;
        Ok(UnlockedVault {
            conn,
            key,
            actor,
            paths: self.paths.clone(),
            vault_id,
            open_lock: Some(open_lock),
        })
    }
}

pub(crate) fn tag_names(conn: &Connection, vault_id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT name FROM users")?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names
        .into_iter()
        .map(|n| (keyslots::user_tag(vault_id, &n), n))
        .collect())
}

/// The database's record that the slot file carries a MAC (format 3): from then on a slot
/// file without one is a replaced or edited copy.
const SEALED_META: &str = "keyslots_sealed";

fn is_sealed(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM meta WHERE key = ?1", [SEALED_META], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

fn mark_sealed(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, '3')",
        [SEALED_META],
    )?;
    Ok(())
}

/// The id of the user whose name is `name` under [`keyslots::name_key`], if any: the one
/// comparison of names (SQLite's `COLLATE NOCASE` folds ASCII only).
pub(crate) fn user_id_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    let wanted = keyslots::name_key(name);
    let mut stmt = conn.prepare("SELECT id, name FROM users")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .find(|(_, n)| keyslots::name_key(n) == wanted)
        .map(|(id, _)| id))
}

/// Loads an active user by name.
pub(crate) fn load_actor(conn: &Connection, user: &str) -> Result<Actor> {
    let Some(id) = user_id_by_name(conn, user)? else {
        return Err(VaultError::WrongPassphrase);
    };
    let row: Option<(String, String, String, Option<String>)> = conn
        .query_row(
            "SELECT id, name, role, disabled_at FROM users WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match row {
        None => Err(VaultError::WrongPassphrase),
        Some((_, name, _, Some(_))) => Err(VaultError::UserDisabled(name)),
        Some((user_id, name, role, None)) => Ok(Actor {
            user_id,
            name,
            role: Role::parse(&role)
                .ok_or_else(|| VaultError::Corrupt(format!("unknown role '{role}'")))?,
        }),
    }
}

pub(crate) fn prepare_empty_folder(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(VaultError::FolderNotEmpty(dir.to_owned()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(VaultError::io("create", dir))?;
        }
        Err(e) => return Err(VaultError::io("read", dir)(e)),
    }
    restrict_permissions(dir)
}

/// Takes group and other permissions off the vault folder and every file directly in it
/// (the database, its `-wal` and `-shm`, `keyslots.json`, the throttle and its lock), so
/// a folder made under umask 022 ends 0700 with files 0600; an existing vault whose files
/// are group- or world-readable is tightened on open.
#[cfg(unix)]
pub(crate) fn restrict_permissions(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::symlink_metadata(p).map(|m| m.permissions().mode());
    // Only group and other bits are taken away: a file the owner made read-only stays so.
    let dir_mode = mode(dir).map_err(VaultError::io("read", dir))?;
    if dir_mode & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode & 0o700))
            .map_err(VaultError::io("restrict permissions of", dir))?;
    }
    for entry in std::fs::read_dir(dir).map_err(VaultError::io("read", dir))? {
        let path = entry.map_err(VaultError::io("read", dir))?.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue; // removed meanwhile
        };
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            let owner_only = meta.permissions().mode() & 0o700;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(owner_only))
                .map_err(VaultError::io("restrict permissions of", &path))?;
        }
    }
    Ok(())
}

/// Elsewhere the folder's ACLs decide.
#[cfg(not(unix))]
pub(crate) fn restrict_permissions(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Creates `path` (which must not exist) as a file only its owner can read and write
/// (0600 on Unix, whatever the umask), before anything secret is written to it.
pub fn create_private_file(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| {
        // Never over a file: say what to do rather than "os error 17".
        let e = if e.kind() == std::io::ErrorKind::AlreadyExists {
            std::io::Error::new(e.kind(), "file exists; choose a new name")
        } else {
            e
        };
        VaultError::io("create", path)(e)
    })
}

/// Writes `bytes` to `path` so that a crash leaves either the old or the new file: a
/// temporary file in the same folder, fsync, rename, fsync of the folder.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // tempfile creates the file 0600 on Unix; the rename keeps that mode.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(VaultError::io("write", dir))?;
    tmp.write_all(bytes)
        .map_err(VaultError::io("write", path))?;
    tmp.as_file()
        .sync_all()
        .map_err(VaultError::io("write", path))?;
    tmp.persist(path)
        .map_err(|e| VaultError::io("write", path)(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

impl UnlockedVault {
    /// The acting user.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The vault's id.
    pub fn vault_id(&self) -> &str {
        &self.vault_id
    }

    /// The vault folder's paths.
    pub fn paths(&self) -> &VaultPaths {
        &self.paths
    }

    /// Re-reads the acting user, so that a user disabled (or whose role changed) while
    /// their session is open is held to it at their next action.
    pub fn refresh_actor(&mut self) -> Result<&Actor> {
        let current = load_actor(&self.conn, &self.actor.name)?;
        if current.user_id != self.actor.user_id {
            return Err(VaultError::UserDisabled(self.actor.name.clone()));
        }
        self.actor = current;
        Ok(&self.actor)
    }

    /// Reads a setting from the vault.
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Locks the vault: closes the connection and zeroizes the key.
    pub fn lock(self) {
        drop(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyslots::SlotKind;

    const PASS: &str = "tide-pool-lantern-quarry";

    /// A vault whose slot file is as Harbor wrote it before format 3: no MAC, slots whose
    /// associated data binds no tag, and no record of a MAC in the database.
    fn make_old(dir: &Path) {
        let (v, code) = Vault::create(
            dir,
            "admin",
            &Passphrase::new(PASS.into()),
            KdfParams::MINIMUM,
        )
        .unwrap();
        v.conn
            .execute("DELETE FROM meta WHERE key = ?1", [SEALED_META])
            .unwrap();
        let path = v.paths.keyslots.clone();
        let new = KeySlots::load(&path).unwrap();
        let mut old = KeySlots::new(&new.vault_id, new.default_params, new.page_cipher);
        let tag = keyslots::user_tag(&new.vault_id, "admin");
        let user = old
            .wrap_as(
                &v.key,
                SlotKind::User,
                Some(v.actor.user_id.as_str()),
                Some(tag),
                PASS.as_bytes(),
                1,
            )
            .unwrap();
        let recovery = old
            .wrap_as(
                &v.key,
                SlotKind::Recovery,
                None,
                None,
                code.expose().as_bytes(),
                1,
            )
            .unwrap();
        old.slots = vec![user, recovery];
        old.save(&path).unwrap();
    }

    #[test]
    fn a_slot_file_from_before_format_3_opens_and_is_sealed_at_the_first_unlock() {
        let dir = tempfile::tempdir().unwrap();
        make_old(dir.path());
        let path = dir.path().join("keyslots.json");
        let before = std::fs::read_to_string(&path).unwrap();
        assert!(before.contains("\"format\": 2") && !before.contains("\"mac\""));
        let pass = Passphrase::new(PASS.into());
        let v = Vault::open(dir.path())
            .unwrap()
            .unlock("admin", &pass)
            .unwrap();
        assert!(is_sealed(&v.conn).unwrap());
        drop(v);
        let after = KeySlots::load(&path).unwrap();
        assert_eq!(after.format, 3);
        assert!(after.mac.is_some());
        assert_eq!(
            after.user_slot("admin").unwrap().version,
            2,
            "the user's slot is re-wrapped"
        );
        // It opens again, and from now on a copy without the MAC (the old file) is refused.
        Vault::open(dir.path())
            .unwrap()
            .unlock("admin", &pass)
            .unwrap();
        std::fs::write(&path, before).unwrap();
        let err = Vault::open(dir.path())
            .unwrap()
            .unlock("admin", &pass)
            .unwrap_err();
        assert_eq!(err.code(), "keyslots_damaged", "{err}");
    }

    #[test]
    fn a_slot_whose_tag_was_changed_does_not_unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new(PASS.into());
        let (mut v, _code) = Vault::create(dir.path(), "admin", &pass, KdfParams::MINIMUM).unwrap();
        v.add_user("rita", Role::Reviewer, &pass).unwrap();
        drop(v);
        let slots = KeySlots::load(&dir.path().join("keyslots.json")).unwrap();
        let mut moved = slots.user_slot("rita").unwrap().clone();
        moved.user_tag = Some(keyslots::user_tag(&slots.vault_id, "admin"));
        assert!(
            slots
                .unwrap_slot(&moved, PASS.as_bytes())
                .unwrap()
                .is_none()
        );
    }
}
