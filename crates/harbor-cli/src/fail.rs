//! Failures and exit codes. The code is chosen from the error's stable `code()`, never
//! from its message; docs/cli.md lists them.

use harbor::{ErrorCode, HarborError};
use serde_json::json;

/// The exit code for a failure's code. Exhaustive: a new code must be given one.
pub fn exit_code(code: ErrorCode) -> i32 {
    use ErrorCode as C;
    match code {
        C::Internal | C::Storage | C::Io | C::Locked => 1,
        C::Usage => 2,
        C::WrongPassphrase => 3,
        C::Throttled => 4,
        C::UserDisabled => 5,
        C::Forbidden => 6,
        C::InvalidInput
        | C::PassphraseRejected
        | C::BadSetting
        | C::BadUserName
        | C::UserExists
        | C::UnknownUser
        | C::AttachmentTooLarge => 7,
        C::NotFound => 8,
        C::OriginalRecord
        | C::AlreadyReported
        | C::QueuedForPso
        | C::AlreadyQueued
        | C::ReportedUnchanged
        | C::DroppedOut
        | C::NotQueued
        | C::PreviewStale => 9,
        C::VaultCorrupt | C::KeyslotsDamaged | C::AuditBroken => 10,
        C::SchemaTooNew => 11,
        C::NotAVault | C::FolderNotEmpty | C::BadBackup => 12,
        C::ImportIncomplete => 13,
        C::NotEnrolled | C::PsoRefused | C::BadReceipt => 14,
        C::PsoUnreachable => 15,
        C::PacketDamaged | C::PacketWrongRecipient | C::PacketUnknownSender | C::PacketRefused => {
            16
        }
        C::VaultInUse | C::OldKeySlots => 17,
    }
}

/// What each exit code means, for docs/cli.md (generated from it by a test).
#[cfg(test)]
const EXIT_MEANINGS: &[(i32, &str)] = &[
    (0, "success"),
    (1, "an unexpected or file-system failure"),
    (2, "bad command line or missing secret input"),
    (3, "unknown user or wrong passphrase (nothing was changed)"),
    (4, "too many failed unlocks: wait the time shown"),
    (5, "the user is disabled"),
    (6, "your role does not permit the action"),
    (7, "input refused: the message names the field or rule"),
    (8, "no record, attachment or user with that id"),
    (
        9,
        "the record's PSES state does not allow the action, or it changed since its promotion preview",
    ),
    (10, "the vault is damaged or was tampered with"),
    (11, "the vault was written by a newer Harbor"),
    (12, "wrong folder or file"),
    (
        13,
        "an import finished, but some files were not imported (each listed with its reason)",
    ),
    (
        14,
        "the PSO refused, or its receipt did not verify: nothing was lost and nothing was marked reported",
    ),
    (
        15,
        "the PSO could not be reached or failed: nothing was lost; `harbor submit` again resumes",
    ),
    (
        16,
        "a case packet was refused (damaged, for another vault, from an unknown sender, or asking for more than a contact may): nothing was imported",
    ),
    (
        17,
        "the vault cannot be re-keyed now (another process has it open, or old slots remain): nothing was changed; the message says what to do",
    ),
];

/// A usage error (exit 2): a bad command line or a missing secret.
pub fn usage(message: String) -> HarborError {
    HarborError::new(ErrorCode::Usage, message)
}

/// Prints the failure on stderr, as text or as `{"error": {code, message, fields, ...}}`.
pub fn report(failure: &HarborError, json_output: bool) {
    if json_output {
        eprintln!("{}", json!({ "error": failure }));
    } else if failure.field_errors().is_empty() {
        eprintln!("error: {failure}");
    } else {
        eprintln!("error: the input is not valid; nothing was saved:");
        for f in failure.field_errors() {
            eprintln!("  {f}");
        }
    }
}

/// The exit-code table of docs/cli.md.
#[cfg(test)]
fn exit_code_markdown() -> String {
    let mut out = String::from("| exit | error codes | meaning |\n|---|---|---|\n");
    for (n, meaning) in EXIT_MEANINGS {
        let codes: Vec<String> = ErrorCode::ALL
            .iter()
            .filter(|c| exit_code(**c) == *n)
            .map(|c| format!("`{c}`"))
            .collect();
        let codes = if codes.is_empty() {
            "-".to_owned()
        } else {
            codes.join(", ")
        };
        out.push_str(&format!("| {n} | {codes} | {meaning} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exit_code_has_its_meaning_and_the_usual_ones_keep_their_numbers() {
        for code in ErrorCode::ALL {
            let n = exit_code(*code);
            assert!(
                EXIT_MEANINGS.iter().any(|(m, _)| *m == n),
                "{code} exits {n}, which has no meaning in docs/cli.md"
            );
        }
        for (n, _) in EXIT_MEANINGS.iter().skip(1) {
            assert!(
                ErrorCode::ALL.iter().any(|c| exit_code(*c) == *n),
                "exit {n} is documented but no code uses it"
            );
        }
        assert_eq!(exit_code(ErrorCode::WrongPassphrase), 3);
        assert_eq!(exit_code(ErrorCode::Forbidden), 6);
        assert_eq!(exit_code(ErrorCode::VaultCorrupt), 10);
    }

    /// docs/cli.md carries the table generated from EXIT_CODES.
    #[test]
    fn the_documented_exit_codes_are_fresh() {
        let path = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
        )
        .join("../../docs/cli.md");
        let doc = std::fs::read_to_string(&path).unwrap();
        let start = doc.find("<!-- exit-codes:start").unwrap();
        let start = start + doc[start..].find("-->\n").unwrap() + 4;
        let end = doc.find("<!-- exit-codes:end -->").unwrap();
        let table = exit_code_markdown();
        if doc[start..end] != table {
            if std::env::var_os("UPDATE_GENERATED").is_some() {
                std::fs::write(&path, format!("{}{}{}", &doc[..start], table, &doc[end..]))
                    .unwrap();
            } else {
                panic!(
                    "docs/cli.md's exit codes are stale: run `UPDATE_GENERATED=1 cargo test -p harbor-cli`"
                );
            }
        }
    }
}
