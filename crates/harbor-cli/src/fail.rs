//! Failures and exit codes. The code is chosen from the error's stable `code()`, never
//! from its message; docs/cli.md lists them.

use harbor::HarborError;
use serde_json::json;

/// The exit codes of `harbor`, by error code.
pub const EXIT_CODES: &[(i32, &[&str], &str)] = &[
    (0, &[], "success"),
    (
        1,
        &["internal", "storage", "io"],
        "an unexpected or file-system failure",
    ),
    (2, &["usage"], "bad command line or missing secret input"),
    (
        3,
        &["wrong_passphrase"],
        "unknown user or wrong passphrase (nothing was changed)",
    ),
    (
        4,
        &["throttled"],
        "too many failed unlocks: wait the time shown",
    ),
    (5, &["user_disabled"], "the user is disabled"),
    (6, &["forbidden"], "your role does not permit the action"),
    (
        7,
        &[
            "invalid_input",
            "passphrase_rejected",
            "bad_setting",
            "bad_user_name",
            "user_exists",
            "unknown_user",
            "attachment_too_large",
        ],
        "input refused: the message names the field or rule",
    ),
    (
        8,
        &["not_found"],
        "no record, attachment or user with that id",
    ),
    (
        9,
        &[
            "original_record",
            "already_reported",
            "queued_for_pso",
            "already_queued",
            "reported_unchanged",
            "dropped_out",
            "not_queued",
            "preview_stale",
        ],
        "the record's PSES state does not allow the action, or it changed since its promotion preview",
    ),
    (
        10,
        &["vault_corrupt", "keyslots_damaged", "audit_broken"],
        "the vault is damaged or was tampered with",
    ),
    (
        11,
        &["schema_too_new"],
        "the vault was written by a newer Harbor",
    ),
    (
        12,
        &["not_a_vault", "folder_not_empty", "bad_backup"],
        "wrong folder or file",
    ),
    (
        13,
        &["import_incomplete"],
        "an import finished, but some files were not imported (each listed with its reason)",
    ),
    (
        14,
        &["not_enrolled", "pso_refused", "bad_receipt"],
        "the PSO refused, or its receipt did not verify: nothing was lost and nothing was marked reported",
    ),
    (
        15,
        &["pso_unreachable"],
        "the PSO could not be reached or failed: nothing was lost; `harbor submit` again resumes",
    ),
    (
        16,
        &[
            "packet_damaged",
            "packet_wrong_recipient",
            "packet_unknown_sender",
            "packet_refused",
        ],
        "a case packet was refused (damaged, for another vault, from an unknown sender, or asking for more than a contact may): nothing was imported",
    ),
    (
        17,
        &["vault_in_use", "old_key_slots"],
        "the vault cannot be re-keyed now (another process has it open, or old slots remain): nothing was changed; the message says what to do",
    ),
];

/// A failure to report: its code, its message, field-level problems.
#[derive(Debug)]
pub struct Failure {
    /// Stable code.
    pub code: &'static str,
    /// Message for a person.
    pub message: String,
    /// Field-level problems (JSON Pointer, message).
    pub fields: Vec<(String, String)>,
}

impl Failure {
    /// A usage error (exit 2).
    pub fn usage(message: String) -> Self {
        Failure {
            code: "usage",
            message,
            fields: Vec::new(),
        }
    }

    /// A failure with a code.
    pub fn new(code: &'static str, message: String) -> Self {
        Failure {
            code,
            message,
            fields: Vec::new(),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        EXIT_CODES
            .iter()
            .find(|(_, codes, _)| codes.contains(&self.code))
            .map(|(n, _, _)| *n)
            .unwrap_or(1)
    }

    /// Prints the failure on stderr, as text or JSON.
    pub fn report(&self, json_output: bool) {
        if json_output {
            let fields: Vec<_> = self
                .fields
                .iter()
                .map(|(f, m)| json!({"field": f, "message": m}))
                .collect();
            eprintln!(
                "{}",
                json!({"error": {"code": self.code, "message": self.message, "fields": fields}})
            );
        } else {
            if self.fields.is_empty() {
                eprintln!("error: {}", self.message);
            } else {
                eprintln!("error: the input is not valid; nothing was saved:");
                for (field, message) in &self.fields {
                    let field = if field.is_empty() {
                        "(document)"
                    } else {
                        field
                    };
                    eprintln!("  {field}: {message}");
                }
            }
        }
    }
}

impl From<HarborError> for Failure {
    fn from(e: HarborError) -> Self {
        Failure {
            code: e.code(),
            fields: e
                .field_errors()
                .iter()
                .map(|f| (f.field.clone(), f.message.clone()))
                .collect(),
            message: e.to_string(),
        }
    }
}

/// The exit-code table of docs/cli.md.
#[cfg(test)]
fn exit_code_markdown() -> String {
    let mut out = String::from("| exit | error codes | meaning |\n|---|---|---|\n");
    for (n, codes, meaning) in EXIT_CODES {
        let codes = if codes.is_empty() {
            "-".to_owned()
        } else {
            codes
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("| {n} | {codes} | {meaning} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_has_one_exit_code() {
        let mut seen = std::collections::HashSet::new();
        for (_, codes, _) in EXIT_CODES {
            for c in *codes {
                assert!(seen.insert(*c), "{c} listed twice");
            }
        }
        for c in [
            "forbidden",
            "wrong_passphrase",
            "throttled",
            "vault_corrupt",
            "schema_too_new",
            "invalid_input",
        ] {
            assert!(seen.contains(c), "{c} has no exit code");
        }
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
