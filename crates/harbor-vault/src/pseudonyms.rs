//! What a nonidentifiable snapshot carries instead of the record's own codes: the record
//! id is a UUIDv7 (its creation time to the millisecond) and the revision hash lets
//! anyone who guesses an identifiable revision confirm it, so neither leaves (42 CFR
//! 3.212: "any other unique code"). Instead a snapshot carries a pseudonymous id, random
//! (UUIDv4) per record and PSO and kept here so that amendments link, and an HMAC-SHA256
//! of the revision hash under a secret that never leaves the vault.

use crate::Result;
use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

/// The `meta` key of the secret of the keyed revision hash (hex, 32 bytes).
const MAC_KEY: &str = "revision_mac_key";

/// The pseudonymous id of `record_id` toward the PSO `pso` (its pinned key, or "" when
/// none is enrolled), made on first use.
pub(crate) fn pseudonym(conn: &Connection, record_id: &str, pso: &str) -> Result<String> {
    let known: Option<String> = conn
        .query_row(
            "SELECT item_id FROM pseudonyms WHERE record_id = ?1 AND pso = ?2",
            params![record_id, pso],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = known {
        return Ok(id);
    }
    let id = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO pseudonyms (record_id, pso, item_id) VALUES (?1, ?2, ?3)",
        params![record_id, pso, id],
    )?;
    Ok(id)
}

/// HMAC-SHA256 (hex) of `revision_hash` under the vault's secret, which is made on first
/// use: a vault from before the secret gets one the first time it needs it.
pub(crate) fn keyed_revision_hash(conn: &Connection, revision_hash: &str) -> Result<String> {
    let stored: Option<Zeroizing<String>> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [MAC_KEY], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .map(Zeroizing::new);
    let secret: Zeroizing<Vec<u8>> = match stored {
        Some(text) => Zeroizing::new(hex::decode(text.as_str()).map_err(|_| {
            crate::VaultError::Corrupt("the keyed revision hash's secret is not readable".into())
        })?),
        None => {
            let mut bytes = Zeroizing::new(vec![0u8; 32]);
            getrandom::fill(&mut bytes).map_err(|_| crate::VaultError::Randomness)?;
            let text = Zeroizing::new(hex::encode(bytes.as_slice()));
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![MAC_KEY, text.as_str()],
            )?;
            bytes
        }
    };
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &secret);
    Ok(hex::encode(
        aws_lc_rs::hmac::sign(&key, revision_hash.as_bytes()).as_ref(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database as Harbor left it before pseudonyms (schema 10), with one record, then
    /// opened by this version.
    fn upgraded_vault() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = crate::migrations::MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE pseudonyms"))
            .expect("the pseudonyms migration");
        for m in &crate::migrations::MIGRATIONS[..before] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", before as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev)
                 VALUES ('r1', 'call_review', 'closed', 'in_pses', '', 't', 'u', 't', 1);",
        )
        .unwrap();
        crate::db::migrate(&mut conn).unwrap();
        conn
    }

    #[test]
    fn an_old_vault_gets_pseudonyms_per_record_and_pso_and_a_secret_on_first_use() {
        let conn = upgraded_vault();
        let a = pseudonym(&conn, "r1", "pso-a").unwrap();
        assert_eq!(
            pseudonym(&conn, "r1", "pso-a").unwrap(),
            a,
            "amendments link"
        );
        let b = pseudonym(&conn, "r1", "pso-b").unwrap();
        assert_ne!(a, b, "another PSO, another id");
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4, "random, no timestamp");

        let secret = |c: &Connection| -> Option<String> {
            c.query_row("SELECT value FROM meta WHERE key = ?1", [MAC_KEY], |r| {
                r.get(0)
            })
            .optional()
            .unwrap()
        };
        assert_eq!(secret(&conn), None, "made on first use");
        let plain = "ab".repeat(32);
        let keyed = keyed_revision_hash(&conn, &plain).unwrap();
        assert!(secret(&conn).is_some());
        assert_eq!(keyed_revision_hash(&conn, &plain).unwrap(), keyed, "stable");
        assert_ne!(keyed, plain);
        assert_eq!(keyed.len(), 64);
        // Another vault's secret gives another keyed hash of the same revision.
        let other = upgraded_vault();
        assert_ne!(keyed_revision_hash(&other, &plain).unwrap(), keyed);
    }
}
