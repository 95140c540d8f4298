#![allow(missing_docs)] // a bench binary
//! NEMSIS import benchmark: 10,000 generated documents into an encrypted vault, end to end
//! through the service API, and the parser alone on the same files.
//!
//! `cargo bench -p harbor --bench import` (set HARBOR_BENCH_REPORTS to change the count).
//! Prints ePCRs/s, MB/s and peak memory; results go into docs/benchmarks.md.

use harbor::{ImportOptions, KdfParams, Passphrase};
use harbor_synth::{GeneratorOptions, write_files};
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kib| kib / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let count: usize = std::env::var("HARBOR_BENCH_REPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let root = tempfile::tempdir().unwrap();
    let files = root.path().join("nemsis");
    let t = Instant::now();
    let written = write_files(
        &GeneratorOptions {
            seed: 7,
            count,
            ..GeneratorOptions::default()
        },
        &files,
        |_| {},
    )
    .unwrap();
    let generate_secs = t.elapsed().as_secs_f64();
    let paths: Vec<_> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let mib = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "generated {written} reports in {} files ({mib:.1} MiB) in {generate_secs:.2} s",
        paths.len()
    );

    // The parser alone.
    let limits = harbor_nemsis::Limits::default();
    let t = Instant::now();
    let mut parsed = 0;
    for p in &paths {
        let data = std::fs::read(p).unwrap();
        parsed += harbor_nemsis::read_document(&data, &limits).unwrap().len();
    }
    let parse_secs = t.elapsed().as_secs_f64();
    println!(
        "parser alone: {parsed} reports in {parse_secs:.2} s = {:.0} reports/s, {:.1} MiB/s",
        parsed as f64 / parse_secs,
        mib / parse_secs
    );

    // End to end into an encrypted vault.
    let pass = Passphrase::new("tidal-orchid-ledger-42".into());
    let (mut session, _) = harbor::init(
        &root.path().join("vault"),
        "admin",
        &pass,
        KdfParams::MINIMUM,
    )
    .unwrap();
    let t = Instant::now();
    let summary = session
        .import_nemsis(
            std::slice::from_ref(&files),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    let import_secs = t.elapsed().as_secs_f64();
    assert!(summary.failed.is_empty());
    println!(
        "import end to end: {} reports ({} flagged for review) in {import_secs:.2} s = {:.0} ePCRs/s, {:.1} MiB/s",
        summary.reports,
        summary.flagged_for_review,
        summary.reports as f64 / import_secs,
        mib / import_secs
    );
    let db = std::fs::metadata(root.path().join("vault/vault.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(root.path().join("vault/vault.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "vault size after import: {:.1} MiB",
        db as f64 / (1024.0 * 1024.0)
    );
    println!("peak memory (VmHWM): {:.0} MiB", peak_rss_mib());
}
