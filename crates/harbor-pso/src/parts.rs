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
//! Stores from before kept a file per part under `DIR/parts/HEX(submission)/`; the store
//! moves them into this layout when it opens ([`PartFiles::legacy_submissions`]).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes read at a time when a part is read back.
const READ_BUF: usize = 1024 * 1024;

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
    pub fn write_at(&self, submission: &str, pos: u64, data: &[u8]) -> std::io::Result<()> {
        let path = self.path(submission);
        let file = match OpenOptions::new().write(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.root)?;
                OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)?
            }
            Err(e) => return Err(e),
        };
        file.write_all_at(data, pos)
    }

    /// Hands the `len` bytes from `start` to `each` a megabyte at a time, never whole in
    /// memory; stops early when `each` returns `false` or the file ends.
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

    /// Starts a submission's file on its way to disk (its data only), so that the flush
    /// before the receipt finds little left to write, and lets the kernel drop the `len`
    /// bytes from `start` from memory: a checked blob is not read again before an analyst
    /// asks, and keeping a gigabyte of it cached only pushes out what is.
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
        std::fs::create_dir_all(&self.root)?;
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(self.path(submission))
            .map(drop)
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
