//! Shared helpers.

use std::path::PathBuf;

/// ../shared/nemsis beside the project, when present.
pub fn shared_nemsis() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nemsis");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: {} is absent, so the official NEMSIS material cannot be read",
            dir.display()
        );
        None
    }
}
