//! One window per vault. The first instance listens on a Unix socket named after the vault
//! folder (in `$XDG_RUNTIME_DIR`, private to the user); a second instance on the same vault
//! asks it to come to the front and exits. Keyed on the vault rather than the app, so two
//! vaults (a station's and a test's) can be open side by side, while the same vault never
//! has two sessions racing over its throttle file and auto-lock.
//!
//! Unlike the D-Bus single-instance plugin this needs no session bus, which kiosk and
//! headless machines (and Xvfb) often lack.

use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const RAISE: &[u8] = b"raise\n";

type Callback = Arc<Mutex<Option<Box<dyn Fn() + Send>>>>;

/// Held by the first instance for as long as it runs.
pub struct Guard {
    path: PathBuf,
    callback: Callback,
}

impl Guard {
    /// What to do when a second instance asks this one to come to the front.
    pub fn on_raise(&self, f: impl Fn() + Send + 'static) {
        *self.callback.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(f));
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn socket_path(vault_dir: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(vault_dir).unwrap_or_else(|_| vault_dir.to_owned());
    let mut h = std::hash::DefaultHasher::new();
    canonical.hash(&mut h);
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty() && Path::new(d).is_dir())
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let user = std::env::var("USER").unwrap_or_default();
    dir.join(format!("harbor-desktop-{user}-{:016x}.sock", h.finish()))
}

/// Claims the vault for this process, or, when another instance holds it, asks that one to
/// come to the front and returns `None`.
pub fn claim(vault_dir: &Path) -> Option<Guard> {
    let path = socket_path(vault_dir);
    if let Ok(mut s) = UnixStream::connect(&path) {
        let _ = s.write_all(RAISE);
        return None;
    }
    // Nobody answers: a socket file left by a crash is stale.
    let _ = std::fs::remove_file(&path);
    let callback: Callback = Arc::new(Mutex::new(None));
    match UnixListener::bind(&path) {
        Ok(listener) => {
            let cb = callback.clone();
            let _ = std::thread::Builder::new()
                .name("single-instance".into())
                .spawn(move || {
                    for mut stream in listener.incoming().flatten() {
                        let mut buf = [0u8; 16];
                        let n = stream.read(&mut buf).unwrap_or(0);
                        if &buf[..n] == RAISE
                            && let Some(f) = cb.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
                        {
                            f();
                        }
                    }
                });
        }
        Err(e) => {
            // Without the socket the app still works; only the second-instance check is
            // lost. Say so rather than refuse to start.
            eprintln!(
                "warning: cannot create {} ({e}): a second Harbor window on this vault would not be noticed",
                path.display()
            );
        }
    }
    Some(Guard { path, callback })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_the_same_vault_is_refused_and_raises_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let first = claim(&vault).expect("first instance");
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = Mutex::new(tx);
        first.on_raise(move || {
            let _ = tx.lock().unwrap().send(());
        });
        assert!(claim(&vault).is_none());
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("the first instance was asked to come to the front");
        let other = claim(&dir.path().join("other")).expect("another vault is free");
        drop(other);
        drop(first);
        assert!(
            claim(&vault).is_some(),
            "free again once the first has gone"
        );
    }
}
