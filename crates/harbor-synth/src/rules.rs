//! The review trigger rules as the generator understands them, evaluated over [`CallFacts`].
//! The generator uses this to check (in tests) that every call fires exactly the rules it was
//! built to fire.

// The evaluator itself is used by the unit tests only.
#![cfg_attr(not(test), allow(dead_code))]

use super::CallFacts;

/// The ids of the review trigger rules the generator builds calls to fire, in a fixed order
/// (the order of [`CallFacts::intended_triggers`]).
pub const TRIGGER_RULE_IDS: [&str; 19] = [
    "cardiac_arrest_before_ems",
    "cardiac_arrest_after_ems",
    "advanced_airway",
    "airway_failure",
    "io_access",
    "cardioversion_or_pacing",
    "needle_decompression",
    "naloxone",
    "vasopressors_or_blood",
    "crew_injury",
    "care_complication",
    "failed_intervention",
    "deterioration",
    "long_scene_time",
    "long_transport_time",
    "long_contact_to_transfer",
    "refusal_of_care",
    "pediatric_high_acuity",
    "missing_documentation",
];

// The code lists are the trigger rules' own defaults: a call built to fire a rule fires the
// rule Harbor ships.
pub(crate) use harbor_nemsis::triggers::{AIRWAY_PROCEDURES, TRANSFUSIONS, VASOPRESSORS};

fn secs(t: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.timestamp())
}

/// Seconds between two times; `None` when either is missing, and a panic in tests when
/// whole minutes and seconds would disagree about a threshold (the generator avoids that).
fn time_diff(f: &CallFacts, from: &str, to: &str) -> Option<i64> {
    Some(secs(f.times.get(to)?)? - secs(f.times.get(from)?)?)
}

/// Whether the interval is over `minutes`, the same whether counted in seconds or in whole
/// minutes.
fn over(f: &CallFacts, from: &str, to: &str, minutes: i64) -> bool {
    match time_diff(f, from, to) {
        Some(d) => {
            let by_seconds = d > minutes * 60;
            let by_minutes = d / 60 > minutes;
            debug_assert_eq!(
                by_seconds, by_minutes,
                "{from}..{to} = {d} s is on the {minutes}-min edge"
            );
            by_seconds
        }
        None => false,
    }
}

fn num(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|v| v.parse().ok())
}

/// The procedures actually performed (not pertinent negatives).
fn done_procs(f: &CallFacts) -> impl Iterator<Item = &super::ProcedureFacts> {
    f.procedures.iter().filter(|p| p.procedure_pn.is_none())
}

/// The medications actually given (not pertinent negatives).
fn given_meds(f: &CallFacts) -> impl Iterator<Item = &super::MedicationFacts> {
    f.medications.iter().filter(|m| m.medication_pn.is_none())
}

fn proc_in(f: &CallFacts, codes: &[&str]) -> bool {
    done_procs(f).any(|p| p.procedure.as_deref().is_some_and(|c| codes.contains(&c)))
}

/// Whether a series falls from `>= limit` to `< limit`, comparing (a) the first and last sets
/// and (b) the first and last sets that have a value; the generator keeps both readings equal.
fn falls_below(values: &[Option<i64>], limit: i64) -> bool {
    let by_set = match (values.first(), values.last()) {
        (Some(Some(a)), Some(Some(b))) => *a >= limit && *b < limit,
        _ => false,
    };
    let present: Vec<i64> = values.iter().flatten().copied().collect();
    let by_value = match (present.first(), present.last()) {
        (Some(a), Some(b)) if present.len() >= 2 => *a >= limit && *b < limit,
        _ => false,
    };
    by_set || by_value
}

fn drops_by(values: &[Option<i64>], by: i64) -> bool {
    let by_set = match (values.first(), values.last()) {
        (Some(Some(a)), Some(Some(b))) => a - b >= by,
        _ => false,
    };
    let present: Vec<i64> = values.iter().flatten().copied().collect();
    let by_value = match (present.first(), present.last()) {
        (Some(a), Some(b)) if present.len() >= 2 => a - b >= by,
        _ => false,
    };
    by_set || by_value
}

/// The rules a call's facts fire, in [`TRIGGER_RULE_IDS`] order.
pub(crate) fn evaluate(f: &CallFacts) -> Vec<&'static str> {
    let mut out = Vec::new();
    let arrest_before = f.cardiac_arrest == "3001003";
    let arrest_after = f.cardiac_arrest == "3001005";
    let advanced_airway = f.airway_devices.iter().any(|d| {
        d.parse::<u32>()
            .is_ok_and(|c| (4_003_001..=4_003_015).contains(&c))
    }) || proc_in(f, &AIRWAY_PROCEDURES);
    let airway_failure = !f.airway_failure_reasons.is_empty()
        || done_procs(f).any(|p| {
            p.procedure
                .as_deref()
                .is_some_and(|c| AIRWAY_PROCEDURES.contains(&c))
                && p.successful.as_deref() == Some("9923001")
        });
    let io = proc_in(f, &["430824005"]);
    let naloxone = given_meds(f).any(|m| {
        m.medication.as_deref() == Some("7242") && m.prior_to_ems.as_deref() == Some("9923001")
    });
    let pressors = given_meds(f).any(|m| {
        m.medication
            .as_deref()
            .is_some_and(|c| VASOPRESSORS.contains(&c))
    }) || proc_in(f, &TRANSFUSIONS);
    let complication = done_procs(f).any(|p| p.complications.iter().any(|c| c != "3907033"))
        || given_meds(f).any(|m| m.complications.iter().any(|c| c != "3708031"))
        || !f.airway_complications.is_empty();
    let failed = done_procs(f).any(|p| p.successful.as_deref() == Some("9923001"));
    let sbp: Vec<Option<i64>> = f.vitals.iter().map(|v| num(&v.systolic)).collect();
    let spo2: Vec<Option<i64>> = f.vitals.iter().map(|v| num(&v.spo2)).collect();
    let gcs: Vec<Option<i64>> = f.vitals.iter().map(|v| num(&v.gcs_total)).collect();
    let deterioration = falls_below(&sbp, 90) || falls_below(&spo2, 90) || drops_by(&gcs, 2);
    let refusal = matches!(
        f.patient_evaluation_care.as_deref(),
        Some("4228003" | "4228007")
    ) || f.transport_disposition.as_deref() == Some("4230009");
    let child = match (f.age.as_deref(), f.age_units.as_deref()) {
        (Some(a), Some("2516009")) => a.parse::<i64>().is_ok_and(|a| a < 18),
        (Some(_), Some("2516001" | "2516003" | "2516005" | "2516007")) => true,
        _ => false,
    };
    let peds = child
        && (f.initial_acuity.as_deref() == Some("2813001")
            || advanced_airway
            || arrest_before
            || arrest_after
            || io
            || gcs.iter().flatten().any(|g| *g <= 12)
            || spo2.iter().flatten().any(|s| *s < 90));
    let missing = f.narrative.is_none()
        || (f.unit_disposition == "4227001"
            && (!f.times.contains_key("eTimes.06") || !f.times.contains_key("eTimes.07")));
    let flags = [
        arrest_before,
        arrest_after,
        advanced_airway,
        airway_failure,
        io,
        proc_in(f, &["250980009", "18590009"]),
        proc_in(f, &["182705007"]),
        naloxone,
        pressors,
        f.crew_injury.as_deref() == Some("9923003"),
        complication,
        failed,
        deterioration,
        over(f, "eTimes.06", "eTimes.09", 20),
        over(f, "eTimes.09", "eTimes.11", 30),
        over(f, "eTimes.07", "eTimes.12", 60),
        refusal,
        peds,
        missing,
    ];
    for (id, on) in TRIGGER_RULE_IDS.iter().zip(flags) {
        if on {
            out.push(*id);
        }
    }
    out
}
