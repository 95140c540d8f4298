//! What another user of the PSO's machine can read of its data folder.

mod common;

use common::{Server, files_under, harbor_pso, ok};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Every folder and file under `data` and their modes, where group or others have any
/// permission.
fn loose(data: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![data.to_owned()];
    while let Some(p) = stack.pop() {
        if mode(&p) & 0o077 != 0 {
            found.push((p.clone(), format!("{:o}", mode(&p))));
        }
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
    }
    found
}

/// The PSO's data folder (its signing and receiving keys, its TLS key, `pso.db` with every
/// agency's opened PSWP in plain SQLite, the sealed parts) is its owner's alone: folders
/// `0700`, files `0600`, whatever the umask; after a submission arrived too.
#[test]
fn another_user_of_the_pso_machine_can_read_nothing_in_its_data_folder() {
    let pso = Server::start();
    let agency = pso.agency("County EMS");
    let p = agency.with_attachment(&uuid::Uuid::now_v7().to_string(), b"scan of the run sheet");
    let (status, answer) = agency.submit(&p);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(mode(&pso.data), 0o700);
    for secret in ["pso-keys.json", "tls/key.pem", "pso.db"] {
        assert_eq!(mode(&pso.data.join(secret)), 0o600, "{secret}");
    }
    assert_eq!(loose(&pso.data), vec![]);
}

/// A data folder an earlier version left with the umask's modes is tightened the next time
/// the PSO opens it.
#[test]
fn a_data_folder_left_readable_by_an_earlier_version_is_tightened_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("pso");
    ok(harbor_pso(&["init"], &data).output().unwrap());
    ok(harbor_pso(&["agency", "add", "County EMS"], &data)
        .output()
        .unwrap());
    let set = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    set(&data, 0o755).unwrap();
    for f in files_under(&data) {
        set(&f, 0o644).unwrap();
    }
    assert!(!loose(&data).is_empty());
    ok(harbor_pso(&["agency", "add", "Other EMS"], &data)
        .output()
        .unwrap());
    assert_eq!(loose(&data), vec![]);
    assert_eq!(mode(&data.join("pso-keys.json")), 0o600);
}
