//! Keys: the agency's Ed25519 signing key, the PSO's Ed25519 signing key and X25519
//! (HPKE) receiving key. Secret halves zeroize on drop and print `<redacted>`.

use crate::ProtocolError;
use ed25519_dalek::{Signer, Verifier};
use hpke::{Deserializable, Kem as _, Serializable};
use sha2_compat::sha256_hex;
use zeroize::Zeroizing;

pub(crate) type Kem = hpke::kem::X25519HkdfSha256;

mod sha2_compat {
    pub fn sha256_hex(bytes: &[u8]) -> String {
        harbor_core::canonical::sha256_hex(bytes)
    }
}

/// A short id of a public key: the first 16 hex digits of its SHA-256.
pub fn key_id(public: &[u8]) -> String {
    sha256_hex(public)[..16].to_owned()
}

fn random32() -> Result<Zeroizing<[u8; 32]>, ProtocolError> {
    let mut b = Zeroizing::new([0u8; 32]);
    getrandom::fill(b.as_mut()).map_err(|_| ProtocolError::Randomness)?;
    Ok(b)
}

/// A public Ed25519 key, as hex on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningPublicKey(ed25519_dalek::VerifyingKey);

impl SigningPublicKey {
    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Result<Self, ProtocolError> {
        let bytes: [u8; 32] = hex::decode(s)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(ProtocolError::BadKey { what: "signing" })?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(SigningPublicKey)
            .map_err(|_| ProtocolError::BadKey { what: "signing" })
    }

    /// The key as 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// Its short id.
    pub fn id(&self) -> String {
        key_id(self.0.as_bytes())
    }

    /// Verifies `signature_hex` over `message` (strict verification).
    pub fn verify(
        &self,
        message: &[u8],
        signature_hex: &str,
        what: &'static str,
    ) -> Result<(), ProtocolError> {
        let sig: [u8; 64] = hex::decode(signature_hex)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(ProtocolError::BadSignature { what })?;
        let sig = ed25519_dalek::Signature::from_bytes(&sig);
        self.0
            .verify_strict(message, &sig)
            .or_else(|_| self.0.verify(message, &sig))
            .map_err(|_| ProtocolError::BadSignature { what })
    }
}

/// An Ed25519 signing key (the agency's, or the PSO's receipt key).
pub struct AgencySigningKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for AgencySigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey(<redacted>, public {})", self.public().id())
    }
}

impl AgencySigningKey {
    /// A new random key.
    pub fn generate() -> Result<Self, ProtocolError> {
        let secret = random32()?;
        Ok(Self::from_secret(&secret))
    }

    /// The key from its 32 secret bytes.
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        AgencySigningKey(ed25519_dalek::SigningKey::from_bytes(secret))
    }

    /// The secret bytes (to store inside an encrypted vault only).
    pub fn secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> SigningPublicKey {
        SigningPublicKey(self.0.verifying_key())
    }

    /// Signs `message`; the signature as hex.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.0.sign(message).to_bytes())
    }
}

/// The PSO's keys: Ed25519 for receipts, X25519 (HPKE) for receiving items.
pub struct PsoKeys {
    /// Signs receipts.
    pub signing: AgencySigningKey,
    receive_secret: <Kem as hpke::Kem>::PrivateKey,
    receive_public: <Kem as hpke::Kem>::PublicKey,
}

impl std::fmt::Debug for PsoKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PsoKeys(<redacted>, receive key {})",
            key_id(&self.receive_public.to_bytes())
        )
    }
}

impl PsoKeys {
    /// New random keys.
    pub fn generate() -> Result<Self, ProtocolError> {
        let ikm = random32()?;
        Ok(Self::from_secrets(
            &AgencySigningKey::generate()?.secret(),
            &ikm,
        ))
    }

    /// The keys from their secrets: the Ed25519 secret and the X25519 key material.
    pub fn from_secrets(signing: &[u8; 32], receive_ikm: &[u8; 32]) -> Self {
        let (receive_secret, receive_public) = Kem::derive_keypair(receive_ikm);
        PsoKeys {
            signing: AgencySigningKey::from_secret(signing),
            receive_secret,
            receive_public,
        }
    }

    /// The receiving public key as hex (what agencies pin at enrolment).
    pub fn receive_public_hex(&self) -> String {
        hex::encode(self.receive_public.to_bytes())
    }

    pub(crate) fn receive_secret(&self) -> &<Kem as hpke::Kem>::PrivateKey {
        &self.receive_secret
    }
}

/// 32 random bytes from the operating system, for new key material.
pub fn random_secret() -> Result<Zeroizing<[u8; 32]>, ProtocolError> {
    random32()
}

/// Parses a receiving public key from hex.
pub(crate) fn receive_public_from_hex(
    s: &str,
) -> Result<<Kem as hpke::Kem>::PublicKey, ProtocolError> {
    let bytes = hex::decode(s).map_err(|_| ProtocolError::BadKey { what: "receiving" })?;
    <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes)
        .map_err(|_| ProtocolError::BadKey { what: "receiving" })
}
