//! What counsel relies on, in the window. The PSES policy screen: the dashboard asks the administrator to review Harbor's
//! template; the administrator edits it in the window and adopts a version (a text that
//! keeps placeholders is refused in words); every version stays readable; another role
//! reads the policy and is offered no edit. The disclosure log: a quality officer records a
//! disclosure made outside Harbor from a record's history. Checked in the vault through the
//! service API.

use harbor_desktop_e2e::*;

fn session(vault: &std::path::Path, user: &str) -> harbor::Session {
    harbor::unlock(vault, user, &harbor::Passphrase::new(PASSPHRASE.into())).expect("unlock")
}

const OURS: &str = "Bayside EMS keeps its Patient Safety Evaluation System in Harbor, on the station 1 quality office PC, and reports to its PSO every month.";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn an_administrator_reviews_edits_and_adopts_the_policy_and_others_read_it() {
    let scratch = Scratch::new();
    let vault = scratch.vault();
    make_vault(&vault).lock();

    let app = Desktop::start(&vault, &[]).await;
    app.sign_in("admin").await;
    app.wait_text("The PSES policy is still Harbor's template")
        .await;
    app.click("Review the PSES policy").await;
    app.wait_text("Patient Safety Evaluation System policy of {{AGENCY_NAME}}")
        .await;
    app.wait_text("Placeholders still to replace").await;
    app.wait_text("Version 1 (in force)").await;

    app.click("Edit the policy").await;
    // Keeping a placeholder is refused, and says which.
    app.fill(
        "Policy text (Markdown)",
        "Bayside EMS reports to {{PSO_NAME}}.",
    )
    .await;
    app.click("Adopt as version 2").await;
    app.wait_text("still has the template's placeholders {{PSO_NAME}}")
        .await;
    app.fill("Policy text (Markdown)", OURS).await;
    app.click("Adopt as version 2").await;
    app.wait_text("Version 2 of the PSES policy is adopted")
        .await;
    app.wait_text(OURS).await;
    app.wait_text("Version 2 (in force)").await;
    // The template stays readable as version 1.
    app.click("Show version 1").await;
    app.wait_text("Patient Safety Evaluation System policy of {{AGENCY_NAME}}")
        .await;
    app.stop().await;

    let mut admin = session(&vault, "admin");
    let view = admin.policy(None).expect("policy");
    assert_eq!(view.versions.len(), 2);
    let current = view.policy.expect("current");
    assert_eq!(current.text, OURS);
    assert_eq!(current.meta.adopted_by, "admin");
    assert!(!view.needs_review);
    admin.lock();

    // A medical director reads the policy in force and is offered no edit.
    let app = Desktop::start(&vault, &[]).await;
    app.sign_in("md").await;
    let shown = app.text().await;
    assert!(!shown.contains("Harbor's template"), "{shown}");
    app.click("PSES policy").await;
    app.wait_text(OURS).await;
    let shown = app.text().await;
    assert!(!shown.contains("Edit the policy"), "{shown}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn a_quality_officer_records_a_disclosure_from_a_records_history() {
    let scratch = Scratch::new();
    let vault = scratch.vault();
    let mut admin = make_vault(&vault);
    let id = admin
        .create_record(
            harbor::RecordKind::CallReview,
            &serde_json::json!({"call": {"pcr_number": "24-0042", "call_date": "2026-11-02", "unit": "Medic 3"}}),
        )
        .expect("review")
        .id;
    admin.lock();

    let app = Desktop::start(&vault, &[]).await;
    app.sign_in("qa").await;
    app.click("Audit log").await;
    app.click(&format!("{}…", &id[..8])).await;
    app.wait_text("PSES ledger").await;
    app.click("Disclosures of this record").await;
    app.wait_text("Record a disclosure made outside Harbor")
        .await;
    app.wait_text("No disclosures.").await;
    app.fill("Disclosed to", "Hale & Ortiz LLP").await;
    app.select("Permission", "business_operations").await;
    app.fill("Note", "for the agency's defence").await;
    app.click("Record the disclosure").await;
    app.wait_text("Recorded disclosure 1: 1 record to Hale & Ortiz LLP")
        .await;
    app.wait_text("42 CFR 3.206(b)(9)").await;
    app.stop().await;

    let mut qa = session(&vault, "qa");
    let log = qa.disclosures(&Default::default()).expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].records, vec![id]);
    assert_eq!(log[0].recipient, "Hale & Ortiz LLP");
    assert_eq!(log[0].permission, harbor::Permission::BusinessOperations);
    assert_eq!(log[0].recorded_by, "qa");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn a_quality_officer_previews_and_exports_the_privilege_log_of_a_record() {
    let scratch = Scratch::new();
    let vault = scratch.vault();
    let mut admin = make_vault(&vault);
    let canary = "CANARY-WINDOW-5e2c";
    let id = admin
        .create_record(
            harbor::RecordKind::CallReview,
            &serde_json::json!({"call": {"pcr_number": "24-0042", "call_date": "2026-11-02", "unit": "Medic 3"},
                                "recommendations": canary}),
        )
        .expect("review")
        .id;
    admin.drop_out(&id, "entered twice").expect("drop out");
    admin.lock();

    let app = Desktop::start(&vault, &[]).await;
    app.sign_in("qa").await;
    app.click("Audit log").await;
    app.click(&format!("{}…", &id[..8])).await;
    app.wait_text("PSES ledger").await;
    app.click("Privilege log of this record").await;
    app.wait_text("holds no field of their content").await;
    app.click("Preview").await;
    app.wait_text("reason: entered twice").await;
    let shown = app.text().await;
    assert!(shown.contains(&id), "{shown}");
    assert!(!shown.contains(canary), "content in the preview: {shown}");

    let pdf = scratch.work().join("privilege-log.pdf");
    app.answer_save_dialog(Some(&pdf));
    app.click("Export PDF").await;
    app.wait_text("Wrote the privilege log (PDF) of 1 records")
        .await;
    let csv = scratch.work().join("privilege-log.csv");
    app.answer_save_dialog(Some(&csv));
    app.click("Export CSV").await;
    app.wait_text("Wrote the privilege log (CSV) of 1 records")
        .await;
    app.stop().await;

    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&id) && text.contains("reason: entered twice"),
        "{text}"
    );
    let csv = std::fs::read_to_string(&csv).expect("the CSV");
    assert!(
        csv.contains(&format!("{id},call_review,false,dropped_out")),
        "{csv}"
    );
    for written in [text.as_ref(), csv.as_str()] {
        assert!(!written.contains(canary) && !written.contains("24-0042"));
    }
}
