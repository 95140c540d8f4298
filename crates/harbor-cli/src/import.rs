//! `harbor import nemsis`: progress on stderr, a summary at the end.

use crate::fail;
use harbor::HarborError;
use harbor::{ImportOptions, ReviewMode, Session};
use std::io::Write;
use std::path::PathBuf;

fn parse_sample(s: &str) -> Result<f64, HarborError> {
    let n: f64 =
        s.trim().trim_end_matches('%').trim().parse().map_err(|_| {
            fail::usage(format!("--sample takes a percentage such as 5%, not '{s}'"))
        })?;
    if !(0.0..=100.0).contains(&n) {
        return Err(fail::usage("--sample must be between 0% and 100%".into()));
    }
    Ok(n)
}

/// Runs the import and prints its summary.
pub fn run(
    json: bool,
    s: &mut Session,
    paths: &[PathBuf],
    review: &str,
    sample: Option<&str>,
) -> Result<(), HarborError> {
    let options = ImportOptions {
        // A word clap let through is still an argument error here (exit 2).
        review: review
            .parse::<ReviewMode>()
            .map_err(|e| fail::usage(format!("--review: {e}")))?,
        sample_percent: sample.map(parse_sample).transpose()?,
        ..ImportOptions::default()
    };
    let mut last = std::time::Instant::now();
    let mut stderr = std::io::stderr();
    let summary = s.import_nemsis(paths, &options, &mut |p| {
        let done = p.files_done == p.files_total;
        if done || last.elapsed().as_millis() >= 500 {
            last = std::time::Instant::now();
            let rate = p.reports as f64 / p.elapsed_secs.max(0.001);
            let _ = write!(
                stderr,
                "\rimporting: {}/{} files, {} reports, {:.0} reports/s{}",
                p.files_done,
                p.files_total,
                p.reports,
                rate,
                if done { "\n" } else { "" }
            );
            let _ = stderr.flush();
        }
    })?;
    if json {
        crate::render::json(&summary);
    } else {
        println!(
            "{} files, {} reports in {:.1} s: {} imported, {} updated, {} unchanged, {} flagged for review, {} with warnings, {} files failed.",
            summary.files,
            summary.reports,
            summary.elapsed_secs,
            summary.imported,
            summary.updated,
            summary.unchanged,
            summary.flagged_for_review,
            summary.with_warnings,
            summary.failed.len()
        );
        for (rule, n) in &summary.by_rule {
            println!("  {n:>6}  {rule}");
        }
        for f in &summary.failed {
            println!("FAILED  {}: {}", f.file, f.reason);
        }
    }
    match HarborError::if_import_incomplete(&summary) {
        None => Ok(()),
        Some(incomplete) => Err(incomplete),
    }
}
