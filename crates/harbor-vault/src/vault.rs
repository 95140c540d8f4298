//! Creating, opening and unlocking a vault folder.

use crate::db::{self, OpenMode};
use crate::keyslots::{self, KdfParams, KeySlots};
use crate::page_cipher::PageCipher;
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
}

/// An unlocked vault: an open, keyed connection and the acting user. Dropping it closes
/// the connection and zeroizes the key.
pub struct UnlockedVault {
    pub(crate) conn: Connection,
    pub(crate) key: DataKey,
    pub(crate) actor: Actor,
    pub(crate) paths: VaultPaths,
    pub(crate) vault_id: String,
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
        tx.commit()?;

        let code = RecoveryCode::generate()?;
        let mut slots = KeySlots::new(&vault_id, params, pages);
        slots.set_user_slot(&key, &admin_id, admin, passphrase.expose().as_bytes())?;
        slots.set_recovery_slot(&key, code.expose().as_bytes())?;
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
        let slots = KeySlots::load(&paths.keyslots)?;
        Ok(Vault { paths, slots })
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
            slots.unwrap_slot(slot, passphrase.expose().as_bytes())
        })?;
        let conn = self.open_db(&key)?;
        let actor = load_actor(&conn, user)?;
        self.finish_unlock(conn, key, actor, &tag, "vault.unlock")
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
        let key = self.guarded(keyslots::RECOVERY_TAG, |slots| {
            match slots.recovery_slot() {
                Some(slot) => slots.unwrap_slot(slot, code.expose().as_bytes()),
                None => Ok(None),
            }
        })?;
        let conn = self.open_db(&key)?;
        let actor = load_actor(&conn, user)?;
        let new_code = RecoveryCode::generate()?;
        let mut slots = self.slots.clone();
        slots.set_user_slot(
            &key,
            &actor.user_id,
            &actor.name,
            new_passphrase.expose().as_bytes(),
        )?;
        slots.set_recovery_slot(&key, new_code.expose().as_bytes())?;
        slots.save(&self.paths.keyslots)?;
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
        Ok(UnlockedVault {
            conn,
            key,
            actor,
            paths: self.paths.clone(),
            vault_id,
        })
    }
}

fn tag_names(conn: &Connection, vault_id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT name FROM users")?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names
        .into_iter()
        .map(|n| (keyslots::user_tag(vault_id, &n), n))
        .collect())
}

/// Loads an active user by name.
pub(crate) fn load_actor(conn: &Connection, user: &str) -> Result<Actor> {
    let row: Option<(String, String, String, Option<String>)> = conn
        .query_row(
            "SELECT id, name, role, disabled_at FROM users WHERE name = ?1",
            [user],
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
    options.open(path).map_err(VaultError::io("create", path))
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
