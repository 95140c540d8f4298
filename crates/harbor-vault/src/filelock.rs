//! An exclusive advisory lock on a small file beside the vault, held while a process
//! reads, checks and rewrites shared state (the unlock throttle), so that parallel
//! `harbor` processes take their turns instead of all reading the same old count.

use crate::{Result, VaultError};
use std::fs::File;
use std::path::Path;

/// Holds an exclusive lock on a file until dropped.
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl FileLock {
    /// Blocks until this process holds the exclusive lock on `path` (created 0600 if
    /// missing). The lock is released when the value is dropped or the process dies.
    pub fn exclusive(path: &Path) -> Result<Self> {
        let file = open_lock_file(path)?;
        file.lock().map_err(VaultError::io("lock", path))?;
        Ok(FileLock { file })
    }
}

/// Opens (creating it 0600 if missing) the empty file that carries an advisory lock.
pub(crate) fn open_lock_file(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(VaultError::io("open", path))
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
