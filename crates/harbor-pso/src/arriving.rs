//! Attachment blobs opened and hashed piece by piece as they arrive, from the bytes the
//! request brought, so that a blob is not read back from the disk to be checked.
//!
//! Only for submissions sealed under one context ([`SubmissionKeys`]): each blob's opener
//! then needs no borrowed keys and can wait in memory between requests. A blob is followed
//! from its first piece on; one whose pieces did not all come through here (the server
//! restarted, a piece failed, or it was dropped to make room: at most [`MAX_ARRIVING`] are
//! followed, and an upload abandoned half-way would otherwise keep its place) is read back
//! and checked when its last byte arrives, as before.

use crate::store::Part;
use harbor_protocol::{BlobOpener, SubmissionKeys};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Mutex;

/// Blobs followed at once at most: each holds up to a sealed segment (256 KiB) in memory.
/// A new blob makes room by dropping another.
pub const MAX_ARRIVING: usize = 64;

/// One blob on its way: its opener, its hash so far and the offset of the next piece.
struct State {
    opener: BlobOpener<'static>,
    hasher: sha2::Sha256,
    next: u64,
}

/// The blobs being followed, by submission and blob id.
#[derive(Default)]
pub struct Arriving {
    states: Mutex<HashMap<(String, String), State>>,
}

impl Arriving {
    /// Feeds the piece of blob `part` written at `offset` (with `sealing`, the keys of its
    /// submission, if it has them), opening its whole segments where they lie: `bytes` is
    /// overwritten. Returns the blob's SHA-256 when this piece completed a blob that
    /// opened, every piece of it having come through here; `None` otherwise (the caller
    /// then reads it back to check it). The caller writes one piece of a part at a time.
    pub fn push(
        &self,
        sealing: Option<&SubmissionKeys>,
        part: &Part,
        offset: u64,
        bytes: &mut [u8],
    ) -> Option<String> {
        let plain_len = part.blob_plain_len?;
        let key = (part.submission.clone(), part.id.clone());
        let taken = self.lock().remove(&key);
        let mut state = match taken {
            Some(state) if state.next == offset => state,
            Some(_) => return None,
            None if offset == 0 => State {
                opener: sealing?.blob_opener(&part.id, plain_len).ok()?,
                hasher: sha2::Sha256::new(),
                next: 0,
            },
            None => return None,
        };
        let hasher = &mut state.hasher;
        state.next = offset + bytes.len() as u64;
        state
            .opener
            .push_in_place(bytes, &mut |plain| hasher.update(plain))
            .ok()?;
        if state.next < part.sealed_len {
            let mut states = self.lock();
            if states.len() >= MAX_ARRIVING
                && let Some(dropped) = states.keys().next().cloned()
            {
                states.remove(&dropped);
            }
            states.insert(key, state);
            return None;
        }
        state.opener.finish().ok()?;
        Some(hex::encode(state.hasher.finalize()))
    }

    /// Forgets the blobs of a submission (at its commit).
    pub fn forget(&self, submission: &str) {
        self.lock().retain(|(s, _), _| s != submission);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), State>> {
        self.states.lock().expect("arriving lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbor_protocol::{BlobCipher, PsoKeys, SEGMENT, sealed_len};

    fn sealed(keys: &SubmissionKeys, blob: &str, data: &[u8]) -> Vec<u8> {
        let sealer = keys.blob_sealer(blob, data.len() as u64).unwrap();
        let mut read = |i: u64, buf: &mut Vec<u8>| -> Result<(), ()> {
            let s = (i as usize) * SEGMENT;
            buf.extend_from_slice(&data[s..(s + SEGMENT).min(data.len())]);
            Ok(())
        };
        sealer.sealed_range(0, usize::MAX, &mut read).unwrap()
    }

    fn part(blob: &str, plain_len: u64) -> Part {
        Part {
            submission: "s1".into(),
            id: blob.into(),
            start: 0,
            sealed_len: sealed_len(plain_len),
            received: 0,
            blob_plain_len: Some(plain_len),
            opened: false,
        }
    }

    #[test]
    fn a_blob_arriving_in_pieces_in_order_is_hashed_and_anything_else_is_left_to_the_check() {
        let pso = PsoKeys::generate().unwrap();
        let sender =
            SubmissionKeys::for_sender(&pso.receive_public_hex(), "s1", BlobCipher::Aes256Gcm)
                .unwrap();
        let keys = SubmissionKeys::for_receiver(
            &pso,
            "s1",
            BlobCipher::Aes256Gcm,
            &sender.encapsulated_key(),
        )
        .unwrap();
        let data: Vec<u8> = (0..700_000u32).map(|i| (i % 241) as u8).collect();
        let bytes = sealed(&sender, "b1", &data);
        let p = part("b1", data.len() as u64);
        let arriving = Arriving::default();
        let mut at = 0;
        let mut hash = None;
        for piece in bytes.clone().chunks_mut(300_001) {
            assert!(hash.is_none(), "a hash only after the last piece");
            hash = arriving.push(Some(&keys), &p, at, piece);
            at += piece.len() as u64;
        }
        assert_eq!(hash, Some(harbor_core::canonical::sha256_hex(&data)));
        assert!(arriving.lock().is_empty());

        // A blob first seen in its middle, one with a piece out of order, one with a byte
        // changed, and one of a submission without its keys: not hashed here.
        let first = || bytes[..300_000].to_vec();
        let rest = || bytes[300_000..].to_vec();
        assert_eq!(arriving.push(Some(&keys), &p, 300_000, &mut rest()), None);
        assert_eq!(arriving.push(Some(&keys), &p, 0, &mut first()), None);
        assert_eq!(
            arriving.push(Some(&keys), &p, 300_001, &mut rest()[1..]),
            None
        );
        assert!(arriving.lock().is_empty(), "dropped at the gap");
        let mut bad = bytes.clone();
        bad[400_000] ^= 1;
        assert_eq!(arriving.push(Some(&keys), &p, 0, &mut bad), None);
        assert_eq!(arriving.push(None, &p, 0, &mut bytes.clone()), None);
        // An item is not a blob.
        let item = Part {
            blob_plain_len: None,
            ..p.clone()
        };
        assert_eq!(
            arriving.push(Some(&keys), &item, 0, &mut bytes.clone()),
            None
        );

        // Abandoned blobs are forgotten with their submission, and make room for new ones.
        arriving.push(Some(&keys), &p, 0, &mut first());
        assert_eq!(arriving.lock().len(), 1);
        arriving.forget("s1");
        assert!(arriving.lock().is_empty());
        for n in 0..MAX_ARRIVING + 3 {
            // Less than a segment: kept, not opened yet.
            let other = part(&format!("b{n}"), data.len() as u64);
            arriving.push(Some(&keys), &other, 0, &mut bytes[..1000].to_vec());
        }
        assert_eq!(arriving.lock().len(), MAX_ARRIVING, "never more than that");
    }
}
