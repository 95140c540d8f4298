//! The uploaded parts of submissions (sealed items and attachment blobs), one file each
//! under `DIR/parts/`, outside the SQLite store.
//!
//! A file per part writes each received byte once. In the database every chunk went to the
//! WAL and again to the main file at a checkpoint, and was read back from there to be
//! checked: a third of the PSO's time for a gigabyte of attachments.
//!
//! A part only ever grows by appending, and its length is how much of it arrived: a client
//! that lost an answer asks for that length and resends from there. A crash in the middle
//! of a write leaves a shorter, still correct prefix (the bytes were appended in order), so
//! there is no separate count to keep in step. Parts are checked in full (authenticated
//! decryption and the manifest's hash) before any receipt, and the files of attachments are
//! flushed to disk before the receipt goes out.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
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

    /// The folder of one submission's parts. Names are hex-encoded ids, so that no id a
    /// manifest declares can name a path outside the folder.
    fn submission_dir(&self, submission: &str) -> PathBuf {
        self.root.join(hex::encode(submission))
    }

    /// The file of one part.
    pub fn path(&self, submission: &str, part: &str) -> PathBuf {
        self.submission_dir(submission).join(hex::encode(part))
    }

    /// Bytes of the part received so far (0 before the first).
    pub fn len(&self, submission: &str, part: &str) -> std::io::Result<u64> {
        match std::fs::metadata(self.path(submission, part)) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// Appends `data` to a part that holds `have` bytes. On a failed write the part is cut
    /// back to `have`, so that a retry of the same chunk fits.
    pub fn append(
        &self,
        submission: &str,
        part: &str,
        have: u64,
        data: &[u8],
    ) -> std::io::Result<()> {
        let path = self.path(submission, part);
        if have == 0 {
            std::fs::create_dir_all(path.parent().expect("a part has a folder"))?;
        }
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        if let Err(e) = file.write_all(data) {
            let _ = file.set_len(have);
            return Err(e);
        }
        Ok(())
    }

    /// The whole part (for items, which are small: the manifest bounds their size).
    pub fn read(&self, submission: &str, part: &str) -> std::io::Result<Vec<u8>> {
        match std::fs::read(self.path(submission, part)) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Hands the part to `each` a megabyte at a time, never whole in memory.
    pub fn read_chunks(
        &self,
        submission: &str,
        part: &str,
        each: &mut dyn FnMut(&[u8]) -> bool,
    ) -> std::io::Result<()> {
        let mut file = match File::open(self.path(submission, part)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut buf = vec![0u8; READ_BUF];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 || !each(&buf[..n]) {
                return Ok(());
            }
        }
    }

    /// Flushes one part's file to disk.
    pub fn sync_part(&self, submission: &str, part: &str) -> std::io::Result<()> {
        File::open(self.path(submission, part))?.sync_data()
    }

    /// Flushes the named parts of a submission, and its folder, to disk.
    pub fn sync(&self, submission: &str, parts: &[&str]) -> std::io::Result<()> {
        for part in parts {
            self.sync_part(submission, part)?;
        }
        let dir = self.submission_dir(submission);
        if dir.exists() {
            File::open(&dir)?.sync_all()?;
            File::open(&self.root)?.sync_all()?;
        }
        Ok(())
    }

    /// Deletes one part's file (no error if it is gone).
    pub fn remove(&self, submission: &str, part: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(submission, part)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_grows_by_appending_and_its_length_is_what_arrived() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::new(dir.path());
        assert_eq!(parts.len("s", "p").unwrap(), 0);
        parts.append("s", "p", 0, b"hello ").unwrap();
        parts.append("s", "p", 6, b"world").unwrap();
        assert_eq!(parts.len("s", "p").unwrap(), 11);
        assert_eq!(parts.read("s", "p").unwrap(), b"hello world");
        let mut seen = Vec::new();
        parts
            .read_chunks("s", "p", &mut |c| {
                seen.extend_from_slice(c);
                true
            })
            .unwrap();
        assert_eq!(seen, b"hello world");
        parts.sync("s", &["p"]).unwrap();
        parts.remove("s", "p").unwrap();
        assert_eq!(parts.len("s", "p").unwrap(), 0);
        parts.remove("s", "p").unwrap();
    }

    #[test]
    fn ids_cannot_name_a_path_outside_the_parts_folder() {
        let dir = tempfile::tempdir().unwrap();
        let parts = PartFiles::new(dir.path());
        let path = parts.path("../../etc", "../passwd");
        assert!(path.starts_with(dir.path().join("parts")));
        assert_eq!(
            path.components().count(),
            dir.path().components().count() + 3
        );
    }
}
