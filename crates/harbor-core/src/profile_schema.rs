//! The JSON Schemas of what leaves under each submission profile, so that the PSO can
//! validate every item it receives.
//!
//! An `identifiable` body is the record as it is and follows the record kind's schema
//! ([`crate::schema::schema_for`]). A `nonidentifiable` body follows a schema derived here
//! from the de-identification rules: only the fields a rule lets through, dates as a
//! four-digit year, times as minute offsets, kept fields with their original schema, and
//! removed fields at most as `null` (de-identification keeps `null` and booleans where
//! they stand, and containers of fields without a rule, emptied).

use crate::deid::{self, Rule};
use crate::records::RecordKind;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What a `nonidentifiable` de-identification leaves of a field with no rule: nothing but
/// containers, `null` and booleans.
const EMPTIED: &str = "emptied";

enum Node {
    Object(BTreeMap<String, Node>),
    /// An array (`items`) or a map (`additionalProperties`) reached by `*`.
    Each {
        map: bool,
        child: Box<Node>,
    },
    Leaf(Value),
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}, {"type": "boolean"}]})
}

/// Follows `$ref` into `$defs` and, for `anyOf`/`oneOf`, the alternative that is a
/// container; returns the schema that describes the value's structure.
fn structural<'a>(root: &'a Value, mut s: &'a Value) -> &'a Value {
    for _ in 0..16 {
        if let Some(r) = s["$ref"].as_str() {
            s = &root["$defs"][r.trim_start_matches("#/$defs/")];
            continue;
        }
        let alternatives = s["anyOf"].as_array().or_else(|| s["oneOf"].as_array());
        if let Some(alts) = alternatives {
            let container = alts.iter().find(|a| {
                let a = structural(root, a);
                a.get("properties").is_some()
                    || a.get("items").is_some()
                    || a.get("additionalProperties").is_some_and(Value::is_object)
            });
            if let Some(c) = container {
                s = c;
                continue;
            }
        }
        break;
    }
    s
}

/// The record schema's subschema at `segments` (`*` is an array item or a map value).
fn subschema<'a>(root: &'a Value, segments: &[&str]) -> Option<&'a Value> {
    let mut s = root;
    for seg in segments {
        let st = structural(root, s);
        s = if *seg == "*" {
            // An array's items, a map's values, or any field of a record whose fields all
            // have one shape (the fishbone's categories).
            st.get("items")
                .or_else(|| st.get("additionalProperties").filter(|v| v.is_object()))
                .or_else(|| st.get("properties")?.as_object()?.values().next())?
        } else {
            st.get("properties")?.get(*seg)?
        };
    }
    Some(s)
}

/// Whether every value `s` allows comes from a closed list: an `enum` or `const`, a number,
/// a boolean or `null`, or alternatives that all are.
fn closed(root: &Value, s: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    if let Some(r) = s["$ref"].as_str() {
        return closed(
            root,
            &root["$defs"][r.trim_start_matches("#/$defs/")],
            depth + 1,
        );
    }
    if let Some(alts) = s["anyOf"].as_array().or_else(|| s["oneOf"].as_array()) {
        return alts.iter().all(|a| closed(root, a, depth + 1));
    }
    if s.get("enum").is_some() || s.get("const").is_some() {
        return true;
    }
    let scalar = |t: &Value| matches!(t.as_str(), Some("null" | "boolean" | "integer" | "number"));
    match &s["type"] {
        Value::Array(types) => !types.is_empty() && types.iter().all(scalar),
        t => scalar(t),
    }
}

/// Whether the field at `pattern` of the record schema holds only values from a closed
/// list (see [`closed`]); an unknown field is not closed.
fn closed_at(root: &Value, pattern: &str) -> bool {
    let segments: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    subschema(root, &segments).is_some_and(|s| closed(root, s, 0))
}

/// Whether the values of the field at `pattern` of a `kind` record come from a closed list
/// (an enumeration, a number or a boolean). A field that does not is free text, whatever
/// its de-identification rule says: [`deid`] withholds it unless scrubbed.
pub fn is_closed(kind: RecordKind, pattern: &str) -> bool {
    static CLOSED: OnceLock<Vec<(RecordKind, &'static str, bool)>> = OnceLock::new();
    CLOSED
        .get_or_init(|| {
            RecordKind::ALL
                .into_iter()
                .flat_map(|k| {
                    let root = crate::schema::schema_for(k);
                    deid::rules(k)
                        .iter()
                        .filter(|(_, r)| *r == Rule::Keep)
                        .map(|(p, _)| (k, *p, closed_at(&root, p)))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .iter()
        .any(|(k, p, c)| *k == kind && *p == pattern && *c)
}

fn leaf(root: &Value, segments: &[&str], rule: Rule) -> Result<Value, String> {
    Ok(match rule {
        Rule::Keep => nullable(
            subschema(root, segments)
                .ok_or_else(|| format!("no field /{} in the record schema", segments.join("/")))?
                .clone(),
        ),
        Rule::DateToYear => nullable(json!({"type": "string", "pattern": "^[0-9]{4}$"})),
        Rule::TimeToOffset => nullable(json!({"type": "string", "pattern": "^\\+-?[0-9]+ min$"})),
        Rule::FreeText => nullable(json!({"type": "string"})),
        Rule::Remove(_) => json!({"type": ["null", "boolean"]}),
    })
}

fn insert(
    node: &mut BTreeMap<String, Node>,
    root: &Value,
    segments: &[&str],
    at: usize,
    rule: Rule,
) -> Result<(), String> {
    let seg = segments[at];
    let last = at + 1 == segments.len();
    let mut next_is_each = !last && segments[at + 1] == "*";
    let entry = node.entry(seg.to_owned()).or_insert_with(|| {
        if last {
            Node::Leaf(Value::Null)
        } else if next_is_each {
            Node::Each {
                map: false,
                child: Box::new(Node::Object(BTreeMap::new())),
            }
        } else {
            Node::Object(BTreeMap::new())
        }
    });
    if last {
        if let Node::Leaf(v) = entry {
            *v = leaf(root, segments, rule)?;
        }
        return Ok(());
    }
    let mut entry = entry;
    let mut depth = at + 1;
    // Descend through `*` segments (arrays of arrays, maps of arrays).
    while next_is_each {
        let st = structural(
            root,
            subschema(root, &segments[..depth]).unwrap_or(&Value::Null),
        );
        let is_map = st.get("items").is_none();
        let Node::Each { map, child } = entry else {
            return Err(format!(
                "/{} is both a container and a field",
                segments.join("/")
            ));
        };
        *map = is_map;
        depth += 1;
        if depth == segments.len() {
            **child = Node::Leaf(leaf(root, segments, rule)?);
            return Ok(());
        }
        next_is_each = segments[depth] == "*";
        if next_is_each && !matches!(**child, Node::Each { .. }) {
            **child = Node::Each {
                map: false,
                child: Box::new(Node::Object(BTreeMap::new())),
            };
        }
        entry = child;
    }
    match entry {
        Node::Object(children) => insert(children, root, segments, depth, rule),
        _ => Err(format!(
            "/{} is both a field and a container",
            segments.join("/")
        )),
    }
}

// Containers say `type: [container, null, boolean]` rather than `anyOf`, so that a
// violation inside is reported at its own field, not at the container.
fn emit(node: &Node) -> Value {
    match node {
        Node::Leaf(v) => v.clone(),
        Node::Each { map: false, child } => {
            json!({"type": ["array", "null", "boolean"], "items": emit(child)})
        }
        Node::Each { map: true, child } => {
            json!({"type": ["object", "null", "boolean"], "additionalProperties": emit(child)})
        }
        Node::Object(children) => object(children, json!(["object", "null", "boolean"])),
    }
}

fn object(children: &BTreeMap<String, Node>, types: Value) -> Value {
    let properties: Map<String, Value> =
        children.iter().map(|(k, n)| (k.clone(), emit(n))).collect();
    json!({
        "type": types,
        "properties": properties,
        "additionalProperties": {"$ref": format!("#/$defs/{EMPTIED}")},
    })
}

/// The schema of a `nonidentifiable` body of `kind`; `Err` names a rule whose field is not
/// in the record schema (a test keeps the rules and the schemas in step).
pub fn try_nonidentifiable_schema(kind: RecordKind) -> Result<Value, String> {
    let root = crate::schema::schema_for(kind);
    let mut tree = BTreeMap::new();
    for (pattern, rule) in deid::rules(kind) {
        if matches!(rule, Rule::Remove(_)) {
            // Absent, or null where it stood: the catch-all of every object allows that.
            continue;
        }
        // What de-identification does: an open string is free text whatever its rule.
        let rule = match rule {
            Rule::Keep if !closed_at(&root, pattern) => Rule::FreeText,
            r => *r,
        };
        let segments: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
        insert(&mut tree, &root, &segments, 0, rule)?;
    }
    let mut schema = object(&tree, json!("object"));
    let mut defs = root["$defs"].as_object().cloned().unwrap_or_default();
    defs.insert(
        EMPTIED.into(),
        json!({
            "description": "A field without a de-identification rule: only emptied containers, null or booleans remain.",
            "anyOf": [
                {"type": "null"},
                {"type": "boolean"},
                {"type": "array", "items": {"$ref": format!("#/$defs/{EMPTIED}")}},
                {"type": "object", "additionalProperties": {"$ref": format!("#/$defs/{EMPTIED}")}},
            ],
        }),
    );
    let obj = schema.as_object_mut().expect("an object schema");
    obj.insert("$schema".into(), root["$schema"].clone());
    obj.insert(
        "$id".into(),
        Value::String(format!(
            "https://harbor.invalid/schemas/{kind}.nonidentifiable.json"
        )),
    );
    obj.insert(
        "title".into(),
        Value::String(format!("{kind} (nonidentifiable profile)")),
    );
    obj.insert("$defs".into(), Value::Object(defs));
    Ok(schema)
}

/// The schema of a `nonidentifiable` body of `kind`.
pub fn nonidentifiable_schema(kind: RecordKind) -> Value {
    try_nonidentifiable_schema(kind).expect("every de-identification rule names a schema field")
}

/// The generated profile schema files: (file name, pretty JSON with a trailing newline).
pub fn schema_files() -> Vec<(String, String)> {
    RecordKind::ALL
        .into_iter()
        .filter(|k| !k.is_original_record())
        .map(|kind| {
            let text = serde_json::to_string_pretty(&nonidentifiable_schema(kind))
                .expect("schema serialises");
            (format!("{kind}.nonidentifiable.schema.json"), text + "\n")
        })
        .collect()
}

fn validator(kind: RecordKind) -> &'static jsonschema::Validator {
    static VALIDATORS: OnceLock<Vec<jsonschema::Validator>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        RecordKind::ALL
            .into_iter()
            .map(|k| {
                let schema = if k.is_original_record() {
                    // Original records never leave: nothing validates.
                    json!(false)
                } else {
                    nonidentifiable_schema(k)
                };
                jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
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

/// Checks a body against what `profile` lets leave for `kind`; returns each violation as
/// a JSON Pointer and a message that never repeats the value.
pub fn validate_profile_body(
    kind: RecordKind,
    profile: &str,
    body: &Value,
) -> Result<(), Vec<crate::FieldError>> {
    match profile {
        "identifiable" => crate::schema::validate(kind, body)
            .map(|_| ())
            .map_err(|e| match e {
                crate::CoreError::InvalidRecord { errors, .. } => errors,
                other => vec![crate::FieldError {
                    field: String::new(),
                    message: other.to_string(),
                }],
            }),
        "nonidentifiable" => {
            let errors: Vec<crate::FieldError> = validator(kind)
                .iter_errors(body)
                .map(|e| crate::FieldError {
                    field: e.instance_path().to_string(),
                    message: e.masked().to_string(),
                })
                .collect();
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
        other => Err(vec![crate::FieldError {
            field: String::new(),
            message: format!("unknown profile '{other}'"),
        }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::template;

    #[test]
    fn every_rule_names_a_field_of_its_record_schema() {
        for kind in RecordKind::ALL
            .into_iter()
            .filter(|k| !k.is_original_record())
        {
            try_nonidentifiable_schema(kind).unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }

    #[test]
    fn de_identified_templates_fit_the_profile_and_raw_ones_do_not() {
        for kind in RecordKind::ALL
            .into_iter()
            .filter(|k| !k.is_original_record())
        {
            let body = template(kind);
            let d = deid::deidentify(kind, &body, &BTreeMap::new()).unwrap();
            validate_profile_body(kind, "nonidentifiable", &d.body)
                .unwrap_or_else(|e| panic!("{kind}: {e:?} in {}", d.body));
            validate_profile_body(kind, "identifiable", &body).unwrap();
            // The raw record carries identifiers and full dates: not nonidentifiable.
            assert!(
                validate_profile_body(kind, "nonidentifiable", &body).is_err(),
                "{kind}: a raw body passed as nonidentifiable"
            );
        }
    }

    #[test]
    fn an_identifier_or_a_full_date_in_a_nonidentifiable_body_is_refused() {
        let d = deid::deidentify(
            RecordKind::CallReview,
            &template(RecordKind::CallReview),
            &BTreeMap::new(),
        )
        .unwrap();
        let mut with_pcr = d.body.clone();
        with_pcr["call"]["pcr_number"] = json!("2026-004211");
        let errors = validate_profile_body(RecordKind::CallReview, "nonidentifiable", &with_pcr)
            .unwrap_err();
        assert!(
            errors.iter().any(|e| e.field == "/call/pcr_number"),
            "{errors:?}"
        );
        assert!(
            errors.iter().all(|e| !e.message.contains("2026-004211")),
            "the value is not repeated"
        );
        let mut with_date = d.body.clone();
        with_date["call"]["call_date"] = json!("2026-11-02");
        assert!(
            validate_profile_body(RecordKind::CallReview, "nonidentifiable", &with_date).is_err()
        );
    }

    #[test]
    fn generated_profile_schemas_are_fresh() {
        let root = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
        )
        .join("../../schemas");
        let update = std::env::var_os("UPDATE_GENERATED").is_some();
        let mut stale = Vec::new();
        for (name, text) in schema_files() {
            let path = root.join(name);
            if std::fs::read_to_string(&path).unwrap_or_default() != text {
                if update {
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
