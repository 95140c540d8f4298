//! What the desktop app adds to the service: drafts, attachment previews, the dashboard,
//! the auto-lock setting. Each checks the role like every other action.

use crate::support::*;
use harbor::{RecordKind, Role};
use serde_json::json;

#[test]
fn drafts_belong_to_their_author_and_survive_a_lock() {
    let (v, mut admin, _) = new_vault();
    ok(admin.add_user("qa", Role::QualityOfficer, &pass(PASS)));
    ok(admin.add_user("peer", Role::Reviewer, &pass(PASS)));
    let mut qa = unlock(&v.dir, "qa", PASS);
    ok(qa.save_draft("call_review:x", &json!({"recommendations": "first"})));
    ok(qa.save_draft("call_review:x", &json!({"recommendations": "second"})));
    qa.lock();
    let mut qa = unlock(&v.dir, "qa", PASS);
    let d = ok(qa.draft("call_review:x")).expect("the draft is kept");
    assert_eq!(d.body["recommendations"], "second");
    assert_eq!(ok(qa.drafts()).len(), 1);
    // Another user sees none of it.
    let mut peer = unlock(&v.dir, "peer", PASS);
    assert!(ok(peer.draft("call_review:x")).is_none());
    ok(qa.discard_draft("call_review:x"));
    assert!(ok(qa.draft("call_review:x")).is_none());
    assert_eq!(err_code(qa.save_draft("", &json!({}))), "bad_setting");
    let huge = "x".repeat(harbor_vault::desktop::MAX_DRAFT_BYTES + 1);
    assert_eq!(err_code(qa.save_draft("k", &json!(huge))), "bad_setting");
}

#[test]
fn a_draft_is_not_a_revision_and_writes_no_audit_row() {
    let (_v, mut admin, _) = new_vault();
    let before = all_audit(&mut admin).len();
    ok(admin.save_draft("new:investigation", &json!({"title": "draft"})));
    ok(admin.save_draft("new:investigation", &json!({"title": "draft 2"})));
    // Reading the log itself is audited: allow for that one row.
    assert!(all_audit(&mut admin).len() <= before + 1);
    assert!(all_records(&mut admin).is_empty());
}

#[test]
fn the_attachment_preview_reads_the_content_and_is_audited() {
    let (v, mut admin, _) = new_vault();
    let meta = ok(admin.create_record(RecordKind::CallReview, &call_review("PCR-1")));
    let file = v.path("strip.txt");
    std::fs::write(&file, b"ECG strip, lead II").unwrap();
    let att = ok(admin.attach(&meta.id, &file));
    let (got, bytes) = ok(admin.attachment_content(&att.id));
    assert_eq!(got.id, att.id);
    assert_eq!(bytes, b"ECG strip, lead II");
    assert!(
        all_audit(&mut admin)
            .iter()
            .any(|e| e.action == "attachment.view" && e.target.as_deref() == Some(meta.id.as_str()))
    );
    assert_eq!(err_code(admin.attachment_content("no-such")), "not_found");
}

#[test]
fn the_dashboard_counts_reviews_by_status_and_by_month() {
    let (_v, mut admin, _) = new_vault();
    let mut a = call_review("PCR-A");
    a["call"]["call_date"] = json!("2026-01-15");
    a["ems_categories"] = json!(["medication", "airway"]);
    a["event_type"] = json!("near_miss");
    a["harm"] = json!({"level": "no_harm"});
    let a_id = ok(admin.create_record(RecordKind::CallReview, &a)).id;
    let mut b = call_review("PCR-B");
    b["call"]["call_date"] = json!("2026-03-02");
    b["ems_categories"] = json!(["medication"]);
    b["status"] = json!("closed");
    ok(admin.create_record(RecordKind::CallReview, &b));
    let d = ok(admin.dashboard());
    assert_eq!(d.months, vec!["2026-01", "2026-03"]);
    let med = d
        .by_category
        .iter()
        .find(|s| s.key == "medication")
        .unwrap();
    assert_eq!(med.counts, vec![1, 1]);
    assert_eq!(med.total, 2);
    assert_eq!(d.by_category[0].key, "medication", "largest first");
    assert_eq!(d.by_event_type.len(), 1);
    assert_eq!(d.by_harm[0].key, "no_harm");
    assert_eq!(d.reviews_by_status.get("closed"), Some(&1));

    // The trends follow each record's current revision: a moves to February and becomes
    // an incident with mild harm and no categories.
    a["call"]["call_date"] = json!("2026-02-20");
    a["event_type"] = json!("incident");
    a["harm"] = json!({"level": "mild_harm"});
    a["ems_categories"] = json!([]);
    ok(admin.update_record(&a_id, &a));
    let d = ok(admin.dashboard());
    assert_eq!(d.months, vec!["2026-02", "2026-03"]);
    assert_eq!(d.by_category.len(), 1);
    assert_eq!(d.by_category[0].counts, vec![0, 1]);
    assert_eq!(d.by_event_type[0].key, "incident");
    assert_eq!(d.by_event_type[0].counts, vec![1, 0]);
    assert_eq!(d.by_harm[0].key, "mild_harm");
}

#[test]
fn everyone_reads_the_idle_time_and_only_an_administrator_changes_it() {
    let (v, mut admin, _) = new_vault();
    assert_eq!(ok(admin.desktop_settings()).auto_lock_minutes, 15.0);
    ok(admin.add_user("peer", Role::Reviewer, &pass(PASS)));
    ok(admin.set_auto_lock_minutes(5.0));
    assert_eq!(err_code(admin.set_auto_lock_minutes(0.0)), "bad_setting");
    assert_eq!(
        err_code(admin.set_auto_lock_minutes(f64::NAN)),
        "bad_setting"
    );
    assert_eq!(err_code(admin.set_auto_lock_minutes(481.0)), "bad_setting");
    let mut peer = unlock(&v.dir, "peer", PASS);
    assert_eq!(ok(peer.desktop_settings()).auto_lock_minutes, 5.0);
    assert_eq!(err_code(peer.set_auto_lock_minutes(60.0)), "forbidden");
    assert!(harbor::desktop::vault_exists(&v.dir));
    assert!(!harbor::desktop::vault_exists(&v.path("elsewhere")));
}

#[test]
fn a_reply_preview_names_what_the_reply_carries_and_record_meta_reads_no_content() {
    let (v1, mut station, _) = new_vault();
    let (v2, mut laptop_admin, _) = new_vault();
    ok(laptop_admin.add_user("md", Role::MedicalDirector, &pass(PASS)));
    ok(laptop_admin.add_user("peer", Role::Reviewer, &pass(PASS)));
    let mut laptop = unlock(&v2.dir, "md", PASS);
    let station_id = ok(station.device_identity()).identity;
    let laptop_id = ok(laptop.device_identity()).identity;
    ok(station.contact_add("laptop", &laptop_id));
    ok(laptop.contact_add("station", &station_id));
    let a = ok(station.create_record(RecordKind::CallReview, &call_review("PCR-A")));
    let b = ok(station.create_record(RecordKind::CallReview, &call_review("PCR-B")));
    let out = v1.path("p1.hpk");
    ok(station.packet_export(
        "laptop",
        harbor::PacketChoice::Records(&[a.id.clone(), b.id.clone()]),
        false,
        "case review",
        &out,
    ));
    let got = ok(laptop.packet_import(&out));
    // Nothing changed yet: a reply would carry nothing.
    assert!(ok(laptop.packet_reply_preview(&got.packet_id)).is_empty());
    let mut edited = call_review("PCR-A");
    edited["recommendations"] = json!("Edited on the laptop");
    ok(laptop.update_record(&a.id, &edited));
    let note = ok(laptop.create_record(
        RecordKind::CaseNote,
        &json!({"subject": b.id, "clinical_assessment": "Fine", "standard_of_care": "met"}),
    ));
    let mut preview: Vec<String> = ok(laptop.packet_reply_preview(&got.packet_id))
        .into_iter()
        .map(|m| m.id)
        .collect();
    preview.sort();
    let mut expected = vec![a.id.clone(), note.id.clone()];
    expected.sort();
    assert_eq!(
        preview, expected,
        "the edited review and the note, not the unchanged"
    );
    // The reply then carries exactly those.
    let reply = ok(laptop.packet_export(
        "station",
        harbor::PacketChoice::ReplyTo(&got.packet_id),
        false,
        "reply",
        &v2.path("reply.hpk"),
    ));
    assert_eq!(reply.records, 2);
    // A dropped-out record is not disclosed within the PSES: chosen by hand it is refused
    // (nothing is written), and a reply leaves it out, in the preview as in the packet.
    ok(station.drop_out(&b.id, "not a safety matter"));
    let refused = v1.path("dropped.hpk");
    assert_eq!(
        err_code(station.packet_export(
            "laptop",
            harbor::PacketChoice::Records(&[a.id.clone(), b.id.clone()]),
            false,
            "case review",
            &refused,
        )),
        "dropped_out"
    );
    assert!(!refused.exists(), "a refused packet leaves no file");
    ok(laptop_admin.drop_out(&note.id, "written in error"));
    let preview: Vec<String> = ok(laptop.packet_reply_preview(&got.packet_id))
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(
        preview,
        vec![a.id.clone()],
        "the dropped-out note stays home"
    );
    let reply = ok(laptop.packet_export(
        "station",
        harbor::PacketChoice::ReplyTo(&got.packet_id),
        false,
        "reply again",
        &v2.path("reply2.hpk"),
    ));
    assert_eq!(reply.records, 1);
    assert_eq!(
        err_code(laptop.packet_reply_preview("no-such-packet")),
        "not_found"
    );

    // The metadata of a record is not an audited read of it.
    let reads = |s: &mut harbor::Session| {
        all_audit(s)
            .iter()
            .filter(|e| e.action == "record.read")
            .count()
    };
    let before = reads(&mut laptop_admin);
    let meta = ok(laptop.record_meta(&b.id));
    assert_eq!(meta.title, b.title);
    assert_eq!(reads(&mut laptop_admin), before);
    assert_eq!(err_code(laptop.record_meta("no-such")), "not_found");
    let mut peer = unlock(&v2.dir, "peer", PASS);
    assert_eq!(
        err_code(peer.packet_reply_preview(&got.packet_id)),
        "forbidden"
    );
}
