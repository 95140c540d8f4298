//! The intake API's checks of what an enrolled agency sends, driven through the router
//! in process (the end-to-end tests in `tests/e2e/pso.rs` drive it over TLS).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use harbor_core::canonical::{sha256_hex, to_canonical_bytes};
use harbor_protocol::{AgencySigningKey, Manifest, ManifestItem, PROTOCOL};
use harbor_pso::api::{Shared, router};
use harbor_pso::store::Store;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Pso {
    app: axum::Router,
    token: String,
    agency_id: String,
    receive_key: String,
    agency_key: AgencySigningKey,
    _dir: tempfile::TempDir,
}

fn pso() -> Pso {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::init(dir.path()).unwrap();
    let (agency, token) = store.add_agency("County EMS").unwrap();
    let agency_key = AgencySigningKey::generate().unwrap();
    assert!(store.enroll(&agency.id, &agency_key.public()).unwrap());
    let receive_key = store.keys.receive_public_hex();
    Pso {
        app: router(Shared::new(store)),
        token,
        agency_id: agency.id,
        receive_key,
        agency_key,
        _dir: dir,
    }
}

impl Pso {
    async fn call(&self, method: &str, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Sends one snapshot as a whole submission and commits it.
    async fn submit(&self, kind: &str, profile: &str, body: Value) -> (StatusCode, Value) {
        let submission_id = uuid::Uuid::now_v7().to_string();
        let item_id = uuid::Uuid::now_v7().to_string();
        let record_id = uuid::Uuid::now_v7().to_string();
        let snapshot = json!({
            "record_id": record_id, "kind": kind, "revision": 1, "revision_hash": "00".repeat(32),
            "profile": profile, "deliberation": false, "body": body,
        });
        let plain = to_canonical_bytes(&snapshot);
        let manifest = Manifest {
            protocol: PROTOCOL.into(),
            submission_id: submission_id.clone(),
            agency_id: self.agency_id.clone(),
            created_at: "2026-11-22T10:00:00Z".into(),
            schema_versions: Default::default(),
            items: vec![ManifestItem {
                item_id: item_id.clone(),
                record_id,
                kind: kind.into(),
                revision: 1,
                profile: profile.into(),
                sha256: sha256_hex(&plain),
                size: plain.len() as u64,
                amends: None,
                attachments: vec![],
            }],
            audit_head: "11".repeat(32),
            blob_cipher: Default::default(),
        };
        let signed = manifest.sign(&self.agency_key);
        let (status, _) = self
            .call(
                "PUT",
                &format!("/v1/submissions/{submission_id}"),
                serde_json::to_vec(&signed).unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let sealed =
            harbor_protocol::seal(&self.receive_key, &submission_id, &item_id, &plain).unwrap();
        let mut bytes = hex::decode(&sealed.enc).unwrap();
        bytes.extend_from_slice(&sealed.ciphertext);
        let (status, _) = self
            .call(
                "PATCH",
                &format!("/v1/submissions/{submission_id}/items/{item_id}?offset=0"),
                bytes,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        self.call(
            "POST",
            &format!("/v1/submissions/{submission_id}/commit"),
            vec![],
        )
        .await
    }
}

#[tokio::test]
async fn a_nonidentifiable_item_that_carries_an_identifier_or_a_full_date_is_refused() {
    let pso = pso();
    let good =
        json!({"call": {"call_date": "2026"}, "status": "closed", "event_type": "near_miss"});
    let (status, receipt) = pso.submit("call_review", "nonidentifiable", good).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["receipt"]["items"].as_array().unwrap().len(), 1);

    for (bad, field) in [
        (
            json!({"call": {"call_date": "2026", "pcr_number": "PCR-SECRET-77"}, "status": "closed"}),
            "/call/pcr_number",
        ),
        (
            json!({"call": {"call_date": "2026-11-02"}, "status": "closed"}),
            "/call/call_date",
        ),
        (
            json!({"call": {"call_date": "2026"}, "status": "closed", "patient_name": "PCR-SECRET-77"}),
            "/patient_name",
        ),
    ] {
        let (status, answer) = pso.submit("call_review", "nonidentifiable", bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["code"], "schema_invalid");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(field), "{message}");
        assert!(
            !message.contains("PCR-SECRET") && !message.contains("11-02"),
            "the refusal never repeats the value: {message}"
        );
    }
}

#[tokio::test]
async fn an_identifiable_item_must_follow_its_record_schema() {
    let pso = pso();
    let good =
        json!({"call": {"pcr_number": "2026-1", "call_date": "2026-11-02"}, "status": "closed"});
    let (status, answer) = pso.submit("call_review", "identifiable", good).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let bad =
        json!({"call": {"pcr_number": "2026-1", "call_date": "yesterday"}, "status": "closed"});
    let (status, answer) = pso.submit("call_review", "identifiable", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/call/call_date"),
        "{answer}"
    );
}

/// Every path and method the OpenAPI description in `schemas/` documents is served, and
/// every route the server serves is documented.
#[tokio::test]
async fn the_openapi_description_matches_the_routes() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../schemas/pso-intake.openapi.json"),
    )
    .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let pso = pso();
    let mut documented = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
            let concrete = path
                .replace("{id}", "01900000-0000-7000-8000-000000000001")
                .replace("{item}", "01900000-0000-7000-8000-000000000002");
            let uri = if method == "patch" {
                format!("{concrete}?offset=0")
            } else {
                concrete
            };
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header("authorization", format!("Bearer {}", pso.token))
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let resp = pso.app.clone().oneshot(req).await.unwrap();
            let status = resp.status();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap();
            // The router's own "no route" answers are a 405, or a 404 without our JSON error.
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is not served"
            );
            assert!(
                status != StatusCode::NOT_FOUND || !body.is_empty(),
                "{method} {path} is not served"
            );
        }
    }
    documented.sort();
    let mut served: Vec<String> = harbor_pso::api::ROUTES
        .iter()
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    served.sort();
    assert_eq!(
        documented, served,
        "schemas/pso-intake.openapi.json and the router differ"
    );
}
