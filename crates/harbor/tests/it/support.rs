//! Shared helpers: fast vaults, passphrases, error codes, record inputs, file snapshots.

use harbor::{AuditEntry, AuditQuery, KdfParams, ListQuery, Passphrase, RecordKind, RecordMeta};
use harbor::{RecoveryCode, Session};
use harbor_core::records::template;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

/// The first administrator's name in every test vault.
pub const ADMIN: &str = "admin";
/// A passphrase the policy accepts.
pub const PASS: &str = "tidal-orchid-ledger-42";

/// A passphrase from text.
pub fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.to_owned())
}

/// A vault folder inside a temporary directory that lives as long as the value.
pub struct TestVault {
    /// Keeps the temporary directory alive; other test files go here too.
    pub tmp: tempfile::TempDir,
    /// The vault folder (`<tmp>/vault`).
    pub dir: PathBuf,
}

impl TestVault {
    /// A path inside the temporary directory, beside the vault folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
}

/// A new vault with the fast Argon2 parameters, unlocked as [`ADMIN`].
pub fn new_vault() -> (TestVault, Session, RecoveryCode) {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dir = tmp.path().join("vault");
    let (session, code) =
        harbor::init(&dir, ADMIN, &pass(PASS), KdfParams::MINIMUM).expect("init a vault");
    (TestVault { tmp, dir }, session, code)
}

/// Unlocks `dir` as `user`, panicking with the error code on failure.
#[track_caller]
pub fn unlock(dir: &Path, user: &str, passphrase: &str) -> Session {
    harbor::unlock(dir, user, &pass(passphrase))
        .unwrap_or_else(|e| panic!("unlock as {user} failed: {} ({e})", e.code()))
}

/// The code of the error `r` must hold.
#[track_caller]
pub fn err_code<T: Debug>(r: harbor::Result<T>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.code(),
    }
}

/// Unwraps `r`, panicking with the error's code and message.
#[track_caller]
pub fn ok<T>(r: harbor::Result<T>) -> T {
    r.unwrap_or_else(|e| panic!("expected success, got {}: {e}", e.code()))
}

/// The template of `kind` with `changes` merged in at the top level.
pub fn input(kind: RecordKind, changes: Value) -> Value {
    let mut v = template(kind);
    let obj = v.as_object_mut().expect("templates are objects");
    for (k, val) in changes.as_object().expect("changes are an object") {
        obj.insert(k.clone(), val.clone());
    }
    v
}

/// A call review of the call with PCR number `pcr`.
pub fn call_review(pcr: &str) -> Value {
    input(
        RecordKind::CallReview,
        serde_json::json!({"call": {"pcr_number": pcr, "call_date": "2026-11-02", "unit": "Medic 12"}}),
    )
}

/// Every record, walking the list with its cursor.
pub fn all_records(s: &mut Session) -> Vec<RecordMeta> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = ok(s.list(&ListQuery {
            limit: Some(1000),
            after,
            ..ListQuery::default()
        }));
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => return out,
        }
    }
}

/// The whole audit log, in chain order.
pub fn all_audit(s: &mut Session) -> Vec<AuditEntry> {
    let mut out: Vec<AuditEntry> = Vec::new();
    loop {
        let page = ok(s.audit_log(AuditQuery {
            after: out.last().map(|e| e.seq),
            limit: Some(1000),
        }));
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

/// Every regular file under `dir` (recursively) with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for path in files_under(dir) {
        let rel = path
            .strip_prefix(dir)
            .expect("under dir")
            .to_string_lossy()
            .into_owned();
        out.insert(rel, std::fs::read(&path).expect("read a file"));
    }
    out
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read a directory") {
            let path = entry.expect("directory entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("file metadata");
            if meta.is_dir() {
                todo.push(path);
            } else if meta.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Flips every bit of the byte at `offset` of `path`.
pub fn flip_byte(path: &Path, offset: u64) {
    let mut bytes = std::fs::read(path).expect("read the file to damage");
    let i = usize::try_from(offset).expect("offset fits");
    bytes[i] ^= 0xff;
    std::fs::write(path, bytes).expect("write the damaged file");
}

/// The `-wal` file of the vault database in `dir`.
pub fn wal_path(dir: &Path) -> PathBuf {
    dir.join("vault.db-wal")
}
