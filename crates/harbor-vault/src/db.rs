//! Opening the encrypted database (after Mozilla application-services' `open_database`):
//! key first, proven by a read; connection pragmas outside any transaction; migrations in
//! one transaction keyed on `user_version`; a newer schema refused.

use crate::migrations::MIGRATIONS;
use crate::page_cipher::PageCipher;
use crate::secret::DataKey;
use crate::{Result, VaultError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// The schema version this binary writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How to treat a missing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must exist.
    Existing,
    /// Create the file (for `init` and `restore`).
    Create,
}

/// Opens and keys the database with its page settings, checks the key, sets the pragmas
/// and migrates.
pub fn open(
    path: &Path,
    key: Option<&DataKey>,
    pages: PageCipher,
    mode: OpenMode,
) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode == OpenMode::Create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(VaultError::NotAVault(
            path.parent().unwrap_or(path).to_owned(),
        ));
    }
    let mut conn = Connection::open_with_flags(path, flags)?;
    // The key must be the very first statement: anything earlier (WAL above all) would
    // write a plaintext header.
    match key {
        Some(key) => {
            let pragma =
                zeroize::Zeroizing::new(format!("PRAGMA key = {};", *key.sqlcipher_pragma_value()));
            conn.execute_batch(&pragma)?;
            conn.execute_batch(&pages.pragmas("main"))?;
        }
        None => {
            plaintext_allowed()?;
            // Same page size as the encrypted copy, so a benchmark compares like with like.
            conn.execute_batch(&format!("PRAGMA page_size = {};", pages.page_size))?;
        }
    }
    // A wrong key is only noticed at the first read.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| match e.sqlite_error_code() {
            Some(
                rusqlite::ffi::ErrorCode::NotADatabase | rusqlite::ffi::ErrorCode::DatabaseCorrupt,
            ) => VaultError::Corrupt("the database does not open with the vault's key".into()),
            _ => e.into(),
        })?;
    // A file SQLite could only open read-only is a permissions problem, not damage.
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Err(VaultError::Io {
            action: "write",
            path: path.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the vault file is read-only: check its permissions",
            ),
        });
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON;",
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Every write reads first (the audit chain's last hash): a deferred transaction that
    // finds another process committed since its read cannot wait for the lock and fails
    // with "database is locked". Taking the write lock at BEGIN lets the busy timeout wait.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    migrate(&mut conn)?;
    Ok(conn)
}

#[cfg(feature = "plaintext-bench")]
fn plaintext_allowed() -> Result<()> {
    Ok(())
}

#[cfg(not(feature = "plaintext-bench"))]
fn plaintext_allowed() -> Result<()> {
    Err(VaultError::Storage(
        "an unencrypted database is never opened".into(),
    ))
}

/// Brings the schema up to [`SCHEMA_VERSION`] in one transaction, or refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_with(conn, MIGRATIONS)
}

fn migrate_with(conn: &mut Connection, migrations: &[&str]) -> Result<()> {
    let supported = migrations.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > supported {
        return Err(VaultError::SchemaTooNew { found, supported });
    }
    if found == supported {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (i, sql) in migrations.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens with the page settings of a new vault.
    fn open_new(path: &Path, key: &DataKey, mode: OpenMode) -> Result<Connection> {
        open(path, Some(key), PageCipher::CURRENT, mode)
    }

    fn temp_db() -> (tempfile::TempDir, std::path::PathBuf, DataKey) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.db");
        (dir, path, DataKey::generate().unwrap())
    }

    #[test]
    fn a_fresh_database_gets_the_current_schema() {
        let (_dir, path, key) = temp_db();
        let conn = open_new(&path, &key, OpenMode::Create).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_alone() {
        let (_dir, path, key) = temp_db();
        let conn = open_new(&path, &key, OpenMode::Create).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let before = std::fs::read(&path).unwrap();
        let err = open_new(&path, &key, OpenMode::Existing).unwrap_err();
        assert!(
            matches!(err, VaultError::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 1)
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    /// An encrypted database with only the first `version` migrations applied, foreign
    /// keys off so that a test can insert rows as an older Harbor left them.
    fn database_at_version(version: usize) -> (tempfile::TempDir, Connection) {
        let (dir, path, key) = temp_db();
        let mut conn = open_new(&path, &key, OpenMode::Create).unwrap();
        conn.pragma_update(None, "user_version", 0).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
        for t in tables.iter().filter(|t| !t.starts_with("sqlite_")) {
            conn.execute_batch(&format!("DROP TABLE IF EXISTS \"{t}\";"))
                .unwrap();
        }
        migrate_with(&mut conn, &MIGRATIONS[..version]).unwrap();
        (dir, conn)
    }

    #[test]
    fn migration_7_moves_attachment_chunks_and_epcr_sources_with_their_content() {
        let (_dir, mut conn) = database_at_version(6);
        conn.execute_batch(
            "INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev)
                 VALUES ('r1', 'epcr', 'open', 'original_record', '', 't', 'u', 't', 1);
             INSERT INTO attachments (id, record_id, name, media_type, size, sha256, created_at, created_by)
                 VALUES ('a1', 'r1', 'n', 'application/pdf', 6, '', 't', 'u');
             INSERT INTO attachment_chunks (attachment_id, idx, data) VALUES ('a1', 1, x'0405'), ('a1', 0, x'00010203');
             INSERT INTO epcr_sources (record_id, rev, file_name, xml) VALUES ('r1', 1, 'f.xml', '<EMSDataSet/>');",
        )
        .unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        migrate(&mut conn).unwrap();
        let data: Vec<Vec<u8>> = conn
            .prepare("SELECT data FROM attachment_chunks WHERE attachment_id = 'a1' ORDER BY idx")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(data, [vec![0, 1, 2, 3], vec![4, 5]]);
        let xml: String = conn
            .query_row(
                "SELECT xml FROM epcr_sources WHERE record_id = 'r1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(xml, "<EMSDataSet/>");
        let without_rowid: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name IN ('attachment_chunks', 'epcr_sources') AND sql LIKE '%WITHOUT ROWID%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(without_rowid, 0);
    }

    #[test]
    fn migration_10_keeps_the_coded_fields_of_the_current_revisions_for_the_dashboard() {
        let (_dir, mut conn) = database_at_version(9);
        // A review at its second revision (only that one counts), an investigation dated
        // by its event, and a case note (not counted).
        conn.execute_batch(
            r#"INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev) VALUES
                 ('r1', 'call_review', 'closed', 'in_pses', '', '2026-05-01T00:00:00Z', 'u', 't', 2),
                 ('i1', 'investigation', 'open', 'in_pses', '', '2026-05-01T00:00:00Z', 'u', 't', 1),
                 ('n1', 'case_note', NULL, 'in_pses', '', '2026-05-01T00:00:00Z', 'u', 't', 1);
             INSERT INTO revisions (record_id, rev, author, at, body, prev_hash, hash) VALUES
                 ('r1', 1, 'u', 't', '{"call": {"call_date": "2026-01-02"}, "event_type": "near_miss"}', 'g', 'h1'),
                 ('r1', 2, 'u', 't', '{"call": {"call_date": "2026-02-03"}, "event_type": "incident", "harm": {"level": "no_harm"}, "ems_categories": ["airway"]}', 'h1', 'h2'),
                 ('i1', 1, 'u', 't', '{"event_date": "2026-03-04"}', 'g', 'h3'),
                 ('n1', 1, 'u', 't', '{"subject": "r1"}', 'g', 'h4');"#,
        )
        .unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        migrate(&mut conn).unwrap();
        type Codes = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Codes> = conn
            .prepare("SELECT record_id, month, event_type, harm, categories FROM record_codes ORDER BY record_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("i1".into(), "2026-03".into(), None, None, None),
                (
                    "r1".into(),
                    "2026-02".into(),
                    Some("incident".into()),
                    Some("no_harm".into()),
                    Some(r#"["airway"]"#.into())
                ),
            ]
        );
    }

    #[test]
    fn migration_13_fills_the_disclosure_log_from_what_earlier_versions_recorded() {
        let (_dir, mut conn) = database_at_version(12);
        conn.execute_batch(
            r#"INSERT INTO records (id, kind, status, pses_state, title, created_at, created_by, updated_at, current_rev) VALUES
                 ('r1', 'call_review', 'open', 'reported', '', '2026-01-01T00:00:00Z', 'qa', 't', 1),
                 ('r2', 'call_review', 'open', 'in_pses', '', '2026-01-01T00:00:00Z', 'qa', 't', 1);
             INSERT INTO packets (packet_id, direction, peer, at, by_user, records, sha256) VALUES
                 ('p-out', 'out', 'okafor-laptop', '2026-01-03T00:00:00Z', 'qa', 2, 'h'),
                 ('p-in', 'in', 'okafor-laptop', '2026-01-04T00:00:00Z', 'qa', 1, 'h');
             INSERT INTO pses_events (record_id, event, at, by_user, detail) VALUES
                 ('r1', 'disclosed_in_pses', '2026-01-03T00:00:00Z', 'qa', '{"to":"okafor-laptop","purpose":"second opinion","packet_id":"p-out"}'),
                 ('r2', 'disclosed_in_pses', '2026-01-03T00:00:00Z', 'qa', '{"to":"okafor-laptop","purpose":"second opinion","packet_id":"p-out"}');
             INSERT INTO outbox (id, record_id, revision, profile, snapshot, snapshot_hash, state, created_at, created_by, submission_id) VALUES
                 ('o1', 'r1', 1, 'nonidentifiable', '{}', 'sh', 'reported', 't', 'qa', 's1');
             INSERT INTO submissions (id, state, manifest, receipt, created_at, created_by, committed_at) VALUES
                 ('s1', 'committed', '{}', '{}', '2026-01-05T00:00:00Z', 'qa', '2026-01-05T00:01:00Z'),
                 ('s2', 'open', '{}', NULL, '2026-01-06T00:00:00Z', 'qa', NULL);
             INSERT INTO attachments (id, record_id, name, media_type, size, sha256, created_at, created_by) VALUES
                 ('a1', 'r2', 'n', 'image/jpeg', 1, '', 't', 'qa');
             INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash) VALUES
                 (1, '2026-01-05T00:01:00Z', 'qa', 'pso.reported', 's1', '{"recipient":"https://pso.example","items":1}', 'x', 'y'),
                 (2, '2026-01-02T00:00:00Z', 'admin', 'vault.backup', NULL, '{"records":2}', 'y', 'z'),
                 (3, '2026-01-07T00:00:00Z', 'qa', 'attachment.export', 'r2', '{"attachment":"a1","sha256":""}', 'z', 'w');"#,
        )
        .unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        migrate(&mut conn).unwrap();
        let rows: Vec<String> = conn
            .prepare(
                "SELECT seq || ' ' || disclosed_at || ' ' || channel || ' ' || recipient || ' '
                        || permission || ' ' || coalesce(reference, '-') || ' '
                        || coalesce(note, '-') || ' ' || all_records || ' '
                        || coalesce((SELECT group_concat(record_id) FROM
                                      (SELECT record_id FROM disclosure_records
                                       WHERE disclosure_seq = seq ORDER BY record_id)), '-')
                 FROM disclosures ORDER BY seq",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                "1 2026-01-02T00:00:00Z backup an encrypted backup file within_pses - - 1 -",
                "2 2026-01-03T00:00:00Z packet okafor-laptop within_pses p-out second opinion 0 r1,r2",
                "3 2026-01-05T00:01:00Z pso_submission https://pso.example pso s1 - 0 r1",
                "4 2026-01-07T00:00:00Z attachment_export a file written out of the vault within_pses a1 - 0 r2",
            ]
        );
    }

    #[test]
    fn a_failed_migration_leaves_the_database_as_it_was() {
        let (_dir, path, key) = temp_db();
        let mut conn = open_new(&path, &key, OpenMode::Create).unwrap();
        let mut broken: Vec<&str> = MIGRATIONS.to_vec();
        broken.push("CREATE TABLE extra (x INTEGER);");
        broken.push("THIS IS NOT SQL;");
        assert!(migrate_with(&mut conn, &broken).is_err());
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let extra: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'extra'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            extra, 0,
            "the first step of the failed upgrade was rolled back"
        );
    }

    #[test]
    fn the_wrong_key_is_refused_with_a_clear_error() {
        let (_dir, path, key) = temp_db();
        drop(open_new(&path, &key, OpenMode::Create).unwrap());
        let other = DataKey::generate().unwrap();
        let err = open_new(&path, &other, OpenMode::Existing).unwrap_err();
        assert_eq!(err.code(), "vault_corrupt");
    }

    #[test]
    fn the_file_is_not_plain_sqlite_and_holds_no_key() {
        let (_dir, path, key) = temp_db();
        let conn = open_new(&path, &key, OpenMode::Create).unwrap();
        conn.execute(
            "INSERT INTO meta VALUES ('canary', 'CANARY-PLAINTEXT-1')",
            [],
        )
        .unwrap();
        drop(conn);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.starts_with(b"SQLite format 3\0"));
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains("CANARY-PLAINTEXT-1"));
        assert!(!hay.contains(&hex::encode(key.as_bytes())));
        assert!(bytes.windows(32).all(|w| w != key.as_bytes()));
        let plain = Connection::open(&path).unwrap();
        assert!(
            plain
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r
                    .get::<_, i64>(0))
                .is_err()
        );
    }
}
