//! An agency that names its parts with paths: through the real `harbor-pso` over TLS.

mod common;

use common::{Server, files_under, harbor_pso, ok};
use harbor_protocol::Manifest;
use serde_json::json;
use std::path::PathBuf;

/// An agency signs manifests whose blob ids are a relative path out of the analyst's
/// attachments folder and an absolute path: intake refuses both (422 `invalid_id`), and
/// when the analyst lists what arrived with `--attachments-out`, nothing is written
/// outside that folder, while a normal attachment still is written inside it.
#[test]
fn an_agency_cannot_make_the_analyst_write_outside_the_attachments_folder() {
    let pso = Server::start();
    let agency = pso.agency("County EMS");
    let scratch = pso.dir.path().to_owned();
    let elsewhere = scratch.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = scratch.join("analyst/out");
    let payload = b"#!/bin/sh\necho the agency ran this\n";

    let mut refusals = Vec::new();
    for blob_id in [
        "../../escaped".to_owned(),
        elsewhere.join("absolute").to_string_lossy().into_owned(),
    ] {
        let p = agency.with_attachment(&blob_id, payload);
        let (status, answer) = agency.put_manifest(&p.manifest);
        if status == 201 {
            // Accepted: the rest of the attack, as the agency would carry it through.
            let (status, answer) = agency.upload_and_commit(&p);
            assert_eq!(status, 200, "{answer}");
        }
        refusals.push((blob_id, status, answer["error"]["code"].clone()));
    }
    // A normal submission with an attachment, so that the listing has one to write.
    let normal = agency.with_attachment(&uuid::Uuid::now_v7().to_string(), b"a normal file");
    let (status, answer) = agency.submit(&normal);
    assert_eq!(status, 200, "{answer}");

    // The PSO's analyst looks at what arrived.
    let listed = harbor_pso(&["submissions", "list"], &pso.data)
        .arg("--attachments-out")
        .arg(&out)
        .output()
        .unwrap();
    let listing = ok(listed);

    let outside: Vec<PathBuf> = files_under(&scratch)
        .into_iter()
        .filter(|f| !f.starts_with(&out) && !f.starts_with(&pso.data))
        .collect();
    assert!(
        outside.is_empty(),
        "the agency made the analyst write files outside the attachments folder: {outside:?}"
    );
    for (blob_id, status, code) in refusals {
        assert_eq!(
            (status, code),
            (422, json!("invalid_id")),
            "a manifest with the blob id {blob_id:?} is refused at intake"
        );
    }
    let written = files_under(&out);
    assert_eq!(written.len(), 1, "{listing}");
    assert_eq!(
        written[0].file_name().unwrap().to_str().unwrap(),
        normal.manifest.items[0].attachments[0].blob_id
    );
    assert_eq!(std::fs::read(&written[0]).unwrap(), b"a normal file");
}

/// Every id of a manifest is a UUID, or the signed manifest is refused with `invalid_id`
/// and nothing is stored: the submission's own, an item's, a record's, an amended item's,
/// an attachment's.
/// One way of spoiling a manifest's id, named by the field it spoils.
type Spoiler = (&'static str, fn(&mut Manifest));

#[test]
fn a_signed_manifest_with_an_id_that_is_not_a_uuid_is_refused_at_intake() {
    let pso = Server::start();
    let agency = pso.agency("County EMS");
    let spoilers: [Spoiler; 5] = [
        ("submission_id", |m| m.submission_id = "sub-1".into()),
        ("item_id", |m| m.items[0].item_id = "../item".into()),
        ("record_id", |m| m.items[0].record_id = "/etc/passwd".into()),
        ("amends", |m| m.items[0].amends = Some("x".repeat(300))),
        ("attachment_id", |m| {
            m.items[0].attachments[0].attachment_id = "a\nb".into()
        }),
    ];
    for (what, spoil) in spoilers {
        let mut p = agency.with_attachment(&uuid::Uuid::now_v7().to_string(), b"x");
        spoil(&mut p.manifest);
        let (status, answer) = agency.put_manifest(&p.manifest);
        assert_eq!(status, 422, "{what}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid_id", "{what}: {answer}");
        assert!(
            answer["error"]["message"].as_str().unwrap().contains(what),
            "{answer}"
        );
    }
    assert!(
        !ok(harbor_pso(&["submissions", "list"], &pso.data)
            .output()
            .unwrap())
        .contains("call_review"),
        "nothing was stored"
    );
}
