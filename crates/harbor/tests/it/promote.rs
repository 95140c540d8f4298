//! Promotion to PSWP: the preview shows what would leave; promotion freezes a canonical
//! snapshot with its hash, records it in the ledger and queues it in one transaction; the
//! PSES rules hold (no ePCR, no drop-out once queued, un-queue is logged).

use crate::support::*;
use harbor::{Profile, RecordKind};
use serde_json::json;
use std::collections::BTreeMap;

fn review(s: &mut harbor::Session, pcr: &str) -> String {
    let mut body = call_review(pcr);
    body["recommendations"] = json!("Call Dr. Alvarez at 555-201-7788 about the ramp.");
    body["just_culture"] = json!("at_risk_behaviour");
    ok(s.create_record(RecordKind::CallReview, &body)).id
}

#[test]
fn the_preview_shows_what_leaves_and_promotion_freezes_it() {
    let (_tv, mut s, _) = new_vault();
    let id = review(&mut s, "2026-00042");
    let audit_before = all_audit(&mut s).len();
    let preview = ok(s.preview_promotion(
        std::slice::from_ref(&id),
        Profile::Nonidentifiable,
        &BTreeMap::new(),
    ));
    assert_eq!(
        ok(s.record_meta_state(&id)),
        "in_pses",
        "a preview changes nothing"
    );
    let sent = serde_json::to_string(&preview[0].body).unwrap();
    for gone in ["2026-00042", "Alvarez", "555-201-7788", "at_risk_behaviour"] {
        assert!(!sent.contains(gone), "{gone} would leave: {sent}");
    }
    let fields: Vec<&str> = preview[0].report.iter().map(|l| l.field.as_str()).collect();
    assert!(
        fields.contains(&"/call/pcr_number")
            && fields.contains(&"/recommendations")
            && fields.contains(&"/just_culture")
    );

    let items = ok(s.promote(&[preview[0].record_id.clone()]));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].state, "queued");
    assert_eq!(ok(s.record_meta_state(&id)), "queued");
    // The frozen bytes are canonical JSON whose SHA-256 is the recorded hash.
    let snapshot = ok(s.outbox_snapshot(&items[0].id));
    assert_eq!(
        harbor_core::canonical::sha256_hex(snapshot.as_bytes()),
        items[0].snapshot_hash
    );
    let value: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(
        harbor_core::canonical::to_canonical_bytes(&value),
        snapshot.as_bytes()
    );
    assert_eq!(value["profile"], "nonidentifiable");
    assert!(!snapshot.contains("Alvarez"));
    // No unique code of the record: not its UUIDv7, not its plain revision hash.
    assert!(
        !snapshot.contains(id.as_str()),
        "the record id left: {snapshot}"
    );
    let history = ok(s.history(&id));
    for rev in &history.revisions {
        assert!(
            !snapshot.contains(rev.hash.as_str()),
            "a plain revision hash left: {snapshot}"
        );
    }
    let history = ok(s.history(&id));
    let promoted = history
        .pses_events
        .iter()
        .find(|e| e.event == "promoted_pswp")
        .unwrap();
    assert_eq!(
        promoted.detail["snapshot_hash"],
        items[0].snapshot_hash.as_str()
    );
    assert_eq!(promoted.by, ADMIN);
    let audit = all_audit(&mut s);
    assert!(
        audit[audit_before..]
            .iter()
            .any(|e| e.action == "pses.promote_preview")
    );
    assert!(
        audit[audit_before..]
            .iter()
            .any(|e| e.action == "pses.promote")
    );
    assert_eq!(ok(s.audit_verify()).first_bad, None);

    // Edits after promotion do not touch the frozen snapshot.
    let mut changed = call_review("2026-00042");
    changed["recommendations"] = json!("Revised");
    ok(s.update_record(&id, &changed));
    assert_eq!(ok(s.outbox_snapshot(&items[0].id)), snapshot);
}

#[test]
fn pses_rules_hold_around_promotion() {
    let (tv, mut s, _) = new_vault();
    let id = review(&mut s, "R-1");
    let p = ok(s.preview_promotion(
        std::slice::from_ref(&id),
        Profile::Identifiable,
        &BTreeMap::new(),
    ));
    ok(s.promote(&[p[0].record_id.clone()]));
    // Queued: promoting again and dropping out are refused; un-queue first (logged).
    assert_eq!(
        err_code(s.preview_promotion(
            std::slice::from_ref(&id),
            Profile::Identifiable,
            &BTreeMap::new()
        )),
        "already_queued"
    );
    assert_eq!(
        err_code(s.drop_out(&id, "changed our mind")),
        "queued_for_pso"
    );
    let item = ok(s.unqueue(&id, "promoted too early"));
    assert_eq!(item.state, "unqueued");
    assert_eq!(ok(s.record_meta_state(&id)), "in_pses");
    assert!(
        ok(s.history(&id))
            .pses_events
            .iter()
            .any(|e| e.event == "unqueued" && e.detail["reason"] == "promoted too early")
    );
    ok(s.drop_out(&id, "not a safety event"));
    assert_eq!(
        err_code(s.preview_promotion(
            std::slice::from_ref(&id),
            Profile::Identifiable,
            &BTreeMap::new()
        )),
        "dropped_out"
    );
    assert_eq!(err_code(s.unqueue(&id, "x")), "dropped_out");

    // An imported ePCR is an original record: never promoted.
    let f = tv.path("call.xml");
    std::fs::write(&f, r#"<EMSDataSet xmlns="http://www.nemsis.org"><Header><PatientCareReport UUID="0b7d4c1e-1111-4222-8333-944455556666"><eRecord><eRecord.01>E-1</eRecord.01></eRecord></PatientCareReport></Header></EMSDataSet>"#).unwrap();
    ok(s.import_nemsis(&[f], &harbor::ImportOptions::default(), &mut |_| {}));
    let epcr = ok(s.list(&harbor::ListQuery {
        kind: Some(RecordKind::Epcr),
        ..Default::default()
    }))
    .items[0]
        .id
        .clone();
    assert_eq!(
        err_code(s.preview_promotion(&[epcr], Profile::Identifiable, &BTreeMap::new())),
        "original_record"
    );
}

#[test]
fn scrubbed_free_text_is_sent_and_a_scrub_that_still_identifies_is_refused() {
    let (_tv, mut s, _) = new_vault();
    let id = review(&mut s, "R-2");
    let mut scrubbed = BTreeMap::new();
    scrubbed.insert(
        id.clone(),
        BTreeMap::from([(
            "/recommendations".to_owned(),
            "Discuss the ramp with the physician.".to_owned(),
        )]),
    );
    let p = ok(s.preview_promotion(
        std::slice::from_ref(&id),
        Profile::Nonidentifiable,
        &scrubbed,
    ));
    assert_eq!(
        p[0].body["recommendations"],
        "Discuss the ramp with the physician."
    );
    scrubbed.insert(
        id.clone(),
        BTreeMap::from([(
            "/recommendations".to_owned(),
            "Call 555-201-7788.".to_owned(),
        )]),
    );
    assert_eq!(
        err_code(s.preview_promotion(
            std::slice::from_ref(&id),
            Profile::Nonidentifiable,
            &scrubbed
        )),
        "bad_setting"
    );
}

#[test]
fn status_counts_the_pses_and_shows_when_the_next_submission_is_due() {
    let (_tv, mut s, _) = new_vault();
    let id = review(&mut s, "S-1");
    let mut waiting = call_review("S-2");
    waiting["status"] = json!("not_started");
    ok(s.create_record(RecordKind::CallReview, &waiting));
    let st = ok(s.status());
    assert_eq!(st.counts.by_pses_state.get("in_pses"), Some(&2));
    assert_eq!(st.counts.reviews_not_started, 1);
    assert_eq!(st.counts.queued, 0);
    assert!(st.next_submission_due.is_none() && !st.due_now);
    let p = ok(s.preview_promotion(
        std::slice::from_ref(&id),
        Profile::Identifiable,
        &BTreeMap::new(),
    ));
    ok(s.promote(&[p[0].record_id.clone()]));
    let c = ok(s.set_cadence(harbor::Cadence::parse_days("weekly").unwrap()));
    assert_eq!(c.days, 7);
    let st = ok(s.status());
    assert_eq!(st.counts.queued, 1);
    assert_eq!(st.counts.by_pses_state.get("queued"), Some(&1));
    let due = st.next_submission_due.unwrap();
    assert_eq!((due - c.since).num_days(), 7);
    assert!(!st.due_now);
    assert_eq!(err_code(s.set_cadence(0)), "bad_setting");
    assert_eq!(harbor::Cadence::parse_days("monthly").ok(), Some(30));
    assert_eq!(harbor::Cadence::parse_days("fortnightly").ok(), None);
}

/// Both faces confirm a promotion by naming the records; the service freezes what it
/// showed, so a face (or a script in the desktop's page) cannot hand back other bodies,
/// confirm records it never previewed, or promote a record edited since its preview.
#[test]
fn a_promotion_is_exactly_the_preview_last_shown_or_nothing() {
    let (_tv, mut s, _) = new_vault();
    let a = review(&mut s, "P-1");
    let b = review(&mut s, "P-2");
    let preview = |s: &mut harbor::Session, ids: &[String]| {
        ok(s.preview_promotion(ids, Profile::Nonidentifiable, &BTreeMap::new()))
    };

    // Nothing previewed: nothing to confirm.
    assert_eq!(
        err_code(s.promote(std::slice::from_ref(&a))),
        "preview_stale"
    );

    // Other records than the ones previewed (one more, or another order).
    preview(&mut s, std::slice::from_ref(&a));
    assert_eq!(
        err_code(s.promote(&[a.clone(), b.clone()])),
        "preview_stale"
    );
    preview(&mut s, &[a.clone(), b.clone()]);
    assert_eq!(
        err_code(s.promote(&[b.clone(), a.clone()])),
        "preview_stale"
    );

    // Edited after the preview: the person did not see this revision.
    preview(&mut s, std::slice::from_ref(&a));
    let mut edited = ok(s.record(&a)).body;
    edited["recommendations"] = json!("Now naming Dr. Alvarez again.");
    ok(s.update_record(&a, &edited));
    assert_eq!(
        err_code(s.promote(std::slice::from_ref(&a))),
        "preview_stale"
    );
    assert_eq!(ok(s.outbox()).len(), 0, "nothing was promoted");

    // What was shown is what is frozen, once.
    let shown = preview(&mut s, std::slice::from_ref(&a));
    let items = ok(s.promote(std::slice::from_ref(&a)));
    let frozen: serde_json::Value =
        serde_json::from_str(&ok(s.outbox_snapshot(&items[0].id))).unwrap();
    assert_eq!(
        frozen["body"], shown[0].body,
        "the snapshot is the body previewed"
    );
    assert!(!frozen.to_string().contains("Alvarez"));
    assert_eq!(
        err_code(s.promote(std::slice::from_ref(&a))),
        "preview_stale"
    );
}
