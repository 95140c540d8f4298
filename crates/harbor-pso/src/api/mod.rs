//! The intake API (HTTPS only). Every route but `/v1/health` and `/v1/keys` needs the
//! agency's bearer token. Errors are `{"error": {"code", "message"}}` with a status that
//! says whether retrying can help (4xx but 408/429: no).
//!
//! One room per reason to change: this module holds the shared state, the error reply and
//! the routes; [`submissions`] the manifest and the state reads, [`upload`] the pieces,
//! [`commit`] the commit and its receipt, [`intake`] the checks every item must pass, and
//! [`faults`] the faults a test build injects (compiled only with `fault-injection`).

mod commit;
mod faults;
mod intake;
mod submissions;
mod upload;

use commit::commit;
use submissions::{create_submission, enroll, feedback, item_state, keys, submission_state};
use upload::{upload_batch, upload_chunk};

#[cfg(feature = "fault-injection")]
pub use faults::Faults;

use crate::store::Store;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use harbor_protocol::PROTOCOL;
use harbor_protocol::http::{
    ErrorReply, HealthReply, ReceivedReply, WireError, WireErrorCode as W,
};
use std::sync::{Arc, Mutex};

/// Largest chunk accepted in one request.
pub const MAX_CHUNK: usize = 8 * 1024 * 1024;

/// Shared state: the store behind a lock (SQLite is single-writer anyway), the checks of
/// blobs still running, and (in a test build) the injected faults.
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
    #[cfg(feature = "fault-injection")]
    faults: Arc<Mutex<faults::Faults>>,
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
    /// Wraps a store with the default limits (in a build with `fault-injection`, with the
    /// faults `HARBOR_PSO_FAULTS` names: see `Faults`).
    pub fn new(store: Store) -> Self {
        Self::with_limits(store, crate::limits::Limits::default())
    }

    /// Wraps a store with these limits (see [`Shared::new`]).
    pub fn with_limits(store: Store, limits: crate::limits::Limits) -> Self {
        Shared {
            keys: store.keys.clone(),
            store: Arc::new(Mutex::new(store)),
            writing: Default::default(),
            arriving: Default::default(),
            checks: Default::default(),
            opened: Default::default(),
            #[cfg(feature = "fault-injection")]
            faults: Arc::new(Mutex::new(faults::Faults::from_env())),
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
