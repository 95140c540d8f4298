//! Attachments: streamed into the encrypted database in chunks, with the SHA-256 of the
//! whole, a size limit, a sanitised name and a sniffed media type.

use crate::records::load_meta;
use crate::{Result, UnlockedVault, VaultError, audit, time};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;

/// Size of one stored chunk.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// An attachment's description.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Attachment {
    /// Its id.
    pub id: String,
    /// The record it belongs to.
    pub record_id: String,
    /// The sanitised file name.
    pub name: String,
    /// The sniffed media type.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content (hex).
    pub sha256: String,
    /// When it was attached.
    pub created_at: DateTime<Utc>,
    /// Who attached it.
    pub created_by: String,
}

/// Makes a file name safe to store and to write back out: the last path component only,
/// no control or reserved characters, no leading dots, at most 200 characters.
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let name: String = trimmed.chars().take(200).collect();
    if name.is_empty() {
        "attachment".into()
    } else {
        name
    }
}

/// Guesses a media type from the first bytes (never from the name alone).
pub fn sniff(head: &[u8], name: &str) -> &'static str {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"ID3", "audio/mpeg"),
        (b"OggS", "audio/ogg"),
        (b"fLaC", "audio/flac"),
        (b"PK\x03\x04", "application/zip"),
        (b"<?xml", "application/xml"),
    ];
    if let Some((_, t)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return t;
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE" {
        return "audio/wav";
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return "video/mp4";
    }
    let lower = name.to_lowercase();
    if std::str::from_utf8(head).is_ok() && !head.contains(&0) {
        if lower.ends_with(".csv") {
            return "text/csv";
        }
        return "text/plain";
    }
    "application/octet-stream"
}

impl UnlockedVault {
    /// Attaches the file at `path` to a record, streaming it in chunks.
    pub fn attach(&mut self, record_id: &str, path: &Path) -> Result<Attachment> {
        let meta = load_meta(&self.conn, record_id)?;
        harbor_core::PsesState::parse(&meta.pses_state)
            .ok_or_else(|| VaultError::Corrupt("unknown PSES state".into()))?
            .allows_edit()?;
        let limit = self.attachment_max_bytes()?;
        let mut file = std::fs::File::open(path).map_err(VaultError::io("read", path))?;
        let size = file.metadata().map_err(VaultError::io("read", path))?.len();
        if size > limit {
            return Err(VaultError::AttachmentTooLarge { size, limit });
        }
        let name = sanitize_name(&path.file_name().unwrap_or_default().to_string_lossy());
        let id = uuid::Uuid::now_v7().to_string();
        let now = time::now();
        let at = time::to_text(now);
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO attachments (id, record_id, name, media_type, size, sha256, created_at, created_by)
             VALUES (?1, ?2, ?3, '', 0, '', ?4, ?5)",
            params![id, record_id, name, at, actor],
        )?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK_BYTES];
        let mut total: u64 = 0;
        let mut media_type = "application/octet-stream";
        let mut idx = 0i64;
        loop {
            let n = read_full(&mut file, &mut buf).map_err(VaultError::io("read", path))?;
            if n == 0 {
                break;
            }
            if idx == 0 {
                media_type = sniff(&buf[..n.min(512)], &name);
            }
            total += n as u64;
            if total > limit {
                // The file grew while being read.
                return Err(VaultError::AttachmentTooLarge { size: total, limit });
            }
            hasher.update(&buf[..n]);
            tx.execute(
                "INSERT INTO attachment_chunks (attachment_id, idx, data) VALUES (?1, ?2, ?3)",
                params![id, idx, &buf[..n]],
            )?;
            idx += 1;
        }
        let sha = hex::encode(hasher.finalize());
        tx.execute(
            "UPDATE attachments SET media_type = ?2, size = ?3, sha256 = ?4 WHERE id = ?1",
            params![id, media_type, total as i64, sha],
        )?;
        audit::append(
            &tx,
            now,
            &actor,
            "attachment.add",
            Some(record_id),
            json!({"attachment": id, "size": total, "sha256": sha, "media_type": media_type}),
        )?;
        tx.commit()?;
        self.attachment(&id)
    }

    /// One attachment's description.
    pub fn attachment(&self, id: &str) -> Result<Attachment> {
        attachment_in(&self.conn, id)
    }

    /// Appends the content of chunk `idx` of an attachment (every chunk but the last holds
    /// exactly [`CHUNK_BYTES`]) to `out`, for streaming it out without holding the whole
    /// file, or for sealing it in place there. Not audited on its own: the caller audits
    /// the purpose (a submission or a packet is a disclosure).
    pub fn attachment_chunk_into(&self, id: &str, idx: u64, out: &mut Vec<u8>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM attachment_chunks WHERE attachment_id = ?1 AND idx = ?2",
        )?;
        let mut rows = stmt.query(params![id, idx as i64])?;
        match rows.next()? {
            Some(row) => {
                let data = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
                out.extend_from_slice(data);
                Ok(())
            }
            // An empty file has no chunk.
            None if idx == 0 && self.attachment(id)?.size == 0 => Ok(()),
            None => Err(VaultError::Corrupt(format!(
                "attachment {id} is missing its chunk {idx}"
            ))),
        }
    }

    /// The attachments of a record.
    pub fn list_attachments(&self, record_id: &str) -> Result<Vec<Attachment>> {
        load_meta(&self.conn, record_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, record_id, name, media_type, size, sha256, created_at, created_by
             FROM attachments WHERE record_id = ?1 ORDER BY id",
        )?;
        let list = stmt
            .query_map([record_id], attachment_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(list)
    }

    /// Writes an attachment's content to `out` (an audited export), checking its hash.
    /// Refuses to overwrite an existing file.
    pub fn export_attachment(&mut self, id: &str, out: &Path) -> Result<Attachment> {
        let att = self.attachment(id)?;
        // 0600: an exported attachment is PHI.
        let mut file = crate::vault::create_private_file(out)?;
        let mut hasher = Sha256::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT data FROM attachment_chunks WHERE attachment_id = ?1 ORDER BY idx",
            )?;
            let mut rows = stmt.query([id])?;
            while let Some(row) = rows.next()? {
                let data = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
                hasher.update(data);
                file.write_all(data).map_err(VaultError::io("write", out))?;
            }
        }
        file.sync_all().map_err(VaultError::io("write", out))?;
        if hex::encode(hasher.finalize()) != att.sha256 {
            drop(file);
            let _ = std::fs::remove_file(out);
            return Err(VaultError::Corrupt(
                "an attachment's content does not match its SHA-256".into(),
            ));
        }
        // An export the log does not hold must not exist: the file goes if logging fails.
        let logged = (|| -> Result<()> {
            let actor = self.actor.name.clone();
            let now = crate::time::now();
            let tx = self.conn.transaction()?;
            crate::disclosures::log_in(
                &tx,
                now,
                &actor,
                &crate::disclosures::NewDisclosure {
                    reference: Some(id),
                    records: std::slice::from_ref(&att.record_id),
                    ledger: true,
                    ..crate::disclosures::NewDisclosure::now(
                        now,
                        harbor_core::disclosure::Channel::AttachmentExport,
                        "a file written out of the vault",
                        harbor_core::disclosure::Permission::WithinPses,
                    )
                },
            )?;
            crate::audit::append(
                &tx,
                now,
                &actor,
                "attachment.export",
                Some(&att.record_id),
                json!({"attachment": id, "sha256": att.sha256}),
            )?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = logged {
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
        Ok(att)
    }
}

/// One attachment's description, on any connection (also inside a transaction).
pub(crate) fn attachment_in(conn: &rusqlite::Connection, id: &str) -> Result<Attachment> {
    conn.query_row(
        "SELECT id, record_id, name, media_type, size, sha256, created_at, created_by
         FROM attachments WHERE id = ?1",
        [id],
        attachment_from_row,
    )
    .optional()?
    .ok_or_else(|| VaultError::NotFound {
        what: "attachment",
        id: id.to_owned(),
    })
}

/// Stores an attachment that arrived in a case packet, with its id, in chunks, inside the
/// caller's transaction (and audits it there).
pub(crate) fn insert_attachment_bytes(
    tx: &rusqlite::Connection,
    a: &harbor_protocol::PacketAttachment,
    at: &str,
    actor: &str,
) -> Result<()> {
    let name = sanitize_name(&a.name);
    let media_type = sniff(&a.content[..a.content.len().min(512)], &name);
    let sha = hex::encode(Sha256::digest(&a.content));
    tx.execute(
        "INSERT INTO attachments (id, record_id, name, media_type, size, sha256, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![a.attachment_id, a.record_id, name, media_type, a.content.len() as i64, sha, at, actor],
    )?;
    for (idx, chunk) in a.content.chunks(CHUNK_BYTES).enumerate() {
        tx.execute(
            "INSERT INTO attachment_chunks (attachment_id, idx, data) VALUES (?1, ?2, ?3)",
            params![a.attachment_id, idx as i64, chunk],
        )?;
    }
    audit::append(
        tx,
        time::now(),
        actor,
        "attachment.add",
        Some(&a.record_id),
        json!({"attachment": a.attachment_id, "size": a.content.len(), "sha256": sha, "media_type": media_type, "from_packet": true}),
    )?;
    Ok(())
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn attachment_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        record_id: r.get(1)?,
        name: r.get(2)?,
        media_type: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        sha256: r.get(5)?,
        created_at: time::from_text(&r.get::<_, String>(6)?),
        created_by: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitised() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\Users\\x\\scan.pdf"), "scan.pdf");
        assert_eq!(sanitize_name(".hidden"), "hidden");
        assert_eq!(sanitize_name("a\u{0}b<c>.txt"), "a_b_c_.txt");
        assert_eq!(sanitize_name(""), "attachment");
        assert_eq!(sanitize_name(&"x".repeat(500)).len(), 200);
    }

    #[test]
    fn types_are_sniffed_from_content() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "x.txt"), "application/pdf");
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "x"), "image/png");
        assert_eq!(sniff(b"hello", "notes.csv"), "text/csv");
        assert_eq!(sniff(&[0, 1, 2, 3], "x.pdf"), "application/octet-stream");
    }
}
