//! Attacks on `keyslots.json` by someone who can write the vault folder (on a station PC,
//! every Harbor user): each must be refused, and the vault must lose nothing.

use harbor_e2e::*;
use serde_json::Value;

/// A second passphrase, so that a user's own passphrase differs from the admin's.
const RITA_PASSPHRASE: &str = "quiet-harbor-lantern-77";

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn slots_file(s: &Scratch) -> std::path::PathBuf {
    s.vault().join("keyslots.json")
}

fn read_slots(s: &Scratch) -> Value {
    serde_json::from_slice(&std::fs::read(slots_file(s)).unwrap()).unwrap()
}

fn write_slots(s: &Scratch, v: &Value) {
    std::fs::write(slots_file(s), serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

fn add_user_with(s: &Scratch, name: &str, role: &str, passphrase: &str) -> std::process::Output {
    s.harbor("admin")
        .env("HARBOR_NEW_PASSPHRASE", passphrase)
        .args(["user", "add", name, "--role", role])
        .output()
        .unwrap()
}

/// The slot of the user with this id.
fn user_slot<'a>(v: &'a Value, user_id_of: &str) -> &'a Value {
    v["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user_id"] == user_id_of)
        .expect("the user's slot")
}

fn user_id(s: &Scratch, name: &str) -> String {
    let users = ok_json(
        &s.harbor("admin")
            .args(["--json", "user", "list"])
            .output()
            .unwrap(),
    );
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .expect("the user")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_reviewer_who_files_her_slot_under_the_admins_tag_gets_no_admin_session() {
    let s = Scratch::new();
    s.init();
    assert_ok(&add_user_with(&s, "rita", "reviewer", RITA_PASSPHRASE));
    let admin_id = user_id(&s, "admin");
    let rita_id = user_id(&s, "rita");
    let mut v = read_slots(&s);
    let admin_tag = user_slot(&v, &admin_id)["user_tag"].clone();
    let mut forged = user_slot(&v, &rita_id).clone();
    forged["user_tag"] = admin_tag;
    // Put her copy first, so that a lookup by tag finds it before the admin's own slot.
    v["slots"].as_array_mut().unwrap().insert(0, forged);
    write_slots(&s, &v);

    let out = s
        .harbor("admin")
        .env("HARBOR_PASSPHRASE", RITA_PASSPHRASE)
        .env("HARBOR_NEW_PASSPHRASE", PASSPHRASE)
        .args(["user", "add", "mallory", "--role", "admin"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a reviewer's passphrase opened an admin session through a forged slot"
    );
    // The slot's tag and user id are bound in its associated data: the re-filed slot does
    // not even unwrap, so the refusal is the one any wrong passphrase gets.
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn a_slot_whose_tag_alone_is_changed_does_not_open() {
    // Even where the rest of the file is believed, a slot's tag is bound to the slot: the
    // reviewer's slot re-filed under the admin's tag (and the admin's slot removed) opens
    // nothing.
    let s = Scratch::new();
    s.init();
    assert_ok(&add_user_with(&s, "rita", "reviewer", RITA_PASSPHRASE));
    let admin_id = user_id(&s, "admin");
    let rita_id = user_id(&s, "rita");
    let mut v = read_slots(&s);
    let admin_tag = user_slot(&v, &admin_id)["user_tag"].clone();
    let slots = v["slots"].as_array_mut().unwrap();
    slots.retain(|s| s["user_id"] != admin_id.as_str());
    for slot in slots.iter_mut() {
        if slot["user_id"] == rita_id.as_str() {
            slot["user_tag"] = admin_tag.clone();
        }
    }
    write_slots(&s, &v);
    let out = s
        .harbor("admin")
        .env("HARBOR_PASSPHRASE", RITA_PASSPHRASE)
        .args(["user", "list"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the re-filed slot opened an admin session"
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn adding_asa_in_lower_case_neither_makes_a_second_user_nor_drops_the_first_ones_slot() {
    let s = Scratch::new();
    s.init();
    assert_ok(&add_user_with(&s, "Åsa", "reviewer", PASSPHRASE));
    let out = add_user_with(&s, "åsa", "admin", RITA_PASSPHRASE);
    assert!(
        !out.status.success(),
        "a second user with the same name in another case was added"
    );
    assert!(stderr(&out).contains("exists already"), "{}", stderr(&out));
    // Åsa still unlocks with her own passphrase, whichever case she types.
    for typed in ["Åsa", "åsa", "ÅSA"] {
        let out = s
            .harbor(typed)
            .args(["--json", "record", "list"])
            .output()
            .unwrap();
        assert_ok(&out);
    }
    let users = ok_json(
        &s.harbor("admin")
            .args(["--json", "user", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(users.as_array().unwrap().len(), 2, "{users}");
}

fn refused_as_damaged(s: &Scratch, v: &Value, what: &str) {
    let before = std::fs::read(slots_file(s)).unwrap();
    write_slots(s, v);
    let out = s.harbor("admin").args(["record", "list"]).output().unwrap();
    assert_eq!(code(&out), 10, "{what}: {}", stderr(&out));
    assert!(
        stderr(&out).contains("key slot file"),
        "{what}: {}",
        stderr(&out)
    );
    std::fs::write(slots_file(s), before).unwrap();
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
}

#[test]
fn lowered_or_raised_default_params_are_refused_as_keyslots_damaged() {
    let s = Scratch::new();
    s.init();
    // Unlock once with the right file, so that any upgrade of the file has happened.
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
    let original = read_slots(&s);
    let mut raised = original.clone();
    raised["default_params"]["m_cost_kib"] = Value::from(4u64 * 1024 * 1024);
    refused_as_damaged(&s, &raised, "raised m_cost");
    let mut lowered = original.clone();
    lowered["default_params"]["t_cost"] = 3.into();
    lowered["default_params"]["p_cost"] = 2.into();
    refused_as_damaged(&s, &lowered, "changed t_cost");
    let mut removed = original.clone();
    removed.as_object_mut().unwrap().remove("mac");
    refused_as_damaged(&s, &removed, "MAC removed");
}

#[test]
fn changed_page_settings_are_refused_as_keyslots_damaged() {
    let s = Scratch::new();
    s.init();
    assert_ok(&s.harbor("admin").args(["record", "list"]).output().unwrap());
    let mut v = read_slots(&s);
    let size = v["page_cipher"]["page_size"]
        .as_u64()
        .expect("page settings in the file");
    v["page_cipher"]["page_size"] = (if size == 8192 { 4096 } else { 8192 }).into();
    refused_as_damaged(&s, &v, "page settings");
}

#[test]
fn concurrent_user_adds_all_keep_their_slots() {
    let s = Scratch::new();
    s.init();
    let names = ["carla", "dev", "erin", "finn"];
    let children: Vec<_> = names
        .iter()
        .map(|name| {
            s.harbor("admin")
                .env("HARBOR_NEW_PASSPHRASE", PASSPHRASE)
                .args(["user", "add", name, "--role", "reviewer"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        assert_ok(&child.wait_with_output().unwrap());
    }
    for name in names {
        let out = s.harbor(name).args(["record", "list"]).output().unwrap();
        assert!(
            out.status.success(),
            "{name} was added but cannot unlock: a concurrent change lost their slot ({})",
            stderr(&out)
        );
    }
}

/// Opens `vault.db` the way an attacker holding a raw data key would: SQLCipher directly,
/// with the page settings of a new vault. `Err` when the key does not open it.
fn open_with_raw_key(db: &std::path::Path, key: &[u8; 32]) -> Result<i64, String> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let conn = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{hex}'\"; PRAGMA cipher_page_size = 8192; PRAGMA cipher_hmac_algorithm = HMAC_SHA256;"
    ))
    .map_err(|e| e.to_string())?;
    conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .map_err(|e| e.to_string())
}

/// The raw data key a user unwraps from a copy of the slot file with their passphrase.
fn unwrap_from_copy(copy: &std::path::Path, user: &str, passphrase: &str) -> [u8; 32] {
    let slots = harbor_vault::keyslots::KeySlots::load(copy).unwrap();
    let slot = slots
        .user_slot(user)
        .expect("the user's slot in the copy")
        .clone();
    let key = slots
        .unwrap_slot(&slot, passphrase.as_bytes())
        .unwrap()
        .expect("the passphrase opens the copied slot");
    *key.as_bytes()
}

#[test]
fn a_disabled_user_with_a_kept_copy_of_keyslots_json_cannot_open_the_database() {
    let s = Scratch::new();
    s.init();
    assert_ok(&add_user_with(&s, "rita", "reviewer", RITA_PASSPHRASE));
    assert_ok(
        &s.harbor("rita")
            .env("HARBOR_PASSPHRASE", RITA_PASSPHRASE)
            .args(["record", "list"])
            .output()
            .unwrap(),
    );
    let kept = s.work().join("keyslots-kept.json");
    std::fs::copy(slots_file(&s), &kept).unwrap();
    // The attack works while she is a user: the method is sound.
    let key = unwrap_from_copy(&kept, "rita", RITA_PASSPHRASE);
    assert_eq!(open_with_raw_key(&s.vault().join("vault.db"), &key), Ok(2));

    let out = s
        .harbor("admin")
        .args(["user", "disable", "rita"])
        .output()
        .unwrap();
    assert_ok(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("re-keyed"), "{said}");
    assert!(
        said.contains("Backups and copies of keyslots.json made before"),
        "{said}"
    );

    let opened = open_with_raw_key(&s.vault().join("vault.db"), &key);
    assert!(
        opened.is_err(),
        "the disabled user's kept key still opens the database: {opened:?}"
    );
    // Everyone else still opens the vault, and the audit chain holds.
    assert_ok(
        &s.harbor("admin")
            .args(["audit", "verify"])
            .output()
            .unwrap(),
    );
}

fn unwrap_recovery_from_copy(copy: &std::path::Path, code: &str) -> [u8; 32] {
    let slots = harbor_vault::keyslots::KeySlots::load(copy).unwrap();
    let slot = slots.recovery_slot().expect("a recovery slot").clone();
    let code = harbor::RecoveryCode::parse(code);
    let key = slots
        .unwrap_slot(&slot, code.expose().as_bytes())
        .unwrap()
        .expect("the code opens the copied recovery slot");
    *key.as_bytes()
}

#[test]
fn a_replaced_recovery_code_with_a_kept_copy_of_keyslots_json_cannot_open_the_database() {
    let s = Scratch::new();
    let old_code = s.init();
    // Someone keeps a copy of the slot file and learns the code (a lost sheet of paper).
    let kept = s.work().join("keyslots-kept.json");
    std::fs::copy(slots_file(&s), &kept).unwrap();
    let key = unwrap_recovery_from_copy(&kept, &old_code);
    assert_eq!(open_with_raw_key(&s.vault().join("vault.db"), &key), Ok(1));

    let out = s
        .harbor("admin")
        .env("HARBOR_RECOVERY_CODE", &old_code)
        .env("HARBOR_NEW_PASSPHRASE", "a fresh passphrase after recovery")
        .args(["recover"])
        .output()
        .unwrap();
    assert_ok(&out);
    let opened = open_with_raw_key(&s.vault().join("vault.db"), &key);
    assert!(
        opened.is_err(),
        "the replaced recovery code still opens the database through a kept copy: {opened:?}"
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("The vault was re-keyed"), "{said}");
    assert_ok(
        &s.harbor("admin")
            .env("HARBOR_PASSPHRASE", "a fresh passphrase after recovery")
            .args(["audit", "verify"])
            .output()
            .unwrap(),
    );
}

#[test]
fn vault_rekey_is_admin_only_and_the_old_key_stops_opening_the_database() {
    let s = Scratch::new();
    s.init();
    assert_ok(&add_user_with(&s, "rita", "reviewer", RITA_PASSPHRASE));
    let out = s
        .harbor("rita")
        .env("HARBOR_PASSPHRASE", RITA_PASSPHRASE)
        .args(["vault", "rekey"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    let kept = s.work().join("keyslots-kept.json");
    std::fs::copy(slots_file(&s), &kept).unwrap();
    let old = unwrap_from_copy(&kept, "admin", PASSPHRASE);
    let out = s
        .harbor("admin")
        .args(["--json", "vault", "rekey"])
        .output()
        .unwrap();
    let v = ok_json(&out);
    assert_eq!(v["slots"], 3, "{v}");
    assert!(open_with_raw_key(&s.vault().join("vault.db"), &old).is_err());
    let new = unwrap_from_copy(&slots_file(&s), "rita", RITA_PASSPHRASE);
    assert_eq!(open_with_raw_key(&s.vault().join("vault.db"), &new), Ok(2));
    let log = ok_json(
        &s.harbor("admin")
            .args(["--json", "audit", "log", "--limit", "1000"])
            .output()
            .unwrap(),
    );
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "vault.rekey" && e["actor"] == "admin"),
        "{log}"
    );
}

#[test]
fn a_rekey_killed_at_any_step_leaves_a_vault_that_opens_and_can_be_rekeyed_again() {
    for point in [
        "rekey-staged",
        "rekey-exported",
        "rekey-closed",
        "rekey-swapped",
        "rekey-done",
    ] {
        let s = Scratch::new();
        s.init();
        let id = s.create_record(
            "admin",
            "call_review",
            &serde_json::json!({"call": {"pcr_number": "KILL-1", "call_date": "2026-11-02"}}),
        );
        let out = s
            .harbor("admin")
            .env("HARBOR_FAILPOINT", point)
            .args(["vault", "rekey"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{point}: the failpoint did not fire");
        let shown = s
            .harbor("admin")
            .args(["--json", "record", "show", &id])
            .output()
            .unwrap();
        assert_ok(&shown);
        let v = read_slots(&s);
        assert!(
            v["slots"]
                .as_array()
                .unwrap()
                .iter()
                .all(|slot| slot.get("next_sealed_key").is_none()),
            "{point}: the unlock did not settle the re-key: {v}"
        );
        assert!(!s.vault().join("vault.db.rekey").exists(), "{point}");
        assert_ok(&s.harbor("admin").args(["vault", "rekey"]).output().unwrap());
        assert_ok(&s.harbor("admin").args(["vault", "check"]).output().unwrap());
    }
}

#[test]
fn a_rekey_is_refused_while_another_process_has_the_vault_open() {
    let s = Scratch::new();
    s.init();
    let mut writer = std::process::Command::new(env!("CARGO_BIN_EXE_harbor-crash-writer"))
        .env("HARBOR_VAULT", s.vault())
        .env("HARBOR_USER", "admin")
        .env("HARBOR_PASSPHRASE", PASSPHRASE)
        .env("TMPDIR", s.tmp())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it has written a record, so its session is open.
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(writer.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let out = s.harbor("admin").args(["vault", "rekey"]).output().unwrap();
    writer.kill().unwrap();
    writer.wait().unwrap();
    assert_eq!(code(&out), 17, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("has this vault open"),
        "{}",
        stderr(&out)
    );
    // Once it is gone, the re-key runs and every record the writer committed is there.
    assert_ok(&s.harbor("admin").args(["vault", "rekey"]).output().unwrap());
    assert_ok(&s.harbor("admin").args(["vault", "check"]).output().unwrap());
}
