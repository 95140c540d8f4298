//! De-identification for the `nonidentifiable` submission profile (42 CFR 3.212 for
//! providers and reporters, HIPAA Safe Harbor for patients).
//!
//! Pure logic over a record body's JSON: every field is kept, generalised (dates to the
//! year, times to offsets from the call's first time, ages over 89, 3-digit ZIPs) or
//! removed, and free text is withheld unless a person supplied a scrubbed version and
//! confirmed it. The report lists every field that was not kept as it was, so a person
//! sees exactly what leaves before promoting.
//!
//! The rule is conservative: a field this module does not know is removed ("any other
//! unique code"), so a new field can never leak by default.

use crate::RecordKind;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What happened to one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// Sent as it is.
    Kept,
    /// Replaced by a less specific value (shown in `to`).
    Generalised,
    /// Not sent.
    Removed,
    /// Free text not sent: no scrubbed version was confirmed.
    Withheld,
    /// Free text sent in the version a person scrubbed and confirmed.
    Scrubbed,
}

/// One line of the removal report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ReportLine {
    /// JSON Pointer of the field.
    pub field: String,
    /// What happened to it.
    pub treatment: Treatment,
    /// Why, in words (the rule that applies).
    pub reason: String,
    /// The value sent instead, for generalised fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// The output: what would leave, and the field-by-field report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deidentified {
    /// The body as it would be sent.
    pub body: Value,
    /// Every field that was not sent as it was, in document order.
    pub report: Vec<ReportLine>,
}

/// How a field is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Coded or numeric content that identifies nobody (statuses, categories, harm).
    Keep,
    /// A calendar date: only the year is sent.
    DateToYear,
    /// A date and time: sent as an offset from the first time of the record.
    TimeToOffset,
    /// Free text: withheld unless scrubbed and confirmed.
    FreeText,
    /// An identifier: never sent.
    Remove(&'static str),
}

/// The field rules by kind: (path pattern, rule). `*` matches one array index or key.
/// The first matching pattern wins; a field no pattern matches is removed.
pub(crate) fn rules(kind: RecordKind) -> &'static [(&'static str, Rule)] {
    use Rule::*;
    match kind {
        RecordKind::CallReview => &[
            (
                "/call/pcr_number",
                Remove("PCR number (a unique record number)"),
            ),
            ("/call/call_date", DateToYear),
            ("/call/unit", Remove("unit or vehicle identifier")),
            (
                "/call/epcr_id",
                Remove("link to the original record (a unique code)"),
            ),
            ("/status", Keep),
            // A rule's identifier is any string an agency configures: free text.
            ("/triggers/*/rule", FreeText),
            ("/triggers/*/detail", FreeText),
            // The protocol's name is typed by the reviewer: free text.
            ("/protocol_findings/*/protocol", FreeText),
            ("/protocol_findings/*/compliance", Keep),
            ("/protocol_findings/*/comment", FreeText),
            ("/event_type", Keep),
            ("/ems_categories/*", Keep),
            ("/harm/level", Keep),
            ("/harm/duration", Keep),
            ("/contributing_factors/*", FreeText),
            (
                "/just_culture",
                Remove("Just Culture classification (never part of a nonidentifiable submission)"),
            ),
            ("/recommendations", FreeText),
            (
                "/sign_off/by",
                Remove("reviewer's name (a provider or reporter identifier)"),
            ),
            ("/sign_off/at", DateToYear),
        ],
        RecordKind::CaseNote => &[
            ("/subject", Remove("link to another record (a unique code)")),
            ("/clinical_assessment", FreeText),
            ("/standard_of_care", Keep),
            ("/recommendations", FreeText),
        ],
        RecordKind::Investigation => &[
            ("/title", FreeText),
            ("/status", Keep),
            ("/event_summary", FreeText),
            ("/event_date", DateToYear),
            ("/event_type", Keep),
            ("/ems_categories/*", Keep),
            ("/harm/level", Keep),
            ("/harm/duration", Keep),
            (
                "/related_records/*",
                Remove("link to another record (a unique code)"),
            ),
            ("/timeline/*/at", TimeToOffset),
            ("/timeline/*/description", FreeText),
            ("/five_whys/*", FreeText),
            ("/fishbone/*/*", FreeText),
            ("/contributing_factors/*", FreeText),
            ("/corrective_actions/*/description", FreeText),
            (
                "/corrective_actions/*/owner",
                Remove("owner's name (a workforce identifier)"),
            ),
            ("/corrective_actions/*/due_date", DateToYear),
            ("/corrective_actions/*/strength", Keep),
            ("/corrective_actions/*/status", Keep),
        ],
        // Original records never leave the vault; were one ever passed here, nothing of
        // it would be kept.
        RecordKind::Epcr => &[],
    }
}

fn matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let f: Vec<&str> = path.split('/').collect();
    p.len() == f.len() && p.iter().zip(&f).all(|(p, f)| *p == "*" || p == f)
}

fn rule_for(kind: RecordKind, path: &str) -> Rule {
    match rules(kind).iter().find(|(p, _)| matches(p, path)) {
        // A field is kept only when its values come from a closed list (or are numbers or
        // booleans); whatever a rule says, an open string is free text.
        Some((pattern, Rule::Keep)) if !crate::profile_schema::is_closed(kind, pattern) => {
            Rule::FreeText
        }
        Some((_, rule)) => *rule,
        None => Rule::Remove("a field without a de-identification rule (treated as a unique code)"),
    }
}

/// The 3-digit ZIP prefixes whose areas hold 20,000 people or fewer (HIPAA Safe Harbor,
/// 2000 census, as published by HHS): generalised to `000`.
pub const RESTRICTED_ZIP3: [&str; 17] = [
    "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878",
    "879", "884", "890", "893",
];

/// A ZIP code reduced to what Safe Harbor allows: its first three digits, or `000` for a
/// restricted area; `None` when it is not a ZIP code.
pub fn generalise_zip(zip: &str) -> Option<String> {
    let digits: String = zip.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 5 {
        return None;
    }
    let zip3 = &digits[..3];
    Some(if RESTRICTED_ZIP3.contains(&zip3) {
        "000".into()
    } else {
        zip3.into()
    })
}

/// An age as Safe Harbor allows: ages over 89 become "90 or older".
pub fn generalise_age_years(age: u32) -> String {
    if age > 89 {
        "90 or older".into()
    } else {
        age.to_string()
    }
}

/// A date (or the date part of a time) reduced to its year.
pub fn date_to_year(s: &str) -> Option<String> {
    let year = s.get(..4)?;
    (year.bytes().all(|b| b.is_ascii_digit()) && s.as_bytes().get(4) == Some(&b'-'))
        .then(|| year.to_owned())
}

/// Signs of identifiers in text a person scrubbed: e-mail addresses, phone numbers, dates,
/// long digit runs (record, licence, NPI numbers). A scrubbed text that still shows one is
/// refused, whatever the person confirmed.
pub fn identifier_signs(text: &str) -> Vec<&'static str> {
    let mut signs = Vec::new();
    if text.contains('@') {
        signs.push("an e-mail address");
    }
    let digits_runs: Vec<usize> = text
        .split(|c: char| {
            !(c.is_ascii_digit() || c == '-' || c == ' ' || c == '(' || c == ')' || c == '.')
        })
        .map(|chunk| chunk.chars().filter(char::is_ascii_digit).count())
        .collect();
    if digits_runs.iter().any(|n| *n >= 7) {
        signs.push("a phone, record, licence or NPI number (7 or more digits together)");
    }
    let bytes = text.as_bytes();
    let has_date = bytes.windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5..7].iter().all(u8::is_ascii_digit)
            && w[7] == b'-'
    }) || bytes.windows(8).any(|w| {
        let s = std::str::from_utf8(w).unwrap_or("");
        let parts: Vec<&str> = s.split('/').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    if has_date {
        signs.push("a date");
    }
    signs
}

/// Why a scrubbed text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the scrubbed text for {field} still shows {sign}: scrub it again")]
pub struct ScrubRefused {
    /// The field.
    pub field: String,
    /// What it still shows.
    pub sign: &'static str,
}

/// De-identifies a record body of `kind`. `scrubbed` holds, by JSON Pointer, the free text
/// a person rewrote without identifiers and confirmed; other free text is withheld.
pub fn deidentify(
    kind: RecordKind,
    body: &Value,
    scrubbed: &BTreeMap<String, String>,
) -> Result<Deidentified, ScrubRefused> {
    for (field, text) in scrubbed {
        if let Some(sign) = identifier_signs(text).first() {
            return Err(ScrubRefused {
                field: field.clone(),
                sign,
            });
        }
    }
    let base = first_time(kind, body);
    let mut report = Vec::new();
    let out = walk(kind, body, "", base.as_ref(), scrubbed, &mut report)
        .unwrap_or(Value::Object(Map::new()));
    Ok(Deidentified { body: out, report })
}

/// The earliest date-time of the record, from which times become offsets.
fn first_time(kind: RecordKind, body: &Value) -> Option<chrono::NaiveDateTime> {
    let mut times = Vec::new();
    collect_times(kind, body, "", &mut times);
    times.into_iter().min()
}

fn collect_times(kind: RecordKind, v: &Value, path: &str, out: &mut Vec<chrono::NaiveDateTime>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| collect_times(kind, v, &format!("{path}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| collect_times(kind, v, &format!("{path}/{i}"), out)),
        Value::String(s) if rule_for(kind, path) == Rule::TimeToOffset => {
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                out.push(t);
            }
        }
        _ => {}
    }
}

fn walk(
    kind: RecordKind,
    v: &Value,
    path: &str,
    base: Option<&chrono::NaiveDateTime>,
    scrubbed: &BTreeMap<String, String>,
    report: &mut Vec<ReportLine>,
) -> Option<Value> {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if let Some(v) = walk(kind, v, &format!("{path}/{k}"), base, scrubbed, report) {
                    out.insert(k.clone(), v);
                }
            }
            Some(Value::Object(out))
        }
        Value::Array(a) => Some(Value::Array(
            a.iter()
                .enumerate()
                .filter_map(|(i, v)| walk(kind, v, &format!("{path}/{i}"), base, scrubbed, report))
                .collect(),
        )),
        Value::Null | Value::Bool(_) => Some(v.clone()),
        leaf => {
            let line = |treatment, reason: &str, to: Option<String>| ReportLine {
                field: path.to_owned(),
                treatment,
                reason: reason.to_owned(),
                to,
            };
            let text = leaf
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| leaf.to_string());
            match rule_for(kind, path) {
                Rule::Keep => Some(leaf.clone()),
                Rule::Remove(why) => {
                    report.push(line(Treatment::Removed, why, None));
                    None
                }
                Rule::DateToYear => match date_to_year(&text) {
                    Some(year) => {
                        report.push(line(
                            Treatment::Generalised,
                            "a date element: only the year is sent",
                            Some(year.clone()),
                        ));
                        Some(Value::String(year))
                    }
                    None => {
                        report.push(line(
                            Treatment::Removed,
                            "a date element that is not a date",
                            None,
                        ));
                        None
                    }
                },
                Rule::TimeToOffset => {
                    let offset = chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S")
                        .ok()
                        .zip(base)
                        .map(|(t, b)| format!("+{} min", (t - *b).num_minutes()));
                    match offset {
                        Some(o) => {
                            report.push(line(
                                Treatment::Generalised,
                                "a time: sent as minutes from the first time of the record, so intervals survive",
                                Some(o.clone()),
                            ));
                            Some(Value::String(o))
                        }
                        None => {
                            report.push(line(
                                Treatment::Removed,
                                "a time that is not a time",
                                None,
                            ));
                            None
                        }
                    }
                }
                Rule::FreeText => match scrubbed.get(path) {
                    Some(s) => {
                        report.push(line(
                            Treatment::Scrubbed,
                            "free text: sent as scrubbed and confirmed by a person",
                            None,
                        ));
                        Some(Value::String(s.clone()))
                    }
                    None => {
                        report.push(line(
                            Treatment::Withheld,
                            "free text may name people, places and times: withheld unless scrubbed and confirmed",
                            None,
                        ));
                        None
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::template;
    use serde_json::json;

    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            Value::Object(m) => m.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }

    #[test]
    fn names_numbers_units_links_and_just_culture_are_removed() {
        let mut body = template(RecordKind::CallReview);
        body["sign_off"] = json!({"by": "jsmith", "at": "2026-11-03T10:00:00Z"});
        body["call"]["epcr_id"] = json!("0192f6a0-0000-7000-8000-000000000000");
        let d = deidentify(RecordKind::CallReview, &body, &BTreeMap::new()).unwrap();
        let sent = serde_json::to_string(&d.body).unwrap();
        for gone in [
            "2026-004211",
            "Medic 12",
            "jsmith",
            "0192f6a0",
            "human_error",
        ] {
            assert!(!sent.contains(gone), "{gone} was sent: {sent}");
        }
        for field in [
            "/call/pcr_number",
            "/call/unit",
            "/sign_off/by",
            "/call/epcr_id",
            "/just_culture",
        ] {
            assert!(
                d.report
                    .iter()
                    .any(|l| l.field == field && l.treatment == Treatment::Removed),
                "{field}"
            );
        }
        // Coded facts stay.
        assert_eq!(d.body["event_type"], "near_miss");
        assert_eq!(
            d.body["ems_categories"],
            json!(["airway", "protocol_deviation"])
        );
        assert_eq!(d.body["harm"]["level"], "no_harm");
    }

    #[test]
    fn dates_become_years_and_times_become_offsets() {
        let body = template(RecordKind::Investigation);
        let d = deidentify(RecordKind::Investigation, &body, &BTreeMap::new()).unwrap();
        assert_eq!(d.body["event_date"], "2026");
        assert_eq!(d.body["corrective_actions"][0]["due_date"], "2026");
        assert_eq!(d.body["timeline"][0]["at"], "+0 min");
        assert_eq!(d.body["timeline"][1]["at"], "+29 min");
        let sent = serde_json::to_string(&d.body).unwrap();
        assert!(
            !sent.contains("10-28")
                && !sent.contains("14:02")
                && !sent.contains("Fleet supervisor")
        );
    }

    #[test]
    fn free_text_is_withheld_unless_scrubbed_and_a_scrub_that_still_identifies_is_refused() {
        let body = template(RecordKind::CaseNote);
        let d = deidentify(RecordKind::CaseNote, &body, &BTreeMap::new()).unwrap();
        assert!(d.body.get("clinical_assessment").is_none());
        assert!(
            d.report
                .iter()
                .any(|l| l.field == "/clinical_assessment" && l.treatment == Treatment::Withheld)
        );
        let mut scrubbed = BTreeMap::new();
        scrubbed.insert(
            "/clinical_assessment".to_owned(),
            "Airway choice appropriate; confirmation step missed.".to_owned(),
        );
        let d = deidentify(RecordKind::CaseNote, &body, &scrubbed).unwrap();
        assert_eq!(
            d.body["clinical_assessment"],
            "Airway choice appropriate; confirmation step missed."
        );
        for bad in [
            "call me at 555-201-7788",
            "crew lead j.doe@agency.org",
            "on 2026-11-02 at the ED",
            "NPI 1234567893",
            "seen 11/02/26",
        ] {
            scrubbed.insert("/clinical_assessment".to_owned(), bad.to_owned());
            assert!(
                deidentify(RecordKind::CaseNote, &body, &scrubbed).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn unknown_fields_are_removed_and_original_records_keep_nothing() {
        let body = json!({"status": "closed", "new_field": "MRN 0042", "call": {"pcr_number": "9", "call_date": "2026-01-02"}});
        let d = deidentify(RecordKind::CallReview, &body, &BTreeMap::new()).unwrap();
        assert!(d.body.get("new_field").is_none());
        assert!(
            d.report
                .iter()
                .any(|l| l.field == "/new_field" && l.treatment == Treatment::Removed)
        );
        let epcr = deidentify(
            RecordKind::Epcr,
            &template(RecordKind::Epcr),
            &BTreeMap::new(),
        )
        .unwrap();
        let mut left = Vec::new();
        strings(&epcr.body, &mut left);
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn zip_codes_ages_and_dates_follow_safe_harbor() {
        assert_eq!(generalise_zip("02139-4307").as_deref(), Some("021"));
        assert_eq!(generalise_zip("03601").as_deref(), Some("000"));
        assert_eq!(generalise_zip("89301").as_deref(), Some("000"));
        assert_eq!(generalise_zip("123"), None);
        assert_eq!(generalise_age_years(89), "89");
        assert_eq!(generalise_age_years(90), "90 or older");
        assert_eq!(generalise_age_years(104), "90 or older");
        assert_eq!(date_to_year("2026-11-02").as_deref(), Some("2026"));
        assert_eq!(date_to_year("2026-11-02T14:02:00").as_deref(), Some("2026"));
        assert_eq!(date_to_year("Nov 2"), None);
    }

    /// A body of a record schema with a fresh token in every string whose schema has no
    /// closed list (names, protocols, rule ids, dates, links: whatever the field is
    /// called), a value of the list where there is one, and two items in every array.
    fn fill(
        root: &Value,
        s: &Value,
        next: &mut dyn FnMut() -> u64,
        tokens: &mut Vec<String>,
        depth: usize,
    ) -> Value {
        assert!(depth < 32, "the record schema nests too deep");
        if let Some(r) = s["$ref"].as_str() {
            let def = &root["$defs"][r.trim_start_matches("#/$defs/")];
            return fill(root, def, next, tokens, depth + 1);
        }
        if let Some(alts) = s["anyOf"].as_array().or_else(|| s["oneOf"].as_array()) {
            // Any alternative but `null`, so every field is filled.
            let alts: Vec<&Value> = alts.iter().filter(|a| a["type"] != "null").collect();
            let pick = alts[(next() % alts.len() as u64) as usize];
            return fill(root, pick, next, tokens, depth + 1);
        }
        if let Some(c) = s.get("const") {
            return c.clone();
        }
        if let Some(values) = s["enum"].as_array() {
            return values[(next() % values.len() as u64) as usize].clone();
        }
        let ty = match &s["type"] {
            Value::Array(types) => types
                .iter()
                .find(|t| *t != "null")
                .cloned()
                .unwrap_or_default(),
            t => t.clone(),
        };
        match ty.as_str() {
            Some("object") => Value::Object(
                s["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), fill(root, v, next, tokens, depth + 1)))
                    .collect(),
            ),
            Some("array") => Value::Array(
                (0..2)
                    .map(|_| fill(root, &s["items"], next, tokens, depth + 1))
                    .collect(),
            ),
            Some("string") => {
                const ALPHABET: &[u8] =
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
                let n = 8 + (next() % 8) as usize;
                let token: String = (0..n)
                    .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char)
                    .collect();
                let token = format!("Q{token}");
                tokens.push(token.clone());
                Value::String(token)
            }
            Some("integer" | "number") => Value::from(next() % 100),
            Some("boolean") => Value::Bool(next().is_multiple_of(2)),
            _ => Value::Null,
        }
    }

    /// Free text in every string field whose schema has no closed list, of every kind that
    /// can leave: none of it appears in what would be sent, and what would be sent fits
    /// the profile's schema.
    #[test]
    fn no_free_text_survives_in_any_open_string_field() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for kind in RecordKind::ALL
            .into_iter()
            .filter(|k| !k.is_original_record())
        {
            let root = crate::schema::schema_for(kind);
            for _ in 0..200 {
                let mut tokens = Vec::new();
                let body = fill(&root, &root, &mut next, &mut tokens, 0);
                assert!(!tokens.is_empty(), "{kind}: no string field filled");
                let d = deidentify(kind, &body, &BTreeMap::new()).unwrap();
                let sent = serde_json::to_string(&d.body).unwrap();
                for t in &tokens {
                    assert!(!sent.contains(t.as_str()), "{kind}: {t} survived in {sent}");
                }
                crate::profile_schema::validate_profile_body(kind, "nonidentifiable", &d.body)
                    .unwrap_or_else(|e| panic!("{kind}: {e:?} in {sent}"));
            }
        }
    }

    #[test]
    fn a_name_in_a_protocol_finding_or_a_trigger_rule_is_withheld() {
        let mut body = template(RecordKind::CallReview);
        body["protocol_findings"][0]["protocol"] = json!("Airway 3.1 per Dr. Quince");
        body["triggers"][0]["rule"] = json!("asked_by_Jane_Roe");
        let d = deidentify(RecordKind::CallReview, &body, &BTreeMap::new()).unwrap();
        let sent = serde_json::to_string(&d.body).unwrap();
        assert!(
            !sent.contains("Quince") && !sent.contains("Jane_Roe"),
            "{sent}"
        );
        for field in ["/protocol_findings/0/protocol", "/triggers/0/rule"] {
            assert!(
                d.report
                    .iter()
                    .any(|l| l.field == field && l.treatment == Treatment::Withheld),
                "{field}"
            );
        }
        // Coded fields beside them still leave.
        assert_eq!(
            d.body["protocol_findings"][0]["compliance"],
            body["protocol_findings"][0]["compliance"]
        );
    }

    /// Every field a rule keeps takes its values from a closed list.
    #[test]
    fn every_kept_field_has_a_closed_list() {
        for kind in RecordKind::ALL {
            for (pattern, rule) in rules(kind) {
                if *rule == Rule::Keep {
                    assert!(
                        crate::profile_schema::is_closed(kind, pattern),
                        "{kind}{pattern} is kept but is free text"
                    );
                }
            }
        }
    }

    /// Whatever the identifying fields hold, none of their strings appears anywhere in
    /// what would be sent.
    #[test]
    fn no_identifying_string_survives_for_any_input() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
        for _ in 0..500 {
            let mut token = |prefix: &str| {
                let n = 6 + (next() % 10) as usize;
                let s: String = (0..n)
                    .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char)
                    .collect();
                format!("{prefix}{s}")
            };
            let ids = [
                token("P"),
                token("U"),
                token("R"),
                token("O"),
                token("T"),
                token("C"),
                token("F"),
                token("W"),
                token("E"),
            ];
            let review = json!({
                "call": {"pcr_number": ids[0], "call_date": "2026-03-04", "unit": ids[1], "epcr_id": "0192f6a0-0000-7000-8000-000000000001"},
                "triggers": [{"rule": "naloxone", "detail": ids[6]}],
                "protocol_findings": [{"protocol": "Opioid 2.1", "compliance": "deviation", "comment": ids[5]}],
                "contributing_factors": [ids[7]],
                "recommendations": ids[8],
                "just_culture": "at_risk_behaviour",
                "sign_off": {"by": ids[2], "at": "2026-03-05T08:00:00Z"},
            });
            let investigation = json!({
                "title": ids[4], "event_summary": ids[4], "event_date": "2026-03-04",
                "timeline": [{"at": "2026-03-04T10:00:00", "description": ids[6]}],
                "five_whys": [ids[7]], "fishbone": {"people": [ids[2]]},
                "corrective_actions": [{"description": ids[8], "owner": ids[3], "due_date": "2026-04-01", "strength": "weak"}],
            });
            for (kind, body) in [
                (RecordKind::CallReview, review),
                (RecordKind::Investigation, investigation),
            ] {
                let d = deidentify(kind, &body, &BTreeMap::new()).unwrap();
                let sent = serde_json::to_string(&d.body).unwrap();
                for id in &ids {
                    assert!(!sent.contains(id.as_str()), "{id} survived in {sent}");
                }
                crate::profile_schema::validate_profile_body(kind, "nonidentifiable", &d.body)
                    .unwrap_or_else(|e| panic!("{e:?} in {sent}"));
                assert!(!sent.contains("03-04") && !sent.contains("10:00"), "{sent}");
            }
        }
    }
}
