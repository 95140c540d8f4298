//! Case packet files: a body signed by the sending vault's device key and sealed to the
//! receiving vault's device key, safe on a USB stick or in an e-mail.
//!
//! The file is a three-line text header, a blank line, then the sealed bytes:
//!
//! ```text
//! HARBOR-PACKET 3
//! recipient <key id of the recipient's receiving key>
//! sender <key id of the sender's signing key>
//!
//! <32-byte HPKE encapsulated key><ChaCha20-Poly1305 ciphertext>
//! ```
//!
//! The header is the associated data of the seal (HPKE base mode, X25519, HKDF-SHA256,
//! ChaCha20-Poly1305, info `harbor-case-packet-v3`), so it cannot be changed either; it
//! holds nothing but the format version, which key opens the packet and which key signed
//! it. [`packet_header`] reads it without opening the packet, so that the receiver refuses
//! a sender it does not know before it decrypts anything; [`open_packet`] refuses a packet
//! whose signature is by another key than the header names. Inside: the length of the
//! signed body (8 bytes, little-endian), the JSON
//! `{"packet": BODY, "sender": KEY, "signature": SIG}` carrying the body signed (Ed25519,
//! over its canonical JSON) with the sender's device key, then the payload: raw bytes
//! (attachments) that the body describes by size and hash, so the signature covers them
//! without the third more that base64 inside the JSON cost.
//!
//! Older packets still open: version 2 (`HARBOR-PACKET 2`, info `harbor-case-packet-v2`)
//! is the same without the `sender` line, so its sender is known only once it is opened;
//! version 1 (`HARBOR-PACKET 1`, info `harbor-case-packet-v1`) is the signed JSON alone,
//! with no payload.

use crate::ProtocolError;
use crate::device::DeviceIdentity;
use crate::keys::{Kem, PsoKeys, SigningPublicKey, key_id, receive_public_from_hex};
use harbor_core::canonical::to_canonical_bytes;
use hpke::{Deserializable, Serializable};
use serde::{Deserialize, Serialize};
use serde_json::Value;

type Aead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

/// The version this Harbor writes.
const VERSION: u8 = 3;

/// Each version's first line and HPKE info string.
fn version_of(file: &[u8]) -> Option<(u8, &'static [u8])> {
    [
        (3, b"HARBOR-PACKET 3\n", &b"harbor-case-packet-v3"[..]),
        (2, b"HARBOR-PACKET 2\n", b"harbor-case-packet-v2"),
        (1, b"HARBOR-PACKET 1\n", b"harbor-case-packet-v1"),
    ]
    .into_iter()
    .find(|(_, magic, _)| file.starts_with(*magic))
    .map(|(v, _, info)| (v, info))
}

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

/// What a packet file's header says, read without opening the packet. Sealed with the
/// packet: a changed header does not open, so what it says is what the sender wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketHeader {
    /// The file's version (1, 2 or 3).
    pub version: u8,
    /// The key id of the receiving key the packet is sealed to.
    pub recipient: String,
    /// The key id of the sender's signing key ([`SigningPublicKey::id`]); `None` in a
    /// version 1 or 2 packet, whose sender is known only once it is opened.
    pub sender: Option<String>,
}

impl PacketHeader {
    /// Whether the packet is sealed to these device keys.
    pub fn is_for(&self, me: &PsoKeys) -> bool {
        self.recipient == key_id(&hex::decode(me.receive_public_hex()).expect("hex we wrote"))
    }
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
    /// The signature inside does not verify, or is by another key than the header names.
    #[error("the packet's signature does not verify: it was altered or is not from its sender")]
    BadSignature,
}

#[derive(Serialize, Deserialize)]
struct SignedPacket {
    packet: Value,
    sender: String,
    signature: String,
}

/// The header of a packet of the current version.
fn header(recipient: &DeviceIdentity, sender: &SigningPublicKey) -> Result<String, ProtocolError> {
    let key = hex::decode(&recipient.receive_key)
        .map_err(|_| ProtocolError::BadKey { what: "receiving" })?;
    Ok(format!(
        "HARBOR-PACKET {VERSION}\nrecipient {}\nsender {}\n\n",
        key_id(&key),
        sender.id()
    ))
}

/// Reads a packet file's header without opening it: its version, the key it is sealed to
/// and (from version 3) the key id of the key that signed it.
pub fn packet_header(file: &[u8]) -> Result<PacketHeader, PacketError> {
    parse_header(file).map(|(h, _)| h)
}

/// The header and its length in bytes (where the sealed bytes start).
fn parse_header(file: &[u8]) -> Result<(PacketHeader, usize), PacketError> {
    let (version, _) = version_of(file).ok_or(PacketError::NotAPacket)?;
    let mut at = "HARBOR-PACKET n\n".len();
    let mut line = |name: &str| -> Result<String, PacketError> {
        let rest = &file[at..];
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .filter(|n| *n < 100)
            .ok_or(PacketError::NotAPacket)?;
        let text = std::str::from_utf8(&rest[..end]).map_err(|_| PacketError::NotAPacket)?;
        let value = text
            .strip_prefix(name)
            .and_then(|t| t.strip_prefix(' '))
            .filter(|v| !v.is_empty())
            .ok_or(PacketError::NotAPacket)?;
        at += end + 1;
        Ok(value.to_owned())
    };
    let recipient = line("recipient")?;
    let sender = if version >= 3 {
        Some(line("sender")?)
    } else {
        None
    };
    if file.get(at) != Some(&b'\n') {
        return Err(PacketError::NotAPacket);
    }
    Ok((
        PacketHeader {
            version,
            recipient,
            sender,
        },
        at + 1,
    ))
}

/// Signs `body` with the sender's device key and seals it, followed by `payload` (bytes the
/// body describes by hash), to `recipient`.
pub fn seal_packet(
    sender: &PsoKeys,
    recipient: &DeviceIdentity,
    body: &Value,
    payload: &[u8],
) -> Result<Vec<u8>, ProtocolError> {
    let head = header(recipient, &sender.signing.public())?;
    seal_with_header(sender, recipient, &head, body, payload)
}

fn seal_with_header(
    sender: &PsoKeys,
    recipient: &DeviceIdentity,
    head: &str,
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
    let (_, info) = version_of(head.as_bytes()).expect("a header we wrote");
    let pk = receive_public_from_hex(&recipient.receive_key)?;
    let (enc, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
        &hpke::OpModeS::Base,
        &pk,
        info,
        &plain,
        head.as_bytes(),
    )
    .map_err(|_| ProtocolError::SealBroken)?;
    let mut out = head.as_bytes().to_vec();
    out.extend_from_slice(&enc.to_bytes());
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Opens a packet file with this vault's device keys: the sender's signing key, the
/// verified body and the payload. A version 3 packet signed by another key than its header
/// names is refused ([`PacketError::BadSignature`]).
pub fn open_packet(me: &PsoKeys, file: &[u8]) -> Result<OpenedPacket, PacketError> {
    let (head, head_len) = parse_header(file)?;
    let (_, info) = version_of(file).ok_or(PacketError::NotAPacket)?;
    if !head.is_for(me) {
        return Err(PacketError::NotForThisVault);
    }
    let sealed = &file[head_len..];
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
    let (json, payload) = if head.version == 1 {
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
    if head.sender.as_ref().is_some_and(|named| *named != key.id()) {
        return Err(PacketError::BadSignature);
    }
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

    /// The header says who signed the packet, readable before it is opened.
    #[test]
    fn the_header_names_the_recipient_and_the_sender_before_the_packet_is_opened() {
        let (station, laptop) = (PsoKeys::generate().unwrap(), PsoKeys::generate().unwrap());
        let file = seal_packet(&station, &DeviceIdentity::of(&laptop), &json!({}), b"").unwrap();
        let head = packet_header(&file).unwrap();
        assert_eq!(head.version, 3);
        assert_eq!(head.sender, Some(station.signing.public().id()));
        assert!(head.is_for(&laptop) && !head.is_for(&station));
        assert_eq!(
            packet_header(b"HARBOR-PACKET 3\nrecipient ab\n\n"),
            Err(PacketError::NotAPacket)
        );
        assert_eq!(
            packet_header(b"HARBOR-PACKET 9\n"),
            Err(PacketError::NotAPacket)
        );
    }

    /// A stranger who writes (and seals) a header naming a contact's key over a packet it
    /// signs itself is refused when the packet is opened.
    #[test]
    fn a_header_naming_another_key_than_the_signature_is_refused() {
        let (contact, stranger, laptop) = (
            PsoKeys::generate().unwrap(),
            PsoKeys::generate().unwrap(),
            PsoKeys::generate().unwrap(),
        );
        let recipient = DeviceIdentity::of(&laptop);
        let forged = header(&recipient, &contact.signing.public()).unwrap();
        let file = seal_with_header(&stranger, &recipient, &forged, &json!({}), b"").unwrap();
        assert_eq!(
            packet_header(&file).unwrap().sender,
            Some(contact.signing.public().id())
        );
        assert_eq!(open_packet(&laptop, &file), Err(PacketError::BadSignature));
    }

    /// A version 2 packet (no sender line, the second info string) still opens.
    #[test]
    fn a_version_2_packet_still_opens() {
        let (station, laptop) = (PsoKeys::generate().unwrap(), PsoKeys::generate().unwrap());
        let recipient = DeviceIdentity::of(&laptop);
        let v3 = header(&recipient, &station.signing.public()).unwrap();
        let head = format!("HARBOR-PACKET 2\n{}\n\n", v3.lines().nth(1).unwrap());
        let body = json!({"format": "harbor-packet/2", "records": []});
        let file = seal_with_header(&station, &recipient, &head, &body, b"bytes").unwrap();
        assert_eq!(packet_header(&file).unwrap().sender, None);
        let opened = open_packet(&laptop, &file).unwrap();
        assert_eq!((opened.body, opened.payload), (body, b"bytes".to_vec()));
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
        let v3 = header(&recipient, &station.signing.public()).unwrap();
        let head = format!("HARBOR-PACKET 1\n{}\n\n", v3.lines().nth(1).unwrap());
        let pk = receive_public_from_hex(&recipient.receive_key).unwrap();
        let (enc, ciphertext) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
            &hpke::OpModeS::Base,
            &pk,
            b"harbor-case-packet-v1",
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
