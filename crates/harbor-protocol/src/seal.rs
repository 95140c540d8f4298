//! Items sealed to the PSO's receiving key with an HPKE context each (RFC 9180, base mode):
//! how manifests without `encapsulated_key` sealed them, which the PSO still opens. New
//! submissions seal under one context ([`crate::SubmissionKeys`]).

use crate::ProtocolError;
use crate::keys::{Kem, PsoKeys, receive_public_from_hex};
use hpke::{Deserializable, Serializable};
use serde::{Deserialize, Serialize};

type Aead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

const INFO: &[u8] = b"harbor-pswp-item-v1";

/// A sealed item: the encapsulated key and the ciphertext (with its tag).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedItem {
    /// The HPKE encapsulated key, hex.
    pub enc: String,
    /// The ciphertext, raw bytes (sent as a blob, not inside JSON).
    #[serde(skip)]
    pub ciphertext: Vec<u8>,
}

fn aad(submission_id: &str, item_id: &str) -> Vec<u8> {
    format!("{submission_id}\0{item_id}").into_bytes()
}

/// Seals `plaintext` to the PSO whose receiving key is `pso_receive_hex`, bound to the
/// submission and item ids.
pub fn seal(
    pso_receive_hex: &str,
    submission_id: &str,
    item_id: &str,
    plaintext: &[u8],
) -> Result<SealedItem, ProtocolError> {
    let pk = receive_public_from_hex(pso_receive_hex)?;
    let (enc, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
        &hpke::OpModeS::Base,
        &pk,
        INFO,
        plaintext,
        &aad(submission_id, item_id),
    )
    .map_err(|_| ProtocolError::SealBroken)?;
    Ok(SealedItem {
        enc: hex::encode(enc.to_bytes()),
        ciphertext,
    })
}

/// Opens a sealed item with the PSO's keys; refused when the key, the ids or a byte differ.
pub fn open(
    keys: &PsoKeys,
    submission_id: &str,
    item_id: &str,
    sealed: &SealedItem,
) -> Result<Vec<u8>, ProtocolError> {
    let enc_bytes = hex::decode(&sealed.enc).map_err(|_| ProtocolError::SealBroken)?;
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&enc_bytes)
        .map_err(|_| ProtocolError::SealBroken)?;
    hpke::single_shot_open::<Aead, Kdf, Kem>(
        &hpke::OpModeR::Base,
        keys.receive_secret(),
        &enc,
        INFO,
        &sealed.ciphertext,
        &aad(submission_id, item_id),
    )
    .map_err(|_| ProtocolError::SealBroken)
}
