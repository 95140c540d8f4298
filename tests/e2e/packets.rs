//! Case packets: the medical director's offline round trip between two vaults, through
//! the real `harbor` binary.

use harbor_e2e::*;
use serde_json::{Value, json};
use std::path::Path;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_of(s: &Scratch, user: &str, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    ok_json(&s.harbor(user).args(&all).output().unwrap())
}

/// Two vaults that know each other: the station (quality officer `qa`) and the medical
/// director's laptop (`dr.okafor`).
fn pair() -> (Scratch, Scratch) {
    let station = Scratch::new();
    station.init();
    station.add_user("qa", "quality_officer");
    let laptop = Scratch::new();
    laptop.init();
    laptop.add_user("dr.okafor", "medical_director");
    add_contact(&station, "qa", "okafor-laptop", &laptop);
    add_contact(&laptop, "dr.okafor", "station", &station);
    (station, laptop)
}

/// `user` of `vault` adds `other` as a contact named `name`.
fn add_contact(vault: &Scratch, user: &str, name: &str, other: &Scratch) {
    let identity = json_of(other, "admin", &["device", "show"]);
    assert_ok(
        &vault
            .harbor(user)
            .args([
                "contact",
                "add",
                name,
                identity["identity"].as_str().unwrap(),
            ])
            .output()
            .unwrap(),
    );
}

fn review(n: usize, canary: &str) -> Value {
    json!({"call": {"pcr_number": format!("PK-{n}"), "call_date": format!("2026-10-0{n}"), "unit": "Medic 7"},
           "status": "pending_medical_director", "recommendations": format!("{canary} review {n}")})
}

fn export(s: &Scratch, user: &str, args: &[&str], out: &Path) -> Value {
    let mut all = vec!["--json", "packet", "export"];
    all.extend_from_slice(args);
    let out_s = out.to_str().unwrap().to_owned();
    all.extend(["--out", out_s.as_str()]);
    ok_json(&s.harbor(user).args(&all).output().unwrap())
}

/// The medical director's reply to the received packet `got` (an import outcome), to the
/// station, written to `out`.
fn reply_to_station(laptop: &Scratch, got: &Value, out: &Path) -> Value {
    let packet = got["packet_id"].as_str().unwrap();
    export(
        laptop,
        "dr.okafor",
        &["--to", "station", "--reply-to", packet],
        out,
    )
}

fn import(s: &Scratch, user: &str, file: &Path) -> std::process::Output {
    s.harbor(user)
        .args(["--json", "packet", "import"])
        .arg(file)
        .output()
        .unwrap()
}

/// Each vault's audit chain verifies.
fn audit_verifies(vaults: &[&Scratch]) {
    for s in vaults {
        assert_ok(
            &s.harbor("admin")
                .args(["audit", "verify"])
                .output()
                .unwrap(),
        );
    }
}

fn history(s: &Scratch, id: &str) -> Value {
    json_of(s, "admin", &["record", "history", id])
}

fn update(s: &Scratch, user: &str, id: &str, body: &Value) {
    assert_ok(&s.run_with_input(
        user,
        &["record", "update", id, "--file", "-"],
        &body.to_string(),
    ));
}

#[test]
fn a_round_trip_brings_the_medical_directors_notes_and_edits_back_to_the_station() {
    let (station, laptop) = pair();
    let canary = "CANARY-PKT-7f3a";
    // Three calls (imported ePCRs) and a review of each.
    let calls = import_calls(&station, 3);
    let ids: Vec<String> = (1..=3)
        .map(|n| {
            let mut body = review(n, canary);
            body["call"]["epcr_id"] = json!(calls[n - 1]);
            station.create_record("qa", "call_review", &body)
        })
        .collect();
    let strip = station.work().join("ecg-strip.pdf");
    std::fs::write(&strip, format!("%PDF-1.4 {canary} ecg")).unwrap();
    assert_ok(
        &station
            .harbor("qa")
            .args(["attach", &ids[0]])
            .arg(&strip)
            .output()
            .unwrap(),
    );

    // Out: three calls with their reviews and the attachment, for the laptop only.
    let p1 = station.work().join("to-laptop.hpk");
    let mut args = vec!["--to", "okafor-laptop", "--with-attachments", "--records"];
    args.extend(ids.iter().map(String::as_str));
    let sent = export(&station, "qa", &args, &p1);
    assert_eq!(
        (
            sent["records"].as_u64(),
            sent["epcrs"].as_u64(),
            sent["attachments"].as_u64()
        ),
        (Some(3), Some(3), Some(1))
    );
    let bytes = std::fs::read(&p1).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // Strings long enough that ciphertext does not hold them by chance (a three-letter
    // one turns up in random bytes of this size about once in a few hundred runs).
    for plain in [
        canary,
        "PK-1",
        "Medic 7",
        "ecg-strip",
        "in_review",
        ids[0].as_str(),
    ] {
        assert!(!text.contains(plain), "{plain} readable in the packet file");
    }
    // Each record carries the disclosure within the PSES.
    let h = history(&station, &ids[1]);
    let disclosed = h["pses_events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "disclosed_in_pses")
        .unwrap();
    assert_eq!(disclosed["detail"]["to"], "okafor-laptop");
    // And the disclosure log has the packet once, with every record it carried.
    let log = json_of(&station, "qa", &["disclosure", "list"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["channel"], "packet");
    assert_eq!(log[0]["recipient"], "okafor-laptop");
    assert_eq!(log[0]["permission"], "within_pses");
    for id in &ids {
        assert!(
            log[0]["records"].as_array().unwrap().contains(&json!(id)),
            "{id} in {log:?}"
        );
    }

    // On the laptop: received as they were, with their origin.
    let got = ok_json(&import(&laptop, "dr.okafor", &p1));
    assert_eq!(
        got["added"].as_array().unwrap().len(),
        6,
        "three calls, three reviews"
    );
    assert_eq!(got["attachments"], 1);
    let received = json_of(&laptop, "dr.okafor", &["packet", "received"]);
    assert_eq!(received.as_array().unwrap().len(), 6);
    for call in &calls {
        assert_eq!(
            json_of(&laptop, "dr.okafor", &["record", "source", call])["xml"],
            json_of(&station, "qa", &["record", "source", call])["xml"],
            "the call arrives with its original XML"
        );
    }
    assert_eq!(received[0]["from_contact"], "station");
    let copy = json_of(&laptop, "dr.okafor", &["record", "show", &ids[2]]);
    assert_eq!(
        copy["body"]["recommendations"],
        format!("{canary} review 3")
    );

    // The medical director writes two case notes and edits one review, then replies.
    let notes: Vec<String> = [&ids[0], &ids[1]]
        .iter()
        .map(|subject| {
            laptop.create_record(
                "dr.okafor",
                "case_note",
                &json!({"subject": subject, "clinical_assessment": "Airway managed late", "standard_of_care": "met"}),
            )
        })
        .collect();
    let mut edited = review(3, canary);
    edited["recommendations"] = json!("Add a capnography check to the protocol");
    update(&laptop, "dr.okafor", &ids[2], &edited);
    let p2 = laptop.work().join("reply.hpk");
    let reply = reply_to_station(&laptop, &got, &p2);
    assert_eq!(
        reply["records"], 3,
        "two notes and the edited review; the unchanged stay home"
    );

    // Back at the station.
    let back = ok_json(&import(&station, "qa", &p2));
    let mut added: Vec<String> = back["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    added.sort();
    let mut expected = notes.clone();
    expected.sort();
    assert_eq!(added, expected);
    assert_eq!(back["revised"], json!([ids[2]]));
    assert!(back["conflicts"].as_array().unwrap().is_empty());
    // The notes keep their author, labelled as the laptop's claim; they entered the
    // station's PSES at the import, the laptop's entry date kept beside it as its claim.
    for note in &notes {
        let h = history(&station, note);
        assert_eq!(h["meta"]["created_by"], "dr.okafor@okafor-laptop");
        assert_eq!(h["revisions"][0]["author"], "dr.okafor@okafor-laptop");
        let laptop_h = history(&laptop, note);
        let entered = |h: &Value| {
            h["pses_events"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["event"] == "entered_pses")
                .unwrap()
                .clone()
        };
        let (here, there) = (entered(&h), entered(&laptop_h));
        let instant = |v: &Value| {
            // RFC 3339 in UTC, written with or without trailing zeros in the fraction.
            let t = v.as_str().unwrap().trim_end_matches('Z');
            let t = if t.contains('.') {
                t.trim_end_matches('0').trim_end_matches('.')
            } else {
                t
            };
            t.to_owned()
        };
        assert_eq!(
            instant(&here["detail"]["claimed_entered_at"]),
            instant(&there["at"]),
            "the claim kept"
        );
        assert_eq!(
            instant(&here["at"]),
            instant(&here["detail"]["imported_at"]),
            "dated at the import"
        );
        assert_eq!(instant(&h["meta"]["created_at"]), instant(&here["at"]));
    }
    // The edited review is a new revision by the medical director.
    let h = history(&station, &ids[2]);
    assert_eq!(h["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(h["revisions"][1]["author"], "dr.okafor@okafor-laptop");
    assert_eq!(
        h["revisions"][1]["body"]["recommendations"],
        "Add a capnography check to the protocol"
    );
    audit_verifies(&[&station, &laptop]);
    // The same packet again changes nothing.
    let again = ok_json(&import(&station, "qa", &p2));
    assert_eq!(again["already_imported"], true);
    assert_eq!(
        history(&station, &ids[2])["revisions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn edits_on_both_sides_become_a_conflict_that_a_person_resolves() {
    let (station, laptop) = pair();
    let id = station.create_record("qa", "call_review", &review(1, "C"));
    let p1 = station.work().join("p1.hpk");
    export(
        &station,
        "qa",
        &["--to", "okafor-laptop", "--records", &id],
        &p1,
    );
    let got = ok_json(&import(&laptop, "dr.okafor", &p1));

    let mut theirs = review(1, "C");
    theirs["recommendations"] = json!("laptop's view");
    update(&laptop, "dr.okafor", &id, &theirs);
    let mut ours = review(1, "C");
    ours["recommendations"] = json!("station's view");
    update(&station, "qa", &id, &ours);

    let p2 = laptop.work().join("p2.hpk");
    export(
        &laptop,
        "dr.okafor",
        &[
            "--to",
            "station",
            "--reply-to",
            got["packet_id"].as_str().unwrap(),
        ],
        &p2,
    );
    let back = ok_json(&import(&station, "qa", &p2));
    assert_eq!(back["conflicts"], json!([id]));
    // Nothing was overwritten: the station's revision stands.
    let show = json_of(&station, "qa", &["record", "show", &id]);
    assert_eq!(show["body"]["recommendations"], "station's view");
    let conflicts = json_of(&station, "qa", &["conflicts", "list"]);
    assert_eq!(conflicts.as_array().unwrap().len(), 1);
    assert_eq!(conflicts[0]["body"]["recommendations"], "laptop's view");
    assert_eq!(conflicts[0]["author"], "dr.okafor@okafor-laptop");

    let cid = conflicts[0]["id"].as_str().unwrap();
    let resolved = json_of(
        &station,
        "qa",
        &["conflicts", "resolve", cid, "--keep", "theirs"],
    );
    assert_eq!(resolved["resolution"], "took_theirs");
    let show = json_of(&station, "qa", &["record", "show", &id]);
    assert_eq!(show["body"]["recommendations"], "laptop's view");
    assert!(
        json_of(&station, "qa", &["conflicts", "list"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let h = history(&station, &id);
    assert!(
        h["pses_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "conflict_resolved")
    );
    audit_verifies(&[&station]);
}

#[test]
fn unknown_senders_other_recipients_and_damaged_packets_are_refused_and_change_nothing() {
    let (station, laptop) = pair();
    let stranger = Scratch::new();
    stranger.init();
    let id = station.create_record("qa", "call_review", &review(1, "R"));
    let p1 = station.work().join("p1.hpk");
    export(
        &station,
        "qa",
        &["--to", "okafor-laptop", "--records", &id],
        &p1,
    );

    let count = |s: &Scratch| {
        json_of(s, "admin", &["record", "list", "--limit", "100"])
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
    };
    let check_refused = |s: &Scratch, file: &Path, exit: i32, says: &str| {
        let before = count(s);
        let out = import(s, "admin", file);
        assert_eq!(code(&out), exit, "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("nothing was imported"),
            "{}",
            stderr(&out)
        );
        assert_eq!(count(s), before, "nothing was imported");
    };
    // For the laptop, not for a stranger.
    check_refused(&stranger, &p1, 16, "for another vault");
    // A flipped byte, a truncated file, something else entirely.
    let bytes = std::fs::read(&p1).unwrap();
    let flipped = laptop.work().join("flipped.hpk");
    let mut b = bytes.clone();
    let at = b.len() / 2;
    b[at] ^= 0x40;
    std::fs::write(&flipped, b).unwrap();
    check_refused(&laptop, &flipped, 16, "altered, cut short or damaged");
    let cut = laptop.work().join("cut.hpk");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    check_refused(&laptop, &cut, 16, "altered, cut short or damaged");
    let other = laptop.work().join("notes.txt");
    std::fs::write(&other, "not a packet").unwrap();
    check_refused(&laptop, &other, 16, "not a Harbor case packet");
    // A sender the laptop does not know: the station is removed from its contacts.
    assert_ok(
        &laptop
            .harbor("dr.okafor")
            .args(["contact", "remove", "station"])
            .output()
            .unwrap(),
    );
    check_refused(&laptop, &p1, 16, "not a contact");
    // Known again: the intact packet imports, once.
    add_contact(&laptop, "dr.okafor", "station", &station);
    let got = ok_json(&import(&laptop, "dr.okafor", &p1));
    assert_eq!(got["added"], json!([id]));
    let again = ok_json(&import(&laptop, "dr.okafor", &p1));
    assert_eq!(again["already_imported"], true);
    audit_verifies(&[&laptop]);
}

/// Imports generated NEMSIS calls into `s` (a review is created for each flagged call,
/// referring to its ePCR); returns the ids of the first `count` ePCRs.
fn import_calls(s: &Scratch, count: usize) -> Vec<String> {
    let nemsis = s.work().join("nemsis");
    assert_ok(
        &s.harbor("qa")
            .args([
                "demo",
                "generate-nemsis",
                "--count",
                "30",
                "--seed",
                "5",
                "--out",
            ])
            .arg(&nemsis)
            .output()
            .unwrap(),
    );
    assert_ok(
        &s.harbor("qa")
            .args(["--json", "import", "nemsis"])
            .arg(&nemsis)
            .output()
            .unwrap(),
    );
    let limit = count.to_string();
    json_of(
        s,
        "qa",
        &["record", "list", "--kind", "epcr", "--limit", &limit],
    )["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_calls_travel_with_their_reviews_and_stay_home_in_the_reply() {
    let (station, laptop) = pair();
    // Generated calls: ePCRs, and a review of each flagged call that refers to its ePCR.
    import_calls(&station, 1);
    let reviews = json_of(
        &station,
        "qa",
        &["record", "list", "--kind", "call_review", "--limit", "3"],
    );
    let reviews: Vec<String> = reviews["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reviews.len(), 3);
    let calls: Vec<String> = reviews
        .iter()
        .map(|id| {
            json_of(&station, "qa", &["record", "show", id])["body"]["call"]["epcr_id"]
                .as_str()
                .expect("a generated review refers to its call")
                .to_owned()
        })
        .collect();
    let pcr = json_of(&station, "qa", &["record", "show", &calls[0]])["body"]["pcr_number"]
        .as_str()
        .unwrap()
        .to_owned();

    let p1 = station.work().join("calls.hpk");
    let mut args = vec!["--to", "okafor-laptop", "--records"];
    args.extend(reviews.iter().map(String::as_str));
    let sent = export(&station, "qa", &args, &p1);
    assert_eq!(
        (sent["records"].as_u64(), sent["epcrs"].as_u64()),
        (Some(3), Some(3))
    );
    let text = String::from_utf8_lossy(&std::fs::read(&p1).unwrap()).into_owned();
    assert!(
        !text.contains(&pcr),
        "the call's PCR number is readable in the file"
    );
    assert!(
        !text.contains("PatientCareReport"),
        "the XML is readable in the file"
    );

    // On the laptop: the calls, as the original records they are, with their XML.
    let got = ok_json(&import(&laptop, "dr.okafor", &p1));
    assert_eq!(got["added"].as_array().unwrap().len(), 6, "{got}");
    for call in &calls {
        let copy = json_of(&laptop, "dr.okafor", &["record", "show", call]);
        assert_eq!(
            (copy["kind"].as_str(), copy["pses_state"].as_str()),
            (Some("epcr"), Some("original_record"))
        );
        let here = json_of(&laptop, "dr.okafor", &["record", "source", call]);
        let there = json_of(&station, "qa", &["record", "source", call]);
        assert_eq!(here["xml"], there["xml"]);
        assert!(here["xml"].as_str().unwrap().contains("PatientCareReport"));
    }
    let review = json_of(&laptop, "dr.okafor", &["record", "show", &reviews[0]]);
    assert_eq!(review["body"]["call"]["epcr_id"], calls[0].as_str());
    let received = json_of(&laptop, "dr.okafor", &["packet", "received"]);
    assert_eq!(received.as_array().unwrap().len(), 6);
    assert!(
        received
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["returned"] == false)
    );
    // Each carried call has its dated disclosure at the station.
    let h = history(&station, &calls[1]);
    assert!(
        h["pses_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "disclosed_in_pses" && e["detail"]["to"] == "okafor-laptop"),
        "{h}"
    );

    // The reply carries the edited review, not the calls the station already holds.
    let mut body = review["body"].clone();
    body["recommendations"] = json!("Capnography after every advanced airway");
    update(&laptop, "dr.okafor", &reviews[0], &body);
    let p2 = laptop.work().join("reply.hpk");
    let reply = reply_to_station(&laptop, &got, &p2);
    assert_eq!(
        (reply["records"].as_u64(), reply["epcrs"].as_u64()),
        (Some(1), Some(0))
    );
    let back = ok_json(&import(&station, "qa", &p2));
    assert_eq!(back["revised"], json!([reviews[0]]));
    // At the station the review shows as one of its own that came back.
    let received = json_of(&station, "qa", &["packet", "received"]);
    assert_eq!(received.as_array().unwrap().len(), 1);
    assert_eq!(received[0]["record_id"], reviews[0].as_str());
    assert_eq!(received[0]["returned"], true);
    // The same packet again changes nothing on the laptop.
    let again = ok_json(&import(&laptop, "dr.okafor", &p1));
    assert_eq!(again["already_imported"], true);
    audit_verifies(&[&station, &laptop]);
}
