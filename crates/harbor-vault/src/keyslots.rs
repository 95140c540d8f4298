//! `keyslots.json`: per-user copies of the data key, each wrapped with a key derived from
//! the user's passphrase (Argon2id) by XChaCha20-Poly1305. Nothing secret is stored in
//! clear: user names appear only as tags (a hash of vault id and name), and the associated
//! data of each slot binds it to its vault, slot and user, so a slot copied from another
//! vault or to another user does not open.

use crate::page_cipher::PageCipher;
use crate::secret::DataKey;
use crate::{Result, VaultError};
use aws_lc_rs::hmac;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
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
    /// Version 1: the data key wrapped with its tag (hex, 48 bytes). Version 2: the seed
    /// of the slot's X25519 key pair, wrapped likewise.
    pub wrapped_key: String,
    /// 1: the passphrase's key wraps the data key, and the associated data binds vault,
    /// slot and user id (slots made before re-keying existed). 2: the passphrase's key
    /// wraps a key pair's seed and the data key is sealed to its public key (HPKE), both
    /// bound to vault, slot, kind, user id and user tag; the data key can then be replaced
    /// without the passphrase. Version 1 slots become version 2 when their owner next
    /// unlocks.
    #[serde(default = "version_1", skip_serializing_if = "is_version_1")]
    pub version: u32,
    /// The slot's X25519 public key (hex, 32 bytes; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// The data key sealed to `public_key` (hex: HPKE's encapsulated key, then the
    /// ciphertext; version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_key: Option<String>,
    /// While a re-key is under way: the new data key sealed to `public_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_sealed_key: Option<String>,
}

fn version_1() -> u32 {
    1
}

fn is_version_1(v: &u32) -> bool {
    *v == 1
}

/// The slot version new slots are made with.
const SLOT_VERSION: u32 = 2;

type Kem = hpke::kem::X25519HkdfSha256;
type SealAead = hpke::aead::ChaCha20Poly1305;
type SealKdf = hpke::kdf::HkdfSha256;
const SEAL_INFO: &[u8] = b"harbor-keyslot-data-key-v1";

/// The data keys a slot opened: the current one and, while a re-key is under way, the next.
#[derive(Debug)]
pub struct OpenedSlot {
    /// The data key the slot holds.
    pub current: DataKey,
    /// The key of a re-key that was not finished.
    pub next: Option<DataKey>,
}

/// Seals `key` to the X25519 public key `public_hex`, bound to `aad`.
fn seal_to(public_hex: &str, key: &DataKey, aad: &[u8]) -> Result<String> {
    use hpke::{Deserializable, Serializable};
    let damaged = || VaultError::Storage("a key slot's public key is not usable".into());
    let pk =
        <Kem as hpke::Kem>::PublicKey::from_bytes(&hex::decode(public_hex).map_err(|_| damaged())?)
            .map_err(|_| damaged())?;
    let (enc, ct) = hpke::single_shot_seal::<SealAead, SealKdf, Kem>(
        &hpke::OpModeS::Base,
        &pk,
        SEAL_INFO,
        key.as_bytes(),
        aad,
    )
    .map_err(|_| VaultError::Storage("sealing the data key failed".into()))?;
    let mut out = enc.to_bytes().to_vec();
    out.extend_from_slice(&ct);
    Ok(hex::encode(out))
}

/// Opens a key sealed by [`seal_to`]; `None` if it does not open.
fn open_sealed(
    secret: &<Kem as hpke::Kem>::PrivateKey,
    sealed_hex: &str,
    aad: &[u8],
) -> Option<DataKey> {
    use hpke::Deserializable;
    let sealed = hex::decode(sealed_hex).ok()?;
    if sealed.len() < 32 {
        return None;
    }
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&sealed[..32]).ok()?;
    let plain = Zeroizing::new(
        hpke::single_shot_open::<SealAead, SealKdf, Kem>(
            &hpke::OpModeR::Base,
            secret,
            &enc,
            SEAL_INFO,
            &sealed[32..],
            aad,
        )
        .ok()?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DataKey::from_bytes(bytes))
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
    /// HMAC-SHA256 (hex) over everything above, keyed from the data key (format 3): nobody
    /// without the key can change a setting, a slot's tag or the slot list unnoticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// The one form of a user name under which two names are the same user: Unicode lower
/// case. The tag and the database's lookups and uniqueness check all use it, so "Åsa" and
/// "åsa" are one user (SQLite's `COLLATE NOCASE` folds ASCII only and is not relied on).
pub fn name_key(user_name: &str) -> String {
    user_name.to_lowercase()
}

/// The tag under which a user's slot is found: hides names from a casual reader of the file.
pub fn user_tag(vault_id: &str, user_name: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"harbor-user-tag-v1\0");
    h.update(vault_id.as_bytes());
    h.update(b"\0");
    h.update(name_key(user_name).as_bytes());
    hex::encode(h.finalize())
}

/// The key of the slot file's MAC: HMAC-SHA256 of a fixed label under the data key (a key
/// of its own, derived from the data key, so a MAC reveals nothing about the database key).
fn mac_key(key: &DataKey) -> hmac::Key {
    let root = hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes());
    let derived = hmac::sign(&root, b"harbor-keyslots-mac-key-v1");
    let bytes = Zeroizing::new(derived.as_ref().to_vec());
    hmac::Key::new(hmac::HMAC_SHA256, &bytes)
}

/// Holds an exclusive advisory lock on `keyslots.lock` beside the slot file while a
/// process reads, changes and writes the slot file; released on drop.
#[derive(Debug)]
pub struct SlotsLock(#[allow(dead_code)] crate::filelock::FileLock);

impl SlotsLock {
    /// Waits for and takes the lock of the slot file at `path`.
    pub fn take(path: &Path) -> Result<Self> {
        crate::filelock::FileLock::exclusive(&path.with_file_name("keyslots.lock")).map(SlotsLock)
    }
}

/// A read-modify-write of the slot file under [`SlotsLock`]: two processes changing slots
/// at once both keep their change.
#[derive(Debug)]
pub struct SlotsUpdate {
    /// The slots as read under the lock; change them, then [`SlotsUpdate::commit`].
    pub slots: KeySlots,
    path: PathBuf,
    _lock: SlotsLock,
}

impl SlotsUpdate {
    /// Locks and reads the file, and checks its MAC under `key`. A file without a MAC (made
    /// before format 3) is accepted only when `require_mac` is false.
    pub fn begin(path: &Path, key: &DataKey, require_mac: bool) -> Result<Self> {
        let lock = SlotsLock::take(path)?;
        let slots = KeySlots::load(path)?;
        if !slots.verify(key, path)? && require_mac {
            return Err(KeySlots::unsealed(path));
        }
        Ok(SlotsUpdate {
            slots,
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// Locks and reads the file if a re-key is still pending in it (checking its MAC under
    /// `current`); `None` if another process settled it meanwhile.
    pub fn begin_pending(path: &Path, current: &DataKey) -> Result<Option<Self>> {
        let lock = SlotsLock::take(path)?;
        let slots = KeySlots::load(path)?;
        if !slots.rekey_pending() {
            return Ok(None);
        }
        if !slots.verify(current, path)? {
            return Err(KeySlots::unsealed(path));
        }
        Ok(Some(SlotsUpdate {
            slots,
            path: path.to_owned(),
            _lock: lock,
        }))
    }

    /// Seals the changed slots under `key` and writes them, keeping the lock (so that a
    /// database change that goes with them commits before another process reads them).
    pub fn write(&mut self, key: &DataKey) -> Result<()> {
        self.slots.seal(key);
        self.slots.save(&self.path)
    }

    /// [`SlotsUpdate::write`], then releases the lock.
    pub fn commit(mut self, key: &DataKey) -> Result<()> {
        self.write(key)
    }
}

/// The throttle key of the recovery slot.
pub const RECOVERY_TAG: &str = "recovery";

fn associated_data(vault_id: &str, slot: &Slot) -> Vec<u8> {
    let user_id = slot.user_id.as_deref().unwrap_or("recovery");
    match slot.version {
        1 => format!("harbor-keyslot-v1\0{vault_id}\0{}\0{user_id}", slot.id),
        _ => format!(
            "harbor-keyslot-v2\0{vault_id}\0{}\0{}\0{user_id}\0{}",
            slot.id,
            match slot.kind {
                SlotKind::User => "user",
                SlotKind::Recovery => "recovery",
            },
            slot.user_tag.as_deref().unwrap_or("-")
        ),
    }
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
            mac: None,
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
            1 | 2 if slots.mac.is_some() => return Err(damaged("a MAC in an old format".into())),
            3 if slots.mac.is_none() => return Err(damaged("format 3 without its MAC".into())),
            1..=3 => {}
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

    fn mac_body(&self) -> Vec<u8> {
        let unsealed = KeySlots {
            mac: None,
            ..self.clone()
        };
        let mut body = b"harbor-keyslots-mac-v1\0".to_vec();
        body.extend(serde_json::to_vec(&unsealed).expect("key slots serialise"));
        body
    }

    /// Marks the file format 3 and computes its MAC under `key`: every field (settings,
    /// page settings, the slots with their ids, kinds, user ids and tags, the disabled
    /// tags) is covered.
    pub fn seal(&mut self, key: &DataKey) {
        self.format = 3;
        self.mac = None;
        let tag = hmac::sign(&mac_key(key), &self.mac_body());
        self.mac = Some(hex::encode(tag.as_ref()));
    }

    /// Checks the MAC under `key`: `Ok(true)` if it matches, `Ok(false)` if the file has
    /// none (made before format 3), [`VaultError::KeySlotsDamaged`] if it does not match.
    pub fn verify(&self, key: &DataKey, path: &Path) -> Result<bool> {
        let Some(mac) = &self.mac else {
            return Ok(false);
        };
        let matches = hex::decode(mac)
            .ok()
            .is_some_and(|m| hmac::verify(&mac_key(key), &self.mac_body(), &m).is_ok());
        if matches {
            Ok(true)
        } else {
            Err(VaultError::KeySlotsDamaged {
                path: path.to_owned(),
                reason: "its contents do not match its MAC: it was changed by someone without the vault's key".into(),
            })
        }
    }

    /// The refusal of a file whose MAC was removed.
    pub(crate) fn unsealed(path: &Path) -> VaultError {
        VaultError::KeySlotsDamaged {
            path: path.to_owned(),
            reason: "its MAC is missing: it was replaced by an older or an edited copy".into(),
        }
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
        self.wrap_as(key, kind, user_id, user_tag, secret, SLOT_VERSION)
    }

    /// [`Self::wrap`] as a chosen slot version (tests make version 1 slots).
    pub(crate) fn wrap_as(
        &self,
        key: &DataKey,
        kind: SlotKind,
        user_id: Option<&str>,
        user_tag: Option<String>,
        secret: &[u8],
        version: u32,
    ) -> Result<Slot> {
        let params = self.default_params.check()?;
        let salt: [u8; 16] = random()?;
        let nonce: [u8; 24] = random()?;
        let mut slot = Slot {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            user_id: user_id.map(str::to_owned),
            user_tag,
            kdf: "argon2id".into(),
            params,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            wrapped_key: String::new(),
            version,
            public_key: None,
            sealed_key: None,
            next_sealed_key: None,
        };
        // Version 1 wraps the data key itself; version 2 a key pair's seed, to whose public
        // key the data key is sealed.
        let seed = Zeroizing::new(random::<32>()?);
        let wrapped_secret: &[u8] = if version == 1 {
            key.as_bytes()
        } else {
            use hpke::{Kem as _, Serializable};
            let (_, public) = Kem::derive_keypair(seed.as_ref());
            slot.public_key = Some(hex::encode(public.to_bytes()));
            seed.as_ref()
        };
        let kek = derive(secret, &salt, params)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref()).expect("32-byte key");
        let aad = associated_data(&self.vault_id, &slot);
        let wrapped = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: wrapped_secret,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Storage("key wrapping failed".into()))?;
        slot.wrapped_key = hex::encode(wrapped);
        if let Some(public) = &slot.public_key {
            slot.sealed_key = Some(seal_to(public, key, &aad)?);
        }
        Ok(slot)
    }

    /// Slots of version 1, which a re-key cannot reach (it needs their public key).
    pub fn old_slots(&self) -> Vec<&Slot> {
        self.slots.iter().filter(|s| s.version == 1).collect()
    }

    /// Whether a re-key was begun and not finished.
    pub fn rekey_pending(&self) -> bool {
        self.slots.iter().any(|s| s.next_sealed_key.is_some())
    }

    /// Seals `next` to every slot beside its current key (the first step of a re-key).
    /// Refuses while a version 1 slot remains.
    pub fn stage_next(&mut self, next: &DataKey) -> Result<()> {
        let vault_id = self.vault_id.clone();
        for slot in &mut self.slots {
            let public = slot.public_key.clone().ok_or_else(|| {
                VaultError::Storage("a version 1 key slot cannot be re-keyed".into())
            })?;
            let aad = associated_data(&vault_id, slot);
            slot.next_sealed_key = Some(seal_to(&public, next, &aad)?);
        }
        Ok(())
    }

    /// Makes the staged key every slot's current key (the last step of a re-key).
    pub fn promote_next(&mut self) {
        for slot in &mut self.slots {
            if let Some(next) = slot.next_sealed_key.take() {
                slot.sealed_key = Some(next);
            }
        }
    }

    /// Forgets a staged key (a re-key that never reached the database).
    pub fn drop_next(&mut self) {
        for slot in &mut self.slots {
            slot.next_sealed_key = None;
        }
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
        Ok(self.open_slot(slot, secret)?.map(|o| o.current))
    }

    /// Opens `slot` with `secret`: its data key and, while a re-key is under way, the next
    /// one. `None` if the secret is wrong or the slot was altered.
    pub fn open_slot(&self, slot: &Slot, secret: &[u8]) -> Result<Option<OpenedSlot>> {
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
        if slot.kdf != "argon2id" || !matches!(slot.version, 1 | 2) {
            return Ok(None);
        }
        // A slot whose parameters were lowered below the floor is not trusted.
        if slot.params.check().is_err() {
            return Ok(None);
        }
        let kek = derive(secret, &salt, slot.params)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref()).expect("32-byte key");
        let aad = associated_data(&self.vault_id, slot);
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
        if slot.version == 1 {
            return Ok(Some(OpenedSlot {
                current: DataKey::from_bytes(bytes),
                next: None,
            }));
        }
        use hpke::{Kem as _, Serializable};
        let seed = Zeroizing::new(bytes);
        let (private, public) = Kem::derive_keypair(seed.as_ref());
        if slot.public_key.as_deref() != Some(hex::encode(public.to_bytes()).as_str()) {
            return Ok(None);
        }
        let Some(current) = slot
            .sealed_key
            .as_deref()
            .and_then(|s| open_sealed(&private, s, &aad))
        else {
            return Ok(None);
        };
        let next = slot
            .next_sealed_key
            .as_deref()
            .and_then(|s| open_sealed(&private, s, &aad));
        Ok(Some(OpenedSlot { current, next }))
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
