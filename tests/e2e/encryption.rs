//! Encryption at rest: canary strings written through every path of the CLI must not be
//! found in any file of the vault folder, the backup or the temporary folder.

use harbor_e2e::*;
use serde_json::json;

#[test]
fn no_canary_reaches_disk_in_plaintext() {
    let s = Scratch::new();
    let recovery = s.init();
    s.add_user("qa", "quality_officer");
    s.add_user("md", "medical_director");
    let c = |n: &str| format!("CANARY{n}ZQX");
    let canaries: Vec<String> = [
        "pcr",
        "unit",
        "trigger",
        "finding",
        "factor",
        "recommend",
        "note",
        "inv",
        "timeline",
        "why",
        "fishbone",
        "action",
        "owner",
        "filebody",
        "filename",
        "search",
        "reason",
    ]
    .iter()
    .map(|n| c(n))
    .collect();

    let review = json!({
        "call": {"pcr_number": c("pcr"), "call_date": "2026-11-02", "unit": c("unit")},
        "triggers": [{"rule": "naloxone", "detail": c("trigger")}],
        "protocol_findings": [{"protocol": "Opioid 2.1", "compliance": "deviation", "comment": c("finding")}],
        "contributing_factors": [c("factor")],
        "recommendations": c("recommend"),
    });
    let out = s.run_with_input(
        "qa",
        &["--json", "record", "create", "call_review", "--file", "-"],
        &review.to_string(),
    );
    let review_id = ok_json(&out)["id"].as_str().unwrap().to_owned();

    let note = json!({
        "subject": review_id, "clinical_assessment": c("note"), "standard_of_care": "met",
    });
    ok_json(&s.run_with_input(
        "md",
        &["--json", "record", "create", "case_note", "--file", "-"],
        &note.to_string(),
    ));

    let investigation = json!({
        "title": c("inv"), "event_summary": c("inv"),
        "timeline": [{"at": "2026-10-28T14:02:00", "description": c("timeline")}],
        "five_whys": [c("why")],
        "fishbone": {"equipment": [c("fishbone")]},
        "corrective_actions": [{"description": c("action"), "owner": c("owner"), "due_date": "2026-12-01", "strength": "weak"}],
    });
    let out = s.run_with_input(
        "qa",
        &["--json", "record", "create", "investigation", "--file", "-"],
        &investigation.to_string(),
    );
    let inv_id = ok_json(&out)["id"].as_str().unwrap().to_owned();

    // An attachment whose content and name are canaries; the source file is outside the
    // scanned folders, as a person's own document would be.
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join(format!("{}.txt", c("filename")));
    std::fs::write(&file, c("filebody").repeat(1000)).unwrap();
    assert_ok(
        &s.harbor("qa")
            .args(["attach", &inv_id])
            .arg(&file)
            .output()
            .unwrap(),
    );

    // Search terms, a drop-out reason, and an export of the audit log.
    let hits = ok_json(
        &s.harbor("qa")
            .args(["--json", "search", &c("search")])
            .output()
            .unwrap(),
    );
    assert_eq!(hits.as_array().unwrap().len(), 0);
    let hits = ok_json(
        &s.harbor("qa")
            .args(["--json", "search", &c("why")])
            .output()
            .unwrap(),
    );
    assert_eq!(
        hits.as_array().unwrap().len(),
        1,
        "FTS finds a nested field"
    );
    assert_ok(
        &s.harbor("qa")
            .args(["dropout", &review_id, "--reason", &c("reason")])
            .output()
            .unwrap(),
    );

    let backup = s.work().join("backup.harbor");
    assert_ok(
        &s.harbor("admin")
            .args(["backup", "--out"])
            .arg(&backup)
            .output()
            .unwrap(),
    );

    let mut files = files_under(&s.vault());
    files.extend(files_under(&s.tmp()));
    files.extend(files_under(&s.work()));
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "vault.db") && names.iter().any(|n| n == "keyslots.json"));
    assert!(names.iter().any(|n| n == "backup.harbor"));
    let refs: Vec<&str> = canaries.iter().map(String::as_str).collect();
    let mut with_secrets = refs.clone();
    with_secrets.push(PASSPHRASE);
    with_secrets.push(&recovery);
    assert_eq!(
        find_canaries(&files, &with_secrets),
        vec![],
        "plaintext found on disk"
    );

    // The canaries are really in the vault: the reads return them.
    let shown = ok_json(
        &s.harbor("qa")
            .args(["--json", "record", "show", &review_id])
            .output()
            .unwrap(),
    );
    assert_eq!(shown["body"]["call"]["pcr_number"], c("pcr"));
}

#[test]
fn the_database_does_not_open_without_the_key() {
    let s = Scratch::new();
    s.init();
    let db = s.vault().join("vault.db");
    let head = std::fs::read(&db).unwrap();
    assert!(
        !head.starts_with(b"SQLite format 3\0"),
        "plaintext SQLite header"
    );
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT name FROM sqlite_master;")
        .output()
        .expect("the sqlite3 shell is installed (.ci/run installs it)");
    assert!(
        !out.status.success(),
        "sqlite3 opened the vault: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a database") || err.contains("encrypted"),
        "{err}"
    );
}
