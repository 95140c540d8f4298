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
    let out = s.enroll("qa", &pso, "not-the-token");
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
    assert_ok(&s.enroll("qa", &pso, &token));

    let mut ids = Vec::new();
    for n in 0..3 {
        let body = json!({
            "call": {"pcr_number": format!("IDENT-PCR-{n}"), "call_date": "2026-11-02", "unit": "IDENT-UNIT"},
            "status": "closed", "event_type": "near_miss", "recommendations": "IDENT-TEXT Dr. Quince"
        });
        ids.push(s.create_record("qa", "call_review", &body));
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
    // Every file of the PSO's data folder: its database and the uploaded parts.
    assert_eq!(
        find_canaries(&files_under(&pso.data), &["IDENT-"]),
        vec![],
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

    // The disclosure log holds the submission once: to the PSO, under 3.206(b)(4)(i),
    // naming the three records.
    let log = ok_json(
        &s.harbor("qa")
            .args(["--json", "disclosure", "list"])
            .output()
            .unwrap(),
    );
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["channel"], "pso_submission");
    assert_eq!(log[0]["permission"], "pso");
    assert_eq!(log[0]["reference"], sent["submission_id"]);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(log[0]["records"], json!(sorted));
}

#[test]
fn a_submission_cut_off_by_a_dead_pso_resumes_and_arrives_exactly_once() {
    let s = Scratch::new();
    s.init();
    let mut pso = Pso::start(&s.work().join("pso"));
    let ids = promote_two(&s, &pso);

    // The PSO dies: the submission is recorded in the vault, nothing is reported.
    let port = pso.port();
    pso.kill();
    let out = s.harbor("admin").args(["submit"]).output().unwrap();
    assert_eq!(code(&out), 15, "{}", stderr(&out));
    assert_eq!(state_of(&s, &ids[0]), "queued");
    let open = ok_json(
        &s.harbor("admin")
            .args(["--json", "submissions"])
            .output()
            .unwrap(),
    );
    assert_eq!(open[0]["state"], "open");

    // It comes back on the same address: the next submit resumes the same submission.
    let pso = Pso::serve_on(&pso.data.clone(), &format!("127.0.0.1:{port}"));
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["resumed"], true);
    assert_eq!(sent["reported"], 2);
    assert_eq!(sent["submission_id"], open[0]["id"]);
    let stored = pso.stored();
    for id in &ids {
        assert_eq!(
            stored.matches(id.as_str()).count(),
            2,
            "record {id} stored once (its id appears in the item line and the snapshot)"
        );
    }
    assert_eq!(state_of(&s, &ids[1]), "reported");
}

fn promote_two(s: &Scratch, pso: &Pso) -> Vec<String> {
    let token = pso.add_agency("County EMS");
    assert_ok(&s.enroll("admin", pso, &token));
    let mut ids = Vec::new();
    for n in 0..2 {
        let body = json!({"call": {"pcr_number": format!("T-{n}"), "call_date": "2026-11-02"}, "status": "closed"});
        ids.push(s.create_record("admin", "call_review", &body));
    }
    let mut args = vec!["promote"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--profile", "identifiable", "--yes"]);
    assert_ok(&s.harbor("admin").args(&args).output().unwrap());
    ids
}

#[test]
fn server_errors_are_retried_and_a_lost_commit_answer_does_not_duplicate() {
    let s = Scratch::new();
    s.init();
    // 503 on the manifest, 500 twice on chunks, 503 on commit, then a commit that is
    // stored but whose answer is lost (503 after storing).
    let pso = Pso::start_with_faults(
        &s.work().join("pso"),
        "manifest=503x1,chunk=500x2,commit=503x1,commit_after_store=503x1",
    );
    let ids = promote_two(&s, &pso);
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 2);
    assert_eq!(
        pso.fired_faults(),
        [
            "manifest 503",
            "chunk 500",
            "chunk 500",
            "commit 503",
            "commit_after_store 503"
        ],
        "every fault happened"
    );
    let stored = pso.stored();
    for id in &ids {
        assert_eq!(
            stored.matches(id.as_str()).count(),
            2,
            "record {id} stored exactly once"
        );
    }
}

#[test]
fn a_permanent_refusal_loses_nothing_and_a_later_submit_works() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start_with_faults(&s.work().join("pso"), "manifest=422x1");
    let ids = promote_two(&s, &pso);
    let out = s.harbor("admin").args(["submit"]).output().unwrap();
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("422") && stderr(&out).contains("injected fault"),
        "the server's reason is shown: {}",
        stderr(&out)
    );
    assert_eq!(
        state_of(&s, &ids[0]),
        "queued",
        "nothing lost, nothing reported"
    );
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        (sent["reported"].as_u64(), sent["resumed"].as_bool()),
        (Some(2), Some(true))
    );
}

/// The attacker's test: a PSO started by someone who can set its environment (a service
/// unit, a shared host) is asked for faults. Only the test build reads them; the binary
/// people run answers as if nothing was asked.
#[test]
fn a_build_without_fault_injection_ignores_harbor_pso_faults() {
    const ASKED: &str = "manifest=422x1,chunk=500x3,commit=503x3,tamper_receipt=200x1";
    // The control: the test build, asked the same, refuses the first submit.
    let control = Scratch::new();
    control.init();
    let faulty = Pso::start_with_faults(&control.work().join("pso"), ASKED);
    promote_two(&control, &faulty);
    let out = control.harbor("admin").args(["submit"]).output().unwrap();
    assert_eq!(code(&out), 14, "the fault build injects: {}", stderr(&out));

    let s = Scratch::new();
    s.init();
    let pso = Pso::start_normal_build_asked_for_faults(&s.work().join("pso"), ASKED);
    let ids = promote_two(&s, &pso);
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        (sent["reported"].as_u64(), sent["resumed"].as_bool()),
        (Some(2), Some(false)),
        "submitted at the first try: {sent}"
    );
    assert_eq!(state_of(&s, &ids[0]), "reported");
}

#[test]
fn another_agency_cannot_see_replay_or_commit_a_submission() {
    let a = Scratch::new();
    a.init();
    let pso = Pso::start(&a.work().join("pso"));
    promote_two(&a, &pso);
    let sent = ok_json(
        &a.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    let id = sent["submission_id"].as_str().unwrap().to_owned();
    let rows = ok_json(
        &a.harbor("admin")
            .args(["--json", "submissions"])
            .output()
            .unwrap(),
    );
    let manifest: serde_json::Value =
        serde_json::from_str(rows[0]["manifest"].as_str().unwrap()).unwrap();

    // A second agency, enrolled with its own vault and key.
    let b = Scratch::new();
    b.init();
    let token_b = pso.add_agency("Other EMS");
    assert_ok(&b.enroll("admin", &pso, &token_b));

    let cert = reqwest::Certificate::from_pem(&std::fs::read(&pso.cert).unwrap()).unwrap();
    let http = reqwest::blocking::Client::builder()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let url = |path: &str| format!("{}v1/submissions/{id}{path}", pso.url);
    let status = |r: reqwest::blocking::Response| r.status().as_u16();
    assert_eq!(
        status(http.get(url("")).bearer_auth(&token_b).send().unwrap()),
        404,
        "another agency's submission is not found"
    );
    assert_eq!(
        status(
            http.post(url("/commit"))
                .bearer_auth(&token_b)
                .send()
                .unwrap()
        ),
        404
    );
    assert_eq!(
        status(
            http.put(url(""))
                .bearer_auth(&token_b)
                .json(&manifest)
                .send()
                .unwrap()
        ),
        422,
        "a replayed manifest does not verify with the other agency's key"
    );
    assert_eq!(
        status(http.get(url("")).send().unwrap()),
        401,
        "no token, no answer"
    );
    // The stored submission is untouched.
    let stored = pso.stored();
    assert_eq!(stored.matches(&id).count(), 2);
}

#[test]
fn a_receipt_that_does_not_verify_is_rejected_and_nothing_is_marked_reported() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start_with_faults(&s.work().join("pso"), "tamper_receipt=200x1");
    let ids = promote_two(&s, &pso);
    let out = s.harbor("admin").args(["submit"]).output().unwrap();
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("receipt is rejected"),
        "{}",
        stderr(&out)
    );
    assert_eq!(state_of(&s, &ids[0]), "queued");
    // The PSO's own stored receipt is intact: the next submit gets it and verifies it.
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 2);
}

#[allow(unsafe_code)]
fn sigkill(pid: u32) {
    // SAFETY: sends a signal to our own child process by pid; no memory is touched.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}

/// The client killed with SIGKILL at random moments of `harbor submit`, 50 times or more: after
/// a final submit every promoted record is reported and the PSO holds each item once.
#[test]
fn a_client_killed_at_random_moments_still_delivers_exactly_once() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    let mut ids = promote_two(&s, &pso);
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("client kill test seed {seed}");
    let mut cut_mid_submission = 0;
    // At least 50 kills, and more (up to 200) until 5 have landed mid-submission: on a
    // loaded machine the unlock alone can outlast the first kills.
    let mut round = 0;
    while round < 50 || (cut_mid_submission < 5 && round < 200) {
        round += 1;
        let body = json!({"call": {"pcr_number": format!("K-{round}"), "call_date": "2026-11-02"}, "status": "closed"});
        let id = s.create_record("admin", "call_review", &body);
        assert_ok(
            &s.harbor("admin")
                .args(["promote", &id, "--profile", "identifiable", "--yes"])
                .output()
                .unwrap(),
        );
        ids.push(id);
        let mut child = s
            .harbor("admin")
            .arg("submit")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(std::time::Duration::from_millis(20 + seed % 200));
        sigkill(child.id());
        let _ = child.wait();
        let rows = ok_json(
            &s.harbor("admin")
                .args(["--json", "submissions"])
                .output()
                .unwrap(),
        );
        if rows
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["state"] == "open")
        {
            cut_mid_submission += 1;
        }
    }
    println!("{cut_mid_submission} of {round} kills left a submission open");
    assert!(
        cut_mid_submission >= 5,
        "too few kills landed mid-submission: {cut_mid_submission}"
    );
    // Recovery: submit until nothing is left.
    for _ in 0..5 {
        let sent = ok_json(
            &s.harbor("admin")
                .args(["--json", "submit"])
                .output()
                .unwrap(),
        );
        if sent["submission_id"].is_null() {
            break;
        }
    }
    let stored = pso.stored();
    for id in &ids {
        assert_eq!(
            stored.matches(id.as_str()).count(),
            2,
            "record {id} stored exactly once"
        );
        let history = ok_json(
            &s.harbor("admin")
                .args(["--json", "record", "history", id])
                .output()
                .unwrap(),
        );
        assert_eq!(history["meta"]["pses_state"], "reported", "record {id}");
    }
    let verify = ok_json(
        &s.harbor("admin")
            .args(["--json", "audit", "verify"])
            .output()
            .unwrap(),
    );
    assert!(verify["first_bad"].is_null());
}

#[test]
fn attachments_travel_sealed_with_identifiable_records_and_arrive_intact() {
    let s = Scratch::new();
    s.init();
    // Two chunk failures on the way: the blob upload resumes from what the server holds.
    let pso = Pso::start_with_faults(&s.work().join("pso"), "chunk=500x2");
    let token = pso.add_agency("County EMS");
    assert_ok(&s.enroll("admin", &pso, &token));

    // Three records with attachments: one empty, one of a few bytes, one over several
    // sealed segments and upload pieces (2.5 MiB).
    let sizes = [0usize, 11, 2_621_447];
    let mut ids = Vec::new();
    let mut files = Vec::new();
    for (n, size) in sizes.iter().enumerate() {
        let body = json!({"call": {"pcr_number": format!("A-{n}"), "call_date": "2026-11-02"}, "status": "closed"});
        let id = s.create_record("admin", "call_review", &body);
        let content: Vec<u8> = (0..*size).map(|i| (i * 31 + n) as u8).collect();
        let path = s.work().join(format!("ecg-strip-{n}.bin"));
        std::fs::write(&path, &content).unwrap();
        assert_ok(
            &s.harbor("admin")
                .args(["attach", &id])
                .arg(&path)
                .output()
                .unwrap(),
        );
        ids.push(id);
        files.push(content);
    }
    // The preview names every attachment that leaves.
    let mut args = vec!["promote"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--profile", "identifiable", "--dry-run"]);
    let out = s.harbor("admin").args(&args).output().unwrap();
    assert_ok(&out);
    let preview = String::from_utf8_lossy(&out.stdout);
    assert_eq!(preview.matches("leaves with it").count(), 3, "{preview}");
    args.pop();
    args.push("--yes");
    assert_ok(&s.harbor("admin").args(&args).output().unwrap());

    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 3);
    assert_eq!(pso.fired_faults(), ["chunk 500", "chunk 500"]);

    // The PSO opened each attachment once, with the content and hash of the original.
    let (listing, received) = pso.stored_attachments(&s.work().join("pso-attachments"));
    assert_eq!(listing.matches("  attachment ").count(), 3, "{listing}");
    assert_eq!(received, files, "every attachment arrived intact, once");

    // The receipt acknowledged the blobs: the vault's submission lists their hashes.
    let list = ok_json(
        &s.harbor("admin")
            .args(["--json", "submissions"])
            .output()
            .unwrap(),
    );
    let receipt: serde_json::Value =
        serde_json::from_str(list[0]["receipt"].as_str().unwrap()).unwrap();
    assert_eq!(receipt["receipt"]["items"].as_array().unwrap().len(), 6);
}

#[test]
fn the_nonidentifiable_profile_withholds_attachments_and_says_so() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    let token = pso.add_agency("County EMS");
    assert_ok(&s.enroll("admin", &pso, &token));
    let body =
        json!({"call": {"pcr_number": "W-1", "call_date": "2026-11-02"}, "status": "closed"});
    let id = s.create_record("admin", "call_review", &body);
    let path = s.work().join("photo-of-IDENT-PATIENT.txt");
    std::fs::write(&path, "IDENT-PATIENT-NAME on the strip").unwrap();
    assert_ok(
        &s.harbor("admin")
            .args(["attach", &id])
            .arg(&path)
            .output()
            .unwrap(),
    );
    let out = s
        .harbor("admin")
        .args(["promote", &id, "--profile", "nonidentifiable", "--yes"])
        .output()
        .unwrap();
    assert_ok(&out);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("withheld") && report.contains("/attachments/0"),
        "{report}"
    );
    assert_ok(&s.harbor("admin").args(["submit"]).output().unwrap());
    let stored = pso.stored();
    assert!(!stored.contains("  attachment "), "{stored}");
    assert_eq!(
        find_canaries(&files_under(&pso.data), &["IDENT-PATIENT"]),
        vec![]
    );
}

fn state_of(s: &Scratch, id: &str) -> String {
    let history = ok_json(
        &s.harbor("admin")
            .args(["--json", "record", "history", id])
            .output()
            .unwrap(),
    );
    history["meta"]["pses_state"].as_str().unwrap().to_owned()
}

fn assert_stored_once(pso: &Pso, ids: &[String]) {
    let stored = pso.stored();
    for id in ids {
        assert_eq!(
            stored.matches(id.as_str()).count(),
            2,
            "record {id} stored exactly once (item line and snapshot)"
        );
    }
}

#[test]
fn each_permanent_refusal_is_explained_loses_nothing_and_a_later_submit_works() {
    for (fault, status) in [
        ("manifest=400x1", 400),
        ("commit=403x1", 403),
        ("chunk=413x1", 413),
        ("commit=422x1", 422),
    ] {
        let s = Scratch::new();
        s.init();
        let pso = Pso::start_with_faults(&s.work().join("pso"), fault);
        let ids = promote_two(&s, &pso);
        let out = s.harbor("admin").args(["submit"]).output().unwrap();
        assert_eq!(code(&out), 14, "{fault}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("refused ({status}")) && err.contains("injected fault"),
            "{fault}: the status and the server's reason are shown: {err}"
        );
        assert!(
            err.contains("nothing is lost") || err.contains("stay queued"),
            "{err}"
        );
        assert_eq!(state_of(&s, &ids[0]), "queued", "{fault}: nothing reported");
        // The cause is gone (the fault was one-off): the same submission goes through.
        let sent = ok_json(
            &s.harbor("admin")
                .args(["--json", "submit"])
                .output()
                .unwrap(),
        );
        assert_eq!(sent["reported"], 2, "{fault}");
        assert_eq!(pso.fired_faults().len(), 1, "{fault} happened once");
        assert_stored_once(&pso, &ids);
    }
}

#[test]
fn a_revoked_token_is_a_clear_401_and_enrolling_with_the_new_one_resumes() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    let (agency, token) = pso.add_agency_with_id("County EMS");
    assert_ok(&s.enroll("admin", &pso, &token));
    let body =
        json!({"call": {"pcr_number": "R-1", "call_date": "2026-11-02"}, "status": "closed"});
    let id = s.create_record("admin", "call_review", &body);
    assert_ok(
        &s.harbor("admin")
            .args(["promote", &id, "--profile", "identifiable", "--yes"])
            .output()
            .unwrap(),
    );
    let new_token = pso.rotate_token(&agency);
    let out = s.harbor("admin").args(["submit"]).output().unwrap();
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("401") && stderr(&out).contains("unknown token"),
        "{}",
        stderr(&out)
    );
    assert_eq!(state_of(&s, &id), "queued");
    assert_ok(&s.enroll("admin", &pso, &new_token));
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 1);
    assert_stored_once(&pso, &[id]);
}

#[test]
fn a_request_that_times_out_after_the_server_stored_it_is_retried_without_a_duplicate() {
    let s = Scratch::new();
    s.init();
    // The server stores a chunk and answers 3 s later; the client gives up after 1 s.
    let pso = Pso::start_with_faults(&s.work().join("pso"), "chunk_stall=3x1");
    assert_ok(
        &s.harbor("admin")
            .args(["settings", "set", "pso_timeout_seconds", "1"])
            .output()
            .unwrap(),
    );
    let ids = promote_two(&s, &pso);
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 2);
    assert_eq!(pso.fired_faults(), ["chunk_stall 3"], "the stall happened");
    assert_stored_once(&pso, &ids);
}

#[test]
fn a_connection_cut_in_the_middle_of_a_chunk_resumes_and_the_attachment_arrives_intact() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    // Cut the first two connections that carry more than 1.5 MB from the client.
    let proxy = CutProxy::start(pso.port(), 1_500_000, 2);
    let token = pso.add_agency("County EMS");
    let url = format!("https://127.0.0.1:{}/", proxy.port);
    let out = s
        .harbor("admin")
        .args([
            "pso",
            "enroll",
            "--url",
            &url,
            "--token",
            &token,
            "--ca-cert",
        ])
        .arg(&pso.cert)
        .output()
        .unwrap();
    assert_ok(&out);
    let body =
        json!({"call": {"pcr_number": "C-1", "call_date": "2026-11-02"}, "status": "closed"});
    let id = s.create_record("admin", "call_review", &body);
    let content: Vec<u8> = (0..4_000_000u32).map(|i| (i % 251) as u8).collect();
    let path = s.work().join("monitor-export.bin");
    std::fs::write(&path, &content).unwrap();
    assert_ok(
        &s.harbor("admin")
            .args(["attach", &id])
            .arg(&path)
            .output()
            .unwrap(),
    );
    assert_ok(
        &s.harbor("admin")
            .args(["promote", &id, "--profile", "identifiable", "--yes"])
            .output()
            .unwrap(),
    );
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 1);
    assert_eq!(proxy.cuts(), 2, "the proxy cut two connections mid-request");
    assert!(proxy.bytes() > content.len() as u64);
    assert_stored_once(&pso, std::slice::from_ref(&id));
    let (_, received) = pso.stored_attachments(&s.work().join("pso-attachments"));
    assert_eq!(received.len(), 1);
    assert!(received[0] == content, "arrived intact");
}

#[test]
fn a_name_typed_into_a_protocol_finding_or_a_trigger_rule_never_reaches_the_pso() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    let token = pso.add_agency("County EMS");
    assert_ok(&s.enroll("admin", &pso, &token));
    let body = json!({
        "call": {"pcr_number": "P-1", "call_date": "2026-11-02"},
        "status": "closed", "event_type": "near_miss",
        "triggers": [{"rule": "called_in_by_Ozymandias_Vance", "detail": ""}],
        "protocol_findings": [{"protocol": "Airway 3.1, medic Bellatrix Quorn", "compliance": "deviation", "comment": ""}],
    });
    let id = s.create_record("admin", "call_review", &body);
    assert_ok(
        &s.harbor("admin")
            .args(["promote", &id, "--profile", "nonidentifiable", "--yes"])
            .output()
            .unwrap(),
    );
    assert_ok(&s.harbor("admin").args(["submit"]).output().unwrap());
    let stored = pso.stored();
    assert!(stored.contains("deviation"), "the item arrived: {stored}");
    for name in ["Ozymandias", "Vance", "Bellatrix", "Quorn"] {
        assert!(!stored.contains(name), "{name} reached the PSO: {stored}");
    }
    assert_eq!(
        find_canaries(&files_under(&pso.data), &["Ozymandias", "Bellatrix"]),
        vec![],
        "no byte of the names stored"
    );
}

/// What an agency reading its feedback can say about the others' count in one cell: the
/// others' cell where it is shown, or all agencies' minus its own where the answer gives
/// a total that includes it.
fn others_cell(f: &serde_json::Value, group: &str, value: &str) -> Option<u64> {
    let mine = f["agency"][group][value].as_u64().unwrap_or(0);
    f["other_agencies"][group][value]
        .as_u64()
        .or_else(|| f["all_agencies"][group][value].as_u64()?.checked_sub(mine))
}

#[test]
fn an_agency_cannot_recover_another_agencys_feedback_cell_by_subtraction() {
    let pso_home = Scratch::new();
    let pso = Pso::start(&pso_home.work().join("pso"));
    let send = |name: &str, events: &[&str]| {
        let s = Scratch::new();
        s.init();
        let token = pso.add_agency(name);
        assert_ok(&s.enroll("admin", &pso, &token));
        let mut args = vec!["promote".to_owned()];
        for (n, event) in events.iter().enumerate() {
            let body = json!({"call": {"pcr_number": format!("F-{n}"), "call_date": "2026-11-02"},
                              "status": "closed", "event_type": event, "harm": {"level": "no_harm"}});
            args.push(s.create_record("admin", "call_review", &body));
        }
        args.extend(["--profile", "nonidentifiable", "--yes"].map(String::from));
        assert_ok(&s.harbor("admin").args(&args).output().unwrap());
        assert_ok(&s.harbor("admin").args(["submit"]).output().unwrap());
        s
    };
    // Twelve events: above any cell-size threshold, so only the rules on "the others"
    // can protect them.
    let a = send("County EMS", &["near_miss"; 12]);
    let b = send("Valley Air", &["incident"]);

    let fb = ok_json(
        &b.harbor("admin")
            .args(["--json", "pso", "feedback"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        fb["agency"]["event_type"]["incident"], 1,
        "its own counts: {fb}"
    );
    for (group, value) in [
        ("event_type", "near_miss"),
        ("kind", "call_review"),
        ("harm", "no_harm"),
    ] {
        assert_eq!(
            others_cell(&fb, group, value),
            None,
            "Valley Air reads County EMS's {group} {value}: {fb}"
        );
    }
    assert!(
        fb["other_agencies_reporting"].is_null() && fb["agencies_reporting"].is_null(),
        "the count of agencies does not say who the others are: {fb}"
    );
    let fa = ok_json(
        &a.harbor("admin")
            .args(["--json", "pso", "feedback"])
            .output()
            .unwrap(),
    );
    assert_eq!(fa["agency"]["event_type"]["near_miss"], 12);
    assert_eq!(others_cell(&fa, "event_type", "incident"), None, "{fa}");
    // The words version says why nothing of the others is shown.
    let out = a
        .harbor("admin")
        .args(["pso", "feedback"])
        .output()
        .unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("fewer than 3 other agencies") && text.contains("event type"),
        "{text}"
    );
}

#[test]
fn a_record_changed_after_its_report_goes_again_as_an_amendment_linked_to_the_first() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    let ids = promote_two(&s, &pso);
    let first = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(first["reported"], 2);
    // Reported and unchanged: refused.
    let out = s
        .harbor("admin")
        .args(["promote", &ids[0], "--profile", "identifiable", "--yes"])
        .output()
        .unwrap();
    assert_ne!(
        code(&out),
        0,
        "an unchanged reported record is not sent again"
    );

    // The review is corrected after the report, then promoted again: an amendment.
    let body = json!({"call": {"pcr_number": "T-0", "call_date": "2026-11-02"}, "status": "closed",
                      "recommendations": "Corrected after the medical director's review"});
    let out = s.run_with_input(
        "admin",
        &["record", "update", &ids[0], "--file", "-"],
        &body.to_string(),
    );
    assert_ok(&out);
    let promoted = ok_json(
        &s.harbor("admin")
            .args([
                "--json",
                "promote",
                &ids[0],
                "--profile",
                "identifiable",
                "--yes",
            ])
            .output()
            .unwrap(),
    );
    let earlier: Vec<serde_json::Value> = ok_json(
        &s.harbor("admin")
            .args(["--json", "outbox", "list"])
            .output()
            .unwrap(),
    )
    .as_array()
    .unwrap()
    .iter()
    .filter(|i| i["record_id"] == ids[0].as_str() && i["state"] == "reported")
    .cloned()
    .collect();
    assert_eq!(earlier.len(), 1);
    assert_eq!(
        promoted[0]["amends"], earlier[0]["id"],
        "linked to the first report"
    );
    assert_eq!(state_of(&s, &ids[0]), "amendment_queued");

    let second = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(second["reported"], 1);
    assert_ne!(second["submission_id"], first["submission_id"]);
    assert_eq!(state_of(&s, &ids[0]), "reported");
    // The PSO holds both versions, the amendment naming the item it amends.
    let stored = pso.stored();
    assert_eq!(stored.matches(ids[0].as_str()).count(), 4, "{stored}");
    assert!(stored.contains("Corrected after the medical director's review"));
    assert!(
        stored.contains(&format!("amends {}", earlier[0]["id"].as_str().unwrap())),
        "{stored}"
    );
}

#[test]
fn an_impostor_with_the_psos_database_and_certificate_but_not_its_keys_reads_and_acknowledges_nothing()
 {
    let s = Scratch::new();
    s.init();
    let mut pso = Pso::start(&s.work().join("pso"));
    let ids = promote_two(&s, &pso);
    let port = pso.port();
    pso.kill();
    // The impostor: the PSO's database (tokens, enrolled keys) and its TLS certificate,
    // but key pairs of its own.
    let impostor = s.work().join("impostor");
    let out = std::process::Command::new(pso_bin())
        .args(["init", "--data"])
        .arg(&impostor)
        .output()
        .unwrap();
    assert_ok(&out);
    // Everything but the key file: the database, the uploaded parts, the certificate.
    for from in files_under(&pso.data) {
        let f = from.strip_prefix(&pso.data).unwrap();
        if f != std::path::Path::new("pso-keys.json") {
            std::fs::create_dir_all(impostor.join(f).parent().unwrap()).unwrap();
            std::fs::copy(&from, impostor.join(f)).unwrap();
        }
    }
    let fake = Pso::serve_on(&impostor, &format!("127.0.0.1:{port}"));
    let out = s.harbor("admin").args(["submit"]).output().unwrap();
    assert_eq!(code(&out), 14, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("seal_broken"),
        "the items are sealed to the real PSO's key: {}",
        stderr(&out)
    );
    assert!(
        !fake.stored().contains(ids[0].as_str()),
        "nothing was opened"
    );
    assert_eq!(
        state_of(&s, &ids[0]),
        "queued",
        "nothing was marked reported"
    );
    // The real PSO comes back: the same submission goes through.
    drop(fake);
    let real = Pso::serve_on(&pso.data.clone(), &format!("127.0.0.1:{port}"));
    let sent = ok_json(
        &s.harbor("admin")
            .args(["--json", "submit"])
            .output()
            .unwrap(),
    );
    assert_eq!(sent["reported"], 2);
    assert_stored_once(&real, &ids);
}

/// The item lines of `harbor-pso submissions list`: (record id as the PSO holds it, the
/// opened snapshot).
fn stored_items(pso: &Pso) -> Vec<(String, serde_json::Value)> {
    let text = pso.stored();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter(|w| !w[0].starts_with(' ') && w[1].starts_with("  {"))
        .map(|w| {
            let record = w[0].split_whitespace().nth(4).unwrap().to_owned();
            (record, serde_json::from_str(w[1].trim()).unwrap())
        })
        .collect()
}

#[test]
fn a_nonidentifiable_report_carries_no_timestamped_record_id_or_confirmable_revision_hash() {
    let s = Scratch::new();
    s.init();
    let pso = Pso::start(&s.work().join("pso"));
    let token = pso.add_agency("County EMS");
    assert_ok(&s.enroll("admin", &pso, &token));
    let body = json!({"call": {"pcr_number": "P-9", "call_date": "2026-11-02"}, "status": "closed",
                      "event_type": "near_miss"});
    let id = s.create_record("admin", "call_review", &body);
    let promote = |s: &Scratch| {
        assert_ok(
            &s.harbor("admin")
                .args(["promote", &id, "--profile", "nonidentifiable", "--yes"])
                .output()
                .unwrap(),
        );
        assert_ok(&s.harbor("admin").args(["submit"]).output().unwrap());
    };
    promote(&s);
    // Every revision hash the vault ever recorded for the record (its ledger).
    let history = ok_json(
        &s.harbor("admin")
            .args(["--json", "record", "history", &id])
            .output()
            .unwrap(),
    );
    let mut hashes: Vec<String> = history["pses_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["detail"]["revision_hash"].as_str().map(str::to_owned))
        .collect();
    assert!(!hashes.is_empty(), "{history}");

    // An amendment of the same record.
    let changed = json!({"call": {"pcr_number": "P-9", "call_date": "2026-11-02"}, "status": "closed",
                         "event_type": "incident"});
    assert_ok(&s.run_with_input(
        "admin",
        &["record", "update", &id, "--file", "-"],
        &changed.to_string(),
    ));
    promote(&s);
    let history = ok_json(
        &s.harbor("admin")
            .args(["--json", "record", "history", &id])
            .output()
            .unwrap(),
    );
    hashes.extend(
        history["revisions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["hash"].as_str().map(str::to_owned)),
    );

    let stored = pso.stored();
    assert!(
        !stored.contains(&id),
        "the record's UUIDv7 reached the PSO: {stored}"
    );
    for h in &hashes {
        assert!(
            !stored.contains(h.as_str()),
            "a plain revision hash reached the PSO: {stored}"
        );
    }
    let items = stored_items(&pso);
    assert_eq!(items.len(), 2, "{stored}");
    let pseudonym = &items[0].0;
    assert_ne!(pseudonym, &id);
    assert_eq!(pseudonym.len(), 36, "a UUID: {pseudonym}");
    assert_eq!(
        &pseudonym[14..15],
        "4",
        "a random UUID, no timestamp: {pseudonym}"
    );
    assert_eq!(&items[1].0, pseudonym, "the amendment carries the same id");
    for (record, snapshot) in &items {
        assert_eq!(snapshot["record_id"], record.as_str());
        assert!(snapshot.get("revision_hash").is_none(), "{snapshot}");
    }

    // Another PSO gets another id for the same record.
    let other = Pso::start(&s.work().join("pso2"));
    let token = other.add_agency("County EMS");
    assert_ok(&s.enroll("admin", &other, &token));
    let again = json!({"call": {"pcr_number": "P-9", "call_date": "2026-11-02"}, "status": "closed",
                       "event_type": "unsafe_condition"});
    assert_ok(&s.run_with_input(
        "admin",
        &["record", "update", &id, "--file", "-"],
        &again.to_string(),
    ));
    promote(&s);
    let there = stored_items(&other);
    assert_eq!(there.len(), 1, "{}", other.stored());
    assert_ne!(
        &there[0].0, pseudonym,
        "the same id at two PSOs links the record across them"
    );
    assert_ne!(there[0].0, id);
}
