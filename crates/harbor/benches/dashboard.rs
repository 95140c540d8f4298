#![allow(missing_docs)] // criterion_group! generates undocumented items.
//! The desktop dashboard's counts and trends over 100,000 call reviews with coded fields
//! (event type, harm, EMS categories) spread over two years of calls, through the service
//! API.
//!
//! `cargo bench -p harbor --bench dashboard`. Results: docs/benchmarks.md.

use criterion::{Criterion, criterion_group, criterion_main};
use harbor::{KdfParams, Passphrase, RecordKind};
use serde_json::{Value, json};
use std::hint::black_box;

const RECORDS: usize = 100_000;

fn review(n: usize) -> Value {
    const EVENTS: [&str; 3] = ["incident", "near_miss", "unsafe_condition"];
    const HARM: [&str; 5] = [
        "no_harm",
        "mild_harm",
        "moderate_harm",
        "severe_harm",
        "unknown",
    ];
    const CATEGORIES: [&str; 4] = [
        "medication",
        "airway",
        "clinical_judgement",
        "patient_handling",
    ];
    let status = ["not_started", "in_progress", "closed"][n % 3];
    json!({
        "call": {"pcr_number": format!("2026-{n:06}"),
                 "call_date": format!("{}-{:02}-{:02}", 2025 + (n / 12) % 2, 1 + n % 12, 1 + n % 28)},
        "status": status,
        "event_type": EVENTS[n % 3],
        "harm": {"level": HARM[n % 5]},
        "ems_categories": [CATEGORIES[n % 4], CATEGORIES[(n / 4) % 4]],
    })
}

fn dashboard_bench(c: &mut Criterion) {
    let root = tempfile::tempdir().unwrap();
    let pass = Passphrase::new("tidal-orchid-ledger-42".into());
    let (mut session, _) = harbor::init(
        &root.path().join("vault"),
        "admin",
        &pass,
        KdfParams::DEFAULT,
    )
    .unwrap();
    let inputs: Vec<Value> = (0..RECORDS).map(review).collect();
    for chunk in inputs.chunks(10_000) {
        session
            .create_records(RecordKind::CallReview, chunk)
            .unwrap();
    }
    let d = session.dashboard().unwrap();
    assert_eq!(d.months.len(), 12);
    assert_eq!(d.by_event_type.len(), 3);
    let mut g = c.benchmark_group("dashboard_100k");
    g.sample_size(10);
    g.bench_function("counts_and_trends", |b| {
        b.iter(|| black_box(session.dashboard().unwrap()))
    });
    g.finish();
}

criterion_group!(benches, dashboard_bench);
criterion_main!(benches);
