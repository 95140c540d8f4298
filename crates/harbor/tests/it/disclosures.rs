//! The disclosure log: disclosures recorded by a person and those Harbor logs as it makes
//! them (attachments written out, backups), filters, and what a recorded disclosure must be.

use crate::support::*;
use harbor::{Channel, DisclosureFilters, DisclosureInput, Permission, RecordKind};

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

fn counsel(records: Vec<String>) -> DisclosureInput {
    DisclosureInput {
        records,
        to: "Hale & Ortiz LLP, the agency's counsel".into(),
        exception: Permission::BusinessOperations,
        date: today(),
        note: Some("for the agency's defence".into()),
    }
}

#[test]
fn a_recorded_disclosure_is_logged_in_the_list_the_ledger_and_the_audit() {
    let (_tv, mut s, _code) = new_vault();
    let a = ok(s.create_record(RecordKind::CallReview, &call_review("24-0001"))).id;
    let b = ok(s.create_record(RecordKind::CallReview, &call_review("24-0002"))).id;
    // Repeated and padded ids count once.
    let d = ok(s.record_disclosure(&counsel(vec![b.clone(), format!(" {a} "), a.clone()])));
    assert_eq!(d.channel, Channel::OutsideHarbor);
    assert_eq!(d.permission, Permission::BusinessOperations);
    assert_eq!(d.recorded_by, ADMIN);
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(d.records, both);

    let all = ok(s.disclosures(&DisclosureFilters::default()));
    assert_eq!(all, vec![d.clone()]);
    let history = ok(s.history(&a));
    let event = history
        .pses_events
        .iter()
        .find(|e| e.event == "disclosed")
        .expect("a ledger entry");
    assert_eq!(event.detail["permission"], "business_operations");
    assert_eq!(event.detail["disclosure"], d.seq);
    assert!(all_audit(&mut s).iter().any(
        |e| e.action == "disclosure.record" && e.target.as_deref() == Some(&d.seq.to_string())
    ));
    assert!(ok(s.audit_verify()).first_bad.is_none());
}

#[test]
fn harbor_logs_its_own_disclosures_and_the_filters_find_them() {
    let (tv, mut s, _code) = new_vault();
    let a = ok(s.create_record(RecordKind::CallReview, &call_review("24-0001"))).id;
    let b = ok(s.create_record(RecordKind::CallReview, &call_review("24-0002"))).id;
    let file = tv.path("scene.jpg");
    std::fs::write(&file, b"\xff\xd8\xff\xe0 not really a photo").unwrap();
    let att = ok(s.attach(&a, &file));
    ok(s.export_attachment(&att.id, &tv.path("out.jpg")));
    ok(s.backup(&tv.path("vault.backup")));
    ok(s.record_disclosure(&counsel(vec![b.clone()])));

    // In the order they were made: the recorded one is dated today at midnight.
    let all = ok(s.disclosures(&DisclosureFilters::default()));
    let channels: Vec<Channel> = all.iter().map(|d| d.channel).collect();
    assert_eq!(
        channels,
        [
            Channel::OutsideHarbor,
            Channel::AttachmentExport,
            Channel::Backup
        ]
    );
    assert_eq!(all[1].records, vec![a.clone()]);
    assert_eq!(all[1].reference.as_deref(), Some(att.id.as_str()));
    assert_eq!(all[1].permission, Permission::WithinPses);
    assert!(all[2].all_records && all[2].records.is_empty());
    // The privilege log lists the backup once, not under each record.
    let log = ok(s.privilege_log(&harbor::PrivilegeQuery {
        all: true,
        ..Default::default()
    }));
    assert_eq!(log.backups.len(), 1);
    for r in &log.records {
        assert!(
            r.facts
                .iter()
                .all(|f| f.channel.as_deref() != Some("backup")),
            "{r:?}"
        );
    }

    // By record: a's export and the backup; b's recorded one and the backup.
    let of = |s: &mut harbor::Session, id: &str| {
        ok(s.disclosures(&DisclosureFilters {
            record: Some(id.to_owned()),
            ..Default::default()
        }))
        .into_iter()
        .map(|d| d.channel)
        .collect::<Vec<_>>()
    };
    assert_eq!(of(&mut s, &a), [Channel::AttachmentExport, Channel::Backup]);
    assert_eq!(of(&mut s, &b), [Channel::OutsideHarbor, Channel::Backup]);
    // A date counts whole at both ends.
    let period = |since: &str, until: &str| DisclosureFilters {
        since: Some(since.into()),
        until: Some(until.into()),
        ..Default::default()
    };
    assert_eq!(ok(s.disclosures(&period(&today(), &today()))).len(), 3);
    assert!(ok(s.disclosures(&period("2020-01-01", "2020-12-31"))).is_empty());
    assert_eq!(
        err_code(s.disclosures(&DisclosureFilters {
            since: Some("last tuesday".into()),
            ..Default::default()
        })),
        "invalid_input"
    );
    assert_eq!(
        err_code(s.disclosures(&DisclosureFilters {
            record: Some("0191d1de-0000-7000-8000-000000000000".into()),
            ..Default::default()
        })),
        "not_found"
    );
}

#[test]
fn a_disclosure_that_cannot_be_true_is_refused_with_words_and_logs_nothing() {
    let (_tv, mut s, _code) = new_vault();
    let a = ok(s.create_record(RecordKind::CallReview, &call_review("24-0001"))).id;
    let gone = ok(s.create_record(RecordKind::CallReview, &call_review("24-0002"))).id;
    ok(s.drop_out(&gone, "entered by mistake"));
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let cases: Vec<(DisclosureInput, &str)> = vec![
        (counsel(vec![]), "at least one record"),
        (counsel(vec!["  ".into()]), "at least one record"),
        (
            DisclosureInput {
                to: "   ".into(),
                ..counsel(vec![a.clone()])
            },
            "to whom",
        ),
        (
            DisclosureInput {
                to: "Counsel\nInjected: line".into(),
                ..counsel(vec![a.clone()])
            },
            "control character",
        ),
        (
            DisclosureInput {
                to: "x".repeat(201),
                ..counsel(vec![a.clone()])
            },
            "over 200 characters",
        ),
        (
            DisclosureInput {
                date: tomorrow,
                ..counsel(vec![a.clone()])
            },
            "in the future",
        ),
        (
            DisclosureInput {
                date: "2020-01-01".into(),
                ..counsel(vec![a.clone()])
            },
            "entered the PSES at",
        ),
        (
            DisclosureInput {
                date: "yesterday".into(),
                ..counsel(vec![a.clone()])
            },
            "YYYY-MM-DD",
        ),
        (
            DisclosureInput {
                date: "2020-01-01T12:00:00Z".into(),
                ..counsel(vec![a.clone()])
            },
            "entered the PSES at",
        ),
        (
            DisclosureInput {
                exception: Permission::WithinPses,
                ..counsel(vec![a.clone()])
            },
            "not a disclosure to someone",
        ),
        (counsel(vec![gone.clone()]), "dropped out"),
        (
            counsel(vec![
                a.clone(),
                "0191d1de-0000-7000-8000-000000000000".into(),
            ]),
            "no record",
        ),
    ];
    for (input, says) in cases {
        let e = s.record_disclosure(&input).unwrap_err();
        assert!(e.to_string().contains(says), "{says}: {e}");
    }
    let e = harbor::parse_permission("because").unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("business_operations"), "{e}");
    assert!(ok(s.disclosures(&DisclosureFilters::default())).is_empty());
}

#[test]
fn the_log_is_append_only_even_to_someone_holding_the_key() {
    let (_tv, mut s, _code) = new_vault();
    let a = ok(s.create_record(RecordKind::CallReview, &call_review("24-0001"))).id;
    ok(s.record_disclosure(&counsel(vec![a])));
    for sql in [
        "UPDATE disclosures SET recipient = 'nobody'",
        "DELETE FROM disclosures",
        "DELETE FROM disclosure_records",
        "UPDATE disclosure_records SET record_id = 'x'",
        // REPLACE deletes without a delete trigger; inserts may only add the next one.
        "INSERT OR REPLACE INTO disclosures (seq, disclosed_at, recorded_at, recorded_by, channel, recipient, permission, all_records) VALUES (1, 't', 't', 'x', 'backup', 'nobody', 'within_pses', 0)",
        "INSERT INTO disclosures (disclosed_at, recorded_at, recorded_by, channel, recipient, permission, all_records) VALUES ('t', 't', 'x', 'backup', 'nobody', 'within_pses', 0)",
        "INSERT OR REPLACE INTO disclosure_records (disclosure_seq, record_id) SELECT disclosure_seq, record_id FROM disclosure_records",
    ] {
        let e = s
            .vault_for_tamper_tests()
            .raw_sql_for_tamper_tests(sql)
            .unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(ok(s.disclosures(&DisclosureFilters::default())).len(), 1);
}

#[test]
fn a_disclosure_dated_the_day_a_record_entered_counts_from_its_entry() {
    let (_tv, mut s, _code) = new_vault();
    let a = ok(s.create_record(RecordKind::CallReview, &call_review("24-0001")));
    let d = ok(s.record_disclosure(&counsel(vec![a.id.clone()])));
    assert!(
        d.disclosed_at >= a.created_at,
        "{} < {}",
        d.disclosed_at,
        a.created_at
    );
}
