#![allow(missing_docs)] // criterion_group! generates undocumented items.
//! Vault benchmarks through the service API, encrypted and plain in the same run.
//!
//! `cargo bench -p harbor --features plaintext-bench --bench vault`
//! Budgets and results: docs/benchmarks.md.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use harbor::{KdfParams, ListQuery, Passphrase, RecordKind, Session};
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::Instant;

const RECORDS: usize = 100_000;

fn review(n: usize) -> Value {
    const WORDS: [&str; 8] = [
        "capnography",
        "naloxone",
        "intubation",
        "stretcher",
        "handoff",
        "pediatric",
        "STEMI",
        "refusal",
    ];
    let status = ["not_started", "in_progress", "closed"][n % 3];
    json!({
        "call": {"pcr_number": format!("2026-{n:06}"), "call_date": "2026-11-02", "unit": format!("Medic {}", n % 40)},
        "status": status,
        "triggers": [{"rule": "advanced_airway", "detail": format!("{} noted on call {n}", WORDS[n % 8])}],
        "recommendations": format!("Review {} with crew {}; {} follow-up.", WORDS[(n / 8) % 8], n % 97, WORDS[(n / 64) % 8]),
    })
}

fn fill(session: &mut Session) -> f64 {
    let inputs: Vec<Value> = (0..RECORDS).map(review).collect();
    let start = Instant::now();
    for chunk in inputs.chunks(10_000) {
        session
            .create_records(RecordKind::CallReview, chunk)
            .unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    RECORDS as f64 / secs
}

fn vault_benches(c: &mut Criterion) {
    let root = tempfile::tempdir().unwrap();

    // Unlock with the default Argon2id parameters (key slot unwrap + open).
    let unlock_dir = root.path().join("unlock");
    let pass = Passphrase::new("tidal-orchid-ledger-42".into());
    harbor::init(&unlock_dir, "admin", &pass, KdfParams::DEFAULT).unwrap();
    let mut g = c.benchmark_group("unlock");
    g.sample_size(10);
    g.bench_function("argon2id_default_m64MiB_t3_p4", |b| {
        b.iter(|| harbor::unlock(&unlock_dir, "admin", &pass).unwrap())
    });
    g.finish();

    for (label, encrypted) in [("encrypted", true), ("plain", false)] {
        let dir = root.path().join(label);
        let (vault, key) = harbor_vault::bench::create(&dir, encrypted).unwrap();
        let mut session = Session::from_bench_vault(vault);
        let rate = fill(&mut session);
        println!("{label}: bulk insert of {RECORDS} call reviews: {rate:.0} records/s");

        let key = encrypted.then_some(key);
        let mut g = c.benchmark_group(format!("{label}_100k"));
        g.bench_function("open_with_raw_key", |b| {
            b.iter(|| harbor_vault::bench::open_and_close(&dir, key.as_ref()).unwrap())
        });
        g.bench_function("list_first_page_50", |b| {
            b.iter(|| black_box(session.list(&ListQuery::default()).unwrap()))
        });
        g.bench_function("list_first_page_50_kind_status", |b| {
            let q = ListQuery {
                kind: Some(RecordKind::CallReview),
                status: Some("in_progress".into()),
                ..ListQuery::default()
            };
            b.iter(|| black_box(session.list(&q).unwrap()))
        });
        g.bench_function("search_top_50_audited", |b| {
            b.iter(|| black_box(session.search("capnography handoff", 50).unwrap()))
        });
        g.bench_function("search_top_50_selective_audited", |b| {
            b.iter(|| black_box(session.search("2026-004211", 50).unwrap()))
        });
        g.bench_function("read_record_audited", |b| {
            let id = session.list(&ListQuery::default()).unwrap().items[7]
                .id
                .clone();
            b.iter(|| black_box(session.record(&id).unwrap()))
        });
        g.sample_size(20);
        g.bench_function("create_one_record_own_transaction", |b| {
            let mut n = RECORDS;
            b.iter_batched(
                || {
                    n += 1;
                    review(n)
                },
                |input| {
                    session
                        .create_record(RecordKind::CallReview, &input)
                        .unwrap()
                },
                BatchSize::SmallInput,
            )
        });
        g.finish();
    }
}

criterion_group!(benches, vault_benches);
criterion_main!(benches);
