//! The PSES policy: versions kept, the version in force at a date, who may adopt one, and
//! what a text must be.

use crate::support::*;
use harbor::{ErrorCode, RecordKind, Role};

fn filled_template() -> String {
    let view_template = harbor_core::policy::TEMPLATE;
    let mut text = view_template.to_owned();
    for p in harbor_core::policy::placeholders(view_template) {
        text = text.replace(&format!("{{{{{p}}}}}"), "Bayside EMS");
    }
    text
}

#[test]
fn a_new_vault_starts_with_the_template_and_keeps_every_adopted_version() {
    let (_tv, mut s, _code) = new_vault();
    let view = ok(s.policy(None));
    assert!(view.needs_review);
    assert_eq!(view.versions.len(), 1);
    let first = view.policy.expect("version 1");
    assert!(first.meta.template);
    assert_eq!(first.meta.adopted_by, ADMIN);
    assert_eq!(first.text, harbor_core::policy::TEMPLATE);
    assert!(view.placeholders.contains(&"AGENCY_NAME".to_owned()));
    assert!(ok(s.status()).policy_needs_review);

    // The template as it came cannot be adopted: its placeholders are still in it.
    let e = s.adopt_policy(harbor_core::policy::TEMPLATE).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput.as_str());
    assert!(e.to_string().contains("{{AGENCY_NAME}}"), "{e}");

    let v2 = ok(s.adopt_policy(&filled_template()));
    assert_eq!(v2.version, 2);
    let v3 = ok(s.adopt_policy("Bayside EMS keeps its PSES in Harbor.\n"));
    assert_eq!(v3.version, 3);
    // The same text again is not a new version.
    let e = s
        .adopt_policy("Bayside EMS keeps its PSES in Harbor.\n")
        .unwrap_err();
    assert!(e.to_string().contains("same as version 3"), "{e}");

    let view = ok(s.policy(None));
    assert!(!view.needs_review);
    assert!(view.placeholders.is_empty());
    assert_eq!(
        view.versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        ok(s.policy(Some(2))).policy.unwrap().text,
        filled_template()
    );
    assert_eq!(
        ok(s.policy(Some(1))).policy.unwrap().text,
        harbor_core::policy::TEMPLATE
    );
    assert!(!ok(s.status()).policy_needs_review);
    assert_eq!(err_code(s.policy(Some(9))), "not_found");

    // Each adoption is in the audit chain with the text's hash, and the chain holds.
    let adoptions: Vec<_> = all_audit(&mut s)
        .into_iter()
        .filter(|a| a.action == "policy.adopt")
        .collect();
    assert_eq!(adoptions.len(), 3);
    assert_eq!(adoptions[2].detail["sha256"], v3.sha256);
    assert!(ok(s.audit_verify()).first_bad.is_none());
}

#[test]
fn only_an_administrator_adopts_a_policy_and_every_role_reads_it() {
    let (tv, mut s, _code) = new_vault();
    for (name, role) in [
        ("quality", Role::QualityOfficer),
        ("director", Role::MedicalDirector),
        ("peer", Role::Reviewer),
    ] {
        ok(s.add_user(name, role, &pass(PASS)));
    }
    drop(s);
    for name in ["quality", "director", "peer"] {
        let mut other = unlock(&tv.dir, name, PASS);
        assert_eq!(ok(other.policy(None)).versions.len(), 1);
        assert_eq!(
            err_code(other.adopt_policy("A policy nobody may adopt but an admin.\n")),
            "forbidden"
        );
        let file = tv.path(&format!("{name}-policy.md"));
        std::fs::write(&file, "A policy from a file.\n").unwrap();
        assert_eq!(err_code(other.adopt_policy_file(&file)), "forbidden");
        assert_eq!(
            ok(other.policy(None)).versions.len(),
            1,
            "{name} changed nothing"
        );
    }
}

#[test]
fn a_policy_file_that_is_not_a_policy_is_refused_with_words_and_changes_nothing() {
    let (tv, mut s, _code) = new_vault();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "latin1.md",
            b"Politique \xe9crite\n".to_vec(),
            "not UTF-8 text",
        ),
        (
            "nul.md",
            b"line one\nline\x00two\n".to_vec(),
            "control character",
        ),
        ("empty.md", b"\n  \n".to_vec(), "empty"),
        (
            "huge.md",
            vec![b'a'; harbor_core::policy::MAX_BYTES + 1],
            "over the policy limit",
        ),
    ];
    for (name, bytes, says) in cases {
        let file = tv.path(name);
        std::fs::write(&file, bytes).unwrap();
        let e = s.adopt_policy_file(&file).unwrap_err();
        assert!(e.to_string().contains(says), "{name}: {e}");
    }
    let e = s.adopt_policy_file(&tv.dir).unwrap_err();
    assert!(e.to_string().contains("is a folder"), "{e}");
    let e = s.adopt_policy_file(&tv.path("missing.md")).unwrap_err();
    assert!(e.to_string().contains("cannot read the policy file"), "{e}");
    assert_eq!(ok(s.policy(None)).versions.len(), 1);
}

#[test]
fn a_policy_rewritten_by_someone_holding_the_key_is_refused_and_no_log_names_it() {
    let (_tv, mut s, _code) = new_vault();
    ok(s.create_record(RecordKind::CallReview, &call_review("24-0001")));
    // Text and hash column rewritten together, past the triggers: the adoption's audit
    // row still holds the true hash.
    s.vault_for_tamper_tests()
        .raw_sql_for_tamper_tests(
            "DROP TRIGGER pses_policy_is_append_only_update;
             UPDATE pses_policy SET text = 'forged',
                 sha256 = 'e3b2e5bb39e8ad1e4c6fa2f8b5f3c4a4ee1ddf8ad7be16bf2e1a7e1e5c1c6d4f'
             WHERE version = 1;",
        )
        .unwrap();
    assert_eq!(err_code(s.policy(Some(1))), "vault_corrupt");
    assert_eq!(
        err_code(s.privilege_log(&harbor::PrivilegeQuery {
            all: true,
            ..Default::default()
        })),
        "vault_corrupt"
    );
}

#[test]
fn a_policy_path_that_is_a_pipe_is_refused_without_waiting_for_a_writer() {
    let (tv, mut s, _code) = new_vault();
    let fifo = tv.path("policy.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Opening a pipe with no writer blocks; the refusal must come first.
    let e = s.adopt_policy_file(&fifo).unwrap_err();
    assert!(e.to_string().contains("not a file"), "{e}");
    assert_eq!(ok(s.policy(None)).versions.len(), 1);
}
