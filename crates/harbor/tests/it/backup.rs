//! Backup and restore.

use crate::support::*;
use harbor::{RecordKind, Role, SCHEMA_VERSION, Session};
use serde_json::json;

/// Asserts the open vault's `user_version` without a way to read it: a temporary table
/// whose CHECK refuses any other value (nothing is written to the vault file).
fn assert_user_version(s: &Session, expected: i64) {
    s.vault_for_tamper_tests()
        .raw_sql_for_tamper_tests(&format!(
            "CREATE TEMP TABLE uv (v INTEGER CHECK (v = {expected}));
             INSERT INTO uv SELECT user_version FROM pragma_user_version;
             DROP TABLE uv;"
        ))
        .unwrap_or_else(|e| panic!("user_version is not {expected}: {e}"));
}

#[test]
fn a_backup_restores_elsewhere_with_records_and_audit_chain() {
    let (tv, mut s, code) = new_vault();
    ok(s.add_user("quality", Role::QualityOfficer, &pass(PASS)));
    for i in 0..5 {
        let id = ok(s.create_record(
            RecordKind::CallReview,
            &call_review(&format!("24-05{i:02}")),
        ))
        .id;
        if i == 2 {
            ok(s.update_record(
                &id,
                &input(
                    RecordKind::CallReview,
                    json!({"recommendations": "second revision"}),
                ),
            ));
        }
    }
    ok(s.create_record(
        RecordKind::Investigation,
        &input(RecordKind::Investigation, json!({})),
    ));
    let review = all_records(&mut s)[0].id.clone();
    let file = tv.path("photo.pdf");
    std::fs::write(&file, b"%PDF-1.7 a photo of the stretcher").unwrap();
    let att = ok(s.attach(&review, &file));

    // The restore check below asserts the negative case of the version probe works too.
    assert!(
        s.vault_for_tamper_tests()
            .raw_sql_for_tamper_tests(
                "CREATE TEMP TABLE uv (v INTEGER CHECK (v = 12345));
                 INSERT INTO uv SELECT user_version FROM pragma_user_version;"
            )
            .is_err()
    );
    s.vault_for_tamper_tests()
        .raw_sql_for_tamper_tests("DROP TABLE IF EXISTS uv;")
        .unwrap();

    let backup = tv.path("vault.hbk");
    let summary = ok(s.backup(&backup));
    assert_eq!(summary.records, 6);
    assert_eq!(summary.schema_version, SCHEMA_VERSION);
    assert_eq!(summary.bytes, std::fs::metadata(&backup).unwrap().len());
    let records = all_records(&mut s);
    let audit = all_audit(&mut s);
    assert_eq!(audit.last().unwrap().action, "vault.backup");
    let mut bodies = Vec::new();
    for m in &records {
        bodies.push(ok(s.record(&m.id)));
    }
    drop(s);

    // Restore with a user's passphrase.
    let dir2 = tv.path("restored");
    let mut r = ok(restore_as(&backup, &dir2, "quality", &pass(PASS)));
    assert_eq!(r.vault_id(), unlock(&tv.dir, ADMIN, PASS).vault_id());
    assert_eq!(all_records(&mut r), records);
    for b in &bodies {
        let got = ok(r.record(&b.meta.id));
        assert_eq!(got.body, b.body);
        assert_eq!(got.revision_hash, b.revision_hash);
    }
    let restored_audit = all_audit(&mut r);
    assert_eq!(
        restored_audit[..audit.len()],
        audit[..],
        "the chain differs"
    );
    let tail: Vec<&str> = restored_audit[audit.len()..]
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(tail[..2], ["vault.unlock", "vault.restore"]);
    let report = ok(r.audit_verify());
    assert_eq!(report.first_bad, None);
    assert!(ok(r.check()).is_empty());
    assert_user_version(&r, SCHEMA_VERSION);
    let out = tv.path("photo-restored.pdf");
    ok(r.export_attachment(&att.id, &out));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"%PDF-1.7 a photo of the stretcher"
    );
    drop(r);

    // Restored and locked, it opens again at the same schema version.
    let r = unlock(&dir2, ADMIN, PASS);
    assert_user_version(&r, SCHEMA_VERSION);
    drop(r);

    // The recovery code of backup time also opens the restored vault.
    let mut r = ok(harbor::recover(
        &dir2,
        &code,
        ADMIN,
        &pass("granite-heron-sundial-31"),
    ))
    .session;
    assert_eq!(all_records(&mut r), records);
    assert_eq!(ok(r.audit_verify()).first_bad, None);
}

#[test]
fn a_restore_refuses_a_used_folder_and_a_damaged_backup() {
    let (tv, mut s, _code) = new_vault();
    ok(s.create_record(RecordKind::CallReview, &call_review("24-0600")));
    let backup = tv.path("vault.hbk");
    ok(s.backup(&backup));
    drop(s);

    // Into a folder that holds something.
    let used = tv.path("used");
    std::fs::create_dir(&used).unwrap();
    std::fs::write(used.join("notes.txt"), "keep me").unwrap();
    assert_eq!(
        err_code(restore_as(&backup, &used, ADMIN, &pass(PASS))),
        "folder_not_empty"
    );
    assert_eq!(std::fs::read(used.join("notes.txt")).unwrap(), b"keep me");
    assert_eq!(
        err_code(restore_as(&backup, &tv.dir, ADMIN, &pass(PASS))),
        "folder_not_empty"
    );

    let bytes = std::fs::read(&backup).unwrap();
    let damaged = |name: &str, content: &[u8]| {
        let path = tv.path(name);
        std::fs::write(&path, content).unwrap();
        let target = tv.path(&format!("{name}-restored"));
        let code = err_code(restore_as(&path, &target, ADMIN, &pass(PASS)));
        let left: Vec<_> = if target.exists() {
            files_under(&target)
        } else {
            Vec::new()
        };
        assert!(left.is_empty(), "{name}: a failed restore left {left:?}");
        code
    };
    assert_eq!(
        damaged("truncated.hbk", &bytes[..bytes.len() - 4096]),
        "bad_backup"
    );
    let mut flipped = bytes.clone();
    let last = flipped.len() - 2000;
    flipped[last] ^= 0x01;
    assert_eq!(damaged("flipped.hbk", &flipped), "bad_backup");
    assert_eq!(damaged("header-only.hbk", &bytes[..200]), "bad_backup");
    assert_eq!(
        damaged("not-a-backup.hbk", b"SQLite format 3\0"),
        "bad_backup"
    );
    // The intact file still restores.
    let fine = tv.path("fine");
    drop(ok(restore_as(&backup, &fine, ADMIN, &pass(PASS))));
}

/// Restores with a user's passphrase (the common path).
fn restore_as(
    backup: &std::path::Path,
    dir: &std::path::Path,
    user: &str,
    passphrase: &harbor::Passphrase,
) -> harbor::Result<harbor::Session> {
    harbor::restore(
        backup,
        dir,
        harbor::RestoreWith::Passphrase { user, passphrase },
    )
    .map(|(s, _)| s)
}

#[test]
fn a_backup_restores_with_the_recovery_code_and_a_failed_open_leaves_nothing() {
    let (tv, mut s, code) = new_vault();
    ok(s.create_record(harbor::RecordKind::CallReview, &call_review("R-1")));
    let backup = tv.path("vault.backup");
    ok(s.backup(&backup));
    drop(s);

    let wrong = tv.path("wrong");
    assert_eq!(
        err_code(restore_as(
            &backup,
            &wrong,
            ADMIN,
            &pass("not-the-passphrase-at-all")
        )),
        "wrong_passphrase"
    );
    assert!(
        !wrong.join("vault.db").exists(),
        "a restore that did not open leaves no database behind"
    );
    assert!(!wrong.join("keyslots.json").exists());

    let dir = tv.path("by-recovery");
    let (mut r, new_code) = ok(harbor::restore(
        &backup,
        &dir,
        harbor::RestoreWith::Recovery {
            code: &code,
            user: ADMIN,
            new_passphrase: &pass("harbour-lights-at-dawn"),
        },
    ));
    assert!(new_code.is_some_and(|c| c.expose() != code.expose()));
    assert_eq!(ok(r.record_count()), 1);
    drop(r);
    drop(unlock(&dir, ADMIN, "harbour-lights-at-dawn"));
}
