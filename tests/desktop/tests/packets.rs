//! Case packets through the window: this vault's identity and its contacts, sending chosen
//! records to a contact (the receiving vault then imports them), importing a packet by its
//! path and by a drop on the window, the received view, a reply, and resolving conflicts
//! side by side. The other vault is made and driven through the service API; every test
//! checks both vaults afterwards through it.

use harbor::{PacketChoice, RecordKind, Session};
use harbor_desktop_e2e::*;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

fn session(dir: &Path, user: &str) -> Session {
    harbor::unlock(dir, user, &harbor::Passphrase::new(PASSPHRASE.into())).expect("unlock")
}

/// A call review body of the call `pcr`, pending the medical director.
fn review(pcr: &str, recommendations: &str) -> Value {
    let mut v = harbor::record_template(RecordKind::CallReview);
    v["call"] = json!({"pcr_number": pcr, "call_date": "2026-10-01", "unit": "Medic 7"});
    v["status"] = json!("pending_medical_director");
    v["recommendations"] = json!(recommendations);
    v
}

fn title(pcr: &str) -> String {
    format!("Review of PCR {pcr} (2026-10-01, Medic 7)")
}

/// `a` knows `b` as `b_name`, and `b` knows `a` as `a_name`.
fn introduce(a: &mut Session, b_name: &str, b: &mut Session, a_name: &str) {
    let a_id = a.device_identity().expect("identity").identity;
    let b_id = b.device_identity().expect("identity").identity;
    a.contact_add(b_name, &b_id).expect("contact added");
    b.contact_add(a_name, &a_id).expect("contact added");
}

fn create(s: &mut Session, body: &Value) -> String {
    s.create_record(RecordKind::CallReview, body)
        .expect("record created")
        .id
}

async fn open_packets(app: &Desktop, tab: &str) {
    app.click("Case packets").await;
    app.wait_text("Records go to a medical director's laptop")
        .await;
    app.click(tab).await;
}

fn audit_actions(s: &mut Session) -> Vec<String> {
    s.audit_log(harbor::AuditQuery {
        after: None,
        limit: Some(10_000),
    })
    .expect("audit")
    .into_iter()
    .map(|e| e.action)
    .collect()
}

/// The value of the form control with this id.
async fn value_of(app: &Desktop, id: &str) -> String {
    app.client
        .execute(
            "const e = document.getElementById(arguments[0]); return e ? e.value : null",
            vec![json!(id)],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn packets_contacts_are_added_and_removed_in_the_window_beside_this_vaults_identity() {
    let scratch = Scratch::new();
    let mut station = make_vault(&scratch.vault());
    let me = station.device_identity().expect("identity");
    station.lock();
    let mut laptop = make_vault(&scratch.root.path().join("laptop"));
    let other = laptop.device_identity().expect("identity");
    laptop.lock();
    let mut old = make_vault(&scratch.root.path().join("old"));
    let old_id = old.device_identity().expect("identity");
    old.lock();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("qa").await;
    open_packets(&app, "Devices and contacts").await;
    app.wait_text("This vault's identity").await;
    app.wait_text(&me.fingerprint).await;
    assert_eq!(
        value_of(&app, "my-identity").await,
        me.identity,
        "the identity line shown is this vault's"
    );
    app.wait_text("No contacts yet.").await;

    // A line cut short by one character: refused with words that say what to do.
    app.fill("Contact name", "okafor-laptop").await;
    app.fill(
        "Their identity line",
        &other.identity[..other.identity.len() - 1],
    )
    .await;
    app.click("Add the contact").await;
    app.wait_text("that is not a device identity").await;
    // This vault's own line.
    app.fill("Their identity line", &me.identity).await;
    app.click("Add the contact").await;
    app.wait_text("that is this vault's own identity").await;
    // The right line.
    app.fill("Their identity line", &other.identity).await;
    app.click("Add the contact").await;
    app.wait_text(&format!(
        "Added okafor-laptop. Its fingerprint is {}",
        other.fingerprint
    ))
    .await;
    // The same vault again, under another name.
    app.fill("Contact name", "again").await;
    app.fill("Their identity line", &other.identity).await;
    app.click("Add the contact").await;
    app.wait_text("this device is already a contact, named 'okafor-laptop'")
        .await;
    // A second contact, then removed after the confirmation.
    app.fill("Contact name", "old-laptop").await;
    app.fill("Their identity line", &old_id.identity).await;
    app.click("Add the contact").await;
    app.wait_text("Added old-laptop.").await;
    app.click_xpath("//button[@aria-label='Remove old-laptop…']")
        .await;
    app.click("Yes, remove old-laptop").await;
    app.wait_text("Removed old-laptop: packets from it are refused from now on.")
        .await;
    // The message comes before the list is read again: wait for the list.
    app.wait_gone(&old_id.fingerprint, Duration::from_secs(10))
        .await;
    let text = app.text().await;
    assert!(text.contains(&other.fingerprint), "{text}");
    assert!(!text.contains(&old_id.fingerprint), "{text}");
    app.stop().await;

    let mut s = session(&scratch.vault(), "qa");
    let contacts = s.contacts().expect("contacts");
    assert_eq!(contacts.len(), 1, "{contacts:?}");
    assert_eq!(contacts[0].name, "okafor-laptop");
    assert_eq!(contacts[0].fingerprint, other.fingerprint);
    assert_eq!(contacts[0].added_by, "qa");
    let actions = audit_actions(&mut s);
    assert_eq!(
        actions.iter().filter(|a| *a == "contact.add").count(),
        2,
        "refused lines add nothing"
    );
    assert_eq!(actions.iter().filter(|a| *a == "contact.remove").count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn packets_send_selected_reviews_to_a_contact_and_the_laptop_imports_them() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let laptop_dir = scratch.root.path().join("laptop");
    make_vault(&laptop_dir).lock();
    let mut station = session(&scratch.vault(), "qa");
    let mut laptop = session(&laptop_dir, "md");
    introduce(&mut station, "okafor-laptop", &mut laptop, "station");
    let ids: Vec<String> = (1..=3)
        .map(|n| {
            create(
                &mut station,
                &review(&format!("PK-{n}"), &format!("review {n}")),
            )
        })
        .collect();
    let strip = scratch.work().join("ecg-strip.pdf");
    std::fs::write(&strip, b"%PDF-1.4 ecg strip").expect("file");
    station.attach(&ids[0], &strip).expect("attached");
    station.lock();
    let out = scratch.work().join("to-laptop.hpk");

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("qa").await;
    app.click("Call reviews").await;
    app.wait_text("Page 1").await;
    for pcr in ["PK-1", "PK-2"] {
        app.click_xpath(&format!(
            "//input[@type='checkbox'][@aria-label={}]",
            xpath_str(&format!("Select {}", title(pcr)))
        ))
        .await;
    }
    app.wait_text("2 selected").await;
    app.click("Send 2 selected to a contact").await;
    app.wait_text("Send records to a contact").await;
    app.wait_text("Records to send (2 chosen)").await;
    app.select("Send to (a contact)", "okafor-laptop").await;
    app.check("Include the records' attachments").await;
    // What will leave, before it does: the records and the attachment.
    app.wait_text("1 attachment (").await;
    app.wait_text("ecg-strip.pdf").await;
    assert!(
        app.button_disabled("Write the packet").await,
        "no reason yet"
    );
    app.fill("Why the records go", "Medical director's case review")
        .await;
    let leaving = app.text().await;
    let leaving = &leaving[leaving
        .find("What will leave this vault")
        .expect("the summary")..];
    assert!(leaving.contains(&title("PK-1")), "{leaving}");
    assert!(leaving.contains(&title("PK-2")), "{leaving}");
    assert!(!leaving.contains(&title("PK-3")), "{leaving}");
    let png = app.screenshot().await;
    assert_eq!(png_size(&png), (1366, 768), "the send view at 1366x768");
    for d in screenshot_dirs() {
        std::fs::create_dir_all(&d).expect("screenshot folder");
        std::fs::write(d.join("packet-send.png"), &png).expect("screenshot");
    }
    // The shell asks where in its own save dialog, proposing a name.
    app.answer_save_dialog(Some(&out));
    app.click("Write the packet").await;
    app.wait_text("Packet written").await;
    let text = app.text().await;
    assert!(
        text.contains("for okafor-laptop: 2 records, 1 attachment"),
        "{text}"
    );
    assert!(text.contains(out.to_str().expect("utf-8")), "{text}");
    let asked = app.save_dialogs_asked();
    assert!(
        asked.len() == 1
            && asked[0].starts_with("Write the case packet to\tharbor-packet-okafor-laptop-"),
        "{asked:?}"
    );
    app.stop().await;

    // The file is there, opaque, and the laptop imports it.
    let bytes = std::fs::read(&out).expect("the packet file exists");
    assert!(!String::from_utf8_lossy(&bytes).contains("PK-1"));
    let mut laptop = session(&laptop_dir, "md");
    let got = laptop.packet_import(&out).expect("the laptop imports it");
    assert!(
        text.contains(&format!("Packet {} for okafor-laptop", got.packet_id)),
        "the window named the packet that arrived: {text}"
    );
    let mut added = got.added.clone();
    added.sort();
    assert_eq!(added, vec![ids[0].clone(), ids[1].clone()]);
    assert_eq!(got.attachments, 1);
    assert_eq!(laptop.received().expect("received").len(), 2);
    assert_eq!(
        laptop.record(&ids[1]).expect("record").body["recommendations"],
        "review 2"
    );
    assert_eq!(
        laptop.record(&ids[2]).map(|_| ()).unwrap_err().code(),
        "not_found",
        "the unchosen review stayed home"
    );
    // Each record sent carries the disclosure within the PSES: to whom, why.
    let mut station = session(&scratch.vault(), "qa");
    for id in &ids[..2] {
        let h = station.history(id).expect("history");
        let e = h
            .pses_events
            .iter()
            .find(|e| e.event == "disclosed_in_pses")
            .expect("disclosed");
        assert_eq!(e.detail["to"], "okafor-laptop");
        assert_eq!(e.detail["purpose"], "Medical director's case review");
        assert_eq!(e.by, "qa");
    }
    assert!(
        !station
            .history(&ids[2])
            .expect("history")
            .pses_events
            .iter()
            .any(|e| e.event == "disclosed_in_pses")
    );
}

/// Hands `paths` to the window's drag-and-drop listeners exactly as Tauri does on a drop
/// (the shell's emit runs each listener's callback with the event); returns how many
/// listeners got it. WebDriver cannot perform an operating-system drop.
async fn drop_files(app: &Desktop, paths: &[&Path]) -> u64 {
    let paths: Vec<&str> = paths
        .iter()
        .map(|p| p.to_str().expect("utf-8 path"))
        .collect();
    app.client
        .execute(
            "const all = window.__internal_unstable_listeners_object_id__; \
             const ls = all && all['tauri://drag-drop']; if (!ls) return 0; let n = 0; \
             for (const id of Object.getOwnPropertyNames(ls)) { \
               window.__TAURI_INTERNALS__.runCallback(ls[id].handlerId, \
                 {event: 'tauri://drag-drop', id: Number(id), payload: {paths: arguments[0], position: {x: 400, y: 300}}}); \
               n++; } \
             return n",
            vec![json!(paths)],
        )
        .await
        .expect("script runs")
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn packets_import_by_path_and_by_drop_then_the_received_view_shows_their_origin() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let laptop_dir = scratch.root.path().join("laptop");
    make_vault(&laptop_dir).lock();
    let mut station = session(&scratch.vault(), "qa");
    // The other vault's quality officer writes the reviews (a medical director may not).
    let mut laptop = session(&laptop_dir, "qa");
    introduce(&mut station, "okafor-laptop", &mut laptop, "station");
    station.lock();
    let a = create(&mut laptop, &review("LP-1", "from the laptop"));
    let b = create(&mut laptop, &review("LP-2", "from the laptop too"));
    let c = create(&mut laptop, &review("LP-3", "dropped on the window"));
    let p1 = scratch.work().join("first.hpk");
    let p2 = scratch.work().join("second.hpk");
    let first = laptop
        .packet_export(
            "station",
            PacketChoice::Records(&[a.clone(), b.clone()]),
            false,
            "for the station",
            &p1,
        )
        .expect("export");
    laptop
        .packet_export(
            "station",
            PacketChoice::Records(std::slice::from_ref(&c)),
            false,
            "for the station",
            &p2,
        )
        .expect("export");
    let hash_a = laptop.record(&a).expect("record").revision_hash;
    laptop.lock();
    let damaged = scratch.work().join("damaged.hpk");
    let mut bytes = std::fs::read(&p1).expect("packet");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x40;
    std::fs::write(&damaged, bytes).expect("write");

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("qa").await;
    open_packets(&app, "Import a packet").await;
    app.wait_text("Drop a packet file anywhere on this screen")
        .await;
    // A damaged file: refused, nothing imported, and the words say what to do.
    app.fill(
        "Or type the packet file's path",
        damaged.to_str().expect("utf-8"),
    )
    .await;
    app.click("Import the packet").await;
    app.wait_text("not a case packet Harbor can open").await;
    app.wait_text("Nothing was imported").await;
    // The packet itself.
    app.fill(
        "Or type the packet file's path",
        p1.to_str().expect("utf-8"),
    )
    .await;
    app.click("Import the packet").await;
    app.wait_text("Packet imported: 2 new records, 0 new revisions, 0 conflicts")
        .await;
    // Again: nothing changes.
    app.fill(
        "Or type the packet file's path",
        p1.to_str().expect("utf-8"),
    )
    .await;
    app.click("Import the packet").await;
    app.wait_text("This packet was imported before: nothing changed.")
        .await;
    // The second packet dropped on the window, through the drag-and-drop listener.
    app.click("Received").await;
    app.wait_text("Records received in packets").await;
    let deadline = std::time::Instant::now() + STEP;
    let listeners = loop {
        let n = drop_files(&app, &[&p2]).await;
        if n > 0 || std::time::Instant::now() > deadline {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(listeners, 1, "one drop listener, the case packets screen's");
    app.wait_text("Packet imported: 1 new record,").await;
    // The received view: each record with its origin.
    app.click("See the received records").await;
    app.wait_text("Records received in packets").await;
    app.wait_text(&title("LP-3")).await;
    let text = app.text().await;
    for pcr in ["LP-1", "LP-2", "LP-3"] {
        assert!(text.contains(&title(pcr)), "{text}");
    }
    assert!(text.contains("From okafor-laptop"), "{text}");
    assert!(text.contains(&a), "the origin record id: {text}");
    assert!(
        text.contains(&hash_a[..12]),
        "the origin revision, short: {text}"
    );
    assert!(
        text.contains(&first.packet_id[..12]),
        "the packet, short: {text}"
    );
    // A received record opens from the list.
    app.click(&title("LP-2")).await;
    app.wait_text("Call review: PCR LP-2").await;
    app.stop().await;

    let mut s = session(&scratch.vault(), "qa");
    let received = s.received().expect("received");
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.from_contact == "okafor-laptop"));
    let mut ids: Vec<&str> = received.iter().map(|r| r.record_id.as_str()).collect();
    ids.sort();
    let mut expected = vec![a.as_str(), b.as_str(), c.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(
        audit_actions(&mut s)
            .iter()
            .filter(|a| *a == "packet.import")
            .count(),
        2,
        "two packets imported; the damaged file and the repeat changed nothing"
    );
    assert!(s.audit_verify().expect("verify").first_bad.is_none());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn packets_reply_from_the_received_view_carries_the_medical_directors_note_home() {
    let scratch = Scratch::new();
    // The window is the medical director's laptop this time.
    make_vault(&scratch.vault()).lock();
    let station_dir = scratch.root.path().join("station");
    make_vault(&station_dir).lock();
    let mut laptop = session(&scratch.vault(), "md");
    let mut station = session(&station_dir, "qa");
    introduce(&mut laptop, "station", &mut station, "okafor-laptop");
    let r1 = create(&mut station, &review("RP-1", "station's review"));
    let r2 = create(&mut station, &review("RP-2", "left alone"));
    let p1 = scratch.work().join("to-laptop.hpk");
    station
        .packet_export(
            "okafor-laptop",
            PacketChoice::Records(&[r1.clone(), r2.clone()]),
            false,
            "review",
            &p1,
        )
        .expect("export");
    let got = laptop.packet_import(&p1).expect("import");
    let note = laptop
        .create_record(
            RecordKind::CaseNote,
            &json!({"subject": r1, "clinical_assessment": "Airway managed late", "standard_of_care": "met_with_opportunities"}),
        )
        .expect("note")
        .id;
    laptop.lock();
    station.lock();
    let reply = scratch.work().join("reply.hpk");

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("md").await;
    open_packets(&app, "Received").await;
    app.wait_text(&title("RP-1")).await;
    app.click("Reply to this packet").await;
    app.wait_text(&format!("Reply to packet {}", &got.packet_id[..12]))
        .await;
    // The preview names exactly what the reply carries: the note, not the unchanged reviews.
    app.wait_text(&format!("Case note: Case note on record {r1}"))
        .await;
    let text = app.text().await;
    let leaving = &text[text.find("What will leave this vault").expect("summary")..];
    assert!(!leaving.contains(&title("RP-2")), "{leaving}");
    assert_eq!(
        value_of(&app, "packet-to").await,
        "station",
        "the sender is chosen"
    );
    app.answer_save_dialog(Some(&reply));
    app.click("Write the packet").await;
    app.wait_text("Packet written").await;
    app.wait_text("for station: 1 record, 0 attachments").await;
    app.stop().await;

    let mut station = session(&station_dir, "qa");
    let back = station
        .packet_import(&reply)
        .expect("the station imports it");
    assert_eq!(back.added, vec![note.clone()]);
    let n = station.record(&note).expect("the note is home");
    // The station keeps the sender's claim as such: the laptop's user, at that contact.
    assert_eq!(n.meta.created_by, "md@okafor-laptop");
    assert_eq!(n.body["subject"], r1.as_str());
}

/// The two sides of a differing field in the conflict view: this vault's, then the incoming.
async fn diff_cells(app: &Desktop, field: &str) -> Vec<String> {
    let row = format!(
        "//table[contains(@class, 'diff')]//tr[@data-differs][th[normalize-space(.)={}]]",
        xpath_str(field)
    );
    let mut out = Vec::new();
    for cell in ["ours", "theirs"] {
        let v = app
            .client
            .execute(
                "const r = document.evaluate(arguments[0], document, null, 9, null).singleNodeValue; \
                 return r ? r.querySelector('td.' + arguments[1]).innerText : null",
                vec![json!(row), json!(cell)],
            )
            .await
            .expect("script runs");
        out.push(v.as_str().unwrap_or("(no such row)").to_owned());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn packets_conflicts_are_compared_side_by_side_and_resolved_each_way() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let laptop_dir = scratch.root.path().join("laptop");
    make_vault(&laptop_dir).lock();
    let mut station = session(&scratch.vault(), "qa");
    let mut laptop = session(&laptop_dir, "md");
    introduce(&mut station, "okafor-laptop", &mut laptop, "station");
    // Two reviews go to the laptop; both sides then edit both.
    let take = create(&mut station, &review("CF-1", "first view"));
    let keep = create(&mut station, &review("CF-2", "first view"));
    let p1 = scratch.work().join("p1.hpk");
    station
        .packet_export(
            "okafor-laptop",
            PacketChoice::Records(&[take.clone(), keep.clone()]),
            false,
            "review",
            &p1,
        )
        .expect("export");
    let got = laptop.packet_import(&p1).expect("import");
    for id in [&take, &keep] {
        let pcr = if *id == take { "CF-1" } else { "CF-2" };
        let mut theirs = review(pcr, "laptop's view");
        theirs["harm"] = json!({"level": "mild_harm", "duration": "temporary"});
        laptop.update_record(id, &theirs).expect("laptop edit");
        station
            .update_record(id, &review(pcr, "station's view"))
            .expect("station edit");
    }
    let p2 = scratch.work().join("p2.hpk");
    laptop
        .packet_export(
            "station",
            PacketChoice::ReplyTo(&got.packet_id),
            false,
            "reply",
            &p2,
        )
        .expect("reply");
    let back = station.packet_import(&p2).expect("import");
    assert_eq!(back.conflicts.len(), 2, "{back:?}");
    station.lock();
    laptop.lock();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("qa").await;
    app.click("Case packets").await;
    app.wait_text("Records go to a medical director's laptop")
        .await;
    app.click_xpath("//button[@role='tab'][starts-with(normalize-space(.), 'Conflicts')][.//span[@class='badge' and normalize-space(.)='2']]")
        .await;
    app.wait_text("A conflict is an edit made on the other vault")
        .await;
    let compare = |pcr: &str| {
        format!(
            "//tr[td[normalize-space(.)={}]]//button[normalize-space(.)='Compare side by side']",
            xpath_str(&title(pcr))
        )
    };
    app.click_xpath(&compare("CF-1")).await;
    app.wait_text("this vault beside the incoming edit").await;
    app.wait_text("differ. This vault: revision 2 by qa").await;
    // Side by side: the differing fields only, this vault's value beside the incoming one.
    assert_eq!(
        diff_cells(&app, "recommendations").await,
        ["station's view", "laptop's view"]
    );
    assert_eq!(
        diff_cells(&app, "harm › level").await,
        ["No harm", "Mild harm"]
    );
    let text = app.text().await;
    assert!(text.contains("on both sides"), "{text}");
    assert!(
        !text.contains("call › pcr number"),
        "fields the same on both sides are hidden: {text}"
    );
    // The comparison as a person sees it first (the differing fields only).
    app.client
        .execute(
            "document.querySelector('.conflict').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await
        .expect("scroll");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = app.screenshot().await;
    assert_eq!(png_size(&png), (1366, 768), "the conflict view at 1366x768");
    for d in screenshot_dirs() {
        std::fs::create_dir_all(&d).expect("screenshot folder");
        std::fs::write(d.join("conflict.png"), &png).expect("screenshot");
    }
    app.check("Show the fields that are the same on both sides too")
        .await;
    app.wait_text("call › pcr number").await;
    // Take theirs, after the confirmation.
    app.click("Take theirs").await;
    app.wait_text("it becomes a new revision of this record")
        .await;
    app.click("Yes, take theirs").await;
    app.wait_text(&format!(
        "Resolved: the edit by md@okafor-laptop is now the current revision of “{}”",
        title("CF-1")
    ))
    .await;
    // The other: keep ours.
    app.click_xpath(&compare("CF-2")).await;
    app.wait_text("this vault beside the incoming edit").await;
    app.wait_text("differ. This vault: revision 2 by qa").await;
    app.click("Keep ours").await;
    app.click("Yes, keep ours").await;
    app.wait_text("Resolved: this vault's revision of").await;
    app.wait_text("No open conflicts.").await;
    app.wait_text("Resolved earlier (2)").await;
    app.stop().await;

    let mut s = session(&scratch.vault(), "qa");
    assert!(s.conflicts(false).expect("conflicts").is_empty());
    let all = s.conflicts(true).expect("conflicts");
    let resolution = |id: &str| {
        all.iter()
            .find(|c| c.record_id == id)
            .and_then(|c| c.resolution.clone())
    };
    assert_eq!(resolution(&take).as_deref(), Some("took_theirs"));
    assert_eq!(resolution(&keep).as_deref(), Some("kept_current"));
    let t = s.record(&take).expect("record");
    assert_eq!(t.body["recommendations"], "laptop's view");
    assert_eq!(t.body["harm"]["level"], "mild_harm");
    let h = s.history(&take).expect("history");
    assert_eq!(
        h.revisions.last().expect("revision").author,
        "md@okafor-laptop"
    );
    let k = s.record(&keep).expect("record");
    assert_eq!(k.body["recommendations"], "station's view");
    assert_eq!(s.history(&keep).expect("history").revisions.len(), 2);
    for id in [&take, &keep] {
        let e = s
            .history(id)
            .expect("history")
            .pses_events
            .into_iter()
            .find(|e| e.event == "conflict_resolved")
            .expect("entered in the PSES history");
        assert_eq!(e.by, "qa");
    }
    assert!(s.audit_verify().expect("verify").first_bad.is_none());
}
