//! Harbor's desktop shell: a thin Tauri 2 app. Each command takes the shell's state, calls
//! the service API (`harbor::Session`) off the UI thread and maps the error to a stable
//! `{code, message}`; the UI (`ui/`) chooses its words from the code. The shell holds no
//! logic of its own beyond the session's lifetime: it drops the session (and with it the
//! vault's key) on demand and after the configured idle time.

mod commands;
mod error;
mod instance;

use harbor::{PromotionPreview, Session};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tauri::{Emitter, Manager};

pub use error::CmdError;

/// The event the shell emits when it locks (payload: `"idle"` or `"user"`).
pub const LOCKED_EVENT: &str = "harbor://locked";

/// The shell's state: the vault folder and the unlocked session, if any.
pub struct Shell {
    /// The vault folder (from `HARBOR_VAULT`, or a folder under the user's data folder).
    pub vault_dir: PathBuf,
    session: Mutex<Option<Session>>,
    /// A promotion previewed and not yet confirmed: confirming promotes exactly this.
    pending_promotion: Mutex<Option<Vec<PromotionPreview>>>,
    last_activity: Mutex<Instant>,
    auto_lock: Mutex<Duration>,
    /// Set while a long action (import, submission) holds the session: never idle then.
    busy: AtomicBool,
}

fn lock_ignoring_poison<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shell {
    /// A shell for the vault in `vault_dir`, locked.
    pub fn new(vault_dir: PathBuf) -> Self {
        Shell {
            vault_dir,
            session: Mutex::new(None),
            pending_promotion: Mutex::new(None),
            last_activity: Mutex::new(Instant::now()),
            auto_lock: Mutex::new(Duration::from_secs_f64(
                harbor::desktop::DEFAULT_AUTO_LOCK_MINUTES * 60.0,
            )),
            busy: AtomicBool::new(false),
        }
    }

    /// Notes input from the person: the idle clock starts again.
    pub fn touch(&self) {
        *lock_ignoring_poison(&self.last_activity) = Instant::now();
    }

    /// Whether a session is open.
    pub fn is_unlocked(&self) -> bool {
        lock_ignoring_poison(&self.session).is_some()
    }

    /// Sets the session after an unlock (or first-run set-up) and reads its idle time.
    fn open(&self, mut session: Session) {
        let minutes = session
            .desktop_settings()
            .map(|s| s.auto_lock_minutes)
            .unwrap_or(harbor::desktop::DEFAULT_AUTO_LOCK_MINUTES);
        self.set_auto_lock(minutes);
        self.touch();
        let old = lock_ignoring_poison(&self.session).replace(session);
        if let Some(old) = old {
            old.lock();
        }
    }

    fn set_auto_lock(&self, minutes: f64) {
        *lock_ignoring_poison(&self.auto_lock) = Duration::from_secs_f64(minutes * 60.0);
    }

    /// Drops the session: the connection closes and the key is zeroized. Returns whether
    /// there was one.
    pub fn lock(&self) -> bool {
        lock_ignoring_poison(&self.pending_promotion).take();
        let session = lock_ignoring_poison(&self.session).take();
        match session {
            Some(s) => {
                s.lock();
                true
            }
            None => false,
        }
    }

    /// Locks if the idle time has passed and nothing is running. Returns whether it
    /// locked.
    pub fn lock_if_idle(&self) -> bool {
        if self.busy.load(Ordering::SeqCst) {
            self.touch();
            return false;
        }
        let idle = lock_ignoring_poison(&self.last_activity).elapsed();
        if idle < *lock_ignoring_poison(&self.auto_lock) {
            return false;
        }
        // A command in flight holds the session: it is not idle.
        let Ok(mut guard) = self.session.try_lock() else {
            return false;
        };
        let Some(session) = guard.take() else {
            return false;
        };
        drop(guard);
        lock_ignoring_poison(&self.pending_promotion).take();
        session.lock();
        true
    }
}

/// The default vault folder: `$XDG_DATA_HOME` (or `~/.local/share`) `/org.harbor.desktop/vault`,
/// the app's data folder on Linux.
fn default_vault_dir() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("org.harbor.desktop").join("vault")
}

/// The vault folder this run uses: `HARBOR_VAULT`, or the default.
pub fn vault_dir() -> PathBuf {
    std::env::var_os("HARBOR_VAULT")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(default_vault_dir)
}

/// Starts the app. Exits at once (after raising the open window) when Harbor is already
/// open on the same vault.
pub fn run() {
    let vault_dir = vault_dir();
    let Some(guard) = instance::claim(&vault_dir) else {
        eprintln!(
            "Harbor is already open on {}: its window was brought to the front.",
            vault_dir.display()
        );
        return;
    };
    let shell = Arc::new(Shell::new(vault_dir));
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(shell.clone())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::create_vault,
            commands::unlock,
            commands::recover,
            commands::lock,
            commands::activity,
            commands::status,
            commands::dashboard,
            commands::list_records,
            commands::search,
            commands::get_record,
            commands::record_history,
            commands::record_template,
            commands::create_record,
            commands::update_record,
            commands::sign_off,
            commands::attachments,
            commands::attach,
            commands::attachment_content,
            commands::import_nemsis,
            commands::triggers,
            commands::preview_promotion,
            commands::promote,
            commands::drop_out,
            commands::unqueue,
            commands::outbox,
            commands::submit,
            commands::submissions,
            commands::audit_log,
            commands::audit_verify,
            commands::backup,
            commands::users,
            commands::add_user,
            commands::disable_user,
            commands::rekey_vault,
            commands::settings,
            commands::set_setting,
            commands::pso_enroll,
            commands::set_cadence,
            commands::set_auto_lock,
            commands::save_draft,
            commands::load_draft,
            commands::discard_draft,
            commands::device_identity,
            commands::contacts,
            commands::contact_add,
            commands::contact_remove,
            commands::packet_export,
            commands::packet_reply_preview,
            commands::packet_import,
            commands::received,
            commands::conflicts,
            commands::resolve_conflict,
        ])
        .setup(move |app| {
            let handle = app.handle().clone();
            guard.on_raise(move || {
                if let Some(w) = handle.get_webview_window("main") {
                    let _ = w.unminimize();
                    let _ = w.show();
                    let _ = w.set_focus();
                }
            });
            let handle = app.handle().clone();
            let idle = shell.clone();
            std::thread::Builder::new()
                .name("auto-lock".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(Duration::from_millis(500));
                        if idle.lock_if_idle() {
                            let _ = handle.emit(LOCKED_EVENT, "idle");
                        }
                    }
                })?;
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Harbor window could not start");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Dropping the session zeroizes the key before the process ends.
            handle.state::<Arc<Shell>>().lock();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMANDS: &[&str] = include!("command_names.rs");

    #[test]
    fn the_capability_grants_exactly_the_registered_commands() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let granted: std::collections::BTreeSet<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect();
        let registered: std::collections::BTreeSet<String> =
            COMMANDS.iter().map(|c| c.to_string()).collect();
        assert_eq!(granted, registered);
        let src = include_str!("lib.rs");
        let handler = &src[src.find("generate_handler![").unwrap()..];
        let handler = &handler[..handler.find(']').unwrap()];
        for c in COMMANDS {
            assert!(
                handler.contains(&format!("commands::{c},")),
                "{c} is not in generate_handler!"
            );
        }
        assert_eq!(handler.matches("commands::").count(), COMMANDS.len());
    }

    #[test]
    fn the_csp_is_strict_and_nothing_remote_loads() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let csp = conf["app"]["security"]["csp"].as_str().unwrap();
        assert!(csp.contains("default-src 'self'"));
        assert!(csp.contains("object-src 'none'"));
        assert!(!csp.contains("unsafe-eval"));
        // Only Tauri's own IPC origin; nothing remote.
        let rest = csp.replace("http://ipc.localhost", "");
        assert!(!rest.contains("http:") && !rest.contains("https:"), "{csp}");
        assert_eq!(conf["app"]["withGlobalTauri"], false);
    }

    #[test]
    fn a_locked_shell_stays_locked_and_idle_locks_only_after_the_time() {
        let dir = tempfile::tempdir().unwrap();
        let shell = Shell::new(dir.path().join("v"));
        assert!(!shell.is_unlocked());
        assert!(!shell.lock());
        assert!(!shell.lock_if_idle());
        let pass = harbor::Passphrase::new("a long enough passphrase for tests".into());
        let (session, _code) =
            harbor::init(&shell.vault_dir, "admin", &pass, harbor::KdfParams::MINIMUM).unwrap();
        shell.open(session);
        shell.set_auto_lock(1.0);
        assert!(!shell.lock_if_idle(), "not idle yet");
        shell.set_auto_lock(0.0);
        shell.busy.store(true, Ordering::SeqCst);
        assert!(!shell.lock_if_idle(), "never while busy");
        shell.busy.store(false, Ordering::SeqCst);
        assert!(shell.lock_if_idle());
        assert!(!shell.is_unlocked());
    }
}
