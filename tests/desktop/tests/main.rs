//! End-to-end tests of the desktop app: the real `harbor-desktop` binary (built with the
//! embedded UI) in a real window under Xvfb, driven over WebDriver. Each test starts from
//! its own vault folder.
//!
//! They need the built app, tauri-driver, WebKitWebDriver and a display, so they are
//! ignored in a plain `cargo nextest run` (shown as skipped, never as passed);
//! `scripts/test.sh` builds what they need and runs them with `--run-ignored only` under
//! `xvfb-run`. Run by hand, a missing prerequisite fails with what to do.

mod flows;
mod lock;
mod packets;
mod privilege;
mod shell_boundary;
mod workflows;
