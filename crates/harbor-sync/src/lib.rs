//! The client side of the PSO intake API.
//!
//! - TLS only: a plain `http://` URL is refused unless its host is loopback (tests);
//!   certificates are verified (a PSO's own CA can be added with `--ca-cert`).
//! - Every call says whether retrying can help ([`SyncError::is_permanent`]): 4xx answers
//!   other than 408 and 429 are permanent and carry the server's reason; everything else
//!   (5xx, timeouts, cut connections) is retried with exponential backoff and jitter.
//! - Items upload in chunks; before sending, the client asks the server how much of the
//!   item it already has, so an interrupted upload resumes where it stopped. A new
//!   submission streams its pieces over several connections, small items batched
//!   ([`Piece::Batch`]) so that they cost a few round trips rather than one each.

mod warm;
pub use warm::seed_random_in_background;

use backon::{BackoffBuilder, BlockingRetryable, ExponentialBuilder};
use harbor_protocol::http::{
    EnrolReply, EnrolRequest, ErrorReply, KeysReply, ReceivedReply, SubmissionReply, WireErrorCode,
};
use harbor_protocol::{SignedManifest, SignedReceipt};
use serde::de::{DeserializeOwned, IgnoredAny};
use std::time::Duration;

/// Connections a new submission streams its pieces over, at most. Each piece is a request
/// that waits for its answer, so one lane leaves client and PSO taking turns; eight kept
/// both busy on the benchmark (1 GB in 1,000 attachments: 2 lanes 3.4 s, 4 lanes 3.1-3.2 s,
/// 8 lanes 2.9-3.1 s), and cost at most sixteen pieces (16 MiB) of memory.
const UPLOAD_LANES: usize = 8;

/// Pieces in flight at the start: more are allowed only as answers come back fast (see
/// [`widen`]), so that on a slow uplink the pieces do not share it so thinly that each
/// outlasts the request timeout.
const FIRST_LANES: usize = 2;

/// The pieces of a streamed upload on the way, and how many may be.
#[derive(Debug, Default)]
struct Window {
    in_flight: usize,
    allowed: usize,
    /// Bytes acknowledged so far.
    acked: u64,
    lane_failed: bool,
}

impl Window {
    /// Takes a lane's answer: a piece's size and how long it took, or `None` when the lane
    /// stopped at a failed request.
    fn answered(&mut self, ack: Option<(u64, Duration)>, timeout: Duration) {
        match ack {
            Some((n, took)) => {
                self.acked += n;
                self.in_flight = self.in_flight.saturating_sub(1);
                self.allowed = widen(self.allowed, took, timeout);
            }
            None => self.lane_failed = true,
        }
    }
}

/// How many pieces may be in flight after one was answered in `took`: one more when it
/// took under a sixteenth of the request timeout, so that eight pieces sharing the link
/// would still finish in half of it; else as many as before. At most one sending and one
/// waiting on each lane.
fn widen(allowed: usize, took: Duration, timeout: Duration) -> usize {
    if took < timeout / 16 {
        (allowed + 1).min(2 * UPLOAD_LANES)
    } else {
        allowed
    }
}

/// Size of one uploaded chunk.
pub const CHUNK: usize = 1024 * 1024;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The URL is not https (and not loopback http).
    #[error("the PSO URL must use https (plain http is allowed only to this computer): {0}")]
    InsecureUrl(String),
    /// The URL does not parse.
    #[error("not a URL: {0}")]
    BadUrl(String),
    /// A CA certificate file that is not PEM.
    #[error("the CA certificate is not a PEM certificate: {0}")]
    BadCaCert(String),
    /// The server answered with a refusal that retrying cannot fix.
    #[error("the PSO refused ({status} {code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's error code.
        code: WireErrorCode,
        /// The server's reason.
        message: String,
    },
    /// The server's certificate is not trusted: retrying cannot help.
    #[error(
        "the PSO's TLS certificate is not trusted ({0}): check the URL, or give the PSO's CA with --ca-cert"
    )]
    Untrusted(String),
    /// The local content to upload could not be read (the vault refused): retrying the
    /// network cannot help.
    #[error("the content to upload could not be read: {0}")]
    Source(String),
    /// A failure that retrying may fix (network, timeout, 5xx, 408, 429).
    #[error("the PSO could not be reached or failed ({0}); nothing is lost, try again")]
    Transient(String),
}

impl SyncError {
    /// Whether retrying cannot help.
    pub fn is_permanent(&self) -> bool {
        !matches!(self, SyncError::Transient(_))
    }
}

/// A connection to one PSO for one agency.
#[derive(Debug, Clone)]
pub struct PsoClient {
    base: reqwest::Url,
    token: String,
    http: reqwest::blocking::Client,
    timeout: Duration,
    retries: usize,
}

/// What one upload request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Bytes of one part (an item or a blob) from an offset.
    Part {
        /// The item or blob id.
        part: String,
        /// Where the bytes start in the part's sealed form.
        offset: u64,
        /// The sealed bytes.
        bytes: Vec<u8>,
    },
    /// Several small parts in one request: a body of frames built with
    /// [`harbor_protocol::push_batch_frame`], each frame a part from its first byte.
    Batch {
        /// The request body.
        body: Vec<u8>,
        /// How many parts' bytes the frames carry, together.
        bytes: u64,
    },
}

impl Piece {
    /// The part bytes it carries (what progress counts).
    fn len(&self) -> u64 {
        match self {
            Piece::Part { bytes, .. } => bytes.len() as u64,
            Piece::Batch { bytes, .. } => *bytes,
        }
    }
}

/// What creating a submission found.
#[derive(Debug, Clone)]
pub struct Created {
    /// The receipt, if the submission was committed already (a replay).
    pub receipt: Option<SignedReceipt>,
    /// Whether the server created it just now (so it holds none of its bytes yet).
    pub new: bool,
}

/// A transport error: certificate problems are permanent, the rest may pass.
fn classify(e: reqwest::Error) -> SyncError {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    if chain.contains("certificate") || chain.contains("UnknownIssuer") {
        SyncError::Untrusted(chain)
    } else {
        SyncError::Transient(chain)
    }
}

impl PsoClient {
    /// A client for `url` with the agency's bearer token; `ca_pem` adds a trusted CA.
    /// Requests time out after 60 seconds (see [`PsoClient::with_timeout`]).
    pub fn new(url: &str, token: &str, ca_pem: Option<&[u8]>) -> Result<Self, SyncError> {
        Self::with_timeout(url, token, ca_pem, Duration::from_secs(60))
    }

    /// A client whose requests time out (and are retried) after `timeout`.
    pub fn with_timeout(
        url: &str,
        token: &str,
        ca_pem: Option<&[u8]>,
        timeout: Duration,
    ) -> Result<Self, SyncError> {
        let base = reqwest::Url::parse(url).map_err(|_| SyncError::BadUrl(url.to_owned()))?;
        let loopback = match base.host_str() {
            Some("localhost") => true,
            Some(h) => h
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()),
            None => false,
        };
        match base.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => return Err(SyncError::InsecureUrl(url.to_owned())),
        }
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            .https_only(!loopback);
        if let Some(pem) = ca_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| SyncError::BadCaCert(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| SyncError::Transient(e.to_string()))?;
        Ok(PsoClient {
            base,
            timeout,
            token: token.to_owned(),
            http,
            retries: 5,
        })
    }

    fn url(&self, path: &str) -> reqwest::Url {
        self.base.join(path).expect("paths are relative")
    }

    fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(10))
            .with_max_times(self.retries)
            .with_jitter()
    }

    fn call<T>(&self, f: impl FnMut() -> Result<T, SyncError>) -> Result<T, SyncError> {
        f.retry(self.backoff()).when(|e| !e.is_permanent()).call()
    }

    /// Sends `req` and reads the answer as `T`, or the refusal as an [`ErrorReply`].
    fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::blocking::RequestBuilder,
    ) -> Result<T, SyncError> {
        let resp = req.bearer_auth(&self.token).send().map_err(classify)?;
        let status = resp.status();
        let body = resp.bytes().map_err(classify)?;
        if status.is_success() {
            // A cut or garbled answer: the request may be repeated (every route is
            // idempotent), so it is retried like a cut connection.
            return serde_json::from_slice(&body).map_err(|e| {
                SyncError::Transient(format!("the PSO's answer is not readable ({e})"))
            });
        }
        let (code, message) = match serde_json::from_slice::<ErrorReply>(&body) {
            Ok(reply) => (reply.error.code, reply.error.message),
            Err(_) => (WireErrorCode::Unknown, String::new()),
        };
        if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
            Err(SyncError::Refused {
                status: status.as_u16(),
                code,
                message,
            })
        } else {
            Err(SyncError::Transient(format!("{status} {message}")))
        }
    }

    /// The PSO's public keys.
    pub fn keys(&self) -> Result<KeysReply, SyncError> {
        self.call(|| self.send(self.http.get(self.url("v1/keys"))))
    }

    /// Registers the agency's signing key; returns the agency id.
    pub fn enroll(&self, signing_key_hex: &str) -> Result<String, SyncError> {
        let request = EnrolRequest {
            signing_key: signing_key_hex.to_owned(),
        };
        let reply: EnrolReply =
            self.call(|| self.send(self.http.post(self.url("v1/enroll")).json(&request)))?;
        Ok(reply.agency_id)
    }

    /// Creates (or finds again) a submission.
    pub fn create(&self, signed: &SignedManifest) -> Result<Created, SyncError> {
        let path = format!("v1/submissions/{}", signed.manifest.submission_id);
        let reply: SubmissionReply =
            self.call(|| self.send(self.http.put(self.url(&path)).json(signed)))?;
        Ok(Created {
            receipt: reply.receipt,
            new: reply.new,
        })
    }

    /// Uploads a blob of `len` bytes produced piece by piece: `piece(offset)` returns the
    /// bytes from `offset` (at most about [`CHUNK`] of them), so the whole blob never sits
    /// in memory. Resumes from what the server has (asked first, unless `fresh`: the
    /// submission was just created, so it has nothing); `progress` gets the bytes it holds.
    /// A `piece` failure stops the upload as a permanent error with its reason.
    pub fn upload_from(
        &self,
        submission: &str,
        item: &str,
        len: u64,
        fresh: bool,
        piece: &mut dyn FnMut(u64) -> Result<Vec<u8>, String>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), SyncError> {
        let path = format!("v1/submissions/{submission}/items/{item}");
        let mut have = if fresh { 0 } else { self.received(&path)? };
        let mut delays = self.backoff().build();
        loop {
            progress(have);
            if have >= len {
                return Ok(());
            }
            let chunk = piece(have).map_err(SyncError::Source)?;
            if chunk.is_empty() {
                return Err(SyncError::Source(format!(
                    "item {item} ended at {have} of {len} bytes"
                )));
            }
            let mut url = self.url(&path);
            url.query_pairs_mut()
                .append_pair("offset", &have.to_string());
            match self.send::<ReceivedReply>(self.http.patch(url).body(chunk)) {
                Ok(v) => {
                    have = v.received;
                    delays = self.backoff().build();
                }
                // Someone (a retry after a lost answer) already stored it: ask again.
                Err(SyncError::Refused {
                    status: 409,
                    code: WireErrorCode::OffsetMismatch,
                    ..
                }) => have = self.received(&path)?,
                // A cut connection or a 5xx: ask what arrived (with backoff), go on from there.
                Err(e) if !e.is_permanent() => {
                    let Some(delay) = delays.next() else {
                        return Err(e);
                    };
                    std::thread::sleep(delay);
                    have = self.received(&path)?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sends the pieces `next_piece` produces (part id, offset, bytes), in order, each
    /// while the next one is being produced, so reading and sealing overlap the network.
    /// Returns whether every piece was stored. At the first failed request it stops and
    /// returns `false` (or the error, if it is permanent): the caller then resumes part by
    /// part with [`PsoClient::upload_from`], which asks the server what it holds and retries
    /// with backoff. `progress` gets the bytes acknowledged so far.
    pub fn upload_stream(
        &self,
        submission: &str,
        next_piece: &mut dyn FnMut() -> Option<Result<Piece, String>>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<bool, SyncError> {
        std::thread::scope(|scope| {
            // Several connections, each with one piece in flight and one waiting: the PSO
            // receives some while it stores others, and memory stays at a few pieces. The
            // pieces of one part go down one lane, in order (the server appends). Each lane
            // answers every piece: its size and how long it took, or that it failed.
            let (acks, acked) = std::sync::mpsc::channel::<Option<(u64, Duration)>>();
            let lanes: Vec<_> = (0..UPLOAD_LANES)
                .map(|_| {
                    let (pieces, queue) = std::sync::mpsc::sync_channel::<Piece>(1);
                    let acks = acks.clone();
                    let sender = scope.spawn(move || {
                        for piece in queue {
                            let n = piece.len();
                            let request = match piece {
                                Piece::Part {
                                    part,
                                    offset,
                                    bytes,
                                } => {
                                    let mut url = self
                                        .url(&format!("v1/submissions/{submission}/items/{part}"));
                                    url.query_pairs_mut()
                                        .append_pair("offset", &offset.to_string());
                                    self.http.patch(url).body(bytes)
                                }
                                Piece::Batch { body, .. } => self
                                    .http
                                    .patch(self.url(&format!("v1/submissions/{submission}/items")))
                                    .body(body),
                            };
                            let started = std::time::Instant::now();
                            if let Err(e) = self.send::<IgnoredAny>(request) {
                                let _ = acks.send(None);
                                return Err(e);
                            }
                            let _ = acks.send(Some((n, started.elapsed())));
                        }
                        Ok::<(), SyncError>(())
                    });
                    (pieces, sender)
                })
                .collect();
            drop(acks);
            let mut failed = None;
            let mut window = Window {
                allowed: FIRST_LANES,
                ..Window::default()
            };
            let (mut lane, mut current) = (0usize, String::new());
            while let Some(piece) = next_piece() {
                for ack in acked.try_iter() {
                    window.answered(ack, self.timeout);
                }
                // Wait for an answer while as many pieces as allowed are on the way.
                while !window.lane_failed && window.in_flight >= window.allowed {
                    match acked.recv() {
                        Ok(ack) => window.answered(ack, self.timeout),
                        Err(_) => window.lane_failed = true,
                    }
                }
                progress(window.acked);
                if window.lane_failed {
                    break; // a lane stopped at a failed request
                }
                match piece {
                    Ok(p) => {
                        // A batch holds whole parts: it may go down any lane.
                        let part = match &p {
                            Piece::Part { part, .. } => part.as_str(),
                            Piece::Batch { .. } => "",
                        };
                        if part.is_empty() || part != current {
                            current = part.to_owned();
                            lane = (lane + 1) % UPLOAD_LANES;
                        }
                        if lanes[lane].0.send(p).is_err() {
                            break; // that lane stopped at a failed request
                        }
                        window.in_flight += 1;
                    }
                    Err(e) => {
                        failed = Some(SyncError::Source(e));
                        break;
                    }
                }
            }
            let results: Vec<Result<(), SyncError>> = lanes
                .into_iter()
                .map(|(pieces, sender)| {
                    drop(pieces);
                    sender.join().expect("an upload thread does not panic")
                })
                .collect();
            for ack in acked.try_iter() {
                window.answered(ack, self.timeout);
            }
            progress(window.acked);
            if let Some(e) = failed {
                return Err(e);
            }
            let mut all_stored = true;
            for r in results {
                match r {
                    Ok(()) => {}
                    // Someone already stored that piece (a lost answer): resume from the
                    // server.
                    Err(SyncError::Refused {
                        status: 409,
                        code: WireErrorCode::OffsetMismatch,
                        ..
                    }) => all_stored = false,
                    Err(e) if e.is_permanent() => return Err(e),
                    Err(_) => all_stored = false,
                }
            }
            Ok(all_stored)
        })
    }

    fn received(&self, path: &str) -> Result<u64, SyncError> {
        let reply: ReceivedReply = self.call(|| self.send(self.http.get(self.url(path))))?;
        Ok(reply.received)
    }

    /// The PSO's aggregate feedback for this agency (see `harbor-pso`'s `/v1/feedback`).
    pub fn feedback(&self) -> Result<harbor_protocol::Feedback, SyncError> {
        self.call(|| self.send(self.http.get(self.url("v1/feedback"))))
    }

    /// Commits the submission; returns the PSO's signed receipt (the same on a replay).
    pub fn commit(&self, submission: &str) -> Result<SignedReceipt, SyncError> {
        let path = format!("v1/submissions/{submission}/commit");
        self.call(|| self.send(self.http.post(self.url(&path))))
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn more_pieces_go_at_once_only_while_answers_come_back_fast() {
        let timeout = Duration::from_secs(60);
        let mut w = Window {
            allowed: FIRST_LANES,
            in_flight: 2,
            ..Window::default()
        };
        // A slow link: a piece took 10 s of a 60 s timeout; still two at a time.
        w.answered(Some((1 << 20, Duration::from_secs(10))), timeout);
        assert_eq!((w.allowed, w.in_flight, w.acked), (FIRST_LANES, 1, 1 << 20));
        // A fast one: one more per quick answer, up to the number of lanes.
        for _ in 0..3 {
            w.in_flight += 1;
            w.answered(Some((1, Duration::from_millis(5))), timeout);
        }
        assert_eq!(w.allowed, FIRST_LANES + 3);
        for _ in 0..20 {
            w.in_flight += 1;
            w.answered(Some((1, Duration::from_millis(5))), timeout);
        }
        assert_eq!(w.allowed, 2 * UPLOAD_LANES);
        assert!(!w.lane_failed);
        w.answered(None, timeout);
        assert!(w.lane_failed);
    }
}
