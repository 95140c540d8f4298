//! What a script in the page can make the shell do with files: the shell writes only where
//! the person chose in its own save dialog, never where the page says.

use harbor_desktop_e2e::*;

async fn invoke(app: &Desktop, command: &str, args: serde_json::Value) -> serde_json::Value {
    let script = "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
           .then((v) => done({ok: v}), (e) => done({err: e}));";
    app.client
        .execute_async(script, vec![command.into(), args])
        .await
        .expect("the script runs")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, tauri-driver and Xvfb: scripts/test.sh runs it"]
async fn a_script_in_the_page_cannot_choose_where_the_shell_writes_or_overwrite_a_file() {
    let scratch = Scratch::new();
    let s = make_vault(&scratch.vault());
    s.lock();
    let work = scratch.work();
    let chosen_by_script = work.join("planted.backup");
    let existing = work.join("precious.txt");
    std::fs::write(&existing, "the person's own file").expect("a file");

    let app = Desktop::start(&scratch.vault(), &[]).await;
    app.sign_in("admin").await;

    // The script names the files; the person cancels the dialog the shell opens.
    app.answer_save_dialog(None);
    app.answer_save_dialog(None);
    let new_file = invoke(
        &app,
        "backup",
        serde_json::json!({"out": chosen_by_script.to_str().expect("utf-8")}),
    )
    .await;
    let over = invoke(
        &app,
        "backup",
        serde_json::json!({"out": existing.to_str().expect("utf-8")}),
    )
    .await;
    assert!(
        !chosen_by_script.exists(),
        "the shell wrote where the script said: {new_file}"
    );
    assert_eq!(
        std::fs::read_to_string(&existing).expect("still there"),
        "the person's own file",
        "the shell overwrote a file the script named: {over}"
    );
    assert_eq!(new_file, serde_json::json!({"ok": null}), "cancelled");
    assert_eq!(
        app.save_dialogs_asked().len(),
        2,
        "the shell asked each time"
    );

    // Even when the person picks an existing file in the dialog, nothing is overwritten.
    app.answer_save_dialog(Some(&existing));
    let picked = invoke(&app, "backup", serde_json::json!({})).await;
    assert!(picked.get("err").is_some(), "{picked}");
    assert_eq!(
        std::fs::read_to_string(&existing).expect("still there"),
        "the person's own file"
    );
    app.stop().await;
}
