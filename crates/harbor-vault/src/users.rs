//! Users, roles, passphrases and settings.

use crate::keyslots::SlotsUpdate;
use crate::secret::Passphrase;
use crate::vault::{check_user_name, user_id_by_name};
use crate::{Result, UnlockedVault, VaultError, audit, time};
use chrono::{DateTime, Utc};
use harbor_core::Role;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

/// A user, as `user list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct User {
    /// The user's id.
    pub id: String,
    /// The user's name.
    pub name: String,
    /// The role.
    pub role: Role,
    /// When the user was added.
    pub created_at: DateTime<Utc>,
    /// When the user was disabled, if so.
    pub disabled_at: Option<DateTime<Utc>>,
}

/// The default attachment size limit: 100 MiB.
pub const DEFAULT_ATTACHMENT_MAX_BYTES: u64 = 100 * 1024 * 1024;

/// How long one request to the PSO may take before it is retried, by default.
pub const DEFAULT_PSO_TIMEOUT_SECONDS: u64 = 60;

/// The settings an administrator can change, with what they mean.
pub const SETTINGS: &[(&str, &str)] = &[
    (
        "attachment_max_bytes",
        "largest attachment accepted, in bytes (default 104857600 = 100 MiB)",
    ),
    (
        "pso_timeout_seconds",
        "how long one request to the PSO may take before it is retried, 1 to 3600 (default 60)",
    ),
];

impl UnlockedVault {
    /// Adds a user with a role and a first passphrase.
    pub fn add_user(&mut self, name: &str, role: Role, passphrase: &Passphrase) -> Result<User> {
        check_user_name(name)?;
        harbor_core::passphrase::check(passphrase.expose(), name)?;
        // Under the slot file's lock, so that two processes adding the same name cannot
        // both pass the check.
        let mut slots = SlotsUpdate::begin(&self.paths.keyslots, &self.key, true)?;
        if user_id_by_name(&self.conn, name)?.is_some() {
            return Err(VaultError::UserExists(name.to_owned()));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let now = time::now();
        slots
            .slots
            .set_user_slot(&self.key, &id, name, passphrase.expose().as_bytes())?;
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO users (id, name, role, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, name, role.as_str(), time::to_text(now), actor],
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "user.add",
            Some(name),
            json!({"role": role}),
        )?;
        // The slot is saved before the commit: a crash in between leaves a slot with no
        // user, which opens nothing (unlock also needs the active user row).
        slots.write(&self.key)?;
        tx.commit()?;
        drop(slots);
        self.user(name)
    }

    /// One user by name.
    pub fn user(&self, name: &str) -> Result<User> {
        let Some(id) = user_id_by_name(&self.conn, name)? else {
            return Err(VaultError::UnknownUser(name.to_owned()));
        };
        self.conn
            .query_row(
                "SELECT id, name, role, created_at, disabled_at FROM users WHERE id = ?1",
                [id],
                user_from_row,
            )
            .optional()?
            .ok_or_else(|| VaultError::UnknownUser(name.to_owned()))
    }

    /// Every user.
    pub fn list_users(&self) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, role, created_at, disabled_at FROM users ORDER BY name")?;
        let users = stmt
            .query_map([], user_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(users)
    }

    /// Disables a user: their key slot is removed and they can no longer unlock. The last
    /// active administrator cannot be disabled, nor can the acting user disable themself.
    pub fn disable_user(&mut self, name: &str) -> Result<User> {
        let user = self.user(name)?;
        if user.disabled_at.is_some() {
            return Ok(user);
        }
        if user.id == self.actor.user_id {
            return Err(VaultError::BadSetting(
                "you cannot disable yourself: ask another administrator".into(),
            ));
        }
        if user.role == Role::Admin {
            let admins: i64 = self.conn.query_row(
                "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL",
                [],
                |r| r.get(0),
            )?;
            if admins <= 1 {
                return Err(VaultError::BadSetting(
                    "this is the last active administrator: add another first".into(),
                ));
            }
        }
        let now = time::now();
        let mut slots = SlotsUpdate::begin(&self.paths.keyslots, &self.key, true)?;
        slots.slots.disable_user(&user.id, &user.name);
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET disabled_at = ?2, disabled_by = ?3 WHERE id = ?1",
            params![user.id, time::to_text(now), actor],
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "user.disable",
            Some(&user.name),
            json!({}),
        )?;
        tx.commit()?;
        slots.commit(&self.key)?;
        self.user(name)
    }

    /// Changes the acting user's passphrase: re-wraps their slot, re-encrypts nothing.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        harbor_core::passphrase::check(new.expose(), &self.actor.name)?;
        let mut slots = SlotsUpdate::begin(&self.paths.keyslots, &self.key, true)?;
        slots.slots.set_user_slot(
            &self.key,
            &self.actor.user_id,
            &self.actor.name,
            new.expose().as_bytes(),
        )?;
        slots.commit(&self.key)?;
        self.audit("user.passwd", Some(&self.actor.name.clone()), json!({}))
    }

    /// The current value of every setting.
    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        Ok(vec![
            (
                "attachment_max_bytes".into(),
                self.attachment_max_bytes()?.to_string(),
            ),
            (
                "pso_timeout_seconds".into(),
                self.pso_timeout_seconds()?.to_string(),
            ),
        ])
    }

    /// Changes a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            "attachment_max_bytes" => {
                let n: u64 = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    VaultError::BadSetting(
                        "attachment_max_bytes takes a positive number of bytes".into(),
                    )
                })?;
                self.put_meta(key, &n.to_string(), "settings.set", json!({"value": n}))
            }
            "pso_timeout_seconds" => {
                let n: u64 = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=3600).contains(n))
                    .ok_or_else(|| {
                        VaultError::BadSetting(
                            "pso_timeout_seconds takes a number of seconds from 1 to 3600".into(),
                        )
                    })?;
                self.put_meta(key, &n.to_string(), "settings.set", json!({"value": n}))
            }
            _ => Err(VaultError::BadSetting(format!(
                "unknown setting '{key}': the settings are {}",
                SETTINGS
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// A JSON document stored in the vault under `key` (for example the trigger rules).
    pub fn stored_document(&self, key: &str) -> Result<Option<String>> {
        self.meta(&format!("doc:{key}"))
    }

    /// Stores a JSON document under `key`, with an audit row naming `action`.
    pub fn store_document(&mut self, key: &str, json: &str, action: &str) -> Result<()> {
        let detail = json!({"sha256": harbor_core::canonical::sha256_hex(json.as_bytes())});
        self.put_meta(&format!("doc:{key}"), json, action, detail)
    }

    /// Writes a value into the vault's settings table with its audit row, in one
    /// transaction.
    fn put_meta(
        &mut self,
        key: &str,
        value: &str,
        action: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        audit::append(
            &tx,
            time::now(),
            &actor,
            action,
            Some(key.trim_start_matches("doc:")),
            detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How long one request to the PSO may take, in seconds.
    pub fn pso_timeout_seconds(&self) -> Result<u64> {
        Ok(self
            .meta("pso_timeout_seconds")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_PSO_TIMEOUT_SECONDS))
    }

    /// The attachment size limit in bytes.
    pub fn attachment_max_bytes(&self) -> Result<u64> {
        Ok(self
            .meta("attachment_max_bytes")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_ATTACHMENT_MAX_BYTES))
    }
}

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Reviewer),
        created_at: time::from_text(&r.get::<_, String>(3)?),
        disabled_at: r.get::<_, Option<String>>(4)?.map(|t| time::from_text(&t)),
    })
}
