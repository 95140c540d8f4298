//! The intake API (HTTPS only). Every route but `/v1/health` and `/v1/keys` needs the
//! agency's bearer token. Errors are `{"error": {"code", "message"}}` with a status that
//! says whether retrying can help (4xx but 408/429: no).

use crate::store::Store;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use harbor_protocol::http::{
    BatchReply, EnrolReply, EnrolRequest, ErrorReply, HealthReply, KeysReply, ReceivedReply,
    SubmissionReply, WireError, WireErrorCode as W,
};
use harbor_protocol::{
    PROTOCOL, Receipt, ReceiptItem, SealedItem, SignedManifest, SigningPublicKey,
};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

/// Largest chunk accepted in one request.
pub const MAX_CHUNK: usize = 8 * 1024 * 1024;

/// Shared state: the store behind a lock (SQLite is single-writer anyway), the checks of
/// blobs still running, and the injected faults.
#[derive(Clone)]
pub struct Shared {
    store: Arc<Mutex<Store>>,
    /// The parts a piece is being written to outside the store's lock, by submission and
    /// part: a second piece for one of them meanwhile is answered with the offset held.
    writing: Arc<Mutex<std::collections::HashSet<(String, String)>>>,
    /// Blobs opened and hashed as their pieces arrive.
    arriving: Arc<crate::arriving::Arriving>,
    checks: Arc<Mutex<PendingChecks>>,
    opened: Arc<Mutex<OpenedItems>>,
    faults: Arc<Mutex<Faults>>,
    /// The PSO's keys, which never change while it runs.
    keys: Arc<harbor_protocol::PsoKeys>,
    /// The limits on what one agency may hold of the server.
    limits: Arc<crate::limits::Limits>,
    /// The submissions whose commit is running: one at a time each.
    committing: Arc<Mutex<std::collections::HashSet<String>>>,
}

/// Items opened and checked as they arrived, by submission and item, for the commit to
/// take instead of opening them again; held in memory only, up to [`OPENED_ITEMS_MAX`]
/// bytes of snapshots (past that, and after a restart, the commit opens them itself).
#[derive(Default)]
struct OpenedItems {
    by_submission: std::collections::HashMap<
        String,
        std::collections::HashMap<String, ApiResult<crate::store::StoredItem>>,
    >,
    bytes: usize,
}

/// Snapshot bytes [`OpenedItems`] holds at most.
const OPENED_ITEMS_MAX: usize = 64 * 1024 * 1024;

/// The blob checks still running, by submission: the commit waits for them.
type PendingChecks = std::collections::HashMap<String, Vec<tokio::task::JoinHandle<()>>>;

impl Shared {
    /// Wraps a store with the default limits, with faults from `HARBOR_PSO_FAULTS` (tests
    /// only; see [`Faults`]).
    pub fn new(store: Store) -> Self {
        Self::with_limits(store, crate::limits::Limits::default())
    }

    /// Wraps a store with these limits (see [`Shared::new`]).
    pub fn with_limits(store: Store, limits: crate::limits::Limits) -> Self {
        let mut faults = std::env::var("HARBOR_PSO_FAULTS")
            .map(|s| Faults::parse(&s))
            .unwrap_or_default();
        if let Some(log) = std::env::var_os("HARBOR_PSO_FAULTS_LOG") {
            faults = faults.logged_to(log.into());
        }
        Shared {
            keys: store.keys.clone(),
            store: Arc::new(Mutex::new(store)),
            writing: Default::default(),
            arriving: Default::default(),
            checks: Default::default(),
            opened: Default::default(),
            faults: Arc::new(Mutex::new(faults)),
            limits: Arc::new(limits),
            committing: Default::default(),
        }
    }

    /// The limits it applies.
    pub fn limits(&self) -> &crate::limits::Limits {
        &self.limits
    }

    /// Discards the submissions left open longer than the limits allow (see
    /// [`Store::expire_open`]); returns how many.
    pub fn expire_open(&self) -> Result<usize, crate::store::StoreError> {
        let expiry =
            chrono::Duration::from_std(self.limits.open_expiry).unwrap_or(chrono::Duration::MAX);
        let cutoff = chrono::Utc::now()
            .checked_sub_signed(expiry)
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let gone = self.lock().expire_open(cutoff)?;
        for id in &gone {
            self.arriving.forget(id);
            self.checks.lock().expect("checks lock").remove(id);
            let mut o = self.opened.lock().expect("opened lock");
            let freed: usize = o
                .by_submission
                .remove(id)
                .unwrap_or_default()
                .values()
                .map(|i| i.as_ref().map_or(0, |i| i.snapshot.len()))
                .sum();
            o.bytes = o.bytes.saturating_sub(freed);
        }
        Ok(gone.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().expect("store lock")
    }

    /// Takes one injected fault for `point`, if any is left.
    fn fault(&self, point: &str) -> Option<u16> {
        let mut f = self.faults.lock().expect("faults lock");
        let entry = f.0.iter_mut().find(|(p, _, n)| p == point && *n > 0)?;
        entry.2 -= 1;
        let status = entry.1;
        f.fired(point, status);
        Some(status)
    }
}

/// Faults for tests of the client's error handling, from `HARBOR_PSO_FAULTS`, e.g.
/// `commit=503x2,chunk=500x1,manifest=422x1,commit_after_store=503x1`: answer the point
/// with that status that many times. `commit_after_store` stores the submission and then
/// answers with the error, as a server that dies after committing would; `tamper_receipt`
/// alters the receipt it sends back (the stored one stays intact); `chunk_stall=Sx1` stores
/// a chunk and then waits S seconds before answering.
///
/// With `HARBOR_PSO_FAULTS_LOG=FILE` each fault that fires appends a line `POINT STATUS` to
/// FILE, so that a test can tell a fault happened rather than assume it.
#[derive(Debug, Default)]
pub struct Faults(Vec<(String, u16, u32)>, Option<std::path::PathBuf>);

impl Faults {
    /// Parses the fault list (malformed entries are ignored).
    pub fn parse(s: &str) -> Self {
        Faults(
            s.split(',')
                .filter_map(|e| {
                    let (point, rest) = e.trim().split_once('=')?;
                    let (status, times) = rest.split_once('x').unwrap_or((rest, "1"));
                    Some((point.to_owned(), status.parse().ok()?, times.parse().ok()?))
                })
                .collect(),
            None,
        )
    }

    /// Notes each fault that fires in `log`.
    pub fn logged_to(mut self, log: std::path::PathBuf) -> Self {
        self.1 = Some(log);
        self
    }

    fn fired(&self, point: &str, status: u16) {
        use std::io::Write;
        if let Some(log) = &self.1 {
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .and_then(|mut f| writeln!(f, "{point} {status}"));
            if let Err(e) = written {
                eprintln!(
                    "harbor-pso: cannot note a fired fault in {}: {e}",
                    log.display()
                );
            }
        }
    }
}

fn injected(shared: &Shared, point: &str) -> ApiResult<()> {
    match shared.fault(point) {
        Some(status) => Err(ApiError(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            W::InjectedFault,
            format!("injected fault at {point}"),
        )),
        None => Ok(()),
    }
}

struct ApiError(StatusCode, W, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let reply = ErrorReply {
            error: WireError {
                code: self.1,
                message: self.2,
            },
        };
        (self.0, Json(reply)).into_response()
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, W::Storage, e.to_string())
    }
}

type ApiResult<T> = Result<T, ApiError>;

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError(
        StatusCode::INTERNAL_SERVER_ERROR,
        W::Internal,
        e.to_string(),
    )
}

/// Runs `f` with the store locked on a blocking thread: the store's lock is a
/// `std::sync::Mutex` and SQLite does file I/O, and neither may hold up the async workers
/// that serve every other agency's requests.
async fn with_store<T: Send + 'static>(
    shared: &Shared,
    f: impl FnOnce(&Shared, &Store) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || {
        let s = shared.lock();
        f(&shared, &s)
    })
    .await
    .map_err(internal)?
}

/// Refuses a request without a known agency's token before its body is read: no stranger
/// makes the server read or parse megabytes.
async fn require_token(
    State(shared): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers().clone();
    match with_store(&shared, move |_, s| agency(s, &headers).map(drop)).await {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// Every route the router serves (method, path), as `schemas/pso-intake.openapi.json`
/// documents them; a test checks both directions.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/v1/health"),
    ("GET", "/v1/keys"),
    ("POST", "/v1/enroll"),
    ("PUT", "/v1/submissions/{id}"),
    ("GET", "/v1/submissions/{id}"),
    ("GET", "/v1/submissions/{id}/items/{item}"),
    ("PATCH", "/v1/submissions/{id}/items/{item}"),
    ("PATCH", "/v1/submissions/{id}/items"),
    ("POST", "/v1/submissions/{id}/commit"),
    ("GET", "/v1/feedback"),
];

/// The router.
pub fn router(state: Shared) -> Router {
    let with_token = Router::new()
        .route("/v1/enroll", post(enroll))
        .route(
            "/v1/submissions/{id}",
            put(create_submission).get(submission_state),
        )
        .route(
            "/v1/submissions/{id}/items/{item}",
            get(item_state).patch(upload_chunk),
        )
        .route("/v1/submissions/{id}/items", patch(upload_batch))
        .route("/v1/submissions/{id}/commit", post(commit))
        .route("/v1/feedback", get(feedback))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_token,
        ));
    Router::new()
        .route(
            "/v1/health",
            get(|| async {
                Json(HealthReply {
                    ok: true,
                    protocol: PROTOCOL.into(),
                })
            }),
        )
        .route("/v1/keys", get(keys))
        .merge(with_token)
        .layer(axum::middleware::from_fn_with_state(
            state.limits.request_timeout,
            time_limit,
        ))
        .layer(DefaultBodyLimit::max(MAX_CHUNK))
        .with_state(state)
}

/// Answers 408 a request not done within the limit, body included: a client that sends a
/// byte a minute holds nothing for long. (The parts written so far stay; the client
/// resumes from what `GET` reports.)
async fn time_limit(
    State(limit): State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError(
            StatusCode::REQUEST_TIMEOUT,
            W::Timeout,
            format!("the request took longer than {} s", limit.as_secs()),
        )
        .into_response(),
    }
}

/// `PUT /bench/sink`: reads a body of any size and discards it, answering with the byte
/// count. Only with `serve --bench-sink`: the plain TLS upload the submission benchmark
/// compares Harbor's against, on the same server and TLS stack.
pub fn bench_sink() -> Router {
    async fn sink(body: axum::body::Body) -> ApiResult<Json<ReceivedReply>> {
        use http_body_util::BodyExt;
        let mut body = body;
        let mut n = 0u64;
        while let Some(frame) = body.frame().await {
            let frame =
                frame.map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::Read, e.to_string()))?;
            n += frame.data_ref().map_or(0, |d| d.len() as u64);
        }
        Ok(Json(ReceivedReply { received: n }))
    }
    Router::new()
        .route("/bench/sink", put(sink))
        .layer(DefaultBodyLimit::disable())
}

fn agency(store: &Store, headers: &HeaderMap) -> ApiResult<crate::store::Agency> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError(
                StatusCode::UNAUTHORIZED,
                W::Unauthorized,
                "a bearer token is required".into(),
            )
        })?;
    store.agency_by_token(token)?.ok_or_else(|| {
        ApiError(
            StatusCode::UNAUTHORIZED,
            W::Unauthorized,
            "unknown token".into(),
        )
    })
}

async fn keys(State(s): State<Shared>) -> Json<KeysReply> {
    // The keys never change while the server runs: no need for the store's lock.
    let keys = &s.keys;
    Json(KeysReply {
        protocol: PROTOCOL.into(),
        signing_key: keys.signing.public().to_hex(),
        receive_key: keys.receive_public_hex(),
    })
}

async fn enroll(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<EnrolRequest>,
) -> ApiResult<Json<EnrolReply>> {
    with_store(&s, move |_, s| {
        let agency = agency(s, &headers)?;
        let key = SigningPublicKey::from_hex(&body.signing_key)
            .map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::BadKey, e.to_string()))?;
        if !s.enroll(&agency.id, &key)? {
            return Err(ApiError(
                StatusCode::CONFLICT,
                W::AlreadyEnrolled,
                "this agency enrolled another signing key".into(),
            ));
        }
        Ok(Json(EnrolReply {
            agency_id: agency.id,
            name: agency.name,
        }))
    })
    .await
}

fn owned_submission(
    s: &Store,
    headers: &HeaderMap,
    id: &str,
) -> ApiResult<(
    crate::store::Agency,
    String,
    Option<harbor_protocol::SignedReceipt>,
)> {
    let agency = agency(s, headers)?;
    match s.submission(id)? {
        Some(info) if info.agency_id == agency.id => Ok((agency, info.state, info.receipt)),
        // Another agency's submission is not found, not forbidden: ids reveal nothing.
        _ => Err(ApiError(
            StatusCode::NOT_FOUND,
            W::NotFound,
            "no such submission".into(),
        )),
    }
}

async fn create_submission(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(signed): Json<SignedManifest>,
) -> ApiResult<(StatusCode, Json<SubmissionReply>)> {
    injected(&s, "manifest")?;
    with_store(&s, move |shared, s| {
        store_manifest(shared.limits(), s, &headers, id, signed)
    })
    .await
}

/// Verifies and stores a new submission's manifest (see [`create_submission`]).
fn store_manifest(
    limits: &crate::limits::Limits,
    s: &Store,
    headers: &HeaderMap,
    id: String,
    signed: SignedManifest,
) -> ApiResult<(StatusCode, Json<SubmissionReply>)> {
    let agency = agency(s, headers)?;
    let key = agency
        .signing_key
        .as_deref()
        .map(SigningPublicKey::from_hex)
        .transpose()
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, W::BadKey, e.to_string()))?
        .ok_or_else(|| {
            ApiError(
                StatusCode::FORBIDDEN,
                W::NotEnrolled,
                "enrol a signing key first".into(),
            )
        })?;
    if signed.manifest.submission_id != id {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            W::IdMismatch,
            "the path and the manifest name different submissions".into(),
        ));
    }
    let manifest = signed.verify(&key).map_err(|e| {
        let code = match e {
            // Signed, but an id is not a UUID: never stored, so never a file name here.
            harbor_protocol::ProtocolError::BadId { .. } => W::InvalidId,
            _ => W::BadSignature,
        };
        ApiError(StatusCode::UNPROCESSABLE_ENTITY, code, e.to_string())
    })?;
    if manifest.agency_id != agency.id {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            W::WrongAgency,
            "the manifest names another agency".into(),
        ));
    }
    // One context for the whole submission: its encapsulated key must be one.
    if let Some(enc) = &manifest.encapsulated_key {
        harbor_protocol::SubmissionKeys::for_receiver(&s.keys, &id, manifest.blob_cipher, enc)
            .map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::BadManifest, e.to_string()))?;
    }
    let hash = harbor_core::canonical::canonical_hash(&signed);
    match s.submission(&id)? {
        None => {
            let declared = limits
                .check_manifest(manifest)
                .map_err(|e| ApiError(StatusCode::PAYLOAD_TOO_LARGE, W::TooLarge, e.to_string()))?;
            // What one agency may hold open at once (429: retry once some are committed).
            let (open, open_bytes) = s.open_load(&agency.id)?;
            if open >= limits.max_open_submissions {
                return Err(ApiError(
                    StatusCode::TOO_MANY_REQUESTS,
                    W::QuotaExceeded,
                    format!(
                        "this agency has {open} submissions open, the most this PSO allows; commit one first"
                    ),
                ));
            }
            if open_bytes.saturating_add(declared.sealed_bytes) > limits.max_open_bytes {
                return Err(ApiError(
                    StatusCode::TOO_MANY_REQUESTS,
                    W::QuotaExceeded,
                    format!(
                        "this agency's open submissions would declare more than the {} bytes this PSO allows; commit one first",
                        limits.max_open_bytes
                    ),
                ));
            }
            s.create_submission(&agency.id, &signed, &hash)?;
            Ok((
                StatusCode::CREATED,
                Json(SubmissionReply {
                    state: "open".into(),
                    receipt: None,
                    new: true,
                }),
            ))
        }
        Some(info) if info.agency_id == agency.id && info.manifest_sha256 == hash => Ok((
            StatusCode::OK,
            Json(SubmissionReply {
                state: info.state,
                receipt: info.receipt,
                new: false,
            }),
        )),
        Some(_) => Err(ApiError(
            StatusCode::CONFLICT,
            W::SubmissionExists,
            "a different submission has this id".into(),
        )),
    }
}

async fn submission_state(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SubmissionReply>> {
    with_store(&s, move |_, s| {
        let (_, state, receipt) = owned_submission(s, &headers, &id)?;
        Ok(Json(SubmissionReply {
            state,
            receipt,
            new: false,
        }))
    })
    .await
}

async fn item_state(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path((id, item)): Path<(String, String)>,
) -> ApiResult<Json<ReceivedReply>> {
    with_store(&s, move |_, s| {
        owned_submission(s, &headers, &id)?;
        Ok(Json(ReceivedReply {
            received: s.received(&id, &item)?,
        }))
    })
    .await
}

#[derive(Deserialize)]
struct Offset {
    offset: u64,
}

async fn upload_chunk(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path((id, item)): Path<(String, String)>,
    Query(q): Query<Offset>,
    body: axum::body::Body,
) -> ApiResult<Json<ReceivedReply>> {
    injected(&shared, "chunk")?;
    let part = {
        let (headers, id, item) = (headers.clone(), id.clone(), item.clone());
        with_store(&shared, move |_, s| {
            open_submission(s, &headers, &id)?;
            s.part(&id, &item)?.ok_or_else(no_item)
        })
        .await?
    };
    let mut bytes = read_piece(body, &headers, &part, q.offset).await?;
    // Written off the async workers and outside the store's lock: a piece of a blob goes
    // to the disk directly, and the server goes on with other requests while it does.
    let appending = shared.clone();
    let appended = tokio::task::spawn_blocking(move || {
        write_piece(&appending, &id, &item, q.offset, &mut bytes)
    })
    .await
    .map_err(|e| {
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            W::Internal,
            e.to_string(),
        )
    })??;
    if let Some(check) = appended.blob_check {
        check_in_background(&shared, check, appended.opened);
    }
    stall_if_asked(&shared).await;
    match appended.result {
        Ok(received) => Ok(Json(ReceivedReply { received })),
        Err(have) => Err(offset_mismatch(&appended.part, have)),
    }
}

/// Appends `piece` at `offset` to a part of the open submission `id`, as [`append_piece`]
/// does, but writes it with the store unlocked: the part is marked as being written
/// (a second piece for it meanwhile is answered with the offset the store holds), then
/// written, opened as it arrived if it is a blob's (which overwrites the buffer), then
/// counted. The caller checked the agency's token and that the submission is open.
fn write_piece(
    shared: &Shared,
    id: &str,
    item: &str,
    offset: u64,
    piece: &mut crate::parts::AlignedBuf,
) -> ApiResult<Appended> {
    let len = piece.as_slice().len() as u64;
    let key = (id.to_owned(), item.to_owned());
    let (mut part, parts, sealing) = {
        let s = shared.lock();
        // Still declared: a submission committed meanwhile has no parts left.
        let part = s.part(id, item)?.ok_or_else(no_item)?;
        if offset.saturating_add(len) > part.sealed_len {
            return Err(too_large(part.sealed_len));
        }
        let free = offset == part.received
            && shared
                .writing
                .lock()
                .expect("writing lock")
                .insert(key.clone());
        if !free {
            return Ok(Appended {
                part: item.to_owned(),
                result: Err(part.received),
                blob_check: None,
                opened: None,
                whole_item: false,
            });
        }
        let sealing = match part.blob_plain_len {
            Some(_) => s.sealing(id)?.1,
            None => None,
        };
        (part, s.parts().clone(), sealing)
    };
    // Unmarks the part however this ends.
    struct Writing<'a>(&'a Shared, (String, String));
    impl Drop for Writing<'_> {
        fn drop(&mut self) {
            self.0.writing.lock().expect("writing lock").remove(&self.1);
        }
    }
    let writing = Writing(shared, key);
    parts
        .write_at(id, part.start + offset, piece.as_slice())
        .map_err(crate::store::StoreError::from)?;
    // Once written, and while the part is still marked, so that its pieces reach the
    // opener in order.
    let opened = shared
        .arriving
        .push(sealing.as_deref(), &part, offset, piece.as_mut_slice());
    let s = shared.lock();
    s.count_received(&mut part, offset + len)?;
    // Unmarked with the store still locked, so that no one sees the count and the mark.
    drop(writing);
    Ok(Appended {
        part: item.to_owned(),
        result: Ok(part.received),
        blob_check: s.blob_to_check(&part)?,
        opened,
        whole_item: false,
    })
}

/// Reads the body of a piece for `part` at `offset` into a buffer placed for where it goes
/// in the submission's file (see [`crate::parts::AlignedBuf`]); refused past the part's
/// declared end or [`MAX_CHUNK`], before it is all read.
async fn read_piece(
    body: axum::body::Body,
    headers: &HeaderMap,
    part: &crate::store::Part,
    offset: u64,
) -> ApiResult<crate::parts::AlignedBuf> {
    use http_body_util::BodyExt;
    let room = part.sealed_len.saturating_sub(offset);
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .unwrap_or(0);
    let capacity = declared.min(room).min(MAX_CHUNK as u64) as usize;
    let mut buf = crate::parts::AlignedBuf::for_offset(part.start + offset, capacity);
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ApiError(
                StatusCode::BAD_REQUEST,
                W::BadBody,
                format!("the upload's body could not be read: {e}"),
            )
        })?;
        let Some(data) = frame.data_ref() else {
            continue;
        };
        let len = (buf.as_slice().len() + data.len()) as u64;
        if len > room {
            return Err(too_large(part.sealed_len));
        }
        if len > MAX_CHUNK as u64 {
            return Err(ApiError(
                StatusCode::PAYLOAD_TOO_LARGE,
                W::TooLarge,
                format!("a piece is limited to {MAX_CHUNK} bytes"),
            ));
        }
        buf.extend_from_slice(data);
    }
    Ok(buf)
}

fn no_item() -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        W::NoItem,
        "the manifest has no such item".into(),
    )
}

fn too_large(limit: u64) -> ApiError {
    ApiError(
        StatusCode::PAYLOAD_TOO_LARGE,
        W::TooLarge,
        format!("the upload is larger than the {limit} bytes the manifest declares"),
    )
}

/// `PATCH /v1/submissions/{id}/items`: several pieces in one body (see
/// [`harbor_protocol::parse_batch`]), appended in order as [`upload_chunk`] appends one.
/// At the first piece whose offset is not what the server holds it stops, keeps what came
/// before, and answers 409 naming that part.
async fn upload_batch(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<BatchReply>> {
    injected(&shared, "chunk")?;
    let batch_of = id.clone();
    let (received, mismatch, done) = with_store(&shared, move |_, s| {
        let id = batch_of;
        let frames = harbor_protocol::parse_batch(&body)
            .map_err(|e| ApiError(StatusCode::BAD_REQUEST, W::BadBatch, e.to_string()))?;
        let mut received = std::collections::BTreeMap::new();
        let mut done = Vec::new();
        let mut mismatch = None;
        open_submission(s, &headers, &id)?;
        // One transaction for the batch's bookkeeping rather than one per piece.
        let batch = s.batch()?;
        for f in &frames {
            let appended = append_piece(s, &id, f.part, f.offset, f.bytes)?;
            match appended.result {
                Ok(n) => {
                    received.insert(f.part.to_owned(), n);
                }
                Err(have) => {
                    mismatch = Some(offset_mismatch(f.part, have));
                    break;
                }
            }
            done.push((appended, body.slice_ref(f.bytes)));
        }
        batch.commit()?;
        Ok((received, mismatch, done))
    })
    .await?;
    // With the store unlocked (this takes the lock itself), and before answering, so that
    // a commit that follows waits for the checks it starts.
    let starting = shared.clone();
    tokio::task::spawn_blocking(move || after_appending(&starting, &id, done, true))
        .await
        .map_err(internal)?;
    stall_if_asked(&shared).await;
    match mismatch {
        Some(e) => Err(e),
        None => Ok(Json(BatchReply { received })),
    }
}

/// The submission `id` of the caller's agency, still open for uploads.
fn open_submission(s: &Store, headers: &HeaderMap, id: &str) -> ApiResult<()> {
    let (_, state, _) = owned_submission(s, headers, id)?;
    if state != "open" {
        return Err(ApiError(
            StatusCode::CONFLICT,
            W::Committed,
            "the submission is already committed".into(),
        ));
    }
    Ok(())
}

/// What appending a piece did.
struct Appended {
    /// The part.
    part: String,
    /// `Ok(received)`, or `Err(held)` when the offset is not what the server holds.
    result: Result<u64, u64>,
    /// The check to run when that was a blob's last byte.
    blob_check: Option<crate::store::BlobCheck>,
    /// The blob's hash, when it was opened as it arrived (see [`crate::arriving`]).
    opened: Option<String>,
    /// Whether the piece was an item, whole.
    whole_item: bool,
}

/// Appends `bytes` at `offset` to a part of the open submission `id`.
fn append_piece(s: &Store, id: &str, item: &str, offset: u64, bytes: &[u8]) -> ApiResult<Appended> {
    let mut part = s.part(id, item)?.ok_or_else(no_item)?;
    if offset.saturating_add(bytes.len() as u64) > part.sealed_len {
        return Err(too_large(part.sealed_len));
    }
    let result = s.append(&mut part, offset, bytes)?;
    let blob_check = match result {
        Ok(_) => s.blob_to_check(&part)?,
        Err(_) => None,
    };
    let whole_item = result.is_ok()
        && part.blob_plain_len.is_none()
        && offset == 0
        && bytes.len() as u64 == part.sealed_len;
    Ok(Appended {
        part: item.to_owned(),
        result,
        blob_check,
        opened: None,
        whole_item,
    })
}

/// Starts the checks that the appended pieces (each with its bytes) made possible: of
/// blobs whose last byte arrived, and (if `open_items`) of items that arrived whole.
fn after_appending(shared: &Shared, id: &str, appended: Vec<(Appended, Bytes)>, open_items: bool) {
    let mut items = Vec::new();
    for (a, bytes) in appended {
        if let Some(check) = a.blob_check {
            check_in_background(shared, check, a.opened);
        }
        if a.whole_item && open_items {
            items.push((a.part, bytes));
        }
    }
    if !items.is_empty() {
        open_items_in_background(shared, id, items);
    }
}

fn offset_mismatch(part: &str, have: u64) -> ApiError {
    ApiError(
        StatusCode::CONFLICT,
        W::OffsetMismatch,
        format!("the server has {have} bytes of item {part}"),
    )
}

/// A blob whose last byte arrived is opened and hashed now (unless that was done as it
/// arrived: `opened`), overlapping the rest of the upload (the commit waits for it and
/// then only compares hashes), off the async workers and the store's lock, and without
/// holding up the answer. A check that fails or stops leaves no hash, and the commit
/// opens the blob itself and says what is wrong.
fn check_in_background(shared: &Shared, check: crate::store::BlobCheck, opened: Option<String>) {
    let (checking, submission) = (shared.clone(), check.submission.clone());
    let task = tokio::task::spawn_blocking(move || {
        let sha = match opened {
            Some(sha) => Some(sha),
            None => check.run().ok().flatten(),
        };
        if let Some(sha) = sha {
            let _ = checking
                .lock()
                .set_opened_sha256(&check.submission, &check.blob_id, &sha);
            // Start writing the blob to disk now rather than all at the commit (which
            // flushes again and reports any failure).
            let _ = check.flush();
        }
    });
    let mut checks = shared.checks.lock().expect("checks lock");
    let pending = checks.entry(submission).or_default();
    pending.retain(|t| !t.is_finished());
    pending.push(task);
}

/// Items that arrived whole are opened and checked now, while the attachments are still
/// on the way, so that the commit (which waits for this) only collects the results. The
/// manifest says which item each is; an item it does not name is left to the commit.
fn open_items_in_background(shared: &Shared, id: &str, items: Vec<(String, Bytes)>) {
    let (keys, sealing, manifest) = {
        let s = shared.lock();
        match (s.manifest(id), s.sealing(id)) {
            (Ok(m), Ok((_, sealing))) => (s.keys.clone(), sealing, m.manifest),
            _ => return,
        }
    };
    let (opening, submission) = (shared.clone(), id.to_owned());
    let task = tokio::task::spawn_blocking(move || {
        let by_id: std::collections::HashMap<&str, &harbor_protocol::ManifestItem> = manifest
            .items
            .iter()
            .map(|i| (i.item_id.as_str(), i))
            .collect();
        for (item_id, sealed) in items {
            let Some(it) = by_id.get(item_id.as_str()) else {
                continue;
            };
            let opener = ItemOpener {
                keys: &keys,
                sealing: sealing.as_deref(),
                submission: &submission,
            };
            let checked = check_item(&opener, &manifest.agency_id, it, &sealed);
            let mut opened = opening.opened.lock().expect("opened lock");
            let size = checked.as_ref().map_or(0, |i| i.snapshot.len());
            if opened.bytes + size > OPENED_ITEMS_MAX {
                return;
            }
            opened.bytes += size;
            opened
                .by_submission
                .entry(submission.clone())
                .or_default()
                .insert(it.item_id.clone(), checked);
        }
    });
    let mut checks = shared.checks.lock().expect("checks lock");
    let pending = checks.entry(id.to_owned()).or_default();
    pending.retain(|t| !t.is_finished());
    pending.push(task);
}

/// A server that stored the chunk and then answers too late (a test of client timeouts).
async fn stall_if_asked(shared: &Shared) {
    if let Some(seconds) = shared.fault("chunk_stall") {
        tokio::time::sleep(std::time::Duration::from_secs(seconds.into())).await;
    }
}

async fn feedback(
    State(s): State<Shared>,
    headers: HeaderMap,
) -> ApiResult<Json<harbor_protocol::Feedback>> {
    let s = s.lock();
    let agency = agency(&s, &headers)?;
    Ok(Json(s.feedback(&agency.id)?))
}

async fn commit(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<harbor_protocol::SignedReceipt>> {
    injected(&shared, "commit")?;
    // Only the submission's agency waits for (and so takes) its pending checks.
    {
        let (headers, id) = (headers.clone(), id.clone());
        with_store(&shared, move |_, s| {
            owned_submission(s, &headers, &id).map(drop)
        })
        .await?;
    }
    // One commit of a submission at a time: a second one meanwhile would only open the
    // same parts again (an agency calling commit in a loop gets this answer, cheaply).
    let claim = CommitClaim::take(&shared, &id)?;
    let pending = shared
        .checks
        .lock()
        .expect("checks lock")
        .remove(&id)
        .unwrap_or_default();
    for task in pending {
        let _ = task.await;
    }
    let committing = shared.clone();
    // The claim goes with the work: held until it ends, even if this request is dropped.
    let receipt = tokio::task::spawn_blocking(move || {
        let _claim = claim;
        commit_blocking(&committing, &headers, &id)
    })
    .await
    .map_err(internal)??;
    // A server that stored the submission and died before answering.
    injected(&shared, "commit_after_store")?;
    // A man in the middle (or a broken PSO) altering the receipt on the way back.
    let mut receipt = receipt;
    if shared.fault("tamper_receipt").is_some()
        && let Some(first) = receipt.receipt.items.first_mut()
    {
        first.sha256 = "0".repeat(64);
    }
    Ok(Json(receipt))
}

/// A submission's commit running; released on drop.
struct CommitClaim(Shared, String);

impl CommitClaim {
    fn take(shared: &Shared, id: &str) -> ApiResult<Self> {
        if !shared
            .committing
            .lock()
            .expect("committing lock")
            .insert(id.to_owned())
        {
            return Err(ApiError(
                StatusCode::TOO_MANY_REQUESTS,
                W::CommitRunning,
                "this submission's commit is already running; ask again shortly".into(),
            ));
        }
        Ok(CommitClaim(shared.clone(), id.to_owned()))
    }
}

impl Drop for CommitClaim {
    fn drop(&mut self) {
        self.0
            .committing
            .lock()
            .expect("committing lock")
            .remove(&self.1);
    }
}

/// The commit's work, on a blocking thread. The store is locked only to look things up
/// and, at the end, to store the result: every item and blob is read, opened and checked
/// with the store unlocked, so that one agency's large or broken submission holds up no
/// other agency's requests.
fn commit_blocking(
    shared: &Shared,
    headers: &HeaderMap,
    id: &str,
) -> ApiResult<harbor_protocol::SignedReceipt> {
    let (signed, sealing, keys, parts) = {
        let s = shared.lock();
        let (_, state, receipt) = owned_submission(&s, headers, id)?;
        if state == "committed" {
            // A replay returns the original receipt.
            return Ok(receipt.expect("a committed submission has its receipt"));
        }
        let (_, sealing) = s.sealing(id)?;
        (s.manifest(id)?, sealing, s.keys.clone(), s.parts().clone())
    };
    let m = &signed.manifest;
    let mut stored = Vec::new();
    let mut attachments = Vec::new();
    let mut receipt_items = Vec::new();
    // Taken once every check above has finished.
    let mut opened = {
        let mut o = shared.opened.lock().expect("opened lock");
        let mine = o.by_submission.remove(id).unwrap_or_default();
        let freed: usize = mine
            .values()
            .map(|i| i.as_ref().map_or(0, |i| i.snapshot.len()))
            .sum();
        o.bytes = o.bytes.saturating_sub(freed);
        mine
    };
    for it in &m.items {
        // Opened as it arrived, or now.
        let item = match opened.remove(&it.item_id) {
            Some(checked) => checked?,
            None => {
                let part = shared.lock().part(id, &it.item_id)?;
                let bytes = match part {
                    Some(p) => parts
                        .read_all(id, p.start, p.received)
                        .map_err(crate::store::StoreError::from)?,
                    None => Vec::new(),
                };
                let opener = ItemOpener {
                    keys: &keys,
                    sealing: sealing.as_deref(),
                    submission: id,
                };
                check_item(&opener, &m.agency_id, it, &bytes)?
            }
        };
        receipt_items.push(ReceiptItem {
            item_id: it.item_id.clone(),
            sha256: item.sha256.clone(),
        });
        stored.push(item);
        for a in &it.attachments {
            let (have, sha, opening) = {
                let s = shared.lock();
                let sha = s.opened_sha256(id, &a.blob_id)?;
                let opening = match sha {
                    Some(_) => None,
                    None => s.blob_opening(id, &a.blob_id)?,
                };
                (s.received(id, &a.blob_id)?, sha, opening)
            };
            if Some(have) != harbor_protocol::checked_sealed_len(a.size) {
                return Err(ApiError(
                    StatusCode::CONFLICT,
                    W::Incomplete,
                    format!("attachment {} is not fully uploaded", a.blob_id),
                ));
            }
            // Opened when its last byte arrived, or now (unlocked).
            let sha = match (sha, opening) {
                (Some(sha), _) => sha,
                (None, Some(opening)) => opening.open()?.map_err(|e| {
                    ApiError(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        W::SealBroken,
                        e.to_string(),
                    )
                })?,
                (None, None) => return Err(no_item()),
            };
            if sha != a.sha256 {
                return Err(ApiError(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    W::HashMismatch,
                    format!("attachment {} does not match its hash", a.blob_id),
                ));
            }
            attachments.push(crate::store::StoredAttachment {
                submission_id: id.to_owned(),
                item_id: it.item_id.clone(),
                blob_id: a.blob_id.clone(),
                attachment_id: a.attachment_id.clone(),
                media_type: a.media_type.clone(),
                size: a.size,
                sha256: sha.clone(),
            });
            receipt_items.push(ReceiptItem {
                item_id: a.blob_id.clone(),
                sha256: sha,
            });
        }
    }
    // The long flush of the parts to disk before the lock; the store's own flush then
    // finds little left.
    parts.sync(id).map_err(crate::store::StoreError::from)?;
    let mut s = shared.lock();
    let receipt = Receipt {
        protocol: PROTOCOL.into(),
        submission_id: id.to_owned(),
        received_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        items: receipt_items,
        audit_head: m.audit_head.clone(),
    }
    .sign(s.signing());
    s.commit(id, &stored, &attachments, &receipt)?;
    drop(s);
    shared.arriving.forget(id);
    Ok(receipt)
}

/// What opens the items of one submission: the PSO's keys, and the submission's keys when
/// its manifest sealed every part under one context.
struct ItemOpener<'a> {
    keys: &'a harbor_protocol::PsoKeys,
    sealing: Option<&'a harbor_protocol::SubmissionKeys>,
    submission: &'a str,
}

impl ItemOpener<'_> {
    /// The plaintext of a sealed item (`enc || ciphertext`).
    fn open(&self, item_id: &str, bytes: &[u8]) -> Result<Vec<u8>, harbor_protocol::ProtocolError> {
        match self.sealing {
            Some(sealing) => sealing.open_item(item_id, bytes),
            None => harbor_protocol::open(
                self.keys,
                self.submission,
                item_id,
                &SealedItem {
                    enc: hex::encode(&bytes[..32]),
                    ciphertext: bytes[32..].to_vec(),
                },
            ),
        }
    }
}

/// Opens a sealed item (`enc || ciphertext`) and checks it: complete, its hash as the
/// manifest declares, JSON that matches its manifest entry, and a body that follows its
/// kind's schema under its profile.
fn check_item(
    opener: &ItemOpener<'_>,
    agency_id: &str,
    it: &harbor_protocol::ManifestItem,
    bytes: &[u8],
) -> ApiResult<crate::store::StoredItem> {
    let id = opener.submission;
    if bytes.len() < 32 || Some(bytes.len() as u64) != harbor_protocol::sealed_item_len(it.size) {
        return Err(ApiError(
            StatusCode::CONFLICT,
            W::Incomplete,
            format!("item {} is not fully uploaded", it.item_id),
        ));
    }
    let plain = opener.open(&it.item_id, bytes).map_err(|e| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::SealBroken,
            e.to_string(),
        )
    })?;
    let sha = harbor_core::canonical::sha256_hex(&plain);
    if sha != it.sha256 {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::HashMismatch,
            format!("item {} does not match its hash", it.item_id),
        ));
    }
    let invalid = || {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::InvalidItem,
            format!("item {} does not match its manifest entry", it.item_id),
        )
    };
    let snapshot = harbor_protocol::Snapshot::parse(&plain).map_err(|e| match e {
        harbor_protocol::SnapshotError::NotJson => ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::NotJson,
            format!("item {} is not JSON", it.item_id),
        ),
        harbor_protocol::SnapshotError::Shape(_) => invalid(),
    })?;
    // The sealed snapshot lists the attachments the signed manifest declares.
    let listed: Vec<(&str, &str, u64)> = snapshot
        .attachments
        .iter()
        .map(|a| (a.attachment_id.as_str(), a.sha256.as_str(), a.size))
        .collect();
    let declared: Vec<(&str, &str, u64)> = it
        .attachments
        .iter()
        .map(|a| (a.attachment_id.as_str(), a.sha256.as_str(), a.size))
        .collect();
    let valid = listed == declared
        && snapshot.record_id == it.record_id
        && snapshot.kind.as_str() == it.kind
        && snapshot.profile == it.profile
        && snapshot.body.is_object()
        && !snapshot.kind.is_original_record();
    if !valid {
        return Err(invalid());
    }
    // Every body follows the schema of its kind under its profile.
    if let Err(errors) = harbor_core::profile_schema::validate_profile_body(
        snapshot.kind,
        &it.profile,
        &snapshot.body,
    ) {
        let fields: Vec<String> = errors
            .iter()
            .map(|e| format!("{} ({})", e.field, e.message))
            .collect();
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            W::SchemaInvalid,
            format!(
                "item {} does not follow the {} {} schema: {}",
                it.item_id,
                it.profile,
                it.kind,
                fields.join("; ")
            ),
        ));
    }
    Ok(crate::store::StoredItem {
        submission_id: id.to_owned(),
        agency_id: agency_id.to_owned(),
        item_id: it.item_id.clone(),
        record_id: it.record_id.clone(),
        kind: it.kind.clone(),
        sha256: sha,
        snapshot: String::from_utf8_lossy(&plain).into_owned(),
    })
}
