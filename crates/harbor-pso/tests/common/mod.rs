//! The real `harbor-pso` binary, served over TLS in a scratch folder, and an enrolled
//! agency that talks to it as any HTTPS client can: for the attack tests.
#![allow(dead_code)]

use harbor_core::canonical::{sha256_hex, to_canonical_bytes};
use harbor_protocol::{
    AgencySigningKey, BlobCipher, Manifest, ManifestAttachment, ManifestItem, PROTOCOL,
    SubmissionKeys,
};
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// `harbor-pso` run as a PSO's operator runs it, with the common umask 022 (so that a file
/// it creates without asking for a mode is readable by every user of the machine).
pub fn harbor_pso(args: &[&str], data: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_harbor-pso"))
        .args(args)
        .arg("--data")
        .arg(data);
    cmd
}

pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "harbor-pso failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A served PSO in a scratch folder; stopped on drop.
pub struct Server {
    pub dir: tempfile::TempDir,
    pub data: PathBuf,
    pub url: String,
    pub http: reqwest::blocking::Client,
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start() -> Server {
        Self::start_with(&[])
    }

    /// A new PSO served with these extra `serve` flags.
    pub fn start_with(flags: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("pso");
        ok(harbor_pso(&["init"], &data).output().unwrap());
        Self::serve(dir, data, flags)
    }

    /// Stops the server and serves its data folder again with these `serve` flags.
    pub fn restart(&mut self, flags: &[&str]) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().unwrap();
        let again = Self::serve(dir, self.data.clone(), flags);
        // The new server's child, address and client; the old scratch folder stays, and
        // `again` goes with the stopped child and an empty scratch folder.
        let mut again = again;
        std::mem::swap(&mut self.child, &mut again.child);
        std::mem::swap(&mut self.url, &mut again.url);
        std::mem::swap(&mut self.http, &mut again.http);
    }

    fn serve(dir: tempfile::TempDir, data: PathBuf, flags: &[&str]) -> Server {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--self-signed"];
        args.extend_from_slice(flags);
        let mut child = harbor_pso(&args, &data)
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
            .to_owned();
        let cert = std::fs::read(data.join("tls/cert.pem")).unwrap();
        let http = reqwest::blocking::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&cert).unwrap())
            .build()
            .unwrap();
        Server {
            dir,
            data,
            url,
            http,
            child,
        }
    }

    /// Adds an agency and enrols a new signing key for it.
    pub fn agency(&self, name: &str) -> Agency<'_> {
        let text = ok(harbor_pso(&["agency", "add", name], &self.data)
            .output()
            .unwrap());
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("agency "))
            .and_then(|l| l.split_whitespace().next())
            .unwrap()
            .to_owned();
        let token = text
            .lines()
            .find_map(|l| l.strip_prefix("enrolment token (shown once): "))
            .unwrap()
            .to_owned();
        let key = AgencySigningKey::generate().unwrap();
        let keys: Value = self
            .http
            .get(format!("{}/v1/keys", self.url))
            .send()
            .unwrap()
            .json()
            .unwrap();
        let agency = Agency {
            server: self,
            id,
            token,
            key,
            receive_key: keys["receive_key"].as_str().unwrap().to_owned(),
        };
        let (status, answer) = agency.call(
            reqwest::Method::POST,
            "/v1/enroll",
            serde_json::to_vec(&json!({"signing_key": agency.key.public().to_hex()})).unwrap(),
        );
        assert_eq!(status, 200, "{answer}");
        agency
    }
}

/// An enrolled agency, talking to the PSO as any HTTPS client can.
pub struct Agency<'a> {
    pub server: &'a Server,
    pub id: String,
    pub token: String,
    pub key: AgencySigningKey,
    pub receive_key: String,
}

/// A submission ready to go: its signed manifest and each part's id and sealed bytes.
pub struct Prepared {
    pub manifest: Manifest,
    pub parts: Vec<(String, Vec<u8>)>,
}

impl Agency<'_> {
    pub fn call(&self, method: reqwest::Method, path: &str, body: Vec<u8>) -> (u16, Value) {
        let resp = self
            .server
            .http
            .request(method, format!("{}{path}", self.server.url))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or(Value::Null))
    }

    /// One identifiable call review with one attachment (`content`) uploaded as the blob
    /// `blob_id`, sealed as Harbor seals it.
    pub fn with_attachment(&self, blob_id: &str, content: &[u8]) -> Prepared {
        let submission_id = uuid::Uuid::now_v7().to_string();
        let item_id = uuid::Uuid::now_v7().to_string();
        let record_id = uuid::Uuid::now_v7().to_string();
        let attachment_id = uuid::Uuid::now_v7().to_string();
        let cipher = BlobCipher::CURRENT;
        let keys = SubmissionKeys::for_sender(&self.receive_key, &submission_id, cipher).unwrap();
        let sha = sha256_hex(content);
        let snapshot = json!({
            "record_id": record_id, "kind": "call_review", "revision": 1,
            "revision_hash": "00".repeat(32), "profile": "identifiable", "deliberation": false,
            "body": {"call": {"pcr_number": "2026-1", "call_date": "2026-11-02"}, "status": "closed"},
            "attachments": [{"attachment_id": attachment_id, "name": "photo.bin",
                             "media_type": "text/plain", "sha256": sha, "size": content.len()}],
        });
        let plain = to_canonical_bytes(&snapshot);
        let sealed_item = keys.seal_item(&item_id, &plain).unwrap();
        let sealer = keys.blob_sealer(blob_id, content.len() as u64).unwrap();
        let sealed_blob = sealer
            .sealed_range(0, usize::MAX, &mut |i, buf| {
                let s = i as usize * harbor_protocol::SEGMENT;
                buf.extend_from_slice(
                    &content[s..(s + harbor_protocol::SEGMENT).min(content.len())],
                );
                Ok::<_, ()>(())
            })
            .unwrap();
        let manifest = Manifest {
            protocol: PROTOCOL.into(),
            submission_id,
            agency_id: self.id.clone(),
            created_at: "2026-12-02T10:00:00Z".into(),
            schema_versions: Default::default(),
            items: vec![ManifestItem {
                item_id: item_id.clone(),
                record_id,
                kind: "call_review".into(),
                revision: 1,
                profile: "identifiable".into(),
                sha256: sha256_hex(&plain),
                size: plain.len() as u64,
                amends: None,
                attachments: vec![ManifestAttachment {
                    blob_id: blob_id.to_owned(),
                    attachment_id,
                    media_type: "text/plain".into(),
                    sha256: sha,
                    size: content.len() as u64,
                }],
            }],
            audit_head: "11".repeat(32),
            blob_cipher: cipher,
            encapsulated_key: Some(keys.encapsulated_key()),
        };
        Prepared {
            manifest,
            parts: vec![(item_id, sealed_item), (blob_id.to_owned(), sealed_blob)],
        }
    }

    pub fn put_manifest(&self, manifest: &Manifest) -> (u16, Value) {
        let signed = manifest.clone().sign(&self.key);
        self.call(
            reqwest::Method::PUT,
            &format!("/v1/submissions/{}", manifest.submission_id),
            serde_json::to_vec(&signed).unwrap(),
        )
    }

    /// Uploads every part whole in one batch, then commits.
    pub fn upload_and_commit(&self, p: &Prepared) -> (u16, Value) {
        let id = &p.manifest.submission_id;
        let mut batch = Vec::new();
        for (part, bytes) in &p.parts {
            harbor_protocol::push_batch_frame(&mut batch, part, 0, bytes);
        }
        let path = format!("/v1/submissions/{id}/items");
        let (status, answer) = self.call(reqwest::Method::PATCH, &path, batch);
        assert_eq!(status, 200, "{answer}");
        let path = format!("/v1/submissions/{id}/commit");
        self.call(reqwest::Method::POST, &path, vec![])
    }

    /// Sends `p` whole: manifest, parts, commit.
    pub fn submit(&self, p: &Prepared) -> (u16, Value) {
        let (status, answer) = self.put_manifest(&p.manifest);
        assert_eq!(status, 201, "{answer}");
        self.upload_and_commit(p)
    }
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
