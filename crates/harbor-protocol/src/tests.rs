//! Round trips and every way a message or an item can be refused.

use crate::*;

fn manifest() -> Manifest {
    Manifest {
        protocol: PROTOCOL.into(),
        submission_id: "01900000-0000-7000-8000-000000000001".into(),
        agency_id: "agency-3301".into(),
        created_at: "2026-11-22T10:00:00Z".into(),
        schema_versions: [("call_review".to_owned(), "1".to_owned())].into(),
        items: vec![ManifestItem {
            item_id: "01900000-0000-7000-8000-0000000000a1".into(),
            record_id: "01900000-0000-7000-8000-0000000000b1".into(),
            kind: "call_review".into(),
            revision: 3,
            profile: "nonidentifiable".into(),
            sha256: "ab".repeat(32),
            size: 1234,
            amends: None,
            attachments: vec![ManifestAttachment {
                blob_id: "01900000-0000-7000-8000-0000000000c1".into(),
                attachment_id: "01900000-0000-7000-8000-0000000000d1".into(),
                media_type: "application/pdf".into(),
                sha256: "ef".repeat(32),
                size: 2_000_000,
            }],
        }],
        audit_head: "cd".repeat(32),
        blob_cipher: BlobCipher::CURRENT,
        encapsulated_key: None,
    }
}

#[test]
fn a_manifest_of_the_first_versions_keeps_its_bytes_and_means_chacha20_poly1305() {
    let agency = AgencySigningKey::generate().unwrap();
    let mut old = manifest();
    old.blob_cipher = BlobCipher::ChaCha20Poly1305;
    let signed = old.sign(&agency);
    let wire = serde_json::to_string(&signed).unwrap();
    // Signed and sent as the first versions did: no field for the cipher.
    assert!(!wire.contains("blob_cipher"), "{wire}");
    let back: SignedManifest = serde_json::from_str(&wire).unwrap();
    assert_eq!(
        back.verify(&agency.public()).unwrap().blob_cipher,
        BlobCipher::ChaCha20Poly1305
    );
    // New manifests name their cipher, under the signature.
    let new = manifest().sign(&agency);
    let wire = serde_json::to_string(&new).unwrap();
    assert!(wire.contains(r#""blob_cipher":"aes-256-gcm""#), "{wire}");
    let mut changed: SignedManifest = serde_json::from_str(&wire).unwrap();
    changed.manifest.blob_cipher = BlobCipher::ChaCha20Poly1305;
    assert!(changed.verify(&agency.public()).is_err());
    for c in [BlobCipher::Aes256Gcm, BlobCipher::ChaCha20Poly1305] {
        assert_eq!(BlobCipher::from_name(c.as_str()), Some(c));
    }
}

#[test]
fn the_submissions_encapsulated_key_is_signed_and_absent_from_earlier_manifests() {
    let agency = AgencySigningKey::generate().unwrap();
    // Earlier manifests (a context per part) keep their bytes: no such field.
    let wire = serde_json::to_string(&manifest().sign(&agency)).unwrap();
    assert!(!wire.contains("encapsulated_key"), "{wire}");
    let mut one_context = manifest();
    one_context.encapsulated_key = Some("ab".repeat(32));
    let signed = one_context.sign(&agency);
    let wire = serde_json::to_string(&signed).unwrap();
    assert!(wire.contains(&format!(r#""encapsulated_key":"{}""#, "ab".repeat(32))));
    let mut swapped: SignedManifest = serde_json::from_str(&wire).unwrap();
    assert!(swapped.verify(&agency.public()).is_ok());
    swapped.manifest.encapsulated_key = Some("cd".repeat(32));
    assert!(
        swapped.verify(&agency.public()).is_err(),
        "under the signature"
    );
}

#[test]
fn a_signed_manifest_verifies_and_any_change_breaks_it() {
    let agency = AgencySigningKey::generate().unwrap();
    let signed = manifest().sign(&agency);
    assert_eq!(signed.verify(&agency.public()).unwrap(), &manifest());
    // Through JSON and back (the wire), still valid.
    let wire: SignedManifest =
        serde_json::from_str(&serde_json::to_string(&signed).unwrap()).unwrap();
    assert!(wire.verify(&agency.public()).is_ok());

    let mut tampered = signed.clone();
    tampered.manifest.items[0].revision = 4;
    assert_eq!(
        tampered.verify(&agency.public()),
        Err(ProtocolError::BadSignature { what: "manifest" })
    );
    let mut tampered = signed.clone();
    tampered.manifest.audit_head = "00".repeat(32);
    assert!(tampered.verify(&agency.public()).is_err());
    let mut tampered = signed.clone();
    tampered.manifest.items[0].attachments[0].size += 1;
    assert!(tampered.verify(&agency.public()).is_err());
    let other = AgencySigningKey::generate().unwrap();
    assert!(
        signed.verify(&other.public()).is_err(),
        "another agency's key"
    );
    let mut bad_sig = signed.clone();
    bad_sig.signature = "zz".into();
    assert!(bad_sig.verify(&agency.public()).is_err());
    let mut old = signed;
    old.manifest.protocol = "harbor-pso/0".into();
    assert!(matches!(
        old.verify(&agency.public()),
        Err(ProtocolError::UnknownProtocol(_))
    ));
}

#[test]
fn a_signed_receipt_verifies_only_with_the_pinned_pso_key() {
    let pso = PsoKeys::generate().unwrap();
    let receipt = Receipt {
        protocol: PROTOCOL.into(),
        submission_id: "01900000-0000-7000-8000-000000000001".into(),
        received_at: "2026-11-22T10:00:01Z".into(),
        items: vec![ReceiptItem {
            item_id: "01900000-0000-7000-8000-0000000000a1".into(),
            sha256: "ab".repeat(32),
        }],
        audit_head: "cd".repeat(32),
    };
    let signed = receipt.clone().sign(&pso.signing);
    assert_eq!(signed.verify(&pso.signing.public()).unwrap(), &receipt);
    let mut tampered = signed.clone();
    tampered.receipt.items[0].sha256 = "ef".repeat(32);
    assert_eq!(
        tampered.verify(&pso.signing.public()),
        Err(ProtocolError::BadSignature { what: "receipt" })
    );
    let impostor = PsoKeys::generate().unwrap();
    assert!(signed.verify(&impostor.signing.public()).is_err());
    // A receipt, even one the pinned key signed, whose ids are not ids.
    let mut odd = receipt;
    odd.items[0].item_id = "../x".into();
    assert_eq!(
        odd.sign(&pso.signing).verify(&pso.signing.public()),
        Err(ProtocolError::BadId { what: "item_id" })
    );
}

/// One way of spoiling a manifest's id, named by the field it spoils.
type Spoiler = (&'static str, fn(&mut Manifest));

/// A manifest the agency signed is still refused when one of its ids is not a UUID: the
/// PSO names files and rows after them.
#[test]
fn a_signed_manifest_whose_ids_are_paths_is_refused() {
    let agency = AgencySigningKey::generate().unwrap();
    let cases: [Spoiler; 6] = [
        ("submission_id", |m| m.submission_id = "../../x".into()),
        ("item_id", |m| m.items[0].item_id = "/etc/cron.d/x".into()),
        ("record_id", |m| m.items[0].record_id = "r-1".into()),
        ("amends", |m| m.items[0].amends = Some("..".into())),
        ("blob_id", |m| {
            m.items[0].attachments[0].blob_id = "../../escaped".into()
        }),
        ("attachment_id", |m| {
            m.items[0].attachments[0].attachment_id = "a\\b".into()
        }),
    ];
    for (what, spoil) in cases {
        let mut m = manifest();
        spoil(&mut m);
        assert_eq!(
            m.sign(&agency).verify(&agency.public()),
            Err(ProtocolError::BadId { what }),
            "{what}"
        );
    }
    assert!(manifest().sign(&agency).verify(&agency.public()).is_ok());
}

#[test]
fn a_sealed_item_opens_only_with_the_pso_key_and_its_own_ids() {
    let pso = PsoKeys::generate().unwrap();
    let plaintext = br#"{"body":{"status":"closed"},"kind":"call_review"}"#;
    let sealed = seal(&pso.receive_public_hex(), "sub-1", "item-1", plaintext).unwrap();
    assert!(
        !sealed.ciphertext.windows(8).any(|w| w == b"\"status\""),
        "ciphertext is not plaintext"
    );
    assert_eq!(open(&pso, "sub-1", "item-1", &sealed).unwrap(), plaintext);
    assert_eq!(
        open(&pso, "sub-2", "item-1", &sealed),
        Err(ProtocolError::SealBroken),
        "moved to another submission"
    );
    assert_eq!(
        open(&pso, "sub-1", "item-2", &sealed),
        Err(ProtocolError::SealBroken),
        "swapped with another item"
    );
    let other = PsoKeys::generate().unwrap();
    assert_eq!(
        open(&other, "sub-1", "item-1", &sealed),
        Err(ProtocolError::SealBroken),
        "wrong PSO key"
    );
    let mut flipped = sealed.clone();
    flipped.ciphertext[3] ^= 1;
    assert_eq!(
        open(&pso, "sub-1", "item-1", &flipped),
        Err(ProtocolError::SealBroken)
    );
    assert!(seal("not-hex", "s", "i", b"x").is_err());
}

#[test]
fn keys_round_trip_and_secrets_are_redacted() {
    let agency = AgencySigningKey::generate().unwrap();
    let again = AgencySigningKey::from_secret(&agency.secret());
    assert_eq!(again.public(), agency.public());
    assert_eq!(
        SigningPublicKey::from_hex(&agency.public().to_hex()).unwrap(),
        agency.public()
    );
    assert!(SigningPublicKey::from_hex("00").is_err());
    let shown = format!("{agency:?}");
    assert!(shown.contains("<redacted>") && !shown.contains(&hex::encode(*agency.secret())));
    let pso = PsoKeys::generate().unwrap();
    assert!(format!("{pso:?}").contains("<redacted>"));
    assert_eq!(agency.public().id().len(), 16);
}

/// The checked-in schemas of the manifest and the receipt match the types.
#[test]
fn protocol_schemas_are_fresh() {
    let dir = std::path::Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
    .join("../../schemas");
    let mut stale = Vec::new();
    for (name, text) in schema_files() {
        let path = dir.join(&name);
        if std::fs::read_to_string(&path).unwrap_or_default() != text {
            if std::env::var_os("UPDATE_GENERATED").is_some() {
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run `UPDATE_GENERATED=1 cargo test -p harbor-protocol`"
    );
}

/// The OpenAPI description's bodies are the wire types': its `components/schemas` is
/// generated from `http`'s types, and every JSON body of every route refers to one of
/// those or to a generated schema file, so no inline schema can drift from the code.
#[test]
fn the_openapi_bodies_are_the_wire_types() {
    use serde_json::Value;
    let path = std::path::Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
    .join("../../schemas/pso-intake.openapi.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let generated = Value::Object(crate::http::openapi_components());
    if doc["components"]["schemas"] != generated {
        assert!(
            std::env::var_os("UPDATE_GENERATED").is_some(),
            "the components of schemas/pso-intake.openapi.json are stale: run \
             `UPDATE_GENERATED=1 cargo test -p harbor-protocol`"
        );
        doc["components"]["schemas"] = generated;
        std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
    let components = doc["components"]["schemas"].as_object().unwrap();
    let files: Vec<String> = schema_files().into_iter().map(|(name, _)| name).collect();
    let mut bodies = 0;
    let mut check = |at: String, body: &Value| {
        let Some(schema) = body.pointer("/content/application~1json/schema") else {
            return;
        };
        bodies += 1;
        let target = schema["$ref"].as_str();
        let known = match target.and_then(|r| r.strip_prefix("#/components/schemas/")) {
            Some(name) => components.contains_key(name),
            None => target.is_some_and(|r| files.iter().any(|f| f == r)),
        };
        assert!(
            known && schema.as_object().unwrap().len() == 1,
            "{at}: the body must be only a $ref to a generated schema, not {schema}"
        );
    };
    check(
        "components/responses/Error".into(),
        &doc["components"]["responses"]["Error"],
    );
    for (route, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if let Some(request) = op.get("requestBody") {
                check(format!("{method} {route} request"), request);
            }
            for (status, answer) in op["responses"].as_object().unwrap() {
                check(format!("{method} {route} {status}"), answer);
            }
        }
    }
    assert!(bodies >= 16, "every JSON body was looked at ({bodies})");
}
