//! The PSES workflow through the window: import, review, case note, attachment, search,
//! promotion with the preview, submission to a real PSO over TLS, and the screenshots of
//! every main screen. Each test checks the result in the vault through the service API.

use harbor_desktop_e2e::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Writes `count` generated NEMSIS calls into `out` with the `harbor` CLI.
fn generate_nemsis(out: &Path, count: usize) {
    let status = std::process::Command::new(harbor_bin())
        .args(["demo", "generate-nemsis", "--count"])
        .arg(count.to_string())
        .args(["--seed", "7", "--out"])
        .arg(out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("harbor runs");
    assert!(status.success(), "generate-nemsis failed");
}

/// A vault with generated calls imported (through the service API), as `qa` finds it.
fn vault_with_calls(scratch: &Scratch, count: usize) -> PathBuf {
    let nemsis = scratch.work().join("nemsis");
    generate_nemsis(&nemsis, count);
    let mut s = make_vault(&scratch.vault());
    let summary = s
        .import_nemsis(
            std::slice::from_ref(&nemsis),
            &Default::default(),
            &mut |_| {},
        )
        .expect("import");
    assert!(summary.flagged_for_review > 0, "some calls are flagged");
    s.lock();
    nemsis
}

fn session(scratch: &Scratch, user: &str) -> harbor::Session {
    harbor::unlock(
        &scratch.vault(),
        user,
        &harbor::Passphrase::new(PASSPHRASE.into()),
    )
    .expect("unlock")
}

async fn unlock(app: &Desktop, user: &str) {
    app.wait_text("Unlock Harbor").await;
    app.fill("User name", user).await;
    app.fill("Passphrase", PASSPHRASE).await;
    app.click("Unlock").await;
    app.wait_text(&format!("Signed in as {user}")).await;
}

fn first_flagged(s: &mut harbor::Session) -> harbor::Record {
    let page = s
        .list(&harbor::ListQuery {
            kind: Some(harbor::RecordKind::CallReview),
            status: Some("not_started".into()),
            limit: Some(1),
            ..Default::default()
        })
        .expect("list");
    let id = page.items.first().expect("a flagged review").id.clone();
    s.record(&id).expect("record")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn import_generated_nemsis_files_with_progress_and_summary() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let nemsis = scratch.work().join("nemsis");
    generate_nemsis(&nemsis, 40);
    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "qa").await;
    app.click("Import NEMSIS").await;
    app.wait_text("Import the NEMSIS 3.5 export").await;
    app.fill(
        "Files and folders to import",
        nemsis.to_str().expect("utf-8 path"),
    )
    .await;
    app.click("Start the import").await;
    app.wait_text("Import finished").await;
    let text = app.text().await;
    assert!(text.contains("40 new calls imported"), "{text}");
    assert!(text.contains("Flagged by rule"), "{text}");
    assert!(
        text.contains("Files imported"),
        "the progress bar was shown"
    );
    // The flagged calls are one click away.
    app.click("See the calls flagged for review").await;
    app.wait_text("Review of PCR").await;
    app.stop().await;

    let mut s = session(&scratch, "qa");
    let epcrs = s
        .list(&harbor::ListQuery {
            kind: Some(harbor::RecordKind::Epcr),
            limit: Some(100),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(epcrs.items.len(), 40);
    let st = s.status().expect("status");
    assert!(st.counts.reviews_not_started > 0);
    assert!(
        text.contains(&format!(
            "{} flagged for review",
            st.counts.reviews_not_started
        )),
        "the summary's count matches the vault: {text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn open_a_flagged_call_and_complete_its_review_with_the_keyboard() {
    let scratch = Scratch::new();
    vault_with_calls(&scratch, 20);
    let mut s = session(&scratch, "qa");
    let flagged = first_flagged(&mut s);
    s.lock();
    let pcr = flagged.body["call"]["pcr_number"]
        .as_str()
        .expect("pcr")
        .to_owned();
    let trigger_detail = flagged.body["triggers"][0]["detail"]
        .as_str()
        .expect("a trigger")
        .to_owned();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "qa").await;
    app.wait_text("Flagged for review").await;
    app.click(&format!("Review of PCR {pcr}")).await;
    app.wait_text("Why this call was flagged").await;
    // The trigger and why it fired; the ePCR summary beside the form.
    app.wait_text(&trigger_detail).await;
    app.wait_text(&format!("ePCR {pcr}")).await;
    app.wait_text("Times").await;
    app.wait_text("Narrative").await;
    app.select("Review status", "closed").await;
    app.select("Event type", "near_miss").await;
    app.check("Medication").await;
    app.select("Harm to the patient", "no_harm").await;
    app.fill(
        "Recommendations",
        "Double-check the dose against the protocol card.",
    )
    .await;
    // Save with the shortcut shown on the button.
    app.keys("\u{e009}s\u{e000}").await;
    app.wait_text("Saved: revision 2").await;
    app.click("Sign off").await;
    app.wait_text("Signed off: revision 3").await;
    app.wait_text("signed off by qa").await;
    app.stop().await;

    let mut s = session(&scratch, "qa");
    let r = s.record(&flagged.meta.id).expect("record");
    assert_eq!(r.meta.status.as_deref(), Some("closed"));
    assert_eq!(r.body["event_type"], "near_miss");
    assert_eq!(r.body["ems_categories"], serde_json::json!(["medication"]));
    assert_eq!(r.body["harm"]["level"], "no_harm");
    assert_eq!(r.body["sign_off"]["by"], "qa");
    assert_eq!(r.meta.revision, 3);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn the_medical_director_writes_a_case_note_on_a_call() {
    let scratch = Scratch::new();
    vault_with_calls(&scratch, 10);
    let mut s = session(&scratch, "md");
    let flagged = first_flagged(&mut s);
    s.lock();
    let pcr = flagged.body["call"]["pcr_number"]
        .as_str()
        .expect("pcr")
        .to_owned();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "md").await;
    app.click("Call reviews").await;
    app.click(&format!("Review of PCR {pcr}")).await;
    app.click("Write a case note").await;
    app.wait_text("New case note").await;
    app.wait_text("deliberation").await;
    app.fill(
        "Clinical assessment",
        "Airway managed appropriately; capnography should have been recorded.",
    )
    .await;
    app.select("Standard of care", "met_with_opportunities")
        .await;
    app.fill("Recommendations", "Teach-back at the next skills day.")
        .await;
    app.click("Save case note").await;
    app.wait_text("Case note saved (revision 1)").await;
    app.stop().await;

    let mut s = session(&scratch, "md");
    let notes = s
        .list(&harbor::ListQuery {
            kind: Some(harbor::RecordKind::CaseNote),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(notes.items.len(), 1);
    assert!(notes.items[0].deliberation);
    let note = s.record(&notes.items[0].id).expect("note");
    assert_eq!(note.body["subject"], flagged.meta.id.as_str());
    assert_eq!(note.body["standard_of_care"], "met_with_opportunities");
    assert_eq!(note.meta.created_by, "md");
}

/// A 2×2 PNG (red, green / blue, white).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xc0,
    0xf0, 0x1f, 0x08, 0x19, 0x18, 0xfe, 0xff, 0x87, 0x00, 0x00, 0x45, 0xea, 0x07, 0xf9, 0x9f, 0x0f,
    0x64, 0xd9, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A one-page PDF whose page is a red square (no fonts; pdf.js rebuilds the missing
/// cross-reference table as readers do).
const PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >> endobj
4 0 obj << /Length 27 >> stream
1 0 0 rg 20 20 160 160 re f
endstream endobj
trailer << /Root 1 0 R /Size 5 >>
%%EOF
";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn attach_a_file_and_preview_it() {
    let scratch = Scratch::new();
    vault_with_calls(&scratch, 10);
    let mut s = session(&scratch, "qa");
    let flagged = first_flagged(&mut s);
    s.lock();
    let pcr = flagged.body["call"]["pcr_number"]
        .as_str()
        .expect("pcr")
        .to_owned();
    let file = scratch.work().join("monitor-strip.png");
    std::fs::write(&file, PNG).expect("png");

    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "qa").await;
    app.click("Call reviews").await;
    app.click(&format!("Review of PCR {pcr}")).await;
    app.wait_text("Attachments").await;
    app.fill("Or type a file's path", file.to_str().expect("utf-8"))
        .await;
    app.click("Attach").await;
    app.wait_text("monitor-strip.png").await;
    app.wait_text("image/png").await;
    app.click("Preview").await;
    let deadline = std::time::Instant::now() + STEP;
    loop {
        let shown = app
            .client
            .execute(
                "const i = document.querySelector('.preview img'); return !!i && i.complete && i.naturalWidth === 2",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if shown {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the image preview never rendered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A PDF: WebKitGTK shows none in a frame, so the app draws it with pdf.js.
    let pdf = scratch.work().join("transfer-form.pdf");
    std::fs::write(&pdf, PDF).expect("pdf");
    app.fill("Or type a file's path", pdf.to_str().expect("utf-8"))
        .await;
    app.click("Attach").await;
    app.wait_text("application/pdf").await;
    app.click_xpath(
        "//tr[td[normalize-space(.)='transfer-form.pdf']]//button[normalize-space(.)='Preview']",
    )
    .await;
    let deadline = std::time::Instant::now() + STEP;
    loop {
        // The page is drawn: its centre is the red square of the document.
        let red = app
            .client
            .execute(
                "const c = document.querySelector('.pdf canvas[data-rendered=\"1\"]'); if (!c) return false; \
                 const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data; \
                 return d[0] > 200 && d[1] < 60 && d[2] < 60",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if red {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the PDF preview never rendered: {}",
            app.text().await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A copy goes only where the person picks in the save dialog, never over a file.
    let copy = scratch.work().join("copy-of-strip.png");
    app.answer_save_dialog(None);
    app.click_css("button[aria-label='Save a copy of monitor-strip.png']")
        .await;
    app.wait_text("No copy of monitor-strip.png saved: the save dialog was cancelled.")
        .await;
    app.answer_save_dialog(Some(&copy));
    app.click_css("button[aria-label='Save a copy of monitor-strip.png']")
        .await;
    app.wait_text(&format!(
        "Saved a copy of monitor-strip.png to {}.",
        copy.display()
    ))
    .await;
    assert_eq!(std::fs::read(&copy).expect("the copy"), PNG);
    assert_eq!(
        std::fs::metadata(&copy).expect("copy").permissions().mode() & 0o777,
        0o600,
        "an attachment written out is PHI: only its owner reads it"
    );
    app.answer_save_dialog(Some(&copy));
    app.click_css("button[aria-label='Save a copy of monitor-strip.png']")
        .await;
    app.wait_text("exists").await;
    assert_eq!(
        std::fs::read(&copy).expect("the copy"),
        PNG,
        "not overwritten"
    );
    let asked = app.save_dialogs_asked();
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert!(asked[0].ends_with("\tmonitor-strip.png"), "{asked:?}");
    app.stop().await;

    let mut s = session(&scratch, "qa");
    let atts = s.attachments(&flagged.meta.id).expect("attachments");
    assert_eq!(atts.len(), 2);
    assert_eq!(atts[0].name, "monitor-strip.png");
    assert_eq!(atts[0].size, PNG.len() as u64);
    let log = s
        .audit_log(harbor::AuditQuery {
            after: None,
            limit: Some(10_000),
        })
        .expect("audit");
    assert!(
        log.iter().any(|e| e.action == "attachment.view"),
        "the preview is audited"
    );
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "attachment.export")
            .count(),
        1,
        "the copy written out is audited, the cancelled and refused ones are not"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn search_finds_a_call_by_its_pcr_number() {
    let scratch = Scratch::new();
    vault_with_calls(&scratch, 30);
    let mut s = session(&scratch, "qa");
    let flagged = first_flagged(&mut s);
    s.lock();
    let pcr = flagged.body["call"]["pcr_number"]
        .as_str()
        .expect("pcr")
        .to_owned();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "qa").await;
    app.click("Call reviews").await;
    app.wait_text("Page 1").await;
    // Ctrl+F moves to the search box, as the label says.
    app.keys("\u{e009}f\u{e000}").await;
    app.keys(&format!("{pcr}\u{e007}")).await;
    app.wait_text(&format!("found for “{pcr}”")).await;
    let text = app.text().await;
    assert!(text.contains(&format!("Review of PCR {pcr}")), "{text}");
    let others = text.matches("Review of PCR").count();
    assert_eq!(others, 1, "only the call searched for: {text}");
    app.click(&format!("Review of PCR {pcr}")).await;
    app.wait_text("Why this call was flagged").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn promote_a_review_after_reading_the_deidentification_preview() {
    let scratch = Scratch::new();
    vault_with_calls(&scratch, 10);
    let mut s = session(&scratch, "qa");
    let flagged = first_flagged(&mut s);
    s.lock();
    let pcr = flagged.body["call"]["pcr_number"]
        .as_str()
        .expect("pcr")
        .to_owned();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "qa").await;
    app.click("Call reviews").await;
    app.click(&format!("Review of PCR {pcr}")).await;
    app.wait_text("PSES decisions").await;
    app.click("Promote…").await;
    app.wait_text("What promotion means").await;
    app.select("Profile", "nonidentifiable").await;
    app.click("Preview what would leave").await;
    app.wait_text("What would leave the vault").await;
    let text = app.text().await;
    assert!(text.contains("/call/pcr_number"), "{text}");
    assert!(
        text.contains("removed") || text.contains("generalised"),
        "{text}"
    );
    assert!(app.button_disabled("Promote 1 record").await);
    app.check("I have read what would leave").await;
    app.click("Promote 1 record to PSWP").await;
    app.wait_text("1 record promoted and queued for the PSO")
        .await;
    app.click("Open the submission queue").await;
    app.wait_text(&flagged.meta.id).await;
    app.stop().await;

    let mut s = session(&scratch, "qa");
    let outbox = s.outbox().expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].record_id, flagged.meta.id);
    assert_eq!(outbox[0].profile, "nonidentifiable");
    assert_eq!(outbox[0].state, "queued");
    let h = s.history(&flagged.meta.id).expect("history");
    assert!(h.pses_events.iter().any(|e| e.event == "promoted_pswp"));
    let snapshot = s.outbox_snapshot(&outbox[0].id).expect("snapshot");
    assert!(
        !snapshot.contains(&pcr),
        "the PCR number does not leave with the nonidentifiable profile"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn back_up_then_enrol_and_submit_to_a_local_pso_over_tls_and_see_the_receipt() {
    let scratch = Scratch::new();
    vault_with_calls(&scratch, 10);
    let pso = Pso::start(&scratch.root.path().join("pso"));
    let token = pso.add_agency("Harbor County EMS");
    let mut s = session(&scratch, "qa");
    let flagged = first_flagged(&mut s);
    let previews = s
        .preview_promotion(
            std::slice::from_ref(&flagged.meta.id),
            harbor::Profile::Nonidentifiable,
            &Default::default(),
        )
        .expect("preview");
    s.promote(&[previews[0].record_id.clone()])
        .expect("promote");
    s.lock();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    unlock(&app, "admin").await;
    app.click("Settings").await;
    app.wait_text("Patient Safety Organization").await;
    // A backup first (long work off the UI thread): it restores with the passphrase.
    let backup = scratch.work().join("station.backup");
    // Cancelled first: nothing is written.
    app.answer_save_dialog(None);
    app.click("Write an encrypted backup").await;
    app.wait_text("No backup written: the save dialog was cancelled")
        .await;
    // The person chooses where in the shell's own save dialog.
    app.answer_save_dialog(Some(&backup));
    app.click("Write an encrypted backup").await;
    app.wait_text("Wrote an encrypted backup of").await;
    let asked = app.save_dialogs_asked();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        asked[1].starts_with("Write the encrypted backup to\tharbor-")
            && asked[1].ends_with(".backup"),
        "{asked:?}"
    );
    let (restored, _) = harbor::restore(
        &backup,
        &scratch.work().join("restored"),
        harbor::RestoreWith::Passphrase {
            user: "admin",
            passphrase: &harbor::Passphrase::new(PASSPHRASE.into()),
        },
    )
    .expect("the backup restores");
    restored.lock();
    app.fill("PSO address", &pso.url).await;
    app.fill("Enrolment token", &token).await;
    app.fill(
        "CA certificate file",
        pso.cert.to_str().expect("utf-8 path"),
    )
    .await;
    app.click("Enrol with the PSO").await;
    app.wait_text("Enrolled with").await;
    app.click("Submissions").await;
    app.wait_text("Queued: what the next submission sends")
        .await;
    app.click("Submit 1 now").await;
    app.wait_text("item(s) reported. The PSO's receipt verified and is stored.")
        .await;
    app.wait_text("Receipt verified: 1 item(s) received").await;
    app.wait_text("Received by the PSO").await;
    app.stop().await;

    let mut s = session(&scratch, "qa");
    let subs = s.submissions().expect("submissions");
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].state, "committed");
    assert!(pso.stored().contains(&subs[0].id), "the PSO holds it");
    let h = s.history(&flagged.meta.id).expect("history");
    assert!(h.pses_events.iter().any(|e| e.event == "reported"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn screenshots_of_every_main_screen_at_1366_by_768() {
    let scratch = Scratch::new();
    // The demo vault the README's demo opens: imported calls, reviews, a case note, an
    // investigation.
    let status = std::process::Command::new(harbor_bin())
        .args(["demo", "vault", "--out"])
        .arg(scratch.vault())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("harbor runs");
    assert!(status.success());
    let app = Desktop::start(&scratch.vault(), &[]).await;
    let dirs = screenshot_dirs();
    for d in &dirs {
        std::fs::create_dir_all(d).expect("screenshot folder");
    }
    let shoot = |name: &'static str, png: Vec<u8>| {
        let (w, h) = png_size(&png);
        assert_eq!((w, h), (1366, 768), "{name} at 1366x768");
        for d in &dirs {
            std::fs::write(d.join(format!("{name}.png")), &png).expect("write screenshot");
        }
    };
    app.wait_text("Unlock Harbor").await;
    app.fill("User name", "qa.lee").await;
    shoot("unlock", app.screenshot().await);
    app.fill("Passphrase", "demo-station-night-shift").await;
    app.click("Unlock").await;
    app.wait_text("Signed in as qa.lee").await;
    app.wait_text("Trends by month").await;
    app.wait_text("By EMS event category").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    shoot("dashboard", app.screenshot().await);
    let screens: [(&str, &str, &str); 7] = [
        ("Call reviews", "Page 1", "call-reviews"),
        ("Investigations", "Open an investigation", "investigations"),
        ("Import NEMSIS", "Import the NEMSIS 3.5 export", "import"),
        ("Promote to PSWP", "What promotion means", "promote"),
        (
            "Submissions",
            "Submission history and receipts",
            "submissions",
        ),
        ("Audit log", "Verify the audit chain", "audit-log"),
        ("Case notes", "Write a case note", "case-notes"),
    ];
    for (nav, marker, name) in screens {
        app.click(nav).await;
        app.wait_text(marker).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        shoot(name, app.screenshot().await);
    }
    app.click("Call reviews").await;
    app.click("Review of PCR").await;
    app.wait_text("Why this call was flagged").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    shoot("review", app.screenshot().await);
    app.click("Investigations").await;
    app.wait_text("Page 1").await;
    app.click_css(".records .row-link").await;
    app.wait_text("Corrective actions").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    shoot("investigation", app.screenshot().await);
    app.click("Promote to PSWP").await;
    app.wait_text("What promotion means").await;
    app.check("Call review").await;
    app.click("Preview what would leave").await;
    app.wait_text("What would leave the vault").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    shoot("promote-preview", app.screenshot().await);
    app.click("Lock").await;
    app.wait_text("Unlock Harbor").await;
    app.fill("User name", "admin").await;
    app.fill("Passphrase", "demo-station-night-shift").await;
    app.click("Unlock").await;
    app.wait_text("Signed in as admin").await;
    for (nav, marker, name) in [
        ("Users", "Add a user", "users"),
        ("Settings", "Lock when idle", "settings"),
    ] {
        app.click(nav).await;
        app.wait_text(marker).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        shoot(name, app.screenshot().await);
    }
    app.stop().await;

    // The night-shift theme: the app follows the system's dark preference.
    let app = Desktop::start(&scratch.vault(), &[("GTK_THEME", "Adwaita:dark")]).await;
    app.wait_text("Unlock Harbor").await;
    let dark: bool = app
        .client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if dark {
        app.fill("User name", "qa.lee").await;
        app.fill("Passphrase", "demo-station-night-shift").await;
        app.click("Unlock").await;
        app.wait_text("By EMS event category").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        shoot("dashboard-dark", app.screenshot().await);
    } else {
        eprintln!(
            "this WebKitGTK does not report a dark preference under GTK_THEME: no dark screenshot"
        );
    }
    app.stop().await;
}
