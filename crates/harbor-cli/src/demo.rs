//! `harbor demo`: a vault with sample users and records, to try Harbor without real data.

use crate::fail;
use harbor::{ErrorCode, HarborError};
use harbor::{KdfParams, Passphrase, RecordKind, Role};
use serde_json::json;
use std::path::Path;

/// The passphrase of every demo user. Demo vaults hold no real data.
pub const DEMO_PASSPHRASE: &str = "demo-station-night-shift";

/// Creates the demo vault in `out` and prints how to use it.
pub fn run(out: &Path, epcr_count: usize, json_output: bool) -> Result<(), HarborError> {
    let pass = Passphrase::new(DEMO_PASSPHRASE.into());
    let (mut admin, code) = harbor::init(out, "admin", &pass, KdfParams::DEFAULT)?;
    admin.add_user("qa.lee", Role::QualityOfficer, &pass)?;
    admin.add_user("dr.okafor", Role::MedicalDirector, &pass)?;
    admin.add_user("peer.ruiz", Role::Reviewer, &pass)?;
    admin.lock();

    let mut qa = harbor::unlock(out, "qa.lee", &pass)?;
    let mut reviews = Vec::new();
    let calls = [
        (
            "2026-004211",
            "2026-11-02",
            "Medic 12",
            "advanced_airway",
            "Endotracheal intubation; waveform capnography not documented",
            "in_progress",
        ),
        (
            "2026-004388",
            "2026-11-05",
            "Medic 7",
            "naloxone",
            "Naloxone 2 mg IN given; patient refused transport after revival",
            "pending_medical_director",
        ),
        (
            "2026-004402",
            "2026-11-06",
            "Rescue 3",
            "long_scene_time",
            "Scene time 41 min for a STEMI alert",
            "not_started",
        ),
        (
            "2026-004517",
            "2026-11-09",
            "Medic 12",
            "cardiac_arrest",
            "Arrest during transport; ROSC after 2 shocks",
            "closed",
        ),
    ];
    for (pcr, date, unit, rule, detail, status) in calls {
        let meta = qa.create_record(
            RecordKind::CallReview,
            &json!({
                "call": {"pcr_number": pcr, "call_date": date, "unit": unit},
                "status": status,
                "triggers": [{"rule": rule, "detail": detail}],
                "ems_categories": if rule == "advanced_airway" { json!(["airway"]) } else { json!([]) },
                "recommendations": ""
            }),
        )?;
        reviews.push(meta.id);
    }
    let stretcher = std::env::temp_dir().join(format!("harbor-demo-{}.txt", std::process::id()));
    std::fs::write(
        &stretcher,
        "Fleet note: stretcher 3 wheel lock serviced 2026-10-29.\n",
    )
    .map_err(|e| {
        HarborError::new(
            ErrorCode::Io,
            format!("cannot write a demo attachment: {e}"),
        )
    })?;
    let investigation = qa.create_record(
        RecordKind::Investigation,
        &harbor::record_template(RecordKind::Investigation),
    )?;
    let attached = qa.attach(&investigation.id, &stretcher);
    let _ = std::fs::remove_file(&stretcher);
    attached?;
    let review = qa.create_record(
        RecordKind::CallReview,
        &json!({"call": {"pcr_number": "2026-004600", "call_date": "2026-11-12", "unit": "Medic 4"}}),
    )?;
    qa.drop_out(
        &review.id,
        "Entered by mistake: duplicate of the review of PCR 2026-004211",
    )?;

    // Synthetic ePCRs from the generator, imported as the agency's ePCR export would be.
    let import = if epcr_count > 0 {
        let dir = std::env::temp_dir().join(format!("harbor-demo-nemsis-{}", std::process::id()));
        let what = harbor::demo::SyntheticNemsis {
            seed: 2026,
            count: epcr_count,
            per_file: 1,
        };
        harbor::demo::write_synthetic_nemsis(&what, &dir, |_| {})?;
        let summary = qa.import_nemsis(
            std::slice::from_ref(&dir),
            &harbor::ImportOptions::default(),
            &mut |_| {},
        );
        let _ = std::fs::remove_dir_all(&dir);
        Some(summary?)
    } else {
        None
    };
    qa.lock();

    let mut md = harbor::unlock(out, "dr.okafor", &pass)?;
    md.create_record(
        RecordKind::CaseNote,
        &json!({
            "subject": reviews[1],
            "clinical_assessment": "Naloxone dose and route appropriate. Refusal after opioid reversal needs a documented capacity assessment.",
            "standard_of_care": "met_with_opportunities",
            "recommendations": "Add a capacity checklist to the refusal protocol."
        }),
    )?;
    md.lock();

    if json_output {
        crate::render::json(&json!({
            "vault": out, "users": ["admin", "qa.lee", "dr.okafor", "peer.ruiz"],
            "passphrase": DEMO_PASSPHRASE, "recovery_code": code.expose(),
        }));
    } else {
        println!("Demo vault created in {}.", out.display());
        println!(
            "Users: admin (admin), qa.lee (quality officer), dr.okafor (medical director), peer.ruiz (reviewer)."
        );
        println!(
            "Every demo user's passphrase: {DEMO_PASSPHRASE}   (demo only: never use it for real data)"
        );
        println!("Recovery code: {}", code.expose());
        if let Some(s) = &import {
            println!(
                "Imported {} synthetic ePCRs; the trigger rules flagged {} calls for review.",
                s.imported, s.flagged_for_review
            );
        }
    }
    Ok(())
}

/// Writes synthetic NEMSIS documents.
pub fn generate_nemsis(
    count: usize,
    seed: u64,
    per_file: usize,
    out: &Path,
    json_output: bool,
) -> Result<(), HarborError> {
    if per_file == 0 {
        return Err(fail::usage("--per-file must be at least 1".into()));
    }
    let what = harbor::demo::SyntheticNemsis {
        seed,
        count,
        per_file,
    };
    let start = std::time::Instant::now();
    let mut last = std::time::Instant::now();
    let written = harbor::demo::write_synthetic_nemsis(&what, out, |n| {
        if last.elapsed().as_millis() >= 500 {
            last = std::time::Instant::now();
            eprint!("\rwriting: {n}/{count} reports");
        }
    })?;
    if json_output {
        crate::render::json(&json!({"reports": written, "out": out, "seed": seed}));
    } else {
        eprintln!();
        println!(
            "Wrote {written} synthetic NEMSIS 3.5.1 reports ({per_file} per file, seed {seed}) to {} in {:.1} s.",
            out.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
