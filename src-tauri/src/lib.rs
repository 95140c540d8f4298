//! Harbor's desktop shell: a thin Tauri 2 app. Each command takes the shell's state, calls
//! the service API (`harbor::Session`) off the UI thread and maps the error to a stable
//! `{code, message}`; the UI (`ui/`) chooses its words from the code. The shell holds no
//! logic of its own beyond the session's lifetime: it drops the session (and with it the
//! vault's key) on demand and after the configured idle time, which only the person's own
//! input restarts (see [`idle`]).

mod commands;
mod dialog;
mod error;
pub mod idle;
mod instance;

use harbor::Session;
use idle::IdleClock;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tauri::{Emitter, Manager};

/// The event the shell emits when it locks (payload: `"idle"` or `"user"`).
pub const LOCKED_EVENT: &str = "harbor://locked";

/// The shell's state: the vault folder and the unlocked session, if any.
pub struct Shell {
    /// The vault folder (from `HARBOR_VAULT`, or a folder under the user's data folder).
    pub vault_dir: PathBuf,
    session: Mutex<Option<Session>>,
    /// The person's idle time, restarted only by their input (see [`idle`]).
    clock: Mutex<IdleClock>,
    auto_lock: Mutex<Duration>,
    /// Set when the session was dropped for idleness by a command that found the time
    /// passed, so that the auto-lock thread still tells the page why.
    idle_locked: AtomicBool,
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
            clock: Mutex::new(IdleClock::new(Instant::now())),
            auto_lock: Mutex::new(Duration::from_secs_f64(
                harbor::desktop::DEFAULT_AUTO_LOCK_MINUTES * 60.0,
            )),
            idle_locked: AtomicBool::new(false),
        }
    }

    /// Notes input from the person (a key, a click, a scroll, a touch, a mouse movement in
    /// the window): the idle clock starts again. Nothing the page calls does this.
    pub fn input(&self) {
        lock_ignoring_poison(&self.clock).input(Instant::now());
    }

    /// Long work begins: the idle clock pauses (within [`idle::LONG_WORK_BOUND`]).
    fn begin_long_work(&self) {
        lock_ignoring_poison(&self.clock).begin_long_work(Instant::now());
    }

    /// Long work ends. This is not input: the clock goes on from where it paused.
    fn end_long_work(&self) {
        lock_ignoring_poison(&self.clock).end_long_work(Instant::now());
    }

    /// Whether the person has been away for the idle time.
    fn idle_time_passed(&self) -> bool {
        let idle = lock_ignoring_poison(&self.clock).idle(Instant::now());
        idle >= *lock_ignoring_poison(&self.auto_lock)
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
        // Unlocking took the person's passphrase: that is input.
        self.input();
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
        let session = lock_ignoring_poison(&self.session).take();
        match session {
            Some(s) => {
                s.lock();
                true
            }
            None => false,
        }
    }

    /// Locks if the idle time has passed. Returns whether it locked (here, or in a
    /// command that found the time passed since the last call).
    pub fn lock_if_idle(&self) -> bool {
        if self.idle_locked.swap(false, Ordering::SeqCst) {
            return true;
        }
        if !self.idle_time_passed() {
            return false;
        }
        // A command in flight holds the session; the next one to take it locks instead
        // (see `take_if_idle`), so a stream of commands cannot hold the session open.
        let Ok(mut guard) = self.session.try_lock() else {
            return false;
        };
        let Some(session) = guard.take() else {
            return false;
        };
        drop(guard);
        session.lock();
        true
    }

    /// Called by a command holding the session: when the idle time has passed, drops the
    /// session (the command then fails with `locked`) and returns true.
    fn take_if_idle(&self, session: &mut Option<Session>) -> bool {
        if session.is_none() || !self.idle_time_passed() {
            return false;
        }
        if let Some(s) = session.take() {
            s.lock();
        }
        self.idle_locked.store(true, Ordering::SeqCst);
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
            commands::record_choices,
            commands::record_template,
            commands::create_record,
            commands::update_record,
            commands::sign_off,
            commands::attachments,
            commands::attach,
            commands::attachment_content,
            commands::save_attachment,
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
            commands::policy,
            commands::adopt_policy,
            commands::disclosures,
            commands::record_disclosure,
            commands::disclosure_permissions,
            commands::privilege_log,
            commands::privilege_log_export,
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
            #[cfg(target_os = "linux")]
            watch_input(app, shell.clone())?;
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

/// Feeds the idle clock from the window's own input events. WebKitGTK's view receives
/// every key, click, scroll, touch and pointer movement the display server delivers to
/// the window; a script in the page can make DOM events, but not these.
#[cfg(target_os = "linux")]
fn watch_input(app: &tauri::App, shell: Arc<Shell>) -> tauri::Result<()> {
    use gtk::gdk::EventType;
    use gtk::prelude::WidgetExt;
    let Some(window) = app.get_webview_window("main") else {
        return Ok(());
    };
    window.with_webview(move |webview| {
        webview.inner().connect_event(move |_, event| {
            if matches!(
                event.event_type(),
                EventType::KeyPress
                    | EventType::ButtonPress
                    | EventType::Scroll
                    | EventType::TouchBegin
                    | EventType::MotionNotify
            ) {
                shell.input();
            }
            gtk::glib::Propagation::Proceed
        });
    })
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
        assert!(shell.lock_if_idle());
        assert!(!shell.is_unlocked());
    }

    #[test]
    fn a_command_that_finds_the_idle_time_passed_locks_instead_of_running() {
        let dir = tempfile::tempdir().unwrap();
        let shell = Shell::new(dir.path().join("v"));
        let pass = harbor::Passphrase::new("a long enough passphrase for tests".into());
        let (session, _code) =
            harbor::init(&shell.vault_dir, "admin", &pass, harbor::KdfParams::MINIMUM).unwrap();
        shell.open(session);
        let mut guard = lock_ignoring_poison(&shell.session);
        assert!(
            !shell.take_if_idle(&mut guard),
            "the idle time has not passed"
        );
        shell.set_auto_lock(0.0);
        assert!(shell.take_if_idle(&mut guard));
        assert!(guard.is_none(), "the session was dropped");
        drop(guard);
        assert!(
            shell.lock_if_idle(),
            "the auto-lock thread still reports it"
        );
        assert!(!shell.lock_if_idle(), "once");
    }
}
