//! The PSO store's schema, in versions: `PRAGMA user_version` says which a store is at,
//! each later version is one migration applied in a transaction, and a store written by a
//! newer `harbor-pso` is refused rather than guessed at.
//!
//! Version 1 is the schema as it stood when versioning began. A store from before that
//! (`user_version` 0) is brought to it once: missing tables are created and the columns
//! that earlier versions added one by one are added where they are missing.

use crate::store::StoreError;
use rusqlite::{Connection, params};

/// Version 1: every table as it stood when versioning began.
const V1: &str = "
    CREATE TABLE IF NOT EXISTS agencies (
       id TEXT PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE,
       signing_key TEXT, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS submissions (
       id TEXT PRIMARY KEY, agency_id TEXT NOT NULL REFERENCES agencies(id),
       manifest TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, state TEXT NOT NULL,
       receipt TEXT, created_at TEXT NOT NULL,
       blob_cipher TEXT NOT NULL DEFAULT 'chacha20-poly1305', encapsulated_key TEXT);
    CREATE TABLE IF NOT EXISTS items (
       submission_id TEXT NOT NULL REFERENCES submissions(id), item_id TEXT NOT NULL,
       record_id TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
       snapshot TEXT NOT NULL, PRIMARY KEY (submission_id, item_id));
    CREATE TABLE IF NOT EXISTS parts (
       submission_id TEXT NOT NULL REFERENCES submissions(id), part_id TEXT NOT NULL,
       sealed_len INTEGER NOT NULL, blob_plain_len INTEGER, opened_sha256 TEXT,
       start INTEGER, received INTEGER NOT NULL DEFAULT 0,
       PRIMARY KEY (submission_id, part_id)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS attachments (
       blob_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL REFERENCES submissions(id),
       item_id TEXT NOT NULL, attachment_id TEXT NOT NULL, media_type TEXT NOT NULL,
       size INTEGER NOT NULL, sha256 TEXT NOT NULL, start INTEGER);
";

/// The migrations after version 1: `LATER[i]` takes a store from version `i + 1` to
/// `i + 2`. Append only; never edit one that has shipped.
const LATER: &[&str] = &[];

/// The schema version this `harbor-pso` writes.
pub const SCHEMA_VERSION: i64 = 1 + LATER.len() as i64;

/// Brings the store up to [`SCHEMA_VERSION`], or refuses one written by a newer PSO.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_with(conn, LATER)
}

fn migrate_with(conn: &mut Connection, later: &[&str]) -> Result<(), StoreError> {
    let newest = 1 + later.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > newest {
        return Err(StoreError::TooNew {
            found,
            supported: newest,
        });
    }
    if found == 0 {
        let tx = conn.transaction()?;
        tx.execute_batch(V1)?;
        // Columns the versions before versioning added to tables a store of theirs has.
        add_column(
            &tx,
            "submissions",
            "blob_cipher",
            "TEXT NOT NULL DEFAULT 'chacha20-poly1305'",
        )?;
        add_column(&tx, "submissions", "encapsulated_key", "TEXT")?;
        add_column(&tx, "parts", "start", "INTEGER")?;
        add_column(&tx, "parts", "received", "INTEGER NOT NULL DEFAULT 0")?;
        add_column(&tx, "attachments", "start", "INTEGER")?;
        tx.pragma_update(None, "user_version", 1)?;
        tx.commit()?;
    }
    let found = found.max(1);
    for (i, sql) in later.iter().enumerate().skip(found as usize - 1) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 2)?;
        tx.commit()?;
    }
    Ok(())
}

/// Adds a column that a version before versioning gave `table`, where it is missing.
fn add_column(conn: &Connection, table: &str, column: &str, decl: &str) -> Result<(), StoreError> {
    let has: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
        params![table, column],
        |r| r.get(0),
    )?;
    if !has {
        conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_new_store_is_at_the_newest_version_and_a_later_migration_runs_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn), SCHEMA_VERSION);
        let later = ["ALTER TABLE agencies ADD COLUMN note TEXT"];
        migrate_with(&mut conn, &later).unwrap();
        assert_eq!(version(&conn), 2);
        // Again: nothing to do (a second ALTER would fail).
        migrate_with(&mut conn, &later).unwrap();
        assert_eq!(version(&conn), 2);
    }

    #[test]
    fn a_store_from_a_newer_pso_is_refused_and_left_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err();
        assert!(matches!(e, StoreError::TooNew { .. }), "{e}");
        assert_eq!(version(&conn), SCHEMA_VERSION + 1);
    }

    #[test]
    fn a_failed_migration_leaves_the_store_at_its_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let later = ["ALTER TABLE agencies ADD COLUMN a TEXT; THIS IS NOT SQL"];
        assert!(migrate_with(&mut conn, &later).is_err());
        assert_eq!(version(&conn), 1);
        let has: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM pragma_table_info('agencies') WHERE name = 'a')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!has, "half a migration stayed");
    }
}
