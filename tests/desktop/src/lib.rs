//! The harness of the desktop end-to-end tests: starts `tauri-driver` (which starts
//! WebKitWebDriver, which starts the real `harbor-desktop` binary) with the test's own
//! vault folder in the environment, and drives the window over WebDriver with `fantoccini`.
//!
//! Needs: the app built with the `custom-protocol` feature at `<target>/desktop-e2e/
//! harbor-desktop` (or `HARBOR_DESKTOP_BIN`), `tauri-driver`, `WebKitWebDriver`, and an X
//! display (`xvfb-run -a`). `scripts/test.sh` provides all of them; a missing one fails the
//! test with a message saying what to do.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use harbor_e2e::{PASSPHRASE, Pso, harbor_bin, pso_bin};

/// How long a step may take before the test fails (the first window start on a cold
/// machine takes a few seconds).
pub const STEP: Duration = Duration::from_secs(30);

/// The cargo target folder of this test binary (`<target>/debug/deps/<test>` → `<target>`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.ancestors().nth(3).expect("target folder").to_owned()
}

/// The desktop app binary the tests drive.
pub fn app_bin() -> PathBuf {
    let bin = std::env::var_os("HARBOR_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("desktop-e2e").join("harbor-desktop"));
    assert!(
        bin.is_file(),
        "{} is missing: build the desktop app with the embedded UI first \
         (scripts/test.sh does: `npm ci && npm run build` in ui/, then \
         `cargo build -p harbor-desktop --features custom-protocol` and a copy into <target>/desktop-e2e/)",
        bin.display()
    );
    bin
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

/// `tauri-driver`, from the PATH or cargo's bin folder.
pub fn tauri_driver() -> PathBuf {
    on_path("tauri-driver")
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"))
                .filter(|p| p.is_file())
        })
        .unwrap_or_else(|| {
            panic!("tauri-driver is missing: `cargo install tauri-driver --locked` (scripts/setup.sh does)")
        })
}

fn check_prerequisites() {
    assert!(
        on_path("WebKitWebDriver").is_some(),
        "WebKitWebDriver is missing: `apt-get install webkit2gtk-driver` (scripts/setup.sh does)"
    );
    assert!(
        on_path("xdotool").is_some(),
        "xdotool is missing: `apt-get install xdotool` (scripts/setup.sh does)"
    );
    assert!(
        std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()),
        "no X display: run the desktop tests under `xvfb-run -a` (scripts/test.sh does)"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running desktop app on its own vault, driven over WebDriver.
pub struct Desktop {
    /// The WebDriver client.
    pub client: Client,
    /// The vault folder the app uses (`HARBOR_VAULT`).
    pub vault: PathBuf,
    driver: Option<Child>,
    log: PathBuf,
    /// Answers to the shell's save dialog (a build with `e2e-dialogs` reads them).
    save_answers: PathBuf,
}

impl Desktop {
    /// Starts the app on `vault` with extra environment variables.
    pub async fn start(vault: &Path, env: &[(&str, &str)]) -> Desktop {
        check_prerequisites();
        let app = app_bin();
        let port = free_port();
        let native = free_port();
        let log = vault.with_extension("driver.log");
        let log_file = std::fs::File::create(&log).expect("driver log");
        let save_answers = vault.with_extension("save-answers");
        std::fs::write(&save_answers, "").expect("save dialog answers");
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("HARBOR_VAULT", vault)
        .env("HARBOR_E2E_SAVE_ANSWERS", &save_answers)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log"))
        .stderr(log_file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = cmd.spawn().expect("tauri-driver starts");
        let deadline = Instant::now() + STEP;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({"application": app, "args": []}),
        );
        caps.insert("browserName".into(), "wry".into());
        let mut last_err = None;
        let mut client = None;
        for _ in 0..3 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(e) => {
                    last_err = Some(e.to_string());
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        let client = client.unwrap_or_else(|| {
            panic!(
                "no WebDriver session with the app: {last_err:?}\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            )
        });
        Desktop {
            client,
            vault: vault.to_owned(),
            driver: Some(driver),
            log,
            save_answers,
        }
    }

    /// The person's next answer to the shell's save dialog: write to `path`, or cancel
    /// when `None`.
    pub fn answer_save_dialog(&self, path: Option<&Path>) {
        let mut text = std::fs::read_to_string(&self.save_answers).unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        match path {
            Some(p) => text.push_str(p.to_str().expect("utf-8 path")),
            None => text.push_str("cancel"),
        }
        text.push('\n');
        std::fs::write(&self.save_answers, text).expect("save dialog answers");
    }

    /// The save dialogs the shell opened so far: `title<TAB>proposed file name` each.
    pub fn save_dialogs_asked(&self) -> Vec<String> {
        let mut asked = self.save_answers.clone().into_os_string();
        asked.push(".asked");
        std::fs::read_to_string(asked)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// A person at the keyboard: real pointer movements over the window, made in the
    /// display server (`xdotool`, as a mouse would), every half second until the returned
    /// guard is dropped. Only such input starts the shell's idle clock again; WebDriver's
    /// clicks and keys go to the page directly and do not.
    pub fn person_at_the_keyboard(&self) -> PersonAtTheKeyboard {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut step = 0u32;
            while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                let (x, y) = (300 + (step % 2) * 40, 300 + (step % 2) * 40);
                let status = Command::new("xdotool")
                    .args(["mousemove", &x.to_string(), &y.to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .expect("xdotool runs (scripts/setup.sh installs it)");
                assert!(status.success(), "xdotool mousemove failed");
                step += 1;
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        PersonAtTheKeyboard {
            stop,
            thread: Some(thread),
        }
    }

    /// Closes the window and stops the driver (SIGTERM, so it stops WebKitWebDriver too).
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        self.stop_driver();
    }

    fn stop_driver(&mut self) {
        if let Some(mut child) = self.driver.take() {
            // SAFETY-free: libc::kill with a pid we own.
            #[allow(unsafe_code)]
            unsafe {
                libc::kill(child.id() as i32, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.client
            .execute("return document.body.innerText", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Fails the test with what the window shows.
    async fn fail(&self, what: &str) -> ! {
        let shot = self.vault.with_extension("failure.png");
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
        panic!(
            "{what}\n--- the window shows:\n{}\n--- screenshot: {}\n--- driver log:\n{}",
            self.text().await,
            shot.display(),
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }

    /// Waits until the page shows `text`.
    pub async fn wait_text(&self, text: &str) {
        self.wait_text_for(text, STEP).await
    }

    /// Waits up to `limit` until the page shows `text`.
    pub async fn wait_text_for(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if self.text().await.contains(text) {
                return;
            }
            if Instant::now() > deadline {
                self.fail(&format!("the window never showed {text:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page no longer shows `text`.
    pub async fn wait_gone(&self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            if !self.text().await.contains(text) {
                return;
            }
            if Instant::now() > deadline {
                self.fail(&format!("the window kept showing {text:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn find_xpath(&self, xpath: &str, what: &str) -> Element {
        let deadline = Instant::now() + STEP;
        loop {
            if let Ok(found) = self.client.find_all(Locator::XPath(xpath)).await {
                for e in found {
                    if e.is_displayed().await.unwrap_or(false) {
                        return e;
                    }
                }
            }
            if Instant::now() > deadline {
                self.fail(&format!("no {what} ({xpath})")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The form control labelled `label` (the label's text starts with it).
    pub async fn field(&self, label: &str) -> Element {
        let lab = self
            .find_xpath(
                &format!(
                    "//label[starts-with(normalize-space(.), {})]",
                    xpath_str(label)
                ),
                &format!("label {label:?}"),
            )
            .await;
        match lab.attr("for").await.ok().flatten() {
            Some(id) => {
                self.find_xpath(
                    &format!("//*[@id={}]", xpath_str(&id)),
                    &format!("field {label:?}"),
                )
                .await
            }
            None => lab
                .find(Locator::XPath(".//input|.//select|.//textarea"))
                .await
                .expect("a labelled control"),
        }
    }

    /// Replaces the text of the field labelled `label` by typing, as a person does.
    pub async fn fill(&self, label: &str, text: &str) {
        let f = self.field(label).await;
        f.click().await.ok();
        // Ctrl+A, release, Backspace: clears in a way React sees.
        f.send_keys("\u{e009}a\u{e000}\u{e003}")
            .await
            .expect("clear");
        if !text.is_empty() {
            f.send_keys(text).await.expect("type");
        }
    }

    /// Chooses the option with `value` in the select labelled `label`.
    pub async fn select(&self, label: &str, value: &str) {
        let f = self.field(label).await;
        f.select_by_value(value).await.expect("select");
    }

    /// Clicks the (enabled) button whose text starts with `text`, waiting until there is one.
    pub async fn click(&self, text: &str) {
        let xpath = format!(
            "//button[starts-with(normalize-space(.), {}) and not(@disabled)]",
            xpath_str(text)
        );
        let b = self.find_xpath(&xpath, &format!("button {text:?}")).await;
        b.click().await.expect("click");
    }

    /// Clicks the first visible element matching the XPath.
    pub async fn click_xpath(&self, xpath: &str) {
        let e = self.find_xpath(xpath, "an element").await;
        e.click().await.expect("click");
    }

    /// Clicks the first visible element matching the CSS selector.
    pub async fn click_css(&self, css: &str) {
        let deadline = Instant::now() + STEP;
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await
                && e.is_displayed().await.unwrap_or(false)
            {
                e.click().await.expect("click");
                return;
            }
            if Instant::now() > deadline {
                self.fail(&format!("nothing matches {css}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether a visible button starting with `text` is disabled.
    pub async fn button_disabled(&self, text: &str) -> bool {
        let b = self
            .find_xpath(
                &format!(
                    "//button[starts-with(normalize-space(.), {})]",
                    xpath_str(text)
                ),
                &format!("button {text:?}"),
            )
            .await;
        !b.is_enabled().await.unwrap_or(true)
    }

    /// Ticks the checkbox whose label starts with `label`.
    pub async fn check(&self, label: &str) {
        let lab = self
            .find_xpath(
                &format!(
                    "//label[starts-with(normalize-space(.), {})]",
                    xpath_str(label)
                ),
                &format!("checkbox {label:?}"),
            )
            .await;
        let input = lab
            .find(Locator::XPath(".//input[@type='checkbox']"))
            .await
            .expect("a checkbox in the label");
        if !input.is_selected().await.unwrap_or(false) {
            input.click().await.expect("tick");
        }
    }

    /// Sends keys to the focused element (shortcuts).
    pub async fn keys(&self, keys: &str) {
        let active = self.client.active_element().await.expect("focus");
        active.send_keys(keys).await.expect("keys");
    }

    /// Signs in on the unlock screen as `user` (with [`PASSPHRASE`]).
    pub async fn sign_in(&self, user: &str) {
        self.wait_text("Unlock Harbor").await;
        self.fill("User name", user).await;
        self.fill("Passphrase", PASSPHRASE).await;
        self.click("Unlock").await;
        self.wait_text(&format!("Signed in as {user}")).await;
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Vec<u8> {
        self.client.screenshot().await.expect("screenshot")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        self.stop_driver();
    }
}

/// `s` as an XPath string literal.
pub fn xpath_str(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// Where the screenshots go: always under the target folder; with UPDATE_SCREENSHOTS=1
/// also into docs/screenshots/ (committed, shown by the README).
pub fn screenshot_dirs() -> Vec<PathBuf> {
    let exe = std::env::current_exe().expect("exe");
    let mut dirs = vec![
        exe.ancestors()
            .nth(3)
            .expect("target")
            .join("desktop-screenshots"),
    ];
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        dirs.push(
            Path::new(
                &std::env::var("CARGO_MANIFEST_DIR")
                    .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
            )
            .join("../../docs/screenshots"),
        );
    }
    dirs
}

/// The width and height of a PNG.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let w = u32::from_be_bytes(png[16..20].try_into().expect("4 bytes"));
    let h = u32::from_be_bytes(png[20..24].try_into().expect("4 bytes"));
    (w, h)
}

/// Moves the mouse over the window until dropped: see [`Desktop::person_at_the_keyboard`].
pub struct PersonAtTheKeyboard {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for PersonAtTheKeyboard {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A private folder for one test: the vault path (not created) and scratch space.
pub struct Scratch {
    /// Removed on drop.
    pub root: tempfile::TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

impl Scratch {
    /// A new scratch folder.
    pub fn new() -> Self {
        Scratch {
            root: tempfile::Builder::new()
                .prefix("harbor-desktop-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// The vault folder.
    pub fn vault(&self) -> PathBuf {
        self.root.path().join("vault")
    }

    /// A work folder for files the test makes.
    pub fn work(&self) -> PathBuf {
        let p = self.root.path().join("work");
        std::fs::create_dir_all(&p).expect("work folder");
        p
    }
}

/// Creates a vault with an administrator and a quality officer (fast key derivation, so
/// tests do not wait on Argon2id's defaults), both with [`PASSPHRASE`].
pub fn make_vault(dir: &Path) -> harbor::Session {
    let pass = harbor::Passphrase::new(PASSPHRASE.into());
    let (mut s, _code) =
        harbor::init(dir, "admin", &pass, harbor::KdfParams::MINIMUM).expect("vault created");
    s.add_user("qa", harbor::Role::QualityOfficer, &pass)
        .expect("qa added");
    s.add_user("md", harbor::Role::MedicalDirector, &pass)
        .expect("md added");
    s
}
