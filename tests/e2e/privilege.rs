//! The privilege log through the CLI, over a record's whole life against the real PSO:
//! imported and flagged, reviewed, revised, promoted, sent in a case packet, disclosed
//! outside Harbor, reported; another dropped out; a case note beside them. The CSV, JSON
//! and PDF hold the same facts, and no field content of any record (canaries planted in
//! every free-text field).

use harbor_e2e::*;
use serde_json::{Value, json};
use std::path::Path;

fn json_of(s: &Scratch, user: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    ok_json(&s.harbor(user).args(&all).output().unwrap())
}

fn secs(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap()
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn sha256sum(bytes: &[u8]) -> String {
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(bytes)?;
            c.wait_with_output()
        })
        .unwrap();
    String::from_utf8_lossy(&out.stdout)[..64].to_owned()
}

fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_records_whole_life_is_in_the_privilege_log_in_every_form_without_its_content() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    s.add_user("md", "medical_director");
    let pso = Pso::start(&s.work().join("pso"));
    let token = pso.add_agency("County EMS");
    assert_ok(&s.enroll("qa", &pso, &token));

    // Imported and flagged: every call gets a review.
    let nemsis = s.work().join("nemsis");
    assert_ok(
        &s.harbor("qa")
            .args([
                "demo",
                "generate-nemsis",
                "--count",
                "3",
                "--seed",
                "11",
                "--out",
            ])
            .arg(&nemsis)
            .output()
            .unwrap(),
    );
    assert_ok(
        &s.harbor("qa")
            .args(["--json", "import", "nemsis", "--review", "all"])
            .arg(&nemsis)
            .output()
            .unwrap(),
    );
    let reviews = json_of(&s, "qa", &["record", "list", "--kind", "call_review"]);
    let reviews: Vec<String> = reviews["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reviews.len(), 3);
    let (a, b) = (&reviews[0], &reviews[1]);

    // Reviewed and revised, with a canary in every free-text field.
    let mut body = json_of(&s, "qa", &["record", "show", a])["body"].clone();
    let mut canaries: Vec<String> = vec![
        body["call"]["pcr_number"].as_str().unwrap().to_owned(),
        body["call"]["unit"].as_str().unwrap().to_owned(),
    ];
    let mut plant = |what: &str| {
        let c = format!("CANARY-{what}-9d1e");
        canaries.push(c.clone());
        c
    };
    body["status"] = json!("in_progress");
    body["recommendations"] = json!(plant("REC"));
    body["contributing_factors"] = json!([plant("FACTOR")]);
    body["protocol_findings"] = json!([{"protocol": plant("PROTOCOL"), "compliance": "deviation", "comment": plant("COMMENT")}]);
    let file = s.work().join("a.json");
    std::fs::write(&file, body.to_string()).unwrap();
    assert_ok(
        &s.harbor("qa")
            .args(["record", "update", a, "--file"])
            .arg(&file)
            .output()
            .unwrap(),
    );
    // A deliberation about it.
    let note = json!({"subject": a, "clinical_assessment": plant("ASSESSMENT"), "standard_of_care": "met", "recommendations": plant("NOTE-REC")});
    let note_id = s.create_record("md", "case_note", &note);
    // Another review is dropped out.
    assert_ok(
        &s.harbor("qa")
            .args(["dropout", b, "--reason", "duplicate of another review"])
            .output()
            .unwrap(),
    );

    // Sent in a case packet to the medical director's laptop.
    let laptop = Scratch::new();
    laptop.init();
    let identity = json_of(&laptop, "admin", &["device", "show"]);
    assert_ok(
        &s.harbor("qa")
            .args([
                "contact",
                "add",
                "okafor-laptop",
                identity["identity"].as_str().unwrap(),
            ])
            .output()
            .unwrap(),
    );
    let packet = s.work().join("to-laptop.hpk");
    assert_ok(
        &s.harbor("qa")
            .args([
                "packet",
                "export",
                "--to",
                "okafor-laptop",
                "--records",
                a,
                "--purpose",
                &plant("PURPOSE"),
                "--out",
            ])
            .arg(&packet)
            .output()
            .unwrap(),
    );
    // Disclosed outside Harbor, then promoted and reported.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_ok(
        &s.harbor("qa")
            .args([
                "disclosure",
                "record",
                a,
                "--to",
                "Hale & Ortiz LLP",
                "--exception",
                "business_operations",
                "--date",
                &today,
                "--note",
                &plant("DISCLOSURE-NOTE"),
            ])
            .output()
            .unwrap(),
    );
    assert_ok(
        &s.harbor("qa")
            .args(["promote", a, "--profile", "identifiable", "--yes"])
            .output()
            .unwrap(),
    );
    let sent = json_of(&s, "qa", &["submit"]);
    assert_eq!(sent["reported"], 1);

    // The log, three ways.
    let out = s.work().join("log");
    std::fs::create_dir(&out).unwrap();
    let mut written = Vec::new();
    for format in ["json", "csv", "pdf"] {
        let path = out.join(format!("privilege.{format}"));
        let w = json_of(
            &s,
            "qa",
            &[
                "privilege",
                "log",
                "--records",
                a,
                b,
                &note_id,
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(w["records"], 3);
        written.push(path);
    }
    let log: Value = serde_json::from_slice(&std::fs::read(&written[0]).unwrap()).unwrap();
    let csv = std::fs::read_to_string(&written[1]).unwrap();
    let pdf = pdftotext(&written[2]);

    let record = |id: &str| {
        log["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let facts = |id: &str| -> Vec<String> {
        record(id)["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fact"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        facts(a),
        // The disclosure recorded with today's date counts from the record's entry.
        [
            "entered_pses",
            "revision",
            "disclosed",
            "revision",
            "disclosed",
            "promoted_pswp",
            "disclosed",
            "reported"
        ],
        "{:#}",
        record(a)
    );
    let ra = record(a);
    assert_eq!(ra["policy_version"], 1);
    assert_eq!(ra["deliberation"], false);
    let reported = ra["facts"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(reported["reference"], sent["submission_id"]);
    assert_eq!(reported["pso_signature"].as_str().unwrap().len(), 128);
    let permissions: Vec<&str> = ra["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["permission"].as_str())
        .collect();
    assert_eq!(permissions, ["business_operations", "within_pses", "pso"]);
    assert_eq!(facts(b), ["entered_pses", "revision", "dropped_out"]);
    assert_eq!(
        record(b)["facts"][2]["reason"],
        "duplicate of another review"
    );
    assert_eq!(record(&note_id)["deliberation"], true);
    assert_eq!(log["audit"]["verified"], true);
    assert!(log["audit"]["pso_anchor"]["audit_head"].is_string());

    // The CSV and the PDF hold every fact the JSON has: the record id, the time, the hash.
    let csv_lines: Vec<&str> = csv.lines().collect();
    assert_eq!(csv_lines[0].split(',').count(), 22);
    let mut checked = 0;
    for r in log["records"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        assert!(pdf.contains(id), "{id} not in the PDF");
        for f in r["facts"].as_array().unwrap() {
            let at = secs(f["at"].as_str().unwrap());
            let kind = f["fact"].as_str().unwrap();
            let row = csv_lines
                .iter()
                .find(|l| {
                    // No cell of these rows holds a comma.
                    let cells: Vec<&str> = l.split(',').collect();
                    cells[0] == id
                        && cells[6] == kind
                        && cells[7] == at
                        && f["hash"].as_str().is_none_or(|h| cells[12] == h)
                })
                .unwrap_or_else(|| panic!("no CSV row for {id} {kind} {at}"));
            assert!(pdf.contains(&at), "{at} not in the PDF");
            for key in ["hash", "receipt_sha256"] {
                if let Some(h) = f[key].as_str() {
                    assert!(row.contains(h), "{h} not in the CSV row {row}");
                    assert!(pdf.contains(h), "{key} {h} not in the PDF");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(csv_lines.len() - 1, checked, "one CSV row per fact");
    // The PDF's cover names the audit head it was made at: the row before its own
    // `privilege.log` row.
    let audit = json_of(&s, "qa", &["audit", "log", "--limit", "100000"]);
    let last = audit
        .as_array()
        .unwrap()
        .iter()
        .rfind(|r| r["action"] == "privilege.log")
        .unwrap();
    assert_eq!(last["detail"]["format"], "pdf");
    assert!(
        pdf.contains(last["prev_hash"].as_str().unwrap()),
        "the audit head"
    );
    assert_eq!(
        last["detail"]["sha256"],
        sha256sum(&std::fs::read(&written[2]).unwrap())
    );
    for p in log["policy_versions"].as_array().unwrap() {
        assert!(pdf.contains(p["sha256"].as_str().unwrap()));
    }
    let info = std::process::Command::new("pdfinfo")
        .arg(&written[2])
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo names the pages");
    assert!(pages >= 2, "a cover, then the records: {info}");
    for n in 1..=pages {
        assert!(
            pdf.contains(&format!("page {n} of {pages}")),
            "page {n}: {pdf}"
        );
    }

    // No content of any record, in any form.
    let bytes: Vec<(String, String)> = written
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned(),
            )
        })
        .chain([("pdftotext".to_owned(), pdf.clone())])
        .collect();
    for (name, text) in &bytes {
        for c in &canaries {
            assert!(!text.contains(c.as_str()), "{c} in {name}");
        }
    }
}

#[test]
fn the_log_is_refused_without_a_scope_for_an_epcr_and_for_a_reviewer() {
    let s = Scratch::new();
    s.init();
    s.add_user("peer", "reviewer");
    let out = s.work().join("log.csv");
    let run = |user: &str, args: &[&str]| {
        s.harbor(user)
            .args(["privilege", "log"])
            .args(args)
            .args(["--format", "csv", "--out"])
            .arg(&out)
            .output()
            .unwrap()
    };
    let none = run("admin", &[]);
    assert_eq!(
        none.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    assert!(String::from_utf8_lossy(&none.stderr).contains("say which records"));
    let peer = run("peer", &["--all"]);
    assert_eq!(peer.status.code(), Some(6));
    let bad = s
        .harbor("admin")
        .args(["privilege", "log", "--all", "--format", "docx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(7));
    assert!(!out.exists(), "nothing written");
    // An existing file is never overwritten.
    std::fs::write(&out, "keep me").unwrap();
    let again = run("admin", &["--all"]);
    assert_eq!(
        again.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}
