//! Case packet files: a body signed by the sending vault's device key and sealed to the
//! receiving vault's device key, safe on a USB stick or in an e-mail.
//!
//! The file is a two-line text header, a blank line, then the sealed bytes:
//!
//! ```text
//! HARBOR-PACKET 2
//! recipient <key id of the recipient's receiving key>
//!
//! <32-byte HPKE encapsulated key><ChaCha20-Poly1305 ciphertext>
//! ```
//!
//! The header is the associated data of the seal (HPKE base mode, X25519, HKDF-SHA256,
//! ChaCha20-Poly1305, info `harbor-case-packet-v2`), so it cannot be changed either; it
//! holds nothing but the format version and which key opens the packet. Inside: the length
//! of the signed body (8 bytes, little-endian), the JSON
//! `{"packet": BODY, "sender": KEY, "signature": SIG}` carrying the body signed (Ed25519,
//! over its canonical JSON) with the sender's device key, then the payload: raw bytes
//! (attachments) that the body describes by size and hash, so the signature covers them
//! without the third more that base64 inside the JSON cost.
//!
//! Version 1 packets (`HARBOR-PACKET 1`, info `harbor-case-packet-v1`) are the signed JSON
//! alone, with no payload; they still open.

use crate::ProtocolError;
use crate::device::DeviceIdentity;
use crate::keys::{Kem, PsoKeys, SigningPublicKey, key_id, receive_public_from_hex};
use harbor_core::canonical::to_canonical_bytes;
use hpke::{Deserializable, Serializable};
use serde::{Deserialize, Serialize};
use serde_json::Value;

type Aead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

const MAGIC: &str = "HARBOR-PACKET 2\n";
const INFO: &[u8] = b"harbor-case-packet-v2";
const MAGIC_V1: &str = "HARBOR-PACKET 1\n";
const INFO_V1: &[u8] = b"harbor-case-packet-v1";

/// A packet opened and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedPacket {
    /// The sender's signing key (hex).
    pub sender: String,
    /// The signed body.
    pub body: Value,
    /// The raw bytes after the body (empty in a version 1 packet); the body says what they
    /// are and their hashes, which the reader must check.
    pub payload: Vec<u8>,
}

/// Why a packet file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// Not a Harbor packet file (or a version this Harbor does not read).
    #[error("this is not a Harbor case packet (or one of a newer format)")]
    NotAPacket,
    /// Sealed to another vault.
    #[error("this packet is for another vault: it was sealed to a different device key")]
    NotForThisVault,
    /// Altered, cut short or damaged.
    #[error("this packet does not open: it was altered, cut short or damaged on the way")]
    Damaged,
    /// The signature inside does not verify.
    #[error("the packet's signature does not verify: it was altered or is not from its sender")]
    BadSignature,
}

#[derive(Serialize, Deserialize)]
struct SignedPacket {
    packet: Value,
    sender: String,
    signature: String,
}

fn header(recipient: &DeviceIdentity) -> Result<String, ProtocolError> {
    let key = hex::decode(&recipient.receive_key)
        .map_err(|_| ProtocolError::BadKey { what: "receiving" })?;
    Ok(format!("{MAGIC}recipient {}\n\n", key_id(&key)))
}

/// Signs `body` with the sender's device key and seals it, followed by `payload` (bytes the
/// body describes by hash), to `recipient`.
pub fn seal_packet(
    sender: &PsoKeys,
    recipient: &DeviceIdentity,
    body: &Value,
    payload: &[u8],
) -> Result<Vec<u8>, ProtocolError> {
    let signed = SignedPacket {
        signature: sender.signing.sign(&to_canonical_bytes(body)),
        sender: sender.signing.public().to_hex(),
        packet: body.clone(),
    };
    let json = zeroize::Zeroizing::new(serde_json::to_vec(&signed).expect("serialises"));
    let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(8 + json.len() + payload.len()));
    plain.extend_from_slice(&(json.len() as u64).to_le_bytes());
    plain.extend_from_slice(&json);
    plain.extend_from_slice(payload);
    let head = header(recipient)?;
    let pk = receive_public_from_hex(&recipient.receive_key)?;
    let (enc, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
        &hpke::OpModeS::Base,
        &pk,
        INFO,
        &plain,
        head.as_bytes(),
    )
    .map_err(|_| ProtocolError::SealBroken)?;
    let mut out = head.into_bytes();
    out.extend_from_slice(&enc.to_bytes());
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Opens a packet file with this vault's device keys: the sender's signing key, the
/// verified body and the payload.
pub fn open_packet(me: &PsoKeys, file: &[u8]) -> Result<OpenedPacket, PacketError> {
    let (rest, info, v1) = if let Some(rest) = file.strip_prefix(MAGIC.as_bytes()) {
        (rest, INFO, false)
    } else if let Some(rest) = file.strip_prefix(MAGIC_V1.as_bytes()) {
        (rest, INFO_V1, true)
    } else {
        return Err(PacketError::NotAPacket);
    };
    let line_end = rest
        .iter()
        .position(|b| *b == b'\n')
        .filter(|n| *n < 100)
        .ok_or(PacketError::NotAPacket)?;
    let line = std::str::from_utf8(&rest[..line_end]).map_err(|_| PacketError::NotAPacket)?;
    let recipient = line
        .strip_prefix("recipient ")
        .ok_or(PacketError::NotAPacket)?;
    let sealed = rest[line_end + 1..]
        .strip_prefix(b"\n")
        .ok_or(PacketError::NotAPacket)?;
    let mine = key_id(&hex::decode(me.receive_public_hex()).expect("hex we wrote"));
    if recipient != mine {
        return Err(PacketError::NotForThisVault);
    }
    let head_len = file.len() - sealed.len();
    if sealed.len() < 32 + 16 {
        return Err(PacketError::Damaged);
    }
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&sealed[..32])
        .map_err(|_| PacketError::Damaged)?;
    let plain = zeroize::Zeroizing::new(
        hpke::single_shot_open::<Aead, Kdf, Kem>(
            &hpke::OpModeR::Base,
            me.receive_secret(),
            &enc,
            info,
            &sealed[32..],
            &file[..head_len],
        )
        .map_err(|_| PacketError::Damaged)?,
    );
    let (json, payload) = if v1 {
        (&plain[..], &[][..])
    } else {
        let len = plain
            .get(..8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .ok_or(PacketError::Damaged)?;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_add(8))
            .filter(|end| *end <= plain.len())
            .ok_or(PacketError::Damaged)?;
        (&plain[8..end], &plain[end..])
    };
    let signed: SignedPacket = serde_json::from_slice(json).map_err(|_| PacketError::Damaged)?;
    let key = SigningPublicKey::from_hex(&signed.sender).map_err(|_| PacketError::BadSignature)?;
    key.verify(
        &to_canonical_bytes(&signed.packet),
        &signed.signature,
        "packet",
    )
    .map_err(|_| PacketError::BadSignature)?;
    Ok(OpenedPacket {
        sender: signed.sender,
        body: signed.packet,
        payload: payload.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_packet_opens_only_for_its_recipient_and_only_intact() {
        let (station, laptop, other) = (
            PsoKeys::generate().unwrap(),
            PsoKeys::generate().unwrap(),
            PsoKeys::generate().unwrap(),
        );
        let body = json!({"records": [{"note": "CANARY-PACKET-TEXT"}]});
        let payload = b"CANARY-PAYLOAD-BYTES".repeat(100);
        let file = seal_packet(&station, &DeviceIdentity::of(&laptop), &body, &payload).unwrap();
        assert!(!String::from_utf8_lossy(&file).contains("CANARY"));
        let opened = open_packet(&laptop, &file).unwrap();
        assert_eq!(opened.body, body);
        assert_eq!(opened.payload, payload);
        assert_eq!(opened.sender, station.signing.public().to_hex());
        assert_eq!(
            open_packet(&other, &file),
            Err(PacketError::NotForThisVault)
        );
        for at in [20, file.len() / 2, file.len() - 1] {
            let mut bad = file.clone();
            bad[at] ^= 1;
            assert!(open_packet(&laptop, &bad).is_err(), "flip at {at}");
        }
        assert_eq!(
            open_packet(&laptop, &file[..file.len() - 7]),
            Err(PacketError::Damaged)
        );
        assert_eq!(open_packet(&laptop, b"hello"), Err(PacketError::NotAPacket));
    }

    /// A version 1 packet (the signed JSON alone, sealed under the first info string) still
    /// opens, with an empty payload.
    #[test]
    fn a_version_1_packet_still_opens() {
        let (station, laptop) = (PsoKeys::generate().unwrap(), PsoKeys::generate().unwrap());
        let body = json!({"format": "harbor-packet/1", "records": []});
        let signed = SignedPacket {
            signature: station.signing.sign(&to_canonical_bytes(&body)),
            sender: station.signing.public().to_hex(),
            packet: body.clone(),
        };
        let recipient = DeviceIdentity::of(&laptop);
        let head = header(&recipient).unwrap().replacen(MAGIC, MAGIC_V1, 1);
        let pk = receive_public_from_hex(&recipient.receive_key).unwrap();
        let (enc, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
            &hpke::OpModeS::Base,
            &pk,
            INFO_V1,
            &serde_json::to_vec(&signed).unwrap(),
            head.as_bytes(),
        )
        .unwrap();
        let mut file = head.into_bytes();
        file.extend_from_slice(&enc.to_bytes());
        file.extend_from_slice(&ciphertext);
        let opened = open_packet(&laptop, &file).unwrap();
        assert_eq!((opened.body, opened.payload), (body, vec![]));
    }
}
