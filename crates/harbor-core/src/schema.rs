//! JSON Schemas generated from the record types, and validation of input against them.
//!
//! The schemas in the repository's `schemas/` folder are the output of [`schema_files`];
//! a test compares them and fails when they are stale (run it with `UPDATE_GENERATED=1`
//! to rewrite them).

use crate::error::{CoreError, FieldError};
use crate::records::{CallReview, CaseNote, EpcrReference, Investigation, RecordBody, RecordKind};
use serde_json::Value;
use std::sync::OnceLock;

/// The JSON Schema of a record kind's body.
pub fn schema_for(kind: RecordKind) -> Value {
    let mut schema = match kind {
        RecordKind::CallReview => schemars::schema_for!(CallReview),
        RecordKind::CaseNote => schemars::schema_for!(CaseNote),
        RecordKind::Investigation => schemars::schema_for!(Investigation),
        RecordKind::Epcr => schemars::schema_for!(EpcrReference),
    }
    .to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            Value::String(format!("https://harbor.invalid/schemas/{kind}.json")),
        );
    }
    schema
}

/// The generated schema files: (file name, pretty JSON with a trailing newline).
pub fn schema_files() -> Vec<(String, String)> {
    RecordKind::ALL
        .into_iter()
        .map(|kind| {
            let text = serde_json::to_string_pretty(&schema_for(kind)).expect("schema serialises");
            (format!("{kind}.schema.json"), text + "\n")
        })
        .collect()
}

fn validator(kind: RecordKind) -> &'static jsonschema::Validator {
    static VALIDATORS: OnceLock<Vec<jsonschema::Validator>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        RecordKind::ALL
            .into_iter()
            .map(|k| {
                jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema_for(k))
                    .expect("generated schemas are valid JSON Schemas")
            })
            .collect()
    });
    let index = RecordKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL");
    &all[index]
}

/// Parses JSON text, turning a syntax error into [`CoreError::NotJson`] with its position.
pub fn parse_json(text: &str) -> Result<Value, CoreError> {
    serde_json::from_str(text).map_err(|e| CoreError::NotJson {
        line: e.line(),
        column: e.column(),
        reason: match e.classify() {
            serde_json::error::Category::Eof => "the input ends too early".into(),
            serde_json::error::Category::Syntax => "syntax error".into(),
            _ => "not JSON".into(),
        },
    })
}

/// Validates a record body of `kind` and returns it typed.
///
/// Every schema violation is reported, each naming its field as a JSON Pointer; the
/// messages never repeat the offending values.
pub fn validate(kind: RecordKind, input: &Value) -> Result<RecordBody, CoreError> {
    let errors: Vec<FieldError> = validator(kind)
        .iter_errors(input)
        .map(|e| FieldError {
            field: e.instance_path().to_string(),
            message: e.masked().to_string(),
        })
        .collect();
    if !errors.is_empty() {
        return Err(CoreError::InvalidRecord { kind, errors });
    }
    let typed = |e: serde_json::Error| CoreError::InvalidRecord {
        kind,
        errors: vec![FieldError {
            field: String::new(),
            message: e.to_string(),
        }],
    };
    let value = input.clone();
    Ok(match kind {
        RecordKind::CallReview => {
            RecordBody::CallReview(serde_json::from_value(value).map_err(typed)?)
        }
        RecordKind::CaseNote => RecordBody::CaseNote(serde_json::from_value(value).map_err(typed)?),
        RecordKind::Investigation => {
            RecordBody::Investigation(serde_json::from_value(value).map_err(typed)?)
        }
        RecordKind::Epcr => {
            RecordBody::Epcr(Box::new(serde_json::from_value(value).map_err(typed)?))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_errors_name_every_bad_field_without_its_value() {
        let input = json!({
            "call": {"pcr_number": "", "call_date": "yesterday"},
            "status": "half_done",
            "harm": {"level": "catastrophic-SECRETVALUE"},
            "surprise": 1
        });
        let Err(CoreError::InvalidRecord { errors, .. }) = validate(RecordKind::CallReview, &input)
        else {
            panic!("invalid input accepted")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in [
            "/call/pcr_number",
            "/call/call_date",
            "/status",
            "/harm",
            "",
        ] {
            assert!(
                fields.contains(&expected),
                "{expected} missing from {fields:?}"
            );
        }
        for e in &errors {
            assert!(
                !e.message.contains("SECRETVALUE"),
                "value leaked: {}",
                e.message
            );
            assert!(
                !e.message.contains("yesterday"),
                "value leaked: {}",
                e.message
            );
        }
    }

    #[test]
    fn a_minimal_call_review_validates_with_defaults() {
        let body = validate(
            RecordKind::CallReview,
            &json!({"call": {"pcr_number": "24-0001", "call_date": "2026-11-02"}}),
        )
        .unwrap();
        assert_eq!(body.status(), Some("not_started"));
    }

    #[test]
    fn not_json_reports_the_position() {
        let Err(CoreError::NotJson { line, .. }) = parse_json("{\n  \"a\": ,\n}") else {
            panic!("accepted")
        };
        assert_eq!(line, 2);
    }

    #[test]
    fn templates_validate() {
        for kind in RecordKind::ALL {
            let template = crate::records::template(kind);
            validate(kind, &template).unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }

    /// The checked-in schemas and role matrix must match what the code generates.
    #[test]
    fn generated_files_are_fresh() {
        let root = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
        )
        .join("../..");
        let mut files: Vec<(std::path::PathBuf, String)> = schema_files()
            .into_iter()
            .map(|(name, text)| (root.join("schemas").join(name), text))
            .collect();
        files.push((root.join("docs/roles.md"), crate::roles::matrix_markdown()));
        let update = std::env::var_os("UPDATE_GENERATED").is_some();
        let mut stale = Vec::new();
        for (path, text) in files {
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            if on_disk != text {
                if update {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, text).unwrap();
                } else {
                    stale.push(path.display().to_string());
                }
            }
        }
        assert!(
            stale.is_empty(),
            "generated files are stale: {stale:?}; run `UPDATE_GENERATED=1 cargo test -p harbor-core generated` and commit"
        );
    }
}
