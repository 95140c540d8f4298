//! The PSES decisions and the administration the window offers beyond the main flow:
//! dropping a record out of the PSES (and the refusal once it is queued), taking a queued
//! snapshot back out of the outbox, the users screen (and what other roles get), and
//! editing an investigation with its draft. Each test starts from its own vault and checks
//! the result in the vault through the service API.

use fantoccini::Locator;
use harbor_desktop_e2e::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn session(vault: &std::path::Path, user: &str) -> harbor::Session {
    harbor::unlock(vault, user, &harbor::Passphrase::new(PASSPHRASE.into())).expect("unlock")
}

/// A vault with `count` generated calls imported (through the service API).
fn vault_with_calls(scratch: &Scratch, count: usize) -> PathBuf {
    let nemsis = scratch.work().join("nemsis");
    let status = std::process::Command::new(harbor_bin())
        .args(["demo", "generate-nemsis", "--count"])
        .arg(count.to_string())
        .args(["--seed", "7", "--out"])
        .arg(&nemsis)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("harbor runs");
    assert!(status.success(), "generate-nemsis failed");
    let mut s = make_vault(&scratch.vault());
    s.import_nemsis(
        std::slice::from_ref(&nemsis),
        &Default::default(),
        &mut |_| {},
    )
    .expect("import");
    s.lock();
    scratch.vault()
}

/// The first `n` flagged call reviews: (id, PCR number).
fn flagged(s: &mut harbor::Session, n: u32) -> Vec<(String, String)> {
    let page = s
        .list(&harbor::ListQuery {
            kind: Some(harbor::RecordKind::CallReview),
            status: Some("not_started".into()),
            limit: Some(n),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(page.items.len(), n as usize, "{n} flagged reviews");
    page.items
        .iter()
        .map(|m| {
            let r = s.record(&m.id).expect("record");
            let pcr = r.body["call"]["pcr_number"].as_str().expect("pcr");
            (m.id.clone(), pcr.to_owned())
        })
        .collect()
}

/// Promotes `id` (nonidentifiable) through the service API, as another person at the
/// station would.
fn promote(s: &mut harbor::Session, id: &str) {
    let previews = s
        .preview_promotion(
            &[id.to_owned()],
            harbor::Profile::Nonidentifiable,
            &Default::default(),
        )
        .expect("preview");
    s.promote(&[previews[0].record_id.clone()])
        .expect("promote");
}

fn audit(s: &mut harbor::Session) -> Vec<harbor::AuditEntry> {
    s.audit_log(harbor::AuditQuery {
        after: None,
        limit: Some(100_000),
    })
    .expect("audit")
}

async fn unlock_as(app: &Desktop, user: &str, passphrase: &str) {
    app.wait_text("Unlock Harbor").await;
    app.fill("User name", user).await;
    app.fill("Passphrase", passphrase).await;
    app.click("Unlock").await;
    app.wait_text(&format!("Signed in as {user}")).await;
}

/// Opens a call review from the list by its PCR number.
async fn open_review(app: &Desktop, pcr: &str) {
    app.click("Call reviews").await;
    app.click(&format!("Review of PCR {pcr}")).await;
    app.wait_text("PSES decisions").await;
}

/// Whether a visible button whose text starts with `text` is on the page.
async fn has_button(app: &Desktop, text: &str) -> bool {
    let xpath = format!(
        "//button[starts-with(normalize-space(.), {})]",
        xpath_str(text)
    );
    for e in app
        .client
        .find_all(Locator::XPath(&xpath))
        .await
        .unwrap_or_default()
    {
        if e.is_displayed().await.unwrap_or(false) {
            return true;
        }
    }
    false
}

/// Replaces the text of the control matching `css` by typing.
async fn type_css(app: &Desktop, css: &str, text: &str) {
    let deadline = Instant::now() + STEP;
    let e = loop {
        if let Ok(e) = app.client.find(Locator::Css(css)).await {
            break e;
        }
        assert!(Instant::now() < deadline, "nothing matches {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    e.click().await.ok();
    e.send_keys("\u{e009}a\u{e000}\u{e003}")
        .await
        .expect("clear");
    e.send_keys(text).await.expect("type");
}

/// The value of the control matching `css`.
async fn value_css(app: &Desktop, css: &str) -> String {
    app.client
        .find(Locator::Css(css))
        .await
        .expect("control")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn a_quality_officer_drops_a_review_out_of_the_pses_with_the_reason() {
    let scratch = Scratch::new();
    let vault = vault_with_calls(&scratch, 10);
    let mut s = session(&vault, "qa");
    let (id, pcr) = flagged(&mut s, 1).remove(0);
    s.lock();
    let reason = "Entered twice: the same call was imported under a second PCR";

    let app = Desktop::start(&vault, &[]).await;
    unlock_as(&app, "qa", PASSPHRASE).await;
    open_review(&app, &pcr).await;
    app.click("Drop out…").await;
    app.wait_text("Reason for dropping out").await;
    assert!(
        app.button_disabled("Drop out of the PSES").await,
        "no drop-out without a reason"
    );
    app.fill("Reason for dropping out", reason).await;
    app.click("Drop out of the PSES").await;
    app.wait_text("Dropped out of the PSES; the reason is in the record's history.")
        .await;
    // The section stays and says what the record can no longer do.
    app.wait_text("it can no longer be changed, promoted or sent")
        .await;
    assert!(!has_button(&app, "Promote…").await, "{}", app.text().await);
    assert!(!has_button(&app, "Drop out…").await, "{}", app.text().await);
    // Its PSES history shows the drop-out with the reason and who.
    app.click("PSES history").await;
    app.wait_text("PSES ledger").await;
    app.wait_text(reason).await;
    app.stop().await;

    let mut s = session(&vault, "qa");
    let h = s.history(&id).expect("history");
    assert_eq!(h.meta.pses_state, "dropped_out");
    let ev = h.pses_events.last().expect("a ledger event");
    assert_eq!(ev.event, "dropped_out");
    assert_eq!(ev.by, "qa");
    assert_eq!(ev.detail["reason"], reason);
    assert_eq!(
        h.pses_events
            .iter()
            .filter(|e| e.event == "dropped_out")
            .count(),
        1
    );
    assert!(
        audit(&mut s).iter().any(|e| e.action == "pses.drop_out"
            && e.actor == "qa"
            && e.target.as_deref() == Some(id.as_str())),
        "the drop-out is audited"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn a_queued_review_cannot_drop_out_and_the_window_says_why() {
    let scratch = Scratch::new();
    let vault = vault_with_calls(&scratch, 20);
    let mut s = session(&vault, "qa");
    let mut two = flagged(&mut s, 2);
    let (raced, raced_pcr) = two.remove(1);
    let (queued, queued_pcr) = two.remove(0);
    promote(&mut s, &queued);
    s.lock();

    let app = Desktop::start(&vault, &[]).await;
    unlock_as(&app, "qa", PASSPHRASE).await;
    // A record already queued: no drop-out is offered, and the section says why.
    open_review(&app, &queued_pcr).await;
    app.wait_text("Queued for the PSO: a queued record cannot drop out of the PSES")
        .await;
    assert!(!has_button(&app, "Drop out…").await, "{}", app.text().await);
    assert!(has_button(&app, "Open the submission queue").await);

    // A record queued by someone else while this screen was open: the service refuses
    // and the window says so in words.
    open_review(&app, &raced_pcr).await;
    app.click("Drop out…").await;
    app.fill("Reason for dropping out", "Not a safety event after all")
        .await;
    let mut other = session(&vault, "admin");
    promote(&mut other, &raced);
    other.lock();
    app.click("Drop out of the PSES").await;
    app.wait_text("This record is queued for the PSO. Take it out of the queue first.")
        .await;
    let code = app
        .client
        .find(Locator::Css(".pses-actions .error"))
        .await
        .expect("the refusal")
        .attr("data-code")
        .await
        .expect("attr");
    assert_eq!(code.as_deref(), Some("queued_for_pso"));
    assert!(
        !app.text()
            .await
            .contains("Dropped out of the PSES; the reason")
    );
    app.stop().await;

    let mut s = session(&vault, "qa");
    for id in [&queued, &raced] {
        let h = s.history(id).expect("history");
        assert_eq!(h.meta.pses_state, "queued", "{id} is still queued");
        assert!(
            !h.pses_events.iter().any(|e| e.event == "dropped_out"),
            "no drop-out in the ledger of {id}"
        );
    }
    let outbox = s.outbox().expect("outbox");
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|i| i.state == "queued"));
    assert!(
        !audit(&mut s).iter().any(|e| e.action == "pses.drop_out"),
        "nothing dropped out"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn take_a_queued_review_back_out_of_the_queue_with_a_reason() {
    let scratch = Scratch::new();
    let vault = vault_with_calls(&scratch, 10);
    let mut s = session(&vault, "qa");
    let (id, pcr) = flagged(&mut s, 1).remove(0);
    promote(&mut s, &id);
    s.lock();
    let reason = "Promoted before the medical director's note was in";

    let app = Desktop::start(&vault, &[]).await;
    unlock_as(&app, "qa", PASSPHRASE).await;
    // From the record's PSES decisions to the queue.
    open_review(&app, &pcr).await;
    app.click("Open the submission queue").await;
    app.wait_text("Queued: what the next submission sends")
        .await;
    app.wait_text(&id).await;
    assert!(app.text().await.contains("Submit 1 now"));
    app.click("Take back…").await;
    app.wait_text("Taking the snapshot back out of the queue")
        .await;
    assert!(
        app.button_disabled("Take it back").await,
        "no unqueue without a reason"
    );
    app.fill("Reason", reason).await;
    app.click("Take it back").await;
    app.wait_text(&format!("Took {id} back out of the queue"))
        .await;
    app.wait_text("Nothing is queued.").await;
    assert!(app.button_disabled("Submit 0 now").await);
    // The record is back in the PSES: drop-out is offered again, the ledger says why.
    open_review(&app, &pcr).await;
    app.wait_text("Drop out…").await;
    app.click("PSES history").await;
    app.wait_text("PSES ledger").await;
    app.wait_text(reason).await;
    app.stop().await;

    let mut s = session(&vault, "qa");
    let outbox = s.outbox().expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].record_id, id);
    assert_eq!(outbox[0].state, "unqueued");
    let h = s.history(&id).expect("history");
    assert_eq!(h.meta.pses_state, "in_pses");
    let ev = h.pses_events.last().expect("ledger");
    assert_eq!(ev.event, "unqueued");
    assert_eq!(ev.by, "qa");
    assert_eq!(ev.detail["reason"], reason);
    assert_eq!(ev.detail["outbox_id"], outbox[0].id.as_str());
    assert!(
        audit(&mut s).iter().any(|e| e.action == "pses.unqueue"
            && e.actor == "qa"
            && e.target.as_deref() == Some(id.as_str())),
        "the unqueue is audited"
    );
    assert_eq!(s.status().expect("status").counts.queued, 0);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn an_administrator_adds_and_disables_users_and_other_roles_are_not_offered_the_screen() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let vault = scratch.vault();
    let new_pass = "harbour-lantern-quietly-ninety";

    let app = Desktop::start(&vault, &[]).await;
    unlock_as(&app, "admin", PASSPHRASE).await;
    app.click("Users").await;
    app.wait_text("Add a user").await;
    app.wait_text("Medical director").await;
    // A passphrase too easy to guess is refused in words.
    app.fill("User name", "weak.one").await;
    app.fill("First passphrase", "password").await;
    app.click("Add the user").await;
    app.wait_text("That passphrase is too easy to guess").await;
    // A medical director with a good first passphrase.
    app.fill("User name", "okafor").await;
    app.select("Role", "medical_director").await;
    app.fill("First passphrase", new_pass).await;
    app.click("Add the user").await;
    app.wait_text("Added okafor as Medical director").await;
    app.wait_gone("That passphrase is too easy to guess", STEP)
        .await;
    app.wait_text("okafor").await;
    // Disable md.
    app.click_xpath("//tr[td[normalize-space(.)='md']]//button[normalize-space(.)='Disable']")
        .await;
    app.wait_text("Disabled md.").await;
    let row = app
        .client
        .find(Locator::XPath("//tr[td[normalize-space(.)='md']]"))
        .await
        .expect("md's row")
        .text()
        .await
        .expect("text");
    assert!(row.contains("disabled"), "{row}");
    // The new user signs in in the window with the passphrase set there, and is told the
    // users screen is for administrators (no form, no list).
    app.keys("\u{e009}l\u{e000}").await;
    unlock_as(&app, "okafor", new_pass).await;
    app.wait_text("Medical director").await;
    app.click("Users").await;
    app.wait_text("Only administrators add, list and disable users")
        .await;
    let text = app.text().await;
    assert!(!text.contains("Add a user"), "{text}");
    assert!(
        !text.contains("weak.one") && !text.contains("qa\t"),
        "{text}"
    );
    assert!(!has_button(&app, "Add the user").await);
    assert!(!has_button(&app, "Disable").await);
    // A quality officer too.
    app.keys("\u{e009}l\u{e000}").await;
    unlock_as(&app, "qa", PASSPHRASE).await;
    app.click("Users").await;
    app.wait_text("Your role (Quality officer) does not allow it")
        .await;
    assert!(!has_button(&app, "Add the user").await);
    // A disabled user cannot sign in.
    app.keys("\u{e009}l\u{e000}").await;
    app.wait_text("Unlock Harbor").await;
    app.fill("User name", "md").await;
    app.fill("Passphrase", PASSPHRASE).await;
    app.click("Unlock").await;
    app.wait_text("This user has been disabled").await;
    app.stop().await;

    // The new user unlocks through the service API with the passphrase typed in the window.
    let mut okafor = harbor::unlock(&vault, "okafor", &harbor::Passphrase::new(new_pass.into()))
        .expect("the new user unlocks with the passphrase set in the window");
    assert_eq!(okafor.role(), harbor::Role::MedicalDirector);
    assert_eq!(
        okafor.users().map_err(|e| e.code()).err(),
        Some("forbidden"),
        "a medical director may not list users"
    );
    okafor.lock();
    let md = harbor::unlock(&vault, "md", &harbor::Passphrase::new(PASSPHRASE.into()));
    assert_eq!(md.err().map(|e| e.code()), Some("user_disabled"));
    let mut admin = session(&vault, "admin");
    let users = admin.users().expect("users");
    let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
    assert!(!names.contains(&"weak.one"), "{names:?}");
    let ok = users.iter().find(|u| u.name == "okafor").expect("okafor");
    assert_eq!(ok.role, harbor::Role::MedicalDirector);
    assert!(ok.disabled_at.is_none());
    let md = users.iter().find(|u| u.name == "md").expect("md");
    assert!(md.disabled_at.is_some());
    assert!(
        users
            .iter()
            .filter(|u| u.name != "md")
            .all(|u| u.disabled_at.is_none())
    );
    let log = audit(&mut admin);
    let about =
        |e: &harbor::AuditEntry, u: &harbor::User| e.target.as_deref() == Some(u.name.as_str());
    assert!(
        log.iter()
            .any(|e| e.action == "user.add" && e.actor == "admin" && about(e, ok)),
        "the window's user.add is audited"
    );
    assert!(
        log.iter()
            .any(|e| e.action == "user.disable" && e.actor == "admin" && about(e, md)),
        "the window's user.disable is audited"
    );
    assert!(
        !log.iter()
            .any(|e| e.action == "user.add" && e.target.as_deref() == Some("weak.one")),
        "the refused user was not added"
    );
    assert!(
        !log.iter()
            .any(|e| e.action.starts_with("user.") && e.actor == "qa"),
        "the quality officer's screen made no user call"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn an_administrator_re_keys_the_vault_from_the_users_screen_once_nobody_else_has_it_open() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let vault = scratch.vault();
    let app = Desktop::start(&vault, &[]).await;
    unlock_as(&app, "admin", PASSPHRASE).await;
    app.click("Users").await;
    app.wait_text("Re-key the vault").await;
    // Another process (here: this test, through the service API) has the vault open: the
    // re-key is refused in words and nothing changes.
    let other = session(&vault, "qa");
    app.click("Re-key the vault").await;
    app.wait_text("has this vault open").await;
    drop(other);
    app.click("Re-key the vault").await;
    app.wait_text("Re-keyed the vault:").await;
    app.wait_text("Backups made before still open with the old slots")
        .await;
    app.stop().await;

    // Everyone still unlocks, and the re-key is in the audit chain once, by the admin.
    session(&vault, "qa").lock();
    let mut admin = session(&vault, "admin");
    let rekeys: Vec<_> = audit(&mut admin)
        .into_iter()
        .filter(|e| e.action == "vault.rekey")
        .collect();
    assert_eq!(rekeys.len(), 1, "{rekeys:?}");
    assert_eq!(rekeys[0].actor, "admin");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn edit_an_investigation_and_save_a_new_revision_without_leaving_a_draft() {
    let scratch = Scratch::new();
    let vault = scratch.vault();
    make_vault(&vault).lock();
    let mut qa = session(&vault, "qa");
    let id = qa
        .create_record(
            harbor::RecordKind::Investigation,
            &serde_json::json!({
                "title": "Late airway escalation",
                "event_summary": "Escalation to a supraglottic airway came late.",
                "status": "open",
                "five_whys": ["The first attempt took long"],
            }),
        )
        .expect("investigation")
        .id;
    qa.lock();
    let draft_key = format!("investigation:{id}");

    let app = Desktop::start(&vault, &[]).await;
    unlock_as(&app, "md", PASSPHRASE).await;
    app.click("Investigations").await;
    app.click("Late airway escalation").await;
    app.wait_text("Investigation: Late airway escalation").await;
    app.wait_text("revision 1").await;
    // A medical director may send the record but not drop it out or promote it: the
    // window offers neither and says who does (the service would refuse both).
    app.wait_text(
        "Dropping a record out of the PSES is for a quality officer or an administrator.",
    )
    .await;
    let shown = app.text().await;
    assert!(shown.contains("Send to a contact"), "{shown}");
    assert!(
        !shown.contains("Drop out…") && !shown.contains("Promote…"),
        "{shown}"
    );
    app.fill("Title", "Late airway escalation on a cardiac arrest")
        .await;
    app.select("Status", "analysis").await;
    app.fill(
        "Event summary",
        "Escalation to a supraglottic airway came after three attempts.",
    )
    .await;
    type_css(
        &app,
        "#why-0",
        "Three laryngoscopy attempts before escalating",
    )
    .await;
    app.click("Ask why again").await;
    type_css(&app, "#why-1", "No attempt limit in the airway protocol").await;
    app.fill("People", "Crew of two on a cardiac arrest").await;
    app.fill("Contributing factors (one per line)", "No attempt counter")
        .await;
    app.click("Add a corrective action").await;
    type_css(
        &app,
        "input[aria-label='Action 1']",
        "Add a two-attempt limit to the airway protocol",
    )
    .await;
    type_css(&app, "input[aria-label='Owner of action 1']", "okafor").await;
    app.client
        .find(Locator::Css("select[aria-label='Strength of action 1']"))
        .await
        .expect("strength")
        .select_by_value("strong")
        .await
        .expect("select");
    app.wait_text("Draft kept in the vault as you type.").await;
    // The draft is in the vault (per user) while typing, as the form says.
    let deadline = Instant::now() + STEP;
    loop {
        let mut md = session(&vault, "md");
        let draft = md.draft(&draft_key).expect("draft");
        md.lock();
        if draft.is_some_and(|d| {
            d.body.to_string().contains("Add a two-attempt limit")
                && d.body.to_string().contains("okafor")
        }) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the typed changes never reached the draft"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Save with the shortcut the button shows.
    app.keys("\u{e009}s\u{e000}").await;
    app.wait_text("Investigation saved (revision 2).").await;
    app.wait_text("Investigation: Late airway escalation on a cardiac arrest")
        .await;
    // Some time for a late draft save to land, if the form made one.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Opened again: the saved values, and no "unsaved changes restored".
    app.click("Investigations").await;
    app.click("Late airway escalation on a cardiac arrest")
        .await;
    app.wait_text("revision 2").await;
    let people = app
        .field("People")
        .await
        .prop("value")
        .await
        .expect("value");
    assert_eq!(people.as_deref(), Some("Crew of two on a cardiac arrest"));
    let text = app.text().await;
    assert!(!text.contains("were restored"), "{text}");
    assert!(!text.contains("Draft kept in the vault"), "{text}");
    assert_eq!(
        value_css(&app, "#why-1").await,
        "No attempt limit in the airway protocol"
    );
    app.stop().await;

    let mut md = session(&vault, "md");
    assert!(
        md.draft(&draft_key).expect("draft").is_none(),
        "saving discarded the draft"
    );
    assert!(
        md.drafts().expect("drafts").is_empty(),
        "no draft left: {:?}",
        md.drafts()
    );
    let h = md.history(&id).expect("history");
    assert_eq!(h.revisions.len(), 2);
    assert_eq!(h.revisions[0].author, "qa");
    let rev = &h.revisions[1];
    assert_eq!(rev.author, "md");
    assert_eq!(rev.rev, 2);
    let b = &rev.body;
    assert_eq!(b["title"], "Late airway escalation on a cardiac arrest");
    assert_eq!(b["status"], "analysis");
    assert_eq!(
        b["event_summary"],
        "Escalation to a supraglottic airway came after three attempts."
    );
    assert_eq!(
        b["five_whys"],
        serde_json::json!([
            "Three laryngoscopy attempts before escalating",
            "No attempt limit in the airway protocol"
        ])
    );
    assert_eq!(
        b["fishbone"]["people"],
        serde_json::json!(["Crew of two on a cardiac arrest"])
    );
    assert_eq!(
        b["contributing_factors"],
        serde_json::json!(["No attempt counter"])
    );
    let action = &b["corrective_actions"][0];
    assert_eq!(
        action["description"],
        "Add a two-attempt limit to the airway protocol"
    );
    assert_eq!(action["owner"], "okafor");
    assert_eq!(action["strength"], "strong");
    assert_eq!(action["status"], "planned");
    let r = md.record(&id).expect("record");
    assert_eq!(r.meta.revision, 2);
    assert_eq!(r.body, *b, "the current body is the new revision");
    assert!(r.meta.deliberation, "an investigation is a deliberation");
}
