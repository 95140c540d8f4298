//! Attachments sealed to the PSO as a stream of segments, so a gigabyte never sits in
//! memory on either side.
//!
//! A sealed blob is the 32-byte HPKE encapsulated key followed by the plaintext cut into
//! [`SEGMENT`]-byte segments (the last one shorter, at least one segment even when empty),
//! each sealed with the manifest's [`BlobCipher`] (AES-256-GCM for new submissions,
//! ChaCha20-Poly1305 for those of earlier versions) under the blob's key: derived from the
//! submission's context ([`crate::SubmissionKeys`]), or, in manifests of earlier versions,
//! exported from the blob's own context with the cipher's name in the exporter context.
//! The nonce
//! of segment `i` is `[0, 0, 0, last] || i` (big-endian `u64`), where `last` is 1 on the
//! final segment, so segments cannot be reordered, dropped or the stream cut short; the
//! submission and blob ids are the associated data, so a blob cannot move to another
//! submission. The sender keeps the encapsulated key and the stream key (inside the
//! encrypted vault) and can re-seal any segment later with identical bytes, which is what
//! lets an interrupted upload resume where the server stopped.

use crate::keys::{Kem, PsoKeys, receive_public_from_hex};
use crate::{BlobCipher, ProtocolError};
use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, UnboundKey};
use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce};
use hpke::{Deserializable, Serializable};
use zeroize::{Zeroize, ZeroizeOnDrop};

type HpkeAead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

const INFO: &[u8] = b"harbor-pswp-blob-v1";
/// The exporter context of the stream key: the first versions' for ChaCha20-Poly1305, with
/// the cipher's name for the others, so that one key never serves two ciphers.
fn export_context(cipher: BlobCipher) -> &'static [u8] {
    match cipher {
        BlobCipher::ChaCha20Poly1305 => b"harbor-pswp-blob-v1 stream key",
        BlobCipher::Aes256Gcm => b"harbor-pswp-blob-v1 stream key aes-256-gcm",
    }
}

/// Plaintext bytes per sealed segment.
pub const SEGMENT: usize = 256 * 1024;
/// Length of the encapsulated key that opens a sealed blob.
pub const ENC_LEN: usize = 32;
/// Length of each segment's authentication tag.
pub const TAG_LEN: usize = 16;
/// A good upload piece: the encapsulated key and four whole sealed segments (about 1 MiB),
/// so that after the first piece every piece starts on a segment.
pub const UPLOAD_PIECE: usize = ENC_LEN + 4 * (SEGMENT + TAG_LEN);

/// Number of segments a plaintext of `plain_len` bytes is cut into.
pub fn segment_count(plain_len: u64) -> u64 {
    plain_len.div_ceil(SEGMENT as u64).max(1)
}

/// Length of the sealed form of a plaintext of `plain_len` bytes (which the caller has
/// bounded: see [`checked_sealed_len`] for a length that came over the wire).
pub fn sealed_len(plain_len: u64) -> u64 {
    ENC_LEN as u64 + segment_count(plain_len) * TAG_LEN as u64 + plain_len
}

/// [`sealed_len`], or `None` when it does not fit in a `u64` (a declared size near
/// `u64::MAX`).
pub fn checked_sealed_len(plain_len: u64) -> Option<u64> {
    segment_count(plain_len)
        .checked_mul(TAG_LEN as u64)?
        .checked_add(ENC_LEN as u64)?
        .checked_add(plain_len)
}

/// Bytes a sealed item adds to its snapshot: the encapsulated key and the tag.
pub const ITEM_OVERHEAD: u64 = (ENC_LEN + TAG_LEN) as u64;

/// Length of a sealed item (`enc || ciphertext || tag`) of a `size`-byte snapshot, or
/// `None` when it does not fit in a `u64`.
pub fn sealed_item_len(size: u64) -> Option<u64> {
    size.checked_add(ITEM_OVERHEAD)
}

fn aad(submission_id: &str, blob_id: &str) -> Vec<u8> {
    format!("{submission_id}\0{blob_id}").into_bytes()
}

fn nonce(index: u64, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[3] = u8::from(last);
    n[4..].copy_from_slice(&index.to_be_bytes());
    n
}

/// One blob's segment cipher, keyed (also an item's, under a per-submission context).
pub(crate) enum SegmentCipher {
    ChaCha20Poly1305(Box<ChaCha20Poly1305>),
    Aes256Gcm(LessSafeKey),
}

impl SegmentCipher {
    pub(crate) fn new(cipher: BlobCipher, key: &[u8; 32]) -> Result<Self, ProtocolError> {
        Ok(match cipher {
            BlobCipher::ChaCha20Poly1305 => {
                SegmentCipher::ChaCha20Poly1305(Box::new(ChaCha20Poly1305::new(key.into())))
            }
            BlobCipher::Aes256Gcm => SegmentCipher::Aes256Gcm(LessSafeKey::new(
                UnboundKey::new(&AES_256_GCM, key).map_err(|_| ProtocolError::SealBroken)?,
            )),
        })
    }

    /// Seals `buf` (the plaintext) in place and returns the tag.
    pub(crate) fn seal(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], ProtocolError> {
        let mut out = [0u8; TAG_LEN];
        match self {
            SegmentCipher::ChaCha20Poly1305(c) => {
                let tag = c
                    .encrypt_inout_detached(&Nonce::from(nonce), aad, buf.into())
                    .map_err(|_| ProtocolError::SealBroken)?;
                out.copy_from_slice(&tag);
            }
            SegmentCipher::Aes256Gcm(k) => {
                let tag = k
                    .seal_in_place_separate_tag(
                        aws_lc_rs::aead::Nonce::assume_unique_for_key(nonce),
                        Aad::from(aad),
                        buf,
                    )
                    .map_err(|_| ProtocolError::SealBroken)?;
                out.copy_from_slice(tag.as_ref());
            }
        }
        Ok(out)
    }

    /// Opens `buf` (ciphertext and tag) in place; returns the plaintext's length (the
    /// plaintext is that many first bytes of `buf`).
    pub(crate) fn open(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        buf: &mut Vec<u8>,
    ) -> Result<usize, ProtocolError> {
        match self {
            SegmentCipher::ChaCha20Poly1305(c) => {
                c.decrypt_in_place(&Nonce::from(nonce), aad, buf)
                    .map_err(|_| ProtocolError::SealBroken)?;
                Ok(buf.len())
            }
            SegmentCipher::Aes256Gcm(_) => self.open_slice(nonce, aad, buf),
        }
    }

    /// As [`SegmentCipher::open`], on a slice.
    fn open_slice(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<usize, ProtocolError> {
        match self {
            SegmentCipher::Aes256Gcm(k) => k
                .open_in_place(
                    aws_lc_rs::aead::Nonce::assume_unique_for_key(nonce),
                    Aad::from(aad),
                    buf,
                )
                .map(|plain| plain.len())
                .map_err(|_| ProtocolError::SealBroken),
            // The cipher of the first versions only: through a copy.
            SegmentCipher::ChaCha20Poly1305(_) => {
                let mut copy = buf.to_vec();
                let n = self.open(nonce, aad, &mut copy)?;
                buf[..n].copy_from_slice(&copy[..n]);
                Ok(n)
            }
        }
    }
}

/// Plaintext length of segment `index` of a blob of `plain_len` bytes.
fn segment_plain_len(plain_len: u64, index: u64) -> usize {
    let start = index * SEGMENT as u64;
    (plain_len.saturating_sub(start)).min(SEGMENT as u64) as usize
}

/// A blob's stream key derived from its submission's context (see
/// [`crate::SubmissionKeys`]), with what binds it: the cipher, the submission's
/// encapsulated key, the ids and the plaintext's length.
pub(crate) struct DerivedBlobKey<'a> {
    pub(crate) cipher: BlobCipher,
    pub(crate) enc: [u8; ENC_LEN],
    pub(crate) key: zeroize::Zeroizing<[u8; 32]>,
    pub(crate) submission_id: &'a str,
    pub(crate) blob_id: &'a str,
    pub(crate) plain_len: u64,
}

/// The sender's side of one sealed blob.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct BlobSealer {
    enc: [u8; ENC_LEN],
    key: [u8; 32],
    #[zeroize(skip)]
    cipher: BlobCipher,
    #[zeroize(skip)]
    aad: Vec<u8>,
    #[zeroize(skip)]
    plain_len: u64,
}

impl std::fmt::Debug for BlobSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobSealer")
            .field("plain_len", &self.plain_len)
            .finish_non_exhaustive()
    }
}

impl BlobSealer {
    /// Starts sealing a blob of `plain_len` bytes with `cipher` to the PSO whose receiving
    /// key is `pso_receive_hex`, bound to the submission and blob ids.
    pub fn new(
        cipher: BlobCipher,
        pso_receive_hex: &str,
        submission_id: &str,
        blob_id: &str,
        plain_len: u64,
    ) -> Result<Self, ProtocolError> {
        let pk = receive_public_from_hex(pso_receive_hex)?;
        let (enc, ctx) = hpke::setup_sender::<HpkeAead, Kdf, Kem>(&hpke::OpModeS::Base, &pk, INFO)
            .map_err(|_| ProtocolError::SealBroken)?;
        let mut key = [0u8; 32];
        ctx.export(export_context(cipher), &mut key)
            .map_err(|_| ProtocolError::SealBroken)?;
        let enc: [u8; ENC_LEN] = enc
            .to_bytes()
            .as_slice()
            .try_into()
            .map_err(|_| ProtocolError::SealBroken)?;
        Ok(BlobSealer {
            enc,
            key,
            cipher,
            aad: aad(submission_id, blob_id),
            plain_len,
        })
    }

    /// A sealer with a stream key derived elsewhere, whose stream starts with the
    /// submission's encapsulated key.
    pub(crate) fn with_key(blob: &DerivedBlobKey<'_>) -> Self {
        BlobSealer {
            enc: blob.enc,
            key: *blob.key,
            cipher: blob.cipher,
            aad: aad(blob.submission_id, blob.blob_id),
            plain_len: blob.plain_len,
        }
    }

    /// The sealer's secret (encapsulated key, then stream key), to keep inside the vault so
    /// that a resumed upload seals the same bytes.
    pub fn secret(&self) -> zeroize::Zeroizing<[u8; 64]> {
        let mut s = zeroize::Zeroizing::new([0u8; 64]);
        s[..ENC_LEN].copy_from_slice(&self.enc);
        s[ENC_LEN..].copy_from_slice(&self.key);
        s
    }

    /// A sealer restored from [`BlobSealer::secret`], for the cipher it was made with.
    pub fn from_secret(
        cipher: BlobCipher,
        secret: &[u8],
        submission_id: &str,
        blob_id: &str,
        plain_len: u64,
    ) -> Result<Self, ProtocolError> {
        if secret.len() != 64 {
            return Err(ProtocolError::SealBroken);
        }
        let mut enc = [0u8; ENC_LEN];
        let mut key = [0u8; 32];
        enc.copy_from_slice(&secret[..ENC_LEN]);
        key.copy_from_slice(&secret[ENC_LEN..]);
        Ok(BlobSealer {
            enc,
            key,
            cipher,
            aad: aad(submission_id, blob_id),
            plain_len,
        })
    }

    /// Length of the whole sealed blob.
    pub fn sealed_len(&self) -> u64 {
        sealed_len(self.plain_len)
    }

    /// Seals segment `index`; `plain` must be exactly that segment's plaintext.
    pub fn seal_segment(&self, index: u64, plain: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        let mut buf = Vec::with_capacity(plain.len() + TAG_LEN);
        buf.extend_from_slice(plain);
        let tag = self.seal_segment_in_place(index, &mut buf)?;
        buf.extend_from_slice(&tag);
        Ok(buf)
    }

    /// Seals segment `index` in place (`buf` must be exactly that segment's plaintext) and
    /// returns its tag, which follows it in the sealed blob.
    fn seal_segment_in_place(
        &self,
        index: u64,
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], ProtocolError> {
        let count = segment_count(self.plain_len);
        if index >= count || buf.len() != segment_plain_len(self.plain_len, index) {
            return Err(ProtocolError::SealBroken);
        }
        SegmentCipher::new(self.cipher, &self.key)?.seal(
            nonce(index, index + 1 == count),
            &self.aad,
            buf,
        )
    }

    /// The sealed bytes from `offset`, at most `max` of them (at least one byte unless
    /// `offset` is at the end): the encapsulated key and whole segments, read with
    /// `segment(index, buf)` which appends the plaintext of segment `index` to `buf`.
    /// Returns only what lies inside segments that fit, so callers get segment-aligned
    /// pieces after the first.
    pub fn sealed_range<E>(
        &self,
        offset: u64,
        max: usize,
        segment: &mut ReadSegment<'_, E>,
    ) -> Result<Vec<u8>, SealRangeError<E>> {
        let total = self.sealed_len();
        if offset >= total {
            return Ok(Vec::new());
        }
        let mut out = Vec::with_capacity(max.min((total - offset) as usize));
        let mut pos = offset;
        if pos < ENC_LEN as u64 {
            let take = (ENC_LEN - pos as usize).min(max);
            out.extend_from_slice(&self.enc[pos as usize..pos as usize + take]);
            pos += take as u64;
        }
        let sealed_segment = (SEGMENT + TAG_LEN) as u64;
        while pos < total && out.len() < max {
            let index = (pos - ENC_LEN as u64) / sealed_segment;
            let within = ((pos - ENC_LEN as u64) % sealed_segment) as usize;
            let room = max - out.len();
            let rest = SEGMENT + TAG_LEN - within;
            // Whole segments only once something is in hand: the next piece then starts
            // on a segment and nothing is sealed twice.
            if rest > room && !out.is_empty() {
                break;
            }
            if within == 0 && rest <= room {
                // The whole segment fits: read it straight into the piece and seal it there,
                // with no copy of its own.
                let at = out.len();
                segment(index, &mut out).map_err(SealRangeError::Read)?;
                let tag = self
                    .seal_segment_in_place(index, &mut out[at..])
                    .map_err(SealRangeError::Seal)?;
                out.extend_from_slice(&tag);
                pos += (out.len() - at) as u64;
                continue;
            }
            let mut plain = Vec::new();
            segment(index, &mut plain).map_err(SealRangeError::Read)?;
            let sealed = self
                .seal_segment(index, &plain)
                .map_err(SealRangeError::Seal)?;
            let take = (sealed.len() - within).min(room);
            out.extend_from_slice(&sealed[within..within + take]);
            pos += take as u64;
        }
        Ok(out)
    }
}

/// Appends the plaintext of segment `index` to the buffer (see
/// [`BlobSealer::sealed_range`]).
pub type ReadSegment<'a, E> = dyn FnMut(u64, &mut Vec<u8>) -> Result<(), E> + 'a;

/// Why [`BlobSealer::sealed_range`] failed.
#[derive(Debug)]
pub enum SealRangeError<E> {
    /// Reading the plaintext failed.
    Read(E),
    /// The plaintext did not have the declared length.
    Seal(ProtocolError),
}

/// The receiver's side: takes sealed bytes in pieces of any size and hands out the
/// plaintext of each segment once it is complete and authentic.
pub struct BlobOpener<'k> {
    /// The PSO's keys, to open the blob's own HPKE context; `None` when the key was
    /// derived from the submission's (see [`crate::SubmissionKeys`]).
    keys: Option<&'k PsoKeys>,
    /// The encapsulated key the blob must start with, when the key was derived.
    expected_enc: Option<[u8; ENC_LEN]>,
    kind: BlobCipher,
    cipher: Option<SegmentCipher>,
    aad: Vec<u8>,
    plain_len: u64,
    next: u64,
    header: Vec<u8>,
    pending: Vec<u8>,
}

impl std::fmt::Debug for BlobOpener<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobOpener")
            .field("plain_len", &self.plain_len)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl<'k> BlobOpener<'k> {
    /// Opens a blob declared as `plain_len` bytes, sealed with `cipher`; the first
    /// [`ENC_LEN`] bytes pushed are the encapsulated key.
    pub fn new(
        keys: &'k PsoKeys,
        cipher: BlobCipher,
        submission_id: &str,
        blob_id: &str,
        plain_len: u64,
    ) -> Self {
        BlobOpener {
            keys: Some(keys),
            expected_enc: None,
            kind: cipher,
            cipher: None,
            aad: aad(submission_id, blob_id),
            plain_len,
            next: 0,
            header: Vec::with_capacity(ENC_LEN),
            pending: Vec::new(),
        }
    }

    /// Opens a blob with a stream key derived elsewhere; its first [`ENC_LEN`] bytes must
    /// be the submission's encapsulated key.
    pub(crate) fn with_key(
        blob: &DerivedBlobKey<'_>,
    ) -> Result<BlobOpener<'static>, ProtocolError> {
        Ok(BlobOpener {
            keys: None,
            expected_enc: Some(blob.enc),
            kind: blob.cipher,
            cipher: Some(SegmentCipher::new(blob.cipher, &blob.key)?),
            aad: aad(blob.submission_id, blob.blob_id),
            plain_len: blob.plain_len,
            next: 0,
            header: Vec::with_capacity(ENC_LEN),
            pending: Vec::new(),
        })
    }

    /// Feeds sealed bytes; `out` receives each segment's plaintext in order.
    pub fn push(
        &mut self,
        mut sealed: &[u8],
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<(), ProtocolError> {
        sealed = &sealed[self.take_header(sealed)?..];
        while !sealed.is_empty() {
            let take = self.take_pending(sealed)?;
            sealed = &sealed[take..];
            self.open_pending(out)?;
        }
        Ok(())
    }

    /// Feeds sealed bytes that may be overwritten: each whole segment among them is opened
    /// where it lies, without the copy [`BlobOpener::push`] makes; `out` receives each
    /// segment's plaintext in order.
    pub fn push_in_place(
        &mut self,
        sealed: &mut [u8],
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<(), ProtocolError> {
        let header = self.take_header(sealed)?;
        let mut sealed = &mut sealed[header..];
        let count = segment_count(self.plain_len);
        while !sealed.is_empty() {
            let want = segment_plain_len(self.plain_len, self.next) + TAG_LEN;
            if self.pending.is_empty() && sealed.len() >= want && self.next < count {
                let (segment, rest) = std::mem::take(&mut sealed).split_at_mut(want);
                let cipher = self.cipher.as_ref().expect("set with the header");
                let n = cipher.open_slice(
                    nonce(self.next, self.next + 1 == count),
                    &self.aad,
                    segment,
                )?;
                out(&segment[..n]);
                self.next += 1;
                sealed = rest;
                continue;
            }
            let take = self.take_pending(sealed)?;
            sealed = &mut sealed[take..];
            self.open_pending(out)?;
        }
        Ok(())
    }

    /// Takes what the encapsulated key still lacks from `sealed` and, once it is whole,
    /// sets up the cipher; returns how many bytes it took.
    fn take_header(&mut self, sealed: &[u8]) -> Result<usize, ProtocolError> {
        if self.header.len() >= ENC_LEN {
            return Ok(0);
        }
        let take = (ENC_LEN - self.header.len()).min(sealed.len());
        self.header.extend_from_slice(&sealed[..take]);
        if self.header.len() == ENC_LEN {
            match (self.expected_enc, self.keys) {
                (Some(expected), _) => {
                    if self.header[..] != expected {
                        return Err(ProtocolError::SealBroken);
                    }
                }
                (None, Some(keys)) => {
                    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&self.header)
                        .map_err(|_| ProtocolError::SealBroken)?;
                    let ctx = hpke::setup_receiver::<HpkeAead, Kdf, Kem>(
                        &hpke::OpModeR::Base,
                        keys.receive_secret(),
                        &enc,
                        INFO,
                    )
                    .map_err(|_| ProtocolError::SealBroken)?;
                    let mut key = zeroize::Zeroizing::new([0u8; 32]);
                    ctx.export(export_context(self.kind), key.as_mut_slice())
                        .map_err(|_| ProtocolError::SealBroken)?;
                    self.cipher = Some(SegmentCipher::new(self.kind, &key)?);
                }
                (None, None) => return Err(ProtocolError::SealBroken),
            }
        }
        Ok(take)
    }

    /// Copies from `sealed` what the current segment still lacks; returns how much.
    fn take_pending(&mut self, sealed: &[u8]) -> Result<usize, ProtocolError> {
        if self.next >= segment_count(self.plain_len) {
            // Bytes after the final segment.
            return Err(ProtocolError::SealBroken);
        }
        let want = segment_plain_len(self.plain_len, self.next) + TAG_LEN;
        let take = (want - self.pending.len()).min(sealed.len());
        self.pending.extend_from_slice(&sealed[..take]);
        Ok(take)
    }

    /// Opens the current segment once it is whole in `pending`.
    fn open_pending(&mut self, out: &mut dyn FnMut(&[u8])) -> Result<(), ProtocolError> {
        let count = segment_count(self.plain_len);
        let want = segment_plain_len(self.plain_len, self.next) + TAG_LEN;
        if self.pending.len() == want {
            let cipher = self.cipher.as_ref().expect("set with the header");
            let n = cipher.open(
                nonce(self.next, self.next + 1 == count),
                &self.aad,
                &mut self.pending,
            )?;
            out(&self.pending[..n]);
            self.pending.clear();
            self.next += 1;
        }
        Ok(())
    }

    /// Ends the stream: refused unless every segment arrived.
    pub fn finish(self) -> Result<(), ProtocolError> {
        if self.next == segment_count(self.plain_len) && self.pending.is_empty() {
            Ok(())
        } else {
            Err(ProtocolError::SealBroken)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pso() -> PsoKeys {
        PsoKeys::generate().expect("keys")
    }

    fn plain(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    fn seal_all(sealer: &BlobSealer, data: &[u8], piece: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut read = |i: u64, buf: &mut Vec<u8>| -> Result<(), ()> {
            let s = (i as usize) * SEGMENT;
            buf.extend_from_slice(&data[s..(s + SEGMENT).min(data.len())]);
            Ok(())
        };
        loop {
            let got = sealer
                .sealed_range(out.len() as u64, piece, &mut read)
                .expect("seals");
            if got.is_empty() {
                break;
            }
            assert!(got.len() <= piece);
            out.extend_from_slice(&got);
        }
        out
    }

    const CIPHERS: [BlobCipher; 2] = [BlobCipher::Aes256Gcm, BlobCipher::ChaCha20Poly1305];

    fn open_all(
        keys: &PsoKeys,
        cipher: BlobCipher,
        sealed: &[u8],
        len: u64,
        piece: usize,
    ) -> Result<Vec<u8>, ProtocolError> {
        let copied = (|| {
            let mut opener = BlobOpener::new(keys, cipher, "sub", "blob", len);
            let mut out = Vec::new();
            for p in sealed.chunks(piece) {
                opener.push(p, &mut |b| out.extend_from_slice(b))?;
            }
            opener.finish()?;
            Ok(out)
        })();
        // Opening in place (whole segments where they lie) gives the same answer.
        let in_place = (|| {
            let mut opener = BlobOpener::new(keys, cipher, "sub", "blob", len);
            let mut out = Vec::new();
            for p in sealed.to_vec().chunks_mut(piece) {
                opener.push_in_place(p, &mut |b| out.extend_from_slice(b))?;
            }
            opener.finish()?;
            Ok(out)
        })();
        assert_eq!(copied, in_place);
        copied
    }

    #[test]
    fn round_trips_at_every_boundary_and_piece_size() {
        let keys = pso();
        for (cipher, len) in CIPHERS.into_iter().flat_map(|c| {
            [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 17].map(|len| (c, len))
        }) {
            let data = plain(len);
            let sealer = BlobSealer::new(
                cipher,
                &keys.receive_public_hex(),
                "sub",
                "blob",
                len as u64,
            )
            .unwrap();
            for piece in [100_000, 1024 * 1024, UPLOAD_PIECE] {
                let sealed = seal_all(&sealer, &data, piece);
                assert_eq!(sealed.len() as u64, sealed_len(len as u64), "len {len}");
                for open_piece in [1000, 1 << 20] {
                    assert_eq!(
                        open_all(&keys, cipher, &sealed, len as u64, open_piece).unwrap(),
                        data
                    );
                }
            }
        }
    }

    #[test]
    fn a_restored_sealer_seals_the_same_bytes_from_any_offset() {
        for cipher in CIPHERS {
            a_restored_sealer_seals_the_same_bytes(cipher);
        }
    }

    fn a_restored_sealer_seals_the_same_bytes(cipher: BlobCipher) {
        let keys = pso();
        let data = plain(2 * SEGMENT + 5);
        let len = data.len() as u64;
        let sealer =
            BlobSealer::new(cipher, &keys.receive_public_hex(), "sub", "blob", len).unwrap();
        let whole = seal_all(&sealer, &data, 1 << 20);
        let again = BlobSealer::from_secret(cipher, sealer.secret().as_slice(), "sub", "blob", len)
            .unwrap();
        let mut read = |i: u64, buf: &mut Vec<u8>| -> Result<(), ()> {
            let s = (i as usize) * SEGMENT;
            buf.extend_from_slice(&data[s..(s + SEGMENT).min(data.len())]);
            Ok(())
        };
        for offset in [
            0u64,
            5,
            32,
            33,
            (SEGMENT + 40) as u64,
            whole.len() as u64 - 1,
        ] {
            let piece = again.sealed_range(offset, 1 << 20, &mut read).unwrap();
            assert_eq!(
                piece[..],
                whole[offset as usize..offset as usize + piece.len()]
            );
        }
    }

    #[test]
    fn altered_cut_extended_or_moved_blobs_do_not_open() {
        for cipher in CIPHERS {
            altered_cut_extended_or_moved_blobs_do_not_open_with(cipher);
        }
    }

    fn altered_cut_extended_or_moved_blobs_do_not_open_with(cipher: BlobCipher) {
        let keys = pso();
        let data = plain(2 * SEGMENT + 9);
        let len = data.len() as u64;
        let sealer =
            BlobSealer::new(cipher, &keys.receive_public_hex(), "sub", "blob", len).unwrap();
        let sealed = seal_all(&sealer, &data, 1 << 20);
        for at in [0, 40, SEGMENT + 60, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[at] ^= 1;
            assert!(
                open_all(&keys, cipher, &bad, len, 4096).is_err(),
                "flip at {at}"
            );
        }
        // Cut at a segment boundary: the last segment seen was not marked last.
        let cut = &sealed[..ENC_LEN + SEGMENT + TAG_LEN];
        assert!(open_all(&keys, cipher, cut, len, 4096).is_err());
        // Declared shorter: the segment marked last arrives too early or bytes trail.
        assert!(open_all(&keys, cipher, &sealed, len - 9, 4096).is_err());
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(open_all(&keys, cipher, &longer, len, 4096).is_err());
        // Moved to another submission or blob.
        let mut opener = BlobOpener::new(&keys, cipher, "other", "blob", len);
        assert!(opener.push(&sealed, &mut |_| {}).is_err());
        // Another PSO's key.
        let other = pso();
        assert!(open_all(&other, cipher, &sealed, len, 4096).is_err());
        // Opened as the other cipher.
        let wrong = CIPHERS.into_iter().find(|c| *c != cipher).unwrap();
        assert!(open_all(&keys, wrong, &sealed, len, 4096).is_err());
    }
}
