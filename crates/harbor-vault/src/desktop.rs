//! What the desktop app needs from the vault beyond the CLI's actions: drafts (a form's
//! input saved as the person types, so a lock loses nothing), an attachment's content for
//! a preview, and the rows the dashboard counts.

use crate::attachments::Attachment;
use crate::{Result, UnlockedVault, VaultError, time};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The largest draft kept: a form's input is never this large.
pub const MAX_DRAFT_BYTES: usize = 1024 * 1024;

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// What the draft is of (for example `call_review:<id>` or `new:case_note`).
    pub key: String,
    /// The form's input, as the UI wrote it (JSON).
    pub body: serde_json::Value,
    /// When it was last saved.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One call review or investigation, reduced to what the dashboard counts: no free text.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    /// `call_review` or `investigation`.
    pub kind: String,
    /// The month of the call or event (`YYYY-MM`), or of entry into the PSES.
    pub month: String,
    /// The workflow status.
    pub status: Option<String>,
    /// The Common Formats event type, if set.
    pub event_type: Option<String>,
    /// The harm level, if set.
    pub harm: Option<String>,
    /// The EMS categories.
    pub categories: Vec<String>,
}

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 200 || key.chars().any(char::is_control) {
        return Err(VaultError::BadSetting(
            "a draft key is 1 to 200 printable characters".into(),
        ));
    }
    Ok(())
}

impl UnlockedVault {
    /// Saves (replaces) the acting user's draft under `key`. Not audited: a draft is not
    /// a record and changes with every keystroke; it lives only inside the encrypted
    /// database and only its author sees it.
    pub fn save_draft(&mut self, key: &str, body: &serde_json::Value) -> Result<()> {
        check_key(key)?;
        let text = body.to_string();
        if text.len() > MAX_DRAFT_BYTES {
            return Err(VaultError::BadSetting(format!(
                "a draft is at most {MAX_DRAFT_BYTES} bytes"
            )));
        }
        self.conn.execute(
            "INSERT INTO drafts (user_id, key, body, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (user_id, key) DO UPDATE
             SET body = excluded.body, updated_at = excluded.updated_at",
            params![self.actor.user_id, key, text, time::to_text(time::now())],
        )?;
        Ok(())
    }

    /// The acting user's draft under `key`, if any.
    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        check_key(key)?;
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT body, updated_at FROM drafts WHERE user_id = ?1 AND key = ?2",
                params![self.actor.user_id, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(body, at)| {
            Ok(Draft {
                key: key.to_owned(),
                body: serde_json::from_str(&body)
                    .map_err(|_| VaultError::Corrupt("a draft is not JSON".into()))?,
                updated_at: time::from_text(&at),
            })
        })
        .transpose()
    }

    /// The keys of the acting user's drafts, newest first.
    pub fn draft_keys(&self) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT key, updated_at FROM drafts WHERE user_id = ?1 ORDER BY updated_at DESC",
        )?;
        let rows = stmt
            .query_map([&self.actor.user_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|(k, t)| (k, time::from_text(&t)))
            .collect())
    }

    /// Discards the acting user's draft under `key` (nothing happens if there is none).
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        check_key(key)?;
        self.conn.execute(
            "DELETE FROM drafts WHERE user_id = ?1 AND key = ?2",
            params![self.actor.user_id, key],
        )?;
        Ok(())
    }

    /// An attachment's content, hash checked, for a preview inside the app (audited as
    /// `attachment.view`; nothing is written to disk). Refuses attachments larger than
    /// `max_bytes`.
    pub fn attachment_content(
        &mut self,
        id: &str,
        max_bytes: u64,
    ) -> Result<(Attachment, Vec<u8>)> {
        let att = self.attachment(id)?;
        if att.size > max_bytes {
            return Err(VaultError::AttachmentTooLarge {
                size: att.size,
                limit: max_bytes,
            });
        }
        let mut out = Vec::with_capacity(att.size as usize);
        {
            let mut stmt = self.conn.prepare(
                "SELECT data FROM attachment_chunks WHERE attachment_id = ?1 ORDER BY idx",
            )?;
            let mut rows = stmt.query([id])?;
            while let Some(row) = rows.next()? {
                let data = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
                out.extend_from_slice(data);
            }
        }
        if hex::encode(Sha256::digest(&out)) != att.sha256 {
            return Err(VaultError::Corrupt(
                "an attachment's content does not match its SHA-256".into(),
            ));
        }
        self.audit(
            "attachment.view",
            Some(&att.record_id.clone()),
            json!({"attachment": id, "sha256": att.sha256}),
        )?;
        Ok((att, out))
    }

    /// Call reviews by workflow status.
    pub fn review_status_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT coalesce(status, ''), count(*) FROM records WHERE kind = 'call_review'
             GROUP BY status",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every call review and investigation, reduced to the coded fields the dashboard
    /// counts (no free text leaves the database).
    pub fn count_rows(&self) -> Result<Vec<CountRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.kind,
                    substr(coalesce(json_extract(v.body, '$.call.call_date'),
                                    json_extract(v.body, '$.event_date'),
                                    r.created_at), 1, 7),
                    r.status,
                    json_extract(v.body, '$.event_type'),
                    json_extract(v.body, '$.harm.level'),
                    json_extract(v.body, '$.ems_categories')
             FROM records r JOIN revisions v ON v.record_id = r.id AND v.rev = r.current_rev
             WHERE r.kind IN ('call_review', 'investigation')",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let cats: Option<String> = r.get(5)?;
                Ok(CountRow {
                    kind: r.get(0)?,
                    month: r.get(1)?,
                    status: r.get(2)?,
                    event_type: r.get(3)?,
                    harm: r.get(4)?,
                    categories: cats
                        .and_then(|c| serde_json::from_str(&c).ok())
                        .unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
