#![allow(missing_docs)] // a bench binary
//! Case packet benchmark: 100 calls (imported ePCRs) with a review each and 50 MB of
//! attachments, exported from one vault and imported into another, through the service API.
//!
//! `cargo bench -p harbor --bench packets`. Prints the export and import times and the
//! packet's size; results go into docs/benchmarks.md.

use harbor::{KdfParams, PacketChoice, Passphrase, RecordKind};
use serde_json::json;
use std::time::Instant;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let pass = Passphrase::new("tidal-orchid-ledger-42".to_owned());
    let (mut station, _) = harbor::init(
        &root.path().join("station"),
        "admin",
        &pass,
        KdfParams::DEFAULT,
    )
    .unwrap();
    let (mut laptop, _) = harbor::init(
        &root.path().join("laptop"),
        "admin",
        &pass,
        KdfParams::DEFAULT,
    )
    .unwrap();
    let s_id = station.device_identity().unwrap();
    let l_id = laptop.device_identity().unwrap();
    station.contact_add("laptop", &l_id.identity).unwrap();
    laptop.contact_add("station", &s_id.identity).unwrap();

    // 100 generated calls, imported as the agency's ePCR export would be.
    let nemsis = root.path().join("nemsis");
    let opts = harbor_synth::GeneratorOptions {
        seed: 7,
        count: 100,
        ..Default::default()
    };
    harbor_synth::write_files(&opts, &nemsis, |_| {}).unwrap();
    station
        .import_nemsis(
            std::slice::from_ref(&nemsis),
            &harbor::ImportOptions {
                review: harbor::ReviewMode::None,
                ..Default::default()
            },
            &mut |_| {},
        )
        .unwrap();
    let calls = station
        .list(&harbor::ListQuery {
            kind: Some(RecordKind::Epcr),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap()
        .items;
    assert_eq!(calls.len(), 100);
    // A review of each call, referring to it.
    let inputs: Vec<_> = calls
        .iter()
        .enumerate()
        .map(|(n, call)| {
            json!({"call": {"pcr_number": format!("P-{n}"), "call_date": "2026-11-02", "unit": "Medic 3", "epcr_id": call.id},
                   "status": "pending_medical_director",
                   "recommendations": "Review airway management and the time to the first ECG."})
        })
        .collect();
    let ids = station
        .create_records(RecordKind::CallReview, &inputs)
        .unwrap();
    let file = root.path().join("strip.bin");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for id in &ids {
        let bytes: Vec<u8> = (0..500_000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        std::fs::write(&file, bytes).unwrap();
        station.attach(id, &file).unwrap();
    }

    let packet = root.path().join("to-laptop.hpk");
    let t = Instant::now();
    let summary = station
        .packet_export(
            "laptop",
            PacketChoice::Records(&ids),
            true,
            "case review",
            &packet,
        )
        .unwrap();
    let export = t.elapsed();
    let t = Instant::now();
    let outcome = laptop.packet_import(&packet).unwrap();
    let import = t.elapsed();
    assert_eq!(summary.epcrs, 100);
    assert_eq!(outcome.added.len(), 200, "the calls and their reviews");
    assert_eq!(outcome.attachments, 100);
    println!(
        "packet: 100 calls (ePCRs with their XML) + 100 call reviews + 100 attachments (50,000,000 bytes): export {:.2} s, import {:.2} s, file {:.1} MB ({} bytes)",
        export.as_secs_f64(),
        import.as_secs_f64(),
        summary.bytes as f64 / 1e6,
        summary.bytes
    );
}
