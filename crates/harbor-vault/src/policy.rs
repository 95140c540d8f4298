//! The PSES policy's versions: each adopted text kept with its date, adopter and hash,
//! append-only (the table refuses updates and deletes, and each adoption is an audit row
//! that carries the hash).

use crate::{Result, UnlockedVault, VaultError, audit, time};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::json;

/// One adopted version of the policy, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PolicyVersion {
    /// Its number, from 1.
    pub version: i64,
    /// When it was adopted (UTC): it is in force from then until the next version.
    pub adopted_at: DateTime<Utc>,
    /// Who adopted it.
    pub adopted_by: String,
    /// SHA-256 of its text (hex), as the audit chain recorded it.
    pub sha256: String,
    /// Its length in bytes.
    pub bytes: i64,
    /// Harbor's template as it came with the vault, not yet the agency's own words.
    pub template: bool,
}

/// A version of the policy and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Policy {
    /// The version.
    #[serde(flatten)]
    pub meta: PolicyVersion,
    /// The text (Markdown).
    pub text: String,
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

/// Adopts `text` as the next version inside the caller's transaction, with its audit row.
pub(crate) fn adopt_in(
    conn: &Connection,
    at: DateTime<Utc>,
    actor: &str,
    text: &str,
    template: bool,
) -> Result<PolicyVersion> {
    let version: i64 = conn.query_row(
        "SELECT coalesce(max(version), 0) + 1 FROM pses_policy",
        [],
        |r| r.get(0),
    )?;
    let sha256 = sha256_hex(text);
    conn.execute(
        "INSERT INTO pses_policy (version, text, sha256, adopted_at, adopted_by, template)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            version,
            text,
            sha256,
            time::to_text(at),
            actor,
            template as i64
        ],
    )?;
    audit::append(
        conn,
        at,
        actor,
        "policy.adopt",
        Some(&version.to_string()),
        json!({"version": version, "sha256": sha256, "bytes": text.len(), "template": template}),
    )?;
    Ok(PolicyVersion {
        version,
        adopted_at: time::from_text(&time::to_text(at)),
        adopted_by: actor.to_owned(),
        sha256,
        bytes: text.len() as i64,
        template,
    })
}

const COLUMNS: &str =
    "version, adopted_at, adopted_by, sha256, length(CAST(text AS BLOB)), template";

fn meta_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<PolicyVersion> {
    Ok(PolicyVersion {
        version: r.get(0)?,
        adopted_at: time::from_text(&r.get::<_, String>(1)?),
        adopted_by: r.get(2)?,
        sha256: r.get(3)?,
        bytes: r.get(4)?,
        template: r.get::<_, i64>(5)? != 0,
    })
}

impl UnlockedVault {
    /// Adopts `text` as the policy's next version (audited as `policy.adopt`). The caller
    /// has checked the text (`harbor_core::policy::check`) and the user's role.
    pub fn adopt_policy(&mut self, text: &str) -> Result<PolicyVersion> {
        let actor = self.actor.name.clone();
        let tx = self.conn.transaction()?;
        let adopted = adopt_in(&tx, time::now(), &actor, text, false)?;
        tx.commit()?;
        Ok(adopted)
    }

    /// Every adopted version, oldest first.
    pub fn policy_versions(&self) -> Result<Vec<PolicyVersion>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM pses_policy ORDER BY version"
        ))?;
        let rows = stmt
            .query_map([], meta_of)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A version with its text (the current one for `None`); `None` when the vault has
    /// none (a vault made before Harbor kept the policy, until an administrator adopts
    /// one). A text that no longer matches its recorded hash is refused as tampering.
    pub fn policy(&self, version: Option<i64>) -> Result<Option<Policy>> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS}, text FROM pses_policy
                     WHERE version = coalesce(?1, (SELECT max(version) FROM pses_policy))"
                ),
                params![version],
                |r| Ok((meta_of(r)?, r.get::<_, String>(6)?)),
            )
            .optional()?;
        let Some((meta, text)) = row else {
            return match version {
                Some(v) => Err(VaultError::NotFound {
                    what: "policy version",
                    id: v.to_string(),
                }),
                None => Ok(None),
            };
        };
        // The text must match its own column and the hash its adoption's audit row
        // recorded: a rewrite of both columns still leaves the chained row behind.
        let audited: Option<String> = self
            .conn
            .query_row(
                "SELECT json_extract(detail, '$.sha256') FROM audit
                 WHERE action = 'policy.adopt' AND target = ?1 ORDER BY seq DESC LIMIT 1",
                [meta.version.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let hash = sha256_hex(&text);
        if hash != meta.sha256 || audited.as_deref() != Some(hash.as_str()) {
            return Err(VaultError::Corrupt(format!(
                "the PSES policy's version {} does not match its recorded hash",
                meta.version
            )));
        }
        Ok(Some(Policy { meta, text }))
    }

    /// The version in force at `at`: the last adopted at or before it; `None` before the
    /// first.
    pub fn policy_in_force_at(&self, at: DateTime<Utc>) -> Result<Option<PolicyVersion>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM pses_policy WHERE adopted_at <= ?1
                     ORDER BY version DESC LIMIT 1"
                ),
                params![time::to_text(at)],
                meta_of,
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::{KdfParams, Passphrase, Vault};

    #[test]
    fn versions_are_kept_append_only_and_a_tampered_text_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("tide-pool-lantern-quarry".into());
        let (mut v, _code) = Vault::create(dir.path(), "admin", &pass, KdfParams::MINIMUM).unwrap();
        let first = v.policy(None).unwrap().unwrap();
        assert_eq!(first.meta.version, 1);
        assert!(first.meta.template);
        assert_eq!(first.text, harbor_core::policy::TEMPLATE);
        let second = v.adopt_policy("Our PSES policy.\n").unwrap();
        assert_eq!(second.version, 2);
        assert!(!second.template);
        assert_eq!(v.policy_versions().unwrap().len(), 2);
        assert_eq!(v.policy(Some(1)).unwrap().unwrap().text, first.text);
        assert_eq!(v.policy(None).unwrap().unwrap().text, "Our PSES policy.\n");
        assert!(matches!(
            v.policy(Some(3)),
            Err(crate::VaultError::NotFound { .. })
        ));
        // In force: version 1 from the vault's creation, version 2 from its adoption.
        let at_first = v
            .policy_in_force_at(first.meta.adopted_at)
            .unwrap()
            .unwrap();
        assert_eq!(at_first.version, 1);
        let now = v.policy_in_force_at(crate::time::now()).unwrap().unwrap();
        assert_eq!(now.version, 2);
        let before = first.meta.adopted_at - chrono::Duration::seconds(1);
        assert_eq!(v.policy_in_force_at(before).unwrap(), None);

        // The table refuses edits and deletes, even to someone holding the key.
        for sql in [
            "UPDATE pses_policy SET text = 'rewritten' WHERE version = 1",
            "DELETE FROM pses_policy WHERE version = 1",
            "INSERT OR REPLACE INTO pses_policy (version, text, sha256, adopted_at, adopted_by, template) VALUES (1, 'rewritten', 'x', 't', 'x', 0)",
        ] {
            let err = v.conn.execute_batch(sql).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{err}");
        }
        // Dropping the triggers to rewrite the text is caught by its hash.
        v.conn
            .execute_batch(
                "DROP TRIGGER pses_policy_is_append_only_update;
                 UPDATE pses_policy SET text = 'rewritten' WHERE version = 1;",
            )
            .unwrap();
        let err = v.policy(Some(1)).unwrap_err().to_string();
        assert!(err.contains("does not match its recorded hash"), "{err}");
        // Rewriting the text and its hash column together is caught by the audit row.
        let forged = super::sha256_hex("forged");
        v.conn
            .execute_batch(&format!(
                "UPDATE pses_policy SET text = 'forged', sha256 = '{forged}' WHERE version = 1;"
            ))
            .unwrap();
        let err = v.policy(Some(1)).unwrap_err().to_string();
        assert!(err.contains("does not match its recorded hash"), "{err}");
        assert_eq!(v.policy(Some(2)).unwrap().unwrap().meta.version, 2);
    }
}
