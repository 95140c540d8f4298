//! `keyslots.json`: per-user copies of the data key, each wrapped with a key derived from
//! the user's passphrase (Argon2id) by XChaCha20-Poly1305. Nothing secret is stored in
//! clear: user names appear only as tags (a hash of vault id and name), and the associated
//! data of each slot binds it to its vault, slot and user, so a slot copied from another
//! vault or to another user does not open.

use crate::page_cipher::PageCipher;
use crate::secret::DataKey;
use crate::{Result, VaultError};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use zeroize::Zeroizing;

/// Argon2id parameters of a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// The default: m = 64 MiB, t = 3, p = 4.
    pub const DEFAULT: KdfParams = KdfParams {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 4,
    };
    /// The floor Harbor refuses to go below (OWASP's Argon2id minimum): m = 19 MiB, t = 2.
    pub const MINIMUM: KdfParams = KdfParams {
        m_cost_kib: 19 * 1024,
        t_cost: 2,
        p_cost: 1,
    };

    /// Checks the parameters against the floor.
    pub fn check(self) -> Result<Self> {
        if self.m_cost_kib < Self::MINIMUM.m_cost_kib
            || self.t_cost < Self::MINIMUM.t_cost
            || self.p_cost < 1
            || self.p_cost > 16
            || self.m_cost_kib > 4 * 1024 * 1024
        {
            return Err(VaultError::BadSetting(format!(
                "Argon2id parameters must be at least m = {} KiB, t = {}, p between 1 and 16 (and m at most 4 GiB)",
                Self::MINIMUM.m_cost_kib,
                Self::MINIMUM.t_cost
            )));
        }
        Ok(self)
    }
}

/// What a slot opens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// One user's passphrase.
    User,
    /// The vault's recovery code.
    Recovery,
}

/// One wrapped copy of the data key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// The slot's id.
    pub id: String,
    /// What opens it.
    pub kind: SlotKind,
    /// The user's id (user slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's tag: SHA-256 of the vault id and the lowercased name (user slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_tag: Option<String>,
    /// "argon2id".
    pub kdf: String,
    /// Argon2id parameters.
    pub params: KdfParams,
    /// Salt (hex, 16 bytes).
    pub salt: String,
    /// XChaCha20-Poly1305 nonce (hex, 24 bytes).
    pub nonce: String,
    /// The wrapped data key with its tag (hex, 48 bytes).
    pub wrapped_key: String,
}

/// The whole `keyslots.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeySlots {
    /// File format version: 1, or 2 when the database's page settings are not SQLCipher
    /// 4's defaults (so that a Harbor from before refuses the vault instead of failing to
    /// read it).
    pub format: u32,
    /// The vault's id (also in the database).
    pub vault_id: String,
    /// How the database's pages are encrypted; absent in vaults made before it was kept.
    #[serde(default, skip_serializing_if = "PageCipher::is_sqlcipher4")]
    pub page_cipher: PageCipher,
    /// Parameters for new slots.
    pub default_params: KdfParams,
    /// The slots.
    pub slots: Vec<Slot>,
    /// Tags of disabled users, so that their refusal can say why.
    #[serde(default)]
    pub disabled_tags: Vec<String>,
}

/// The tag under which a user's slot is found: hides names from a casual reader of the file.
pub fn user_tag(vault_id: &str, user_name: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"harbor-user-tag-v1\0");
    h.update(vault_id.as_bytes());
    h.update(b"\0");
    h.update(user_name.to_lowercase().as_bytes());
    hex::encode(h.finalize())
}

/// The throttle key of the recovery slot.
pub const RECOVERY_TAG: &str = "recovery";

fn associated_data(vault_id: &str, slot_id: &str, user_id: Option<&str>) -> Vec<u8> {
    format!(
        "harbor-keyslot-v1\0{vault_id}\0{slot_id}\0{}",
        user_id.unwrap_or("recovery")
    )
    .into_bytes()
}

/// How many Argon2id derivations this process has run (read by tests that check an
/// unknown user name takes the same path as a known one).
static DERIVATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The number of Argon2id derivations this process has run.
#[doc(hidden)]
pub fn derivation_count() -> u64 {
    DERIVATIONS.load(std::sync::atomic::Ordering::Relaxed)
}

/// A fixed salt for [`derive_dummy`]; its output is thrown away.
const DUMMY_SALT: [u8; 16] = *b"harbor-dummy-slt";

/// Runs the same Argon2id derivation as a slot would, with `params` against a fixed
/// salt, and throws the result away: an unlock for a name without a slot then costs
/// what an unlock with a wrong passphrase costs.
pub fn derive_dummy(secret: &[u8], params: KdfParams) -> Result<()> {
    let params = params.check().unwrap_or(KdfParams::DEFAULT);
    derive(secret, &DUMMY_SALT, params).map(drop)
}

fn derive(secret: &[u8], salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    DERIVATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = argon2::Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|e| VaultError::BadSetting(format!("Argon2id parameters: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|e| VaultError::Storage(format!("key derivation failed: {e}")))?;
    Ok(out)
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| VaultError::Randomness)?;
    Ok(b)
}

impl KeySlots {
    /// A new, empty slot file for a vault whose database uses `page_cipher`.
    pub fn new(vault_id: &str, default_params: KdfParams, page_cipher: PageCipher) -> Self {
        KeySlots {
            format: if page_cipher.is_sqlcipher4() { 1 } else { 2 },
            vault_id: vault_id.to_owned(),
            page_cipher,
            default_params,
            slots: Vec::new(),
            disabled_tags: Vec::new(),
        }
    }

    /// Reads the file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(VaultError::io("read", path))?;
        let slots: KeySlots =
            serde_json::from_str(&text).map_err(|e| VaultError::KeySlotsDamaged {
                path: path.to_owned(),
                reason: format!("not a key slot file: {e}"),
            })?;
        let damaged = |reason: String| VaultError::KeySlotsDamaged {
            path: path.to_owned(),
            reason,
        };
        match slots.format {
            1 if !slots.page_cipher.is_sqlcipher4() => {
                return Err(damaged("format 1 with page settings".into()));
            }
            1 | 2 => {}
            other => {
                return Err(damaged(format!(
                    "unknown format {other}: this vault was made by a newer Harbor; update Harbor to open it"
                )));
            }
        }
        slots
            .page_cipher
            .check()
            .map_err(|e| damaged(format!("database page settings: {e}")))?;
        Ok(slots)
    }

    /// Writes the file atomically (temporary file, fsync, rename, fsync of the folder).
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("key slots serialise");
        crate::vault::write_atomically(path, text.as_bytes())
    }

    /// Wraps `key` for a user under their passphrase, replacing any slot they had.
    pub fn set_user_slot(
        &mut self,
        key: &DataKey,
        user_id: &str,
        user_name: &str,
        passphrase: &[u8],
    ) -> Result<()> {
        let tag = user_tag(&self.vault_id, user_name);
        self.slots.retain(|s| {
            s.user_tag.as_deref() != Some(tag.as_str()) && s.user_id.as_deref() != Some(user_id)
        });
        self.disabled_tags.retain(|t| *t != tag);
        let slot = self.wrap(key, SlotKind::User, Some(user_id), Some(tag), passphrase)?;
        self.slots.push(slot);
        Ok(())
    }

    /// Wraps `key` under a recovery code, replacing the previous recovery slot.
    pub fn set_recovery_slot(&mut self, key: &DataKey, code: &[u8]) -> Result<()> {
        self.slots.retain(|s| s.kind != SlotKind::Recovery);
        let slot = self.wrap(key, SlotKind::Recovery, None, None, code)?;
        self.slots.push(slot);
        Ok(())
    }

    /// Removes a user's slot and remembers the tag as disabled.
    pub fn disable_user(&mut self, user_id: &str, user_name: &str) {
        let tag = user_tag(&self.vault_id, user_name);
        self.slots.retain(|s| s.user_id.as_deref() != Some(user_id));
        if !self.disabled_tags.contains(&tag) {
            self.disabled_tags.push(tag);
        }
    }

    fn wrap(
        &self,
        key: &DataKey,
        kind: SlotKind,
        user_id: Option<&str>,
        user_tag: Option<String>,
        secret: &[u8],
    ) -> Result<Slot> {
        let params = self.default_params.check()?;
        let slot_id = uuid::Uuid::new_v4().to_string();
        let salt: [u8; 16] = random()?;
        let nonce: [u8; 24] = random()?;
        let kek = derive(secret, &salt, params)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref()).expect("32-byte key");
        let aad = associated_data(&self.vault_id, &slot_id, user_id);
        let wrapped = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: key.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Storage("key wrapping failed".into()))?;
        Ok(Slot {
            id: slot_id,
            kind,
            user_id: user_id.map(str::to_owned),
            user_tag,
            kdf: "argon2id".into(),
            params,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            wrapped_key: hex::encode(wrapped),
        })
    }

    /// The slot of a user, found by name.
    pub fn user_slot(&self, user_name: &str) -> Option<&Slot> {
        let tag = user_tag(&self.vault_id, user_name);
        self.slots
            .iter()
            .find(|s| s.kind == SlotKind::User && s.user_tag.as_deref() == Some(tag.as_str()))
    }

    /// Whether the user's tag is on the disabled list.
    pub fn is_disabled(&self, user_name: &str) -> bool {
        self.disabled_tags
            .contains(&user_tag(&self.vault_id, user_name))
    }

    /// The recovery slot.
    pub fn recovery_slot(&self) -> Option<&Slot> {
        self.slots.iter().find(|s| s.kind == SlotKind::Recovery)
    }

    /// Unwraps the data key from `slot` with `secret`; `None` if the secret is wrong or the
    /// slot was altered.
    pub fn unwrap_slot(&self, slot: &Slot, secret: &[u8]) -> Result<Option<DataKey>> {
        let (Ok(salt), Ok(nonce), Ok(wrapped)) = (
            hex::decode(&slot.salt),
            hex::decode(&slot.nonce),
            hex::decode(&slot.wrapped_key),
        ) else {
            return Ok(None);
        };
        let Ok(nonce): std::result::Result<[u8; 24], _> = nonce.try_into() else {
            return Ok(None);
        };
        if slot.kdf != "argon2id" {
            return Ok(None);
        }
        // A slot whose parameters were lowered below the floor is not trusted.
        if slot.params.check().is_err() {
            return Ok(None);
        }
        let kek = derive(secret, &salt, slot.params)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref()).expect("32-byte key");
        let aad = associated_data(&self.vault_id, &slot.id, slot.user_id.as_deref());
        let Ok(plain) = cipher.decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &wrapped,
                aad: &aad,
            },
        ) else {
            return Ok(None);
        };
        let plain = Zeroizing::new(plain);
        let Ok(bytes): std::result::Result<[u8; 32], _> = plain.as_slice().try_into() else {
            return Ok(None);
        };
        Ok(Some(DataKey::from_bytes(bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams::MINIMUM;

    #[test]
    fn a_slot_opens_with_its_passphrase_only() {
        let key = DataKey::generate().unwrap();
        let mut slots = KeySlots::new("vault-1", FAST, PageCipher::CURRENT);
        slots
            .set_user_slot(&key, "u1", "Ann", b"tidal orchid ledger")
            .unwrap();
        let slot = slots.user_slot("ann").unwrap().clone();
        let opened = slots
            .unwrap_slot(&slot, b"tidal orchid ledger")
            .unwrap()
            .unwrap();
        assert_eq!(opened.as_bytes(), key.as_bytes());
        assert!(
            slots
                .unwrap_slot(&slot, b"tidal orchid ledgeR")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_slot_moved_to_another_user_or_vault_does_not_open() {
        let key = DataKey::generate().unwrap();
        let mut slots = KeySlots::new("vault-1", FAST, PageCipher::CURRENT);
        slots
            .set_user_slot(&key, "u1", "ann", b"tidal orchid ledger")
            .unwrap();
        let mut moved = slots.user_slot("ann").unwrap().clone();
        moved.user_id = Some("u2".into());
        assert!(
            slots
                .unwrap_slot(&moved, b"tidal orchid ledger")
                .unwrap()
                .is_none()
        );
        let other = KeySlots {
            vault_id: "vault-2".into(),
            ..slots.clone()
        };
        let slot = slots.user_slot("ann").unwrap().clone();
        assert!(
            other
                .unwrap_slot(&slot, b"tidal orchid ledger")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn parameters_below_the_floor_are_refused() {
        let weak = KdfParams {
            m_cost_kib: 1024,
            t_cost: 1,
            p_cost: 1,
        };
        assert!(weak.check().is_err());
        assert!(KdfParams::DEFAULT.check().is_ok());
    }

    #[test]
    fn the_file_holds_no_key_and_no_name() {
        let key = DataKey::generate().unwrap();
        let mut slots = KeySlots::new("vault-1", FAST, PageCipher::CURRENT);
        slots
            .set_user_slot(&key, "u1", "annabel", b"tidal orchid ledger")
            .unwrap();
        let text = serde_json::to_string(&slots).unwrap();
        assert!(!text.contains(&hex::encode(key.as_bytes())));
        assert!(!text.contains("annabel"));
    }
}
