//! Where the shell writes a file: only where the person chose in the native save dialog,
//! which the shell opens itself. No command that writes takes a path from the page, so a
//! script in the webview cannot make the shell write or overwrite a file of its choosing
//! (see `docs/desktop.md`). Commands that read (import, attach) still take the path the
//! person picked, dropped or typed: reading needs the vault's own checks, not a dialog.
//!
//! The window tests cannot drive GTK's file chooser through WebDriver. A build with the
//! `e2e-dialogs` feature (the tests' build only) answers the dialog from a file named by
//! `HARBOR_E2E_SAVE_ANSWERS` instead: one answer per line, a path or `cancel`, each used
//! once. The dialogs asked are appended to the same path with `.asked` after it.

use crate::error::internal;
use harbor::HarborError;
use std::path::PathBuf;
use tauri::AppHandle;

/// What the save dialog asks.
pub struct SaveDialog<'a> {
    /// The dialog's title: what is being written.
    pub title: &'a str,
    /// The file name it proposes.
    pub file_name: String,
    /// The filter's name and the extensions it shows.
    pub filter: (&'a str, &'a [&'a str]),
}

/// A file name the dialog can propose: the last path component of `name`, with anything
/// but letters, digits, `-`, `_` and `.` replaced, never empty or hidden.
pub fn plain_file_name(name: &str, fallback: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.');
    if clean.is_empty() {
        fallback.to_owned()
    } else {
        clean.chars().take(120).collect()
    }
}

/// Asks the person where to write. `None` when they cancel.
pub async fn ask_where_to_save(
    app: &AppHandle,
    ask: SaveDialog<'_>,
) -> Result<Option<PathBuf>, HarborError> {
    #[cfg(feature = "e2e-dialogs")]
    if let Some(answers) = std::env::var_os("HARBOR_E2E_SAVE_ANSWERS") {
        return scripted_answer(PathBuf::from(answers), &ask);
    }
    native(app, ask).await
}

async fn native(app: &AppHandle, ask: SaveDialog<'_>) -> Result<Option<PathBuf>, HarborError> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(ask.title)
        .set_file_name(ask.file_name)
        .add_filter(ask.filter.0, ask.filter.1);
    if let Some(home) = std::env::var_os("HOME") {
        dialog = dialog.set_directory(home);
    }
    dialog.save_file(move |chosen| {
        let _ = tx.send(chosen);
    });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(|_| internal("the save dialog closed unexpectedly"))?;
    match chosen {
        None => Ok(None),
        Some(path) => path.into_path().map(Some).map_err(|_| {
            HarborError::invalid_input("choose a file on this computer or a mounted drive")
        }),
    }
}

#[cfg(feature = "e2e-dialogs")]
fn scripted_answer(answers: PathBuf, ask: &SaveDialog<'_>) -> Result<Option<PathBuf>, HarborError> {
    use std::io::Write;
    let failed = |_| internal("the tests' dialog answers could not be read");
    let mut asked_path = answers.clone().into_os_string();
    asked_path.push(".asked");
    let mut asked = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(asked_path)
        .map_err(failed)?;
    writeln!(asked, "{}\t{}", ask.title, ask.file_name).map_err(failed)?;
    let text = std::fs::read_to_string(&answers).unwrap_or_default();
    let mut lines = text.lines();
    let answer = lines.next().unwrap_or("cancel").trim().to_owned();
    let rest: Vec<&str> = lines.collect();
    std::fs::write(&answers, rest.join("\n")).map_err(failed)?;
    Ok((answer != "cancel" && !answer.is_empty()).then(|| PathBuf::from(answer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposed_name_is_a_plain_file_name() {
        assert_eq!(
            plain_file_name("okafor laptop.hpk", "x"),
            "okafor_laptop.hpk"
        );
        assert_eq!(plain_file_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(plain_file_name("/home/a/.bashrc", "x"), "bashrc");
        assert_eq!(plain_file_name("..", "packet.hpk"), "packet.hpk");
        assert_eq!(plain_file_name("", "packet.hpk"), "packet.hpk");
    }
}
