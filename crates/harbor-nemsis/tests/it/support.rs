//! Shared helpers.

use std::path::PathBuf;

/// ../shared/nemsis beside the project, when present.
pub fn shared_nemsis() -> Option<PathBuf> {
    let dir = PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
    .join("../../../shared/nemsis");
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
