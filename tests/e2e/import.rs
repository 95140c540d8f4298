//! Importing NEMSIS files through the CLI, as a quality officer's script would.

use harbor_e2e::*;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

#[test]
fn generated_calls_import_flag_reviews_and_bad_files_set_the_exit_code() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    let dir = s.work().join("export");
    let out = s
        .harbor("qa")
        .args([
            "demo",
            "generate-nemsis",
            "--count",
            "60",
            "--seed",
            "5",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(files_under(&dir).len(), 60);
    std::fs::write(
        dir.join("zz-broken.xml"),
        b"<EMSDataSet xmlns=\"http://www.nemsis.org\"><Header>",
    )
    .unwrap();

    let out = s
        .harbor("qa")
        .args(["--json", "import", "nemsis"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(code(&out), 13, "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["imported"], 60);
    assert_eq!(summary["failed"].as_array().unwrap().len(), 1);
    assert!(
        summary["failed"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("zz-broken.xml")
    );
    assert!(
        summary["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("truncated")
    );
    let flagged = summary["flagged_for_review"].as_u64().unwrap();
    assert!(flagged > 5, "some generated calls fire triggers: {flagged}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("importing: 61/61 files"),
        "progress on stderr: {stderr}"
    );

    // The flagged calls wait as not-started reviews, each linked to its ePCR.
    let list = ok_json(
        &s.harbor("qa")
            .args([
                "--json",
                "record",
                "list",
                "--kind",
                "call_review",
                "--status",
                "not_started",
                "--limit",
                "1000",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(list["items"].as_array().unwrap().len() as u64, flagged);
    let review_id = list["items"][0]["id"].as_str().unwrap();
    let review = ok_json(
        &s.harbor("qa")
            .args(["--json", "record", "show", review_id])
            .output()
            .unwrap(),
    );
    let epcr_id = review["body"]["call"]["epcr_id"].as_str().unwrap();
    assert!(!review["body"]["triggers"].as_array().unwrap().is_empty());
    let xml = s
        .harbor("qa")
        .args(["record", "source", epcr_id])
        .output()
        .unwrap();
    assert_ok(&xml);
    assert!(String::from_utf8_lossy(&xml.stdout).starts_with("<PatientCareReport"));

    // Again: nothing new, and the exit code is clean once the broken file is gone.
    std::fs::remove_file(dir.join("zz-broken.xml")).unwrap();
    let again = ok_json(
        &s.harbor("qa")
            .args(["--json", "import", "nemsis"])
            .arg(&dir)
            .output()
            .unwrap(),
    );
    assert_eq!(
        (again["unchanged"].as_u64(), again["imported"].as_u64()),
        (Some(60), Some(0))
    );
}

#[test]
fn trigger_rules_are_listed_and_changed_by_role() {
    let s = Scratch::new();
    s.init();
    s.add_user("peer", "reviewer");
    let list = s
        .harbor("peer")
        .args(["triggers", "list"])
        .output()
        .unwrap();
    assert_ok(&list);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("long_scene_time") && text.contains("eTimes.06"),
        "{text}"
    );
    let refused = s
        .harbor("peer")
        .args(["triggers", "set", "naloxone", "--disable"])
        .output()
        .unwrap();
    assert_eq!(code(&refused), 6);
    let set = s
        .harbor("admin")
        .args([
            "--json",
            "triggers",
            "set",
            "long_scene_time",
            "--param",
            "minutes=30",
        ])
        .output()
        .unwrap();
    let rule = ok_json(&set);
    assert_eq!(rule["params"][0][1], 30);
    let bad = s
        .harbor("admin")
        .args([
            "triggers",
            "set",
            "long_scene_time",
            "--param",
            "minutes=soon",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&bad), 7);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("whole number"));
}
