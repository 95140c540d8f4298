//! Promotion through the CLI: the dry run shows what leaves; a script must confirm.

use harbor_e2e::*;
use serde_json::json;

#[test]
fn promotion_previews_then_needs_confirmation_then_queues() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    let body = json!({
        "call": {"pcr_number": "PCR-CANARY-77", "call_date": "2026-11-02", "unit": "Medic 12"},
        "recommendations": "Ask Dr. Zebulon Quince about the ramp.",
        "just_culture": "human_error"
    });
    let created = ok_json(&s.run_with_input(
        "qa",
        &["--json", "record", "create", "call_review", "--file", "-"],
        &body.to_string(),
    ));
    let id = created["id"].as_str().unwrap();

    let dry = s
        .harbor("qa")
        .args(["promote", id, "--profile", "nonidentifiable", "--dry-run"])
        .output()
        .unwrap();
    assert_ok(&dry);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(text.contains("removed     /call/pcr_number"), "{text}");
    assert!(
        text.contains("generalised /call/call_date -> 2026"),
        "{text}"
    );
    assert!(text.contains("withheld    /recommendations"), "{text}");
    assert!(text.contains("Dry run: nothing was promoted."));

    // A script must say --yes: promotion is a legal act.
    let refused = s
        .harbor("qa")
        .args(["promote", id, "--profile", "nonidentifiable"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let listed = ok_json(
        &s.harbor("qa")
            .args(["--json", "record", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(listed["items"][0]["pses_state"], "in_pses");

    let done = ok_json(
        &s.harbor("qa")
            .args([
                "--json",
                "promote",
                id,
                "--profile",
                "nonidentifiable",
                "--yes",
            ])
            .output()
            .unwrap(),
    );
    let item = done[0]["id"].as_str().unwrap();
    let snapshot = s
        .harbor("qa")
        .args(["outbox", "show", item])
        .output()
        .unwrap();
    assert_ok(&snapshot);
    let snapshot = String::from_utf8_lossy(&snapshot.stdout);
    for gone in [
        "PCR-CANARY-77",
        "Medic 12",
        "Zebulon",
        "human_error",
        "11-02",
    ] {
        assert!(!snapshot.contains(gone), "{gone} in {snapshot}");
    }
    // The CLI says, as the desktop shows, that a queued record cannot drop out and why.
    let choices = s
        .harbor("qa")
        .args(["--json", "record", "choices", id])
        .output()
        .unwrap();
    assert_ok(&choices);
    let choices: serde_json::Value = serde_json::from_slice(&choices.stdout).unwrap();
    assert_eq!(choices["drop_out"], false, "{choices}");
    assert_eq!(choices["unqueue"], true, "{choices}");
    assert!(
        choices["note"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot drop out"),
        "{choices}"
    );
    let dropout = s
        .harbor("qa")
        .args(["dropout", id, "--reason", "x"])
        .output()
        .unwrap();
    assert_eq!(dropout.status.code(), Some(9));
    assert_ok(
        &s.harbor("qa")
            .args(["unqueue", id, "--reason", "promoted too early"])
            .output()
            .unwrap(),
    );
    assert_ok(
        &s.harbor("qa")
            .args(["dropout", id, "--reason", "not a safety event"])
            .output()
            .unwrap(),
    );
}
