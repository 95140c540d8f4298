//! Unlocking: wrong passphrases, the throttle, the recovery code, disabled users.

use crate::support::*;
use harbor::{ErrorCode, Role};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Sleeps until just after the start of a wall-clock second, so that a few quick steps
/// that follow all fall within the same second (the throttle counts in whole seconds).
fn wait_for_a_fresh_second() {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let into = since.subsec_millis();
    std::thread::sleep(Duration::from_millis(u64::from(1000 - into) + 10));
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn a_wrong_passphrase_changes_nothing_and_the_throttle_survives_a_restart() {
    let (tv, s, _code) = new_vault();
    drop(s);
    let before = snapshot(&tv.dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        ["keyslots.json", "vault.db", "vault.lock"],
        "a locked vault is these two files and the empty lock file"
    );

    // An unknown user is told the same as a wrong passphrase.
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, "nobody", &pass(PASS))),
        "wrong_passphrase"
    );
    for i in 0..2 {
        let wrong = pass(&format!("wrong-guess-number-{i}"));
        assert_eq!(
            err_code(harbor::unlock(&tv.dir, ADMIN, &wrong)),
            "wrong_passphrase"
        );
    }
    let after = snapshot(&tv.dir);
    assert_eq!(after["vault.db"], before["vault.db"], "vault.db changed");
    assert_eq!(
        after["keyslots.json"], before["keyslots.json"],
        "keyslots.json changed"
    );
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        [
            "keyslots.json",
            "unlock-throttle.json",
            "unlock-throttle.lock",
            "vault.db",
            "vault.lock"
        ],
        "only the throttle file and the (empty) lock files may appear"
    );

    // The third failure starts the wait; within it even the right passphrase is refused,
    // also by a fresh call that reads the folder again (as after a restart).
    wait_for_a_fresh_second();
    let second = unix_secs();
    assert_eq!(
        err_code(harbor::unlock(
            &tv.dir,
            ADMIN,
            &pass("wrong-guess-number-2")
        )),
        "wrong_passphrase"
    );
    let within = harbor::unlock(&tv.dir, ADMIN, &pass(PASS));
    let restarted = harbor::unlock(&tv.dir, ADMIN, &pass(PASS));
    let same_second = unix_secs() == second;
    for attempt in [within, restarted] {
        match attempt {
            Err(e) if e.error_code() == ErrorCode::Throttled => {
                assert_eq!(e.retry_after_secs(), Some(1));
            }
            other => panic!(
                "expected throttled, got {:?}{}",
                other.map(|_| ()).map_err(|e| e.code()),
                if same_second {
                    ""
                } else {
                    " (inconclusive: the machine took over a second for three unlocks)"
                }
            ),
        }
    }
    let after = snapshot(&tv.dir);
    assert_eq!(after["vault.db"], before["vault.db"], "vault.db changed");
    assert_eq!(after["keyslots.json"], before["keyslots.json"]);

    // Once the wait is over the right passphrase works, and the failures are audited.
    std::thread::sleep(Duration::from_millis(1100));
    let mut s = unlock(&tv.dir, ADMIN, PASS);
    let log = all_audit(&mut s);
    let failed: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "vault.unlock_failed")
        .map(|e| e.actor.as_str())
        .collect();
    assert_eq!(
        failed.iter().filter(|a| **a == ADMIN).count(),
        3,
        "{failed:?}"
    );
    assert_eq!(
        failed.len(),
        4,
        "three for admin, one for the unknown user: {failed:?}"
    );
    assert_eq!(log.last().unwrap().action, "vault.unlock");
    assert_eq!(ok(s.audit_verify()).first_bad, None);
    drop(s);
    // A success resets the count: a wrong passphrase is again just wrong.
    assert_eq!(
        err_code(harbor::unlock(
            &tv.dir,
            ADMIN,
            &pass("wrong-guess-number-3")
        )),
        "wrong_passphrase"
    );
}

#[test]
fn the_recovery_code_sets_a_new_passphrase_and_is_replaced() {
    let (tv, s, code) = new_vault();
    drop(s);
    let new_pass = "copper-lantern-meadow-19";
    let harbor::Recovered {
        session: s,
        new_code,
        rekey,
    } = ok(harbor::recover(&tv.dir, &code, ADMIN, &pass(new_pass)));
    assert!(
        matches!(rekey, harbor::RekeyStatus::Done { .. }),
        "the vault is re-keyed after the code is replaced: {rekey:?}"
    );
    assert_eq!(s.user_name(), ADMIN);
    assert_ne!(new_code.expose(), code.expose());
    drop(s);

    drop(unlock(&tv.dir, ADMIN, new_pass));
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, ADMIN, &pass(PASS))),
        "wrong_passphrase",
        "the old passphrase still unlocks"
    );
    assert_eq!(
        err_code(harbor::recover(
            &tv.dir,
            &code,
            ADMIN,
            &pass("willow-compass-drift-88")
        )),
        "wrong_passphrase",
        "the old recovery code still works"
    );
    // A typed code (lower case, spaces) is the same code.
    let typed = harbor::RecoveryCode::parse(&new_code.expose().to_lowercase().replace('-', " "));
    let mut s = ok(harbor::recover(
        &tv.dir,
        &typed,
        ADMIN,
        &pass("willow-compass-drift-88"),
    ))
    .session;
    let log = all_audit(&mut s);
    assert_eq!(
        log.iter().filter(|e| e.action == "vault.recover").count(),
        2
    );
    drop(s);
    drop(unlock(&tv.dir, ADMIN, "willow-compass-drift-88"));
}

#[test]
fn a_disabled_user_cannot_unlock_and_the_last_admin_stays() {
    let (tv, mut admin, _code) = new_vault();
    ok(admin.add_user("dana", Role::Reviewer, &pass(PASS)));
    ok(admin.add_user("second-admin", Role::Admin, &pass(PASS)));
    drop(unlock(&tv.dir, "dana", PASS));

    let dana = ok(admin.disable_user("dana"));
    assert!(dana.user.disabled_at.is_some());
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, "dana", &pass(PASS))),
        "user_disabled"
    );
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, "Dana", &pass(PASS))),
        "user_disabled",
        "names are case-insensitive"
    );

    // Nobody disables themself.
    assert!(admin.disable_user(ADMIN).is_err());
    let mut second = unlock(&tv.dir, "second-admin", PASS);
    assert!(second.disable_user("second-admin").is_err());

    // The second admin disables the first; the first, though still signed in, can act
    // no more: every action re-reads the acting user.
    ok(second.disable_user(ADMIN));
    let refused = admin.disable_user("second-admin");
    assert_eq!(err_code(refused), "user_disabled");
    assert_eq!(
        err_code(admin.list(&harbor::ListQuery::default())),
        "user_disabled"
    );
    drop(admin);
    drop(second);
    assert_eq!(
        err_code(harbor::unlock(&tv.dir, ADMIN, &pass(PASS))),
        "user_disabled"
    );
    let mut second = unlock(&tv.dir, "second-admin", PASS);
    let users = ok(second.users());
    let active_admins: Vec<_> = users
        .iter()
        .filter(|u| u.role == Role::Admin && u.disabled_at.is_none())
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(active_admins, ["second-admin"]);
    let log = all_audit(&mut second);
    assert_eq!(log.iter().filter(|e| e.action == "user.disable").count(), 2);
}
