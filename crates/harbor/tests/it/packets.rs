//! Case packets crafted by a trusted contact's vault: validly signed with its real device
//! key (read through the tamper-test path), carrying what an honest export never would.

use crate::support::*;
use harbor::RecordKind;
use harbor_protocol::{DeviceIdentity, PsoKeys};
use serde_json::{Value, json};

/// A vault's device keys, read from inside the unlocked vault (the attacker holds them).
fn device_keys(s: &mut harbor::Session) -> PsoKeys {
    ok(s.device_identity());
    let text = s
        .vault_for_tamper_tests()
        .stored_document("device_keys")
        .unwrap()
        .expect("device keys exist");
    let v: Value = serde_json::from_str(&text).unwrap();
    let secret = |k: &str| -> [u8; 32] {
        hex::decode(v[k].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap()
    };
    PsoKeys::from_secrets(&secret("signing"), &secret("receive_ikm"))
}

struct Pair {
    station: TestVault,
    st: harbor::Session,
    _laptop: TestVault,
    lp: harbor::Session,
    laptop_keys: PsoKeys,
    station_id: DeviceIdentity,
}

/// The station knows the laptop as `laptop`; the laptop's keys sign what the test crafts.
fn pair() -> Pair {
    let (station, mut st, _) = new_vault();
    let (laptop, mut lp, _) = new_vault();
    let laptop_line = ok(lp.device_identity()).identity;
    ok(st.contact_add("laptop", &laptop_line));
    let laptop_keys = device_keys(&mut lp);
    let station_id = DeviceIdentity::of(&device_keys(&mut st));
    Pair {
        station,
        st,
        _laptop: laptop,
        lp,
        laptop_keys,
        station_id,
    }
}

/// The device keys of a vault the station does not know.
fn stranger_keys() -> PsoKeys {
    let (_stranger, mut s, _) = new_vault();
    device_keys(&mut s)
}

fn new_record(id: &str, entered_at: &str) -> Value {
    json!({"record_id": id, "kind": "call_review", "entered_at": entered_at,
           "created_by": "admin", "author": "admin", "revision_hash": "00",
           "body": call_review("PK-CRAFT")})
}

fn attachment(record_id: &str, content: &[u8]) -> Value {
    json!({"attachment_id": uuid::Uuid::now_v7().to_string(), "record_id": record_id,
           "name": "planted.pdf", "size": content.len(),
           "sha256": harbor_core::canonical::sha256_hex(content)})
}

/// Signs and seals a crafted body (and payload) from the laptop to the station; returns
/// the file's path.
fn craft(p: &Pair, records: Value, attachments: Value, payload: &[u8]) -> std::path::PathBuf {
    let file = seal(p, &p.laptop_keys, json!([]), records, attachments, payload);
    write_packet(p, &file)
}

/// The sealed bytes of a crafted body, signed with `from`'s keys, for the station.
fn seal(
    p: &Pair,
    from: &PsoKeys,
    epcrs: Value,
    records: Value,
    attachments: Value,
    payload: &[u8],
) -> Vec<u8> {
    let body = json!({"format": "harbor-packet/2", "packet_id": uuid::Uuid::now_v7().to_string(),
        "created_at": "2026-11-30T10:00:00Z", "to": p.station_id.signing_key, "purpose": "review",
        "reply_to": null, "epcrs": epcrs, "records": records, "attachments": attachments});
    harbor_protocol::seal_packet(from, &p.station_id, &body, payload).unwrap()
}

fn write_packet(p: &Pair, file: &[u8]) -> std::path::PathBuf {
    let path = p.station.path(&format!("{}.hpk", uuid::Uuid::now_v7()));
    std::fs::write(&path, file).unwrap();
    path
}

/// The key id (as packet headers name it) of a vault's signing key.
fn signing_key_id(keys: &PsoKeys) -> String {
    harbor_protocol::key_id(&hex::decode(keys.signing.public().to_hex()).unwrap())
}

/// One ePCR, as a packet carries it.
fn carried_epcr(id: &str, body: &Value, xml: &str, imported_at: &str) -> Value {
    json!({"record_id": id, "imported_at": imported_at, "imported_by": "admin",
           "revision_hash": "00", "file_name": "call.xml", "body": body, "xml": xml})
}

/// A NEMSIS file with one call, imported into `s`: the ePCR's id, body and XML (as the
/// vault keeps it and a packet carries it: the report's element).
fn import_call(s: &mut harbor::Session, dir: &TestVault, pcr: &str) -> (String, Value, String) {
    let xml = format!(
        r#"<EMSDataSet xmlns="http://www.nemsis.org"><Header><PatientCareReport UUID="{}"><eRecord><eRecord.01>{pcr}</eRecord.01></eRecord><eNarrative><eNarrative.01>As charted.</eNarrative.01></eNarrative></PatientCareReport></Header></EMSDataSet>"#,
        uuid::Uuid::new_v4()
    );
    let f = dir.path(&format!("{pcr}.xml"));
    std::fs::write(&f, &xml).unwrap();
    ok(s.import_nemsis(&[f], &harbor::ImportOptions::default(), &mut |_| {}));
    let id = ok(s.list(&harbor::ListQuery {
        kind: Some(RecordKind::Epcr),
        ..Default::default()
    }))
    .items
    .into_iter()
    .find(|m| m.title.contains(pcr))
    .expect("the call was imported")
    .id;
    let body = ok(s.record(&id)).body;
    let source = ok(s.epcr_source(&id));
    (id, body, source)
}

/// A date as the ledger's details hold it.
fn date(v: &Value) -> chrono::DateTime<chrono::Utc> {
    v.as_str().expect("a date").parse().expect("RFC 3339")
}

/// Whether `at` is no earlier than `before` and no later than now.
fn during(at: chrono::DateTime<chrono::Utc>, before: chrono::DateTime<chrono::Utc>) -> bool {
    let slack = chrono::Duration::seconds(1);
    at + slack >= before && at <= chrono::Utc::now() + slack
}

#[test]
fn a_packet_cannot_plant_an_attachment_on_a_record_it_does_not_carry() {
    let mut p = pair();
    let own =
        ok(p.st.create_record(RecordKind::CallReview, &call_review("PK-OWN"))).id;
    let file = craft(
        &p,
        json!([]),
        json!([attachment(&own, b"planted")]),
        b"planted",
    );
    let code = err_code(p.st.packet_import(&file));
    assert_eq!(code, "packet_refused");
    assert!(
        ok(p.st.attachments(&own)).is_empty(),
        "nothing was attached"
    );
}

#[test]
fn a_packet_cannot_carry_an_attachment_over_the_receivers_limit() {
    let mut p = pair();
    ok(p.st.set_setting("attachment_max_bytes", "16"));
    let id = uuid::Uuid::now_v7().to_string();
    let big = vec![7u8; 64];
    let file = craft(
        &p,
        json!([new_record(&id, "2026-11-30T09:00:00Z")]),
        json!([attachment(&id, &big)]),
        &big,
    );
    assert_eq!(err_code(p.st.packet_import(&file)), "attachment_too_large");
    assert_eq!(
        err_code(p.st.record_meta(&id)),
        "not_found",
        "nothing was imported"
    );
}

#[test]
fn a_packet_cannot_claim_an_entry_into_the_pses_in_the_future() {
    let mut p = pair();
    let id = uuid::Uuid::now_v7().to_string();
    let file = craft(
        &p,
        json!([new_record(&id, "2099-01-01T00:00:00Z")]),
        json!([]),
        b"",
    );
    assert_eq!(err_code(p.st.packet_import(&file)), "packet_refused");
    assert_eq!(
        err_code(p.st.record_meta(&id)),
        "not_found",
        "nothing was imported"
    );
}

#[test]
fn a_received_record_names_its_author_as_the_senders_claim_not_as_a_local_user() {
    let mut p = pair();
    let id = uuid::Uuid::now_v7().to_string();
    let file = craft(
        &p,
        json!([new_record(&id, "2026-11-30T09:00:00Z")]),
        json!([]),
        b"",
    );
    ok(p.st.packet_import(&file));
    let meta = ok(p.st.record_meta(&id));
    assert_eq!(
        meta.created_by, "admin@laptop",
        "the sender's 'admin' is not this vault's"
    );
}

/// A stranger's packet is refused for its sender before anything is decrypted: its key id
/// is in the header, so even a damaged one says who it is from.
#[test]
fn a_strangers_packet_is_refused_for_its_sender_before_it_is_opened() {
    let mut p = pair();
    let stranger = stranger_keys();
    let id = uuid::Uuid::now_v7().to_string();
    let mut file = seal(
        &p,
        &stranger,
        json!([]),
        json!([new_record(&id, "2026-11-30T09:00:00Z")]),
        json!([]),
        b"",
    );
    let last = file.len() - 1;
    file[last] ^= 1;
    let path = write_packet(&p, &file);
    assert_eq!(err_code(p.st.packet_import(&path)), "packet_unknown_sender");
    assert_eq!(err_code(p.st.record_meta(&id)), "not_found");
}

/// A stranger's packet whose header names a contact's key id instead of its own is refused:
/// the header is sealed with the packet, and the signature inside is not that contact's.
#[test]
fn a_header_naming_a_contact_over_a_strangers_packet_is_refused() {
    let mut p = pair();
    let stranger = stranger_keys();
    let id = uuid::Uuid::now_v7().to_string();
    let file = seal(
        &p,
        &stranger,
        json!([]),
        json!([new_record(&id, "2026-11-30T09:00:00Z")]),
        json!([]),
        b"",
    );
    let (from, to) = (
        format!("\nsender {}\n", signing_key_id(&stranger)),
        format!("\nsender {}\n", signing_key_id(&p.laptop_keys)),
    );
    let head_end = file.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
    let head = String::from_utf8(file[..head_end].to_vec()).unwrap();
    assert!(head.contains(&from), "the header names its sender: {head}");
    let mut forged = head.replacen(&from, &to, 1).into_bytes();
    forged.extend_from_slice(&file[head_end..]);
    let path = write_packet(&p, &forged);
    assert_eq!(err_code(p.st.packet_import(&path)), "packet_damaged");
    assert_eq!(err_code(p.st.record_meta(&id)), "not_found");
}

/// A received record's dates are this vault's: its creation, its first revision and its
/// entry into this vault's PSES are dated at the import; the sender's claimed entry date,
/// however old, stays in the ledger as a claim.
#[test]
fn a_backdated_entry_date_stays_a_claim_and_the_record_is_dated_at_the_import() {
    let mut p = pair();
    let id = uuid::Uuid::now_v7().to_string();
    let file = craft(
        &p,
        json!([new_record(&id, "2019-03-01T09:00:00Z")]),
        json!([]),
        b"",
    );
    let before = chrono::Utc::now();
    ok(p.st.packet_import(&file));
    let h = ok(p.st.history(&id));
    assert!(
        during(h.meta.created_at, before),
        "created {}",
        h.meta.created_at
    );
    assert!(
        during(h.revisions[0].at, before),
        "revised {}",
        h.revisions[0].at
    );
    let entered = h
        .pses_events
        .iter()
        .find(|e| e.event == "entered_pses")
        .expect("entered the PSES");
    assert!(during(entered.at, before), "entered {}", entered.at);
    assert_eq!(
        date(&entered.detail["claimed_entered_at"]),
        date(&json!("2019-03-01T09:00:00Z"))
    );
    assert_eq!(entered.detail["claimed_by_sender"], true);
    assert_eq!(entered.detail["imported_by"], "admin");
}

/// A contact cannot revise an ePCR this vault imported itself (nor one another contact
/// sent): the call stays as this vault holds it.
#[test]
fn a_packet_cannot_revise_an_epcr_this_vault_did_not_receive_from_that_contact() {
    let mut p = pair();
    let (id, body, xml) = import_call(&mut p.st, &p.station, "OWN-1");
    let altered = xml.replace("As charted.", "Rewritten by the sender.");
    let file = seal(
        &p,
        &p.laptop_keys,
        json!([carried_epcr(&id, &body, &altered, "2026-11-30T09:00:00Z")]),
        json!([]),
        json!([]),
        b"",
    );
    let path = write_packet(&p, &file);
    let got = ok(p.st.packet_import(&path));
    assert_eq!(got.unchanged, vec![id.clone()], "{got:?}");
    assert_eq!(ok(p.st.epcr_source(&id)), xml, "the station's XML");
    assert_eq!(ok(p.st.history(&id)).revisions.len(), 1, "no new revision");
    assert!(
        ok(p.st.received()).iter().all(|r| r.record_id != id),
        "the station's own call is not listed as received"
    );
    let import = all_audit(&mut p.st)
        .into_iter()
        .rfind(|e| e.action == "packet.import")
        .expect("the import is audited");
    assert_eq!(import.detail["epcrs_kept"], json!([id]));
}

/// A carried ePCR is this vault's original record from its import here: dated at the
/// import, its importer the sender's claim, the sender's import date kept in the ledger.
/// A later packet from the same contact with a newer version of the call revises it.
#[test]
fn a_carried_epcr_names_its_importer_as_the_senders_claim_and_is_dated_at_the_import() {
    let mut p = pair();
    let (id, body, xml) = import_call(&mut p.lp, &p._laptop, "LP-CALL");
    let file = seal(
        &p,
        &p.laptop_keys,
        json!([carried_epcr(&id, &body, &xml, "2019-03-01T09:00:00Z")]),
        json!([]),
        json!([]),
        b"",
    );
    let path = write_packet(&p, &file);
    let before = chrono::Utc::now();
    assert_eq!(ok(p.st.packet_import(&path)).added, vec![id.clone()]);
    let h = ok(p.st.history(&id));
    assert_eq!(h.meta.created_by, "admin@laptop");
    assert_eq!(h.revisions[0].author, "admin@laptop");
    assert!(
        during(h.meta.created_at, before),
        "created {}",
        h.meta.created_at
    );
    assert!(
        during(h.revisions[0].at, before),
        "revised {}",
        h.revisions[0].at
    );
    let got = h
        .pses_events
        .iter()
        .find(|e| e.event == "received_original_record")
        .expect("received");
    assert_eq!(
        date(&got.detail["claimed_imported_at"]),
        date(&json!("2019-03-01T09:00:00Z"))
    );
    // The same contact's newer version of the call is a new revision.
    let newer = xml.replace("As charted.", "Late entry by the crew.");
    let file = seal(
        &p,
        &p.laptop_keys,
        json!([carried_epcr(&id, &body, &newer, "2026-11-30T09:00:00Z")]),
        json!([]),
        json!([]),
        b"",
    );
    let path = write_packet(&p, &file);
    assert_eq!(ok(p.st.packet_import(&path)).revised, vec![id.clone()]);
    assert_eq!(ok(p.st.epcr_source(&id)), newer);
}
