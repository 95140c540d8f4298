//! Records: revisions and their hash chain, sign-off, validation, lists, search, drop-out.

use crate::support::*;
use harbor::{ListQuery, RecordKind, Role};
use harbor_core::PsesState;
use serde_json::{Value, json};
use std::collections::HashSet;

/// The hash of a revision, as the vault chains them (see harbor-vault's records.rs).
fn revision_hash(id: &str, rev: &harbor_vault::records::Revision, prev: &str) -> String {
    harbor_core::canonical::canonical_hash(&json!({
        "record_id": id, "rev": rev.rev, "kind": "call_review", "author": rev.author,
        "at": rev.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "body": rev.body, "prev_hash": prev,
    }))
}

#[test]
fn saves_are_chained_revisions_and_an_unchanged_save_is_not_one() {
    let (tv, mut s, _code) = new_vault();
    ok(s.add_user("quality", Role::QualityOfficer, &pass(PASS)));
    let v1 = call_review("24-0100");
    let meta = ok(s.create_record(RecordKind::CallReview, &v1));
    assert_eq!(meta.revision, 1);
    assert_eq!(meta.pses_state, "in_pses");
    assert_eq!(meta.created_by, ADMIN);
    assert!(!meta.deliberation);

    let mut v2 = v1.clone();
    v2["status"] = json!("pending_medical_director");
    let m2 = ok(s.update_record(&meta.id, &v2));
    assert_eq!(m2.revision, 2);
    assert_eq!(m2.status.as_deref(), Some("pending_medical_director"));
    // The same body again is no revision.
    let m2b = ok(s.update_record(&meta.id, &v2));
    assert_eq!(m2b.revision, 2);
    assert_eq!(m2b.updated_at, m2.updated_at);

    // A sign-off is a revision carrying the acting user.
    drop(s);
    let mut quality = unlock(&tv.dir, "quality", PASS);
    let m3 = ok(quality.sign_off(&meta.id));
    assert_eq!(m3.revision, 3);
    let signed = ok(quality.record(&meta.id));
    assert_eq!(signed.body["sign_off"]["by"], "quality");
    // Saving the same body without the sign-off keeps it and makes no revision.
    assert_eq!(ok(quality.update_record(&meta.id, &v2)).revision, 3);
    // A sign-off in the input is refused, on create and on update.
    let mut forged = v2.clone();
    forged["sign_off"] = json!({"by": "someone-else", "at": "2026-11-03T10:00:00Z"});
    assert_eq!(
        err_code(quality.update_record(&meta.id, &forged)),
        "invalid_input"
    );
    assert_eq!(
        err_code(quality.create_record(RecordKind::CallReview, &forged)),
        "invalid_input"
    );
    // A change clears the sign-off: it attested to the earlier revision.
    let mut v4 = v2.clone();
    v4["recommendations"] = json!("Also check the suction unit.");
    assert_eq!(ok(quality.update_record(&meta.id, &v4)).revision, 4);
    let current = ok(quality.record(&meta.id));
    assert!(current.body.get("sign_off").is_none(), "{}", current.body);

    let history = ok(quality.history(&meta.id));
    let authors: Vec<&str> = history
        .revisions
        .iter()
        .map(|r| r.author.as_str())
        .collect();
    assert_eq!(authors, [ADMIN, ADMIN, "quality", "quality"]);
    assert_eq!(history.revisions[0].body["call"], v1["call"]);
    assert_eq!(
        history.revisions[1].body["status"],
        "pending_medical_director"
    );
    let mut prev = harbor_vault::audit::GENESIS.to_owned();
    for rev in &history.revisions {
        assert_eq!(
            rev.hash,
            revision_hash(&meta.id, rev, &prev),
            "revision {} is not chained to the one before",
            rev.rev
        );
        prev = rev.hash.clone();
    }
    assert_eq!(current.revision_hash, prev);
    let entered: Vec<&str> = history
        .pses_events
        .iter()
        .map(|e| e.event.as_str())
        .collect();
    assert_eq!(entered, ["entered_pses"]);
    assert_eq!(
        history.pses_events[0].detail["revision_hash"],
        history.revisions[0].hash
    );
    // Each save's audit row carries its revision's hash.
    let log = all_audit(&mut quality);
    let audited: Vec<&Value> = log
        .iter()
        .filter(|e| e.target.as_deref() == Some(&meta.id) && e.detail.get("hash").is_some())
        .map(|e| &e.detail["hash"])
        .collect();
    let hashes: Vec<&str> = history.revisions.iter().map(|r| r.hash.as_str()).collect();
    assert_eq!(audited, hashes);
}

#[test]
fn invalid_input_names_its_fields() {
    let (_tv, mut s, _code) = new_vault();
    let err = s
        .create_record(
            RecordKind::CallReview,
            &json!({"call": {"pcr_number": "", "call_date": "yesterday"}, "status": "half_done"}),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    for f in ["/call/pcr_number", "/call/call_date", "/status"] {
        assert!(fields.contains(&f), "{f} not named in {fields:?}");
    }
    // A reference to a record that is not in the vault.
    let err = s
        .create_record(
            RecordKind::Investigation,
            &input(
                RecordKind::Investigation,
                json!({"related_records": ["0192f6a0-0000-7000-8000-000000000001"]}),
            ),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(err.field_errors()[0].field, "/related_records/0");
    assert_eq!(ok(s.record_count()), 0);
}

#[test]
fn lists_page_filter_and_search() {
    let (_tv, mut s, _code) = new_vault();
    let mut ids = HashSet::new();
    for i in 0..10 {
        let mut body = call_review(&format!("24-{i:04}"));
        if i % 3 == 0 {
            body["status"] = json!("closed");
        }
        if i == 7 {
            body["protocol_findings"][0]["comment"] =
                json!("The quokkaventilator was left on the scene.");
        }
        ids.insert(ok(s.create_record(RecordKind::CallReview, &body)).id);
    }
    for _ in 0..3 {
        ids.insert(
            ok(s.create_record(
                RecordKind::Investigation,
                &input(RecordKind::Investigation, json!({})),
            ))
            .id,
        );
    }

    // Keyset paging walks every record once, newest (highest id) first.
    let mut walked = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = ok(s.list(&ListQuery {
            limit: Some(4),
            after: after.clone(),
            ..ListQuery::default()
        }));
        pages += 1;
        assert!(page.items.len() <= 4);
        walked.extend(page.items.into_iter().map(|m| m.id));
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(walked.len(), 13);
    assert_eq!(walked.iter().cloned().collect::<HashSet<_>>(), ids);
    assert!(
        walked.windows(2).all(|w| w[0] > w[1]),
        "not in descending id order"
    );

    let count = |s: &mut harbor::Session, q: ListQuery| {
        ok(s.list(&ListQuery {
            limit: Some(1000),
            ..q
        }))
        .items
    };
    let investigations = count(
        &mut s,
        ListQuery {
            kind: Some(RecordKind::Investigation),
            ..ListQuery::default()
        },
    );
    assert_eq!(investigations.len(), 3);
    assert!(
        investigations
            .iter()
            .all(|m| m.kind == RecordKind::Investigation && m.deliberation)
    );
    let closed = count(
        &mut s,
        ListQuery {
            status: Some("closed".into()),
            ..ListQuery::default()
        },
    );
    assert_eq!(closed.len(), 4);
    let analysis = count(
        &mut s,
        ListQuery {
            kind: Some(RecordKind::Investigation),
            status: Some("analysis".into()),
            ..ListQuery::default()
        },
    );
    assert_eq!(analysis.len(), 3);

    let dropped_id = walked[0].clone();
    ok(s.drop_out(&dropped_id, "duplicate of another review"));
    let dropped = count(
        &mut s,
        ListQuery {
            pses_state: Some(PsesState::DroppedOut),
            ..ListQuery::default()
        },
    );
    assert_eq!(
        dropped.iter().map(|m| &m.id).collect::<Vec<_>>(),
        [&dropped_id]
    );
    let in_pses = count(
        &mut s,
        ListQuery {
            pses_state: Some(PsesState::InPses),
            ..ListQuery::default()
        },
    );
    assert_eq!(in_pses.len(), 12);

    // Search finds a word deep inside a record, and only there.
    let hits = ok(s.search("quokkaventilator", 10));
    assert_eq!(hits.len(), 1);
    let hit = ok(s.record(&hits[0].id));
    assert_eq!(hit.body["call"]["pcr_number"], "24-0007");
    assert!(ok(s.search("quokka", 10)).len() == 1, "prefix search");
    assert!(ok(s.search("zebrafinch", 10)).is_empty());
}

#[test]
fn a_dropped_out_record_keeps_its_reason_and_is_frozen() {
    let (tv, mut s, _code) = new_vault();
    let review = ok(s.create_record(RecordKind::CallReview, &call_review("24-0200"))).id;
    let meta = ok(s.drop_out(&review, "  Reviewed for HR purposes, not patient safety  "));
    assert_eq!(meta.pses_state, "dropped_out");
    let history = ok(s.history(&review));
    let events: Vec<&str> = history
        .pses_events
        .iter()
        .map(|e| e.event.as_str())
        .collect();
    assert_eq!(events, ["entered_pses", "dropped_out"]);
    let ev = &history.pses_events[1];
    assert_eq!(ev.by, ADMIN);
    assert_eq!(
        ev.detail["reason"],
        "Reviewed for HR purposes, not patient safety"
    );

    assert_eq!(err_code(s.drop_out(&review, "again")), "dropped_out");
    let mut changed = call_review("24-0200");
    changed["recommendations"] = json!("changed after drop-out");
    assert_eq!(err_code(s.update_record(&review, &changed)), "dropped_out");
    assert_eq!(err_code(s.sign_off(&review)), "dropped_out");
    let file = tv.path("note.txt");
    std::fs::write(&file, "late note").unwrap();
    assert_eq!(err_code(s.attach(&review, &file)), "dropped_out");
    assert_eq!(ok(s.record(&review)).meta.revision, 1);
    // A drop-out needs a reason.
    let other = ok(s.create_record(RecordKind::CallReview, &call_review("24-0201"))).id;
    assert!(s.drop_out(&other, "   ").is_err());
    assert_eq!(ok(s.record(&other)).meta.pses_state, "in_pses");
}
