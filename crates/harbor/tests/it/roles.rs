//! The role matrix, checked through the real service calls that each action guards.

use crate::support::*;
use harbor::{Action, AuditQuery, ListQuery, RecordKind, Role, Session};
use harbor_core::records::template;
use serde_json::json;
use std::collections::HashMap;
use std::path::PathBuf;

/// The user who holds `role` in the matrix vault.
fn user_of(role: Role) -> &'static str {
    match role {
        Role::Admin => ADMIN,
        Role::QualityOfficer => "quality",
        Role::MedicalDirector => "director",
        Role::Reviewer => "peer",
    }
}

/// Records, files and users the matrix acts on, made before any role takes its turn.
struct Fixtures {
    review: String,
    note: String,
    investigation: String,
    attachment: String,
    attach_file: PathBuf,
    /// One fresh record per role, for its drop-out attempt.
    drop_target: HashMap<Role, String>,
    /// One throwaway user per role, for its disable attempt.
    throwaway: HashMap<Role, String>,
    /// Where each role's outputs (exports, backups) go.
    out: PathBuf,
    /// An empty folder to import from.
    empty_dir: PathBuf,
    /// One fresh record per role, for its promotion attempt.
    promote_target: HashMap<Role, String>,
    /// One promoted (queued) record per role, for its un-queue attempt.
    queued: HashMap<Role, String>,
}

/// A vault with one user per role and the fixtures of the matrix.
fn matrix_vault() -> (TestVault, Fixtures) {
    let (tv, mut admin, _code) = new_vault();
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        ok(admin.add_user(user_of(role), role, &pass(PASS)));
    }
    let review = ok(admin.create_record(RecordKind::CallReview, &call_review("24-0001"))).id;
    let investigation = ok(admin.create_record(
        RecordKind::Investigation,
        &template(RecordKind::Investigation),
    ))
    .id;
    let attach_file = tv.path("crew-statement.txt");
    std::fs::write(&attach_file, b"The wheel lock was stiff.").unwrap();
    let attachment = ok(admin.attach(&review, &attach_file)).id;
    let mut drop_target = HashMap::new();
    let mut throwaway = HashMap::new();
    for role in Role::ALL {
        let id = ok(admin.create_record(
            RecordKind::CallReview,
            &call_review(&format!("drop-{role}")),
        ))
        .id;
        drop_target.insert(role, id);
        let name = format!("throwaway-{role}");
        ok(admin.add_user(&name, Role::Reviewer, &pass(PASS)));
        throwaway.insert(role, name);
    }
    let mut promote_target = HashMap::new();
    let mut queued = HashMap::new();
    for role in Role::ALL {
        let fresh = ok(admin.create_record(
            RecordKind::CallReview,
            &call_review(&format!("promote-{role}")),
        ))
        .id;
        promote_target.insert(role, fresh);
        let q = ok(admin.create_record(
            RecordKind::CallReview,
            &call_review(&format!("queued-{role}")),
        ))
        .id;
        let preview = ok(admin.preview_promotion(
            std::slice::from_ref(&q),
            harbor::Profile::Nonidentifiable,
            &Default::default(),
        ));
        ok(admin.promote(&[preview[0].record_id.clone()]));
        queued.insert(role, q);
    }
    drop(admin);
    let mut director = unlock(&tv.dir, user_of(Role::MedicalDirector), PASS);
    let note = ok(director.create_record(
        RecordKind::CaseNote,
        &input(RecordKind::CaseNote, json!({"subject": review})),
    ))
    .id;
    drop(director);
    let out = tv.path("out");
    std::fs::create_dir(&out).unwrap();
    let empty_dir = tv.path("no-nemsis-files");
    std::fs::create_dir(&empty_dir).unwrap();
    let fx = Fixtures {
        empty_dir,
        promote_target,
        queued,
        review,
        note,
        investigation,
        attachment,
        attach_file,
        drop_target,
        throwaway,
        out,
    };
    (tv, fx)
}

fn export_path(fx: &Fixtures, role: Role) -> PathBuf {
    fx.out.join(format!("export-{role}.txt"))
}

fn backup_path(fx: &Fixtures, role: Role) -> PathBuf {
    fx.out.join(format!("backup-{role}.hbk"))
}

fn added_user(role: Role) -> String {
    format!("added-by-{role}")
}

/// Performs the service call that `action` guards, as the session's user (of `role`).
/// The match has no wildcard: a new action does not compile until it is mapped here.
fn perform(s: &mut Session, action: Action, role: Role, fx: &Fixtures) -> harbor::Result<()> {
    let changed = format!("changed by {role}");
    match action {
        Action::RecordRead => s.record(&fx.review).map(drop),
        Action::RecordList => s.list(&ListQuery::default()).map(drop),
        Action::CallReviewCreate => s
            .create_record(RecordKind::CallReview, &template(RecordKind::CallReview))
            .map(drop),
        Action::CallReviewUpdate => s
            .update_record(
                &fx.review,
                &input(RecordKind::CallReview, json!({"recommendations": changed})),
            )
            .map(drop),
        Action::CallReviewSignOff => s.sign_off(&fx.review).map(drop),
        Action::CaseNoteCreate => s
            .create_record(
                RecordKind::CaseNote,
                &input(RecordKind::CaseNote, json!({"subject": fx.review})),
            )
            .map(drop),
        Action::CaseNoteUpdate => s
            .update_record(
                &fx.note,
                &input(
                    RecordKind::CaseNote,
                    json!({"subject": fx.review, "recommendations": changed}),
                ),
            )
            .map(drop),
        Action::InvestigationCreate => s
            .create_record(
                RecordKind::Investigation,
                &template(RecordKind::Investigation),
            )
            .map(drop),
        Action::InvestigationUpdate => s
            .update_record(
                &fx.investigation,
                &input(RecordKind::Investigation, json!({"event_summary": changed})),
            )
            .map(drop),
        Action::AttachmentAdd => s.attach(&fx.review, &fx.attach_file).map(drop),
        Action::AttachmentExport => s
            .export_attachment(&fx.attachment, &export_path(fx, role))
            .map(drop),
        Action::DropOut => s
            .drop_out(&fx.drop_target[&role], "not a patient safety event")
            .map(drop),
        Action::UserAdd => s
            .add_user(&added_user(role), Role::Reviewer, &pass(PASS))
            .map(drop),
        Action::UserDisable => s.disable_user(&fx.throwaway[&role]).map(drop),
        Action::UserList => s.users().map(drop),
        Action::PassphraseChange => s.change_passphrase(&pass("amber-kettle-frost-77")),
        Action::AuditRead => s.audit_log(AuditQuery::default()).map(drop),
        Action::AuditVerify => s.audit_verify().map(drop),
        Action::Backup => s.backup(&backup_path(fx, role)).map(drop),
        Action::Settings => s.set_setting("attachment_max_bytes", "1000000"),
        Action::VaultRekey => s.rekey(false).map(drop),
        // An empty folder: the call is allowed or refused before any file is read.
        Action::EpcrImport => s
            .import_nemsis(
                std::slice::from_ref(&fx.empty_dir),
                &harbor::ImportOptions::default(),
                &mut |_| {},
            )
            .map(drop),
        Action::TriggersChange => s
            .set_trigger("long_scene_time", None, &[("minutes".into(), "25".into())])
            .map(drop),
        Action::Promote => s
            .preview_promotion(
                std::slice::from_ref(&fx.promote_target[&role]),
                harbor::Profile::Identifiable,
                &Default::default(),
            )
            .and_then(|p| s.promote(&[p[0].record_id.clone()]))
            .map(drop),
        Action::Unqueue => s.unqueue(&fx.queued[&role], "test").map(drop),
        // The vault is not enrolled: an allowed role passes the role check and is then told
        // to enrol; the others are refused as forbidden.
        Action::PsoSubmit => match s.submit(&mut |_, _| {}) {
            Err(e) if e.code() == "not_enrolled" => Ok(()),
            other => other.map(drop),
        },
        Action::ContactManage => {
            let keys = harbor_protocol::PsoKeys::generate().expect("keys");
            let identity = harbor_protocol::DeviceIdentity::of(&keys).encode();
            s.contact_add(&format!("laptop-of-{role}"), &identity)
                .and_then(|c| s.contact_remove(&c.name))
                .map(drop)
        }
        // A file that is no packet: an allowed role passes the role check and the packet
        // is refused as damaged; the others are refused as forbidden.
        Action::PacketExchange => {
            let not_a_packet = fx.out.join(format!("not-a-packet-{role}"));
            std::fs::write(&not_a_packet, "hello").expect("write");
            match s.packet_import(&not_a_packet) {
                Err(e) if e.code() == "packet_damaged" => Ok(()),
                other => other.map(drop),
            }
        }
        Action::PolicyRead => s.policy(None).map(drop),
        Action::DisclosureRecord => s
            .record_disclosure(&harbor::DisclosureInput {
                records: vec![fx.review.clone()],
                to: format!("counsel for {role}"),
                exception: harbor::Permission::BusinessOperations,
                date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
                note: None,
            })
            .map(drop),
        Action::DisclosureRead => s.disclosures(&Default::default()).map(drop),
        Action::PrivilegeLog => s
            .privilege_log(&harbor::PrivilegeQuery {
                all: true,
                ..Default::default()
            })
            .map(drop),
        Action::PolicyAdopt => s
            .adopt_policy(&format!("The PSES policy as {role} wrote it.\n"))
            .map(drop),
    }
}

#[test]
fn every_role_may_take_exactly_the_actions_the_matrix_permits() {
    let (tv, fx) = matrix_vault();
    let mut failures = Vec::new();
    for role in Role::ALL {
        let mut s = unlock(&tv.dir, user_of(role), PASS);
        assert_eq!(s.role(), role);
        for action in Action::ALL {
            let records_before = ok(s.record_count());
            let result = perform(&mut s, action, role, &fx);
            let expected = role.permits(action);
            match (&result, expected) {
                (Ok(()), true) => {}
                (Err(e), false) if e.refused_action().is_some() => {
                    let (r, a) = e.refused_action().unwrap();
                    assert_eq!(result.as_ref().unwrap_err().code(), "forbidden");
                    assert_eq!((r, a), (role, action), "the refusal names the wrong thing");
                    assert_eq!(
                        ok(s.record_count()),
                        records_before,
                        "{role} was refused {action} yet a record was created"
                    );
                }
                (Err(e), true) => failures.push(format!(
                    "{role} may {action} but the call failed: {} ({e})",
                    e.code()
                )),
                (_, false) => failures.push(format!(
                    "{role} may not {action} but the call was not refused as forbidden: {:?}",
                    result.as_ref().map_err(|e| e.code())
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The refused calls left no trace; the allowed ones took effect.
    let mut admin = unlock(&tv.dir, ADMIN, "amber-kettle-frost-77");
    let users = ok(admin.users());
    let user = |name: &str| users.iter().find(|u| u.name == name);
    for role in Role::ALL {
        assert_eq!(
            user(&added_user(role)).is_some(),
            role.permits(Action::UserAdd),
            "{role}: user added?"
        );
        assert_eq!(
            user(&fx.throwaway[&role]).unwrap().disabled_at.is_some(),
            role.permits(Action::UserDisable),
            "{role}: user disabled?"
        );
        assert_eq!(
            export_path(&fx, role).exists(),
            role.permits(Action::AttachmentExport),
            "{role}: attachment exported?"
        );
        assert_eq!(
            backup_path(&fx, role).exists(),
            role.permits(Action::Backup),
            "{role}: backup written?"
        );
        let state = ok(admin.list(&ListQuery::default()))
            .items
            .into_iter()
            .find(|m| m.id == fx.drop_target[&role])
            .unwrap()
            .pses_state;
        let expected = if role.permits(Action::DropOut) {
            "dropped_out"
        } else {
            "in_pses"
        };
        assert_eq!(state, expected, "{role}: dropped out?");
        // Whoever was allowed changed their passphrase; the others kept theirs.
        if role != Role::Admin {
            let new_works =
                harbor::unlock(&tv.dir, user_of(role), &pass("amber-kettle-frost-77")).is_ok();
            assert_eq!(new_works, role.permits(Action::PassphraseChange));
        }
    }
}

#[test]
fn nobody_creates_an_epcr_by_hand() {
    let (tv, mut admin, _code) = new_vault();
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        ok(admin.add_user(user_of(role), role, &pass(PASS)));
    }
    drop(admin);
    for role in Role::ALL {
        let mut s = unlock(&tv.dir, user_of(role), PASS);
        let before = ok(s.record_count());
        assert_eq!(
            err_code(s.create_record(RecordKind::Epcr, &template(RecordKind::Epcr))),
            "original_record",
            "{role}"
        );
        assert_eq!(ok(s.record_count()), before, "{role}");
    }
}
