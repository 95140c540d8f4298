//! Submission to the real reference PSO over TLS.

use harbor_e2e::*;
use serde_json::json;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn promoted_records_reach_the_pso_once_with_a_verified_receipt() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    let pso = Pso::start(&s.work().join("pso"));
    let token = pso.add_agency("County EMS");

    // An untrusted certificate is refused; with the PSO's certificate, enrolment works.
    let out = s
        .harbor("qa")
        .args(["pso", "enroll", "--url", &pso.url, "--token", &token])
        .output()
        .unwrap();
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("certificate is not trusted"),
        "{}",
        stderr(&out)
    );
    let out = s
        .harbor("qa")
        .args([
            "pso",
            "enroll",
            "--url",
            &pso.url,
            "--token",
            "not-the-token",
            "--ca-cert",
        ])
        .arg(&pso.cert)
        .output()
        .unwrap();
    assert_eq!(
        code(&out),
        14,
        "a wrong token is a permanent refusal: {}",
        stderr(&out)
    );
    let plain = pso.url.replace("https://127.0.0.1", "http://192.0.2.10");
    let out = s
        .harbor("qa")
        .args(["pso", "enroll", "--url", &plain, "--token", &token])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("https"),
        "plain http to a non-loopback host is refused: {}",
        stderr(&out)
    );
    assert_ok(
        &s.harbor("qa")
            .args([
                "pso",
                "enroll",
                "--url",
                &pso.url,
                "--token",
                &token,
                "--ca-cert",
            ])
            .arg(&pso.cert)
            .output()
            .unwrap(),
    );

    let mut ids = Vec::new();
    for n in 0..3 {
        let body = json!({
            "call": {"pcr_number": format!("IDENT-PCR-{n}"), "call_date": "2026-11-02", "unit": "IDENT-UNIT"},
            "status": "closed", "event_type": "near_miss", "recommendations": "IDENT-TEXT Dr. Quince"
        });
        let created = ok_json(&s.run_with_input(
            "qa",
            &["--json", "record", "create", "call_review", "--file", "-"],
            &body.to_string(),
        ));
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let mut args = vec!["--json", "promote"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--profile", "nonidentifiable", "--yes"]);
    let promoted = ok_json(&s.harbor("qa").args(&args).output().unwrap());
    assert_eq!(promoted.as_array().unwrap().len(), 3);

    let sent = ok_json(&s.harbor("qa").args(["--json", "submit"]).output().unwrap());
    assert_eq!(sent["reported"], 3);
    let again = ok_json(&s.harbor("qa").args(["--json", "submit"]).output().unwrap());
    assert!(again["submission_id"].is_null(), "nothing left to send");

    // The PSO holds each item once, decrypted equal to the frozen snapshots, and no
    // identifying value of the records.
    let stored = pso.stored();
    for item in promoted.as_array().unwrap() {
        let snapshot = s
            .harbor("qa")
            .args(["outbox", "show", item["id"].as_str().unwrap()])
            .output()
            .unwrap();
        let snapshot = String::from_utf8_lossy(&snapshot.stdout).trim().to_owned();
        assert_eq!(
            stored.matches(&snapshot).count(),
            1,
            "item stored exactly once"
        );
    }
    for ident in ["IDENT-PCR", "IDENT-UNIT", "IDENT-TEXT", "Quince", "11-02"] {
        assert!(!stored.contains(ident), "{ident} reached the PSO");
    }
    let pso_db = std::fs::read(pso.data.join("pso.db")).unwrap();
    assert!(
        !String::from_utf8_lossy(&pso_db).contains("IDENT-"),
        "no identifying byte stored"
    );

    // The ledger says reported, with the submission and the receipt's hash.
    let history = ok_json(
        &s.harbor("qa")
            .args(["--json", "record", "history", &ids[0]])
            .output()
            .unwrap(),
    );
    assert_eq!(history["meta"]["pses_state"], "reported");
    let reported = history["pses_events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "reported")
        .unwrap();
    assert_eq!(reported["detail"]["submission_id"], sent["submission_id"]);
    // Reported is final: no drop-out.
    let out = s
        .harbor("qa")
        .args(["dropout", &ids[0], "--reason", "x"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 9);
    let list = ok_json(
        &s.harbor("qa")
            .args(["--json", "submissions"])
            .output()
            .unwrap(),
    );
    assert_eq!(list[0]["state"], "committed");
}
