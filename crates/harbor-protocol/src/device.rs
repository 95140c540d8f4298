//! A vault's device identity for case packets: its Ed25519 signing key and X25519
//! receiving key, written as one string a person can paste and a fingerprint a person can
//! read aloud to compare.

use crate::ProtocolError;
use crate::keys::{PsoKeys, SigningPublicKey, receive_public_from_hex};
use sha2::{Digest, Sha256};

const PREFIX: &str = "harbor1.";
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The public half of a device identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceIdentity {
    /// The Ed25519 key packets are signed with (hex).
    pub signing_key: String,
    /// The X25519 key packets are encrypted to (hex).
    pub receive_key: String,
}

impl DeviceIdentity {
    /// The identity of a vault's key pairs.
    pub fn of(keys: &PsoKeys) -> Self {
        DeviceIdentity {
            signing_key: keys.signing.public().to_hex(),
            receive_key: keys.receive_public_hex(),
        }
    }

    fn key_bytes(&self) -> Vec<u8> {
        let mut b = hex::decode(&self.signing_key).unwrap_or_default();
        b.extend(hex::decode(&self.receive_key).unwrap_or_default());
        b
    }

    /// `harbor1.` and the two keys with a 2-byte checksum, in URL-safe base64: one line
    /// to paste into `harbor contact add`. A typo breaks the checksum.
    pub fn encode(&self) -> String {
        let mut bytes = self.key_bytes();
        let check = Sha256::digest(&bytes);
        bytes.extend_from_slice(&check[..2]);
        let mut out = String::from(PREFIX);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    /// Parses what [`DeviceIdentity::encode`] wrote; refuses anything else, a typo, or a
    /// key that is not a key.
    pub fn parse(s: &str) -> Result<Self, ProtocolError> {
        let bad = ProtocolError::BadKey {
            what: "device identity",
        };
        let body = s.trim().strip_prefix(PREFIX).ok_or(bad.clone())?;
        let mut bits = 0u32;
        let mut nbits = 0;
        let mut bytes = Vec::new();
        for c in body.bytes() {
            let v = ALPHABET.iter().position(|a| *a == c).ok_or(bad.clone())? as u32;
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                bytes.push((bits >> nbits) as u8);
                bits &= (1 << nbits) - 1;
            }
        }
        if bytes.len() != 66 || Sha256::digest(&bytes[..64])[..2] != bytes[64..] {
            return Err(bad);
        }
        let id = DeviceIdentity {
            signing_key: hex::encode(&bytes[..32]),
            receive_key: hex::encode(&bytes[32..64]),
        };
        SigningPublicKey::from_hex(&id.signing_key).map_err(|_| bad.clone())?;
        receive_public_from_hex(&id.receive_key).map_err(|_| bad)?;
        Ok(id)
    }

    /// Twenty hex digits in groups of four, from the SHA-256 of both keys: what two people
    /// read to each other to be sure the identity they pasted is the right one.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.key_bytes());
        digest[..10]
            .chunks(2)
            .map(hex::encode)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_round_trips_and_a_typo_or_garbage_is_refused() {
        let keys = PsoKeys::generate().unwrap();
        let id = DeviceIdentity::of(&keys);
        let text = id.encode();
        assert!(text.starts_with("harbor1.") && text.len() < 100, "{text}");
        assert_eq!(DeviceIdentity::parse(&text).unwrap(), id);
        assert_eq!(DeviceIdentity::parse(&format!("  {text}\n")).unwrap(), id);
        let mut typo = text.clone().into_bytes();
        let at = typo.len() - 10;
        typo[at] = if typo[at] == b'A' { b'B' } else { b'A' };
        assert!(DeviceIdentity::parse(&String::from_utf8(typo).unwrap()).is_err());
        for junk in [
            "",
            "harbor1.",
            "harbor1.!!!",
            &text[..text.len() - 4],
            "hello",
        ] {
            assert!(DeviceIdentity::parse(junk).is_err(), "{junk}");
        }
        let fp = id.fingerprint();
        assert_eq!(fp.len(), 24, "{fp}");
        assert_ne!(
            fp,
            DeviceIdentity::of(&PsoKeys::generate().unwrap()).fingerprint()
        );
    }
}
