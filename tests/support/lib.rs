//! Helpers for the end-to-end tests: run the real `harbor` binary as a person or a script
//! would, in a private folder.

mod proxy;
pub use proxy::CutProxy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A passphrase that satisfies the policy.
pub const PASSPHRASE: &str = "tidal-orchid-ledger-42";

/// The `harbor` binary built from this workspace (next to this test's `deps` folder).
pub fn harbor_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target profile folder");
    let bin = dir.join(format!("harbor{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: build it first with `cargo build -p harbor-cli` (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// The `harbor-pso` binary built from this workspace.
pub fn pso_bin() -> PathBuf {
    let bin = harbor_bin().with_file_name(format!("harbor-pso{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: build it with `cargo build --workspace --bins`",
        bin.display()
    );
    bin
}

/// The test build of `harbor-pso`, with the `fault-injection` feature, which
/// `scripts/test.sh` builds into `target/debug/pso-faults/`: the only one that reads
/// `HARBOR_PSO_FAULTS`.
pub fn pso_faults_bin() -> PathBuf {
    let bin = harbor_bin()
        .with_file_name("pso-faults")
        .join(format!("harbor-pso{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: build it with `cargo build --workspace --bins --features \
         harbor-pso/fault-injection` and copy target/debug/harbor-pso there (scripts/test.sh does)",
        bin.display()
    );
    // A copy older than the code it is built from would test yesterday's server.
    let built = std::fs::metadata(&bin).and_then(|m| m.modified()).unwrap();
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
    for krate in ["harbor-pso", "harbor-protocol", "harbor-core"] {
        if let Some(newer) = newer_file(&crates.join(krate).join("src"), built) {
            panic!(
                "{} is older than {}: build it again (scripts/test.sh does)",
                bin.display(),
                newer.display()
            );
        }
    }
    bin
}

/// A file under `dir` changed after `time`, if any.
fn newer_file(dir: &Path, time: std::time::SystemTime) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let meta = entry.metadata().ok()?;
        if meta.is_dir() {
            if let Some(found) = newer_file(&path, time) {
                return Some(found);
            }
        } else if meta.modified().is_ok_and(|m| m > time) {
            return Some(path);
        }
    }
    None
}

/// A running reference PSO on 127.0.0.1 with a self-signed certificate; stopped on drop.
pub struct Pso {
    /// Its data folder.
    pub data: PathBuf,
    /// `https://127.0.0.1:PORT/`.
    pub url: String,
    /// Its self-signed certificate.
    pub cert: PathBuf,
    child: std::process::Child,
}

impl Pso {
    /// Initialises a PSO in `data` and serves it.
    pub fn start(data: &Path) -> Pso {
        Self::init(data);
        Self::serve_on(data, "127.0.0.1:0")
    }

    /// Initialises a PSO that injects `faults` (see `harbor_pso::api::Faults`, in a
    /// `fault-injection` build): the test build, [`pso_faults_bin`].
    pub fn start_with_faults(data: &Path, faults: &str) -> Pso {
        Self::init(data);
        Self::serve_with(pso_faults_bin(), data, "127.0.0.1:0", Some(faults))
    }

    /// Initialises a PSO and serves it with the build people run (no `fault-injection`),
    /// `HARBOR_PSO_FAULTS` set to `faults`: which it must ignore.
    pub fn start_normal_build_asked_for_faults(data: &Path, faults: &str) -> Pso {
        Self::init(data);
        Self::serve_with(pso_bin(), data, "127.0.0.1:0", Some(faults))
    }

    fn init(data: &Path) {
        let out = Command::new(pso_bin())
            .args(["init", "--data"])
            .arg(data)
            .output()
            .unwrap();
        assert_ok(&out);
    }

    /// Serves an existing PSO data folder.
    pub fn serve(data: &Path) -> Pso {
        Self::serve_on(data, "127.0.0.1:0")
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Stops the server (SIGKILL: no goodbye to clients).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Serves an existing PSO data folder on `listen`.
    pub fn serve_on(data: &Path, listen: &str) -> Pso {
        Self::serve_with(pso_bin(), data, listen, None)
    }

    fn serve_with(bin: PathBuf, data: &Path, listen: &str, faults: Option<&str>) -> Pso {
        use std::io::BufRead;
        let mut command = Command::new(bin);
        if let Some(faults) = faults {
            command
                .env("HARBOR_PSO_FAULTS", faults)
                .env("HARBOR_PSO_FAULTS_LOG", data.join("faults-fired.log"));
        }
        let mut child = command
            .args(["serve", "--listen", listen, "--self-signed", "--data"])
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_owned()
            + "/";
        Pso {
            data: data.to_owned(),
            url,
            cert: data.join("tls/cert.pem"),
            child,
        }
    }

    /// The faults that fired so far, one `POINT STATUS` line each (see
    /// `harbor_pso::api::Faults`, in a `fault-injection` build).
    pub fn fired_faults(&self) -> Vec<String> {
        std::fs::read_to_string(self.data.join("faults-fired.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Adds an agency; returns its token.
    pub fn add_agency(&self, name: &str) -> String {
        self.add_agency_with_id(name).1
    }

    /// Adds an agency; returns its id and token.
    pub fn add_agency_with_id(&self, name: &str) -> (String, String) {
        let text = self.pso_command(&["agency", "add", name]);
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("agency "))
            .and_then(|l| l.split_whitespace().next())
            .unwrap()
            .to_owned();
        (id, token_line(&text))
    }

    /// Replaces an agency's token; returns the new one.
    pub fn rotate_token(&self, agency_id: &str) -> String {
        token_line(&self.pso_command(&["agency", "token", agency_id]))
    }

    /// What the PSO stored, with each attachment opened into `dir` (one file per blob):
    /// the listing and the attachments' contents, smallest first.
    pub fn stored_attachments(&self, dir: &Path) -> (String, Vec<Vec<u8>>) {
        let out = Command::new(pso_bin())
            .args(["submissions", "list", "--data"])
            .arg(&self.data)
            .arg("--attachments-out")
            .arg(dir)
            .output()
            .unwrap();
        assert_ok(&out);
        let mut contents: Vec<Vec<u8>> = files_under(dir)
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        contents.sort_by_key(Vec::len);
        (String::from_utf8_lossy(&out.stdout).into_owned(), contents)
    }

    fn pso_command(&self, args: &[&str]) -> String {
        let out = Command::new(pso_bin())
            .args(args)
            .arg("--data")
            .arg(&self.data)
            .output()
            .unwrap();
        assert_ok(&out);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// What the PSO stored, as `harbor-pso submissions list` prints it.
    pub fn stored(&self) -> String {
        let out = Command::new(pso_bin())
            .args(["submissions", "list", "--data"])
            .arg(&self.data)
            .output()
            .unwrap();
        assert_ok(&out);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

fn token_line(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("enrolment token (shown once): "))
        .unwrap()
        .trim()
        .to_owned()
}

impl Drop for Pso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scratch area: a vault folder path, a private TMPDIR and a work folder.
pub struct Scratch {
    /// Holds everything; removed on drop.
    pub root: tempfile::TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

impl Scratch {
    /// A new scratch area.
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(root.path().join("tmp")).unwrap();
        std::fs::create_dir_all(root.path().join("work")).unwrap();
        Scratch { root }
    }

    /// The vault folder (not created until `init`).
    pub fn vault(&self) -> PathBuf {
        self.root.path().join("vault")
    }

    /// The private TMPDIR given to every `harbor` run.
    pub fn tmp(&self) -> PathBuf {
        self.root.path().join("tmp")
    }

    /// A work folder for input and output files.
    pub fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// A `harbor` command with the vault, user and passphrase set in the environment, and
    /// nothing inherited that could change its behaviour.
    pub fn harbor(&self, user: &str) -> Command {
        let mut cmd = Command::new(harbor_bin());
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TMPDIR", self.tmp())
            .env("HOME", self.work())
            .env("HARBOR_VAULT", self.vault())
            .env("HARBOR_USER", user)
            .env("HARBOR_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::null());
        cmd
    }

    /// Creates the vault with fast (minimum) Argon2id parameters and an admin `admin`;
    /// returns the recovery code.
    pub fn init(&self) -> String {
        let out = self
            .harbor("admin")
            .args([
                "--json",
                "init",
                "--admin",
                "admin",
                "--kdf-memory-kib",
                "19456",
                "--kdf-iterations",
                "2",
                "--kdf-parallelism",
                "1",
            ])
            .output()
            .unwrap();
        let v = ok_json(&out);
        v["recovery_code"].as_str().unwrap().to_owned()
    }

    /// Adds a user with `role` (as admin), with the shared passphrase.
    pub fn add_user(&self, name: &str, role: &str) {
        let out = self
            .harbor("admin")
            .env("HARBOR_NEW_PASSPHRASE", PASSPHRASE)
            .args(["user", "add", name, "--role", role])
            .output()
            .unwrap();
        assert_ok(&out);
    }

    /// Creates a record of `kind` from `body` as `user`; returns its id.
    pub fn create_record(&self, user: &str, kind: &str, body: &serde_json::Value) -> String {
        let out = self.run_with_input(
            user,
            &["--json", "record", "create", kind, "--file", "-"],
            &body.to_string(),
        );
        ok_json(&out)["id"]
            .as_str()
            .expect("the created record's id")
            .to_owned()
    }

    /// Enrols the vault with `pso` as `user`, trusting its self-signed certificate.
    pub fn enroll(&self, user: &str, pso: &Pso, token: &str) -> Output {
        self.harbor(user)
            .args([
                "pso",
                "enroll",
                "--url",
                &pso.url,
                "--token",
                token,
                "--ca-cert",
            ])
            .arg(&pso.cert)
            .output()
            .unwrap()
    }

    /// Runs `harbor` as `user` with `args` and JSON `input` on stdin (via `--file -`).
    pub fn run_with_input(&self, user: &str, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .harbor(user)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

/// Asserts success, showing stderr otherwise.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "harbor failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Asserts success and parses stdout as JSON.
pub fn ok_json(out: &Output) -> serde_json::Value {
    assert_ok(out);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The files (and the canaries) where any of `canaries` occurs, as UTF-8 or UTF-16LE.
pub fn find_canaries(files: &[PathBuf], canaries: &[&str]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        for c in canaries {
            let utf16: Vec<u8> = c.encode_utf16().flat_map(u16::to_le_bytes).collect();
            if contains(&bytes, c.as_bytes()) || contains(&bytes, &utf16) {
                found.push((f.clone(), (*c).to_owned()));
            }
        }
    }
    found
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
