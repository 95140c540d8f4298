//! Where passphrases and recovery codes come from: environment for scripts, a file, or an
//! interactive prompt without echo. Never from arguments (they show in `ps`).

use crate::fail;
use harbor::HarborError;
use harbor::{Passphrase, RecoveryCode};
use std::io::IsTerminal;
use std::path::Path;

/// The acting user's passphrase: HARBOR_PASSPHRASE, --passphrase-file, or a prompt.
pub fn passphrase(file: Option<&Path>, prompt: &str) -> Result<Passphrase, HarborError> {
    if let Ok(p) = std::env::var("HARBOR_PASSPHRASE") {
        return Ok(Passphrase::new(p));
    }
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            fail::usage(format!(
                "cannot read the passphrase file {}: {e}",
                file.display()
            ))
        })?;
        return Ok(Passphrase::new(
            text.lines().next().unwrap_or("").to_owned(),
        ));
    }
    prompt_hidden(prompt).map(Passphrase::new)
}

/// A new passphrase: HARBOR_NEW_PASSPHRASE, or a prompt asked twice.
pub fn new_passphrase(whose: &str) -> Result<Passphrase, HarborError> {
    if let Ok(p) = std::env::var("HARBOR_NEW_PASSPHRASE") {
        return Ok(Passphrase::new(p));
    }
    new_passphrase_prompt(whose)
}

/// A new passphrase from a prompt asked twice.
pub fn new_passphrase_prompt(whose: &str) -> Result<Passphrase, HarborError> {
    eprintln!(
        "Choose a passphrase for {whose}: at least 12 characters; a few unrelated words work well."
    );
    let first = prompt_hidden("New passphrase: ")?;
    let second = prompt_hidden("Repeat it: ")?;
    if first != second {
        return Err(fail::usage(
            "the two passphrases differ; nothing was changed".into(),
        ));
    }
    Ok(Passphrase::new(first))
}

/// The recovery code: HARBOR_RECOVERY_CODE or a prompt.
pub fn recovery_code() -> Result<RecoveryCode, HarborError> {
    if let Ok(c) = std::env::var("HARBOR_RECOVERY_CODE") {
        return Ok(RecoveryCode::parse(&c));
    }
    prompt_hidden("Recovery code: ").map(|c| RecoveryCode::parse(&c))
}

fn prompt_hidden(prompt: &str) -> Result<String, HarborError> {
    if !std::io::stdin().is_terminal() {
        return Err(fail::usage(format!(
            "no terminal to ask for '{}': set the environment variable (HARBOR_PASSPHRASE, HARBOR_NEW_PASSPHRASE or HARBOR_RECOVERY_CODE) or use --passphrase-file",
            prompt.trim_end_matches([':', ' '])
        )));
    }
    rpassword::prompt_password(prompt)
        .map_err(|e| fail::usage(format!("cannot read from the terminal: {e}")))
}
