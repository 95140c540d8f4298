//! A writer killed with SIGKILL at random moments, 200 times: every record whose create
//! returned is there, the database is intact and the audit chain verifies.

use harbor_e2e::*;
use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 200;

fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn committed_records_survive_sigkill() {
    let s = Scratch::new();
    s.init();
    s.add_user("qa", "quality_officer");
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("crash test seed {seed}");
    let writer = env!("CARGO_BIN_EXE_harbor-crash-writer");
    let mut confirmed = BTreeSet::new();
    let mut killed_mid_write = 0;
    for round in 0..KILLS {
        let mut child = Command::new(writer)
            .env("HARBOR_VAULT", s.vault())
            .env("HARBOR_USER", "qa")
            .env("HARBOR_PASSPHRASE", PASSPHRASE)
            .env("TMPDIR", s.tmp())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill somewhere between start-up (unlock) and well into the writing.
        let wait = Duration::from_millis(20 + xorshift(&mut seed) % 180);
        let started = Instant::now();
        while started.elapsed() < wait {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the writer exited by itself in round {round}: {status}");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // SIGKILL: no destructors, no flush, no checkpoint.
        let rc = unsafe_kill(child.id());
        assert_eq!(rc, 0, "kill failed");
        let _ = child.wait();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let ids: Vec<&str> = out.lines().filter(|l| l.len() == 36).collect();
        if !ids.is_empty() {
            killed_mid_write += 1;
        }
        confirmed.extend(ids.into_iter().map(str::to_owned));
    }
    println!(
        "{KILLS} kills, {killed_mid_write} while writing, {} records confirmed",
        confirmed.len()
    );
    assert!(
        killed_mid_write > KILLS / 4,
        "too few kills landed while writing"
    );

    let check = s.harbor("admin").args(["vault", "check"]).output().unwrap();
    assert_ok(&check);
    let verify = s
        .harbor("admin")
        .args(["--json", "audit", "verify"])
        .output()
        .unwrap();
    assert!(ok_json(&verify)["first_bad"].is_null());

    let mut stored = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let mut cmd = s.harbor("qa");
        cmd.args(["--json", "record", "list", "--limit", "1000"]);
        if let Some(a) = &after {
            cmd.args(["--after", a]);
        }
        let page = ok_json(&cmd.output().unwrap());
        for item in page["items"].as_array().unwrap() {
            stored.insert(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = Some(c.to_owned()),
            None => break,
        }
    }
    let lost: Vec<_> = confirmed.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} confirmed records lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
}

#[allow(unsafe_code)]
fn unsafe_kill(pid: u32) -> i32 {
    // SAFETY: sends a signal to our own child process by pid; no memory is touched.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) }
}
