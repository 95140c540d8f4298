//! Demonstration data: synthetic NEMSIS 3.5.1 ePCR exports, made by the generator (no real
//! patient in them), for the demo vault, for trying an import, and for the tests.

use crate::{HarborError, Result};
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SyntheticNemsis {
    /// The same seed gives the same files.
    pub seed: u64,
    /// How many patient care reports in all.
    pub count: usize,
    /// How many reports each file holds (at least 1; the last file may hold fewer).
    pub per_file: usize,
}

/// Writes the synthetic exports into `out` (created if missing); `progress` hears how many
/// reports are written so far. Returns how many were written.
pub fn write_synthetic_nemsis(
    what: &SyntheticNemsis,
    out: &Path,
    progress: impl FnMut(usize),
) -> Result<usize> {
    if what.per_file == 0 {
        return Err(HarborError::invalid_input("a file holds at least 1 report"));
    }
    let opts = harbor_synth::GeneratorOptions {
        seed: what.seed,
        count: what.count,
        reports_per_file: what.per_file,
        ..Default::default()
    };
    harbor_synth::write_files(&opts, out, progress).map_err(|source| {
        HarborError::from(harbor_vault::VaultError::Io {
            action: "write to",
            path: out.to_owned(),
            source,
        })
    })
}
