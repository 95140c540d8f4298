//! Contacts: the vaults this one exchanges case packets with, known by their public device
//! identity. Only a contact can send this vault a packet or receive one from it.

use crate::{Result, UnlockedVault, VaultError, audit, time};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

/// A contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Contact {
    /// The name this vault knows it by (a person or a laptop, e.g. `dr.okafor-laptop`).
    pub name: String,
    /// The Ed25519 key its packets are signed with (hex).
    pub signing_key: String,
    /// The X25519 key packets to it are encrypted to (hex).
    pub receive_key: String,
    /// The fingerprint people compare aloud.
    pub fingerprint: String,
    /// When it was added.
    pub added_at: DateTime<Utc>,
    /// Who added it.
    pub added_by: String,
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(VaultError::BadSetting(
            "a contact name is 1 to 64 letters, digits, '.', '-' or '_'".into(),
        ))
    }
}

impl UnlockedVault {
    /// Adds a contact (audited). Refused for a name or a device already known.
    pub fn add_contact(
        &mut self,
        name: &str,
        signing_key: &str,
        receive_key: &str,
        fingerprint: &str,
    ) -> Result<Contact> {
        check_name(name)?;
        if let Some(existing) = self.contact_by_signing_key(signing_key)? {
            return Err(VaultError::BadSetting(format!(
                "this device is already a contact, named '{}'",
                existing.name
            )));
        }
        if self.contact(name).is_ok() {
            return Err(VaultError::BadSetting(format!(
                "there is already a contact named '{name}': remove it first or choose another name"
            )));
        }
        let actor = self.actor.name.clone();
        let now = time::now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO contacts (name, signing_key, receive_key, fingerprint, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                name,
                signing_key,
                receive_key,
                fingerprint,
                time::to_text(now),
                actor
            ],
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "contact.add",
            Some(name),
            json!({"fingerprint": fingerprint}),
        )?;
        tx.commit()?;
        self.contact(name)
    }

    /// Removes a contact (audited); packets from it are refused from now on.
    pub fn remove_contact(&mut self, name: &str) -> Result<Contact> {
        let contact = self.contact(name)?;
        let actor = self.actor.name.clone();
        let now = time::now();
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM contacts WHERE name = ?1", [name])?;
        audit::append(
            &tx,
            now,
            &actor,
            "contact.remove",
            Some(name),
            json!({"fingerprint": contact.fingerprint}),
        )?;
        tx.commit()?;
        Ok(contact)
    }

    /// One contact by name.
    pub fn contact(&self, name: &str) -> Result<Contact> {
        self.conn
            .query_row(
                "SELECT name, signing_key, receive_key, fingerprint, added_at, added_by FROM contacts WHERE name = ?1",
                [name],
                contact_from_row,
            )
            .optional()?
            .ok_or_else(|| VaultError::NotFound {
                what: "contact",
                id: name.to_owned(),
            })
    }

    /// The contact whose device signs with `signing_key`, if any.
    pub fn contact_by_signing_key(&self, signing_key: &str) -> Result<Option<Contact>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, signing_key, receive_key, fingerprint, added_at, added_by FROM contacts WHERE signing_key = ?1",
                [signing_key],
                contact_from_row,
            )
            .optional()?)
    }

    /// Every contact, by name.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, signing_key, receive_key, fingerprint, added_at, added_by FROM contacts ORDER BY name",
        )?;
        let rows = stmt
            .query_map([], contact_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

fn contact_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        name: r.get(0)?,
        signing_key: r.get(1)?,
        receive_key: r.get(2)?,
        fingerprint: r.get(3)?,
        added_at: time::from_text(&r.get::<_, String>(4)?),
        added_by: r.get(5)?,
    })
}
