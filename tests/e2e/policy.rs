//! `harbor policy`: read the policy, edit it as a file, adopt it; refused for non-admins
//! and for a file that is not a policy.

use harbor_e2e::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn show_edit_set_round_trip_keeps_every_version() {
    let s = Scratch::new();
    s.init();
    let status = s.harbor("admin").arg("status").output().unwrap();
    assert_ok(&status);
    assert!(
        stdout(&status).contains("PSES policy is Harbor's template"),
        "{}",
        stdout(&status)
    );

    // The text alone on stdout, so it can be saved and edited.
    let shown = s.harbor("admin").args(["policy", "show"]).output().unwrap();
    assert_ok(&shown);
    assert!(
        stderr(&shown).contains("version 1 (in force)"),
        "{}",
        stderr(&shown)
    );
    assert!(
        stderr(&shown).contains("{{AGENCY_NAME}}"),
        "{}",
        stderr(&shown)
    );
    let template = stdout(&shown);
    assert!(template.starts_with("# Patient Safety Evaluation System policy of {{AGENCY_NAME}}"));

    // Adopting the unedited template is refused, naming the placeholders; nothing changes.
    let file = s.work().join("policy.md");
    std::fs::write(&file, &template).unwrap();
    let out = s
        .harbor("admin")
        .args(["policy", "set", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(stderr(&out).contains("{{PSO_NAME}}"), "{}", stderr(&out));

    let mut edited = template.clone();
    for (p, v) in [
        ("AGENCY_NAME", "Bayside EMS"),
        ("PSO_NAME", "the Center for Patient Safety"),
        ("VAULT_COMPUTERS", "the station 1 quality office PC"),
        ("REPORTING_CADENCE", "month"),
        ("POLICY_OWNER", "the privacy officer"),
    ] {
        edited = edited.replace(&format!("{{{{{p}}}}}"), v);
    }
    std::fs::write(&file, &edited).unwrap();
    let out = s
        .harbor("admin")
        .args(["--json", "policy", "set", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    let adopted = ok_json(&out);
    assert_eq!(adopted["version"], 2);
    assert_eq!(adopted["adopted_by"], "admin");

    let now = s.harbor("admin").args(["policy", "show"]).output().unwrap();
    assert_eq!(stdout(&now), edited);
    let old = s
        .harbor("admin")
        .args(["policy", "show", "--version", "1"])
        .output()
        .unwrap();
    assert_eq!(stdout(&old), template);
    assert!(!stderr(&old).contains("in force"), "{}", stderr(&old));
    let list = ok_json(
        &s.harbor("admin")
            .args(["--json", "policy", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["sha256"], adopted["sha256"]);
    let status = s.harbor("admin").arg("status").output().unwrap();
    assert!(
        !stdout(&status).contains("PSES policy"),
        "{}",
        stdout(&status)
    );
}

#[test]
fn a_reviewer_reads_the_policy_and_cannot_adopt_one() {
    let s = Scratch::new();
    s.init();
    s.add_user("peer", "reviewer");
    let shown = s.harbor("peer").args(["policy", "show"]).output().unwrap();
    assert_ok(&shown);
    let file = s.work().join("mine.md");
    std::fs::write(&file, "A reviewer's own policy.\n").unwrap();
    let out = s
        .harbor("peer")
        .args(["policy", "set", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert!(stderr(&out).contains("policy.adopt"), "{}", stderr(&out));
    let list = ok_json(
        &s.harbor("peer")
            .args(["--json", "policy", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(list.as_array().unwrap().len(), 1);
}
