//! One agency cannot stall the others, nor hold the PSO's disk and memory: through the
//! real `harbor-pso` over TLS.

mod common;

use common::{Prepared, Server};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Uploads `p`'s parts piece by piece (4 MiB at most each).
fn upload_in_pieces(agency: &common::Agency<'_>, p: &Prepared) {
    let id = &p.manifest.submission_id;
    for (part, bytes) in &p.parts {
        for (n, piece) in bytes.chunks(4 << 20).enumerate() {
            let offset = n * (4 << 20);
            let path = format!("/v1/submissions/{id}/items/{part}?offset={offset}");
            let (status, answer) = agency.call(reqwest::Method::PATCH, &path, piece.to_vec());
            assert_eq!(status, 200, "{answer}");
        }
    }
}

/// Agency A uploads a 96 MiB attachment whose last segment is broken and calls commit in
/// a loop from three connections at once; agency B meanwhile submits normally, five times:
/// each of B's submissions completes while A's commits go on being refused (counted on
/// both sides of B's run, so the two overlapped). No time bound is asserted: a stall shows
/// as B never completing (the client gives up on a request after 30 s); the times are
/// printed.
///
/// This only catches a server that stops answering B, not one that makes B wait: the code
/// before this test passed it too. A blob that does not open keeps no hash, so there each
/// of A's commits read and opened the whole 96 MiB again with the store locked (about
/// 0.3 s), and B's submissions took about 3 s each instead of 15 ms, but completed.
/// [`another_agency_submits_while_a_commit_waits_on_reading_its_parts`] is the one that
/// fails on a commit that holds the store while it reads.
#[test]
fn an_agency_committing_a_huge_broken_blob_in_a_loop_does_not_stall_another() {
    let pso = Server::start();
    let a = pso.agency("Attacker EMS");
    let b = pso.agency("County EMS");

    let mut huge = a.with_attachment(&uuid::Uuid::now_v7().to_string(), &vec![7u8; 96 << 20]);
    let blob = &mut huge.parts[1].1;
    let last = blob.len() - 1;
    blob[last] ^= 1;
    let (status, answer) = a.put_manifest(&huge.manifest);
    assert_eq!(status, 201, "{answer}");
    upload_in_pieces(&a, &huge);
    let id = huge.manifest.submission_id.clone();
    drop(huge);

    let stop = Arc::new(AtomicBool::new(false));
    let refused = Arc::new(AtomicU32::new(0));
    std::thread::scope(|scope| {
        for _ in 0..3 {
            let (a, stop, refused, id) = (&a, stop.clone(), refused.clone(), id.clone());
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let path = format!("/v1/submissions/{id}/commit");
                    let (status, answer) = a.call(reqwest::Method::POST, &path, vec![]);
                    assert_ne!(status, 200, "a broken blob is never committed: {answer}");
                    if answer["error"]["code"] == "seal_broken" {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        // Let the attack get going.
        while refused.load(Ordering::Relaxed) == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut took = Vec::new();
        let before = refused.load(Ordering::Relaxed);
        for _ in 0..5 {
            let p = b.with_attachment(&uuid::Uuid::now_v7().to_string(), b"a normal scan");
            let started = Instant::now();
            let (status, answer) = b.submit(&p);
            took.push(started.elapsed());
            assert_eq!(status, 200, "{answer}");
        }
        // A's commits went on being refused until B's last submission was done.
        while refused.load(Ordering::Relaxed) == before {
            std::thread::sleep(Duration::from_millis(20));
        }
        stop.store(true, Ordering::Relaxed);
        eprintln!("agency B's submissions took {took:?}");
    });
}

/// How long the test waits for an answer before it fails instead of hanging. Nothing is
/// timed against it: on a server that works, every answer waited for here comes at once
/// (and the client gives up on a request after 30 s in any case).
const NO_ANSWER: Duration = Duration::from_secs(60);

/// Agency A's commit reads a part of its submission back from a disk that does not answer:
/// its parts file is made a named pipe that nothing writes to, so the read waits until the
/// test lets it go, and whatever that commit holds, it holds until then. Meanwhile agency
/// B submits, and each of its submissions must get its receipt: B goes on submitting until
/// the server says that A's commit is running (A's second commit of it is turned away,
/// 429 `commit_running`), then once more; only then is A's read let go.
///
/// No time is asserted. A's commit cannot end before the test ends it, so B's last receipt
/// came while it ran; a server whose commit holds the store while it reads (as the one
/// before this test did) never answers B, and the guard fails the test instead of hanging.
#[test]
fn another_agency_submits_while_a_commit_waits_on_reading_its_parts() {
    let pso = Server::start();
    let a = pso.agency("Attacker EMS");
    let b = pso.agency("County EMS");

    // A submission whose blob does not open: its first commit is refused and leaves it
    // open, and once that answer is in, every check its upload started is done.
    let mut broken = a.with_attachment(&uuid::Uuid::now_v7().to_string(), &vec![7u8; 1 << 20]);
    let blob = &mut broken.parts[1].1;
    let last = blob.len() - 1;
    blob[last] ^= 1;
    let (status, answer) = a.submit(&broken);
    assert_eq!(
        (status, &answer["error"]["code"]),
        (422, &Value::from("seal_broken")),
        "{answer}"
    );
    let id = broken.manifest.submission_id.clone();
    let file = pso.data.join(format!("parts/{}.sealed", hex::encode(&id)));
    std::fs::remove_file(&file).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &file,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
        0,
    )
    .unwrap();

    let commit = format!("/v1/submissions/{id}/commit");
    let (answered, answers) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        // Two commits of A's submission: one reads its parts, the other is turned away.
        for _ in 0..2 {
            let (a, commit, answered) = (&a, &commit, answered.clone());
            scope.spawn(move || {
                let _ = answered.send(a.call(reqwest::Method::POST, commit, vec![]));
            });
        }
        let b = &b;
        let b_submits = || {
            let p = b.with_attachment(&uuid::Uuid::now_v7().to_string(), b"a normal scan");
            let (done, receipt) = std::sync::mpsc::channel();
            scope.spawn(move || {
                let _ = done.send(b.submit(&p));
            });
            let (status, answer) = receipt.recv_timeout(NO_ANSWER).unwrap_or_else(|_| {
                panic!(
                    "agency B's submission got no answer while agency A's commit was reading \
                     its parts: that commit holds up every agency"
                )
            });
            assert_eq!(status, 200, "{answer}");
        };
        let deadline = Instant::now() + NO_ANSWER;
        let (status, answer) = loop {
            b_submits();
            if let Ok(turned_away) = answers.try_recv() {
                break turned_away;
            }
            assert!(
                Instant::now() < deadline,
                "neither of agency A's commits answered"
            );
        };
        assert_eq!(
            (status, &answer["error"]["code"]),
            (429, &Value::from("commit_running")),
            "{answer}"
        );
        // A's other commit is running, and cannot end before its read is let go.
        b_submits();

        // A writer on the pipe lets the read go; a pipe is no file, and the commit fails.
        let writer = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&file)
            .unwrap();
        let (status, answer) = answers
            .recv_timeout(NO_ANSWER)
            .expect("A's commit answers once its read is let go");
        assert_ne!(status, 200, "{answer}");
        drop(writer);
    });
}

/// A manifest that declares sizes near `u64::MAX` (where `size + 48` and the sealed length
/// overflow) is refused with 413 `too_large` and stores nothing, and the server goes on
/// serving every agency.
#[test]
fn a_manifest_declaring_sizes_near_u64_max_is_refused_and_the_pso_stays_up() {
    let pso = Server::start();
    let a = pso.agency("Attacker EMS");
    let b = pso.agency("County EMS");
    for (item_size, attachment_size) in [
        (u64::MAX, 1),
        (u64::MAX - 47, 1),
        (100, u64::MAX),
        (100, u64::MAX - 40),
        (100, 1 << 62),
    ] {
        let mut p = a.with_attachment(&uuid::Uuid::now_v7().to_string(), b"x");
        if item_size != 100 {
            p.manifest.items[0].size = item_size;
        }
        p.manifest.items[0].attachments[0].size = attachment_size;
        let (status, answer) = a.put_manifest(&p.manifest);
        assert_eq!(
            (status, &answer["error"]["code"]),
            (413, &Value::from("too_large")),
            "item {item_size}, attachment {attachment_size}: {answer}"
        );
        let path = format!("/v1/submissions/{}", p.manifest.submission_id);
        assert_eq!(a.call(reqwest::Method::GET, &path, vec![]).0, 404);
    }
    let p = b.with_attachment(&uuid::Uuid::now_v7().to_string(), b"a normal scan");
    let (status, answer) = b.submit(&p);
    assert_eq!(
        status, 200,
        "the PSO still serves the other agency: {answer}"
    );
}

/// An agency may hold only so many submissions open, and only so many declared bytes
/// (429 `quota_exceeded`, retryable); another agency is not affected, and committing one
/// makes room again.
#[test]
fn an_agency_cannot_hold_more_open_submissions_or_bytes_than_its_quota() {
    let pso = Server::start_with(&["--max-open-submissions", "2", "--max-open-bytes", "2000000"]);
    let a = pso.agency("Attacker EMS");
    let b = pso.agency("County EMS");
    let fresh = || a.with_attachment(&uuid::Uuid::now_v7().to_string(), b"x");
    let first = fresh();
    for p in [&first, &fresh()] {
        let (status, answer) = a.put_manifest(&p.manifest);
        assert_eq!(status, 201, "{answer}");
    }
    let (status, answer) = a.put_manifest(&fresh().manifest);
    assert_eq!(
        (status, &answer["error"]["code"]),
        (429, &Value::from("quota_exceeded")),
        "{answer}"
    );
    // The other agency still submits.
    let (status, answer) = b.submit(&b.with_attachment(&uuid::Uuid::now_v7().to_string(), b"y"));
    assert_eq!(status, 200, "{answer}");
    // Committing one makes room.
    let (status, answer) = a.upload_and_commit(&first);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = a.put_manifest(&fresh().manifest);
    assert_eq!(status, 201, "{answer}");

    // Declared bytes count too: one attachment larger than what is left of the quota.
    let big = b.with_attachment(&uuid::Uuid::now_v7().to_string(), &vec![1u8; 1_500_000]);
    let (status, answer) = b.put_manifest(&big.manifest);
    assert_eq!(status, 201, "{answer}");
    let bigger = b.with_attachment(&uuid::Uuid::now_v7().to_string(), &vec![1u8; 600_000]);
    let (status, answer) = b.put_manifest(&bigger.manifest);
    assert_eq!(
        (status, &answer["error"]["code"]),
        (429, &Value::from("quota_exceeded")),
        "{answer}"
    );
}

/// A submission left open past the expiry is discarded with its parts when the server
/// starts (and every minute while it runs); the agency can send it again under the same
/// id, and a committed one is never touched.
#[test]
fn an_abandoned_open_submission_expires_and_its_parts_go() {
    let mut pso = Server::start();
    let a = pso.agency("County EMS");
    let abandoned = a.with_attachment(&uuid::Uuid::now_v7().to_string(), &vec![3u8; 100_000]);
    let (status, answer) = a.put_manifest(&abandoned.manifest);
    assert_eq!(status, 201, "{answer}");
    let id = abandoned.manifest.submission_id.clone();
    let path = format!(
        "/v1/submissions/{id}/items/{}?offset=0",
        abandoned.parts[1].0
    );
    let (status, _) = a.call(
        reqwest::Method::PATCH,
        &path,
        abandoned.parts[1].1[..50_000].to_vec(),
    );
    assert_eq!(status, 200);
    let done = a.with_attachment(&uuid::Uuid::now_v7().to_string(), b"kept");
    assert_eq!(a.submit(&done).0, 200);
    let data = pso.data.clone();
    let parts_file = |id: &str| data.join(format!("parts/{}.sealed", hex::encode(id)));
    assert!(parts_file(&id).exists());
    let (agency_id, token, secret, receive_key) = (
        a.id.clone(),
        a.token.clone(),
        a.key.secret(),
        a.receive_key.clone(),
    );
    drop(a);

    std::thread::sleep(Duration::from_millis(1100));
    pso.restart(&["--open-expiry-secs", "1"]);
    let a = common::Agency {
        server: &pso,
        id: agency_id,
        token,
        key: harbor_protocol::AgencySigningKey::from_secret(&secret),
        receive_key,
    };
    // Expired at start: gone, with its file; the committed one stays.
    let state = |id: &str| {
        a.call(
            reqwest::Method::GET,
            &format!("/v1/submissions/{id}"),
            vec![],
        )
        .0
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while state(&id) != 404 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(state(&id), 404, "the abandoned submission expired");
    assert!(!parts_file(&id).exists(), "its parts went with it");
    assert_eq!(state(&done.manifest.submission_id), 200);
    // Sent again, it starts afresh under the same id.
    let (status, answer) = a.put_manifest(&abandoned.manifest);
    assert_eq!(status, 201, "{answer}");
}

/// Past the connection cap a new connection is closed at once, so that idle sockets held
/// open by one client cannot take every place; once one closes, the server serves again.
#[test]
fn connections_past_the_cap_are_closed_until_one_frees_its_place() {
    let pso = Server::start_with(&["--max-connections", "2"]);
    let health = format!("{}/v1/health", pso.url);
    let addr = pso.url.trim_start_matches("https://").to_owned();
    let held: Vec<_> = (0..2)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        pso.http.get(&health).send().is_err(),
        "a third connection is not served"
    );
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let answer = pso.http.get(&health).send().unwrap();
    assert_eq!(answer.status().as_u16(), 200);
}
