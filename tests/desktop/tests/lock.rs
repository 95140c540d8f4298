//! First-run set-up, unlock (wrong passphrase, throttle, right passphrase), the recovery
//! code, lock on demand and auto-lock.

use harbor_desktop_e2e::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn first_run_sets_up_the_vault_and_shows_the_recovery_code_once() {
    let scratch = Scratch::new();
    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.wait_text("Set up Harbor").await;
    app.fill("Administrator's user name", "priya").await;
    app.fill("Passphrase", PASSPHRASE).await;
    app.fill("Passphrase again", "not the same passphrase")
        .await;
    app.click("Create the vault").await;
    app.wait_text("The two passphrases differ").await;
    app.fill("Passphrase again", PASSPHRASE).await;
    app.click("Create the vault").await;
    app.wait_text("Your recovery code").await;
    let code = app
        .client
        .find(fantoccini::Locator::Css("[data-testid=recovery-code]"))
        .await
        .expect("the code")
        .text()
        .await
        .expect("its text");
    assert!(code.len() >= 20, "a recovery code: {code}");
    assert!(
        app.button_disabled("Continue").await,
        "Continue waits for the confirmation"
    );
    app.check("I have written down the recovery code").await;
    app.click("Continue").await;
    app.wait_text("Signed in as priya").await;
    app.wait_text("Dashboard").await;
    let title = app.client.title().await.expect("title");
    assert_eq!(title, "Harbor", "no names in the window title");
    // Lock on demand: the unlock screen returns and the code is gone for good.
    app.click("Lock").await;
    app.wait_text("Unlock Harbor").await;
    assert!(!app.text().await.contains(code.trim()));
    app.stop().await;

    // The vault is real: the administrator unlocks it with the passphrase, and the code
    // shown opens it too.
    let pass = harbor::Passphrase::new(PASSPHRASE.into());
    let s = harbor::unlock(&scratch.vault(), "priya", &pass).expect("the admin unlocks");
    assert_eq!(s.role(), harbor::Role::Admin);
    s.lock();
    let recovered = harbor::recover(
        &scratch.vault(),
        &harbor::RecoveryCode::parse(code.trim()),
        "priya",
        &harbor::Passphrase::new("a brand new passphrase for priya".into()),
    )
    .expect("the recovery code shown opens the vault");
    recovered.session.lock();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn unlock_refuses_a_wrong_passphrase_counts_down_the_throttle_then_opens() {
    let scratch = Scratch::new();
    make_vault(&scratch.vault()).lock();
    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.wait_text("Unlock Harbor").await;
    app.fill("User name", "qa").await;
    app.fill("Passphrase", "wrong passphrase one").await;
    app.click("Unlock").await;
    app.wait_text("That user name and passphrase do not match")
        .await;
    assert!(!app.text().await.contains("Signed in"));
    // Keep failing until the throttle answers: it shows how long to wait and holds the
    // button until then.
    let mut throttled = false;
    for attempt in 0..6 {
        app.fill("Passphrase", &format!("wrong passphrase {attempt}"))
            .await;
        app.click("Unlock").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let text = app.text().await;
        if text.contains("Too many failed attempts") {
            assert!(text.contains("You can try again in"), "{text}");
            throttled = true;
            break;
        }
        app.wait_text("do not match").await;
    }
    assert!(throttled, "the throttle never answered");
    app.wait_gone("Too many failed attempts", Duration::from_secs(40))
        .await;
    app.fill("Passphrase", PASSPHRASE).await;
    app.click("Unlock").await;
    app.wait_text("Signed in as qa").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn the_recovery_code_sets_a_new_passphrase_and_is_replaced() {
    let scratch = Scratch::new();
    let pass = harbor::Passphrase::new(PASSPHRASE.into());
    let (s, code) =
        harbor::init(&scratch.vault(), "admin", &pass, harbor::KdfParams::MINIMUM).expect("vault");
    s.lock();
    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.wait_text("Unlock Harbor").await;
    app.click("Forgot your passphrase?").await;
    app.wait_text("Unlock with the recovery code").await;
    app.fill("User name", "admin").await;
    app.fill("Recovery code", code.expose()).await;
    app.fill("New passphrase", "harbour lights over the bay")
        .await;
    app.fill("New passphrase again", "harbour lights over the bay")
        .await;
    app.click("Set the new passphrase and unlock").await;
    app.wait_text("Your recovery code").await;
    app.wait_text("The vault was re-keyed").await;
    assert!(
        !app.text().await.contains(code.expose()),
        "a new code replaces the old"
    );
    app.check("I have written down").await;
    app.click("Continue").await;
    app.wait_text("Signed in as admin").await;
    app.stop().await;
    harbor::unlock(
        &scratch.vault(),
        "admin",
        &harbor::Passphrase::new("harbour lights over the bay".into()),
    )
    .expect("the new passphrase works")
    .lock();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn auto_lock_drops_the_session_clears_the_screen_and_keeps_the_draft() {
    let scratch = Scratch::new();
    let mut s = make_vault(&scratch.vault());
    let mut review = harbor::record_template(harbor::RecordKind::CallReview);
    review["call"]["pcr_number"] = "PCR-AUTOLOCK-1".into();
    s.create_record(harbor::RecordKind::CallReview, &review)
        .expect("a review");
    s.lock();

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("admin").await;
    // A person at the keyboard: real pointer input in the window keeps the session open.
    let person = app.person_at_the_keyboard();
    set_a_short_idle_time(&app).await;
    // Type into a review, then leave the keyboard.
    app.click("Call reviews").await;
    app.click("Review of PCR PCR-AUTOLOCK-1").await;
    app.wait_text("Why this call was flagged").await;
    app.fill("Recommendations", "Refresher on capnography canary-7731")
        .await;
    app.wait_text("Draft kept in the vault").await;
    // Twice the idle time with the person there: still open.
    tokio::time::sleep(Duration::from_secs(12)).await;
    let text = app.text().await;
    assert!(
        text.contains("Why this call was flagged") && !text.contains("Unlock Harbor"),
        "the session locked while the person was at the keyboard: {text}"
    );
    drop(person);
    app.wait_text_for(
        "Harbor locked after a time without input",
        Duration::from_secs(30),
    )
    .await;
    let text = app.text().await;
    assert!(text.contains("Unlock Harbor"));
    assert!(
        !text.contains("canary-7731") && !text.contains("PCR-AUTOLOCK-1"),
        "record content left on screen after the lock: {text}"
    );
    let in_dom: bool = app
        .client
        .execute(
            "return document.documentElement.outerHTML.includes('canary-7731')",
            vec![],
        )
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(true);
    assert!(!in_dom, "record content left in the page after the lock");
    // Unlock again: the draft comes back, nothing typed was lost.
    app.fill("Passphrase", PASSPHRASE).await;
    app.click("Unlock").await;
    app.wait_text("Signed in as admin").await;
    app.click("Call reviews").await;
    app.click("Review of PCR PCR-AUTOLOCK-1").await;
    app.wait_text("Your unsaved changes from").await;
    let value = app.field("Recommendations").await.prop("value").await;
    assert_eq!(
        value.ok().flatten().as_deref(),
        Some("Refresher on capnography canary-7731")
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn a_script_calling_activity_in_a_loop_cannot_keep_the_session_unlocked() {
    let scratch = Scratch::new();
    let s = make_vault(&scratch.vault());
    s.lock();
    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("admin").await;
    set_a_short_idle_time(&app).await;
    // A script in the page (as an injected one would) calls the shell as fast as the UI
    // ever does: `activity`, a command, and long work in a loop. None of it is input.
    app.client
        .execute(
            "const inv = window.__TAURI_INTERNALS__.invoke;
             window.__keepAlive = setInterval(() => {
               inv('activity').catch(() => {});
               inv('status').catch(() => {});
               inv('audit_verify').catch(() => {});
             }, 200);
             return true;",
            vec![],
        )
        .await
        .expect("the script runs");
    app.wait_text_for(
        "Harbor locked after a time without input",
        Duration::from_secs(40),
    )
    .await;
    assert!(app.text().await.contains("Unlock Harbor"));
    app.stop().await;
}

/// Sets the idle time to 6 seconds, where a person sets it (Settings).
async fn set_a_short_idle_time(app: &Desktop) {
    app.click("Settings").await;
    app.wait_text("Lock when idle").await;
    app.fill("Minutes without input before Harbor locks", "0.1")
        .await;
    app.click("Save the idle time").await;
    app.wait_text("Harbor now locks after 0.1 minutes").await;
}
