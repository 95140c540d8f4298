//! Faults injected for tests of the client's error handling. They exist only in a build
//! with the `fault-injection` feature (`scripts/test.sh` builds one into
//! `target/debug/pso-faults/` for the end-to-end tests); in every other build
//! [`Shared::fault`] is `None`, [`injected`] passes and `HARBOR_PSO_FAULTS` is never read.

// A release build that injects faults is a mistake whoever makes it: refuse to compile one.
#[cfg(all(feature = "fault-injection", not(debug_assertions)))]
compile_error!(
    "fault-injection is for test builds: build harbor-pso with it only in the dev profile"
);

use super::{ApiError, ApiResult, Shared};
use axum::http::StatusCode;
use harbor_protocol::http::WireErrorCode as W;

/// Faults for tests of the client's error handling, from `HARBOR_PSO_FAULTS`, e.g.
/// `commit=503x2,chunk=500x1,manifest=422x1,commit_after_store=503x1`: answer the point
/// with that status that many times. `commit_after_store` stores the submission and then
/// answers with the error, as a server that dies after committing would; `tamper_receipt`
/// alters the receipt it sends back (the stored one stays intact); `chunk_stall=Sx1` stores
/// a chunk and then waits S seconds before answering.
///
/// With `HARBOR_PSO_FAULTS_LOG=FILE` each fault that fires appends a line `POINT STATUS` to
/// FILE, so that a test can tell a fault happened rather than assume it.
#[cfg(feature = "fault-injection")]
#[derive(Debug, Default)]
pub struct Faults(Vec<(String, u16, u32)>, Option<std::path::PathBuf>);

#[cfg(feature = "fault-injection")]
impl Faults {
    /// The faults `HARBOR_PSO_FAULTS` names, noted in `HARBOR_PSO_FAULTS_LOG` if set.
    pub fn from_env() -> Self {
        let faults = std::env::var("HARBOR_PSO_FAULTS")
            .map(|s| Faults::parse(&s))
            .unwrap_or_default();
        match std::env::var_os("HARBOR_PSO_FAULTS_LOG") {
            Some(log) => faults.logged_to(log.into()),
            None => faults,
        }
    }

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

impl Shared {
    /// Takes one injected fault for `point`, if any is left.
    #[cfg(feature = "fault-injection")]
    pub(super) fn fault(&self, point: &str) -> Option<u16> {
        let mut f = self.faults.lock().expect("faults lock");
        let entry = f.0.iter_mut().find(|(p, _, n)| p == point && *n > 0)?;
        entry.2 -= 1;
        let status = entry.1;
        f.fired(point, status);
        Some(status)
    }

    /// No fault is ever injected in a build without `fault-injection`.
    #[cfg(not(feature = "fault-injection"))]
    pub(super) fn fault(&self, _point: &str) -> Option<u16> {
        None
    }
}

/// Answers `point` with the injected fault's status, if one is left for it.
pub(super) fn injected(shared: &Shared, point: &str) -> ApiResult<()> {
    match shared.fault(point) {
        Some(status) => Err(ApiError(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            W::InjectedFault,
            format!("injected fault at {point}"),
        )),
        None => Ok(()),
    }
}

/// A server that stored the chunk and then answers too late (a test of client timeouts).
pub(super) async fn stall_if_asked(shared: &Shared) {
    if let Some(seconds) = shared.fault("chunk_stall") {
        tokio::time::sleep(std::time::Duration::from_secs(seconds.into())).await;
    }
}
