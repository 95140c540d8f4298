//! An attacker holding the key edits the audit chain; a disk flips a byte; a newer Harbor
//! leaves its schema behind.

use crate::support::*;
use harbor::{RecordKind, Session};
use serde_json::Value;
use std::collections::HashMap;

const DROP_TRIGGERS: &str =
    "DROP TRIGGER audit_is_append_only_update; DROP TRIGGER audit_is_append_only_delete;";

/// A fresh vault whose audit chain has at least eight rows.
fn vault_with_history() -> (TestVault, Session) {
    let (tv, mut s, _code) = new_vault();
    for i in 0..3 {
        let id = ok(s.create_record(RecordKind::CallReview, &call_review(&format!("A-{i}")))).id;
        ok(s.record(&id));
    }
    assert!(all_audit(&mut s).len() >= 8);
    (tv, s)
}

fn raw(s: &Session, sql: &str) -> harbor::Result<()> {
    Ok(s.vault_for_tamper_tests().raw_sql_for_tamper_tests(sql)?)
}

/// The first bad row's seq, asserting `check()` reports the same row.
fn first_bad(s: &mut Session) -> Option<i64> {
    let report = ok(s.audit_verify());
    let seq = report.first_bad.map(|b| b.seq);
    let problems = ok(s.check());
    match seq {
        None => assert!(problems.is_empty(), "{problems:?}"),
        Some(seq) => assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("audit chain: row {seq}:"))),
            "{problems:?}"
        ),
    }
    seq
}

#[test]
fn a_clean_chain_verifies_and_the_triggers_refuse_changes() {
    let (_tv, mut s) = vault_with_history();
    let report = ok(s.audit_verify());
    assert_eq!(report.first_bad, None);
    let log = all_audit(&mut s);
    assert_eq!(report.rows, log.len() as i64);
    assert_eq!(report.head, log.last().unwrap().hash);
    assert!(ok(s.check()).is_empty());

    assert!(raw(&s, "UPDATE audit SET actor = 'mallory' WHERE seq = 3").is_err());
    assert!(raw(&s, "DELETE FROM audit WHERE seq = 3").is_err());
    assert_eq!(all_audit(&mut s), log, "a refused change changed the log");
    assert_eq!(first_bad(&mut s), None);
}

#[test]
fn an_edited_detail_is_found_at_its_row() {
    let (_tv, mut s) = vault_with_history();
    raw(&s, DROP_TRIGGERS).unwrap();
    raw(
        &s,
        r#"UPDATE audit SET detail = '{"kind":"investigation","revision":1}' WHERE seq = 4"#,
    )
    .unwrap();
    assert_eq!(first_bad(&mut s), Some(4));
}

#[test]
fn an_edited_actor_is_found_at_its_row() {
    let (_tv, mut s) = vault_with_history();
    raw(&s, DROP_TRIGGERS).unwrap();
    raw(&s, "UPDATE audit SET actor = 'mallory' WHERE seq = 5").unwrap();
    assert_eq!(first_bad(&mut s), Some(5));
}

#[test]
fn a_deleted_row_is_found_at_its_seq() {
    let (_tv, mut s) = vault_with_history();
    raw(&s, DROP_TRIGGERS).unwrap();
    raw(&s, "DELETE FROM audit WHERE seq = 4").unwrap();
    assert_eq!(first_bad(&mut s), Some(4));
}

#[test]
fn swapped_rows_are_found_at_the_first_of_them() {
    let (_tv, mut s) = vault_with_history();
    let before = all_audit(&mut s);
    raw(&s, DROP_TRIGGERS).unwrap();
    // Rows 4 and 6 trade everything but their place in the table.
    raw(
        &s,
        "CREATE TEMP TABLE swap AS SELECT * FROM audit WHERE seq IN (4, 6);
         UPDATE audit SET
             at        = (SELECT at        FROM swap WHERE swap.seq = 10 - audit.seq),
             actor     = (SELECT actor     FROM swap WHERE swap.seq = 10 - audit.seq),
             action    = (SELECT action    FROM swap WHERE swap.seq = 10 - audit.seq),
             target    = (SELECT target    FROM swap WHERE swap.seq = 10 - audit.seq),
             detail    = (SELECT detail    FROM swap WHERE swap.seq = 10 - audit.seq),
             prev_hash = (SELECT prev_hash FROM swap WHERE swap.seq = 10 - audit.seq),
             hash      = (SELECT hash      FROM swap WHERE swap.seq = 10 - audit.seq)
         WHERE seq IN (4, 6);
         DROP TABLE swap;",
    )
    .unwrap();
    let after = all_audit(&mut s);
    assert_eq!(after[3].hash, before[5].hash, "the swap did not happen");
    assert_eq!(after[5].hash, before[3].hash, "the swap did not happen");
    assert_eq!(first_bad(&mut s), Some(4));
}

#[test]
fn renumbered_rows_are_found_at_the_first_of_them() {
    let (_tv, mut s) = vault_with_history();
    raw(&s, DROP_TRIGGERS).unwrap();
    raw(
        &s,
        "UPDATE audit SET seq = -1 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = 4;
         UPDATE audit SET seq = 4 WHERE seq = -1;",
    )
    .unwrap();
    assert_eq!(first_bad(&mut s), Some(3));
}

/// Page size of SQLCipher 4 databases.
const PAGE: u64 = 4096;

#[test]
fn a_flipped_byte_is_reported_never_read_as_data() {
    let (tv, mut s, _code) = new_vault();
    let mut expected: HashMap<String, Value> = HashMap::new();
    for i in 0..200 {
        let mut body = call_review(&format!("2026-{i:06}"));
        body["recommendations"] = Value::String(format!(
            "Review {i}: {}",
            "restock the airway bag and check the capnography cable. ".repeat(8)
        ));
        let meta = ok(s.create_record(RecordKind::CallReview, &body));
        let stored = harbor_core::schema::validate(RecordKind::CallReview, &body)
            .unwrap()
            .to_value();
        expected.insert(meta.id, stored);
    }
    drop(s);
    assert!(
        !wal_path(&tv.dir).exists(),
        "closing the last connection leaves no WAL"
    );
    let pristine = snapshot(&tv.dir);
    let size = pristine["vault.db"].len() as u64;
    let pages = size / PAGE;
    assert!(pages > 40, "only {pages} pages");

    let mut reached_check = 0;
    let mut read_intact = 0;
    for page in [pages / 4, pages / 2, 3 * pages / 4] {
        for (name, bytes) in &pristine {
            std::fs::write(tv.dir.join(name), bytes).unwrap();
        }
        flip_byte(&tv.dir.join("vault.db"), page * PAGE + 1000);
        let mut s = match harbor::unlock(&tv.dir, ADMIN, &pass(PASS)) {
            Ok(s) => s,
            Err(e) => {
                assert_eq!(e.code(), "vault_corrupt", "page {page}: {e}");
                continue;
            }
        };
        reached_check += 1;
        let mut listed = 0;
        let mut after = None;
        loop {
            let page_result = s.list(&harbor::ListQuery {
                limit: Some(25),
                after: after.clone(),
                ..Default::default()
            });
            let items = match page_result {
                Ok(p) => {
                    after = p.next_cursor;
                    p.items
                }
                Err(e) => {
                    assert_eq!(e.code(), "vault_corrupt", "page {page}: list: {e}");
                    break;
                }
            };
            for m in &items {
                let body = expected
                    .get(&m.id)
                    .unwrap_or_else(|| panic!("page {page}: list invented record {}", m.id));
                assert_eq!(m.kind, RecordKind::CallReview);
                assert_eq!(
                    m.title,
                    format!(
                        "Review of PCR {} (2026-11-02, Medic 12)",
                        body["call"]["pcr_number"].as_str().unwrap()
                    )
                );
            }
            listed += items.len();
            if after.is_none() {
                assert_eq!(listed, expected.len(), "page {page}: list lost records");
                break;
            }
        }
        // Reads before the full check: once one page fails its check, SQLCipher refuses
        // every further read and write on the connection.
        let mut ids: Vec<&String> = expected.keys().collect();
        ids.sort();
        for id in ids {
            match s.record(id) {
                Ok(r) => {
                    read_intact += 1;
                    assert_eq!(
                        &r.body, &expected[id],
                        "page {page}: record {id} read wrong"
                    );
                }
                Err(e) => assert_eq!(e.code(), "vault_corrupt", "page {page}: record: {e}"),
            }
            match s.history(id) {
                Ok(h) => {
                    assert_eq!(h.revisions.len(), 1, "page {page}: history of {id}");
                    assert_eq!(
                        &h.revisions[0].body, &expected[id],
                        "page {page}: history of {id} read wrong"
                    );
                }
                Err(e) => assert_eq!(e.code(), "vault_corrupt", "page {page}: history: {e}"),
            }
        }
        match s.check() {
            Ok(problems) => assert!(!problems.is_empty(), "page {page}: check found nothing"),
            Err(e) => assert_eq!(e.code(), "vault_corrupt", "page {page}: {e}"),
        }
    }
    assert!(
        read_intact > 0,
        "no record was read intact: the damage was not local"
    );
    assert!(reached_check > 0, "no damaged page let the vault unlock");

    // A damaged first page: the vault does not open, and is left as it is.
    for (name, bytes) in &pristine {
        std::fs::write(tv.dir.join(name), bytes).unwrap();
    }
    flip_byte(&tv.dir.join("vault.db"), 100);
    let damaged = std::fs::read(tv.dir.join("vault.db")).unwrap();
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, ADMIN, &pass(PASS))),
        "vault_corrupt"
    );
    assert_eq!(std::fs::read(tv.dir.join("vault.db")).unwrap(), damaged);
}

#[test]
fn a_newer_schema_is_refused_and_left_unchanged() {
    let (tv, s, _code) = new_vault();
    raw(&s, "PRAGMA user_version = 99").unwrap();
    drop(s);
    // The empty lock files an unlock takes its advisory locks on hold nothing.
    let without_locks = |mut files: std::collections::BTreeMap<String, Vec<u8>>| {
        files.retain(|name, bytes| !(name.ends_with(".lock") && bytes.is_empty()));
        files
    };
    let before = without_locks(snapshot(&tv.dir));
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, ADMIN, &pass(PASS))),
        "schema_too_new"
    );
    assert_eq!(
        without_locks(snapshot(&tv.dir)),
        before,
        "the refused unlock changed the vault"
    );
}
