//! Generator tests: determinism, streaming, XSD validity (with xmllint against the official
//! NEMSIS 3.5.1 schemas when `../shared/nemsis` is present), internal consistency of the calls
//! and a realistic mix of review triggers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset};
use harbor_synth::{
    CallFacts, GeneratedFile, GeneratorOptions, TRIGGER_RULE_IDS, generate, write_files,
};

fn opts(seed: u64, count: usize) -> GeneratorOptions {
    GeneratorOptions {
        seed,
        count,
        ..GeneratorOptions::default()
    }
}

fn calls(o: &GeneratorOptions) -> Vec<CallFacts> {
    generate(o).flat_map(|f| f.calls).collect()
}

fn parse(t: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("bad dateTime {t:?}: {e}"))
}

fn shared_nemsis() -> PathBuf {
    Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned()),
    )
    .join("../../../shared/nemsis")
}

// ----- determinism and streaming -----------------------------------------------------------

#[test]
fn same_seed_same_output_different_seed_different_output() {
    let a: Vec<GeneratedFile> = generate(&opts(7, 40)).collect();
    let b: Vec<GeneratedFile> = generate(&opts(7, 40)).collect();
    assert_eq!(a, b);
    let c: Vec<GeneratedFile> = generate(&opts(8, 40)).collect();
    assert_eq!(a.len(), c.len());
    assert_ne!(a, c);
    let differing = a.iter().zip(&c).filter(|(x, y)| x.xml != y.xml).count();
    assert!(differing > 35, "only {differing} of 40 documents differ");
}

#[test]
fn each_report_depends_only_on_seed_and_index() {
    let single = calls(&opts(11, 20));
    let batched_opts = GeneratorOptions {
        reports_per_file: 7,
        ..opts(11, 20)
    };
    let files: Vec<GeneratedFile> = generate(&batched_opts).collect();
    assert_eq!(
        files.iter().map(|f| f.calls.len()).collect::<Vec<_>>(),
        vec![7, 7, 6]
    );
    let batched: Vec<CallFacts> = files.into_iter().flat_map(|f| f.calls).collect();
    assert_eq!(single, batched);
}

#[test]
fn generation_is_lazy() {
    // A huge count must not be built up front.
    let o = opts(3, 50_000_000);
    let start = std::time::Instant::now();
    let first: Vec<GeneratedFile> = generate(&o).take(3).collect();
    assert_eq!(first.len(), 3);
    assert!(start.elapsed().as_secs() < 5);
    let mut it = generate(&opts(3, 5));
    assert_eq!(it.size_hint(), (5, Some(5)));
    it.next();
    assert_eq!(it.size_hint(), (4, Some(4)));
}

#[test]
fn write_files_writes_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let o = GeneratorOptions {
        reports_per_file: 3,
        ..opts(5, 10)
    };
    let mut seen = Vec::new();
    let n = write_files(&o, &dir.path().join("out"), |k| seen.push(k)).unwrap();
    assert_eq!(n, 10);
    assert_eq!(seen, vec![3, 6, 9, 10]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4);
    assert!(names.iter().all(|n| n.ends_with(".xml")));
    let expected: Vec<String> = generate(&o).map(|f| f.file_name).collect();
    assert_eq!(names, expected);
}

// ----- the XML -----------------------------------------------------------------------------

#[test]
fn documents_carry_what_the_facts_say() {
    for f in generate(&GeneratorOptions {
        reports_per_file: 4,
        ..opts(21, 120)
    }) {
        assert!(f.xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EMSDataSet xmlns=\"http://www.nemsis.org\""));
        assert_eq!(
            f.xml.matches("<PatientCareReport UUID=").count(),
            f.calls.len()
        );
        for c in &f.calls {
            let has = |s: &str| assert!(f.xml.contains(s), "{} lacks {s}", f.file_name);
            has(&format!("<PatientCareReport UUID=\"{}\">", c.report_uuid));
            has(&format!("<eRecord.01>{}</eRecord.01>", c.pcr_number));
            has(&format!(
                "<eResponse.03>{}</eResponse.03>",
                c.incident_number
            ));
            has(&format!("<eResponse.13>{}</eResponse.13>", c.unit));
            has(&format!("<eResponse.14>{}</eResponse.14>", c.call_sign));
            has(&format!(
                "<eDispatch.01>{}</eDispatch.01>",
                c.dispatch_complaint
            ));
            has(&format!("<eArrest.01>{}</eArrest.01>", c.cardiac_arrest));
            has(&format!(
                "<eDisposition.27>{}</eDisposition.27>",
                c.unit_disposition
            ));
            for (k, v) in &c.times {
                has(&format!("<{k}>{v}</{k}>"));
            }
            for (id, level, role) in &c.crew {
                has(&format!(
                    "<eCrew.01>{id}</eCrew.01>\n\t\t\t\t\t<eCrew.02>{level}</eCrew.02>\n\t\t\t\t\t<eCrew.03>{role}</eCrew.03>"
                ));
            }
            if let Some(n) = &c.narrative {
                let escaped = n
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
                    .replace('\'', "&apos;");
                has(&format!("<eNarrative.01>{escaped}</eNarrative.01>"));
            }
            let uuid = &c.report_uuid;
            assert_eq!(uuid.len(), 36);
            assert_eq!(&uuid[14..15], "4", "UUID v4: {uuid}");
            assert!(
                matches!(&uuid[19..20], "8" | "9" | "a" | "b"),
                "UUID variant: {uuid}"
            );
        }
    }
}

/// Runs xmllint once over many files; returns the files that did not validate, with output.
fn xmllint(schema: &Path, files: &[PathBuf]) -> (usize, String) {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint is required to validate generated documents (install libxml2-utils): {e}"
            )
        });
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let valid = stderr.lines().filter(|l| l.ends_with(" validates")).count();
    let problems: String = stderr
        .lines()
        .filter(|l| !l.ends_with(" validates"))
        .take(40)
        .collect::<Vec<_>>()
        .join("\n");
    (valid, problems)
}

#[test]
fn every_document_validates_against_the_nemsis_xsd() {
    let nemsis = shared_nemsis();
    if !nemsis.exists() {
        eprintln!(
            "skipping XSD validation: {} does not exist (the official NEMSIS XSDs are not available here)",
            nemsis.display()
        );
        return;
    }
    let schema = nemsis.join("xsd/EMSDataSet_v3.xsd");
    assert!(schema.exists(), "{} missing", schema.display());
    let version = Command::new("xmllint").arg("--version").output();
    assert!(
        version.is_ok(),
        "xmllint not found: install libxml2-utils (apt-get install -y libxml2-utils)"
    );
    let dir = tempfile::tempdir().unwrap();
    // 200 single-report documents plus multi-report documents, from other seeds.
    let mut n = write_files(&opts(2024, 200), &dir.path().join("single"), |_| {}).unwrap();
    n += write_files(
        &GeneratorOptions {
            reports_per_file: 25,
            agency_number: "A-77 & Co".to_owned(),
            utc_offset_minutes: 330,
            ..opts(99, 100)
        },
        &dir.path().join("multi"),
        |_| {},
    )
    .unwrap();
    assert_eq!(n, 300);
    let mut files = Vec::new();
    for sub in ["single", "multi"] {
        for e in std::fs::read_dir(dir.path().join(sub)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    files.sort();
    assert_eq!(files.len(), 204);
    let (valid, problems) = xmllint(&schema, &files);
    assert!(
        valid == files.len() && problems.is_empty(),
        "{valid} of {} documents validate:\n{problems}",
        files.len()
    );
}

// ----- the calls -------------------------------------------------------------------------

/// The patient-care chain of times, in the order they must occur.
const CHAIN: [&str; 11] = [
    "eTimes.01",
    "eTimes.02",
    "eTimes.03",
    "eTimes.04",
    "eTimes.05",
    "eTimes.06",
    "eTimes.07",
    "eTimes.09",
    "eTimes.11",
    "eTimes.12",
    "eTimes.13",
];

#[test]
fn times_are_in_order_with_one_offset() {
    for c in calls(&opts(17, 2000)) {
        let who = format!("{} ({})", c.pcr_number, c.scenario);
        let offsets: BTreeSet<i32> = c
            .times
            .values()
            .map(|t| parse(t).offset().local_minus_utc())
            .collect();
        assert_eq!(offsets, BTreeSet::from([-5 * 3600]), "{who}");
        for k in ["eTimes.01", "eTimes.03", "eTimes.05", "eTimes.13"] {
            assert!(c.times.contains_key(k), "{who} lacks {k}");
        }
        let chain: Vec<(&str, DateTime<FixedOffset>)> = CHAIN
            .iter()
            .filter_map(|k| c.times.get(*k).map(|t| (*k, parse(t))))
            .collect();
        for w in chain.windows(2) {
            assert!(w[0].1 <= w[1].1, "{who}: {} after {}", w[0].0, w[1].0);
        }
        if let Some(cancel) = c.times.get("eTimes.14") {
            let cancel = parse(cancel);
            assert!(
                parse(&c.times["eTimes.05"]) <= cancel && cancel <= parse(&c.times["eTimes.13"]),
                "{who}"
            );
        }
        // Plausible intervals.
        let t = |k: &str| c.times.get(k).map(|v| parse(v));
        if let (Some(a), Some(b)) = (t("eTimes.05"), t("eTimes.06")) {
            let m = (b - a).num_minutes();
            assert!((1..=45).contains(&m), "{who}: response {m} min");
        }
        if let (Some(a), Some(b)) = (t("eTimes.01"), t("eTimes.13")) {
            let h = (b - a).num_hours();
            assert!(h < 6, "{who}: call lasted {h} h");
        }
        // Care happens between arrival and back in service.
        let lo = t("eTimes.06").or(t("eTimes.05")).unwrap();
        let hi = t("eTimes.13").unwrap();
        for v in &c.vitals {
            let at = parse(v.taken_at.as_deref().unwrap());
            assert!(lo <= at && at <= hi, "{who}: vitals at {at}");
        }
        for m in c
            .medications
            .iter()
            .filter(|m| m.prior_to_ems.as_deref() == Some("9923001"))
        {
            let at = parse(m.given_at.as_deref().unwrap());
            assert!(lo <= at && at <= hi, "{who}: medication at {at}");
        }
        for p in c
            .procedures
            .iter()
            .filter(|p| p.prior_to_ems.as_deref() == Some("9923001"))
        {
            let at = parse(p.performed_at.as_deref().unwrap());
            assert!(lo <= at && at <= hi, "{who}: procedure at {at}");
        }
    }
}

#[test]
fn utc_offset_option_is_honoured() {
    for c in calls(&GeneratorOptions {
        utc_offset_minutes: 330,
        ..opts(4, 30)
    }) {
        assert!(
            c.times.values().all(|t| t.ends_with("+05:30")),
            "{:?}",
            c.times
        );
    }
}

#[test]
fn triggers_have_a_realistic_mix() {
    let all = calls(&opts(1, 2000));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &all {
        for t in &c.intended_triggers {
            assert!(
                TRIGGER_RULE_IDS.contains(&t.as_str()),
                "unknown trigger {t}"
            );
            *counts.entry(t.as_str()).or_default() += 1;
        }
        // In rule order, no duplicates.
        let pos: Vec<usize> = c
            .intended_triggers
            .iter()
            .map(|t| TRIGGER_RULE_IDS.iter().position(|x| x == t).unwrap())
            .collect();
        assert!(
            pos.windows(2).all(|w| w[0] < w[1]),
            "{:?}",
            c.intended_triggers
        );
    }
    for id in TRIGGER_RULE_IDS {
        let n = counts.get(id).copied().unwrap_or(0);
        assert!(n >= 1, "no call of 2000 fires {id}");
        assert!(
            n * 100 <= all.len() * 40,
            "{id} fires in {n} of {} calls",
            all.len()
        );
    }
    let quiet = all
        .iter()
        .filter(|c| c.intended_triggers.is_empty())
        .count();
    assert!(quiet * 2 > all.len(), "only {quiet} calls fire nothing");
}

/// The evidence each trigger reads is present in the facts of the calls built to fire it
/// (a cheap cross-check of the facts against the rule descriptions).
#[test]
fn intended_triggers_match_the_evidence() {
    for c in calls(&opts(2, 2000)) {
        let has = |id: &str| c.intended_triggers.iter().any(|t| t == id);
        let who = format!("{} ({})", c.pcr_number, c.scenario);
        assert_eq!(
            has("cardiac_arrest_before_ems"),
            c.cardiac_arrest == "3001003",
            "{who}"
        );
        assert_eq!(
            has("cardiac_arrest_after_ems"),
            c.cardiac_arrest == "3001005",
            "{who}"
        );
        let given = |code: &str| {
            c.medications.iter().any(|m| {
                m.medication.as_deref() == Some(code)
                    && m.medication_pn.is_none()
                    && m.prior_to_ems.as_deref() == Some("9923001")
            })
        };
        assert_eq!(has("naloxone"), given("7242"), "{who}");
        let done = |codes: &[&str]| {
            c.procedures.iter().any(|p| {
                p.procedure_pn.is_none()
                    && p.procedure.as_deref().is_some_and(|x| codes.contains(&x))
            })
        };
        assert_eq!(has("io_access"), done(&["430824005"]), "{who}");
        assert_eq!(has("needle_decompression"), done(&["182705007"]), "{who}");
        assert_eq!(
            has("cardioversion_or_pacing"),
            done(&["250980009", "18590009"]),
            "{who}"
        );
        assert_eq!(
            has("crew_injury"),
            c.crew_injury.as_deref() == Some("9923003"),
            "{who}"
        );
        assert_eq!(
            has("refusal_of_care"),
            matches!(
                c.patient_evaluation_care.as_deref(),
                Some("4228003" | "4228007")
            ) || c.transport_disposition.as_deref() == Some("4230009"),
            "{who}"
        );
        if c.narrative.is_none() {
            assert!(has("missing_documentation"), "{who}");
        }
        let minutes = |a: &str, b: &str| match (c.times.get(a), c.times.get(b)) {
            (Some(x), Some(y)) => Some((parse(y) - parse(x)).num_seconds() as f64 / 60.0),
            _ => None,
        };
        assert_eq!(
            has("long_scene_time"),
            minutes("eTimes.06", "eTimes.09").is_some_and(|m| m > 20.0),
            "{who}"
        );
        assert_eq!(
            has("long_transport_time"),
            minutes("eTimes.09", "eTimes.11").is_some_and(|m| m > 30.0),
            "{who}"
        );
        assert_eq!(
            has("long_contact_to_transfer"),
            minutes("eTimes.07", "eTimes.12").is_some_and(|m| m > 60.0),
            "{who}"
        );
    }
}

// ----- clinical plausibility ---------------------------------------------------------------

const RXNORM: [&str; 40] = [
    "7242", "1191", "4917", "3992", "703", "435", "7213", "6902", "6585", "4850", "4832", "26225",
    "4337", "7052", "6130", "6960", "6470", "3322", "7512", "3628", "11149", "8163", "3498",
    "1223", "296", "9863", "161", "5640", "3264", "5093", "4177", "68139", "36676", "1901",
    "10691", "7806", "3443", "8782", "10154", "8782",
];

const SNOMED: [&str; 20] = [
    "89666000",
    "268400002",
    "46825001",
    "392231009",
    "430824005",
    "112798008",
    "232674004",
    "424979004",
    "250980009",
    "18590009",
    "182705007",
    "116859006",
    "5447007",
    "79321009",
    "398041008",
    "47545007",
    "425447009",
    "33747003",
    "56251003",
    "7443007",
];

fn scenarios_of(all: &[CallFacts], pred: impl Fn(&CallFacts) -> bool) -> BTreeSet<String> {
    all.iter()
        .filter(|c| pred(c))
        .map(|c| c.scenario.clone())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn ages_and_units_are_plausible() {
    let all = calls(&opts(31, 3000));
    let mut child = 0;
    let mut infants = 0;
    for c in &all {
        let who = format!("{} ({})", c.pcr_number, c.scenario);
        match (c.age.as_deref(), c.age_units.as_deref()) {
            (None, None) => assert!(
                matches!(c.scenario.as_str(), "cancelled" | "no_patient_found"),
                "{who}: no age"
            ),
            (Some(a), Some(u)) => {
                let a: u32 = a.parse().unwrap();
                let ok = match u {
                    "2516009" => (1..=110).contains(&a),
                    "2516007" => (1..=23).contains(&a),
                    "2516001" => (1..=30).contains(&a),
                    "2516003" => (1..=23).contains(&a),
                    _ => false,
                };
                assert!(ok, "{who}: age {a} units {u}");
                let years = if u == "2516009" { a } else { 0 };
                if u != "2516009" {
                    infants += 1;
                }
                if years < 18 {
                    child += 1;
                }
                if c.scenario.starts_with("pediatric_") {
                    assert!(years < 18, "{who}: {a}");
                }
                if matches!(
                    c.scenario.as_str(),
                    "stroke"
                        | "hip_fracture"
                        | "cardiac_arrest"
                        | "copd"
                        | "chf_pulmonary_edema"
                        | "stemi"
                ) {
                    assert!(years >= 18, "{who}: {a}");
                }
                if c.scenario == "hip_fracture" {
                    assert!(years >= 60, "{who}: {a}");
                }
                assert!(
                    c.sex
                        .as_deref()
                        .is_some_and(|s| s == "9919001" || s == "9919003"),
                    "{who}"
                );
            }
            other => panic!("{who}: age/units {other:?}"),
        }
    }
    assert!(child * 100 > all.len() * 3, "{child} children");
    assert!(infants > 0);
}

#[test]
fn medications_procedures_and_impressions_fit_the_calls() {
    let all = calls(&opts(41, 4000));
    for c in &all {
        let who = format!("{} ({})", c.pcr_number, c.scenario);
        for m in &c.medications {
            let code = m.medication.as_deref().unwrap();
            assert!(RXNORM.contains(&code), "{who}: medication {code}");
            if m.medication_pn.is_none() {
                assert!(
                    m.route.is_some() && m.dose.is_some() && m.dose_units.is_some(),
                    "{who}: {m:?}"
                );
                let dose: f64 = m.dose.as_deref().unwrap().parse().unwrap();
                assert!(dose > 0.0, "{who}: {m:?}");
                assert!(!m.complications.is_empty(), "{who}: {m:?}");
            } else {
                assert!(m.route.is_none() && m.dose.is_none(), "{who}: {m:?}");
            }
        }
        for p in &c.procedures {
            let code = p.procedure.as_deref().unwrap();
            assert!(SNOMED.contains(&code), "{who}: procedure {code}");
            if p.procedure_pn.is_none() {
                let attempts: u32 = p.attempts.as_deref().unwrap().parse().unwrap();
                assert!((1..=3).contains(&attempts), "{who}: {p:?}");
                assert!(
                    matches!(p.successful.as_deref(), Some("9923001" | "9923003")),
                    "{who}"
                );
            }
        }
        for i in c.primary_impression.iter().chain(&c.secondary_impressions) {
            assert!(
                i.len() >= 3
                    && i.as_bytes()[0].is_ascii_uppercase()
                    && !i.starts_with(['V', 'W', 'X', 'Y']),
                "{who}: impression {i}"
            );
        }
        let imp = c.primary_impression.as_deref().unwrap_or("");
        let fits = match c.scenario.as_str() {
            "opioid_overdose" => imp.starts_with("T40."),
            "stroke" => ["I63", "G45", "I61"].iter().any(|p| imp.starts_with(p)),
            "stemi" => imp.starts_with("I21"),
            "hypoglycemia" => ["E16.2", "E11.649", "E10.649"].contains(&imp),
            "hip_fracture" => imp.starts_with("S72."),
            "asthma" => imp.starts_with("J45"),
            "copd" => imp.starts_with("J44"),
            "seizure" | "pediatric_seizure" => {
                ["R56", "G40", "F10"].iter().any(|p| imp.starts_with(p))
            }
            "anaphylaxis" => imp.starts_with("T78.2") || imp.starts_with("T63"),
            "sepsis" => imp == "A41.9" || imp == "R65.21",
            "cardiac_arrest" => ["I46", "I49", "R99"].iter().any(|p| imp.starts_with(p)),
            "cancelled" | "no_patient_found" => imp.is_empty(),
            _ => !imp.is_empty(),
        };
        assert!(fits, "{who}: impression {imp:?}");
        let codes: BTreeSet<&str> = c
            .medications
            .iter()
            .filter(|m| m.medication_pn.is_none())
            .filter_map(|m| m.medication.as_deref())
            .collect();
        let procs: BTreeSet<&str> = c
            .procedures
            .iter()
            .filter(|p| p.procedure_pn.is_none())
            .filter_map(|p| p.procedure.as_deref())
            .collect();
        if c.scenario == "stemi" {
            assert!(procs.contains("268400002"), "{who}: STEMI without 12-lead");
        }
        if c.scenario == "hypoglycemia" {
            assert!(
                codes.contains("4850") || codes.contains("4832"),
                "{who}: no glucose given"
            );
        }
        if c.cardiac_arrest == "3001005"
            || (c.scenario == "cardiac_arrest"
                && c.cardiac_arrest == "3001003"
                && c.patient_evaluation_care.as_deref() == Some("4228001"))
        {
            assert!(procs.contains("89666000"), "{who}: arrest without CPR");
        }
        if matches!(c.scenario.as_str(), "cancelled" | "no_patient_found") {
            assert!(
                c.vitals.is_empty() && c.medications.is_empty() && c.procedures.is_empty(),
                "{who}"
            );
            assert_ne!(c.unit_disposition, "4227001", "{who}");
        }
    }
    // Interventions are used where they fit.
    let with_med = |code: &'static str| {
        scenarios_of(&all, move |c| {
            c.medications.iter().any(|m| {
                m.medication.as_deref() == Some(code)
                    && m.medication_pn.is_none()
                    && m.prior_to_ems.as_deref() == Some("9923001")
            })
        })
    };
    let with_proc = |code: &'static str| {
        scenarios_of(&all, move |c| {
            c.procedures
                .iter()
                .any(|p| p.procedure.as_deref() == Some(code) && p.procedure_pn.is_none())
        })
    };
    assert!(
        with_med("7242").is_subset(&set(&["opioid_overdose", "witnessed_arrest"])),
        "{:?}",
        with_med("7242")
    );
    assert!(with_med("1191").is_subset(&set(&["chest_pain", "stemi", "witnessed_arrest"])));
    assert!(with_med("4917").is_subset(&set(&["chest_pain", "stemi", "chf_pulmonary_edema"])));
    assert!(with_med("296").is_subset(&set(&["tachydysrhythmia"])));
    assert!(with_med("703").is_subset(&set(&[
        "cardiac_arrest",
        "witnessed_arrest",
        "tachydysrhythmia",
        "pediatric_critical"
    ])));
    assert!(with_med("7512").is_subset(&set(&[
        "cardiac_arrest",
        "witnessed_arrest",
        "sepsis",
        "anaphylaxis",
        "critical_care_transfer"
    ])));
    assert!(with_med("4850").is_subset(&set(&["hypoglycemia"])));
    assert!(with_proc("182705007").is_subset(&set(&["major_trauma"])));
    assert!(with_proc("250980009").is_subset(&set(&["tachydysrhythmia"])));
    assert!(with_proc("18590009").is_subset(&set(&["symptomatic_bradycardia"])));
    assert!(with_proc("89666000").is_subset(&set(&[
        "cardiac_arrest",
        "witnessed_arrest",
        "pediatric_critical"
    ])));
    assert!(with_proc("116859006").is_subset(&set(&["major_trauma", "critical_care_transfer"])));
    // Some pertinent negatives are recorded.
    assert!(
        all.iter()
            .any(|c| c.medications.iter().any(|m| m.medication_pn.is_some()))
    );
    assert!(
        all.iter()
            .any(|c| c.procedures.iter().any(|p| p.procedure_pn.is_some()))
    );
}

#[test]
fn vital_signs_are_physiological_and_consistent() {
    for c in calls(&opts(51, 2000)) {
        let who = format!("{} ({})", c.pcr_number, c.scenario);
        let patient = c.unit_disposition == "4227001";
        if patient && c.patient_evaluation_care.as_deref() != Some("4228007") {
            assert!(!c.vitals.is_empty(), "{who}: patient without vitals");
        }
        let mut last = None;
        for v in &c.vitals {
            let at = parse(v.taken_at.as_deref().unwrap());
            if let Some(prev) = last {
                assert!(prev <= at, "{who}: vitals out of order");
            }
            last = Some(at);
            let n = |x: &Option<String>| x.as_deref().map(|s| s.parse::<i64>().unwrap());
            if let (Some(s), Some(d)) = (n(&v.systolic), n(&v.diastolic)) {
                assert!(
                    (40..=250).contains(&s) && d < s && d >= 20,
                    "{who}: BP {s}/{d}"
                );
            }
            if let Some(h) = n(&v.heart_rate) {
                assert!((20..=230).contains(&h), "{who}: HR {h}");
            }
            if let Some(o) = n(&v.spo2) {
                assert!((40..=100).contains(&o), "{who}: SpO2 {o}");
            }
            if let Some(r) = n(&v.respiratory_rate) {
                assert!((0..=70).contains(&r), "{who}: RR {r}");
            }
            match (
                n(&v.gcs_eye),
                n(&v.gcs_verbal),
                n(&v.gcs_motor),
                n(&v.gcs_total),
            ) {
                (Some(e), Some(vb), Some(m), Some(t)) => {
                    assert!(
                        (1..=4).contains(&e) && (1..=5).contains(&vb) && (1..=6).contains(&m),
                        "{who}"
                    );
                    assert_eq!(e + vb + m, t, "{who}");
                }
                (None, None, None, None) => {}
                other => panic!("{who}: partial GCS {other:?}"),
            }
            if let Some(p) = n(&v.pain) {
                assert!((0..=10).contains(&p), "{who}: pain {p}");
            }
        }
    }
}
