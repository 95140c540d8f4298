//! Review triggers: rules from the EMS Trigger Tool that NEMSIS data can decide.
//!
//! Each rule names the elements it reads and has parameters (thresholds, code lists) with
//! shipped defaults. The agency's settings ([`TriggerConfig`]) live inside the vault, so
//! every change is audited; `harbor triggers list|set` shows and changes them. When a rule
//! fires, the detail says which values made it fire.

use harbor_core::records::{EpcrReference, NemsisValue, TriggerHit};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A rule's definition.
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// Stable id, e.g. `long_scene_time`.
    pub id: &'static str,
    /// What it looks for, in words.
    pub title: &'static str,
    /// The NEMSIS elements it reads.
    pub elements: &'static [&'static str],
    /// Parameters: (name, default, meaning).
    pub params: fn() -> Vec<(&'static str, Value, &'static str)>,
}

/// SNOMED CT codes of advanced airway procedures (the airway rules' default).
pub const AIRWAY_PROCEDURES: [&str; 3] = ["112798008", "232674004", "424979004"];
/// RxNorm codes of vasopressors (the `vasopressors_or_blood` rule's default).
pub const VASOPRESSORS: [&str; 4] = ["7512", "3628", "11149", "8163"];
/// SNOMED CT codes of transfusions (the `vasopressors_or_blood` rule's default).
pub const TRANSFUSIONS: [&str; 2] = ["116859006", "5447007"];

/// Every rule Harbor knows, in the order they are listed.
pub fn rules() -> Vec<RuleDef> {
    vec![
        RuleDef {
            id: "cardiac_arrest_before_ems",
            title: "Cardiac arrest before EMS arrival",
            elements: &["eArrest.01"],
            params: || vec![],
        },
        RuleDef {
            id: "cardiac_arrest_after_ems",
            title: "Cardiac arrest after EMS arrival (in EMS care or transport)",
            elements: &["eArrest.01"],
            params: || vec![],
        },
        RuleDef {
            id: "advanced_airway",
            title: "Advanced airway placed",
            elements: &["eAirway.03", "eProcedures.03"],
            params: || {
                vec![
                    (
                        "devices",
                        json!([
                            "4003001", "4003003", "4003005", "4003007", "4003009", "4003011",
                            "4003013"
                        ]),
                        "eAirway.03 device codes",
                    ),
                    (
                        "procedures",
                        json!(AIRWAY_PROCEDURES),
                        "eProcedures.03 SNOMED codes of airway placement",
                    ),
                ]
            },
        },
        RuleDef {
            id: "airway_failure",
            title: "Airway management failed",
            elements: &["eAirway.09", "eProcedures.03", "eProcedures.06"],
            params: || {
                vec![(
                    "procedures",
                    json!(AIRWAY_PROCEDURES),
                    "airway procedures whose failure (eProcedures.06 = No) counts",
                )]
            },
        },
        RuleDef {
            id: "io_access",
            title: "Intraosseous access",
            elements: &["eProcedures.03"],
            params: || {
                vec![(
                    "procedures",
                    json!(["430824005"]),
                    "SNOMED codes of IO access",
                )]
            },
        },
        RuleDef {
            id: "cardioversion_or_pacing",
            title: "Cardioversion or pacing",
            elements: &["eProcedures.03"],
            params: || {
                vec![(
                    "procedures",
                    json!(["250980009", "18590009"]),
                    "SNOMED codes",
                )]
            },
        },
        RuleDef {
            id: "needle_decompression",
            title: "Needle decompression",
            elements: &["eProcedures.03"],
            params: || vec![("procedures", json!(["182705007"]), "SNOMED codes")],
        },
        RuleDef {
            id: "naloxone",
            title: "Naloxone given by this unit",
            elements: &["eMedications.02", "eMedications.03"],
            params: || vec![("medications", json!(["7242"]), "RxNorm codes")],
        },
        RuleDef {
            id: "vasopressors_or_blood",
            title: "Vasopressors or blood products given",
            elements: &["eMedications.02", "eMedications.03", "eProcedures.03"],
            params: || {
                vec![
                    (
                        "medications",
                        json!(VASOPRESSORS),
                        "RxNorm codes of vasopressors",
                    ),
                    (
                        "procedures",
                        json!(TRANSFUSIONS),
                        "SNOMED codes of transfusion",
                    ),
                ]
            },
        },
        RuleDef {
            id: "crew_injury",
            title: "Crew member injury or exposure",
            elements: &["eOther.05"],
            params: || vec![],
        },
        RuleDef {
            id: "care_complication",
            title: "Complication of a medication, procedure or airway (possible harm in care)",
            elements: &["eMedications.08", "eProcedures.07", "eAirway.08"],
            params: || {
                vec![(
                    "none_codes",
                    json!(["3708031", "3907033"]),
                    "codes meaning 'None'",
                )]
            },
        },
        RuleDef {
            id: "failed_intervention",
            title: "A procedure was not successful",
            elements: &["eProcedures.03", "eProcedures.06"],
            params: || vec![],
        },
        RuleDef {
            id: "deterioration",
            title: "Deterioration in care (first to last vital signs)",
            elements: &["eVitals.01", "eVitals.06", "eVitals.12", "eVitals.23"],
            params: || {
                vec![
                    (
                        "systolic_below",
                        json!(90),
                        "SBP falling from at least this to below it",
                    ),
                    (
                        "spo2_below",
                        json!(90),
                        "SpO2 falling from at least this to below it",
                    ),
                    ("gcs_drop", json!(2), "fall of total GCS by at least this"),
                ]
            },
        },
        RuleDef {
            id: "long_scene_time",
            title: "Long scene time",
            elements: &["eTimes.06", "eTimes.09"],
            params: || vec![("minutes", json!(20), "on scene to left scene, over")],
        },
        RuleDef {
            id: "long_transport_time",
            title: "Long transport time",
            elements: &["eTimes.09", "eTimes.11"],
            params: || {
                vec![(
                    "minutes",
                    json!(30),
                    "left scene to arrival at destination, over",
                )]
            },
        },
        RuleDef {
            id: "long_contact_to_transfer",
            title: "Long patient contact to transfer of care",
            elements: &["eTimes.07", "eTimes.12"],
            params: || vec![("minutes", json!(60), "at patient to transfer of care, over")],
        },
        RuleDef {
            id: "refusal_of_care",
            title: "Patient refused care or transport",
            elements: &["eDisposition.28", "eDisposition.30"],
            params: || {
                vec![
                    (
                        "evaluation_codes",
                        json!(["4228003", "4228007"]),
                        "eDisposition.28 codes",
                    ),
                    (
                        "transport_codes",
                        json!(["4230009"]),
                        "eDisposition.30 codes",
                    ),
                ]
            },
        },
        RuleDef {
            id: "pediatric_high_acuity",
            title: "High-acuity paediatric call",
            elements: &[
                "ePatient.15",
                "ePatient.16",
                "eSituation.13",
                "eVitals.12",
                "eVitals.23",
                "eArrest.01",
                "eAirway.03",
                "eProcedures.03",
            ],
            params: || {
                vec![
                    ("age_under_years", json!(18), "a child is younger than this"),
                    (
                        "gcs_at_most",
                        json!(12),
                        "total GCS at or below this is high acuity",
                    ),
                    ("spo2_below", json!(90), "SpO2 below this is high acuity"),
                ]
            },
        },
        RuleDef {
            id: "missing_documentation",
            title: "Missing documentation (narrative, scene or patient contact times)",
            elements: &["eNarrative.01", "eTimes.06", "eTimes.07", "eDisposition.27"],
            params: || vec![],
        },
    ]
}

/// The agency's settings of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSetting {
    /// Whether the rule runs.
    pub enabled: bool,
    /// Parameter values (defaults fill what is absent).
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
}

/// The agency's trigger settings, as stored in the vault.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriggerConfig {
    /// Settings by rule id; a rule not listed runs with its defaults.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}

/// Why a trigger setting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TriggerSettingError {
    /// No such rule.
    #[error("unknown trigger rule '{0}': `harbor triggers list` shows them")]
    UnknownRule(String),
    /// No such parameter.
    #[error("rule '{rule}' has no parameter '{param}' (it has: {known})")]
    UnknownParam {
        /// The rule.
        rule: String,
        /// The parameter given.
        param: String,
        /// The parameters it has.
        known: String,
    },
    /// A value of the wrong type.
    #[error("parameter '{param}' of rule '{rule}' takes {expected}")]
    BadValue {
        /// The rule.
        rule: String,
        /// The parameter.
        param: String,
        /// What it takes.
        expected: &'static str,
    },
}

/// One rule with its effective settings, for listing.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EffectiveRule {
    /// Rule id.
    pub id: String,
    /// What it looks for.
    pub title: String,
    /// Whether it runs.
    pub enabled: bool,
    /// Elements it reads.
    pub elements: Vec<String>,
    /// Effective parameters, with their meaning.
    pub params: Vec<(String, Value, String)>,
}

impl TriggerConfig {
    /// Every rule with its effective settings.
    pub fn effective(&self) -> Vec<EffectiveRule> {
        rules()
            .into_iter()
            .map(|def| {
                let setting = self.rules.get(def.id);
                EffectiveRule {
                    id: def.id.into(),
                    title: def.title.into(),
                    enabled: setting.is_none_or(|s| s.enabled),
                    elements: def.elements.iter().map(|e| (*e).to_owned()).collect(),
                    params: (def.params)()
                        .into_iter()
                        .map(|(name, default, meaning)| {
                            let value = setting
                                .and_then(|s| s.params.get(name).cloned())
                                .unwrap_or(default);
                            (name.to_owned(), value, meaning.to_owned())
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Enables or disables a rule and sets parameters (`name=value`, value as JSON or text).
    pub fn set(
        &mut self,
        rule: &str,
        enabled: Option<bool>,
        params: &[(String, String)],
    ) -> Result<(), TriggerSettingError> {
        let def = rules()
            .into_iter()
            .find(|d| d.id == rule)
            .ok_or_else(|| TriggerSettingError::UnknownRule(rule.to_owned()))?;
        let defaults = (def.params)();
        let mut setting = self.rules.get(rule).cloned().unwrap_or(RuleSetting {
            enabled: true,
            params: BTreeMap::new(),
        });
        if let Some(e) = enabled {
            setting.enabled = e;
        }
        for (name, raw) in params {
            let Some((_, default, _)) = defaults.iter().find(|(n, _, _)| n == name) else {
                return Err(TriggerSettingError::UnknownParam {
                    rule: rule.into(),
                    param: name.clone(),
                    known: defaults
                        .iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            let value = match default {
                Value::Number(_) => raw.trim().parse::<u64>().map(Value::from).map_err(|_| {
                    TriggerSettingError::BadValue {
                        rule: rule.into(),
                        param: name.clone(),
                        expected: "a whole number",
                    }
                })?,
                Value::Array(_) => Value::Array(
                    raw.split(',')
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .map(|c| Value::String(c.to_owned()))
                        .collect(),
                ),
                _ => Value::String(raw.clone()),
            };
            setting.params.insert(name.clone(), value);
        }
        self.rules.insert(rule.to_owned(), setting);
        Ok(())
    }
}

fn codes_param(rule: &EffectiveRule, name: &str) -> Vec<String> {
    rule.params
        .iter()
        .find(|(n, _, _)| n == name)
        .and_then(|(_, v, _)| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn num_param(rule: &EffectiveRule, name: &str) -> i64 {
    rule.params
        .iter()
        .find(|(n, _, _)| n == name)
        .and_then(|(_, v, _)| v.as_i64())
        .unwrap_or(0)
}

fn show(v: &NemsisValue) -> String {
    match (&v.value, &v.label) {
        (Some(code), Some(label)) => format!("{code} ({label})"),
        (Some(value), None) => value.clone(),
        _ => "no value".into(),
    }
}

fn present(v: &Option<NemsisValue>) -> Option<&str> {
    v.as_ref().and_then(|v| v.present())
}

fn number(v: &Option<NemsisValue>) -> Option<f64> {
    present(v).and_then(|s| s.trim().parse().ok())
}

fn minutes_between(a: &Option<NemsisValue>, b: &Option<NemsisValue>) -> Option<i64> {
    let a = crate::extract::parse_time(present(a)?)?;
    let b = crate::extract::parse_time(present(b)?)?;
    Some((b - a).num_minutes())
}

const YES: &str = "9923003";
const NO: &str = "9923001";

fn given_here(prior: &Option<NemsisValue>) -> bool {
    present(prior) != Some(YES)
}

/// Runs every enabled rule over a reference and returns the hits, each with the values
/// that made it fire. A medication or procedure carrying a pertinent negative (refused,
/// contraindicated, ...) was not given and never counts.
pub fn evaluate(r: &EpcrReference, config: &TriggerConfig) -> Vec<TriggerHit> {
    let mut hits = Vec::new();
    let effective = config.effective();
    let rule = |id: &str| effective.iter().find(|e| e.id == id && e.enabled);
    let mut hit = |id: &str, detail: String| {
        hits.push(TriggerHit {
            rule: id.to_owned(),
            detail,
        })
    };
    let procedures_in = |codes: &[String]| -> Vec<String> {
        r.procedures
            .iter()
            .filter(|p| given_here(&p.prior_to_ems))
            .filter_map(|p| p.procedure.as_ref())
            .filter(|v| v.pertinent_negative.is_none())
            .filter(|v| v.present().is_some_and(|c| codes.iter().any(|k| k == c)))
            .map(show)
            .collect()
    };
    let medications_in = |codes: &[String]| -> Vec<String> {
        r.medications
            .iter()
            .filter(|m| given_here(&m.prior_to_ems))
            .filter_map(|m| m.medication.as_ref())
            .filter(|v| v.pertinent_negative.is_none())
            .filter(|v| v.present().is_some_and(|c| codes.iter().any(|k| k == c)))
            .map(show)
            .collect()
    };
    let arrest = r.arrest.as_ref().and_then(|a| a.cardiac_arrest.as_ref());
    if let Some(a) = arrest.filter(|a| a.present() == Some("3001003"))
        && rule("cardiac_arrest_before_ems").is_some()
    {
        hit(
            "cardiac_arrest_before_ems",
            format!("eArrest.01 = {}", show(a)),
        );
    }
    if let Some(a) = arrest.filter(|a| a.present() == Some("3001005"))
        && rule("cardiac_arrest_after_ems").is_some()
    {
        hit(
            "cardiac_arrest_after_ems",
            format!("eArrest.01 = {}", show(a)),
        );
    }
    let mut advanced_airway = false;
    if let Some(rl) = rule("advanced_airway") {
        let devices = codes_param(rl, "devices");
        let mut found: Vec<String> = r
            .airway
            .iter()
            .flat_map(|a| a.devices.iter())
            .filter(|d| d.present().is_some_and(|c| devices.iter().any(|k| k == c)))
            .map(|d| format!("eAirway.03 = {}", show(d)))
            .collect();
        found.extend(
            procedures_in(&codes_param(rl, "procedures"))
                .into_iter()
                .map(|p| format!("eProcedures.03 = {p}")),
        );
        if !found.is_empty() {
            advanced_airway = true;
            hit("advanced_airway", found.join("; "));
        }
    }
    if let Some(rl) = rule("airway_failure") {
        let codes = codes_param(rl, "procedures");
        let mut found: Vec<String> = r
            .airway
            .iter()
            .flat_map(|a| a.failure_reasons.iter())
            .filter(|v| v.present().is_some())
            .map(|v| format!("eAirway.09 = {}", show(v)))
            .collect();
        found.extend(
            r.procedures
                .iter()
                .filter(|p| present(&p.successful) == Some(NO))
                .filter_map(|p| p.procedure.as_ref())
                .filter(|v| v.pertinent_negative.is_none())
                .filter(|v| v.present().is_some_and(|c| codes.iter().any(|k| k == c)))
                .map(|v| {
                    format!(
                        "eProcedures.03 = {} not successful (eProcedures.06 = No)",
                        show(v)
                    )
                }),
        );
        if !found.is_empty() {
            hit("airway_failure", found.join("; "));
        }
    }
    let mut io = false;
    for id in [
        "io_access",
        "cardioversion_or_pacing",
        "needle_decompression",
    ] {
        if let Some(rl) = rule(id) {
            let found = procedures_in(&codes_param(rl, "procedures"));
            if !found.is_empty() {
                io |= id == "io_access";
                hit(id, format!("eProcedures.03 = {}", found.join(", ")));
            }
        }
    }
    if let Some(rl) = rule("naloxone") {
        let found = medications_in(&codes_param(rl, "medications"));
        if !found.is_empty() {
            hit(
                "naloxone",
                format!("eMedications.03 = {}", found.join(", ")),
            );
        }
    }
    if let Some(rl) = rule("vasopressors_or_blood") {
        let mut found: Vec<String> = medications_in(&codes_param(rl, "medications"))
            .into_iter()
            .map(|m| format!("eMedications.03 = {m}"))
            .collect();
        found.extend(
            procedures_in(&codes_param(rl, "procedures"))
                .into_iter()
                .map(|p| format!("eProcedures.03 = {p}")),
        );
        if !found.is_empty() {
            hit("vasopressors_or_blood", found.join("; "));
        }
    }
    if rule("crew_injury").is_some()
        && let Some(v) = r.crew_injury.as_ref().filter(|v| v.present() == Some(YES))
    {
        hit("crew_injury", format!("eOther.05 = {}", show(v)));
    }
    if let Some(rl) = rule("care_complication") {
        let none = codes_param(rl, "none_codes");
        let real = |v: &&NemsisValue| v.present().is_some_and(|c| !none.iter().any(|k| k == c));
        let mut found: Vec<String> = r
            .medications
            .iter()
            .flat_map(|m| m.complications.iter())
            .filter(real)
            .map(|v| format!("eMedications.08 = {}", show(v)))
            .collect();
        found.extend(
            r.procedures
                .iter()
                .flat_map(|p| p.complications.iter())
                .filter(real)
                .map(|v| format!("eProcedures.07 = {}", show(v))),
        );
        found.extend(
            r.airway
                .iter()
                .flat_map(|a| a.complications.iter())
                .filter(real)
                .map(|v| format!("eAirway.08 = {}", show(v))),
        );
        if !found.is_empty() {
            hit("care_complication", found.join("; "));
        }
    }
    if rule("failed_intervention").is_some() {
        let found: Vec<String> = r
            .procedures
            .iter()
            .filter(|p| present(&p.successful) == Some(NO))
            .map(|p| {
                p.procedure
                    .as_ref()
                    .map(show)
                    .unwrap_or_else(|| "a procedure".into())
            })
            .collect();
        if !found.is_empty() {
            hit(
                "failed_intervention",
                format!("eProcedures.06 = No for {}", found.join(", ")),
            );
        }
    }
    if let Some(rl) = rule("deterioration") {
        let mut sets: Vec<_> = r
            .vitals
            .iter()
            .filter(|v| v.taken_at.as_ref().and_then(|t| t.present()).is_some())
            .collect();
        sets.sort_by_key(|v| present(&v.taken_at).and_then(crate::extract::parse_time));
        if let (Some(first), Some(last)) = (sets.first(), sets.last())
            && sets.len() >= 2
        {
            let mut found = Vec::new();
            let sbp = num_param(rl, "systolic_below") as f64;
            if let (Some(a), Some(b)) = (number(&first.systolic), number(&last.systolic))
                && a >= sbp
                && b < sbp
            {
                found.push(format!("SBP {a} → {b} (eVitals.06)"));
            }
            let spo2 = num_param(rl, "spo2_below") as f64;
            if let (Some(a), Some(b)) = (number(&first.spo2), number(&last.spo2))
                && a >= spo2
                && b < spo2
            {
                found.push(format!("SpO2 {a} → {b} (eVitals.12)"));
            }
            let drop = num_param(rl, "gcs_drop") as f64;
            if let (Some(a), Some(b)) = (number(&first.gcs_total), number(&last.gcs_total))
                && a - b >= drop
            {
                found.push(format!("GCS {a} → {b} (eVitals.23)"));
            }
            if !found.is_empty() {
                hit("deterioration", found.join("; "));
            }
        }
    }
    for (id, from, to, names) in [
        (
            "long_scene_time",
            &r.times.on_scene,
            &r.times.left_scene,
            "eTimes.06 → eTimes.09",
        ),
        (
            "long_transport_time",
            &r.times.left_scene,
            &r.times.at_destination,
            "eTimes.09 → eTimes.11",
        ),
        (
            "long_contact_to_transfer",
            &r.times.at_patient,
            &r.times.transfer_of_care,
            "eTimes.07 → eTimes.12",
        ),
    ] {
        if let Some(rl) = rule(id)
            && let Some(m) = minutes_between(from, to)
            && m > num_param(rl, "minutes")
        {
            hit(
                id,
                format!("{m} min ({names}), over {} min", num_param(rl, "minutes")),
            );
        }
    }
    if let Some(rl) = rule("refusal_of_care") {
        let mut found = Vec::new();
        if let Some(v) = r.disposition.patient_evaluation_care.as_ref()
            && v.present()
                .is_some_and(|c| codes_param(rl, "evaluation_codes").iter().any(|k| k == c))
        {
            found.push(format!("eDisposition.28 = {}", show(v)));
        }
        if let Some(v) = r.disposition.transport_disposition.as_ref()
            && v.present()
                .is_some_and(|c| codes_param(rl, "transport_codes").iter().any(|k| k == c))
        {
            found.push(format!("eDisposition.30 = {}", show(v)));
        }
        if !found.is_empty() {
            hit("refusal_of_care", found.join("; "));
        }
    }
    if let Some(rl) = rule("pediatric_high_acuity")
        && let Some(age) = number(&r.patient.age)
    {
        let units = present(&r.patient.age_units).unwrap_or("2516009");
        let child = if units == "2516009" {
            age < num_param(rl, "age_under_years") as f64
        } else {
            true // months, days, hours, minutes
        };
        if child {
            let mut why = Vec::new();
            if present(&r.initial_acuity) == Some("2813001") {
                why.push("initial acuity critical (eSituation.13)".to_owned());
            }
            if arrest.is_some_and(|a| matches!(a.present(), Some("3001003" | "3001005"))) {
                why.push("cardiac arrest".into());
            }
            if advanced_airway {
                why.push("advanced airway".into());
            }
            if io {
                why.push("IO access".into());
            }
            let gcs = num_param(rl, "gcs_at_most") as f64;
            if let Some(min) = r
                .vitals
                .iter()
                .filter_map(|v| number(&v.gcs_total))
                .reduce(f64::min)
                && min <= gcs
            {
                why.push(format!("GCS {min}"));
            }
            let spo2 = num_param(rl, "spo2_below") as f64;
            if let Some(min) = r
                .vitals
                .iter()
                .filter_map(|v| number(&v.spo2))
                .reduce(f64::min)
                && min < spo2
            {
                why.push(format!("SpO2 {min}"));
            }
            if !why.is_empty() {
                let unit_label = r
                    .patient
                    .age_units
                    .as_ref()
                    .and_then(|u| u.label.clone())
                    .unwrap_or_else(|| "years".into());
                hit(
                    "pediatric_high_acuity",
                    format!(
                        "age {age} {} with {}",
                        unit_label.to_lowercase(),
                        why.join(", ")
                    ),
                );
            }
        }
    }
    if rule("missing_documentation").is_some() {
        let mut missing = Vec::new();
        if present(&r.narrative).is_none() {
            missing.push("narrative (eNarrative.01)");
        }
        let contact = present(&r.disposition.unit_disposition) == Some("4227001");
        if contact && present(&r.times.on_scene).is_none() {
            missing.push("arrived on scene time (eTimes.06)");
        }
        if contact && present(&r.times.at_patient).is_none() {
            missing.push("arrived at patient time (eTimes.07)");
        }
        if !missing.is_empty() {
            hit(
                "missing_documentation",
                format!("missing: {}", missing.join(", ")),
            );
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_change_validates_names_and_types() {
        let mut c = TriggerConfig::default();
        c.set("long_scene_time", None, &[("minutes".into(), "25".into())])
            .unwrap();
        let eff = c.effective();
        let rule = eff.iter().find(|r| r.id == "long_scene_time").unwrap();
        assert_eq!(num_param(rule, "minutes"), 25);
        assert!(matches!(
            c.set("nope", None, &[]),
            Err(TriggerSettingError::UnknownRule(_))
        ));
        assert!(matches!(
            c.set(
                "long_scene_time",
                None,
                &[("minutes".into(), "soon".into())]
            ),
            Err(TriggerSettingError::BadValue { .. })
        ));
        assert!(matches!(
            c.set("long_scene_time", None, &[("hours".into(), "1".into())]),
            Err(TriggerSettingError::UnknownParam { .. })
        ));
        c.set("naloxone", Some(false), &[]).unwrap();
        assert!(
            !c.effective()
                .iter()
                .find(|r| r.id == "naloxone")
                .unwrap()
                .enabled
        );
        c.set("io_access", None, &[("procedures".into(), "1, 2".into())])
            .unwrap();
        assert_eq!(
            codes_param(
                c.effective().iter().find(|r| r.id == "io_access").unwrap(),
                "procedures"
            ),
            ["1", "2"]
        );
    }

    #[test]
    fn every_rule_has_a_unique_id_and_names_its_elements() {
        let mut ids: Vec<_> = rules().iter().map(|r| r.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(rules().iter().all(|r| !r.elements.is_empty()));
    }
}

/// The rules as a Markdown document (the body of `docs/triggers.md`).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Review triggers\n\n\
         Generated from `crates/harbor-nemsis/src/triggers.rs` (`UPDATE_GENERATED=1 cargo test -p harbor-nemsis`); \
         a test fails when this file is stale. Rules come from the EMS Trigger Tool (Patterson and colleagues) \
         where NEMSIS data can decide them. Every rule is on by default; `harbor triggers set` turns rules off \
         and changes parameters, inside the vault and audited. A medication or procedure marked as given \
         before this unit's care (eMedications.02 / eProcedures.02 = Yes) does not count.\n\n\
         | rule | looks for | reads | parameters (default) |\n|---|---|---|---|\n",
    );
    for def in rules() {
        let params: Vec<String> = (def.params)()
            .into_iter()
            .map(|(name, default, meaning)| format!("`{name}` = `{default}`: {meaning}"))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            def.id,
            def.title,
            def.elements.join(", "),
            if params.is_empty() {
                "-".to_owned()
            } else {
                params.join("<br>")
            }
        ));
    }
    out
}

#[cfg(test)]
mod doc_tests {
    /// docs/triggers.md matches the rules.
    #[test]
    fn the_trigger_documentation_is_fresh() {
        let path = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
        )
        .join("../../docs/triggers.md");
        let text = super::rules_markdown();
        if std::fs::read_to_string(&path).unwrap_or_default() != text {
            if std::env::var_os("UPDATE_GENERATED").is_some() {
                std::fs::write(&path, text).unwrap();
            } else {
                panic!(
                    "docs/triggers.md is stale: run `UPDATE_GENERATED=1 cargo test -p harbor-nemsis`"
                );
            }
        }
    }
}
