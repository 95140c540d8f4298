//! NEMSIS import through the service: per-file transactions, de-duplication, revisions,
//! flagged reviews linked to their ePCR, hostile files refused with the vault unchanged.

use crate::support::*;
use harbor::RecordKind;
use harbor::{ImportOptions, ReviewMode};
use std::path::{Path, PathBuf};

/// A NEMSIS document with one report. `extra` goes inside the PatientCareReport.
fn doc(uuid: &str, pcr: &str, extra: &str, narrative: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<EMSDataSet xmlns="http://www.nemsis.org" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<Header><DemographicGroup><dAgency.02>3301</dAgency.02></DemographicGroup>
<PatientCareReport UUID="{uuid}">
<eRecord><eRecord.01>{pcr}</eRecord.01></eRecord>
<eResponse><eResponse.13>M12</eResponse.13></eResponse>
<eTimes><eTimes.01>2026-11-02T14:00:00-05:00</eTimes.01><eTimes.06>2026-11-02T14:10:00-05:00</eTimes.06><eTimes.09>2026-11-02T14:22:00-05:00</eTimes.09></eTimes>
{extra}
<eNarrative><eNarrative.01>{narrative}</eNarrative.01></eNarrative>
</PatientCareReport></Header></EMSDataSet>
"#
    )
}

const ARREST: &str = "<eArrest><eArrest.01>3001005</eArrest.01></eArrest>";

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn import(
    s: &mut harbor::Session,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> harbor::ImportSummary {
    let mut calls = 0;
    let summary = ok(s.import_nemsis(paths, options, &mut |_| calls += 1));
    assert!(calls > 0 || summary.files == 0, "progress is reported");
    summary
}

#[test]
fn a_batch_imports_good_files_refuses_bad_ones_and_reimport_is_a_no_op() {
    let (tv, mut s, _) = new_vault();
    let dir = tv.path("export");
    write(
        &dir,
        "a.xml",
        doc(
            "11111111-1111-4111-8111-111111111111",
            "A-1",
            ARREST,
            "Found down.",
        )
        .as_bytes(),
    );
    write(
        &dir,
        "b.xml",
        doc(
            "22222222-2222-4222-8222-222222222222",
            "B-1",
            "",
            "Minor fall.",
        )
        .as_bytes(),
    );
    write(
        &dir,
        "sub/c.XML",
        doc(
            "33333333-3333-4333-8333-333333333333",
            "C-1",
            "",
            "Syncope.",
        )
        .as_bytes(),
    );
    let hostile = doc("44444444-4444-4444-8444-444444444444", "D-1", "", "x").replacen(
        "<EMSDataSet",
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><EMSDataSet",
        1,
    );
    write(&dir, "d-xxe.xml", hostile.as_bytes());
    let good = doc("55555555-5555-4555-8555-555555555555", "E-1", "", "x");
    write(&dir, "e-truncated.xml", &good.as_bytes()[..good.len() / 2]);
    let mut latin1 = doc("66666666-6666-4666-8666-666666666666", "F-1", "", "caf").into_bytes();
    latin1.insert(latin1.len() - 60, 0xe9);
    write(&dir, "f-latin1.xml", &latin1);
    write(&dir, "notes.txt", b"not xml, not picked up");
    #[cfg(unix)]
    std::os::unix::fs::symlink(tv.path("nowhere.xml"), dir.join("g-dangling.xml")).unwrap();

    let records_before = ok(s.record_count());
    let summary = import(
        &mut s,
        std::slice::from_ref(&dir),
        &ImportOptions::default(),
    );
    assert_eq!(summary.imported, 3, "{summary:?}");
    assert_eq!(summary.flagged_for_review, 1, "the arrest is flagged");
    let reasons: Vec<(String, String)> = summary
        .failed
        .iter()
        .map(|f| {
            (
                Path::new(&f.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                f.reason.clone(),
            )
        })
        .collect();
    let reason = |name: &str| {
        reasons
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("{name} not failed: {reasons:?}"))
    };
    assert!(reason("d-xxe.xml").contains("DOCTYPE"));
    assert!(
        reason("e-truncated.xml").contains("truncated")
            || reason("e-truncated.xml").contains("not well-formed")
    );
    assert!(reason("f-latin1.xml").contains("UTF-8"));
    #[cfg(unix)]
    assert!(reason("g-dangling.xml").contains("cannot read"));
    // 3 ePCRs and 1 review: nothing of the failed files entered the vault.
    assert_eq!(ok(s.record_count()), records_before + 4);
    assert_eq!(ok(s.audit_verify()).first_bad, None);

    let again = import(&mut s, &[dir], &ImportOptions::default());
    assert_eq!(
        (
            again.imported,
            again.updated,
            again.unchanged,
            again.flagged_for_review
        ),
        (0, 0, 3, 0)
    );
    assert_eq!(ok(s.record_count()), records_before + 4);
}

#[test]
fn a_changed_report_becomes_a_revision_and_the_same_pcr_number_is_the_same_report() {
    let (tv, mut s, _) = new_vault();
    let dir = tv.path("in");
    let first = write(
        &dir,
        "r.xml",
        doc(
            "77777777-7777-4777-8777-777777777777",
            "R-1",
            "",
            "First version.",
        )
        .as_bytes(),
    );
    assert_eq!(
        import(
            &mut s,
            std::slice::from_ref(&first),
            &ImportOptions::default()
        )
        .imported,
        1
    );
    write(
        &dir,
        "r.xml",
        doc(
            "77777777-7777-4777-8777-777777777777",
            "R-1",
            "",
            "Corrected narrative.",
        )
        .as_bytes(),
    );
    let second = import(
        &mut s,
        std::slice::from_ref(&first),
        &ImportOptions::default(),
    );
    assert_eq!((second.imported, second.updated), (0, 1));
    // A different UUID, same agency and PCR number: still the same report.
    write(
        &dir,
        "r.xml",
        doc("88888888-8888-4888-8888-888888888888", "R-1", "", "Third.").as_bytes(),
    );
    let third = import(&mut s, &[first], &ImportOptions::default());
    assert_eq!((third.imported, third.updated), (0, 1));

    let epcrs = ok(s.list(&harbor::ListQuery {
        kind: Some(RecordKind::Epcr),
        ..Default::default()
    }));
    assert_eq!(epcrs.items.len(), 1);
    let id = epcrs.items[0].id.clone();
    let history = ok(s.history(&id));
    assert_eq!(history.revisions.len(), 3);
    assert_eq!(history.revisions[2].body["narrative"]["value"], "Third.");
    assert_eq!(history.pses_events[0].event, "imported_original_record");
    assert!(ok(s.epcr_source(&id)).contains("Third."));
    assert_eq!(epcrs.items[0].pses_state, "original_record");
}

#[test]
fn a_flagged_call_gets_a_not_started_review_linked_to_its_epcr() {
    let (tv, mut s, _) = new_vault();
    let f = write(
        &tv.path("in"),
        "a.xml",
        doc("99999999-9999-4999-8999-999999999999", "A-9", ARREST, "x").as_bytes(),
    );
    import(&mut s, &[f], &ImportOptions::default());
    let epcr = ok(s.list(&harbor::ListQuery {
        kind: Some(RecordKind::Epcr),
        ..Default::default()
    }))
    .items[0]
        .id
        .clone();
    let review = ok(s.list(&harbor::ListQuery {
        kind: Some(RecordKind::CallReview),
        ..Default::default()
    }))
    .items[0]
        .id
        .clone();
    let body = ok(s.record(&review)).body;
    assert_eq!(body["status"], "not_started");
    assert_eq!(body["call"]["epcr_id"], epcr.as_str());
    assert_eq!(body["call"]["pcr_number"], "A-9");
    assert_eq!(body["call"]["call_date"], "2026-11-02");
    assert_eq!(body["call"]["unit"], "M12");
    assert_eq!(body["triggers"][0]["rule"], "cardiac_arrest_after_ems");
    assert!(
        body["triggers"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("3001005")
    );

    // The ePCR is an original record: no drop-out, no edit by hand.
    assert_eq!(err_code(s.drop_out(&epcr, "no")), "original_record");
    assert_eq!(
        err_code(s.update_record(&epcr, &serde_json::json!({"pcr_number": "x"}))),
        "original_record"
    );
}

#[test]
fn review_all_none_and_sampling() {
    let (tv, mut s, _) = new_vault();
    let dir = tv.path("in");
    for n in 0..6 {
        write(
            &dir,
            &format!("{n}.xml"),
            doc(
                &format!("aaaaaaaa-aaaa-4aaa-8aaa-00000000000{n}"),
                &format!("S-{n}"),
                "",
                "x",
            )
            .as_bytes(),
        );
    }
    let none = import(
        &mut s,
        std::slice::from_ref(&dir),
        &ImportOptions {
            review: ReviewMode::None,
            ..Default::default()
        },
    );
    assert_eq!((none.imported, none.flagged_for_review), (6, 0));
    let (tv2, mut s2, _) = new_vault();
    let _ = &tv2;
    let all = import(
        &mut s2,
        std::slice::from_ref(&dir),
        &ImportOptions {
            review: ReviewMode::All,
            ..Default::default()
        },
    );
    assert_eq!(all.flagged_for_review, 6);
    assert_eq!(all.by_rule.get("review_all"), Some(&6));
    let (_tv3, mut s3, _) = new_vault();
    let sampled = import(
        &mut s3,
        std::slice::from_ref(&dir),
        &ImportOptions {
            sample_percent: Some(100.0),
            ..Default::default()
        },
    );
    assert_eq!(sampled.by_rule.get("random_sample"), Some(&6));
    let (_tv4, mut s4, _) = new_vault();
    let zero = import(
        &mut s4,
        &[dir],
        &ImportOptions {
            sample_percent: Some(0.0),
            ..Default::default()
        },
    );
    assert_eq!(zero.flagged_for_review, 0);
}

#[test]
fn trigger_settings_are_stored_in_the_vault_and_audited() {
    let (_tv, mut s, _) = new_vault();
    ok(s.set_trigger(
        "long_scene_time",
        Some(false),
        &[("minutes".into(), "45".into())],
    ));
    let config = ok(s.triggers());
    let rule = config
        .effective()
        .into_iter()
        .find(|r| r.id == "long_scene_time")
        .unwrap();
    assert!(!rule.enabled);
    assert_eq!(rule.params[0].1, serde_json::json!(45));
    assert_eq!(err_code(s.set_trigger("nope", None, &[])), "bad_setting");
    assert!(
        all_audit(&mut s)
            .iter()
            .any(|e| e.action == "triggers.change")
    );
}

#[test]
fn every_official_sample_imports_and_reimport_is_a_no_op() {
    let dir = PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
    .join("../../../shared/nemsis/samples");
    if !dir.is_dir() {
        println!("SKIPPED: {} is absent", dir.display());
        return;
    }
    let (_tv, mut s, _) = new_vault();
    let first = import(
        &mut s,
        std::slice::from_ref(&dir),
        &ImportOptions::default(),
    );
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!(first.imported, 40);
    let again = import(&mut s, &[dir], &ImportOptions::default());
    assert_eq!(
        (
            again.imported,
            again.updated,
            again.unchanged,
            again.flagged_for_review
        ),
        (0, 0, 40, 0)
    );
    assert_eq!(ok(s.audit_verify()).first_bad, None);
}
