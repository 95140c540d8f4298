//! The CLI as a person and a script use it: exit codes, messages, recovery, backup.

use harbor_e2e::*;
use serde_json::json;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn wrong_passphrase_exits_3_changes_no_vault_file_and_is_throttled() {
    let s = Scratch::new();
    s.init();
    let db = std::fs::read(s.vault().join("vault.db")).unwrap();
    let slots = std::fs::read(s.vault().join("keyslots.json")).unwrap();
    for _ in 0..3 {
        let out = s
            .harbor("admin")
            .env("HARBOR_PASSPHRASE", "not-the-right-passphrase")
            .args(["record", "list"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(stderr(&out).contains("wrong passphrase"));
        assert!(!stderr(&out).contains("not-the-right"), "secret echoed");
    }
    assert_eq!(std::fs::read(s.vault().join("vault.db")).unwrap(), db);
    assert_eq!(
        std::fs::read(s.vault().join("keyslots.json")).unwrap(),
        slots
    );
    // The third failure starts a wait of 1 s: the next attempt, in a new process (as after
    // a restart) and even with the right passphrase, is refused with exit 4.
    let out = s.harbor("admin").args(["record", "list"]).output().unwrap();
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("wait"), "{}", stderr(&out));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
    let log = ok_json(
        &s.harbor("admin")
            .args(["--json", "audit", "log", "--limit", "1000"])
            .output()
            .unwrap(),
    );
    let failed = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "vault.unlock_failed" && e["actor"] == "admin")
        .count();
    assert_eq!(
        failed, 3,
        "every failed unlock is audited at the next success"
    );
}

#[test]
fn exit_codes_name_what_went_wrong() {
    let s = Scratch::new();
    s.init();
    s.add_user("peer", "reviewer");
    // Not a vault.
    let out = s
        .harbor("admin")
        .env("HARBOR_VAULT", s.work())
        .args(["record", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 12, "{}", stderr(&out));
    // init into a non-empty folder.
    let out = s
        .harbor("admin")
        .args(["init", "--admin", "admin"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 12, "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"));
    // Forbidden by role, with the role and action named.
    let out = s.run_with_input(
        "peer",
        &["record", "create", "call_review", "--file", "-"],
        "{}",
    );
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    assert!(stderr(&out).contains("reviewer") && stderr(&out).contains("call_review.create"));
    // Invalid input: every bad field named.
    let bad = json!({"call": {"pcr_number": "", "call_date": "2026-02-30"}, "status": "done"});
    let out = s.run_with_input(
        "admin",
        &["--json", "record", "create", "call_review", "--file", "-"],
        &bad.to_string(),
    );
    assert_eq!(code(&out), 7);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "invalid_input");
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"/call/pcr_number")
            && fields.contains(&"/call/call_date")
            && fields.contains(&"/status"),
        "{fields:?}"
    );
    // Not JSON.
    let out = s.run_with_input(
        "admin",
        &["record", "create", "call_review", "--file", "-"],
        "{\"call\": ",
    );
    assert_eq!(code(&out), 7);
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
    // An ePCR by hand.
    let epcr = json!({"pcr_number": "1"});
    let out = s.run_with_input(
        "admin",
        &["record", "create", "epcr", "--file", "-"],
        &epcr.to_string(),
    );
    assert_eq!(code(&out), 9, "{}", stderr(&out));
    assert!(stderr(&out).contains("original record"));
    // Not found.
    let out = s
        .harbor("admin")
        .args(["record", "show", "01900000-0000-7000-8000-000000000000"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 8);
    // A weak passphrase for a new user.
    let out = s
        .harbor("admin")
        .env("HARBOR_NEW_PASSPHRASE", "password1234")
        .args(["user", "add", "ann", "--role", "reviewer"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 7);
    assert!(stderr(&out).contains("too common"), "{}", stderr(&out));
    // No passphrase and no terminal: a usage error that says what to set.
    let out = s
        .harbor("admin")
        .env_remove("HARBOR_PASSPHRASE")
        .args(["record", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("HARBOR_PASSPHRASE"));
}

#[test]
fn records_walk_through_the_cli() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    let template = s
        .harbor("qa")
        .args(["record", "template", "call_review"])
        .output()
        .unwrap();
    assert_ok(&template);
    let created = ok_json(&s.run_with_input(
        "qa",
        &["--json", "record", "create", "call_review", "--file", "-"],
        &String::from_utf8_lossy(&template.stdout),
    ));
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["pses_state"], "in_pses");
    let mut body: serde_json::Value = serde_json::from_slice(&template.stdout).unwrap();
    body["status"] = json!("pending_medical_director");
    let updated = ok_json(&s.run_with_input(
        "qa",
        &["--json", "record", "update", id, "--file", "-"],
        &body.to_string(),
    ));
    assert_eq!(updated["revision"], 2);
    assert_eq!(updated["status"], "pending_medical_director");
    let signed = ok_json(
        &s.harbor("qa")
            .args(["--json", "record", "sign-off", id])
            .output()
            .unwrap(),
    );
    assert_eq!(signed["revision"], 3);
    let history = ok_json(
        &s.harbor("qa")
            .args(["--json", "record", "history", id])
            .output()
            .unwrap(),
    );
    let revs = history["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 3);
    assert_eq!(revs[2]["body"]["sign_off"]["by"], "qa");
    assert_eq!(history["pses_events"][0]["event"], "entered_pses");
    let list = ok_json(
        &s.harbor("qa")
            .args([
                "--json",
                "record",
                "list",
                "--status",
                "pending_medical_director",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let out = s
        .harbor("qa")
        .args(["dropout", id, "--reason", "Entered twice"])
        .output()
        .unwrap();
    assert_ok(&out);
    let out = s
        .harbor("qa")
        .args(["dropout", id, "--reason", "again"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 9);
    let verify = ok_json(
        &s.harbor("admin")
            .args(["--json", "audit", "verify"])
            .output()
            .unwrap(),
    );
    assert!(verify["first_bad"].is_null());
    assert!(verify["rows"].as_i64().unwrap() > 8);
}

#[test]
fn recovery_code_resets_a_forgotten_passphrase() {
    let s = Scratch::new();
    let code1 = s.init();
    let new_pass = "harbour-lights-at-dawn";
    let out = s
        .harbor("admin")
        .env(
            "HARBOR_RECOVERY_CODE",
            code1.to_lowercase().replace('-', " "),
        )
        .env("HARBOR_NEW_PASSPHRASE", new_pass)
        .args(["--json", "recover"])
        .output()
        .unwrap();
    let code2 = ok_json(&out)["recovery_code"].as_str().unwrap().to_owned();
    assert_ne!(code1, code2);
    assert_eq!(
        code(&s.harbor("admin").args(["record", "list"]).output().unwrap()),
        3,
        "old passphrase still works"
    );
    assert_ok(
        &s.harbor("admin")
            .env("HARBOR_PASSPHRASE", new_pass)
            .args(["record", "list"])
            .output()
            .unwrap(),
    );
    let reuse = s
        .harbor("admin")
        .env("HARBOR_RECOVERY_CODE", &code1)
        .env("HARBOR_NEW_PASSPHRASE", PASSPHRASE)
        .args(["recover"])
        .output()
        .unwrap();
    assert_eq!(code(&reuse), 3, "old recovery code still works");
}

#[test]
fn backup_restores_elsewhere_with_the_schema_version() {
    let s = Scratch::new();
    s.init();
    let review = json!({"call": {"pcr_number": "B-1", "call_date": "2026-11-01"}});
    ok_json(&s.run_with_input(
        "admin",
        &["--json", "record", "create", "call_review", "--file", "-"],
        &review.to_string(),
    ));
    let backup = s.work().join("vault.backup");
    assert_ok(
        &s.harbor("admin")
            .args(["backup", "--out"])
            .arg(&backup)
            .output()
            .unwrap(),
    );
    let restored = s.work().join("restored");
    let out = s
        .harbor("admin")
        .env("HARBOR_VAULT", &restored)
        .args(["--json", "restore"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_eq!(ok_json(&out)["records"], 1);
    let list = ok_json(
        &s.harbor("admin")
            .env("HARBOR_VAULT", &restored)
            .args(["--json", "record", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        list["items"][0]["title"].as_str().unwrap(),
        "Review of PCR B-1 (2026-11-01, unit not given)"
    );
    assert_ok(
        &s.harbor("admin")
            .env("HARBOR_VAULT", &restored)
            .args(["vault", "check"])
            .output()
            .unwrap(),
    );
    // A truncated backup is refused and leaves nothing behind.
    let bytes = std::fs::read(&backup).unwrap();
    let cut = s.work().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let target = s.work().join("from-cut");
    let out = s
        .harbor("admin")
        .env("HARBOR_VAULT", &target)
        .args(["restore"])
        .arg(&cut)
        .output()
        .unwrap();
    assert_eq!(code(&out), 12, "{}", stderr(&out));
    assert!(files_under(&target).is_empty());
}

#[test]
fn help_documents_every_command() {
    let out = std::process::Command::new(harbor_bin())
        .arg("--help")
        .output()
        .unwrap();
    assert_ok(&out);
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "init",
        "demo",
        "recover",
        "passwd",
        "user",
        "record",
        "search",
        "attach",
        "attachment",
        "dropout",
        "audit",
        "vault",
        "backup",
        "restore",
        "settings",
        "import",
        "triggers",
        "promote",
        "unqueue",
        "outbox",
        "status",
        "pso",
    ] {
        assert!(
            help.contains(&format!("  {cmd} ")) || help.contains(&format!("  {cmd}\n")),
            "{cmd} missing from --help"
        );
    }
}
