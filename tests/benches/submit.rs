//! Benchmark (not a test): `harbor submit` of 1,000 promoted items carrying 1 GB of
//! attachments to a local `harbor-pso` over TLS, beside a plain TLS upload of the same
//! number of bytes to the same server (`serve --bench-sink`), once with rustls (the
//! client's own stack) and once with curl when it is installed.
//!
//! Run: `cargo build --release -p harbor-cli -p harbor-pso && cargo bench -p harbor-e2e
//! --bench submit`. `HARBOR_BENCH_ITEMS` and `HARBOR_BENCH_ATTACHMENT_BYTES` change the
//! size (default 1,000 × 1,000,000 bytes). It needs about 5 GB of free space in TMPDIR.
//! It prints the lines `docs/benchmarks.md` records.

use harbor::{KdfParams, Passphrase, Profile, RecordKind};
use harbor_e2e::{harbor_bin, pso_bin};
use serde_json::json;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASS: &str = "tidal-orchid-ledger-42";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Deterministic incompressible bytes.
struct Noise(u64);

impl Read for Noise {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        for chunk in buf.chunks_mut(8) {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            let bytes = self.0.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(buf.len())
    }
}

/// Runs a child to its end; returns its exit status, wall time and peak RSS in KiB.
#[allow(clippy::type_complexity)]
fn run_measured(mut cmd: Command) -> (i32, Duration, (i64, f64), String, Vec<(Instant, String)>) {
    let start = Instant::now();
    #[allow(clippy::zombie_processes)] // reaped by wait4 below
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().unwrap();
    let progress = std::thread::spawn(move || {
        let mut lines = Vec::new();
        let mut reader = BufReader::new(stderr);
        let mut buf = Vec::new();
        // Each progress line starts with '\r' and is written at once: a line's time is when
        // the '\r' before it arrived.
        let mut line_start = Instant::now();
        while reader.read_until(b'\r', &mut buf).unwrap_or(0) > 0 {
            let text = String::from_utf8_lossy(&buf).trim().to_owned();
            if !text.is_empty() {
                lines.push((line_start, text));
            }
            line_start = Instant::now();
            buf.clear();
        }
        lines
    });
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .ok();
    let (status, peak_kib, cpu) = wait_with_peak_rss(child.id());
    let elapsed = start.elapsed();
    let lines = progress.join().unwrap();
    // Reaped by wait4 already: this only drops the handle.
    drop(child);
    (
        libc::WEXITSTATUS(status),
        elapsed,
        (peak_kib, cpu),
        stdout,
        lines,
    )
}

/// Waits for our child `pid` to end; returns its wait status, its peak RSS (KiB) and its
/// CPU seconds, which the kernel keeps in the child's resource usage.
#[allow(unsafe_code)]
fn wait_with_peak_rss(pid: u32) -> (i32, i64, f64) {
    let mut status = 0;
    // SAFETY: rusage is a plain C struct of integers; all zeros is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits on our own child's pid, with pointers to live locals.
    let rc = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid as libc::pid_t, "wait4");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        status,
        usage.ru_maxrss,
        secs(usage.ru_utime) + secs(usage.ru_stime),
    )
}

/// CPU seconds a running process has used so far (from /proc).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    ticks / 100.0
}

fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo test --benches` lists benchmarks; this one only runs under `cargo bench`.
        return;
    }
    let items = env_or("HARBOR_BENCH_ITEMS", 1000);
    let each = env_or("HARBOR_BENCH_ATTACHMENT_BYTES", 1_000_000);
    let root = tempfile::tempdir().expect("tempdir");
    let vault = root.path().join("vault");
    let data = root.path().join("pso");

    // The PSO, serving the intake API and the sink.
    let out = Command::new(pso_bin())
        .args(["init", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = Command::new(pso_bin())
        .args(["agency", "add", "Bench EMS", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("enrolment token (shown once): "))
        .unwrap()
        .trim()
        .to_owned();
    let mut server = Command::new(pso_bin())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--self-signed",
            "--bench-sink",
            "--data",
        ])
        .arg(&data)
        .stdout(Stdio::piped())
        .spawn()
        .map(Server)
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned()
        + "/";
    let cert_path = data.join("tls/cert.pem");
    let cert = std::fs::read_to_string(&cert_path).unwrap();

    // A vault with `items` promoted call reviews, each with one attachment.
    let setup = Instant::now();
    let pass = Passphrase::new(PASS.to_owned());
    let (mut s, _code) = harbor::init(&vault, "admin", &pass, KdfParams::DEFAULT).unwrap();
    s.pso_enroll(&url, &token, Some(&cert_path)).unwrap();
    let inputs: Vec<_> = (0..items)
        .map(|n| json!({"call": {"pcr_number": format!("B-{n}"), "call_date": "2026-11-02"}, "status": "closed"}))
        .collect();
    let ids = s.create_records(RecordKind::CallReview, &inputs).unwrap();
    let file = root.path().join("attachment.bin");
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let mut buf = vec![0u8; each];
    for id in &ids {
        noise.read_exact(&mut buf).unwrap();
        std::fs::write(&file, &buf).unwrap();
        s.attach(id, &file).unwrap();
    }
    std::fs::remove_file(&file).unwrap();
    s.preview_promotion(&ids, Profile::Identifiable, &Default::default())
        .unwrap();
    s.promote(&ids).unwrap();
    s.lock();
    eprintln!("set-up: {} items in {:.1?}", items, setup.elapsed());

    // `harbor submit`, as a user runs it.
    let mut cmd = Command::new(harbor_bin());
    cmd.env("HARBOR_VAULT", &vault)
        .env("HARBOR_USER", "admin")
        .env("HARBOR_PASSPHRASE", PASS)
        .args(["--json", "submit"]);
    let server_cpu_before = cpu_seconds(server.0.id());
    let started = Instant::now();
    let (code, total_time, (peak_kib, client_cpu), stdout, progress) = run_measured(cmd);
    let server_cpu = cpu_seconds(server.0.id()) - server_cpu_before;
    assert_eq!(code, 0, "harbor submit failed: {stdout} {progress:?}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["reported"], items);
    // The bytes sent and when the last of them was acknowledged (the rest is the commit:
    // the PSO opens, checks and stores everything, then signs the receipt).
    let (uploaded_at, bytes) = progress
        .iter()
        .filter_map(|(t, l)| {
            let (sent, total) = l
                .strip_prefix("sending: ")?
                .strip_suffix(" bytes")?
                .split_once('/')?;
            let (sent, total): (u64, u64) = (sent.parse().ok()?, total.parse().ok()?);
            (sent == total).then_some((*t, total))
        })
        .next_back()
        .expect("progress reached the total");
    let first_progress = progress.first().map(|(t, _)| *t).unwrap();
    let upload_time = uploaded_at - first_progress;
    // Before the first byte: start, unlock (Argon2id), sealing the items, the manifest.
    let prepare_time = first_progress - started;
    // After the last byte: the commit (the PSO checks and stores), the receipt, the ledger.
    let commit_time = total_time.saturating_sub(prepare_time + upload_time);

    // Plain TLS uploads of the same number of bytes to the same server, from a file read
    // once beforehand (so from the page cache, as the vault's pages are), streamed.
    let plain_file = root.path().join("plain-upload.bin");
    std::io::copy(
        &mut Noise(7).take(bytes),
        &mut std::io::BufWriter::new(std::fs::File::create(&plain_file).unwrap()),
    )
    .unwrap();
    std::io::copy(
        &mut std::fs::File::open(&plain_file).unwrap(),
        &mut std::io::sink(),
    )
    .unwrap();
    let http = reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.as_bytes()).unwrap())
        .timeout(Duration::from_secs(3600))
        .build()
        .unwrap();
    let t = Instant::now();
    let resp = http
        .put(format!("{url}bench/sink"))
        .body(reqwest::blocking::Body::sized(
            std::fs::File::open(&plain_file).unwrap(),
            bytes,
        ))
        .send()
        .unwrap();
    assert!(resp.status().is_success());
    let rustls_time = t.elapsed();
    let curl = Command::new("curl")
        .arg("--version")
        .output()
        .is_ok()
        .then(|| {
            let t = Instant::now();
            // -T streams the file (a PUT); --data-binary would read it all into memory first.
            let status = Command::new("curl")
                .args(["-sS", "-o", "/dev/null", "--cacert"])
                .arg(&cert_path)
                .args(["-H", "Expect:", "-T"])
                .arg(&plain_file)
                .arg(format!("{url}bench/sink"))
                .status()
                .unwrap();
            assert!(status.success());
            t.elapsed()
        });
    drop(server);

    println!(
        "harbor submit: {items} items, {bytes} bytes sealed, {:.1} s in all ({:.1} MB/s): prepare {:.2} s, upload {:.1} s ({:.1} MB/s), commit {:.2} s; peak RSS {:.1} MiB; CPU client {client_cpu:.1} s, server {server_cpu:.1} s",
        total_time.as_secs_f64(),
        mb_per_s(bytes, total_time),
        prepare_time.as_secs_f64(),
        upload_time.as_secs_f64(),
        mb_per_s(bytes, upload_time),
        commit_time.as_secs_f64(),
        peak_kib as f64 / 1024.0
    );
    println!(
        "plain TLS upload, reqwest/rustls: {:.1} s ({:.1} MB/s)",
        rustls_time.as_secs_f64(),
        mb_per_s(bytes, rustls_time)
    );
    if let Some(d) = curl {
        println!(
            "plain TLS upload, curl: {:.1} s ({:.1} MB/s)",
            d.as_secs_f64(),
            mb_per_s(bytes, d)
        );
    }
}

/// The PSO the benchmark runs, stopped however the benchmark ends: a failed step used to
/// leave it serving, holding the output pipe open.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
