//! Attacks on the unlock throttle and on the vault folder's permissions, through the real
//! `harbor` binary.

use harbor_e2e::*;
use std::process::{Command, Stdio};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn throttle_file(s: &Scratch) -> serde_json::Value {
    let text = std::fs::read_to_string(s.vault().join("unlock-throttle.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn wrong(s: &Scratch) -> Command {
    let mut cmd = s.harbor("admin");
    cmd.env("HARBOR_PASSPHRASE", "not-the-right-passphrase")
        .args(["record", "list"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn twenty_parallel_wrong_passphrases_do_not_all_get_past_the_throttle() {
    let s = Scratch::new();
    s.init();
    let children: Vec<_> = (0..20).map(|_| wrong(&s).spawn().unwrap()).collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|c| code(&c.wait_with_output().unwrap()))
        .collect();
    let guessed = codes.iter().filter(|&&c| c == 3).count();
    let throttled = codes.iter().filter(|&&c| c == 4).count();
    assert_eq!(guessed + throttled, 20, "exit codes {codes:?}");
    // Three free attempts, then waits of 1 s, 2 s, 4 s...: however the twenty processes are
    // scheduled, only a handful may run Argon2 against the passphrase.
    assert!(
        guessed <= 6,
        "{guessed} of 20 parallel attempts got past the throttle: {codes:?}"
    );
    // And none of the failures is lost for the audit chain.
    let t = throttle_file(&s);
    let tags = t["tags"].as_object().unwrap();
    let counted: u64 = tags.values().map(|f| f["count"].as_u64().unwrap()).sum();
    let unaudited: usize = tags
        .values()
        .map(|f| f["unaudited"].as_array().unwrap().len())
        .sum();
    assert_eq!(counted, guessed as u64, "failures lost by racing writers");
    assert_eq!(unaudited, guessed, "failures lost for the audit chain");
}

#[test]
fn a_throttle_file_overwritten_with_garbage_makes_the_next_attempt_wait_not_reset() {
    let s = Scratch::new();
    s.init();
    for _ in 0..3 {
        assert_eq!(code(&wrong(&s).output().unwrap()), 3);
    }
    let path = s.vault().join("unlock-throttle.json");
    std::fs::write(&path, b"\x00garbage, not json").unwrap();
    // Even the right passphrase must wait: garbage is not "no failures".
    let out = s.harbor("admin").args(["record", "list"]).output().unwrap();
    assert_eq!(
        code(&out),
        4,
        "a garbage throttle file reset the count: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The wait is counted from when the file was written; once it is over, the unlock
    // works and the audit chain says the throttle file was found unreadable.
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(16 * 60);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(past)
        .unwrap();
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
    let log = ok_json(
        &s.harbor("admin")
            .args(["--json", "audit", "log", "--limit", "1000"])
            .output()
            .unwrap(),
    );
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "vault.throttle_unreadable"),
        "the unreadable throttle file is not in the audit chain"
    );
}

#[cfg(unix)]
fn modes(dir: &std::path::Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = vec![(
        ".".to_owned(),
        std::fs::metadata(dir).unwrap().permissions().mode() & 0o777,
    )];
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        out.push((
            e.file_name().to_string_lossy().into_owned(),
            e.metadata().unwrap().permissions().mode() & 0o777,
        ));
    }
    out.sort();
    out
}

#[cfg(unix)]
fn assert_private(dir: &std::path::Path, when: &str) {
    for (name, mode) in modes(dir) {
        let want = if name == "." { 0o700 } else { 0o600 };
        assert_eq!(
            mode, want,
            "{when}: {name} is {mode:o}, must be {want:o} whatever the umask"
        );
    }
}

#[cfg(unix)]
#[test]
fn vault_files_are_private_after_init_unlock_failure_backup_and_checkpoint() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    // The harness runs with the default umask (022): the test must not depend on a
    // stricter one.
    s.init();
    assert_private(&s.vault(), "after init");
    assert_eq!(code(&wrong(&s).output().unwrap()), 3);
    assert!(s.vault().join("unlock-throttle.json").exists());
    s.create_record(
        "admin",
        "call_review",
        &serde_json::json!({"call": {"pcr_number": "PK-1", "call_date": "2026-10-01", "unit": "Medic 7"},
            "status": "pending_medical_director", "recommendations": "mode check"}),
    );
    assert_private(&s.vault(), "after a failed unlock and a write");
    let backup = s.work().join("vault.hbk");
    assert_ok(
        &s.harbor("admin")
            .args(["backup", "--out", backup.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup is {mode:o}");
    // A WAL checkpoint (on close) rewrites vault.db and truncates the -wal.
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
    assert_private(&s.vault(), "after backup and checkpoint");
}

#[cfg(unix)]
#[test]
fn an_existing_vault_with_world_readable_files_is_tightened_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    s.init();
    let set = |p: std::path::PathBuf, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    set(s.vault(), 0o755);
    for f in ["vault.db", "keyslots.json"] {
        set(s.vault().join(f), 0o644);
    }
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
    assert_private(&s.vault(), "after opening a 0644 vault");
}

#[test]
fn user_list_keeps_its_columns_aligned_with_long_names_and_roles() {
    let s = Scratch::new();
    s.init();
    s.add_user("a-rather-long-user-name-of-thirty", "reviewer");
    s.add_user("q", "medical_director");
    let out = s.harbor("admin").args(["user", "list"]).output().unwrap();
    assert_ok(&out);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let header = lines[0];
    let role_col = header.find("ROLE").unwrap();
    let added_col = header.find("ADDED").unwrap();
    let state_col = header.find("STATE").unwrap();
    for line in &lines[1..] {
        // Every column starts where its header does, after a space.
        for col in [role_col, added_col, state_col] {
            let before = &line[..col];
            assert!(
                before.ends_with(' ') && !line[col..].starts_with(' '),
                "misaligned row {line:?} under {header:?}"
            );
        }
    }
}
