//! One HPKE context for a whole submission, for manifests that carry an
//! `encapsulated_key`.
//!
//! Earlier manifests sealed every item and every attachment blob with an HPKE context of
//! its own: two X25519 operations for the vault and one for the PSO, per part. For a
//! submission of a thousand records with a thousand attachments that was a tenth of a
//! second before the first byte left, and as much again at the PSO. Here the vault sets up
//! one context (base mode, info `harbor-pswp-submission-v1`) and puts its encapsulated key
//! in the signed manifest; both ends export a 32-byte master secret from it and derive the
//! key of each part with HKDF-SHA256-Expand, the part's kind, the manifest's
//! [`BlobCipher`] and the part's id in the info, so that every part has a key of its own.
//!
//! The sealed forms keep their layout and lengths: every part still starts with the
//! (shared) encapsulated key, an item is `enc || ciphertext || tag` sealed with the
//! manifest's cipher under its key (nonce zero: the key seals nothing else), and a blob is
//! the stream of [`crate::BlobSealer`] under its key. A part that starts with another
//! encapsulated key does not open.

use crate::blob::{BlobOpener, BlobSealer, DerivedBlobKey, ENC_LEN, SegmentCipher, TAG_LEN};
use crate::keys::{Kem, PsoKeys, receive_public_from_hex};
use crate::{BlobCipher, ProtocolError};
use aws_lc_rs::hkdf;
use hpke::{Deserializable, Serializable};
use zeroize::Zeroizing;

type HpkeAead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

const INFO: &[u8] = b"harbor-pswp-submission-v1";
const MASTER: &[u8] = b"harbor-pswp-submission-v1 master";

/// The keys of one submission's parts, on either end.
pub struct SubmissionKeys {
    enc: [u8; ENC_LEN],
    master: Zeroizing<[u8; 32]>,
    cipher: BlobCipher,
    submission_id: String,
}

impl std::fmt::Debug for SubmissionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubmissionKeys")
            .field("submission_id", &self.submission_id)
            .field("cipher", &self.cipher)
            .finish_non_exhaustive()
    }
}

impl SubmissionKeys {
    /// The sender's side: a new context to the PSO whose receiving key is
    /// `pso_receive_hex`, for submission `submission_id` sealed with `cipher`.
    pub fn for_sender(
        pso_receive_hex: &str,
        submission_id: &str,
        cipher: BlobCipher,
    ) -> Result<Self, ProtocolError> {
        let pk = receive_public_from_hex(pso_receive_hex)?;
        let (enc, ctx) = hpke::setup_sender::<HpkeAead, Kdf, Kem>(&hpke::OpModeS::Base, &pk, INFO)
            .map_err(|_| ProtocolError::SealBroken)?;
        let mut master = Zeroizing::new([0u8; 32]);
        ctx.export(MASTER, master.as_mut_slice())
            .map_err(|_| ProtocolError::SealBroken)?;
        Ok(SubmissionKeys {
            enc: enc
                .to_bytes()
                .as_slice()
                .try_into()
                .map_err(|_| ProtocolError::SealBroken)?,
            master,
            cipher,
            submission_id: submission_id.to_owned(),
        })
    }

    /// The PSO's side: the context of a manifest whose `encapsulated_key` is `enc_hex`.
    pub fn for_receiver(
        keys: &PsoKeys,
        submission_id: &str,
        cipher: BlobCipher,
        enc_hex: &str,
    ) -> Result<Self, ProtocolError> {
        let bad = ProtocolError::BadKey {
            what: "encapsulated",
        };
        let enc: [u8; ENC_LEN] = hex::decode(enc_hex)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(bad.clone())?;
        let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(&enc).map_err(|_| bad)?;
        let ctx = hpke::setup_receiver::<HpkeAead, Kdf, Kem>(
            &hpke::OpModeR::Base,
            keys.receive_secret(),
            &encapped,
            INFO,
        )
        .map_err(|_| ProtocolError::SealBroken)?;
        let mut master = Zeroizing::new([0u8; 32]);
        ctx.export(MASTER, master.as_mut_slice())
            .map_err(|_| ProtocolError::SealBroken)?;
        Ok(SubmissionKeys {
            enc,
            master,
            cipher,
            submission_id: submission_id.to_owned(),
        })
    }

    /// The cipher of the submission's parts.
    pub fn cipher(&self) -> BlobCipher {
        self.cipher
    }

    /// The encapsulated key, hex, for the manifest.
    pub fn encapsulated_key(&self) -> String {
        hex::encode(self.enc)
    }

    /// The key of one part: HKDF-SHA256-Expand of the master secret with
    /// `harbor-pswp-submission-v1 KIND CIPHER NUL PART_ID` as the info.
    fn part_key(&self, kind: &str, part_id: &str) -> Result<Zeroizing<[u8; 32]>, ProtocolError> {
        let prk = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, self.master.as_slice());
        let info = [
            INFO,
            b" ",
            kind.as_bytes(),
            b" ",
            self.cipher.as_str().as_bytes(),
            b"\0",
            part_id.as_bytes(),
        ];
        let mut key = Zeroizing::new([0u8; 32]);
        prk.expand(&info, hkdf::HKDF_SHA256)
            .and_then(|okm| okm.fill(key.as_mut_slice()))
            .map_err(|_| ProtocolError::SealBroken)?;
        Ok(key)
    }

    fn item_aad(&self, item_id: &str) -> Vec<u8> {
        format!("{}\0{item_id}", self.submission_id).into_bytes()
    }

    /// Seals an item's snapshot: `enc || ciphertext || tag`, `plaintext.len() + 48` bytes.
    pub fn seal_item(&self, item_id: &str, plaintext: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        let key = self.part_key("item", item_id)?;
        let mut out = Vec::with_capacity(ENC_LEN + plaintext.len() + TAG_LEN);
        out.extend_from_slice(&self.enc);
        out.extend_from_slice(plaintext);
        let tag = SegmentCipher::new(self.cipher, &key)?.seal(
            [0; 12],
            &self.item_aad(item_id),
            &mut out[ENC_LEN..],
        )?;
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// Opens a sealed item of this submission; refused when it starts with another
    /// encapsulated key, belongs to another item, or a byte differs.
    pub fn open_item(&self, item_id: &str, sealed: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        if sealed.len() < ENC_LEN + TAG_LEN || sealed[..ENC_LEN] != self.enc {
            return Err(ProtocolError::SealBroken);
        }
        let key = self.part_key("item", item_id)?;
        let mut buf = sealed[ENC_LEN..].to_vec();
        let n = SegmentCipher::new(self.cipher, &key)?.open(
            [0; 12],
            &self.item_aad(item_id),
            &mut buf,
        )?;
        buf.truncate(n);
        Ok(buf)
    }

    /// The sealer of one attachment blob of `plain_len` bytes.
    pub fn blob_sealer(&self, blob_id: &str, plain_len: u64) -> Result<BlobSealer, ProtocolError> {
        Ok(BlobSealer::with_key(&self.blob_key(blob_id, plain_len)?))
    }

    /// The opener of one attachment blob of `plain_len` bytes.
    pub fn blob_opener(
        &self,
        blob_id: &str,
        plain_len: u64,
    ) -> Result<BlobOpener<'static>, ProtocolError> {
        BlobOpener::with_key(&self.blob_key(blob_id, plain_len)?)
    }

    fn blob_key<'a>(
        &'a self,
        blob_id: &'a str,
        plain_len: u64,
    ) -> Result<DerivedBlobKey<'a>, ProtocolError> {
        Ok(DerivedBlobKey {
            cipher: self.cipher,
            enc: self.enc,
            key: self.part_key("blob", blob_id)?,
            submission_id: &self.submission_id,
            blob_id,
            plain_len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CIPHERS: [BlobCipher; 2] = [BlobCipher::Aes256Gcm, BlobCipher::ChaCha20Poly1305];

    fn both(cipher: BlobCipher) -> (PsoKeys, SubmissionKeys, SubmissionKeys) {
        let pso = PsoKeys::generate().unwrap();
        let sender = SubmissionKeys::for_sender(&pso.receive_public_hex(), "s1", cipher).unwrap();
        let receiver =
            SubmissionKeys::for_receiver(&pso, "s1", cipher, &sender.encapsulated_key()).unwrap();
        (pso, sender, receiver)
    }

    fn open_blob(opener: BlobOpener<'_>, sealed: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        let mut opener = opener;
        let mut plain = Vec::new();
        // In uneven pieces, as uploads arrive.
        for piece in sealed.chunks(100_003) {
            opener.push(piece, &mut |p| plain.extend_from_slice(p))?;
        }
        opener.finish()?;
        Ok(plain)
    }

    fn seal_blob(sealer: &BlobSealer, data: &[u8]) -> Vec<u8> {
        let mut read = |i: u64, buf: &mut Vec<u8>| -> Result<(), ()> {
            let s = (i as usize) * crate::SEGMENT;
            buf.extend_from_slice(&data[s..(s + crate::SEGMENT).min(data.len())]);
            Ok(())
        };
        let mut out = Vec::new();
        loop {
            let got = sealer
                .sealed_range(out.len() as u64, 1 << 20, &mut read)
                .unwrap();
            if got.is_empty() {
                return out;
            }
            out.extend_from_slice(&got);
        }
    }

    #[test]
    fn items_and_blobs_open_at_the_pso_with_the_same_layout_as_before() {
        for cipher in CIPHERS {
            let (_, sender, receiver) = both(cipher);
            let sealed = sender.seal_item("i1", b"{\"a\":1}").unwrap();
            assert_eq!(sealed.len(), 7 + 48, "enc, ciphertext and tag");
            assert_eq!(hex::encode(&sealed[..ENC_LEN]), sender.encapsulated_key());
            assert_eq!(receiver.open_item("i1", &sealed).unwrap(), b"{\"a\":1}");

            let data: Vec<u8> = (0..600_000u32).map(|i| (i % 253) as u8).collect();
            let sealer = sender.blob_sealer("b1", data.len() as u64).unwrap();
            let sealed = seal_blob(&sealer, &data);
            assert_eq!(sealed.len() as u64, crate::sealed_len(data.len() as u64));
            let opened = open_blob(
                receiver.blob_opener("b1", data.len() as u64).unwrap(),
                &sealed,
            );
            assert_eq!(opened.unwrap(), data);
            // The sealer kept in the vault as its secret seals the same bytes again.
            let again = BlobSealer::from_secret(
                cipher,
                sealer.secret().as_slice(),
                "s1",
                "b1",
                data.len() as u64,
            )
            .unwrap();
            assert_eq!(seal_blob(&again, &data), sealed);
        }
    }

    #[test]
    fn a_part_opens_only_as_itself_in_its_submission_with_the_psos_key() {
        let (pso, sender, receiver) = both(BlobCipher::Aes256Gcm);
        let item = sender.seal_item("i1", b"snapshot").unwrap();
        // Another item id, another submission, another PSO key, another cipher.
        assert!(receiver.open_item("i2", &item).is_err());
        let enc = sender.encapsulated_key();
        let other_submission =
            SubmissionKeys::for_receiver(&pso, "s2", BlobCipher::Aes256Gcm, &enc).unwrap();
        assert!(other_submission.open_item("i1", &item).is_err());
        let impostor = PsoKeys::generate().unwrap();
        let wrong_key =
            SubmissionKeys::for_receiver(&impostor, "s1", BlobCipher::Aes256Gcm, &enc).unwrap();
        assert!(wrong_key.open_item("i1", &item).is_err());
        let other_cipher =
            SubmissionKeys::for_receiver(&pso, "s1", BlobCipher::ChaCha20Poly1305, &enc).unwrap();
        assert!(other_cipher.open_item("i1", &item).is_err());
        // A flipped byte anywhere, or a cut.
        for at in [0, ENC_LEN, item.len() - 1] {
            let mut bad = item.clone();
            bad[at] ^= 1;
            assert!(receiver.open_item("i1", &bad).is_err(), "byte {at}");
        }
        assert!(receiver.open_item("i1", &item[..item.len() - 1]).is_err());

        // A blob under another id, or behind another encapsulated key.
        let data = vec![7u8; 1000];
        let sealed = seal_blob(&sender.blob_sealer("b1", 1000).unwrap(), &data);
        assert!(open_blob(receiver.blob_opener("b2", 1000).unwrap(), &sealed).is_err());
        let mut swapped = sealed.clone();
        swapped[..ENC_LEN].copy_from_slice(&[9; ENC_LEN]);
        assert!(open_blob(receiver.blob_opener("b1", 1000).unwrap(), &swapped).is_err());
        assert!(open_blob(receiver.blob_opener("b1", 1000).unwrap(), &sealed).is_ok());
    }

    #[test]
    fn every_part_has_a_key_of_its_own() {
        let (_, sender, _) = both(BlobCipher::Aes256Gcm);
        let keys = [
            sender.part_key("item", "p1").unwrap(),
            sender.part_key("item", "p2").unwrap(),
            sender.part_key("blob", "p1").unwrap(),
        ];
        assert_ne!(*keys[0], *keys[1]);
        assert_ne!(*keys[0], *keys[2]);
        // Two submissions to the same PSO share nothing either.
        let (_, other, _) = both(BlobCipher::Aes256Gcm);
        assert_ne!(other.encapsulated_key(), sender.encapsulated_key());
        assert_ne!(*other.part_key("item", "p1").unwrap(), *keys[0]);
    }

    #[test]
    fn a_malformed_encapsulated_key_is_refused_by_name() {
        let pso = PsoKeys::generate().unwrap();
        for enc in ["", "zz", &"00".repeat(31)] {
            let e =
                SubmissionKeys::for_receiver(&pso, "s1", BlobCipher::Aes256Gcm, enc).unwrap_err();
            assert!(e.to_string().contains("encapsulated"), "{e}");
        }
    }
}
