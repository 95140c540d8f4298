//! The PSO's data folder: its keys (`pso-keys.json`), an embedded SQLite store (`pso.db`)
//! of agencies, submissions, parts and opened items, and the uploaded parts themselves,
//! one file per submission (`parts/`, see [`crate::parts`]).

use harbor_protocol::{
    AgencySigningKey, BlobCipher, PsoKeys, SignedManifest, SignedReceipt, SigningPublicKey,
    SubmissionKeys,
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
    /// A store written by a newer `harbor-pso`.
    #[error(
        "this PSO store has schema version {found}, newer than this harbor-pso supports ({supported}): run the newer harbor-pso; the store was not changed"
    )]
    TooNew {
        /// The store's version.
        found: i64,
        /// The newest this binary knows.
        supported: i64,
    },
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    signing_secret: String,
    receive_ikm: String,
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
    /// The keys of open submissions sealed under one context (see [`Store::sealing`]).
    sealing: std::sync::Mutex<std::collections::HashMap<String, Arc<SubmissionKeys>>>,
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
    /// Creates the data folder (`0700`) with new keys (`pso-keys.json`, `0600`).
    pub fn init(dir: &Path) -> Result<Self, StoreError> {
        crate::private::create_dir(dir)?;
        let key_path = dir.join("pso-keys.json");
        if key_path.exists() {
            return Err(StoreError::AlreadyInitialised(dir.to_owned()));
        }
        let keys = KeyFile {
            signing_secret: random_hex(),
            receive_ikm: random_hex(),
        };
        crate::private::write_new_secret(
            &key_path,
            serde_json::to_string_pretty(&keys)
                .expect("serialises")
                .as_bytes(),
        )?;
        Self::open(dir)
    }

    /// Opens the data folder, and takes every permission of group and others off it and
    /// everything in it (see [`crate::private`]).
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
        let mut conn = Connection::open(dir.join("pso.db"))?;
        // Large pages for a store of megabyte chunks (a new database only: the page size is
        // fixed once the first table exists), and fewer, larger checkpoints.
        conn.execute_batch(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 256;
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
",
        )?;
        crate::migrations::migrate(&mut conn)?;
        let parts = PartFiles::new(dir);
        move_legacy_parts(&conn, &parts)?;
        // After SQLite made its files: a folder of an earlier version, or one a new
        // database file was just created in with the umask's mode, is the PSO's alone.
        crate::private::tighten(dir)?;
        Ok(Store {
            conn,
            parts,
            keys: Arc::new(PsoKeys::from_secrets(&s, &r)),
            sealing: Default::default(),
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
            "INSERT INTO submissions (id, agency_id, manifest, manifest_sha256, state, created_at, blob_cipher, encapsulated_key)
             VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7)",
            params![
                signed.manifest.submission_id,
                agency_id,
                serde_json::to_string(signed).expect("serialises"),
                manifest_sha256,
                chrono::Utc::now().to_rfc3339(),
                signed.manifest.blob_cipher.as_str(),
                signed.manifest.encapsulated_key
            ],
        )?;
        // Every part the manifest declares, its sealed length and its region of the
        // submission's file, one after another in manifest order: an item is the 32-byte
        // encapsulated key, the plaintext and a 16-byte tag; a blob is sealed in segments.
        // Each region starts on a block boundary, so that no two parts share a block and
        // a blob's pieces can go to the disk directly (see `PartFiles::write_at`).
        let mut part = tx.prepare(
            "INSERT INTO parts (submission_id, part_id, sealed_len, blob_plain_len, start) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let id = &signed.manifest.submission_id;
        let mut start = 0u64;
        let block = crate::parts::BLOCK as u64;
        // The caller bounded the declared sizes (`Limits::check_manifest`); checked again
        // here, so that no size the agency chose can wrap an offset.
        let overflow = || StoreError::Damaged("a declared size does not fit".into());
        let int = |n: u64| i64::try_from(n).map_err(|_| overflow());
        for item in &signed.manifest.items {
            start = start.checked_next_multiple_of(block).ok_or_else(overflow)?;
            let len = harbor_protocol::sealed_item_len(item.size).ok_or_else(overflow)?;
            part.execute(params![
                id,
                item.item_id,
                int(len)?,
                None::<i64>,
                int(start)?
            ])?;
            start = start.checked_add(len).ok_or_else(overflow)?;
            for a in &item.attachments {
                start = start.checked_next_multiple_of(block).ok_or_else(overflow)?;
                let len = harbor_protocol::checked_sealed_len(a.size).ok_or_else(overflow)?;
                part.execute(params![id, a.blob_id, int(len)?, int(a.size)?, int(start)?])?;
                start = start.checked_add(len).ok_or_else(overflow)?;
            }
        }
        drop(part);
        tx.commit()?;
        Ok(())
    }

    /// How many submissions `agency_id` has open, and the sealed bytes their manifests
    /// declare together (what the per-agency quotas of [`crate::limits::Limits`] count).
    pub fn open_load(&self, agency_id: &str) -> Result<(u64, u64), StoreError> {
        let (n, bytes): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COALESCE((SELECT SUM(p.sealed_len) FROM parts p
                JOIN submissions s ON s.id = p.submission_id
                WHERE s.agency_id = ?1 AND s.state = 'open'), 0)
             FROM submissions WHERE agency_id = ?1 AND state = 'open'",
            [agency_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((n as u64, bytes as u64))
    }

    /// Discards every submission left open since before `cutoff`: its parts and their
    /// file, and the submission itself (its agency, sending again, starts a new one under
    /// the same id). Returns the ids discarded.
    pub fn expire_open(
        &self,
        cutoff: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id, created_at FROM submissions WHERE state = 'open'")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|(_, created)| {
                chrono::DateTime::parse_from_rfc3339(created).is_ok_and(|t| t < cutoff)
            })
            .map(|(id, _)| id)
            .collect();
        for id in &ids {
            let tx = self.conn.unchecked_transaction()?;
            tx.execute("DELETE FROM parts WHERE submission_id = ?1", [id])?;
            tx.execute(
                "DELETE FROM submissions WHERE id = ?1 AND state = 'open'",
                [id],
            )?;
            tx.commit()?;
            match std::fs::remove_file(self.parts.path(id)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
            self.sealing.lock().expect("sealing lock").remove(id);
        }
        Ok(ids)
    }

    /// What [`BlobCheck::run`] needs to open the blob `blob_id` of the open submission
    /// `submission` outside the store's lock (a commit that opens it itself).
    pub fn blob_opening(
        &self,
        submission: &str,
        blob_id: &str,
    ) -> Result<Option<BlobCheck>, StoreError> {
        let Some(part) = self.part(submission, blob_id)? else {
            return Ok(None);
        };
        let Some(plain_len) = part.blob_plain_len else {
            return Ok(None);
        };
        let (cipher, sealing) = self.sealing(submission)?;
        Ok(Some(BlobCheck {
            keys: self.keys.clone(),
            sealing,
            cipher,
            parts: self.parts.clone(),
            start: part.start,
            submission: submission.to_owned(),
            blob_id: blob_id.to_owned(),
            plain_len,
        }))
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

    /// A part (an item or an attachment blob) of an open submission, or `None` if its
    /// manifest declares no such part.
    pub fn part(&self, submission: &str, part: &str) -> Result<Option<Part>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT start, sealed_len, received, blob_plain_len, opened_sha256 FROM parts
                 WHERE submission_id = ?1 AND part_id = ?2",
            )?
            .query_row(params![submission, part], |r| {
                Ok(Part {
                    submission: submission.to_owned(),
                    id: part.to_owned(),
                    start: r.get::<_, i64>(0)? as u64,
                    sealed_len: r.get::<_, i64>(1)? as u64,
                    received: r.get::<_, i64>(2)? as u64,
                    blob_plain_len: r.get::<_, Option<i64>>(3)?.map(|n| n as u64),
                    opened: r.get::<_, Option<String>>(4)?.is_some(),
                })
            })
            .optional()?)
    }

    /// If `part` is a blob whose last byte has arrived and that was not checked yet: what
    /// [`BlobCheck::run`] needs to open it (outside the store's lock, so that other
    /// uploads go on meanwhile). A blob that does not open is left for the commit to
    /// refuse.
    pub fn blob_to_check(&self, part: &Part) -> Result<Option<BlobCheck>, StoreError> {
        let Some(plain_len) = part.blob_plain_len else {
            return Ok(None);
        };
        if part.opened || part.received != part.sealed_len {
            return Ok(None);
        }
        let (cipher, sealing) = self.sealing(&part.submission)?;
        Ok(Some(BlobCheck {
            keys: self.keys.clone(),
            sealing,
            cipher,
            parts: self.parts.clone(),
            start: part.start,
            submission: part.submission.clone(),
            blob_id: part.id.clone(),
            plain_len,
        }))
    }

    /// A submission's blob cipher, and the keys of its parts when the manifest sealed them
    /// all under one context (`encapsulated_key`; `None` for manifests of earlier
    /// versions, whose parts each open their own). Derived once per open submission (one
    /// X25519 operation) and kept until its commit; on demand after that.
    pub fn sealing(
        &self,
        submission: &str,
    ) -> Result<(BlobCipher, Option<Arc<SubmissionKeys>>), StoreError> {
        if let Some(keys) = self.sealing.lock().expect("sealing lock").get(submission) {
            return Ok((keys.cipher(), Some(keys.clone())));
        }
        let (cipher, enc, state): (String, Option<String>, String) = self
            .conn
            .prepare_cached(
                "SELECT blob_cipher, encapsulated_key, state FROM submissions WHERE id = ?1",
            )?
            .query_row([submission], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let cipher = cipher_named(&cipher)?;
        let Some(enc) = enc else {
            return Ok((cipher, None));
        };
        let keys = SubmissionKeys::for_receiver(&self.keys, submission, cipher, &enc)
            .map_err(|e| StoreError::Damaged(format!("submission {submission}: {e}")))?;
        let keys = Arc::new(keys);
        // Only open submissions are kept: an analyst's reading of a committed one would
        // otherwise fill the cache for the life of the server.
        if state == "open" {
            self.sealing
                .lock()
                .expect("sealing lock")
                .insert(submission.to_owned(), keys.clone());
        }
        Ok((cipher, Some(keys)))
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

    /// Bytes received so far for a part of an open submission (0 for a part it does not
    /// declare).
    pub fn received(&self, submission: &str, part: &str) -> Result<u64, StoreError> {
        Ok(self.part(submission, part)?.map_or(0, |p| p.received))
    }

    /// Groups the writes until [`StoreBatch::commit`] in one transaction (dropped
    /// uncommitted, it rolls them back: the counts of received bytes then say less than
    /// the file holds, and the client sends those bytes again).
    pub fn batch(&self) -> Result<StoreBatch<'_>, StoreError> {
        Ok(StoreBatch(self.conn.unchecked_transaction()?))
    }

    /// Appends a chunk to `part` at `offset`, which must be what was received so far:
    /// `Ok(Err(have))` when it is not. The caller checked that the chunk fits the part.
    /// The bytes are written before they are counted, and reach the disk lazily, which the
    /// protocol tolerates (a client asks what arrived and resends); the file is flushed
    /// before the receipt.
    pub fn append(
        &self,
        part: &mut Part,
        offset: u64,
        data: &[u8],
    ) -> Result<Result<u64, u64>, StoreError> {
        if offset != part.received {
            return Ok(Err(part.received));
        }
        debug_assert!(offset + data.len() as u64 <= part.sealed_len);
        self.parts
            .write_at(&part.submission, part.start + offset, data)?;
        self.count_received(part, offset + data.len() as u64)?;
        Ok(Ok(part.received))
    }

    /// The files of the parts, for writing a piece outside the store's lock (see
    /// [`Store::count_received`]).
    pub fn parts(&self) -> &PartFiles {
        &self.parts
    }

    /// Counts `part` received up to `received`, once its bytes are written.
    pub fn count_received(&self, part: &mut Part, received: u64) -> Result<(), StoreError> {
        part.received = received;
        self.conn
            .prepare_cached(
                "UPDATE parts SET received = ?3 WHERE submission_id = ?1 AND part_id = ?2",
            )?
            .execute(params![part.submission, part.id, part.received as i64])?;
        Ok(())
    }

    /// An item's uploaded bytes.
    pub fn item_bytes(&self, submission: &str, item: &str) -> Result<Vec<u8>, StoreError> {
        match self.part(submission, item)? {
            Some(p) => Ok(self.parts.read_all(submission, p.start, p.received)?),
            None => Ok(Vec::new()),
        }
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
        let (cipher, sealing) = self.sealing(submission)?;
        // An open submission's blob, or a stored one.
        let start: Option<i64> = self
            .conn
            .query_row(
                "SELECT start FROM parts WHERE submission_id = ?1 AND part_id = ?2
                 UNION ALL SELECT start FROM attachments WHERE submission_id = ?1 AND blob_id = ?2",
                params![submission, blob_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let start = start.ok_or_else(|| {
            StoreError::Damaged(format!("attachment {blob_id} has no place in its file"))
        })?;
        open_blob(
            &self.keys,
            sealing.as_deref(),
            cipher,
            &self.parts,
            BlobPlace {
                submission,
                blob_id,
                start: start as u64,
                plain_len,
            },
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
        // The receipt goes out once this is on disk: the attachments (kept sealed in the
        // submission's file) and this transaction, fully.
        self.parts.sync(submission)?;
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
                "INSERT INTO attachments (blob_id, submission_id, item_id, attachment_id, media_type, size, sha256, start)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                    (SELECT start FROM parts WHERE submission_id = ?2 AND part_id = ?1))",
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
        self.sealing
            .lock()
            .expect("sealing lock")
            .remove(submission);
        // The items are stored opened; their sealed copies stay in the file beside the
        // attachments, readable only with the PSO's key.
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

    /// Aggregate feedback for an agency: its own stored items beside the other
    /// agencies', with small cells suppressed (see [`crate::feedback`]).
    pub fn feedback(&self, agency_id: &str) -> Result<harbor_protocol::Feedback, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.agency_id, i.kind, i.snapshot FROM items i JOIN submissions s ON s.id = i.submission_id",
        )?;
        let mut items = Vec::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let agency: String = r.get(0)?;
            let kind: String = r.get(1)?;
            let snapshot: serde_json::Value =
                serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default();
            items.push((agency, crate::feedback::cells(&kind, &snapshot["body"])));
        }
        Ok(crate::feedback::feedback(agency_id, items))
    }

    /// The signing key of the PSO (for receipts).
    pub fn signing(&self) -> &AgencySigningKey {
        &self.keys.signing
    }
}

/// Writes grouped in one transaction (see [`Store::batch`]).
pub struct StoreBatch<'a>(rusqlite::Transaction<'a>);

impl StoreBatch<'_> {
    /// Commits the grouped writes.
    pub fn commit(self) -> Result<(), StoreError> {
        Ok(self.0.commit()?)
    }
}

/// A part of an open submission, as the store keeps it.
#[derive(Debug, Clone)]
pub struct Part {
    /// The submission.
    pub submission: String,
    /// The part (an item id or a blob id).
    pub id: String,
    /// Where its region of the submission's file starts.
    pub start: u64,
    /// Its sealed length, from the manifest.
    pub sealed_len: u64,
    /// Bytes received so far.
    pub received: u64,
    /// For an attachment blob, its plaintext length.
    pub blob_plain_len: Option<u64>,
    /// Whether the blob was opened and its hash kept.
    pub opened: bool,
}

/// A blob whose last byte arrived, to be opened and hashed (see [`Store::blob_to_check`]).
pub struct BlobCheck {
    keys: Arc<PsoKeys>,
    sealing: Option<Arc<SubmissionKeys>>,
    cipher: BlobCipher,
    parts: PartFiles,
    start: u64,
    /// The submission.
    pub submission: String,
    /// The blob.
    pub blob_id: String,
    plain_len: u64,
}

impl BlobCheck {
    /// Opens the blob; its plaintext's SHA-256 if it opens, `None` if it does not.
    pub fn run(&self) -> Result<Option<String>, StoreError> {
        Ok(self.open()?.ok())
    }

    /// Opens the blob; its plaintext's SHA-256, or why it does not open.
    pub fn open(&self) -> Result<Result<String, harbor_protocol::ProtocolError>, StoreError> {
        open_blob(
            &self.keys,
            self.sealing.as_deref(),
            self.cipher,
            &self.parts,
            BlobPlace {
                submission: &self.submission,
                blob_id: &self.blob_id,
                start: self.start,
                plain_len: self.plain_len,
            },
            &mut |_| {},
        )
    }

    /// Flushes the submission's file to disk, so that the flush before the receipt finds
    /// little left to write.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.parts.flush_and_release(
            &self.submission,
            self.start,
            harbor_protocol::sealed_len(self.plain_len),
        )?)
    }
}

/// Where a sealed blob is, and the length of its plaintext.
struct BlobPlace<'a> {
    submission: &'a str,
    blob_id: &'a str,
    start: u64,
    plain_len: u64,
}

fn open_blob(
    keys: &PsoKeys,
    sealing: Option<&SubmissionKeys>,
    cipher: BlobCipher,
    parts: &PartFiles,
    blob: BlobPlace<'_>,
    out: &mut dyn FnMut(&[u8]),
) -> Result<Result<String, harbor_protocol::ProtocolError>, StoreError> {
    use sha2::Digest;
    let mut opener = match sealing {
        Some(sealing) => match sealing.blob_opener(blob.blob_id, blob.plain_len) {
            Ok(opener) => opener,
            Err(e) => return Ok(Err(e)),
        },
        None => harbor_protocol::BlobOpener::new(
            keys,
            cipher,
            blob.submission,
            blob.blob_id,
            blob.plain_len,
        ),
    };
    let mut hasher = sha2::Sha256::new();
    let mut failed = None;
    let sealed_len = harbor_protocol::sealed_len(blob.plain_len);
    parts.read_range(blob.submission, blob.start, sealed_len, &mut |data| {
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

/// Moves the uploaded parts of a store from before [`crate::parts`]'s layout into it: the
/// `chunks` table of the first versions and the file per part of the next, into one file
/// per submission, each part at the place then recorded in `parts.start` (open
/// submissions) or `attachments.start` (stored attachments). Safe to repeat after a crash:
/// a submission's file is written again from the start while any of its parts has no
/// place, and the old table and folders go only once the places are committed.
fn move_legacy_parts(conn: &Connection, parts: &PartFiles) -> Result<(), StoreError> {
    let has_chunks: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'chunks')",
        [],
        |r| r.get(0),
    )?;
    let legacy: std::collections::HashMap<String, PathBuf> =
        parts.legacy_submissions()?.into_iter().collect();
    // Every part without a place: submission, part, length of its region, and whether it
    // is a stored attachment (else a part of an open submission).
    let mut homeless: Vec<(String, String, u64, bool)> = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT submission_id, part_id, sealed_len FROM parts WHERE start IS NULL
         ORDER BY submission_id, part_id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64, false))
    })? {
        homeless.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT submission_id, blob_id, size FROM attachments WHERE start IS NULL
         ORDER BY submission_id, blob_id",
    )?;
    for row in stmt.query_map([], |r| {
        let size = r.get::<_, i64>(2)? as u64;
        Ok((
            r.get(0)?,
            r.get(1)?,
            harbor_protocol::sealed_len(size),
            true,
        ))
    })? {
        homeless.push(row?);
    }
    if !homeless.is_empty() {
        let tx = conn.unchecked_transaction()?;
        let mut end: std::collections::HashMap<String, u64> = Default::default();
        for (submission, part, len, stored) in &homeless {
            let start = match end.get(submission) {
                Some(e) => *e,
                None => {
                    parts.truncate(submission)?;
                    0
                }
            };
            end.insert(submission.clone(), start + len);
            let mut have = 0u64;
            if has_chunks {
                let mut chunks = tx.prepare_cached(
                    "SELECT data FROM chunks WHERE submission_id = ?1 AND item_id = ?2 ORDER BY idx",
                )?;
                let mut rows = chunks.query(params![submission, part])?;
                while let Some(r) = rows.next()? {
                    let data = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
                    parts.write_at(submission, start + have, data)?;
                    have += data.len() as u64;
                }
            }
            if let (0, Some(folder)) = (have, legacy.get(submission)) {
                have = parts.copy_legacy_part(folder, part, submission, start)?;
            }
            if *stored {
                tx.execute(
                    "UPDATE attachments SET start = ?2 WHERE blob_id = ?1",
                    params![part, start as i64],
                )?;
            } else {
                tx.execute(
                    "UPDATE parts SET start = ?3, received = ?4 WHERE submission_id = ?1 AND part_id = ?2",
                    params![submission, part, start as i64, have.min(*len) as i64],
                )?;
            }
        }
        for submission in end.keys() {
            parts.sync(submission)?;
        }
        tx.commit()?;
    }
    if has_chunks {
        conn.execute_batch("DROP TABLE chunks")?;
    }
    for folder in legacy.values() {
        std::fs::remove_dir_all(folder)?;
    }
    Ok(())
}

/// The cipher a stored submission names.
fn cipher_named(name: &str) -> Result<BlobCipher, StoreError> {
    BlobCipher::from_name(name)
        .ok_or_else(|| StoreError::Damaged(format!("unknown blob cipher '{name}'")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    fn sealed_blob(store: &Store, cipher: BlobCipher, plain: &[u8]) -> Vec<u8> {
        let sealer = harbor_protocol::BlobSealer::new(
            cipher,
            &store.keys.receive_public_hex(),
            "sub-1",
            "blob-1",
            plain.len() as u64,
        )
        .unwrap();
        sealer
            .sealed_range(0, usize::MAX, &mut |i, buf| {
                let s = i as usize * harbor_protocol::SEGMENT;
                buf.extend_from_slice(&plain[s..(s + harbor_protocol::SEGMENT).min(plain.len())]);
                Ok::<_, ()>(())
            })
            .unwrap()
    }

    /// A store as the version before the one-file layout left it: a file per part under
    /// `parts/HEX(submission)/`, an open submission half uploaded and a stored attachment.
    /// Opening it moves both into one file per submission: the open part keeps what it
    /// received, the stored attachment still opens to its plaintext, the old folders go.
    #[test]
    fn a_store_with_a_file_per_part_moves_them_into_one_file_per_submission() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let plain: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();
        let sealed = sealed_blob(&store, BlobCipher::Aes256Gcm, &plain);
        let sha = hex::encode(sha2::Sha256::digest(&plain));
        store
            .conn
            .execute_batch(
                "INSERT INTO agencies (id, name, token_sha256, created_at) VALUES ('a', 'A', 't', 'now');
                 INSERT INTO submissions (id, agency_id, manifest, manifest_sha256, state, created_at, blob_cipher)
                 VALUES ('sub-1', 'a', '{}', 'h', 'committed', 'now', 'aes-256-gcm'),
                        ('sub-2', 'a', '{}', 'h2', 'open', 'now', 'aes-256-gcm');",
            )
            .unwrap();
        store
            .conn
            .execute(
                "INSERT INTO attachments (blob_id, submission_id, item_id, attachment_id, media_type, size, sha256)
                 VALUES ('blob-1', 'sub-1', 'item-1', 'att-1', 'application/octet-stream', ?1, ?2)",
                params![plain.len() as i64, sha],
            )
            .unwrap();
        for (part, len) in [("item-9", 100i64), ("blob-9", 5000)] {
            store
                .conn
                .execute(
                    "INSERT INTO parts (submission_id, part_id, sealed_len) VALUES ('sub-2', ?1, ?2)",
                    params![part, len],
                )
                .unwrap();
        }
        let legacy = |sub: &str, part: &str, bytes: &[u8]| {
            let folder = dir.path().join("parts").join(hex::encode(sub));
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join(hex::encode(part)), bytes).unwrap();
        };
        legacy("sub-1", "blob-1", &sealed);
        legacy("sub-2", "item-9", &[7u8; 40]);
        drop(store);

        let store = Store::open(dir.path()).unwrap();
        assert!(store.parts.legacy_submissions().unwrap().is_empty());
        let mut out = Vec::new();
        store.write_attachment("blob-1", &mut out).unwrap();
        assert_eq!(out, plain);
        let item = store.part("sub-2", "item-9").unwrap().unwrap();
        let blob = store.part("sub-2", "blob-9").unwrap().unwrap();
        assert_eq!((item.received, blob.received), (40, 0));
        assert!(
            item.start + 100 <= blob.start || blob.start + 5000 <= item.start,
            "the regions do not overlap: {item:?} {blob:?}"
        );
        assert_eq!(store.item_bytes("sub-2", "item-9").unwrap(), vec![7u8; 40]);
        // Opening again changes nothing.
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.part("sub-2", "item-9").unwrap().unwrap().start,
            item.start
        );
        let mut again = Vec::new();
        store.write_attachment("blob-1", &mut again).unwrap();
        assert_eq!(again, plain);
    }

    /// A store as the first versions left it (before schema versions): a `chunks` table and
    /// no cipher column, with a blob sealed with ChaCha20-Poly1305 half in two chunks.
    /// Opening it moves the chunks into the submission's file, and the blob still opens to
    /// its plaintext.
    #[test]
    fn a_store_of_the_first_versions_moves_its_chunks_to_files_and_still_opens_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let plain: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        let sealed = sealed_blob(&store, BlobCipher::ChaCha20Poly1305, &plain);
        let half = sealed.len() / 2;
        store
            .conn
            .execute_batch(
                "PRAGMA user_version = 0;
                 ALTER TABLE submissions DROP COLUMN blob_cipher;
                 ALTER TABLE parts DROP COLUMN start;
                 ALTER TABLE parts DROP COLUMN received;
                 ALTER TABLE attachments DROP COLUMN start;
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
            .blob_to_check(&store.part("sub-1", "blob-1").unwrap().unwrap())
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

#[cfg(test)]
mod sealing_tests {
    use super::*;

    /// The keys of a submission sealed under one context are derived from its manifest and
    /// kept while it is open; a committed one's are derived again when asked, not kept.
    #[test]
    fn the_keys_of_open_submissions_are_kept_and_of_committed_ones_derived_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(dir.path()).unwrap();
        let (agency, _) = store.add_agency("County EMS").unwrap();
        let cipher = BlobCipher::CURRENT;
        let sender =
            SubmissionKeys::for_sender(&store.keys.receive_public_hex(), "s1", cipher).unwrap();
        let manifest = harbor_protocol::Manifest {
            protocol: harbor_protocol::PROTOCOL.into(),
            submission_id: "s1".into(),
            agency_id: agency.id.clone(),
            created_at: "2026-11-23T08:00:00Z".into(),
            schema_versions: Default::default(),
            items: vec![],
            audit_head: "00".repeat(32),
            blob_cipher: cipher,
            encapsulated_key: Some(sender.encapsulated_key()),
        };
        let signed = manifest.sign(&AgencySigningKey::generate().unwrap());
        store
            .create_submission(&agency.id, &signed, "hash")
            .unwrap();
        let cached = || store.sealing.lock().unwrap().contains_key("s1");

        let (got, keys) = store.sealing("s1").unwrap();
        assert_eq!(got, cipher);
        let item = sender.seal_item("i1", b"{}").unwrap();
        assert_eq!(keys.unwrap().open_item("i1", &item).unwrap(), b"{}");
        assert!(cached(), "kept while open");

        // As a commit leaves it.
        store.sealing.lock().unwrap().remove("s1");
        store
            .conn
            .execute(
                "UPDATE submissions SET state = 'committed' WHERE id = 's1'",
                [],
            )
            .unwrap();
        let (_, keys) = store.sealing("s1").unwrap();
        assert_eq!(keys.unwrap().open_item("i1", &item).unwrap(), b"{}");
        assert!(!cached(), "derived again, not kept");
    }
}
