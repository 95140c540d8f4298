//! The uploaded parts of submissions (sealed items and attachment blobs), outside the
//! SQLite store: one file per submission, `DIR/parts/HEX(submission).sealed`, in which
//! every part the manifest declares has its own region (`parts.start` in the store, the
//! sealed length long).
//!
//! One file per submission, not per part: creating a file costs more than writing a
//! megabyte into one (the file system allocates an inode and writes its metadata), and a
//! submission of a thousand records with a thousand attachments made two thousand of them.
//! In the database every chunk went to the WAL and again to the main file at a checkpoint,
//! and was read back from there to be checked.
//!
//! A chunk is written at its place in the part's region before the store counts it
//! received, so a crash between the two only makes the client send it again. Parts are
//! checked in full (authenticated decryption and the manifest's hash) before any receipt,
//! and the file is flushed to disk before the receipt goes out.
//!
//! Attachment blobs bypass the page cache where the file system allows it (`O_DIRECT`):
//! each part's region starts on a [`BLOCK`] boundary, a piece is received into an
//! [`AlignedBuf`] placed for its offset, its whole blocks go to the disk directly and only
//! its unaligned ends through the cache, and a blob that was not checked as it arrived
//! ([`crate::arriving`]) is read back for its check the same way (the kernel first writes
//! out what the cache holds of the range). Copying every byte
//! into the cache and writing it back from there cost the server more CPU than the
//! direct writes and reads (docs/benchmarks.md), and a gigabyte of uploads no longer
//! pushes everything else out of memory. Where direct I/O is refused (`EINVAL`: some file
//! systems), the same bytes go through the cache.
//!
//! Stores from before kept a file per part under `DIR/parts/HEX(submission)/`; the store
//! moves them into this layout when it opens ([`PartFiles::legacy_submissions`]).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes read at a time when a part is read back.
const READ_BUF: usize = 1024 * 1024;
/// The alignment direct I/O needs, of file offsets, lengths and memory: 4 KiB serves
/// disks of 512-byte and of 4 KiB sectors alike.
pub const BLOCK: usize = 4096;
/// Writes and reads smaller than this (items, the ends of pieces) use the page cache.
const DIRECT_MIN: usize = 64 * 1024;

/// A growable buffer for bytes meant for file offset `pos`, whose first byte sits as far
/// past a [`BLOCK`] boundary in memory as `pos` does on disk, so that they can go to the
/// disk directly (see [`PartFiles::write_at`]) while it grows within its capacity.
pub struct AlignedBuf {
    raw: Vec<u8>,
    first: usize,
}

impl AlignedBuf {
    /// An empty buffer for bytes meant for file offset `pos`, with room for `capacity`.
    pub fn for_offset(pos: u64, capacity: usize) -> Self {
        let mut raw: Vec<u8> = Vec::with_capacity(capacity + 2 * BLOCK);
        let first = raw.as_ptr().align_offset(BLOCK) + (pos % BLOCK as u64) as usize;
        raw.resize(first, 0);
        AlignedBuf { raw, first }
    }

    /// Appends bytes (past the capacity it moves, and its bytes then use the page cache).
    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.raw.extend_from_slice(bytes);
    }

    /// The bytes so far.
    pub fn as_slice(&self) -> &[u8] {
        &self.raw[self.first..]
    }

    /// The bytes so far, to change in place.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.raw[self.first..]
    }

    /// Its first `len` bytes to fill, zeroed the first time the buffer reaches that length.
    fn filled_to(&mut self, len: usize) -> &mut [u8] {
        if self.raw.len() < self.first + len {
            self.raw.resize(self.first + len, 0);
        }
        &mut self.raw[self.first..self.first + len]
    }
}

/// For `data` meant for file offset `pos`: the length of its unaligned head and of the
/// whole blocks after it, when it is large enough and placed in memory as on disk.
fn direct_span(pos: u64, data: &[u8]) -> Option<(usize, usize)> {
    let block = BLOCK as u64;
    if data.len() < DIRECT_MIN || (data.as_ptr() as u64) % block != pos % block {
        return None;
    }
    let head = ((block - pos % block) % block) as usize;
    let middle = (data.len() - head) / BLOCK * BLOCK;
    (middle > 0).then_some((head, middle))
}

/// The folder of uploaded parts.
#[derive(Debug, Clone)]
pub struct PartFiles {
    root: PathBuf,
}

impl PartFiles {
    /// The parts folder of the PSO data folder `data`.
    pub fn new(data: &Path) -> Self {
        PartFiles {
            root: data.join("parts"),
        }
    }

    /// The file of one submission. Names are hex-encoded ids, so that no id a manifest
    /// declares can name a path outside the folder.
    pub fn path(&self, submission: &str) -> PathBuf {
        self.root
            .join(format!("{}.sealed", hex::encode(submission)))
    }

    fn open_existing(&self, submission: &str) -> std::io::Result<Option<File>> {
        match File::open(self.path(submission)) {
            Ok(f) => Ok(Some(f)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes `data` at byte `pos` of a submission's file (made on first use).
    ///
    /// A large write whose bytes sit in memory at the same offset from a block boundary as
    /// `pos` does on disk (see [`AlignedBuf`]) goes to the disk directly (`O_DIRECT`),
    /// its unaligned first and last few bytes through the page cache: copying a gigabyte
    /// into the page cache and writing it back from there cost the server more CPU than
    /// opening, checking and hashing it. Other writes, and file systems without direct
    /// I/O, go through the page cache.
    pub fn write_at(&self, submission: &str, pos: u64, data: &[u8]) -> std::io::Result<()> {
        let path = self.path(submission);
        let file = match OpenOptions::new().write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::private::create_dir(&self.root)?;
                crate::private::file_options()
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)?
            }
            Err(e) => return Err(e),
        };
        if let Some((head, middle)) = direct_span(pos, data)
            && let Some(direct) = direct::open(&path, true)
        {
            let end = head + middle;
            file.write_all_at(&data[..head], pos)?;
            direct::write_or(&direct, &file, &data[head..end], pos + head as u64)?;
            return file.write_all_at(&data[end..], pos + end as u64);
        }
        file.write_all_at(data, pos)
    }

    /// Hands the `len` bytes from `start` to `each` a megabyte at a time, never whole in
    /// memory; stops early when `each` returns `false` or the file ends. A large range is
    /// read from the disk directly, as it was written (see [`PartFiles::write_at`]); the
    /// kernel first writes out what the page cache holds of it.
    pub fn read_range(
        &self,
        submission: &str,
        start: u64,
        len: u64,
        each: &mut dyn FnMut(&[u8]) -> bool,
    ) -> std::io::Result<()> {
        let Some(file) = self.open_existing(submission)? else {
            return Ok(());
        };
        if len >= DIRECT_MIN as u64
            && let Some(direct) = direct::open(&self.path(submission), false)
        {
            match direct::read_range(&direct, start, len, each) {
                Err(e) if direct::unsupported(&e) => {}
                done => return done,
            }
        }
        let mut buf = vec![0u8; READ_BUF.min(len as usize)];
        let mut done = 0u64;
        while done < len {
            let want = (len - done).min(buf.len() as u64) as usize;
            let n = file.read_at(&mut buf[..want], start + done)?;
            if n == 0 || !each(&buf[..n]) {
                return Ok(());
            }
            done += n as u64;
        }
        Ok(())
    }

    /// The `len` bytes from `start` (for items, which are small: the manifest bounds them).
    pub fn read_all(&self, submission: &str, start: u64, len: u64) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(len as usize);
        self.read_range(submission, start, len, &mut |b| {
            out.extend_from_slice(b);
            true
        })?;
        Ok(out)
    }

    /// Flushes a submission's file to disk (its data only), so that the flush before the
    /// receipt finds little left to write, and lets the kernel drop the `len` bytes from
    /// `start` from memory: what went through the cache (the ends of pieces, or all of it
    /// where direct I/O is refused) is not read again before an analyst asks.
    pub fn flush_and_release(&self, submission: &str, start: u64, len: u64) -> std::io::Result<()> {
        if let Some(file) = self.open_existing(submission)? {
            file.sync_data()?;
            let len = std::num::NonZeroU64::new(len);
            rustix::fs::fadvise(&file, start, len, rustix::fs::Advice::DontNeed)?;
        }
        Ok(())
    }

    /// Flushes a submission's file, and the folder that names it, to disk.
    pub fn sync(&self, submission: &str) -> std::io::Result<()> {
        if let Some(file) = self.open_existing(submission)? {
            file.sync_data()?;
            File::open(&self.root)?.sync_all()?;
        }
        Ok(())
    }

    /// The submissions with parts in the per-part layout of earlier versions, and each
    /// one's folder.
    pub fn legacy_submissions(&self) -> std::io::Result<Vec<(String, PathBuf)>> {
        let mut out = Vec::new();
        let entries = match std::fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            if !entry.file_type()?.is_dir() {
                continue;
            }
            let name = entry.file_name();
            let id = hex::decode(name.to_string_lossy().as_bytes())
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            if let Some(id) = id {
                out.push((id, entry.path()));
            }
        }
        Ok(out)
    }

    /// Copies a part's file in the per-part layout of earlier versions, if it has one, to
    /// byte `start` of its submission's file; returns how many bytes it held.
    pub fn copy_legacy_part(
        &self,
        folder: &Path,
        part: &str,
        submission: &str,
        start: u64,
    ) -> std::io::Result<u64> {
        let mut file = match File::open(folder.join(hex::encode(part))) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut buf = vec![0u8; READ_BUF];
        let mut done = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(done);
            }
            self.write_at(submission, start + done, &buf[..n])?;
            done += n as u64;
        }
    }

    /// Empties a submission's file (a migration that starts again after a crash).
    pub fn truncate(&self, submission: &str) -> std::io::Result<()> {
        crate::private::create_dir(&self.root)?;
        crate::private::file_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(self.path(submission))
            .map(drop)
    }
}

/// Direct I/O (`O_DIRECT`), where the system and the file system have it.
mod direct {
    use super::{BLOCK, READ_BUF};
    use std::fs::{File, OpenOptions};
    use std::os::unix::fs::{FileExt, OpenOptionsExt};
    use std::path::Path;

    /// The file opened for direct I/O, or `None` where that is refused (tmpfs, some
    /// network file systems), which sends the caller through the page cache.
    pub fn open(path: &Path, write: bool) -> Option<File> {
        #[cfg(target_os = "linux")]
        {
            OpenOptions::new()
                .read(!write)
                .write(write)
                .custom_flags(rustix::fs::OFlags::DIRECT.bits() as i32)
                .open(path)
                .ok()
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (path, write);
            None
        }
    }

    /// Whether an error says that this file does not take direct I/O after all.
    pub fn unsupported(e: &std::io::Error) -> bool {
        e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error())
    }

    /// Writes the aligned `data` at `pos` directly, or through `fallback` (the file opened
    /// without `O_DIRECT`) where the file system refuses it.
    pub fn write_or(direct: &File, fallback: &File, data: &[u8], pos: u64) -> std::io::Result<()> {
        match direct.write_all_at(data, pos) {
            Err(e) if unsupported(&e) => fallback.write_all_at(data, pos),
            done => done,
        }
    }

    /// Reads `len` bytes from `start` in aligned blocks and hands them on.
    pub fn read_range(
        file: &File,
        start: u64,
        len: u64,
        each: &mut dyn FnMut(&[u8]) -> bool,
    ) -> std::io::Result<()> {
        let block = BLOCK as u64;
        let mut at = start / block * block;
        let end = start + len;
        // One buffer per thread, kept: zeroing a fresh megabyte for every blob checked
        // cost more than the reading.
        thread_local! {
            static BUF: std::cell::RefCell<super::AlignedBuf> =
                std::cell::RefCell::new(super::AlignedBuf::for_offset(0, READ_BUF));
        }
        BUF.with_borrow_mut(|buf| {
            while at < end {
                let want = (end - at).div_ceil(block) * block;
                let want = want.min(READ_BUF as u64) as usize;
                let chunk = buf.filled_to(want);
                let n = file.read_at(chunk, at)?;
                // From the first byte asked for to the last, of what was read.
                let from = start.saturating_sub(at) as usize;
                let to = (n as u64).min(end - at) as usize;
                if from >= to || !each(&chunk[from..to]) {
                    return Ok(());
                }
                at += n as u64;
                if n < want {
                    // The file ends here.
                    return Ok(());
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_at_their_place_and_read_back_by_range() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::new(dir.path());
        assert_eq!(parts.read_all("s", 0, 5).unwrap(), b"");
        parts.write_at("s", 10, b"world").unwrap();
        parts.write_at("s", 0, b"hello").unwrap();
        assert_eq!(parts.read_all("s", 0, 5).unwrap(), b"hello");
        assert_eq!(parts.read_all("s", 10, 5).unwrap(), b"world");
        let mut seen = Vec::new();
        parts
            .read_range("s", 10, 100, &mut |c| {
                seen.extend_from_slice(c);
                true
            })
            .unwrap();
        assert_eq!(seen, b"world", "a range stops where the file does");
        parts.flush_and_release("s", 0, 15).unwrap();
        parts
            .flush_and_release("no-such-submission", 0, 15)
            .unwrap();
        assert_eq!(
            parts.read_all("s", 0, 5).unwrap(),
            b"hello",
            "released bytes read back from the disk"
        );
        parts.sync("s").unwrap();
        parts.truncate("s").unwrap();
        assert_eq!(parts.read_all("s", 0, 5).unwrap(), b"");
    }

    /// Bytes that differ from one position to the next, so that a misplaced block shows.
    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed.wrapping_mul(2_654_435_761).max(1);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    }

    fn read_back(parts: &PartFiles, start: u64, len: u64) -> Vec<u8> {
        let mut seen = Vec::new();
        parts
            .read_range("s", start, len, &mut |c| {
                seen.extend_from_slice(c);
                true
            })
            .unwrap();
        seen
    }

    #[test]
    fn pieces_placed_for_their_offset_are_written_directly_and_read_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::new(dir.path());
        // A part starting on a block, in pieces of a size that is not a multiple of one
        // (as a blob's upload pieces are), so that every piece after the first starts and
        // ends inside a block; a small write between them goes through the cache.
        let start = 3 * BLOCK as u64;
        let piece = 300_007;
        let whole = noise(4 * piece, 1);
        let mut at = 0;
        for chunk in whole.chunks(piece) {
            let pos = start + at as u64;
            let mut buf = AlignedBuf::for_offset(pos, chunk.len());
            buf.extend_from_slice(chunk);
            assert!(
                direct_span(pos, buf.as_slice()).is_some(),
                "placed for direct I/O"
            );
            parts.write_at("s", pos, buf.as_slice()).unwrap();
            at += chunk.len();
        }
        parts.write_at("s", 5, b"an item").unwrap();
        assert_eq!(read_back(&parts, start, whole.len() as u64), whole);
        // Ranges that start and end inside blocks, and one past the end of the file.
        assert_eq!(
            read_back(&parts, start + 4_097, 250_000),
            whole[4_097..254_097]
        );
        assert_eq!(
            read_back(&parts, start + 900_000, 1 << 20),
            whole[900_000..],
            "a range stops where the file does"
        );
        let file = std::fs::read(parts.path("s")).unwrap();
        assert_eq!(&file[5..12], b"an item");
        assert_eq!(&file[start as usize..], &whole[..]);
    }

    #[test]
    fn bytes_not_placed_for_their_offset_go_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::new(dir.path());
        let data = noise(200_000, 2);
        // One byte off where a block boundary would need it.
        let mut buf = AlignedBuf::for_offset(1, data.len());
        buf.extend_from_slice(&data);
        assert!(direct_span(0, buf.as_slice()).is_none());
        parts.write_at("s", 0, buf.as_slice()).unwrap();
        assert_eq!(read_back(&parts, 0, data.len() as u64), data);
    }

    #[test]
    fn a_refused_direct_write_is_made_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let cached = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .unwrap();
        let Some(direct) = direct::open(&path, true) else {
            panic!("this test needs a file system with direct I/O (the temporary folder's)");
        };
        // Bytes at an odd address and offset: the kernel refuses them with EINVAL.
        let data = noise(10_001, 3);
        let e = direct.write_all_at(&data[1..], 1).unwrap_err();
        assert!(direct::unsupported(&e), "{e}");
        direct::write_or(&direct, &cached, &data[1..], 1).unwrap();
        assert_eq!(std::fs::read(&path).unwrap()[1..], data[1..]);
    }

    #[test]
    fn ids_cannot_name_a_path_outside_the_parts_folder() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::new(dir.path());
        let path = parts.path("../../etc/passwd");
        assert!(path.starts_with(dir.path().join("parts")));
        assert_eq!(
            path.components().count(),
            dir.path().components().count() + 2
        );
    }
}
