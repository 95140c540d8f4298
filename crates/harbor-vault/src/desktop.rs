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
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Draft {
    /// What the draft is of (for example `call_review:<id>` or `new:case_note`).
    pub key: String,
    /// The form's input, as the UI wrote it (JSON).
    pub body: serde_json::Value,
    /// When it was last saved.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One cell of the dashboard's trends: how many call reviews and investigations have
/// `key` in the coded field `field` in `month`. No free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendCount {
    /// `category`, `event_type` or `harm`.
    pub field: &'static str,
    /// The coded value.
    pub key: String,
    /// The month of the call or event (`YYYY-MM`), or of entry into the PSES.
    pub month: String,
    /// How many records.
    pub count: i64,
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

    /// The last `months` months that have call reviews or investigations (`YYYY-MM`),
    /// oldest first.
    pub fn trend_months(&self, months: usize) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT month FROM record_codes ORDER BY month DESC LIMIT ?1")?;
        let mut out = stmt
            .query_map([months as i64], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.reverse();
        Ok(out)
    }

    /// Counts of call reviews and investigations by month from `since` (`YYYY-MM`) and by
    /// EMS category (a record counts under each of its categories), event type and harm,
    /// from the coded fields kept with each revision (migration 10).
    pub fn trend_counts(&self, since: &str) -> Result<Vec<TrendCount>> {
        // One pass over the small table (`+month`: a scan, not a lookup per index entry),
        // counted here rather than in three sorting GROUP BYs.
        let mut counts: std::collections::BTreeMap<(&'static str, String, String), i64> =
            std::collections::BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT month, event_type, harm, categories FROM record_codes WHERE +month >= ?1",
        )?;
        let mut rows = stmt.query([since])?;
        while let Some(r) = rows.next()? {
            let month: String = r.get(0)?;
            let mut add = |field: &'static str, key: String| {
                *counts.entry((field, key, month.clone())).or_default() += 1;
            };
            if let Some(e) = r.get::<_, Option<String>>(1)? {
                add("event_type", e);
            }
            if let Some(h) = r.get::<_, Option<String>>(2)? {
                add("harm", h);
            }
            if let Some(c) = r
                .get_ref(3)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?
            {
                for category in serde_json::from_str::<Vec<String>>(c).unwrap_or_default() {
                    add("category", category);
                }
            }
        }
        Ok(counts
            .into_iter()
            .map(|((field, key, month), count)| TrendCount {
                field,
                key,
                month,
                count,
            })
            .collect())
    }
}
