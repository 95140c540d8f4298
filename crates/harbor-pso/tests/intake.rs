//! The intake API's checks of what an enrolled agency sends, driven through the router
//! in process (the end-to-end tests in `tests/e2e/pso.rs` drive it over TLS).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use harbor_core::canonical::{sha256_hex, to_canonical_bytes};
use harbor_protocol::{AgencySigningKey, Manifest, ManifestItem, PROTOCOL, SubmissionKeys};
use harbor_pso::api::{Shared, router};
use harbor_pso::store::Store;
use serde_json::{Value, json};
use tower::ServiceExt;

/// How a test submission's parts are sealed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sealing {
    /// Under one context whose encapsulated key the manifest carries (what Harbor sends).
    OneContext,
    /// Each part under a context of its own, as the first versions sealed them.
    PerPart,
    /// A manifest whose encapsulated key is no key.
    NotAKey,
}

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

/// Asserts an error answer with this status and code whose message mentions `mentions`.
fn assert_refused(
    (status, answer): &(StatusCode, Value),
    expected: StatusCode,
    code: &str,
    mentions: &str,
) {
    assert_eq!(*status, expected, "{answer}");
    assert_eq!(answer["error"]["code"], code, "{answer}");
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(mentions), "{answer}");
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

    /// Creates a submission of these snapshots (kind, profile, body), sealed under one
    /// context as Harbor seals them; returns its id and, for each item, its id and sealed
    /// bytes.
    async fn create(&self, snapshots: &[(&str, &str, Value)]) -> (String, Vec<(String, Vec<u8>)>) {
        let (id, items, (status, answer)) =
            self.create_sealed(snapshots, Sealing::OneContext).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        (id, items)
    }

    /// Creates a submission sealed as `sealing` says; returns its id, its items and the
    /// answer.
    async fn create_sealed(
        &self,
        snapshots: &[(&str, &str, Value)],
        sealing: Sealing,
    ) -> (String, Vec<(String, Vec<u8>)>, (StatusCode, Value)) {
        let submission_id = uuid::Uuid::now_v7().to_string();
        let cipher = harbor_protocol::BlobCipher::CURRENT;
        let keys = SubmissionKeys::for_sender(&self.receive_key, &submission_id, cipher).unwrap();
        let mut items = Vec::new();
        let mut sealed_items = Vec::new();
        for (kind, profile, body) in snapshots {
            let item_id = uuid::Uuid::now_v7().to_string();
            let record_id = uuid::Uuid::now_v7().to_string();
            let snapshot = json!({
                "record_id": record_id, "kind": kind, "revision": 1, "revision_hash": "00".repeat(32),
                "profile": profile, "deliberation": false, "body": body,
            });
            let plain = to_canonical_bytes(&snapshot);
            items.push(ManifestItem {
                item_id: item_id.clone(),
                record_id,
                kind: (*kind).into(),
                revision: 1,
                profile: (*profile).into(),
                sha256: sha256_hex(&plain),
                size: plain.len() as u64,
                amends: None,
                attachments: vec![],
            });
            let bytes = if sealing == Sealing::PerPart {
                let sealed =
                    harbor_protocol::seal(&self.receive_key, &submission_id, &item_id, &plain)
                        .unwrap();
                let mut bytes = hex::decode(&sealed.enc).unwrap();
                bytes.extend_from_slice(&sealed.ciphertext);
                bytes
            } else {
                keys.seal_item(&item_id, &plain).unwrap()
            };
            sealed_items.push((item_id, bytes));
        }
        let manifest = Manifest {
            protocol: PROTOCOL.into(),
            submission_id: submission_id.clone(),
            agency_id: self.agency_id.clone(),
            created_at: "2026-11-22T10:00:00Z".into(),
            schema_versions: Default::default(),
            items,
            audit_head: "11".repeat(32),
            blob_cipher: cipher,
            encapsulated_key: match sealing {
                Sealing::PerPart => None,
                Sealing::OneContext => Some(keys.encapsulated_key()),
                Sealing::NotAKey => Some("00".repeat(31)),
            },
        };
        let signed = manifest.sign(&self.agency_key);
        let answer = self
            .call(
                "PUT",
                &format!("/v1/submissions/{submission_id}"),
                serde_json::to_vec(&signed).unwrap(),
            )
            .await;
        (submission_id, sealed_items, answer)
    }

    async fn upload(&self, submission_id: &str, item_id: &str, bytes: Vec<u8>) -> StatusCode {
        let path = format!("/v1/submissions/{submission_id}/items/{item_id}?offset=0");
        self.call("PATCH", &path, bytes).await.0
    }

    async fn commit(&self, submission_id: &str) -> (StatusCode, Value) {
        let path = format!("/v1/submissions/{submission_id}/commit");
        self.call("POST", &path, vec![]).await
    }

    /// Sends one snapshot as a whole submission and commits it.
    async fn submit(&self, kind: &str, profile: &str, body: Value) -> (StatusCode, Value) {
        let (submission_id, items) = self.create(&[(kind, profile, body)]).await;
        let (item_id, bytes) = items.into_iter().next().unwrap();
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

/// Several items in one request: stored in order up to the first piece at an offset the
/// server does not hold, which is named; a malformed body stores nothing; the submission
/// then completes piece by piece and commits with every item.
#[tokio::test]
async fn a_batch_of_items_is_stored_in_order_up_to_a_wrong_offset() {
    let pso = pso();
    let body =
        json!({"call": {"call_date": "2026"}, "status": "closed", "event_type": "near_miss"});
    let snapshots: Vec<(&str, &str, Value)> = (0..4)
        .map(|_| ("call_review", "nonidentifiable", body.clone()))
        .collect();
    let (id, items) = pso.create(&snapshots).await;
    let received = |item: usize| {
        let path = format!("/v1/submissions/{id}/items/{}", items[item].0);
        let pso = &pso;
        async move { pso.call("GET", &path, vec![]).await.1["received"].clone() }
    };

    // A body cut short is refused whole.
    let mut batch = Vec::new();
    harbor_protocol::push_batch_frame(&mut batch, &items[0].0, 0, &items[0].1);
    let (status, answer) = pso
        .call(
            "PATCH",
            &format!("/v1/submissions/{id}/items"),
            batch[..batch.len() - 1].to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"]["code"], "bad_batch");
    assert_eq!(received(0).await, 0);

    // Two whole items and the first half of a third, then a frame at a wrong offset.
    let half = items[2].1.len() / 2;
    harbor_protocol::push_batch_frame(&mut batch, &items[1].0, 0, &items[1].1);
    harbor_protocol::push_batch_frame(&mut batch, &items[2].0, 0, &items[2].1[..half]);
    harbor_protocol::push_batch_frame(&mut batch, &items[3].0, 5, &items[3].1[5..]);
    let answer = pso
        .call("PATCH", &format!("/v1/submissions/{id}/items"), batch)
        .await;
    assert_refused(
        &answer,
        StatusCode::CONFLICT,
        "offset_mismatch",
        &items[3].0,
    );
    assert_eq!(received(0).await, items[0].1.len());
    assert_eq!(received(1).await, items[1].1.len());
    assert_eq!(received(2).await, half);
    assert_eq!(received(3).await, 0);

    // The rest, as a batch that answers what each part now holds.
    let mut rest = Vec::new();
    harbor_protocol::push_batch_frame(&mut rest, &items[2].0, half as u64, &items[2].1[half..]);
    harbor_protocol::push_batch_frame(&mut rest, &items[3].0, 0, &items[3].1);
    let (status, answer) = pso
        .call("PATCH", &format!("/v1/submissions/{id}/items"), rest)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["received"][&items[2].0], items[2].1.len());
    assert_eq!(answer["received"][&items[3].0], items[3].1.len());

    let (status, answer) = pso
        .call("POST", &format!("/v1/submissions/{id}/commit"), vec![])
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let mut acknowledged: Vec<&str> = answer["receipt"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["item_id"].as_str().unwrap())
        .collect();
    let mut sent: Vec<&str> = items.iter().map(|(i, _)| i.as_str()).collect();
    acknowledged.sort();
    sent.sort();
    assert_eq!(acknowledged, sent);
}

/// An item checked as its batch arrived still fails the commit, with the same answer.
#[tokio::test]
async fn an_item_that_arrived_in_a_batch_is_refused_at_the_commit_if_it_is_invalid() {
    let pso = pso();
    let bad = json!({"call": {"call_date": "2026-11-02"}, "status": "closed"});
    let (id, items) = pso.create(&[("call_review", "nonidentifiable", bad)]).await;
    let mut batch = Vec::new();
    harbor_protocol::push_batch_frame(&mut batch, &items[0].0, 0, &items[0].1);
    let (status, answer) = pso
        .call("PATCH", &format!("/v1/submissions/{id}/items"), batch)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    for _ in 0..2 {
        let answer = pso
            .call("POST", &format!("/v1/submissions/{id}/commit"), vec![])
            .await;
        assert_refused(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "schema_invalid",
            "/call/call_date",
        );
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
    let answer = pso.submit("call_review", "identifiable", bad).await;
    assert_refused(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "schema_invalid",
        "/call/call_date",
    );
}

/// Every path and method the OpenAPI description in `schemas/` documents is served, and
/// every route the server serves is documented.
#[tokio::test]
async fn the_openapi_description_matches_the_routes() {
    let text = std::fs::read_to_string(
        std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
        )
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

/// Submissions whose parts each carry their own context (the first versions') are still
/// opened and committed beside those sealed under one context; a malformed encapsulated
/// key is refused at creation, and a part sealed under another context at the commit.
#[tokio::test]
async fn both_ways_of_sealing_a_submission_open_and_a_foreign_part_does_not() {
    let p = pso();
    let body =
        json!({"call": {"pcr_number": "2026-1", "call_date": "2026-11-02"}, "status": "closed"});
    let one = [("call_review", "identifiable", body)];
    for sealing in [Sealing::PerPart, Sealing::OneContext] {
        let (id, items, (status, answer)) = p.create_sealed(&one, sealing).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        let (item_id, bytes) = items.into_iter().next().unwrap();
        assert_eq!(p.upload(&id, &item_id, bytes).await, StatusCode::OK);
        let (status, receipt) = p.commit(&id).await;
        assert_eq!(status, StatusCode::OK, "{receipt}");
        assert_eq!(receipt["receipt"]["items"][0]["item_id"], item_id.as_str());
    }

    let (_, _, answer) = p.create_sealed(&one, Sealing::NotAKey).await;
    assert_refused(
        &answer,
        StatusCode::BAD_REQUEST,
        "bad_manifest",
        "encapsulated key",
    );

    // An item sealed to the PSO under a context of its own, in a submission whose manifest
    // names one context for all its parts.
    let (id, items, _) = p.create_sealed(&one, Sealing::OneContext).await;
    let (item_id, _) = &items[0];
    let plain_len = items[0].1.len() - 48;
    let foreign =
        harbor_protocol::seal(&p.receive_key, &id, item_id, &vec![b' '; plain_len]).unwrap();
    let mut bytes = hex::decode(&foreign.enc).unwrap();
    bytes.extend_from_slice(&foreign.ciphertext);
    assert_eq!(p.upload(&id, item_id, bytes).await, StatusCode::OK);
    assert_refused(
        &p.commit(&id).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "seal_broken",
        "does not open",
    );
}

/// A request body that notes whether the server ever asked for a byte of it: 8 MiB of
/// spaces, one MiB at a time.
struct WatchedBody {
    read: std::sync::Arc<std::sync::atomic::AtomicBool>,
    left: usize,
}

impl http_body::Body for WatchedBody {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        self.read.store(true, std::sync::atomic::Ordering::SeqCst);
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(vec![b' '; 1 << 20].into()))))
    }
}

/// A stranger (no token, or an unknown one) who sends 8 MiB to any route that takes a
/// body is answered 401 before the server reads a byte of it.
#[tokio::test]
async fn a_request_with_an_unknown_token_is_refused_before_its_body_is_read() {
    let pso = pso();
    let id = uuid::Uuid::now_v7().to_string();
    for (method, path) in [
        ("PUT", format!("/v1/submissions/{id}")),
        ("PATCH", format!("/v1/submissions/{id}/items")),
        ("PATCH", format!("/v1/submissions/{id}/items/{id}?offset=0")),
        ("POST", "/v1/enroll".to_owned()),
    ] {
        for token in [Some("not-a-token"), None] {
            let read = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let mut req = Request::builder()
                .method(method)
                .uri(&path)
                .header("content-type", "application/json")
                .header("content-length", (8 << 20).to_string());
            if let Some(token) = token {
                req = req.header("authorization", format!("Bearer {token}"));
            }
            let body = WatchedBody {
                read: read.clone(),
                left: 8,
            };
            let resp = pso
                .app
                .clone()
                .oneshot(req.body(Body::new(body)).unwrap())
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            assert!(
                !read.load(std::sync::atomic::Ordering::SeqCst),
                "{method} {path} read the body of a request without a valid token"
            );
        }
    }
}
