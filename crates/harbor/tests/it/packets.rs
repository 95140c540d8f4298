//! Case packets crafted by a trusted contact's vault: validly signed with its real device
//! key (read through the tamper-test path), carrying what an honest export never would.

use crate::support::*;
use harbor::RecordKind;
use harbor::protocol::{DeviceIdentity, PsoKeys};
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
    laptop_keys: PsoKeys,
    station_id: DeviceIdentity,
}

/// The station knows the laptop as `laptop`; the laptop's keys sign what the test crafts.
fn pair() -> Pair {
    let (station, mut st, _) = new_vault();
    let (_laptop, mut lp, _) = new_vault();
    let laptop_line = ok(lp.device_identity()).identity;
    ok(st.contact_add("laptop", &laptop_line));
    let laptop_keys = device_keys(&mut lp);
    let station_id = DeviceIdentity::of(&device_keys(&mut st));
    Pair {
        station,
        st,
        laptop_keys,
        station_id,
    }
}

fn new_record(id: &str, entered_at: &str) -> Value {
    json!({"record_id": id, "kind": "call_review", "entered_at": entered_at,
           "created_by": "admin", "author": "admin", "revision_hash": "00",
           "body": call_review("PK-CRAFT")})
}

fn attachment(record_id: &str, content: &[u8]) -> Value {
    json!({"attachment_id": uuid::Uuid::now_v7().to_string(), "record_id": record_id,
           "name": "planted.pdf", "size": content.len(),
           "sha256": harbor::core::canonical::sha256_hex(content)})
}

/// Signs and seals a crafted body (and payload) from the laptop to the station; returns
/// the file's path.
fn craft(p: &Pair, records: Value, attachments: Value, payload: &[u8]) -> std::path::PathBuf {
    let body = json!({"format": "harbor-packet/2", "packet_id": uuid::Uuid::now_v7().to_string(),
        "created_at": "2026-11-30T10:00:00Z", "to": p.station_id.signing_key, "purpose": "review",
        "reply_to": null, "epcrs": [], "records": records, "attachments": attachments});
    let file =
        harbor::protocol::seal_packet(&p.laptop_keys, &p.station_id, &body, payload).unwrap();
    let path = p.station.path(&format!("{}.hpk", uuid::Uuid::now_v7()));
    std::fs::write(&path, file).unwrap();
    path
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
