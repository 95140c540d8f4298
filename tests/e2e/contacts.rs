//! Device identities and contacts: how two vaults come to know each other before they
//! exchange case packets.

use harbor_e2e::*;

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn two_vaults_exchange_identities_and_compare_fingerprints() {
    let station = Scratch::new();
    station.init();
    let laptop = Scratch::new();
    laptop.init();
    laptop.add_user("dr.okafor", "medical_director");
    laptop.add_user("peer", "reviewer");

    // Each vault has its identity from `init`, the same every time it is shown.
    let me = ok_json(
        &station
            .harbor("admin")
            .args(["--json", "device", "show"])
            .output()
            .unwrap(),
    );
    let again = ok_json(
        &station
            .harbor("admin")
            .args(["--json", "device", "show"])
            .output()
            .unwrap(),
    );
    assert_eq!(me, again);
    let identity = me["identity"].as_str().unwrap();
    assert!(identity.starts_with("harbor1."), "{identity}");
    let other = ok_json(
        &laptop
            .harbor("admin")
            .args(["--json", "device", "show"])
            .output()
            .unwrap(),
    );
    assert_ne!(other["identity"], me["identity"], "each vault has its own");

    // The medical director adds the station; the fingerprints match.
    let added = ok_json(
        &laptop
            .harbor("dr.okafor")
            .args(["--json", "contact", "add", "station", identity])
            .output()
            .unwrap(),
    );
    assert_eq!(added["fingerprint"], me["fingerprint"]);
    let list = ok_json(
        &laptop
            .harbor("peer")
            .args(["--json", "contact", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "station");
    assert_eq!(list[0]["added_by"], "dr.okafor");

    // Refusals, each with a reason a person can act on.
    let refuse = |user: &str, args: &[&str], exit: i32, says: &str| {
        let out = laptop.harbor(user).args(args).output().unwrap();
        assert_eq!(code(&out), exit, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    };
    refuse(
        "dr.okafor",
        &["contact", "add", "station-again", identity],
        7,
        "already a contact",
    );
    let mut typo = identity.to_owned();
    typo.replace_range(20..21, if &identity[20..21] == "A" { "B" } else { "A" });
    refuse(
        "dr.okafor",
        &["contact", "add", "typo", &typo],
        7,
        "not a device identity",
    );
    refuse(
        "dr.okafor",
        &["contact", "add", "me", other["identity"].as_str().unwrap()],
        7,
        "own identity",
    );
    refuse(
        "peer",
        &["contact", "add", "x", identity],
        6,
        "does not permit",
    );
    refuse(
        "dr.okafor",
        &["contact", "add", "no spaces", identity],
        7,
        "contact name",
    );

    // Removing it is audited; the list is empty again.
    assert_ok(
        &laptop
            .harbor("dr.okafor")
            .args(["contact", "remove", "station"])
            .output()
            .unwrap(),
    );
    let list = ok_json(
        &laptop
            .harbor("admin")
            .args(["--json", "contact", "list"])
            .output()
            .unwrap(),
    );
    assert!(list.as_array().unwrap().is_empty());
    let log = String::from_utf8_lossy(
        &laptop
            .harbor("admin")
            .args(["audit", "log", "--limit", "50"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(
        log.contains("contact.add") && log.contains("contact.remove"),
        "{log}"
    );
    refuse("dr.okafor", &["contact", "remove", "station"], 8, "station");
}
