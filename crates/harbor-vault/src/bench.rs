//! Benchmark helpers (feature `plaintext-bench`, enabled only by `cargo bench`): the same
//! vault with and without encryption, so that the cost of SQLCipher on Harbor's own
//! workload can be measured in one run.

use crate::db::{self, OpenMode};
use crate::page_cipher::PageCipher;
use crate::secret::DataKey;
use crate::vault::{Actor, VaultPaths};
use crate::{Result, UnlockedVault, audit, time};
use harbor_core::Role;
use rusqlite::params;
use serde_json::json;
use std::path::Path;

/// Creates a vault database in `dir` with an admin `bench`, encrypted with a fresh key or,
/// with `encrypted == false`, as plain SQLite. Returns the unlocked vault and its key.
pub fn create(dir: &Path, encrypted: bool) -> Result<(UnlockedVault, DataKey)> {
    std::fs::create_dir_all(dir).map_err(crate::VaultError::io("create", dir))?;
    let paths = VaultPaths::new(dir);
    let key = DataKey::generate()?;
    let mut conn = db::open(
        &paths.db,
        encrypted.then_some(&key),
        PageCipher::CURRENT,
        OpenMode::Create,
    )?;
    let now = time::now();
    let user_id = uuid::Uuid::now_v7().to_string();
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('vault_id', 'bench')",
        [],
    )?;
    tx.execute(
        "INSERT INTO users (id, name, role, created_at) VALUES (?1, 'bench', 'admin', ?2)",
        params![user_id, time::to_text(now)],
    )?;
    audit::append(&tx, now, "bench", "vault.create", None, json!({}))?;
    tx.commit()?;
    let vault = UnlockedVault {
        conn,
        key: key.clone(),
        actor: Actor {
            user_id,
            name: "bench".into(),
            role: Role::Admin,
        },
        paths,
        vault_id: "bench".into(),
        open_lock: None,
    };
    Ok((vault, key))
}

/// Opens the database the way an unlock does after the key is unwrapped (key, proof read,
/// pragmas, schema check), and closes it.
pub fn open_and_close(dir: &Path, key: Option<&DataKey>) -> Result<()> {
    let conn = db::open(
        &VaultPaths::new(dir).db,
        key,
        PageCipher::CURRENT,
        OpenMode::Existing,
    )?;
    drop(conn);
    Ok(())
}

/// Re-opens a benchmark vault as `bench`.
pub fn reopen(dir: &Path, key: Option<&DataKey>) -> Result<UnlockedVault> {
    let paths = VaultPaths::new(dir);
    let conn = db::open(&paths.db, key, PageCipher::CURRENT, OpenMode::Existing)?;
    let actor = crate::vault::load_actor(&conn, "bench")?;
    Ok(UnlockedVault {
        conn,
        key: key.cloned().unwrap_or(DataKey::from_bytes([0; 32])),
        actor,
        paths,
        vault_id: "bench".into(),
        open_lock: None,
    })
}
