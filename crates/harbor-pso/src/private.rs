//! The data folder is the PSO's alone: its keys, its TLS key and a store that holds every
//! agency's opened PSWP in plain SQLite. Folders are created `0700` and files `0600`
//! whatever the umask, and a folder made by an earlier version (with the umask's modes,
//! typically `0755`/`0644`) is tightened when the store opens.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of every folder in the data folder.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file in the data folder.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and any missing parent) `0700`; an existing `dir` is set to `0700`.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))
}

/// Writes a new secret file `0600` (refused if `path` exists) and flushes it to disk.
pub fn write_new_secret(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Options that create a file `0600`.
pub fn file_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.mode(FILE_MODE);
    o
}

/// Takes every permission of group and others off `dir` and everything under it (files
/// `0600`, folders `0700`). Symbolic links are left alone and not followed.
pub fn tighten(dir: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.is_dir() {
        if meta.permissions().mode() & 0o777 != DIR_MODE {
            std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))?;
        }
        for entry in std::fs::read_dir(dir)? {
            tighten(&entry?.path())?;
        }
    } else if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, Permissions::from_mode(FILE_MODE))?;
    }
    Ok(())
}
