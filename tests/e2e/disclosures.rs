//! `harbor disclosure`: record a disclosure made outside Harbor, list the log, the
//! permissions; refusals for a wrong permission, a role that may not, an ePCR.

use harbor_e2e::*;
use serde_json::json;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_quality_officer_records_a_disclosure_and_finds_it_in_the_log() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    s.add_user("peer", "reviewer");
    let body =
        json!({"call": {"pcr_number": "24-0042", "call_date": "2026-11-02", "unit": "Medic 3"}});
    let id = s.create_record("qa", "call_review", &body);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();

    let exceptions = ok_json(
        &s.harbor("qa")
            .args(["--json", "disclosure", "exceptions"])
            .output()
            .unwrap(),
    );
    let accrediting = exceptions
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "accrediting_body")
        .expect("listed");
    assert_eq!(accrediting["citation"], "42 CFR 3.206(b)(8)");

    // A permission that does not exist: exit 7, the right names listed, nothing logged.
    let out = s
        .harbor("qa")
        .args([
            "disclosure",
            "record",
            &id,
            "--to",
            "CAAS",
            "--exception",
            "because",
        ])
        .args(["--date", &today])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("accrediting_body"),
        "{}",
        stderr(&out)
    );
    // A reviewer may not record one.
    let out = s
        .harbor("peer")
        .args(["disclosure", "record", &id, "--to", "CAAS"])
        .args(["--exception", "accrediting_body", "--date", &today])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));

    let d = ok_json(
        &s.harbor("qa")
            .args([
                "--json",
                "disclosure",
                "record",
                &id,
                "--to",
                "CAAS accreditation survey",
            ])
            .args(["--exception", "accrediting_body", "--date", &today])
            .args(["--note", "survey of the QA programme"])
            .output()
            .unwrap(),
    );
    assert_eq!(d["records"], json!([id]));
    assert_eq!(d["recorded_by"], "qa");
    let log = ok_json(
        &s.harbor("qa")
            .args(["--json", "disclosure", "list", "--record", &id])
            .output()
            .unwrap(),
    );
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["permission"], "accrediting_body");
    assert_eq!(log[0]["channel"], "outside_harbor");
    let text = s
        .harbor("qa")
        .args(["disclosure", "list", "--since", &today, "--until", &today])
        .output()
        .unwrap();
    assert_ok(&text);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("CAAS accreditation survey") && text.contains("3.206(b)(8)"),
        "{text}"
    );
    // A reviewer does not read the log either.
    let out = s
        .harbor("peer")
        .args(["disclosure", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
}
