//! The PSO's data folder: its keys (`pso-keys.json`), an embedded SQLite store (`pso.db`)
//! of agencies, submissions, parts and opened items, and the uploaded parts themselves as
//! files (`parts/`, see [`crate::parts`]).

use harbor_protocol::{
    AgencySigningKey, BlobCipher, PsoKeys, SignedManifest, SignedReceipt, SigningPublicKey,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::parts::PartFiles;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No PSO data folder there.
    #[error("no PSO data in {0}: run `harbor-pso init --data DIR` first")]
    NotInitialised(PathBuf),
    /// The folder already holds a PSO.
    #[error("{0} already holds a PSO")]
    AlreadyInitialised(PathBuf),
    /// A file problem.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A database problem.
    #[error("storage: {0}")]
    Db(#[from] rusqlite::Error),
    /// Damaged key file.
    #[error("the PSO key file is damaged")]
    BadKeys,
    /// Stored data that no longer checks out.
    #[error("the PSO store is damaged: {0}")]
    Damaged(String),
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    signing_secret: String,
    receive_ikm: String,
}

/// Counts across agencies under this are not shown in feedback.
pub const SMALL_CELL: u64 = 3;

#[derive(Default)]
struct Counts(std::collections::BTreeMap<String, u64>);

impl Counts {
    /// `{"kind": {"call_review": 3}, "harm": {...}, ...}`, small cells as `null`.
    fn to_json(&self, suppress_under: Option<u64>) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for (key, n) in &self.0 {
            let (group, value) = key.split_once(':').expect("group:value");
            let shown = match suppress_under {
                Some(min) if *n < min => serde_json::Value::Null,
                _ => serde_json::Value::from(*n),
            };
            out.entry(group.to_owned())
                .or_insert_with(|| serde_json::json!({}))
                .as_object_mut()
                .expect("an object")
                .insert(value.to_owned(), shown);
        }
        serde_json::Value::Object(out)
    }
}

/// An opened attachment, as stored for the PSO's analysts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAttachment {
    /// The submission.
    pub submission_id: String,
    /// The item it belongs to.
    pub item_id: String,
    /// The blob id (what the receipt acknowledges).
    pub blob_id: String,
    /// The attachment's id in the agency's vault.
    pub attachment_id: String,
    /// Its media type.
    pub media_type: String,
    /// Its size.
    pub size: u64,
    /// SHA-256 of the opened content.
    pub sha256: String,
}

/// An enrolled agency.
#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its registered signing key (hex), once enrolled.
    pub signing_key: Option<String>,
}

/// A submission's bookkeeping.
#[derive(Debug, Clone)]
pub struct SubmissionInfo {
    /// The agency that sent it.
    pub agency_id: String,
    /// SHA-256 of its signed manifest's canonical JSON.
    pub manifest_sha256: String,
    /// `open` or `committed`.
    pub state: String,
    /// The receipt, once committed.
    pub receipt: Option<SignedReceipt>,
}

/// An opened item, as stored.
#[derive(Debug, Clone)]
pub struct StoredItem {
    /// The submission.
    pub submission_id: String,
    /// The agency.
    pub agency_id: String,
    /// The item.
    pub item_id: String,
    /// The record it snapshots.
    pub record_id: String,
    /// The record kind.
    pub kind: String,
    /// SHA-256 of the snapshot.
    pub sha256: String,
    /// The snapshot (canonical JSON).
    pub snapshot: String,
}

/// The PSO's store.
pub struct Store {
    conn: Connection,
    parts: PartFiles,
    /// The PSO's keys (shared with the checks of blobs that run outside the store's lock).
    pub keys: Arc<PsoKeys>,
}

fn random_hex() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the OS random generator works");
    hex::encode(b)
}

/// SHA-256 of a token (tokens are stored hashed).
pub fn token_hash(token: &str) -> String {
    harbor_core::canonical::sha256_hex(token.as_bytes())
}

impl Store {
    /// Creates the data folder with new keys.
    pub fn init(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;
        let key_path = dir.join("pso-keys.json");
        if key_path.exists() {
            return Err(StoreError::AlreadyInitialised(dir.to_owned()));
        }
        let keys = KeyFile {
            signing_secret: random_hex(),
            receive_ikm: random_hex(),
        };
        std::fs::write(
            &key_path,
            serde_json::to_string_pretty(&keys).expect("serialises"),
        )?;
        Self::open(dir)
    }

    /// Opens the data folder.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let key_path = dir.join("pso-keys.json");
        let text = std::fs::read_to_string(&key_path)
            .map_err(|_| StoreError::NotInitialised(dir.to_owned()))?;
        let kf: KeyFile = serde_json::from_str(&text).map_err(|_| StoreError::BadKeys)?;
        let s: [u8; 32] = hex::decode(&kf.signing_secret)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(StoreError::BadKeys)?;
        let r: [u8; 32] = hex::decode(&kf.receive_ikm)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(StoreError::BadKeys)?;
        let conn = Connection::open(dir.join("pso.db"))?;
        // Large pages for a store of megabyte chunks (a new database only: the page size is
        // fixed once the first table exists), and fewer, larger checkpoints.
        conn.execute_batch(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 256;
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
             CREATE TABLE IF NOT EXISTS agencies (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE,
                signing_key TEXT, created_at TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS submissions (
                id TEXT PRIMARY KEY, agency_id TEXT NOT NULL REFERENCES agencies(id),
                manifest TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, state TEXT NOT NULL,
                receipt TEXT, created_at TEXT NOT NULL,
                blob_cipher TEXT NOT NULL DEFAULT 'chacha20-poly1305');
             CREATE TABLE IF NOT EXISTS items (
                submission_id TEXT NOT NULL REFERENCES submissions(id), item_id TEXT NOT NULL,
                record_id TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
                snapshot TEXT NOT NULL, PRIMARY KEY (submission_id, item_id));
             CREATE TABLE IF NOT EXISTS parts (
                submission_id TEXT NOT NULL REFERENCES submissions(id), part_id TEXT NOT NULL,
                sealed_len INTEGER NOT NULL, blob_plain_len INTEGER, opened_sha256 TEXT,
                PRIMARY KEY (submission_id, part_id)) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS attachments (
                blob_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL REFERENCES submissions(id),
                item_id TEXT NOT NULL, attachment_id TEXT NOT NULL, media_type TEXT NOT NULL,
                size INTEGER NOT NULL, sha256 TEXT NOT NULL);
",
        )?;
        add_blob_cipher_column(&conn)?;
        let parts = PartFiles::new(dir);
        move_chunks_to_files(&conn, &parts)?;
        Ok(Store {
            conn,
            parts,
            keys: Arc::new(PsoKeys::from_secrets(&s, &r)),
        })
    }

    /// Adds an agency; returns it and its enrolment token (shown once).
    pub fn add_agency(&self, name: &str) -> Result<(Agency, String), StoreError> {
        let id = format!("agency-{}", &random_hex()[..12]);
        let token = random_hex();
        self.conn.execute(
            "INSERT INTO agencies (id, name, token_sha256, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                name,
                token_hash(&token),
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        Ok((
            Agency {
                id,
                name: name.to_owned(),
                signing_key: None,
            },
            token,
        ))
    }

    /// Replaces an agency's token (when it leaked, or to revoke a device); the old one stops
    /// working at once. Returns the new token (shown once).
    pub fn rotate_token(&self, agency_id: &str) -> Result<Option<String>, StoreError> {
        let token = random_hex();
        let n = self.conn.execute(
            "UPDATE agencies SET token_sha256 = ?2 WHERE id = ?1",
            params![agency_id, token_hash(&token)],
        )?;
        Ok((n == 1).then_some(token))
    }

    /// The agency a bearer token belongs to.
    pub fn agency_by_token(&self, token: &str) -> Result<Option<Agency>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, signing_key FROM agencies WHERE token_sha256 = ?1",
                [token_hash(token)],
                |r| {
                    Ok(Agency {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        signing_key: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Registers an agency's signing key (enrolment; idempotent for the same key).
    pub fn enroll(&self, agency_id: &str, key: &SigningPublicKey) -> Result<bool, StoreError> {
        let current: Option<String> = self.conn.query_row(
            "SELECT signing_key FROM agencies WHERE id = ?1",
            [agency_id],
            |r| r.get(0),
        )?;
        match current {
            Some(k) => Ok(k == key.to_hex()),
            None => {
                self.conn.execute(
                    "UPDATE agencies SET signing_key = ?2 WHERE id = ?1",
                    params![agency_id, key.to_hex()],
                )?;
                Ok(true)
            }
        }
    }

    /// A submission's agency, manifest hash, state and receipt.
    pub fn submission(&self, id: &str) -> Result<Option<SubmissionInfo>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT agency_id, manifest_sha256, state, receipt FROM submissions WHERE id = ?1",
                [id],
                |r| {
                    let receipt: Option<String> = r.get(3)?;
                    Ok(SubmissionInfo {
                        agency_id: r.get(0)?,
                        manifest_sha256: r.get(1)?,
                        state: r.get(2)?,
                        receipt: receipt.and_then(|t| serde_json::from_str(&t).ok()),
                    })
                },
            )
            .optional()?)
    }

    /// Stores a new submission's manifest.
    pub fn create_submission(
        &self,
        agency_id: &str,
        signed: &SignedManifest,
        manifest_sha256: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO submissions (id, agency_id, manifest, manifest_sha256, state, created_at, blob_cipher)
             VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6)",
            params![
                signed.manifest.submission_id,
                agency_id,
                serde_json::to_string(signed).expect("serialises"),
                manifest_sha256,
                chrono::Utc::now().to_rfc3339(),
                signed.manifest.blob_cipher.as_str()
            ],
        )?;
        // Every part the manifest declares and its sealed length: an item is the 32-byte
        // encapsulated key, the plaintext and a 16-byte tag; a blob is sealed in segments.
        let mut part = tx.prepare(
            "INSERT INTO parts (submission_id, part_id, sealed_len, blob_plain_len) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let id = &signed.manifest.submission_id;
        for item in &signed.manifest.items {
            part.execute(params![
                id,
                item.item_id,
                (item.size + 48) as i64,
                None::<i64>
            ])?;
            for a in &item.attachments {
                part.execute(params![
                    id,
                    a.blob_id,
                    harbor_protocol::sealed_len(a.size) as i64,
                    a.size as i64
                ])?;
            }
        }
        drop(part);
        tx.commit()?;
        Ok(())
    }

    /// The stored manifest of a submission.
    pub fn manifest(&self, id: &str) -> Result<SignedManifest, StoreError> {
        let text: String = self.conn.query_row(
            "SELECT manifest FROM submissions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        serde_json::from_str(&text).map_err(|_| StoreError::BadKeys)
    }

    /// The sealed length the manifest declares for a part (an item or an attachment blob)
    /// of a submission, or `None` if it declares no such part.
    pub fn part_len(&self, submission: &str, part: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT sealed_len FROM parts WHERE submission_id = ?1 AND part_id = ?2",
                params![submission, part],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|n| n as u64))
    }

    /// If `part` is a blob whose last byte has arrived and that was not checked yet: what
    /// [`BlobCheck::run`] needs to open it (outside the store's lock, so that other
    /// uploads go on meanwhile). A blob that does not open is left for the commit to
    /// refuse.
    pub fn blob_to_check(
        &self,
        submission: &str,
        part: &str,
    ) -> Result<Option<BlobCheck>, StoreError> {
        let row: Option<(i64, Option<i64>, Option<String>, String)> = self
            .conn
            .query_row(
                "SELECT p.sealed_len, p.blob_plain_len, p.opened_sha256, s.blob_cipher
                 FROM parts p JOIN submissions s ON s.id = p.submission_id
                 WHERE p.submission_id = ?1 AND p.part_id = ?2",
                params![submission, part],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((sealed, Some(plain_len), None, cipher)) = row else {
            return Ok(None);
        };
        if self.parts.len(submission, part)? != sealed as u64 {
            return Ok(None);
        }
        Ok(Some(BlobCheck {
            keys: self.keys.clone(),
            cipher: cipher_named(&cipher)?,
            parts: self.parts.clone(),
            submission: submission.to_owned(),
            blob_id: part.to_owned(),
            plain_len: plain_len as u64,
        }))
    }

    /// Remembers the hash of a blob that [`BlobCheck::run`] opened.
    pub fn set_opened_sha256(
        &self,
        submission: &str,
        part: &str,
        sha256: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE parts SET opened_sha256 = ?3 WHERE submission_id = ?1 AND part_id = ?2",
            params![submission, part, sha256],
        )?;
        Ok(())
    }

    /// The hash of a blob opened when its upload completed, if it opened.
    pub fn opened_sha256(
        &self,
        submission: &str,
        part: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT opened_sha256 FROM parts WHERE submission_id = ?1 AND part_id = ?2",
                params![submission, part],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Bytes received so far for a part.
    pub fn received(&self, submission: &str, item: &str) -> Result<u64, StoreError> {
        Ok(self.parts.len(submission, item)?)
    }

    /// Appends a chunk at `offset` (which must be what was received so far): `Ok(Err(have))`
    /// when it is not. The bytes reach the disk lazily, which the protocol tolerates (a
    /// client asks what arrived and resends); attachments are flushed before the receipt.
    pub fn append(
        &self,
        submission: &str,
        item: &str,
        offset: u64,
        data: &[u8],
    ) -> Result<Result<u64, u64>, StoreError> {
        let have = self.received(submission, item)?;
        if offset != have {
            return Ok(Err(have));
        }
        self.parts.append(submission, item, have, data)?;
        Ok(Ok(have + data.len() as u64))
    }

    /// An item's uploaded bytes.
    pub fn item_bytes(&self, submission: &str, item: &str) -> Result<Vec<u8>, StoreError> {
        Ok(self.parts.read(submission, item)?)
    }

    /// Opens a sealed blob chunk by chunk (never whole in memory), handing each piece of
    /// plaintext to `out`; returns the plaintext's SHA-256, or why it does not open.
    pub fn open_blob(
        &self,
        submission: &str,
        blob_id: &str,
        plain_len: u64,
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<Result<String, harbor_protocol::ProtocolError>, StoreError> {
        let cipher: String = self.conn.query_row(
            "SELECT blob_cipher FROM submissions WHERE id = ?1",
            [submission],
            |r| r.get(0),
        )?;
        open_blob(
            &self.keys,
            cipher_named(&cipher)?,
            &self.parts,
            submission,
            blob_id,
            plain_len,
            out,
        )
    }

    /// Stores the opened items, the attachments checked with [`Store::open_blob`] (kept
    /// as they arrived, sealed to the PSO's key, and opened again when an analyst reads
    /// them) and the receipt, and closes the submission (one transaction).
    pub fn commit(
        &mut self,
        submission: &str,
        items: &[StoredItem],
        attachments: &[StoredAttachment],
        receipt: &SignedReceipt,
    ) -> Result<(), StoreError> {
        // The receipt goes out once this is on disk: the attachments (kept sealed in their
        // files) and this transaction, fully.
        let blobs: Vec<&str> = attachments.iter().map(|a| a.blob_id.as_str()).collect();
        self.parts.sync(submission, &blobs)?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let tx = self.conn.transaction()?;
        for i in items {
            tx.execute(
                "INSERT INTO items (submission_id, item_id, record_id, kind, sha256, snapshot) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![submission, i.item_id, i.record_id, i.kind, i.sha256, i.snapshot],
            )?;
        }
        for a in attachments {
            tx.execute(
                "INSERT INTO attachments (blob_id, submission_id, item_id, attachment_id, media_type, size, sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![a.blob_id, submission, a.item_id, a.attachment_id, a.media_type, a.size as i64, a.sha256],
            )?;
        }
        tx.execute("DELETE FROM parts WHERE submission_id = ?1", [submission])?;
        tx.execute(
            "UPDATE submissions SET state = 'committed', receipt = ?2 WHERE id = ?1",
            params![
                submission,
                serde_json::to_string(receipt).expect("serialises")
            ],
        )?;
        tx.commit()?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // The items are stored opened; their sealed files go. Attachments stay sealed. A
        // file left behind by a crash here is only a sealed copy of a stored item.
        for i in items {
            self.parts.remove(submission, &i.item_id)?;
        }
        Ok(())
    }

    /// Every stored item, oldest submission first.
    pub fn stored_items(&self) -> Result<Vec<StoredItem>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT i.submission_id, s.agency_id, i.item_id, i.record_id, i.kind, i.sha256, i.snapshot
             FROM items i JOIN submissions s ON s.id = i.submission_id ORDER BY s.created_at, i.item_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredItem {
                    submission_id: r.get(0)?,
                    agency_id: r.get(1)?,
                    item_id: r.get(2)?,
                    record_id: r.get(3)?,
                    kind: r.get(4)?,
                    sha256: r.get(5)?,
                    snapshot: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every stored attachment, oldest submission first.
    pub fn stored_attachments(&self) -> Result<Vec<StoredAttachment>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.submission_id, a.item_id, a.blob_id, a.attachment_id, a.media_type, a.size, a.sha256
             FROM attachments a JOIN submissions s ON s.id = a.submission_id ORDER BY s.created_at, a.blob_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredAttachment {
                    submission_id: r.get(0)?,
                    item_id: r.get(1)?,
                    blob_id: r.get(2)?,
                    attachment_id: r.get(3)?,
                    media_type: r.get(4)?,
                    size: r.get::<_, i64>(5)? as u64,
                    sha256: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Opens a stored attachment and writes its content to `out`, chunk by chunk, checking
    /// its hash.
    pub fn write_attachment(
        &self,
        blob_id: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, StoreError> {
        let (submission, size, sha256): (String, i64, String) = self.conn.query_row(
            "SELECT submission_id, size, sha256 FROM attachments WHERE blob_id = ?1",
            [blob_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut written = 0u64;
        let mut failed = None;
        let opened = self.open_blob(&submission, blob_id, size as u64, &mut |plain| {
            if failed.is_none() {
                match out.write_all(plain) {
                    Ok(()) => written += plain.len() as u64,
                    Err(e) => failed = Some(e),
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(e.into());
        }
        match opened {
            Ok(sha) if sha == sha256 => Ok(written),
            _ => Err(StoreError::Damaged(format!(
                "stored attachment {blob_id} no longer opens or matches its hash"
            ))),
        }
    }

    /// Aggregate feedback for an agency: counts of its stored items by kind, event type,
    /// harm level and EMS category, beside the same counts across every agency, where a
    /// count under [`SMALL_CELL`] is suppressed (`null`) so that no other agency's single
    /// events can be singled out.
    pub fn feedback(&self, agency_id: &str) -> Result<serde_json::Value, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.agency_id, i.kind, i.snapshot FROM items i JOIN submissions s ON s.id = i.submission_id",
        )?;
        let mut mine = Counts::default();
        let mut all = Counts::default();
        let mut agencies = std::collections::BTreeSet::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let agency: String = r.get(0)?;
            let kind: String = r.get(1)?;
            let snapshot: serde_json::Value =
                serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default();
            let body = &snapshot["body"];
            let mut keys = vec![format!("kind:{kind}")];
            if let Some(t) = body["event_type"].as_str() {
                keys.push(format!("event_type:{t}"));
            }
            if let Some(h) = body["harm"]["level"].as_str() {
                keys.push(format!("harm:{h}"));
            }
            for c in body["ems_categories"].as_array().into_iter().flatten() {
                if let Some(c) = c.as_str() {
                    keys.push(format!("ems_category:{c}"));
                }
            }
            for k in &keys {
                *all.0.entry(k.clone()).or_default() += 1;
                if agency == agency_id {
                    *mine.0.entry(k.clone()).or_default() += 1;
                }
            }
            agencies.insert(agency);
        }
        Ok(serde_json::json!({
            "agency": mine.to_json(None),
            "all_agencies": all.to_json(Some(SMALL_CELL)),
            "agencies_reporting": agencies.len(),
            "small_cell": SMALL_CELL,
        }))
    }

    /// The signing key of the PSO (for receipts).
    pub fn signing(&self) -> &AgencySigningKey {
        &self.keys.signing
    }
}

/// A blob whose last byte arrived, to be opened and hashed (see [`Store::blob_to_check`]).
pub struct BlobCheck {
    keys: Arc<PsoKeys>,
    cipher: BlobCipher,
    parts: PartFiles,
    /// The submission.
    pub submission: String,
    /// The blob.
    pub blob_id: String,
    plain_len: u64,
}

impl BlobCheck {
    /// Opens the blob; its plaintext's SHA-256 if it opens, `None` if it does not.
    pub fn run(&self) -> Result<Option<String>, StoreError> {
        Ok(open_blob(
            &self.keys,
            self.cipher,
            &self.parts,
            &self.submission,
            &self.blob_id,
            self.plain_len,
            &mut |_| {},
        )?
        .ok())
    }

    /// Flushes the blob's file to disk, so that the flush before the receipt finds little
    /// left to write.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.parts.sync_part(&self.submission, &self.blob_id)?)
    }
}

fn open_blob(
    keys: &PsoKeys,
    cipher: BlobCipher,
    parts: &PartFiles,
    submission: &str,
    blob_id: &str,
    plain_len: u64,
    out: &mut dyn FnMut(&[u8]),
) -> Result<Result<String, harbor_protocol::ProtocolError>, StoreError> {
    use sha2::Digest;
    let mut opener = harbor_protocol::BlobOpener::new(keys, cipher, submission, blob_id, plain_len);
    let mut hasher = sha2::Sha256::new();
    let mut failed = None;
    parts.read_chunks(submission, blob_id, &mut |data| {
        let pushed = opener.push(data, &mut |plain| {
            hasher.update(plain);
            out(plain);
        });
        match pushed {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })?;
    if let Some(e) = failed {
        return Ok(Err(e));
    }
    if let Err(e) = opener.finish() {
        return Ok(Err(e));
    }
    Ok(Ok(hex::encode(hasher.finalize())))
}

/// Moves the chunks of a store from before [`crate::parts`] (a `chunks` table) into part
/// files, then drops the table. Safe to repeat after a crash: each part file is written
/// again from its first chunk, and the table goes only once every file is written.
fn move_chunks_to_files(conn: &Connection, parts: &PartFiles) -> Result<(), StoreError> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'chunks')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(());
    }
    let mut stmt = conn.prepare(
        "SELECT submission_id, item_id, data FROM chunks ORDER BY submission_id, item_id, idx",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<(String, String)> = None;
    let mut have = 0u64;
    let mut moved = Vec::new();
    while let Some(r) = rows.next()? {
        let key: (String, String) = (r.get(0)?, r.get(1)?);
        if current.as_ref() != Some(&key) {
            parts.remove(&key.0, &key.1)?;
            have = 0;
            moved.push(key.clone());
            current = Some(key.clone());
        }
        let data = r.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
        parts.append(&key.0, &key.1, have, data)?;
        have += data.len() as u64;
    }
    drop(rows);
    drop(stmt);
    for (submission, part) in &moved {
        parts.sync(submission, &[part])?;
    }
    conn.execute_batch("DROP TABLE chunks")?;
    Ok(())
}

/// The cipher a stored submission names.
fn cipher_named(name: &str) -> Result<BlobCipher, StoreError> {
    BlobCipher::from_name(name)
        .ok_or_else(|| StoreError::Damaged(format!("unknown blob cipher '{name}'")))
}

/// Adds `submissions.blob_cipher` to a store from before it (whose blobs are all
/// ChaCha20-Poly1305, the column's default).
fn add_blob_cipher_column(conn: &Connection) -> Result<(), StoreError> {
    let has: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('submissions') WHERE name = 'blob_cipher')",
        [],
        |r| r.get(0),
    )?;
    if !has {
        conn.execute_batch(
            "ALTER TABLE submissions ADD COLUMN blob_cipher TEXT NOT NULL DEFAULT 'chacha20-poly1305'",
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    /// A store as the first versions left it: a `chunks` table and no cipher column, with a
    /// blob sealed with ChaCha20-Poly1305 half in two chunks. Opening it moves the chunks into
    /// part files, and the blob still opens to its plaintext.
    #[test]
    fn a_store_of_the_first_versions_moves_its_chunks_to_files_and_still_opens_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let plain: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        let sealer = harbor_protocol::BlobSealer::new(
            BlobCipher::ChaCha20Poly1305,
            &store.keys.receive_public_hex(),
            "sub-1",
            "blob-1",
            plain.len() as u64,
        )
        .unwrap();
        let sealed = sealer
            .sealed_range(0, usize::MAX, &mut |i| {
                let s = i as usize * harbor_protocol::SEGMENT;
                Ok::<_, ()>(plain[s..(s + harbor_protocol::SEGMENT).min(plain.len())].to_vec())
            })
            .unwrap();
        let half = sealed.len() / 2;
        store
            .conn
            .execute_batch(
                "ALTER TABLE submissions DROP COLUMN blob_cipher;
                 CREATE TABLE chunks (
                    submission_id TEXT NOT NULL REFERENCES submissions(id), item_id TEXT NOT NULL,
                    idx INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (submission_id, item_id, idx));
                 INSERT INTO agencies (id, name, token_sha256, created_at) VALUES ('a', 'A', 't', 'now');
                 INSERT INTO submissions (id, agency_id, manifest, manifest_sha256, state, created_at)
                 VALUES ('sub-1', 'a', '{}', 'h', 'open', 'now');",
            )
            .unwrap();
        store
            .conn
            .execute(
                "INSERT INTO parts (submission_id, part_id, sealed_len, blob_plain_len) VALUES ('sub-1', 'blob-1', ?1, ?2)",
                params![sealed.len() as i64, plain.len() as i64],
            )
            .unwrap();
        for (idx, data) in [(0, &sealed[..half]), (half, &sealed[half..])] {
            store
                .conn
                .execute(
                    "INSERT INTO chunks (submission_id, item_id, idx, data) VALUES ('sub-1', 'blob-1', ?1, ?2)",
                    params![idx as i64, data],
                )
                .unwrap();
        }
        drop(store);

        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.received("sub-1", "blob-1").unwrap(),
            sealed.len() as u64
        );
        let chunks_left: bool = store
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'chunks')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!chunks_left, "the chunks table is gone");
        let check = store
            .blob_to_check("sub-1", "blob-1")
            .unwrap()
            .expect("complete");
        assert_eq!(check.cipher, BlobCipher::ChaCha20Poly1305);
        let sha = check.run().unwrap().expect("opens");
        assert_eq!(sha, hex::encode(sha2::Sha256::digest(&plain)));
        // Opened as the other cipher, it does not.
        let wrong = BlobCheck {
            cipher: BlobCipher::Aes256Gcm,
            ..check
        };
        assert_eq!(wrong.run().unwrap(), None);
    }
}
