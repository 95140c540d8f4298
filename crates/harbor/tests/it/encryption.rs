//! Encryption at rest through the service API: canary strings written through every path
//! never appear in any file the vault, a backup or the temporary folder holds.
//!
//! The writer runs in a child process of this test binary with `TMPDIR` pointing into the
//! test's own folder, so that anything spilled to temporary files is found too (setting
//! `TMPDIR` in this process would race with the other tests' threads).

use crate::support::*;
use harbor::{RecordKind, Role};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const WORKDIR_ENV: &str = "HARBOR_IT_CANARY_WORKDIR";
const CHILD_TEST: &str = "encryption::canary_writer";
const CANARY_FILE: &str = "canaries.txt";
const INPUTS: &str = "inputs";

/// A unique canary: lower-case letters and digits only, so full-text search stores it as
/// one token exactly as written.
fn canary() -> String {
    format!("zq{}", uuid::Uuid::new_v4().simple())
}

/// Canaries found in `path`'s bytes.
fn canaries_in(path: &Path, canaries: &[String]) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_default();
    canaries
        .iter()
        .filter(|c| {
            let needle = c.as_bytes();
            bytes
                .windows(needle.len())
                .any(|w| w[0] == needle[0] && w == needle)
        })
        .cloned()
        .collect()
}

/// Every (file, canary) found under `dir`, skipping `skip`.
fn scan(dir: &Path, canaries: &[String], skip: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for file in files_under(dir) {
        if skip.iter().any(|s| file.starts_with(s)) {
            continue;
        }
        for c in canaries_in(&file, canaries) {
            found.push((file.clone(), c));
        }
    }
    found
}

#[test]
fn nothing_written_through_the_api_is_readable_at_rest() {
    let work = tempfile::tempdir().unwrap();
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([CHILD_TEST, "--exact", "--ignored", "--test-threads=1"])
        .env(WORKDIR_ENV, work.path())
        .env("TMPDIR", &tmp)
        .env("TEMP", &tmp)
        .env("TMP", &tmp)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the writer failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let canaries: Vec<String> = std::fs::read_to_string(work.path().join(CANARY_FILE))
        .expect("the writer ran and listed its canaries")
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(canaries.len() >= 30, "{} canaries", canaries.len());

    // The scan finds a canary where one is in clear: the writer's own input files.
    let inputs = work.path().join(INPUTS);
    assert!(!scan(&inputs, &canaries, &[]).is_empty());

    let skip = [inputs, work.path().join(CANARY_FILE)];
    let found = scan(work.path(), &canaries, &skip);
    assert!(found.is_empty(), "canaries in clear: {found:?}");
    let scanned: BTreeSet<String> = files_under(work.path())
        .iter()
        .filter(|f| !skip.iter().any(|s| f.starts_with(s)))
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "vault.db",
        "keyslots.json",
        "unlock-throttle.json",
        "backup.hbk",
    ] {
        assert!(
            scanned.contains(expected),
            "{expected} not scanned: {scanned:?}"
        );
    }
}

/// The writer: run by the test above in a child process. Run alone (with `--ignored`) it
/// works in a temporary folder and checks the vault folder and the backup itself.
#[test]
#[ignore = "run in a child process, with its own TMPDIR, by nothing_written_through_the_api_is_readable_at_rest"]
fn canary_writer() {
    let own = tempfile::tempdir().unwrap();
    let work = std::env::var_os(WORKDIR_ENV).map_or_else(|| own.path().to_owned(), PathBuf::from);
    let inputs = work.join(INPUTS);
    std::fs::create_dir(&inputs).unwrap();
    let dir = work.join("vault");
    let mut canaries: Vec<String> = Vec::new();
    let mut c = || {
        let s = canary();
        canaries.push(s.clone());
        s
    };

    let admin_pass = c();
    let (mut admin, code) =
        harbor::init(&dir, ADMIN, &pass(&admin_pass), harbor::KdfParams::MINIMUM).unwrap();

    // Users: names and passphrases.
    let director = c();
    let director_pass = c();
    ok(admin.add_user(&director, Role::MedicalDirector, &pass(&director_pass)));
    let leaver = c();
    ok(admin.add_user(&leaver, Role::Reviewer, &pass(&c())));
    ok(admin.disable_user(&leaver));

    // Every field of a call review, then a second revision.
    let review_input = json!({
        "call": {"pcr_number": c(), "call_date": "2026-11-02", "unit": c()},
        "status": "in_progress",
        "triggers": [{"rule": c(), "detail": c()}],
        "protocol_findings": [{"protocol": c(), "compliance": "deviation", "comment": c()}],
        "event_type": "near_miss",
        "ems_categories": ["airway"],
        "harm": {"level": "no_harm"},
        "contributing_factors": [c()],
        "just_culture": "human_error",
        "recommendations": c(),
    });
    let review = ok(admin.create_record(RecordKind::CallReview, &review_input)).id;
    let mut second = review_input.clone();
    second["recommendations"] = json!(c());
    ok(admin.update_record(&review, &second));
    ok(admin.sign_off(&review));

    // An investigation.
    let investigation = json!({
        "title": c(),
        "status": "analysis",
        "event_summary": c(),
        "related_records": [review],
        "timeline": [{"at": "2026-10-28T14:02:00", "description": c()}],
        "five_whys": [c(), c()],
        "fishbone": {"people": [c()], "equipment": [c()], "methods": [c()],
                     "materials": [c()], "measurement": [c()], "environment": [c()]},
        "contributing_factors": [c()],
        "corrective_actions": [{"description": c(), "owner": c(),
                                "due_date": "2026-12-15", "strength": "strong"}],
    });
    ok(admin.create_record(RecordKind::Investigation, &investigation));

    // A record dropped out with a reason.
    let dropped = ok(admin.create_record(RecordKind::CallReview, &call_review(&c()))).id;
    ok(admin.drop_out(&dropped, &c()));

    // An attachment: its content and its file name.
    let attachment = inputs.join(format!("{}.txt", c()));
    let content = c();
    std::fs::write(&attachment, format!("statement: {content}\n").repeat(50)).unwrap();
    ok(admin.attach(&review, &attachment));

    // A search query.
    assert!(ok(admin.search(&c(), 10)).is_empty());

    // A failed unlock by an unknown name with a wrong passphrase (the throttle file).
    assert_eq!(
        err_code(harbor::unlock(&dir, &c(), &pass(&c()))),
        "wrong_passphrase"
    );

    // A case note by the medical director, in a second connection.
    let mut md = unlock(&dir, &director, &director_pass);
    ok(md.create_record(
        RecordKind::CaseNote,
        &json!({"subject": review, "clinical_assessment": c(),
                "standard_of_care": "met", "recommendations": c()}),
    ));
    drop(md);

    // While the vault is open, with the WAL holding the latest pages.
    canaries.push(code.expose().to_owned());
    let wal = wal_path(&dir);
    assert!(wal.exists(), "the open vault has a WAL");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    let found = scan(&dir, &canaries, &[]);
    assert!(found.is_empty(), "canaries in clear while open: {found:?}");

    ok(admin.backup(&work.join("backup.hbk")));
    drop(admin);
    assert!(!wal.exists());
    for file in [dir.join("unlock-throttle.json"), work.join("backup.hbk")] {
        assert!(file.is_file(), "{} missing", file.display());
    }
    let found = scan(&dir, &canaries, &[]);
    assert!(found.is_empty(), "canaries in clear after lock: {found:?}");
    let found = canaries_in(&work.join("backup.hbk"), &canaries);
    assert!(found.is_empty(), "canaries in the backup: {found:?}");

    std::fs::write(work.join(CANARY_FILE), canaries.join("\n")).unwrap();
}
