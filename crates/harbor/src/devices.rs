//! The vault's device identity and its contacts: who case packets go to and come from.

use crate::{HarborError, Result, Session};
use harbor_core::Action;
use harbor_protocol::{DeviceIdentity, PsoKeys};
use harbor_vault::VaultError;
use harbor_vault::contacts::Contact;
use serde::{Deserialize, Serialize};

/// This vault's public identity, to give to the people it exchanges packets with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DeviceInfo {
    /// One line to paste into `harbor contact add` on the other vault.
    pub identity: String,
    /// What the two people read to each other to compare.
    pub fingerprint: String,
}

#[derive(Serialize, Deserialize)]
struct StoredDeviceKeys {
    signing: String,
    receive_ikm: String,
}

fn secret32(hex_text: &str) -> Result<[u8; 32]> {
    hex::decode(hex_text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| VaultError::Corrupt("the device keys are not readable".into()).into())
}

impl Session {
    /// The vault's device key pairs (Ed25519 for signing packets, X25519 for receiving
    /// them), created on first use and kept inside the encrypted vault.
    pub(crate) fn device_keys(&mut self) -> Result<PsoKeys> {
        if let Some(text) = self.vault.stored_document("device_keys")? {
            let stored: StoredDeviceKeys = serde_json::from_str(&text)
                .map_err(|_| VaultError::Corrupt("the device keys are not readable".into()))?;
            return Ok(PsoKeys::from_secrets(
                &secret32(&stored.signing)?,
                &secret32(&stored.receive_ikm)?,
            ));
        }
        let random =
            |_| harbor_protocol::random_secret().map_err(|e| VaultError::BadSetting(e.to_string()));
        let (signing, ikm) = (random(0)?, random(1)?);
        let stored = StoredDeviceKeys {
            signing: hex::encode(*signing),
            receive_ikm: hex::encode(*ikm),
        };
        let text = serde_json::to_string(&stored).expect("serialises");
        self.vault
            .store_document("device_keys", &text, "device.created")?;
        Ok(PsoKeys::from_secrets(&signing, &ikm))
    }

    /// This vault's device identity and fingerprint.
    pub fn device_identity(&mut self) -> Result<DeviceInfo> {
        self.require(Action::RecordList)?;
        let id = DeviceIdentity::of(&self.device_keys()?);
        Ok(DeviceInfo {
            identity: id.encode(),
            fingerprint: id.fingerprint(),
        })
    }

    /// Adds a contact from the identity line its owner gave (`harbor device show` there).
    /// Spaces around the name and the line (a copy and paste) do not count.
    pub fn contact_add(&mut self, name: &str, identity: &str) -> Result<Contact> {
        self.require(Action::ContactManage)?;
        let (name, identity) = (name.trim(), identity.trim());
        let id = DeviceIdentity::parse(identity).map_err(|_| {
            HarborError::from(VaultError::BadSetting(
                "that is not a device identity (it starts with 'harbor1.'; copy the whole line `harbor device show` prints on the other vault)".into(),
            ))
        })?;
        if id == DeviceIdentity::of(&self.device_keys()?) {
            return Err(VaultError::BadSetting(
                "that is this vault's own identity: add the other vault's".into(),
            )
            .into());
        }
        Ok(self
            .vault
            .add_contact(name, &id.signing_key, &id.receive_key, &id.fingerprint())?)
    }

    /// Every contact.
    pub fn contacts(&mut self) -> Result<Vec<Contact>> {
        self.require(Action::RecordList)?;
        Ok(self.vault.contacts()?)
    }

    /// Removes a contact: packets from it are refused from now on.
    pub fn contact_remove(&mut self, name: &str) -> Result<Contact> {
        self.require(Action::ContactManage)?;
        Ok(self.vault.remove_contact(name)?)
    }
}
